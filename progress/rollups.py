"""Rollups: a person's sessions summed per local day, per assignment and day, and per exercise, so
that the dashboard and the roster read a few hundred small rows instead of every session ever
logged (see docs/architecture.md, "Rollups").

The rule: every write of a session, or of what a session's figures depend on, calls
`rollups_session_changed` in the same transaction, after the write, with the days and exercises
it touched (before and after the change). That recomputes exactly those rows from the raw
sessions: no deltas to drift, and a day's highest pain stays right when its worst session is
deleted. Today those writes are progress.services' (record, player save, manual log, edit,
delete); a bulk write (demo history, bench seeds) calls `rollups_rebuild` for its people, and
`manage.py rollups_rebuild` rebuilds everyone's.

A day is the session's `local_date`: the person's local day in the time zone they had when the
session was recorded or last edited, the day their history shows it under. Changing time zone
moves no past session, so it changes no rollup; editing a session afterwards files it under its
day in the new zone, and both days are recomputed.

Writes of one person are serialised on their user row (SELECT … FOR UPDATE) before the rows are
recomputed, so that two sessions saved at once cannot each recompute a day without the other.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, Sum

from progress.models import (
    PAIN_ALERT_LEVEL,
    AssignmentDayRollup,
    DayRollup,
    ExerciseLog,
    ExerciseRollup,
    SessionLog,
    any_red_flag,
)

REBUILD_CHUNK = 500  # people per aggregate query when rebuilding


def _figures() -> dict:
    """The aggregates of progress.models.DayFigures, over sessions: the one definition of what a
    day's figures mean (progress/migrations/0008_rollups.py keeps its own copy, as they were then)."""
    rated = Q(tightness_before__isnull=False, tightness_after__isnull=False)
    attention = any_red_flag() | Q(pain__gte=PAIN_ALERT_LEVEL)
    return {
        "sessions": Count("id"),
        "duration": Sum(ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())),
        "tightness_before_sum": Sum("tightness_before"),
        "tightness_before_count": Count("tightness_before"),
        "tightness_after_sum": Sum("tightness_after"),
        "tightness_after_count": Count("tightness_after"),
        "rated_sessions": Count("id", filter=rated),
        "relief_sum": Sum(F("tightness_before") - F("tightness_after"), filter=rated),
        "pain_max": Max("pain"),
        "attention_sessions": Count("id", filter=attention),
    }


def _exercise_figures() -> dict:
    """Per exercise, of the rated sessions that included it (not skipped): as what_helps_most
    ranks them, the average relief of its logs and the number of distinct sessions."""
    return {
        "sessions": Count("session", distinct=True),
        "logs": Count("id"),
        "relief_sum": Sum(F("session__tightness_before") - F("session__tightness_after")),
    }


_SUMS_DEFAULT_ZERO = ("tightness_before_sum", "tightness_after_sum", "relief_sum")


def _row(model, keys: dict, figures: dict):
    values = {**figures}
    for name in _SUMS_DEFAULT_ZERO:
        if name in values and values[name] is None:
            values[name] = 0
    return model(**keys, **values)


def _days_recompute(user_id: int, days: set[date]) -> None:
    figures = _figures()
    sessions = SessionLog.objects.filter(user_id=user_id, local_date__in=days).order_by()
    totals = list(sessions.values("local_date").annotate(**figures))
    DayRollup.objects.filter(user_id=user_id, local_date__in=days).delete()
    DayRollup.objects.bulk_create(
        _row(DayRollup, {"user_id": user_id, "local_date": row.pop("local_date")}, row) for row in totals
    )
    shared = list(
        sessions.filter(assignment__isnull=False).values("assignment_id", "local_date").annotate(**figures)
    )
    AssignmentDayRollup.objects.filter(assignment__link__client_id=user_id, local_date__in=days).delete()
    AssignmentDayRollup.objects.bulk_create(
        _row(
            AssignmentDayRollup,
            {"assignment_id": row.pop("assignment_id"), "local_date": row.pop("local_date")},
            row,
        )
        for row in shared
    )


