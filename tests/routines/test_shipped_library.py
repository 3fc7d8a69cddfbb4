"""The shipped library (routines/library/*.yaml) as loaded: the safety review's verdicts hold.

Everything here is read from the loaded library, so a later edit of the file that undoes a fix
fails a test, whatever the edit was.
"""

import pytest
from django.urls import reverse

from accounts.screening import Condition, conditions_for
from routines.models import Exercise, Routine
from routines.suitability import VerdictKind
from tests.factories import UserFactory

# The library is loaded once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("library_for_the_module", "library")


def verdict(slug: str, condition: str) -> str | None:
    entry = Exercise.objects.get(slug=slug).suitability.get(condition)
    return entry["verdict"] if entry else None


def test_every_alternative_is_published_and_not_itself_unsuitable_for_the_same_condition():
    offered = {exercise.slug: exercise for exercise in Exercise.objects.published()}
    checked = 0
    for exercise in Exercise.objects.all():
        for found in exercise.verdicts:
            if not found.is_avoid:
                continue
            assert found.instead, (exercise.slug, found.condition)
            for slug in found.instead:
                assert slug in offered, (exercise.slug, found.condition, slug)
                assert offered[slug].unsuitable_for({found.condition}) is None, (exercise.slug, slug)
                checked += 1
    assert checked > 20


def test_cat_cow_and_thread_the_needle_give_a_bone_density_verdict_instead_of_ask_your_clinician():
    for slug in ["cat-cow", "thread-the-needle"]:
        exercise = Exercise.objects.get(slug=slug)
        assert verdict(slug, Condition.OSTEOPOROSIS) == VerdictKind.MODIFY
        assert "ask your clinician" not in exercise.safety_notes.lower()


def test_childs_pose_is_unsuitable_with_low_bone_density_and_offers_lying_on_your_elbows():
    childs_pose = Exercise.objects.get(slug="childs-pose")

    unsuitable = childs_pose.unsuitable_for({Condition.OSTEOPOROSIS})

    assert unsuitable.instead == ("prone-on-elbows",)
    assert "fully rounded" in unsuitable.why
    assert Exercise.objects.published().filter(slug="prone-on-elbows").exists()


def test_a_person_with_osteoporosis_is_told_to_lie_on_their_elbows_instead_of_childs_pose(client):
    client.force_login(UserFactory(tier2_answers=["osteoporosis"]))
    prone = Exercise.objects.get(slug="prone-on-elbows")

    body = client.get(reverse("routines:exercise_detail", args=["childs-pose"])).content.decode()

    assert "Unsuitable for you</strong> (low bone density or osteoporosis)" in body
    assert f'Instead: <a href="{prone.get_absolute_url()}">{prone.name}</a>.' in body


def test_the_doorway_stretch_has_the_shoulder_instability_caution_the_wall_chest_stretch_has():
    for slug in ["doorway-stretch", "wall-chest-stretch"]:
        assert verdict(slug, Condition.SHOULDER_INSTABILITY) == VerdictKind.MODIFY
        assert "dislocated" in Exercise.objects.get(slug=slug).safety_notes


def test_the_partner_chest_opener_is_intermediate_and_unsuitable_with_an_unstable_shoulder():
    opener = Exercise.objects.get(slug="partner-chest-opener")

    assert opener.difficulty == Exercise.Difficulty.INTERMEDIATE
    assert opener.unsuitable_for({Condition.SHOULDER_INSTABILITY}).instead
    assert verdict("partner-chest-opener", Condition.HYPERMOBILITY) == VerdictKind.MODIFY


def test_every_exercise_done_lying_on_your_back_changes_after_about_16_weeks_of_pregnancy():
    lying_on_back = Exercise.objects.published().filter(body_position__icontains="on your back")
    later_pregnancy = {Condition.PREGNANCY, Condition.PREGNANCY_LATER}

    assert lying_on_back.count() >= 4
    for exercise in lying_on_back:
        assert exercise.verdict_for(later_pregnancy), exercise.slug
    assert verdict("knees-bent-breathing-rest", Condition.PREGNANCY_LATER) == VerdictKind.MODIFY


