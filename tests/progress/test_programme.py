"""The programme end to end at the service level: starting it, each track's sessions, the step up
after three easy sessions and the step back after pain, undoing a step up, a trainer's hold, the
tier-1 pause, and swaps for low bone density."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F

from accounts.screening import Tier2
from progress import programme
from progress.enrolment import ProgrammeError, adjustment_undo, programme_hold, programme_start
from progress.models import Adjustment, Enrolment, ProgrammeRoutine, Track
from progress.plan import programme_plan
from progress.services import ExerciseLogEntry, session_log_record
from routines.models import Exercise
from tests.factories import TrainerFactory, UserFactory

# The library is loaded once for the module (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library_for_the_module")]


def routine_of(enrolment, slot=ProgrammeRoutine.Slot.SESSION):
    return enrolment.routines.get(slot=slot).routine


def log(user, routine, *, pain=0, before=5, after=3, feelings=None, days_ago=0, done=None, **flags):
    """A session of `routine` with every item done (or its first `done`); `feelings` by exercise
    slug."""
    feelings = feelings or {}
    started = datetime.now(UTC) - timedelta(days=days_ago, minutes=20)
    items = list(routine.items.select_related("exercise").order_by("order"))[:done]
    session, _ = session_log_record(
        user=user,
        routine=routine,
        client_token=None,
        started_at=started,
        finished_at=started + timedelta(minutes=15),
        tightness_before=before,
        tightness_after=after,
        pain=pain,
        exercises=[
            ExerciseLogEntry(
                item.exercise_id, 30, item.reps, False, feeling=feelings.get(item.exercise.slug, "")
            )
            for item in items
        ],
        **flags,
    )
    return session


def start(person, track):
    """Started a week ago, so that sessions logged "days ago" come after it."""
    enrolment = programme_start(user=person, track=track)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=datetime.now(UTC) - timedelta(days=7), started_on=F("started_on") - timedelta(days=7)
    )
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def person():
    return UserFactory(time_zone="Europe/London")


def test_every_exercise_the_programme_names_is_in_the_library(library):
    offered = set(Exercise.objects.published().values_list("slug", flat=True))

    assert programme.slugs() <= offered


@pytest.mark.parametrize("track", Track.values)
def test_each_track_builds_a_session_of_10_to_20_minutes_and_a_short_desk_break(library, person, track):
    enrolment = programme_start(user=person, track=track)

    session = routine_of(enrolment)
    desk = routine_of(enrolment, ProgrammeRoutine.Slot.DESK)
    low, high = programme.SESSION_MINUTES
    assert low * 60 <= session.estimated_seconds <= high * 60
    assert desk.estimated_seconds <= 6 * 60
    assert session.owner == person
    assert desk.owner == person


def test_a_second_start_is_refused_while_one_is_under_way(library, person):
    programme_start(user=person, track=Track.MOBILITY_FIRST)

    with pytest.raises(ProgrammeError, match="already under way"):
        programme_start(user=person, track=Track.STRENGTH_LED)


def test_three_easy_pain_free_sessions_step_an_exercise_up_with_the_reason(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)
    squeeze = routine.items.get(exercise__slug="band-row")
    assert (squeeze.sets, squeeze.reps) == (2, 10)

    for days_ago in (4, 2):
        log(person, routine, days_ago=days_ago, feelings={"band-row": "just_right"})
    assert not Adjustment.objects.exists()
    log(person, routine, feelings={"band-row": "too_easy"})

    squeeze.refresh_from_db()
    assert (squeeze.sets, squeeze.reps) == (3, 10)
    step = Adjustment.objects.get(item=squeeze)
    assert step.kind == Adjustment.Kind.UP
    assert step.sentence == "3 × 10 instead of 2 × 10, because your last three sessions were pain-free"
    enrolment.refresh_from_db()
    assert enrolment.steps == routine.items.count() - 1  # the one with no further step stays
    plan = programme_plan(person)
    waiting = [item.next_time for r in plan.routines for item in r.items if item.item.pk == squeeze.pk]
    assert waiting == [step]


def test_a_change_is_next_time_until_a_session_of_its_routine_starts_after_it(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)
    band_row = routine.items.get(exercise__slug="band-row")
    for days_ago in (6, 5, 4):
        log(person, routine, days_ago=days_ago, feelings={"band-row": "too_easy"})
    step = Adjustment.objects.get(item=band_row)
    Adjustment.objects.filter(pk=step.pk).update(created_at=datetime.now(UTC) - timedelta(days=3))

    def next_time():
        plan = programme_plan(person)
        return [
            item.next_time
            for planned in plan.routines
            for item in planned.items
            if item.item.pk == band_row.pk
        ]

    log(person, routine, days_ago=5)  # before the change: played the old dose
    log(person, routine_of(enrolment, ProgrammeRoutine.Slot.DESK))  # after it, but not its routine
    assert next_time() == [step]

    log(person, routine)  # after the change
    assert next_time() == [None]


def test_pain_of_6_steps_every_exercise_of_that_session_back(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)
    squeeze = routine.items.get(exercise__slug="band-row")

    log(person, routine, pain=6)

    squeeze.refresh_from_db()
    assert (squeeze.sets, squeeze.reps) == (2, 8)
    back = Adjustment.objects.get(item=squeeze)
    assert back.kind == Adjustment.Kind.BACK
    assert back.sentence == "2 × 8 instead of 2 × 10, because your last session hurt (pain 6 out of 10)"
    assert Adjustment.objects.filter(kind=Adjustment.Kind.BACK).count() == routine.items.count()


def test_too_hard_steps_back_only_that_exercise(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)

    log(person, routine, pain=1, feelings={"chin-tuck": "too_hard"})

    assert list(Adjustment.objects.values_list("item__exercise__slug", "kind")) == [("chin-tuck", "back")]


def test_a_step_up_can_be_undone_and_needs_three_new_sessions_to_come_back(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)
    for days_ago in (5, 3, 1):
        log(person, routine, days_ago=days_ago)
    squeeze = routine.items.get(exercise__slug="band-row")
    step = Adjustment.objects.get(item=squeeze)

    assert adjustment_undo(adjustment=step) is True

    squeeze.refresh_from_db()
    assert (squeeze.sets, squeeze.reps) == (2, 10)
    step.refresh_from_db()
    assert step.undone_at is not None
    assert not step.can_undo
    assert adjustment_undo(adjustment=step) is False  # a second click changes nothing
    enrolment.refresh_from_db()
    assert enrolment.steps == routine.items.count() - 2
    log(person, routine)
    squeeze.refresh_from_db()
    assert (squeeze.sets, squeeze.reps) == (2, 10)  # one new session, not three


def test_a_trainers_hold_keeps_the_level_but_pain_still_steps_back(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    programme_hold(enrolment=enrolment, trainer=TrainerFactory(), hold=True)
    routine = routine_of(enrolment)

    for days_ago in (5, 3, 1):
        log(person, routine, days_ago=days_ago)
    assert not Adjustment.objects.exists()

    log(person, routine, pain=5)
    assert Adjustment.objects.filter(kind=Adjustment.Kind.BACK).exists()


@pytest.mark.parametrize(
    "warning",
    [
        {"slot": ProgrammeRoutine.Slot.DESK, "pain": 6},
        {
            "slot": ProgrammeRoutine.Slot.SESSION,
            "pain": 2,
            "done": 1,
            "stopped_early": True,
            "arm_pain": True,
        },
        {"slot": ProgrammeRoutine.Slot.SESSION, "pain": 2, "done": 1, "stopped_early": True},
        {"slot": ProgrammeRoutine.Slot.SESSION, "pain": 2, "stopped_early": True},
    ],
    ids=[
        "pain 6 in the desk break",
        "a red flag in a session stopped after its first exercise",
        "a session stopped after its first exercise",
        "a session stopped after its last exercise, with little pain",
    ],
)
def test_pain_a_red_flag_or_a_stop_in_between_breaks_the_run_towards_a_step_up(library, person, warning):
    """An exercise the warning session did not include (or included, when the person pressed
    "Stop: something feels wrong") must not step up over it."""
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)
    log(person, routine, days_ago=5)
    log(person, routine, days_ago=4)
    warning = dict(warning)
    slot = warning.pop("slot")
    log(person, routine_of(enrolment, slot), days_ago=3, **warning)

    log(person, routine, days_ago=2)

    row = routine.items.get(exercise__slug="band-row")
    assert (row.sets, row.reps) == (2, 10)
    assert not Adjustment.objects.filter(kind=Adjustment.Kind.UP).exists()
    log(person, routine, days_ago=1)
    log(person, routine)  # three easy sessions after the warning: now it moves up
    row.refresh_from_db()
    assert (row.sets, row.reps) == (3, 10)


def test_tightness_worse_after_a_session_does_not_count_towards_a_step_up(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)

    for days_ago in (5, 3, 1):
        log(person, routine, days_ago=days_ago, before=3, after=5)

    assert not Adjustment.objects.exists()


def test_a_person_with_low_bone_density_gets_the_programme_with_swaps(library):
    person = UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS])

    enrolment = start(person, Track.MOBILITY_FIRST)

    routine = routine_of(enrolment)
    slugs = list(routine.items.values_list("exercise__slug", flat=True))
    assert "childs-pose" not in slugs
    swapped = routine.items.get(swapped_from__slug="childs-pose")
    assert swapped.exercise.unsuitable_for({"osteoporosis"}) is None
    assert swapped.swap_reason == "osteoporosis"


def test_a_tier_1_answer_pauses_stepping_up(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)
    for days_ago in (5, 3):
        log(person, routine, days_ago=days_ago)
    person.warning_signs = ["night_pain"]
    person.cleared_at = None
    person.save()

    log(person, routine)

    assert not Adjustment.objects.filter(kind=Adjustment.Kind.UP).exists()
    assert programme_plan(person).paused


def test_sessions_of_other_routines_change_nothing(library, person, log_session):
    start(person, Track.MOBILITY_STRENGTH)
    squeeze = Exercise.objects.get(slug="band-row")

    for days_ago in (5, 3, 1):
        log_session(person, datetime.now(UTC).date() - timedelta(days=days_ago), exercises=[squeeze])

    assert not Adjustment.objects.exists()
    assert Enrolment.objects.get().week == 1


def test_pain_logged_for_a_time_before_the_last_step_up_still_steps_back(library, person):
    enrolment = start(person, Track.MOBILITY_STRENGTH)
    routine = routine_of(enrolment)
    for days_ago in (5, 3, 1):
        log(person, routine, days_ago=days_ago)
    row = routine.items.get(exercise__slug="band-row")
    row.refresh_from_db()
    assert (row.sets, row.reps) == (3, 10)

    log(person, routine, days_ago=2, pain=6)  # remembered late: logged now, for two days ago

    row.refresh_from_db()
    assert (row.sets, row.reps) == (2, 10)