def _exercises_recompute(user_id: int, exercise_ids: set[int]) -> None:
    rows = list(
        ExerciseLog.objects.filter(
            session__user_id=user_id,
            exercise_id__in=exercise_ids,
            skipped=False,
            session__tightness_before__isnull=False,
            session__tightness_after__isnull=False,
        )
        .values("exercise_id")
        .annotate(**_exercise_figures())
        .order_by()
    )
    ExerciseRollup.objects.filter(user_id=user_id, exercise_id__in=exercise_ids).delete()
    ExerciseRollup.objects.bulk_create(
        _row(ExerciseRollup, {"user_id": user_id, "exercise_id": row.pop("exercise_id")}, row) for row in rows
    )


def rollups_session_changed(*, user_id: int, days: Iterable[date], exercise_ids: Iterable[int] = ()) -> None:
    """Recompute a person's rollups of `days` (every day a written session was on, before and
    after the write) and of `exercise_ids` (the exercises of the sessions written). Call in the
    transaction of the write, after it: the rows are recomputed from the sessions as they now are."""
    days, exercise_ids = set(days), set(exercise_ids)
    if not days and not exercise_ids:
        return
    with transaction.atomic():
        # One writer per person at a time: a second save of theirs waits here, then sees the first.
        get_user_model().objects.select_for_update().filter(pk=user_id).exists()
        if days:
            _days_recompute(user_id, days)
        if exercise_ids:
            _exercises_recompute(user_id, exercise_ids)


def session_exercise_ids(session) -> set[int]:
    """The exercises a session's rollups depend on (all its logs: skipping one is part of it)."""
    return set(session.exercise_logs.values_list("exercise_id", flat=True))


def rollups_rebuild(*, user_ids: Iterable[int] | None = None) -> int:
    """Recompute every rollup of these people (everyone's when None) from their sessions, REBUILD_CHUNK
    people per query. Returns the number of people rebuilt."""
    if user_ids is None:
        ids = list(SessionLog.objects.order_by().values_list("user_id", flat=True).distinct())
        with transaction.atomic():
            DayRollup.objects.all().delete()
            AssignmentDayRollup.objects.all().delete()
            ExerciseRollup.objects.all().delete()
    else:
        ids = sorted(set(user_ids))
    figures = _figures()
    for start in range(0, len(ids), REBUILD_CHUNK):
        chunk = ids[start : start + REBUILD_CHUNK]
        with transaction.atomic():
            DayRollup.objects.filter(user_id__in=chunk).delete()
            AssignmentDayRollup.objects.filter(assignment__link__client_id__in=chunk).delete()
            ExerciseRollup.objects.filter(user_id__in=chunk).delete()
            sessions = SessionLog.objects.filter(user_id__in=chunk).order_by()
            DayRollup.objects.bulk_create(
                (
                    _row(DayRollup, {"user_id": row.pop("user_id"), "local_date": row.pop("local_date")}, row)
                    for row in sessions.values("user_id", "local_date").annotate(**figures).iterator()
                ),
                batch_size=2000,
            )
            AssignmentDayRollup.objects.bulk_create(
                (
                    _row(
                        AssignmentDayRollup,
                        {"assignment_id": row.pop("assignment_id"), "local_date": row.pop("local_date")},
                        row,
                    )
                    for row in sessions.filter(assignment__isnull=False)
                    .values("assignment_id", "local_date")
                    .annotate(**figures)
                    .iterator()
                ),
                batch_size=2000,
            )
            ExerciseRollup.objects.bulk_create(
                (
                    _row(
                        ExerciseRollup,
                        {"user_id": row.pop("session__user_id"), "exercise_id": row.pop("exercise_id")},
                        row,
                    )
                    for row in ExerciseLog.objects.filter(
                        session__user_id__in=chunk,
                        skipped=False,
                        session__tightness_before__isnull=False,
                        session__tightness_after__isnull=False,
                    )
                    .values("session__user_id", "exercise_id")
                    .annotate(**_exercise_figures())
                    .order_by()
                    .iterator()
                ),
                batch_size=2000,
            )
    return len(ids)
