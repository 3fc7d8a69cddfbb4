import pytest
from django.urls import reverse

from routines.models import Exercise
from tests.factories import (
    EquipmentFactory,
    ExerciseFactory,
    MuscleFactory,
    UserFactory,
    avoid,
    exercise_family,
)

pytestmark = pytest.mark.django_db


def test_it_shows_everything_a_person_needs_to_do_the_exercise(client):
    exercise = ExerciseFactory(
        name="Doorway stretch",
        purpose="Opens a tight chest that pulls the shoulders forward.",
        body_position="Standing in a doorway",
        hold_seconds=30,
        reps=3,
        sets=2,
        per_side=True,
        breathing_cue="Breathe out as you lean.",
        common_mistakes="Arching the lower back\nShrugging",
        safety_notes="Keep the elbows below shoulder height.",
        suitability={
            "area_shoulder": {"verdict": "modify", "how": "Keep your elbows below shoulder height."}
        },
        targets=[MuscleFactory(slug="pectorals", name="Pectorals")],
        equipment=[EquipmentFactory(name="Doorway")],
        steps=["Stand in the doorway.", "Place your forearms on the frame.", "Lean gently forward."],
    )

    response = client.get(exercise.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "<h1>Doorway stretch</h1>",
        "Opens a tight chest",
        "Standing in a doorway",
        "30 seconds × 3 reps",
        "Each side in turn",
        "Pectorals",
        "Doorway",
        "<li>Place your forearms on the frame.</li>",
        "Breathe out as you lean.",
        "<li>Arching the lower back</li>",
        "Keep the elbows below shoulder height.",
        "<dt>Shoulder (hurts now, or recent surgery)</dt>",
        "Keep your elbows below shoulder height.",
    ]:
        assert text in body, text
    assert body.index("Stand in the doorway.") < body.index("Lean gently forward.")


def test_a_partner_exercise_shows_both_roles(client):
    exercise = ExerciseFactory(
        kind=Exercise.Kind.PARTNER,
        partner_role="Kneels behind you and guides your elbows back.",
        stretchee_position="Sits tall with hands behind the head.",
    )

    body = client.get(exercise.get_absolute_url()).content.decode()

    assert "The partner" in body
    assert "Kneels behind you and guides your elbows back." in body
    assert "Sits tall with hands behind the head." in body


def test_a_solo_exercise_has_no_partner_section(client):
    body = client.get(ExerciseFactory().get_absolute_url()).content.decode()

    assert "Who does what" not in body


def test_an_unpublished_exercise_is_not_found(client):
    exercise = ExerciseFactory(is_published=False)

    response = client.get(exercise.get_absolute_url())

    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_an_unknown_slug_is_not_found(client, db):
    assert client.get(reverse("routines:exercise_detail", kwargs={"slug": "nope"})).status_code == 404


FOAM_ROLLER_SUITABILITY = {
    "osteoporosis": {"verdict": "avoid", "why": "Rolling presses on the spine.", "instead": ["chin-tuck"]},
    "area_upper_back": {"verdict": "modify", "how": "Roll only above the sore spot."},
}


def test_a_person_whose_conditions_match_sees_what_to_do_on_the_exercise_and_in_the_list(client):
    client.force_login(UserFactory(tier2_answers=["osteoporosis"], pain_areas=["upper_back"]))
    flagged = ExerciseFactory(name="Foam roller extension", suitability=FOAM_ROLLER_SUITABILITY)
    ExerciseFactory(slug="chin-tuck", name="Chin tuck")

    detail = client.get(flagged.get_absolute_url()).content.decode()
    listing = client.get(reverse("routines:exercise_list")).content.decode()

    assert (
        "Unsuitable for you</strong> (low bone density or osteoporosis): Rolling presses on the spine."
        in detail
    )
    assert 'Instead: <a href="/exercises/chin-tuck/">Chin tuck</a>.' in detail
    assert "Adapt it for you</strong> (upper back): Roll only above the sore spot." in detail
    assert listing.count("Unsuitable for you") == 1


def test_nobody_else_sees_that_warning(client):
    exercise = ExerciseFactory(suitability=FOAM_ROLLER_SUITABILITY)

    body = client.get(exercise.get_absolute_url()).content.decode()

    assert "Unsuitable for you" not in body
    assert "Adapt it for you" not in body
    assert "Rolling presses on the spine." in body  # in the list of conditions, for everyone


# --- The family: easier and harder variants ----------------------------------------------------


def test_the_page_lists_the_family_easiest_first_with_links_and_this_exercise_marked(client):
    squeeze, slide, raise_ = exercise_family("shoulder-blade-strength", "Squeeze", "Wall slide", "W raise")
    slide.progression = {"reps": 12, "sets": 3}
    slide.save()

    body = client.get(slide.get_absolute_url()).content.decode()

    assert "Easier and harder variants" in body
    assert "Wall slide is level 2 of 3 in\n          “Shoulder blade strength”." in body
    assert (
        body.index(squeeze.name)
        < body.index("<strong>Wall slide</strong> (this exercise)")
        < body.index(raise_.name)
    )
    assert f'<a href="{squeeze.get_absolute_url()}">Squeeze</a>' in body
    assert f'<a href="{raise_.get_absolute_url()}">W raise</a>' in body
    assert "Start at 20 s × 10 reps" in body
    assert "build up to 20 s × 12 reps × 3 sets over the weeks while it stays comfortable" in body
    assert body.count('aria-current="true"') == 1


def test_the_family_marks_the_variants_that_do_not_suit_the_person(client):
    squeeze, _, raise_ = exercise_family("shoulder-blade-strength", "Squeeze", "Wall slide", "W raise")
    raise_.suitability = {"pregnancy": avoid(squeeze.slug, why="Lying on your front presses on your belly.")}
    raise_.save()
    client.force_login(UserFactory(tier2_answers=["pregnancy"]))

    body = client.get(squeeze.get_absolute_url()).content.decode()

    assert "· Unsuitable for you (pregnancy)" in body


def test_an_exercise_without_a_family_shows_no_variants(client):
    exercise = ExerciseFactory()

    body = client.get(exercise.get_absolute_url()).content.decode()

    assert "Easier and harder variants" not in body
