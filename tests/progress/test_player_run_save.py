"""Saving a run of the guided player as a session (progress.services.player_run_save)."""

import pytest

from progress.models import SessionLog
from progress.player import ExerciseResult, PlayerRun
from progress.services import player_run_save
from routines.services import routine_item_remove
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(time_zone="Europe/London")


@pytest.fixture
def routine(person):
    exercises = [
        ExerciseFactory(name="Chin tuck", hold_seconds=5, reps=8, sets=1),
        ExerciseFactory(name="Doorway stretch", hold_seconds=30, reps=2, sets=1, per_side=True),
        ExerciseFactory(name="Cat-cow", hold_seconds=5, reps=10, sets=2),
    ]
    return RoutineFactory(owner=person, title="Desk break", exercises=exercises)


def save(person, routine, run, **ratings):
    return player_run_save(user=person, routine=routine, run=run, tightness_after=3, pain=1, **ratings)


def logs(session: SessionLog) -> list[tuple]:
    return [
        (log.exercise.name, log.seconds, log.reps, log.skipped)
        for log in session.exercise_logs.select_related("exercise").order_by("order")
    ]


def test_a_run_is_logged_as_recorded_with_the_exercises_not_reached_as_skipped(person, routine):
    run = PlayerRun.start({}, routine, tightness_before=7)
    chin_tuck, doorway, _ = routine.items.order_by("order")
    run.record(chin_tuck, ExerciseResult.of_step(chin_tuck, skipped=False, seconds=38, time_on_step=600))
    run.record(
        doorway,
        ExerciseResult.of_step(doorway, skipped=False, seconds=None, held_full_time=True, time_on_step=600),
    )

    session, created = save(person, routine, run, notes="Looser", tingling=True)

    assert created
    assert (session.routine, session.tightness_before, session.tightness_after, session.pain) == (
        routine,
        7,
        3,
        1,
    )
    assert (session.notes, session.tingling, session.started_at) == ("Looser", True, run.started)
    assert logs(session) == [
        ("Chin tuck", 38, 8, False),  # the timer's count
        ("Doorway stretch", 4 * 30, 2, False),  # no timer, "held the full time": the dose, both sides
        ("Cat-cow", 0, 0, True),  # never reached
    ]


def test_an_exercise_removed_from_the_routine_since_the_run_started_is_left_out(person, routine):
    run = PlayerRun.start({}, routine, tightness_before=5)
    routine_item_remove(item=routine.items.get(exercise__name="Doorway stretch"))

    session, _ = save(person, routine, run)

    assert [name for name, *_ in logs(session)] == ["Chin tuck", "Cat-cow"]


def test_saving_the_same_run_twice_records_one_session(person, routine):
    run = PlayerRun.start({}, routine, tightness_before=5)

    first, first_created = save(person, routine, run)
    second, second_created = save(person, routine, run, notes="A second click")

    assert (first_created, second_created) == (True, False)
    assert first == second
    assert SessionLog.objects.get().notes == ""


def test_a_stopped_run_is_saved_as_stopped_early_ending_when_stop_was_pressed(person, routine, time_machine):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    run = PlayerRun.start({}, routine, tightness_before=6)
    chin_tuck, doorway, _ = routine.items.order_by("order")
    run.record(chin_tuck, ExerciseResult.of_step(chin_tuck, skipped=False, seconds=40, time_on_step=60))
    time_machine.move_to("2026-11-26 09:03:00+00:00", tick=False)
    run.stop(doorway, seconds=14)
    run.stop(doorway, seconds=40)  # a second press changes nothing
    time_machine.move_to("2026-11-26 09:30:00+00:00", tick=False)

    session, _ = player_run_save(
        user=person,
        routine=routine,
        run=run,
        tightness_after=None,
        pain=3,
        stop_reason="Felt dizzy",
        dizziness=True,
    )

    assert (session.stopped_early, session.stop_reason, session.dizziness) == (True, "Felt dizzy", True)
    assert session.finished_at.isoformat() == "2026-11-26T09:03:00+00:00"
    assert logs(session) == [
        ("Chin tuck", 8 * 5, 8, False),
        ("Doorway stretch", 14, 0, True),  # under way when stopped
        ("Cat-cow", 0, 0, True),
    ]
