"""The guided player: rate tightness, one exercise at a time, then log the session.

Each step is a page with plain forms (Back, Skip, Done), so the player works without JavaScript;
static/js/player.js adds the countdown, pause and keyboard shortcuts on top.

"Stop: something feels wrong" is on every page of a run: it ends the run (player_stop), asks what
the person noticed and saves what was done so far (player_stopped), then the session's page shows
what to do. Stopping must always work, so nothing may stand in front of those two views.
"""

from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import screening_required
from accounts.http import HtmxHttpRequest
from accounts.screening import conditions_for
from progress.forms import (
    PlayerFinishForm,
    PlayerStartForm,
    PlayerStepForm,
    PlayerStopForm,
    PlayerStopQuestionsForm,
)
from progress.models import CALL_EMERGENCY
from progress.player import GET_READY, ExerciseResult, PlayerRun
from progress.selectors import session_of_player_run
from progress.services import player_run_save
from progress.views.sessions import session_saved_messages
from routines.families import variant_neighbours, variant_step_message
from routines.forms import StepItemForm
from routines.selectors import get_routine_for_user
from routines.services import routine_item_step


@require_http_methods(["GET", "POST"])
@login_required
@screening_required
def player_start(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    routine = get_routine_for_user(request.user, pk)
    total_items = routine.items.count()
    if not total_items:
        messages.info(request, "Add at least one exercise before you play this routine.")
        return redirect("routines:routine_edit", pk=routine.pk)
    run = PlayerRun.load(request.session, routine.pk)
    form = PlayerStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            PlayerRun.start(request.session, routine, form.cleaned_data["tightness_before"])
            return redirect("progress:player_step", pk=routine.pk, number=1)
        status = 422
    else:
        status = 200
    context = {"routine": routine, "form": form, "run": run, "total_items": total_items}
    return render(request, "progress/player_start.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@screening_required
def player_step(request: HtmxHttpRequest, pk: int, number: int) -> HttpResponse:
    routine = get_routine_for_user(request.user, pk)
    run, elsewhere = _run_at_step(request, routine, number)
    if elsewhere is not None:
        return elsewhere
    items = run.items()
    item = items.get(run.item_ids[number - 1])
    if item is None:  # removed in the builder since the run started: move on
        if number < run.total:
            return redirect("progress:player_step", pk=routine.pk, number=number + 1)
        return redirect("progress:player_finish", pk=routine.pk)

    if request.method == "POST":
        form = PlayerStepForm(request.POST)
        if not form.is_valid():
            return redirect("progress:player_step", pk=routine.pk, number=number)
        action = form.cleaned_data["action"]
        if action == "back":
            return redirect("progress:player_step", pk=routine.pk, number=max(1, number - 1))
        result = ExerciseResult.of_step(
            item,
            skipped=action == "skip",
            seconds=form.cleaned_data["seconds"],
            held_full_time=form.cleaned_data["held"] == "full",
            time_on_step=run.seconds_on_step(settings.PLAYER_TIME_SCALE),
        )
        run.record(item, result)
        run.save(request.session)
        if number < run.total:
            return redirect("progress:player_step", pk=routine.pk, number=number + 1)
        return redirect("progress:player_finish", pk=routine.pk)

    next_item = items.get(run.item_ids[number]) if number < run.total else None
    timeline = [GET_READY, *item.timeline()]
    easier, harder = variant_neighbours(item.exercise, conditions_for(request.user))
    context = {
        "easier": easier,
        "harder": harder,
        "routine": routine,
        "item": item,
        "exercise": item.exercise,
        "number": number,
        "run": run,
        "next_item": next_item,
        "timeline": [asdict(phase) for phase in timeline],
        "time_scale": settings.PLAYER_TIME_SCALE,
    }
    return render(request, "progress/player_step.html", context)


@require_POST
@login_required
@screening_required
def player_step_variant(request: HtmxHttpRequest, pk: int, number: int) -> HttpResponse:
    """Easier or Harder in the middle of a run: the routine's item becomes the next variant that
    suits the person, in place (same item, same step), and the step shows it."""
    routine = get_routine_for_user(request.user, pk)
    run, elsewhere = _run_at_step(request, routine, number)
    if elsewhere is not None:
        return elsewhere
    item = run.items().get(run.item_ids[number - 1])
    form = StepItemForm(request.POST)
    if item is not None and form.is_valid():
        before = item.exercise
        variant = routine_item_step(item=item, step=form.step, conditions=conditions_for(request.user))
        messages.info(request, variant_step_message(before, variant, form.step))
    elif item is not None:  # a forged or broken form: the step again, saying so
        messages.error(request, "Nothing changed: use the Easier or Harder buttons.")
    return redirect("progress:player_step", pk=routine.pk, number=number)


@require_http_methods(["GET", "POST"])
@login_required
@screening_required
def player_finish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    routine = get_routine_for_user(request.user, pk)
    run = PlayerRun.load(request.session, routine.pk)
    if run is not None and run.is_stopped:
        return redirect("progress:player_stopped", pk=routine.pk)
    if request.method == "POST":
        token = request.POST.get("token")
        if run is None or run.token != token:
            return _already_saved(request, routine.pk, token)
        items = run.items()
        form = PlayerFinishForm(request.POST, exercises=run.done_exercises(items))
        if form.is_valid():
            return _run_save(request, routine, run, form)
        status = 422
    else:
        if run is None:
            return redirect("progress:player_start", pk=routine.pk)
        items = run.items()
        form = PlayerFinishForm(initial={"token": run.token}, exercises=run.done_exercises(items))
        status = 200
    summary = [(items.get(item_id), run.result_for(item_id)) for item_id in run.item_ids]
    context = {
        "routine": routine,
        "form": form,
        "run": run,
        "summary": [s for s in summary if s[0] is not None],
    }
    return render(request, "progress/player_finish.html", context, status=status)


@require_POST
@login_required
def player_discard(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    routine = get_routine_for_user(request.user, pk)
    run = PlayerRun.load(request.session, routine.pk)
    if run is not None:
        run.discard(request.session)
    return redirect("progress:player_start", pk=routine.pk)


@require_POST
@login_required
def player_stop(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The "Stop: something feels wrong" button: the run ends now. The exercise it was pressed on
    is logged as skipped, with the seconds the timer had counted (none without JavaScript)."""
    routine = get_routine_for_user(request.user, pk)
    run = PlayerRun.load(request.session, routine.pk)
    if run is None:  # already saved, or never started
        return redirect("progress:player_start", pk=routine.pk)
    form = PlayerStopForm(request.POST)
    # A stop always stops: a step number or seconds that do not parse only lose the partial hold.
    number = form.cleaned_data.get("number") if form.is_valid() else None
    seconds = form.cleaned_data.get("seconds") if form.is_valid() else None
    item = None
    if number is not None and number <= run.total:
        item = run.items().get(run.item_ids[number - 1])
    run.stop(item, seconds)
    run.save(request.session)
    return redirect("progress:player_stopped", pk=routine.pk)


@require_http_methods(["GET", "POST"])
@login_required
def player_stopped(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """After stopping: what did you notice? Saving records the run as stopped early, and the
    session's page shows the guidance for what was reported."""
    routine = get_routine_for_user(request.user, pk)
    run = PlayerRun.load(request.session, routine.pk)
    if request.method == "POST":
        form = PlayerStopQuestionsForm(request.POST)
        token = form.data.get("token")
        if run is None or run.token != token:
            return _already_saved(request, routine.pk, token)
        if not run.is_stopped:
            return redirect("progress:player_start", pk=routine.pk)
        if form.is_valid():
            return _run_save(request, routine, run, form)
        status = 422
    else:
        if run is None or not run.is_stopped:
            return redirect("progress:player_start", pk=routine.pk)
        form = PlayerStopQuestionsForm(initial={"token": run.token})
        status = 200
    context = {"routine": routine, "form": form, "run": run, "emergency": CALL_EMERGENCY}
    return render(request, "progress/player_stopped.html", context, status=status)


def _already_saved(request: HtmxHttpRequest, routine_pk: int, token: str | None) -> HttpResponse:
    """A run's log posted again (a second click, a resubmitted form): show what was recorded."""
    saved = session_of_player_run(request.user, token)
    if saved is not None:
        return redirect(saved)
    return redirect("progress:player_start", pk=routine_pk)


def _run_save(request: HtmxHttpRequest, routine, run: PlayerRun, form) -> HttpResponse:
    """Log the run (finished or stopped) from its form, end it, and show the saved session."""
    session, _ = player_run_save(user=request.user, routine=routine, run=run, **form.run_values())
    run.discard(request.session)
    session_saved_messages(request, session, "Session saved")
    return redirect(session)


def _run_at_step(
    request: HtmxHttpRequest, routine, number: int
) -> tuple[PlayerRun, None] | tuple[None, HttpResponse]:
    """The run under way on `routine` with a step `number`, or where to go instead: the start page
    when none is under way, the stop page once stopped. A step the run does not have is a 404."""
    run = PlayerRun.load(request.session, routine.pk)
    if run is None:
        return None, redirect("progress:player_start", pk=routine.pk)
    if run.is_stopped:
        return None, redirect("progress:player_stopped", pk=routine.pk)
    if not 1 <= number <= run.total:
        raise Http404("No such step in this routine.")
    return run, None
