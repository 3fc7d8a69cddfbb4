import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.screening import (
    CONDITION_KEYWORDS,
    Condition,
    conditions_for,
    conditions_mentioned,
    pregnancy_conditions,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_tier2_answers_pregnancy_and_sore_or_operated_areas_become_conditions():
    person = UserFactory(
        tier2_answers=["osteoporosis", "pregnancy"],
        pregnancy_week=20,
        pain_areas=["neck"],
        surgery_areas=["shoulder"],
    )

    assert conditions_for(person) == {
        "osteoporosis",
        "pregnancy",
        "pregnancy_later",
        "area_neck",
        "area_shoulder",
    }


def test_a_visitor_and_an_unscreened_person_have_no_conditions():
    assert conditions_for(AnonymousUser()) == set()
    assert conditions_for(UserFactory(screened_at=None, tier2_answers=["osteoporosis"])) == set()


@pytest.mark.parametrize(
    ("week", "conditions"),
    [(10, {"pregnancy"}), (16, {"pregnancy", "pregnancy_later"}), (None, {"pregnancy", "pregnancy_later"})],
)
def test_pregnancy_counts_as_later_from_about_16_weeks_or_when_the_week_is_unknown(week, conditions):
    assert pregnancy_conditions(week=week) == conditions


def test_every_condition_has_phrases_a_safety_note_can_mention_it_by():
    assert set(CONDITION_KEYWORDS) == set(Condition.values)
    assert all(CONDITION_KEYWORDS.values())


@pytest.mark.parametrize(
    ("note", "conditions"),
    [
        ("If you have low bone density, keep the twist small.", {"osteoporosis"}),
        ("With a disc problem, spinal fusion or stenosis, keep it small.", {"spinal_condition"}),
        ("Ease off if it causes discomfort.", set()),  # "disc" only at the start of the phrase
        ("If you are pregnant, take your knees wide.", {"pregnancy"}),
        ("From about 16 weeks of pregnancy, lie on your side.", {"pregnancy_later"}),
        (
            "If a shoulder is sore or has ever dislocated, go lower.",
            {"area_shoulder", "shoulder_instability"},
        ),
        ("If your wrists complain, rest on your fists.", {"area_wrist_hand"}),
        ("If you are hypermobile, stop at a light stretch.", {"hypermobility"}),
        ("Skip it with inflammatory arthritis.", {"inflammatory_arthritis"}),
        ("Stop if you feel pain in your shoulder or neck.", set()),  # a symptom, not a condition
    ],
)
def test_a_note_mentions_the_conditions_it_names_and_no_others(note, conditions):
    assert conditions_mentioned(note) == conditions
