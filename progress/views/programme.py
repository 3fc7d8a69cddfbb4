"""The programme "Upper-back reset, 6 weeks": what it is, starting it on a track, this week's
plan, the rules in plain words, every change with its reason, undoing a step up, stopping."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import HtmxHttpRequest
from progress import programme, progression
from progress.enrolment import ProgrammeError, adjustment_undo, programme_start, programme_stop
from progress.forms import ProgrammeStartForm
from progress.models import Enrolment
from progress.plan import adjustment_history, get_adjustment_for_user, programme_plan, track_overviews


@require_GET
@login_required
def programme_page(request: HtmxHttpRequest) -> HttpResponse:
    return _render(request, ProgrammeStartForm())


def _render(request: HtmxHttpRequest, form: ProgrammeStartForm, status: int = 200) -> HttpResponse:
    plan = programme_plan(request.user)
    past = (
        Enrolment.objects.filter(user=request.user).exclude(status=Enrolment.Status.ACTIVE).first()
        if plan is None
        else None
    )
    context = {
        "plan": plan,
        "past": past,
        "history": adjustment_history(plan.enrolment) if plan else [],
        "form": form,
        "tracks": track_overviews(),
        "title": programme.TITLE,
        "rules": progression,
    }
    return render(request, "progress/programme.html", context, status=status)


@require_POST
@login_required
def programme_start_view(request: HtmxHttpRequest) -> HttpResponse:
    form = ProgrammeStartForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=422)
    try:
        programme_start(user=request.user, track=form.cleaned_data["track"])
    except ProgrammeError as error:
        messages.error(request, str(error))
        return redirect("progress:programme")
    messages.success(request, "Your programme has started. Your session and desk break are in your routines.")
    return redirect("progress:programme")


@require_http_methods(["GET", "POST"])
@login_required
def programme_stop_view(request: HtmxHttpRequest) -> HttpResponse:
    plan = programme_plan(request.user)
    if plan is None:
        return redirect("progress:programme")
    if request.method == "POST":
        programme_stop(enrolment=plan.enrolment)
        messages.success(
            request, "You stopped the programme. Its routines stay in your routines, as they are now."
        )
        return redirect("progress:programme")
    return render(request, "progress/programme_confirm_stop.html", {"plan": plan})


@require_POST
@login_required
def adjustment_undo_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    adjustment = get_adjustment_for_user(request.user, pk)
    if adjustment_undo(adjustment=adjustment):
        messages.success(
            request,
            f"Undone: {adjustment.item.exercise.name if adjustment.item else 'the exercise'} is back where "
            "it was. It moves up again after three more easy sessions.",
        )
    else:
        messages.info(request, "That change cannot be undone any more: the exercise has changed since.")
    return redirect("progress:programme")
