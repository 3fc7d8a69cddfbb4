"""Exercise.verdict_for / unsuitable_for and the shape of `suitability` (routines/suitability.py)."""

import pytest
from django.core.exceptions import ValidationError

from routines.suitability import Verdict, notes_disagreements, suitability_problems, validate_suitability
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

SUITABILITY = {
    "pregnancy_later": {"verdict": "modify", "how": "Lie on your side instead."},
    "osteoporosis": {"verdict": "avoid", "why": "It rounds the spine fully.", "instead": ["prone-on-elbows"]},
    "area_wrist_hand": {"verdict": "modify", "how": "Rest on your forearms."},
}


def test_verdict_for_gives_the_persons_conditions_only_unsuitable_first():
    exercise = ExerciseFactory(suitability=SUITABILITY)

    verdicts = exercise.verdict_for({"area_wrist_hand", "osteoporosis", "hypermobility"})

    assert verdicts == [
        Verdict(
            condition="osteoporosis",
            label="Low bone density or osteoporosis",
            verdict="avoid",
            why="It rounds the spine fully.",
            instead=("prone-on-elbows",),
        ),
        Verdict(
            condition="area_wrist_hand", label="Wrist or hand", verdict="modify", how="Rest on your forearms."
        ),
    ]
    assert exercise.verdict_for(set()) == []


def test_unsuitable_for_names_the_first_condition_that_rules_it_out():
    exercise = ExerciseFactory(suitability=SUITABILITY)

    assert exercise.unsuitable_for({"osteoporosis", "pregnancy_later"}).condition == "osteoporosis"
    assert exercise.unsuitable_for({"pregnancy_later", "area_wrist_hand"}) is None
    assert exercise.unsuitable_for(set()) is None


def test_every_verdict_is_listed_for_anyone_reading_the_exercise():
    exercise = ExerciseFactory(suitability=SUITABILITY)

    assert [v.condition for v in exercise.verdicts] == ["osteoporosis", "pregnancy_later", "area_wrist_hand"]
    assert [v.is_area for v in exercise.verdicts] == [False, False, True]


def test_a_well_formed_suitability_passes():
    assert suitability_problems(SUITABILITY) == []
    assert suitability_problems({}) == []
    validate_suitability(SUITABILITY)


@pytest.mark.parametrize(
    ("suitability", "problem"),
    [
        ([], "'suitability' must map conditions to verdicts"),
        ({"recent_injury": {"verdict": "modify", "how": "Go gently."}}, "unknown condition 'recent_injury'"),
        ({"osteoporosis": {"verdict": "maybe"}}, "osteoporosis: 'verdict' must be modify or avoid"),
        ({"osteoporosis": {"verdict": "modify"}}, "osteoporosis: modify needs 'how'"),
        ({"osteoporosis": {"verdict": "avoid", "instead": ["cat-cow"]}}, "osteoporosis: avoid needs 'why'"),
        ({"osteoporosis": {"verdict": "avoid", "why": "Load."}}, "osteoporosis: avoid needs 'instead'"),
        ({"osteoporosis": {"verdict": "avoid", "why": "Load.", "instead": []}}, "avoid needs 'instead'"),
        (
            {"osteoporosis": {"verdict": "modify", "how": "Go gently.", "instead": ["cat-cow"]}},
            "osteoporosis: modify takes only how, verdict, not instead",
        ),
    ],
)
def test_a_malformed_suitability_is_refused_with_a_message_that_says_why(suitability, problem):
    assert any(problem in message for message in suitability_problems(suitability))
    with pytest.raises(ValidationError):
        validate_suitability(suitability)


def test_notes_and_verdicts_that_agree_have_no_disagreements():
    notes = ["If your wrists are sore, rest on your forearms.", "Stop if you feel sharp pain."]

    assert (
        notes_disagreements(
            safety_notes=notes, suitability={"area_wrist_hand": SUITABILITY["area_wrist_hand"]}
        )
        == []
    )


def test_a_verdict_may_be_mentioned_by_its_own_how_instead_of_a_note():
    suitability = {"pregnancy": {"verdict": "modify", "how": "If you are pregnant, take your knees wide."}}

    assert notes_disagreements(safety_notes=["Stop if it hurts."], suitability=suitability) == []
