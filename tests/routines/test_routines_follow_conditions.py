"""Routines follow the person's screening answers: accounts sends `conditions_changed` when the
conditions the answers add up to change, and routines (RoutinesConfig.ready()) re-adapts every
routine the person owns, their own and the copies trainers assigned them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.screening import Tier2
from accounts.services import screening_confirm_unchanged, screening_save
from routines.services import routine_item_keep_original
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
    avoid,
    swap_exercises,
)

pytestmark = pytest.mark.django_db

SAFETY = reverse("accounts:safety")


@pytest.fixture
def lib():
    return swap_exercises()


def answers(**overrides) -> dict:
    return {"no_warning_signs": "on", "no_tier2": "on"} | overrides


def exercises_of(routine) -> list[str]:
    return [item.exercise.name for item in routine.items.order_by("order")]


def test_answering_low_bone_density_adapts_my_routines_and_my_assigned_copies(client, lib):
    link = TrainerClientFactory()
    person = link.client
    own = RoutineFactory(owner=person, exercises=[ExerciseFactory(name="Cat-cow"), lib.childs_pose])
    assigned = assignment_create(link, exercises=[lib.childs_pose]).routine
    client.force_login(person)

    client.post(SAFETY, answers(no_tier2="", tier2_answers=[Tier2.OSTEOPOROSIS]))

    assert exercises_of(own) == ["Cat-cow", "Lying on your elbows"]
    assert exercises_of(assigned) == ["Lying on your elbows"]
    page = client.get(own.get_absolute_url()).content.decode()
    assert "Child&#x27;s pose → Lying on your elbows, because of low bone density." in page


def test_taking_the_condition_back_puts_the_original_back(client, lib):
    person = UserFactory()
    routine = RoutineFactory(owner=person, exercises=[lib.childs_pose])
    client.force_login(person)
    client.post(SAFETY, answers(no_tier2="", tier2_answers=[Tier2.OSTEOPOROSIS]))
    assert exercises_of(routine) == ["Lying on your elbows"]

    client.post(SAFETY, answers())

    item = routine.items.get()
    assert (item.exercise, item.swapped_from, item.swap_reason) == (lib.childs_pose, None, "")


def test_a_new_sore_area_swaps_too_and_other_peoples_routines_are_untouched(lib):
    person, someone_else = UserFactory(), UserFactory()
    mine = RoutineFactory(owner=person, exercises=[lib.childs_pose])
    theirs = RoutineFactory(owner=someone_else, exercises=[lib.childs_pose])

    screening_save(
        user=person,
        warning_signs=[],
        tier2_answers=[],
        pregnancy_week=None,
        surgery_areas=[],
        pain_areas=["hip_knee"],
    )

    assert mine.items.get().swap_reason == "area_hip_knee"
    assert exercises_of(theirs) == ["Child's pose"]


def test_nothing_has_changed_swaps_what_no_longer_suits_a_pregnancy_past_16_weeks(lib):
    lying_on_back = ExerciseFactory(
        name="Foam roller", suitability={"pregnancy_later": avoid(lib.seated.slug)}
    )
    person = UserFactory(
        tier2_answers=[Tier2.PREGNANCY], pregnancy_week=14, screened_at=timezone.now() - timedelta(days=21)
    )
    routine = RoutineFactory(owner=person, exercises=[lying_on_back])

    screening_confirm_unchanged(user=person)  # now week 17

    item = routine.items.get()
    assert (item.exercise, item.swap_reason) == (lib.seated, "pregnancy_later")


def test_an_original_i_kept_stays_kept_when_my_answers_change_for_another_reason(client, lib):
    person = UserFactory()
    routine = RoutineFactory(owner=person, exercises=[lib.childs_pose])
    client.force_login(person)
    client.post(SAFETY, answers(no_tier2="", tier2_answers=[Tier2.OSTEOPOROSIS]))
    assert routine_item_keep_original(item=routine.items.get())

    client.post(SAFETY, answers(no_tier2="", tier2_answers=[Tier2.OSTEOPOROSIS, Tier2.HYPERMOBILITY]))

    item = routine.items.get()
    assert (item.exercise, item.swap_reason, item.kept_original_at is not None) == (
        lib.childs_pose,
        "osteoporosis",
        True,
    )
