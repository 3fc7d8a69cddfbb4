"""The rules that read the screening's answers (accounts/screening.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.screening import (
    GUIDANCE,
    SCREENING_VALID_DAYS,
    Area,
    ScreeningStatus,
    Tier2,
    WarningSign,
    conditions_for,
    guidance_for,
    pregnancy_week_now,
    screening_status,
    tier2_summary,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def person(**fields):
    return UserFactory.build(**({"screened_at": NOW - timedelta(days=1)} | fields))


def test_someone_who_never_answered_is_due():
    assert screening_status(person(screened_at=None), NOW) == ScreeningStatus.DUE


def test_answers_are_good_for_90_days():
    assert SCREENING_VALID_DAYS == 90
    fresh = person(screened_at=NOW - timedelta(days=89, hours=23))
    stale = person(screened_at=NOW - timedelta(days=90))

    assert screening_status(fresh, NOW) == ScreeningStatus.DONE
    assert screening_status(stale, NOW) == ScreeningStatus.DUE


def test_a_reason_to_ask_again_makes_it_due_at_once():
    assert screening_status(person(screening_due_reason="You reported tingling."), NOW) == ScreeningStatus.DUE


def test_a_warning_sign_not_cleared_means_see_a_clinician_first():
    assert screening_status(person(warning_signs=[WarningSign.CANCER]), NOW) == ScreeningStatus.SEE_CLINICIAN


def test_a_warning_sign_cleared_by_a_clinician_is_done():
    cleared = person(warning_signs=[WarningSign.CANCER], cleared_at=NOW - timedelta(hours=1))

    assert screening_status(cleared, NOW) == ScreeningStatus.DONE


def test_being_due_comes_before_the_clinician():
    stale = person(warning_signs=[WarningSign.CANCER], screened_at=NOW - timedelta(days=100))

    assert screening_status(stale, NOW) == ScreeningStatus.DUE


def test_conditions_are_the_tier_two_answers_and_the_areas_that_hurt_or_had_surgery():
    answers = person(
        tier2_answers=[Tier2.OSTEOPOROSIS, Tier2.SHOULDER_INSTABILITY],
        surgery_areas=[Area.WRIST_HAND],
        pain_areas=[Area.NECK, Area.WRIST_HAND],
    )

    assert conditions_for(answers) == {
        "osteoporosis",
        "shoulder_instability",
        "area_neck",
        "area_wrist_hand",
    }


def test_the_tier_two_values_are_the_library_conditions_of_the_same_name():
    assert set(Tier2.values) == {
        "osteoporosis",
        "pregnancy",
        "hypermobility",
        "inflammatory_arthritis",
        "shoulder_instability",
        "spinal_condition",
    }
    assert set(Area.values) == {"neck", "upper_back", "lower_back", "shoulder", "wrist_hand", "hip_knee"}


def test_pregnancy_from_week_16_adds_the_later_pregnancy_condition(time_machine):
    time_machine.move_to(NOW, tick=False)

    assert conditions_for(person(tier2_answers=[Tier2.PREGNANCY], pregnancy_week=15)) == {"pregnancy"}
    assert conditions_for(person(tier2_answers=[Tier2.PREGNANCY], pregnancy_week=16)) == {
        "pregnancy",
        "pregnancy_later",
    }


def test_the_week_of_pregnancy_counts_on_from_the_answer(time_machine):
    time_machine.move_to(NOW, tick=False)
    answered_three_weeks_ago = person(
        tier2_answers=[Tier2.PREGNANCY], pregnancy_week=14, screened_at=NOW - timedelta(days=21)
    )

    assert pregnancy_week_now(answered_three_weeks_ago) == 17
    assert "pregnancy_later" in conditions_for(answered_three_weeks_ago)
    assert (
        pregnancy_week_now(
            person(tier2_answers=[Tier2.PREGNANCY], pregnancy_week=41), NOW + timedelta(weeks=9)
        )
        == 42
    )


def test_visitors_and_people_not_screened_have_no_conditions():
    assert conditions_for(AnonymousUser()) == set()
    assert conditions_for(UserFactory.build(screened_at=None, tier2_answers=["osteoporosis"])) == set()


def test_every_warning_sign_has_guidance_the_most_urgent_first():
    assert set(GUIDANCE) == set(WarningSign.values)

    ordered = [label for label, _ in guidance_for(list(reversed(WarningSign.values)))]

    assert ordered[:2] == [WarningSign.CHEST_PAIN.label, WarningSign.BLADDER_BOWEL.label]
    assert ordered[-1] == WarningSign.NERVE_CHANGES.label


def test_the_tier_two_summary_reads_as_a_list(time_machine):
    time_machine.move_to(NOW, tick=False)
    answers = person(
        tier2_answers=[Tier2.PREGNANCY, Tier2.HYPERMOBILITY],
        pregnancy_week=20,
        surgery_areas=[Area.SHOULDER],
        pain_areas=[Area.NECK, Area.LOWER_BACK],
    )

    assert tier2_summary(answers) == [
        "Pregnancy, about week 20 now",
        Tier2.HYPERMOBILITY.label,
        "Surgery in the last 12 months: shoulder",
        "Pain now: neck, lower back",
    ]
    assert tier2_summary(person()) == []