def test_the_standing_backbend_now_bends_the_upper_back_and_says_why():
    backbend = Exercise.objects.get(slug="standing-backbend")
    steps = " ".join(step.text for step in backbend.steps.all())

    assert "lower back" not in backbend.body_position
    assert "palms on your lower back" not in steps
    assert "arms over your chest" in steps
    assert "lower-back bend" in backbend.source_note
    assert backbend.unsuitable_for({Condition.SPINAL_CONDITION}).instead == ("seated-thoracic-extension",)


def test_a_recent_injury_no_longer_flags_nearly_every_exercise():
    conditions = conditions_for(UserFactory(pain_areas=["upper_back"]))
    published = list(Exercise.objects.published())

    flagged = [e for e in published if e.verdict_for(conditions)]

    assert 0 < len(flagged) < len(published) / 2


def test_every_condition_leaves_most_of_the_library_suitable():
    published = list(Exercise.objects.published())

    for condition in Condition.values:
        unsuitable = [e.slug for e in published if e.unsuitable_for({condition})]
        assert len(unsuitable) < len(published) / 3, (condition, unsuitable)


def test_the_new_alternatives_are_complete_exercises():
    for slug in ["prone-on-elbows", "seated-thoracic-extension", "side-lying-open-book"]:
        exercise = Exercise.objects.published().get(slug=slug)
        assert exercise.steps.count() >= 4
        assert exercise.targets.exists()
        assert exercise.common_mistake_list
        assert exercise.safety_note_list
        assert exercise.source_note.startswith("New; not in the seeds.")


def test_the_partner_pop_is_retired_with_its_reason_and_in_no_routine():
    pop = Exercise.objects.get(slug="partner-upper-back-pop")

    assert pop.is_retired
    assert not pop.is_published
    assert "manipulation" in pop.retired_reason
    assert "Retired" in pop.source_note
    assert not Routine.objects.filter(items__exercise=pop).exists()


# --- Issue 14: more strength work, in families of easier and harder variants -----------------

NEW_EXERCISES = [
    "quadruped-thoracic-rotation",
    "wall-slide",
    "prone-w-raise",
    "prone-t-raise",
    "prone-y-raise",
    "band-row",
    "band-pull-apart",
    "supported-one-arm-row",
    "banded-external-rotation",
    "side-lying-external-rotation",
    "wall-push-up-plus",
    "prone-chin-tuck-lift",
]


def test_the_library_offers_at_least_33_exercises():
    assert Exercise.objects.published().count() >= 33


def test_every_new_exercise_is_complete():
    for exercise in Exercise.objects.published().filter(slug__in=NEW_EXERCISES):
        assert exercise.steps.count() >= 4, exercise.slug
        assert exercise.targets.exists(), exercise.slug
        assert len(exercise.common_mistake_list) >= 3, exercise.slug
        assert exercise.safety_note_list, exercise.slug
        assert exercise.verdicts, exercise.slug
        assert exercise.family, exercise.slug
        assert exercise.source_note.startswith("New; not in the seeds."), exercise.slug
    assert Exercise.objects.published().filter(slug__in=NEW_EXERCISES).count() == len(NEW_EXERCISES)


def test_the_library_now_offers_as_much_strength_work_as_before_it_had_in_all():
    assert Exercise.objects.published().filter(kind=Exercise.Kind.STRENGTH).count() >= 12


def test_every_family_starts_at_an_exercise_a_beginner_can_do_and_runs_without_gaps():
    families = set(Exercise.objects.published().exclude(family="").values_list("family", flat=True))

    assert len(families) >= 6
    for family in families:
        members = list(Exercise.objects.published().filter(family=family).order_by("level"))
        assert [m.level for m in members] == list(range(1, len(members) + 1)), family
        assert members[0].difficulty == Exercise.Difficulty.BEGINNER, family
        assert len({m.kind == Exercise.Kind.PARTNER for m in members}) == 1, family


