"""A person's data as downloads: their sessions and exercise logs as CSV, everything as JSON.

Each `*_chunks(user)` function returns a lazy iterator of bytes for a StreamingHttpResponse, so an
export of years of sessions never sits in memory whole. Rows are read with
`.iterator(chunk_size=CHUNK_SIZE)`; related rows are joined (`select_related`) or prefetched per
chunk, so the number of queries does not grow with the number of sessions (one query per table,
plus one per prefetched table for every CHUNK_SIZE rows).

The selectors filter on the person passed in and nothing else: an export can only ever contain the
data of the person who asks for it.
"""

import csv
import itertools
import json
import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet

from accounts.models import WEEKDAY_NAMES, User
from progress.models import RED_FLAGS, ExerciseLog, SessionLog
from routines.models import Routine, RoutineItem

CHUNK_SIZE = 500  # rows fetched from the database at a time
BUFFER_SIZE = 64 * 1024  # characters gathered before each write to the network

SESSION_COLUMNS = [
    "date",
    "id",
    "started_at",
    "finished_at",
    "routine",
    "minutes",
    "tightness_before",
    "tightness_after",
    "pain",
    *RED_FLAGS,  # one yes/no column each, named after the field
    "stopped_early",
    "stop_reason",
    "notes",
]
EXERCISE_COLUMNS = [
    "session_date",
    "session_id",
    "order",
    "exercise",
    "seconds",
    "reps",
    "skipped",
    "felt",
    "timed",
    "feeling",
]

# A spreadsheet treats a cell that starts with one of these as a formula, so a note such as
# "=HYPERLINK(…)" could run when the file is opened (CSV injection). Such cells get a leading
# apostrophe, which spreadsheets read as "this is text".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- Selectors ----------------------------------------------------------------------------------

# What exercise_log_record reads: only the exercise's name is joined in, not its long texts.
EXERCISE_LOG_FIELDS = (
    "session",
    "order",
    "seconds",
    "reps",
    "skipped",
    "felt",
    "timed",
    "feeling",
    "exercise__name",
)


def sessions_for_export(user: User) -> QuerySet[SessionLog]:
    """The person's sessions, oldest first."""
    return SessionLog.objects.filter(user=user).order_by("started_at", "pk")


def sessions_with_exercises_for_export(user: User) -> QuerySet[SessionLog]:
    exercise_logs = (
        ExerciseLog.objects.select_related("exercise").only(*EXERCISE_LOG_FIELDS).order_by("order")
    )
    return sessions_for_export(user).prefetch_related(Prefetch("exercise_logs", queryset=exercise_logs))


def exercise_logs_for_export(user: User) -> QuerySet[ExerciseLog]:
    """Every exercise the person logged, session by session (oldest first), in order."""
    return (
        ExerciseLog.objects.filter(session__user=user)
        .select_related("session", "exercise")
        .only(*EXERCISE_LOG_FIELDS, "session__local_date")
        .order_by("session__started_at", "session_id", "order")
    )


def routines_for_export(user: User) -> QuerySet[Routine]:
    """The person's own routines (not the starters everyone shares), oldest first."""
    items = RoutineItem.objects.select_related("exercise").order_by("order", "pk")
    return (
        Routine.objects.filter(owner=user)
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("items", queryset=items))
    )


# --- Records: one definition of each row, shared by the CSV and the JSON ---------------------------


def profile_record(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "goals": user.goals,
        "screening": {
            "warning_signs": user.warning_signs,
            "tier2_answers": user.tier2_answers,
            "pregnancy_week": user.pregnancy_week,
            "surgery_areas": user.surgery_areas,
            "pain_areas": user.pain_areas,
            "screened_at": _local_iso(user.screened_at, user.zone),
            "cleared_by_a_clinician_at": _local_iso(user.cleared_at, user.zone),
            "asked_again_because": user.screening_due_reason,
        },
        "weekly_goal_sessions": user.weekly_goal_sessions,
        "weekly_goal_minutes": user.weekly_goal_minutes,
        "date_joined": _local_iso(user.date_joined, user.zone),
        "emails": {
            "reminders": user.reminder_emails,
            "weekly_summary": user.weekly_summary_emails,
            "trainer_digest": user.trainer_digest_emails,
            "safety_alerts": user.alert_emails,
            "weekly_on": WEEKDAY_NAMES[user.weekly_email_weekday],
            "weekly_at": f"{user.weekly_email_time:%H:%M}",
        },
        "reminders": [
            {
                "weekdays": [WEEKDAY_NAMES[day] for day in sorted(schedule.weekdays)],
                "time": f"{schedule.local_time:%H:%M}",
                "routine": schedule.routine.title if schedule.routine else None,
                "enabled": schedule.enabled,
            }
            for schedule in user.reminder_schedules.select_related("routine")
        ],
    }


