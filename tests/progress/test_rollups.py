"""The rollups (progress.rollups) always equal a recomputation from the raw sessions: after any
history of sessions recorded, edited and deleted, time-zone changes, days when the clocks change,
and an assignment deleted under its sessions; and after `manage.py rollups_rebuild`."""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.services import user_profile_update
from progress.models import (
    PAIN_ALERT_LEVEL,
    RED_FLAGS,
    AssignmentDayRollup,
    DayRollup,
    ExerciseLog,
    ExerciseRollup,
    SessionLog,
)
from progress.rollups import rollups_rebuild
from progress.services import ExerciseLogEntry, session_log_delete, session_log_record, session_log_update
from routines.services import routine_delete
from tests.factories import ExerciseFactory, TrainerClientFactory, assignment_create

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Three days around each change of the clocks in 2026: the US (8 March, 1 November) and Europe
# (29 March, 25 October); Lord Howe moves by half an hour (5 April, 4 October).
DST_WINDOWS = [
    datetime(2026, 3, 7, tzinfo=UTC),
    datetime(2026, 3, 28, tzinfo=UTC),
    datetime(2026, 4, 4, tzinfo=UTC),
    datetime(2026, 10, 3, tzinfo=UTC),
    datetime(2026, 10, 24, tzinfo=UTC),
    datetime(2026, 10, 31, tzinfo=UTC),
]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Apia"]
FLAGS = list(RED_FLAGS)

instants = st.builds(
    lambda window, minutes: window + timedelta(minutes=minutes),
    st.sampled_from(DST_WINDOWS),
    st.integers(0, 3 * 24 * 60),
)
ratings = st.one_of(st.none(), st.integers(0, 10))
flags = st.sets(st.sampled_from(FLAGS), max_size=2)
how_it_felt = st.fixed_dictionaries(
    {"tightness_before": ratings, "tightness_after": ratings, "pain": ratings, "flags": flags}
)
record = st.tuples(
    st.just("record"),
    instants,
    st.integers(0, 90),  # minutes
    how_it_felt,
    st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=5),  # (exercise, skipped)
    st.booleans(),  # of the trainer's assignment
)
edit = st.tuples(st.just("edit"), st.integers(0, 50), instants, st.integers(0, 90), how_it_felt)
delete = st.tuples(st.just("delete"), st.integers(0, 50))
zone = st.tuples(st.just("zone"), st.sampled_from(ZONES))
drop_assignment = st.tuples(st.just("drop_assignment"))
histories = st.lists(st.one_of(record, record, edit, delete, zone, drop_assignment), min_size=1, max_size=14)


def _felt(felt: dict) -> dict:
    return {
        "tightness_before": felt["tightness_before"],
        "tightness_after": felt["tightness_after"],
        "pain": felt["pain"],
        **{flag: flag in felt["flags"] for flag in FLAGS},
    }


def history_apply(history, *, link, exercises) -> None:
    user = link.client
    assignment = assignment_create(link)
    for step in history:
        sessions = list(SessionLog.objects.filter(user=user).order_by("pk"))
        match step:
            case ("record", started, minutes, felt, picks, shared):
                routine = assignment.routine if shared and assignment is not None else None
                session_log_record(
                    user=user,
                    routine=routine,
                    client_token=None,
                    started_at=started,
                    finished_at=started + timedelta(minutes=minutes, seconds=7),
                    exercises=[ExerciseLogEntry(exercises[i].pk, 30, 1, skipped) for i, skipped in picks],
                    **_felt(felt),
                )
            case ("edit", which, started, minutes, felt) if sessions:
                session = sessions[which % len(sessions)]
                session.user = user  # as the view has it: the person as they are now
                session_log_update(
                    session=session,
                    started_at=started,
                    finished_at=started + timedelta(minutes=minutes),
                    **_felt(felt),
                )
            case ("delete", which) if sessions:
                session_log_delete(session=sessions[which % len(sessions)])
            case ("zone", name):
                user_profile_update(user=user, display_name=user.display_name, time_zone=name, goals=[])
            case ("drop_assignment",) if assignment is not None:
                routine_delete(routine=assignment.routine)  # its sessions stay, no longer shared
                assignment = None


