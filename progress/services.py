"""Writes of session logs: from the player, logged by hand, corrected and deleted."""

import uuid
from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from accounts.services import screening_ask_again, user_dashboard_changed
from progress.enrolment import programme_session_logged
from progress.models import RED_FLAGS, ExerciseLog, SessionLog
from progress.player import NOT_REACHED, PlayerRun
from progress.rollups import rollups_session_changed, session_exercise_ids
from progress.selectors import session_of_player_run
from progress.signals import session_needs_attention
from routines.models import Exercise, Routine


@dataclass(frozen=True)
class ExerciseLogEntry:
    exercise_id: int
    seconds: int
    reps: int
    skipped: bool
    _: KW_ONLY  # the optional parts by name, so that one is never taken for the other
    timed: bool = True  # False: done without the timer, so `seconds` is 0
    feeling: str = ""  # "How did that feel?" (models.Feeling), empty when not said


def session_log_record(
    *,
    user,
    routine,
    client_token: uuid.UUID | None,
    started_at: datetime,
    finished_at: datetime,
    tightness_before: int | None,
    tightness_after: int | None,
    pain: int | None,
    notes: str = "",
    exercises: list[ExerciseLogEntry],
    stopped_early: bool = False,
    stop_reason: str = "",
    **red_flags: bool,
) -> tuple[SessionLog, bool]:
    """Record a session and its exercises. Returns (session, created).

    `red_flags`: the red-flag symptoms reported, by field (`tingling=True`; see RED_FLAGS); those
    not given were not reported. `stopped_early`: ended with the player's "Stop: something feels
    wrong", and `stop_reason` what made the person stop, in their words.

    With a client_token, a repeat (double click, resubmitted form, retry after a timeout) returns
    the session already recorded instead of adding a second one; the unique constraint settles a
    race between two simultaneous requests.
    """
    if unknown := red_flags.keys() - RED_FLAGS.keys():
        raise TypeError(f"Not red-flag fields: {', '.join(sorted(unknown))}")
    if client_token is not None:
        existing = session_of_player_run(user, client_token)
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            session = SessionLog.objects.create(
                user=user,
                routine=routine,
                # A trainer's assignment (its routine's reverse one-to-one): the session is shared
                # with that trainer (coaching.models.Assignment).
                assignment=getattr(routine, "assignment", None) if routine else None,
                routine_title=routine.title if routine else "",
                client_token=client_token,
                started_at=started_at,
                finished_at=max(finished_at, started_at),
                local_date=started_at.astimezone(user.zone).date(),
                tightness_before=tightness_before,
                tightness_after=tightness_after,
                pain=pain,
                notes=notes,
                stopped_early=stopped_early,
                stop_reason=stop_reason,
                **red_flags,
            )
            ExerciseLog.objects.bulk_create(
                ExerciseLog(
                    session=session,
                    exercise_id=entry.exercise_id,
                    order=order,
                    seconds=entry.seconds,
                    reps=entry.reps,
                    skipped=entry.skipped,
                    timed=entry.timed,
                    feeling="" if entry.skipped else entry.feeling,
                )
                for order, entry in enumerate(exercises, start=1)
            )
            rollups_session_changed(
                user_id=user.pk,
                days={session.local_date},
                exercise_ids={entry.exercise_id for entry in exercises},
            )
    except IntegrityError:
        if client_token is None:
            raise
        return SessionLog.objects.get(user=user, client_token=client_token), False
    user_dashboard_changed(user=user)
    # A session of the programme moves its exercises on (or back), by progress.progression's rules.
    programme_session_logged(session=session)
    if session.needs_attention:
        screening_ask_again_after(session=session)
        session_needs_attention.send(sender=SessionLog, session=session)
    return session, True