def routine_record(routine: Routine, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    return {
        "title": routine.title,
        "description": routine.description,
        "visibility": routine.visibility,
        "created_at": _local_iso(routine.created_at, zone),
        "updated_at": _local_iso(routine.updated_at, zone),
        "items": [
            {
                "order": item.order,
                "exercise": item.exercise.name,
                "hold_seconds": item.hold_seconds,
                "reps": item.reps,
                "sets": item.sets,
                "per_side": item.per_side,
                "note": item.note,
            }
            for item in routine.items.all()
        ],
    }


def session_record(session: SessionLog, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """A session's own fields (SESSION_COLUMNS), without its exercises."""
    return {
        "date": session.local_date.isoformat(),
        "id": session.pk,
        "started_at": _local_iso(session.started_at, zone),
        "finished_at": _local_iso(session.finished_at, zone),
        "routine": session.routine_title,
        "minutes": round(session.duration_seconds / 60, 1),
        "tightness_before": session.tightness_before,
        "tightness_after": session.tightness_after,
        "pain": session.pain,
        **{field: getattr(session, field) for field in RED_FLAGS},
        "stopped_early": session.stopped_early,
        "stop_reason": session.stop_reason,
        "notes": session.notes,
    }


def exercise_log_record(log: ExerciseLog) -> dict[str, Any]:
    return {
        "order": log.order,
        "exercise": log.exercise.name,
        "seconds": log.seconds,
        "reps": log.reps,
        "skipped": log.skipped,
        "felt": log.felt,
        "timed": log.timed,  # False: done without the timer and not timed, so `seconds` is 0
        "feeling": log.feeling,
    }


def _local_iso(moment: datetime | None, zone: zoneinfo.ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None


# --- CSV --------------------------------------------------------------------------------------------


def sessions_csv_chunks(user: User) -> Iterator[bytes]:
    zone = user.zone
    records = (
        session_record(session, zone) for session in sessions_for_export(user).iterator(chunk_size=CHUNK_SIZE)
    )
    return _csv_chunks(SESSION_COLUMNS, records)


def exercise_logs_csv_chunks(user: User) -> Iterator[bytes]:
    records = (
        {"session_date": log.session.local_date.isoformat(), "session_id": log.session_id}
        | exercise_log_record(log)
        for log in exercise_logs_for_export(user).iterator(chunk_size=CHUNK_SIZE)
    )
    return _csv_chunks(EXERCISE_COLUMNS, records)


class _Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it.

    Django's "Streaming large CSV files" pattern: `writer.writerow()` returns the formatted line.
    """

    def write(self, value: str) -> str:
        return value


def _csv_chunks(columns: list[str], records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    lines = (writer.writerow([_csv_cell(record[column]) for column in columns]) for record in records)
    # The byte order mark makes Excel read the file as UTF-8 (names and notes keep their accents).
    return _buffered(itertools.chain(["\ufeff", writer.writerow(columns)], lines))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- JSON -------------------------------------------------------------------------------------------


def data_json_chunks(user: User) -> Iterator[bytes]:
    """{"profile": {…}, "routines": [{…, "items": […]}], "sessions": [{…, "exercises": […]}]}."""
    return _buffered(_data_json_pieces(user))


def _data_json_pieces(user: User) -> Iterator[str]:
    zone = user.zone
    routines = (
        routine_record(routine, zone) for routine in routines_for_export(user).iterator(chunk_size=CHUNK_SIZE)
    )
    sessions = (
        session_record(session, zone)
        | {"exercises": [exercise_log_record(log) for log in session.exercise_logs.all()]}
        for session in sessions_with_exercises_for_export(user).iterator(chunk_size=CHUNK_SIZE)
    )
    yield '{"profile": ' + _json(profile_record(user)) + ',\n"routines": ['
    yield from _json_array_items(routines)
    yield '],\n"sessions": ['
    yield from _json_array_items(sessions)
    yield "]}\n"


def _json_array_items(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    for index, record in enumerate(records):
        yield ("\n" if index == 0 else ",\n") + _json(record)


def _json(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


# --- Both -------------------------------------------------------------------------------------------


def _buffered(pieces: Iterable[str]) -> Iterator[bytes]:
    """Gathers the small pieces (a CSV line, a JSON record) into writes of about BUFFER_SIZE.

    One write per row would mean thousands of tiny network writes for a long history.
    """
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= BUFFER_SIZE:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()
