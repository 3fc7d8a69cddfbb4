"""The offline player's data: a routine as the player shows it, for static/js/offline-player.js to
play with no network, and the log it sends back when the network returns.

The data is the person's own routine, already adapted to their screening (its items are the
swapped ones), with the words of the player's pages rendered from the same templates (the dose,
the swap note, the screening warning, the stop page's emergency advice), the red-flag questions
(progress.models.RED_FLAGS) and which guidance each answer leads to, with the session page's
"Stop stretching for now and get advice" rendered with every guidance and the whole safety net:
the device keeps the parts that fit what was reported, so it says what the session page will
say, in its words.

The log comes back as a run of the player (`PlayerRun`, never kept in the session) and is saved by
`player_run_save`, keyed by the run's token: sending it twice records one session.
"""

from dataclasses import asdict
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from progress.models import (
    CALL_EMERGENCY,
    HIGH_PAIN,
    PAIN_ALERT_LEVEL,
    RED_FLAG_GUIDANCE,
    RED_FLAGS,
    Feeling,
    guidance_for,
    red_flags_reported,
    safety_net,
)
from progress.player import GET_READY, ExerciseResult, PlayerRun
from routines.models import Routine, RoutineItem

PACK_FORMAT = 3  # bumped when offline-player.js can no longer read packs saved before

# Where offline-player.js writes what was reported ("dizziness or feeling faint and pain of 8 out
# of 10") in the pack's "Stop stretching for now and get advice".
REPORTED_SLOT = mark_safe("<span data-reported></span>")


def _seek_help_html(request: HttpRequest, *, stopped: bool) -> str:
    """The session page's "Stop stretching for now and get advice" (_stop_and_seek_help.html) for
    any answers: every guidance (`data-guidance`, its rank) and the whole safety net (`data-flag`),
    for the device to take out what does not fit what was reported, and the reported slot."""
    session = {
        "red_flags_reported": REPORTED_SLOT,
        "stopped_early": stopped,
        "guidance": guidance_for(RED_FLAGS, PAIN_ALERT_LEVEL),
        "safety_net": safety_net([]),
    }
    html = render_to_string("progress/_stop_and_seek_help.html", {"session": session}, request=request)
    return html.strip()


def routine_offline_pack(request: HttpRequest, routine: Routine) -> dict:
    """Everything the offline player shows for `routine`, as JSON-ready data."""
    items = routine.items.order_by("order", "pk").select_related("exercise", "swapped_from")
    items = items.prefetch_related("exercise__steps")
    return {
        "format": PACK_FORMAT,
        "saved_at": timezone.now().isoformat(),
        "time_scale": settings.PLAYER_TIME_SCALE,
        "routine": {
            "id": routine.pk,
            "title": routine.title,
            "url": routine.get_absolute_url(),
            "play_url": reverse("progress:player_start", args=[routine.pk]),
            "save_url": reverse("progress:player_offline_save", args=[routine.pk]),
        },
        "items": [_item(request, item) for item in items],
        "red_flags": [
            {"field": field, "label": label, "guidance": RED_FLAG_GUIDANCE[field].rank}
            for field, label in RED_FLAGS.items()
        ],
        "high_pain": {
            "level": PAIN_ALERT_LEVEL,
            "guidance": HIGH_PAIN.rank,
            # Each high rating as "You reported …" says it ("Pain of 8 out of 10").
            "reported": {pain: red_flags_reported([], pain) for pain in range(PAIN_ALERT_LEVEL, 11)},
        },
        # After a red flag or high pain, stopped or not: the session page's guidance.
        "seek_help_html": {
            "stopped": _seek_help_html(request, stopped=True),
            "finished": _seek_help_html(request, stopped=False),
        },
        # Before the stop page's questions: the emergency advice first, in the stop page's words.
        "stopped_advice_html": render_to_string(
            "progress/_stopped_advice.html", {"emergency": CALL_EMERGENCY}, request=request
        ).strip(),
        "feelings": [{"value": value, "label": label} for value, label in Feeling.choices],
        # After a stop that reported nothing needing attention: the session page's own words.
        "stopped_early_html": render_to_string(
            "progress/_stopped_early.html", {"session": {"safety_net": safety_net([])}}, request=request
        ).strip(),
    }


def _item(request: HttpRequest, item: RoutineItem) -> dict:
    exercise = item.exercise
    context = {"item": item, "exercise": exercise, "request": request}
    return {
        "id": item.pk,
        "name": exercise.name,
        "dose": render_to_string("progress/_step_dose.html", context).strip(),
        # The swap note and the screening warning, as the player's step page shows them.
        "notes_html": render_to_string("progress/_offline_item_notes.html", context, request=request).strip(),
        "timeline": [asdict(phase) for phase in [GET_READY, *item.timeline()]],
        "dose_seconds": item.dose.seconds,
        # The safety panel and the steps, as the step page renders them: one set of words, and a
        # partner stretch keeps its "talk throughout" cue and pressure scale.
        "safety_html": render_to_string("progress/_safety_panel.html", context).strip(),
        "body_html": render_to_string("progress/_step_body.html", context).strip(),
    }


def offline_run(
    *,
    routine: Routine,
    token: str,
    started_at: datetime,
    finished_at: datetime,
    stopped: bool,
    tightness_before: int | None,
    item_ids: list[int],
    results: dict[int, dict],
) -> PlayerRun:
    """A run played offline, as the player would have kept it: each exercise's result by the
    player's own rule (`ExerciseResult.of_step`: never more than the planned dose), items no longer
    in the routine left out."""
    run = PlayerRun(
        routine_id=routine.pk,
        token=token,
        started_at=started_at.isoformat(),
        tightness_before=tightness_before,
        item_ids=item_ids,
        finished_at=finished_at.isoformat(),
        stopped_at=finished_at.isoformat() if stopped else None,
    )
    items = run.items()
    run.item_ids = [item_id for item_id in item_ids if item_id in items]
    for item_id, result in results.items():
        item = items.get(item_id)
        if item is None:
            continue
        run.results[str(item_id)] = asdict(
            ExerciseResult.of_step(
                item, skipped=result["skipped"], seconds=result["seconds"], time_on_step=item.dose.seconds
            )
        )
    return run