def player_run_save(
    *,
    user,
    routine: Routine,
    run: PlayerRun,
    tightness_after: int | None,
    pain: int | None,
    notes: str = "",
    stop_reason: str = "",
    feelings: dict[int, str] | None = None,
    **red_flags: bool,
) -> tuple[SessionLog, bool]:
    """Log a run of the player, finished now or when it was stopped: each exercise as the run
    recorded it, those not reached as skipped, and those removed from the routine since the run
    started left out. A stopped run is saved as stopped early, with `stop_reason`. `feelings`:
    "How did that feel?" by routine item id.
    Saving the same run again returns the session already recorded (the run's token)."""
    items = run.items()
    feelings = feelings or {}
    exercises = []
    for item_id in run.item_ids:
        item = items.get(item_id)
        if item is None:
            continue
        result = run.result_for(item_id) or NOT_REACHED
        exercises.append(
            ExerciseLogEntry(
                item.exercise_id,
                result.seconds,
                result.reps,
                result.skipped,
                timed=result.timed,
                feeling=feelings.get(item_id, ""),
            )
        )
    return session_log_record(
        user=user,
        routine=routine,
        client_token=run.client_token,
        started_at=run.started,
        finished_at=run.finished,
        tightness_before=run.tightness_before,
        tightness_after=tightness_after,
        pain=pain,
        notes=notes,
        exercises=exercises,
        stopped_early=run.is_stopped,
        stop_reason=stop_reason,
        **red_flags,
    )


def session_log_record_manual(
    *,
    user,
    routine: Routine | None,
    exercises: Iterable[Exercise],
    started_at: datetime,
    finished_at: datetime,
    notes: str = "",
    feelings: dict[int, str] | None = None,
    **ratings_and_flags,
) -> SessionLog:
    """A session done away from the app, logged afterwards: a routine's items, or else a free
    pick of exercises, each counted as done at its planned dose (routines.models.Dose).
    `feelings`: "How did that feel?" by routine item id."""
    feelings = feelings or {}
    planned = (
        [
            (item.exercise_id, item.dose, feelings.get(item.pk, ""))
            for item in routine.items.order_by("order", "pk")
        ]
        if routine is not None
        else [(exercise.pk, exercise.dose, "") for exercise in exercises]
    )
    session, _ = session_log_record(
        user=user,
        routine=routine,
        client_token=None,
        started_at=started_at,
        finished_at=finished_at,
        notes=notes,
        exercises=[
            ExerciseLogEntry(pk, dose.seconds, dose.reps, False, feeling=feeling)
            for pk, dose, feeling in planned
        ],
        **ratings_and_flags,
    )
    return session


def session_log_update(
    *, session: SessionLog, started_at: datetime, finished_at: datetime, **fields
) -> SessionLog:
    """Correct when a session happened and how it felt. Its exercises stay as they were logged.
    A red flag or high pain added now alerts the trainer, as when it is first logged."""
    needed_attention = session.needs_attention
    day_before = session.local_date
    session.started_at = started_at
    session.finished_at = finished_at
    session.local_date = started_at.astimezone(session.user.zone).date()
    for name, value in fields.items():
        setattr(session, name, value)
    with transaction.atomic():
        session.save()
        rollups_session_changed(
            user_id=session.user_id,
            days={day_before, session.local_date},
            exercise_ids=session_exercise_ids(session),
        )
    user_dashboard_changed(user=session.user)
    if session.needs_attention and not needed_attention:
        screening_ask_again_after(session=session)
        session_needs_attention.send(sender=SessionLog, session=session)
    return session


def screening_ask_again_after(*, session: SessionLog) -> None:
    """High pain or a red flag in a session: the safety questions are asked again before the next
    routine, saying which session and what was reported."""
    reported = [f"pain of {session.pain} out of 10"] if session.pain_is_high else []
    reported += [label.lower() for label in session.red_flags]
    what = reported[0] if len(reported) == 1 else f"{', '.join(reported[:-1])} and {reported[-1]}"
    day = session.local_date
    screening_ask_again(
        user=session.user, reason=f"You reported {what} after your session on {day.day} {day:%B}."
    )


def session_log_delete(*, session: SessionLog) -> None:
    with transaction.atomic():
        exercise_ids = session_exercise_ids(session)
        session.delete()
        rollups_session_changed(user_id=session.user_id, days={session.local_date}, exercise_ids=exercise_ids)
    user_dashboard_changed(user=session.user)
