"""The offline player (static/js/offline-player.js): its page, a routine's data for it, and the
log it sends when the network returns. See progress/offline.py and docs/architecture.md,
"Offline"."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST, require_safe

from accounts.decorators import screening_required
from accounts.http import HtmxHttpRequest
from progress.forms import PlayerFinishForm, PlayerOfflineRunForm, PlayerStopQuestionsForm
from progress.offline import offline_run, routine_offline_pack
from progress.services import player_run_save
from routines.selectors import get_routine_for_user


@require_safe
def player_offline(request: HtmxHttpRequest) -> HttpResponse:
    """The offline player's page. The service worker keeps it (fetched without cookies: it holds
    nothing of anyone's) and shows it for any page of the player when there is no network; the
    routine comes from the device (IndexedDB)."""
    return render(request, "progress/player_offline.html")


@require_GET
@login_required
@screening_required
def player_offline_pack(request: HtmxHttpRequest, pk: int) -> JsonResponse:
    """A routine for the offline player: "Keep available offline", or a routine just played."""
    routine = get_routine_for_user(request.user, pk)
    response = JsonResponse(routine_offline_pack(request, routine))
    response["Cache-Control"] = "private, no-store"  # kept in IndexedDB, per account, not the HTTP cache
    return response


@require_POST
@login_required
def player_offline_save(request: HtmxHttpRequest, pk: int) -> JsonResponse:
    """The log of a run played offline. Not behind the screening gate, as the stop page is not:
    a log saying something felt wrong must always reach the server (and the trainer's alert)."""
    routine = get_routine_for_user(request.user, pk)
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"errors": {"__all__": ["The log is not readable."]}}, status=400)
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return JsonResponse({"errors": {"__all__": ["The log is not readable."]}}, status=400)
    run_form = PlayerOfflineRunForm(
        {name: _form_value(data.get(name)) for name in PlayerOfflineRunForm.base_fields}
    )
    if not run_form.is_valid():
        return JsonResponse({"errors": run_form.errors}, status=422)
    run = offline_run(routine=routine, token=str(run_form.cleaned_data["token"]), **_run_values(run_form))
    answers = {name: _form_value(value) for name, value in data["answers"].items()} | {"token": run.token}
    if run.is_stopped:
        form = PlayerStopQuestionsForm(answers)
    else:
        form = PlayerFinishForm(answers, exercises=run.done_exercises(run.items()))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=422)
    session, created = player_run_save(user=request.user, routine=routine, run=run, **form.run_values())
    saved = {"session_url": session.get_absolute_url(), "created": created}
    return JsonResponse(saved, status=201 if created else 200)


def _run_values(form: PlayerOfflineRunForm) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name != "token"}


def _form_value(value):
    """A JSON value as a form field reads it: true/false as a checkbox sends them, lists and
    objects as JSON (for PlayerOfflineRunForm's JSONFields), numbers as text."""
    if value is True:
        return "on"
    if value is False or value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)