def recomputed(user) -> tuple[dict, dict, dict]:
    """The rollups, computed here in Python from the raw sessions, independently of progress.rollups."""

    def empty() -> dict:
        return {
            "sessions": 0,
            "duration": timedelta(0),
            "tightness_before_sum": 0,
            "tightness_before_count": 0,
            "tightness_after_sum": 0,
            "tightness_after_count": 0,
            "rated_sessions": 0,
            "relief_sum": 0,
            "pain_max": None,
            "attention_sessions": 0,
        }

    days, shared = defaultdict(empty), defaultdict(empty)
    for session in SessionLog.objects.filter(user=user):
        targets = [days[session.local_date]]
        if session.assignment_id:
            targets.append(shared[(session.assignment_id, session.local_date)])
        for day in targets:
            day["sessions"] += 1
            day["duration"] += session.finished_at - session.started_at
            if session.tightness_before is not None:
                day["tightness_before_sum"] += session.tightness_before
                day["tightness_before_count"] += 1
            if session.tightness_after is not None:
                day["tightness_after_sum"] += session.tightness_after
                day["tightness_after_count"] += 1
            if session.tightness_before is not None and session.tightness_after is not None:
                day["rated_sessions"] += 1
                day["relief_sum"] += session.tightness_before - session.tightness_after
            if session.pain is not None:
                day["pain_max"] = max(day["pain_max"] or 0, session.pain)
            if session.red_flag_fields or (session.pain or 0) >= PAIN_ALERT_LEVEL:
                day["attention_sessions"] += 1
    per_exercise = defaultdict(lambda: {"sessions": set(), "logs": 0, "relief_sum": 0})
    logs = ExerciseLog.objects.filter(
        session__user=user,
        skipped=False,
        session__tightness_before__isnull=False,
        session__tightness_after__isnull=False,
    ).select_related("session")
    for log in logs:
        figures = per_exercise[log.exercise_id]
        figures["sessions"].add(log.session_id)
        figures["logs"] += 1
        figures["relief_sum"] += log.session.tightness_before - log.session.tightness_after
    exercises = {
        exercise_id: {**figures, "sessions": len(figures["sessions"])}
        for exercise_id, figures in per_exercise.items()
    }
    return dict(days), dict(shared), exercises


def stored(user) -> tuple[dict, dict, dict]:
    names = [
        "sessions",
        "duration",
        "tightness_before_sum",
        "tightness_before_count",
        "tightness_after_sum",
        "tightness_after_count",
        "rated_sessions",
        "relief_sum",
        "pain_max",
        "attention_sessions",
    ]
    days = {
        row["local_date"]: row for row in DayRollup.objects.filter(user=user).values("local_date", *names)
    }
    shared = {
        (row["assignment_id"], row["local_date"]): row
        for row in AssignmentDayRollup.objects.filter(assignment__link__client=user).values(
            "assignment_id", "local_date", *names
        )
    }
    exercises = {
        row["exercise_id"]: row
        for row in ExerciseRollup.objects.filter(user=user).values(
            "exercise_id", "sessions", "logs", "relief_sum"
        )
    }
    for rows, keys in (
        (days, ("local_date",)),
        (shared, ("assignment_id", "local_date")),
        (exercises, ("exercise_id",)),
    ):
        for row in rows.values():
            for key in keys:
                del row[key]
    return days, shared, exercises


@pytest.fixture
def exercises():
    """Four exercises, made once for all the examples of a test: the rollups are each person's,
    and each example has a person of its own."""
    return ExerciseFactory.create_batch(4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories)
def test_rollups_equal_a_recomputation_from_the_sessions(exercises, history):
    link = TrainerClientFactory()  # a new person for each example: earlier examples' rows stay apart

    history_apply(history, link=link, exercises=exercises)

    assert stored(link.client) == recomputed(link.client)
    rollups_rebuild(user_ids=[link.client.pk])
    assert stored(link.client) == recomputed(link.client)


def test_a_time_zone_change_moves_no_past_day(log_session):
    link = TrainerClientFactory(client__time_zone="Asia/Tokyo")
    person = link.client
    session = log_session(person, datetime(2026, 3, 29).date(), at=datetime(2026, 1, 1, 8).time())

    user_profile_update(
        user=person, display_name=person.display_name, time_zone="America/Los_Angeles", goals=[]
    )

    assert list(DayRollup.objects.filter(user=person).values_list("local_date", flat=True)) == [
        session.local_date
    ]


def test_the_rebuild_command_restores_rollups_deleted_by_hand(log_session, capsys):
    person = TrainerClientFactory().client
    log_session(person, datetime(2026, 3, 29).date())
    before = stored(person)
    DayRollup.objects.filter(user=person).delete()

    call_command("rollups_rebuild")

    assert stored(person) == before == recomputed(person)
    assert "Rollups rebuilt for" in capsys.readouterr().out