def test_every_exercise_lying_face_down_is_unsuitable_in_pregnancy_with_a_standing_or_seated_alternative():
    face_down = Exercise.objects.published().filter(body_position__icontains="face down")

    assert face_down.count() >= 5
    for exercise in face_down:
        unsuitable = exercise.unsuitable_for({Condition.PREGNANCY})
        assert unsuitable is not None, exercise.slug
        assert "belly" in unsuitable.why


def test_the_band_and_weight_exercises_say_what_you_need():
    needs = {e.slug: e.needs for e in Exercise.objects.published().with_lookups()}

    assert needs["band-row"] == needs["band-pull-apart"] == needs["banded-external-rotation"] == "band"
    assert needs["supported-one-arm-row"] == needs["side-lying-external-rotation"] == "weights"
    assert needs["foam-roller-extension"] == needs["massage-bar-release"] == "tool"
    assert needs["seated-thoracic-extension"] == needs["wall-slide"] == "none"


def test_loaded_rotation_and_forward_bending_are_kept_small_with_low_bone_density():
    rotation = Exercise.objects.get(slug="quadruped-thoracic-rotation").verdict_for({Condition.OSTEOPOROSIS})
    row = Exercise.objects.get(slug="supported-one-arm-row").verdict_for({Condition.OSTEOPOROSIS})

    assert rotation[0].verdict == VerdictKind.MODIFY
    assert "halfway" in rotation[0].how
    assert row[0].verdict == VerdictKind.MODIFY
    assert "never let it round" in row[0].how


def test_every_progression_ceiling_is_at_or_above_the_starting_dose():
    grown = 0
    for exercise in Exercise.objects.published():
        ceiling = exercise.dose_ceiling
        assert ceiling.hold_seconds >= exercise.hold_seconds
        assert ceiling.reps >= exercise.reps
        assert ceiling.sets >= exercise.sets
        grown += ceiling != (exercise.hold_seconds, exercise.reps, exercise.sets)
    assert grown >= 20


def test_every_self_release_exercise_names_its_tool_and_the_tool_free_ones_are_mobility_techniques():
    self_release = Exercise.objects.published().filter(kind=Exercise.Kind.SELF_RELEASE)
    assert self_release.exists()
    for exercise in self_release:
        assert exercise.equipment.exists(), f"{exercise.slug} is 'Self-release with a tool' but needs no tool"
    for slug in ["knees-bent-breathing-rest", "standing-upper-back-release"]:
        assert Exercise.objects.get(slug=slug).get_kind_display() == "Mobility technique"


def test_the_library_filter_for_self_release_leaves_the_breathing_rest_out(client):
    response = client.get(reverse("routines:exercise_list"), {"kind": Exercise.Kind.SELF_RELEASE})

    assert "Knees-bent rest with slow breathing" not in response.content.decode()


def test_shoulder_strength_work_sends_people_after_shoulder_surgery_to_their_surgeons_plan():
    """A sore shoulder and a recently operated one share a condition (area_shoulder), but after
    surgery when to add load is the surgeon's or physiotherapist's call, not "as far as is
    comfortable"."""
    loading = Exercise.objects.filter(
        family__in=["shoulder-blade-strength", "rows-and-pulls", "rotator-cuff-strength", "reach-and-push"],
        suitability__has_key=Condition.AREA_SHOULDER,
    ).exclude(slug="shoulder-blade-squeeze")
    assert loading.count() >= 10
    for exercise in loading:
        how = exercise.suitability[Condition.AREA_SHOULDER]["how"]
        assert "After shoulder surgery" in how, exercise.slug
        assert "surgery" in exercise.safety_notes, exercise.slug
