import pytest
from django.urls import reverse

from routines.models import Exercise
from tests.factories import ExerciseFactory, MuscleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def exercise_form(**overrides) -> dict:
    muscle = MuscleFactory(slug="rhomboids", name="Rhomboids")
    data = {
        "name": "Wall angel",
        "slug": "wall-angel",
        "kind": "mobility",
        "difficulty": "beginner",
        "is_published": "on",
        "summary": "Slide your arms up a wall.",
        "purpose": "Wakes up the muscles between the shoulder blades.",
        "body_position": "Standing against a wall",
        "targets": [str(muscle.pk)],
        "hold_seconds": "5",
        "reps": "10",
        "sets": "1",
        "level": "1",
        "breathing_cue": "Breathe out as the arms rise.",
        "common_mistakes": "Arching the lower back",
        "safety_notes": "If a shoulder is sore, keep your elbows low.",
        "suitability": '{"area_shoulder": {"verdict": "modify", "how": "Keep your elbows low."}}',
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-order": "1",
        "steps-0-text": "Stand with your back to the wall.",
        "steps-1-order": "2",
        "steps-1-text": "Slide your arms slowly up and down.",
    }
    data.update(overrides)
    return data


def test_staff_add_an_exercise_with_two_steps_and_see_it_on_the_site(staff_client):
    response = staff_client.post(reverse("admin:routines_exercise_add"), exercise_form())

    assert response.status_code == 302
    exercise = Exercise.objects.get(slug="wall-angel")
    assert exercise.is_customised  # a later load_library leaves a staff edit alone
    page = staff_client.get(exercise.get_absolute_url()).content.decode()
    assert "<li>Stand with your back to the wall.</li>" in page
    assert "<li>Slide your arms slowly up and down.</li>" in page
    assert "<dt>Shoulder (hurts now, or recent surgery)</dt>" in page
    assert exercise.suitability == {"area_shoulder": {"verdict": "modify", "how": "Keep your elbows low."}}


def test_the_admin_explains_a_hold_outside_the_allowed_range(staff_client):
    response = staff_client.post(reverse("admin:routines_exercise_add"), exercise_form(hold_seconds="500"))

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 120." in response.content.decode()
    assert not Exercise.objects.exists()


@pytest.mark.parametrize(
    ("suitability", "message"),
    [
        ('{"area_shoulder": {"verdict": "avoid"}}', "area_shoulder: avoid needs &#x27;why&#x27;"),
        (
            '{"area_shoulder": {"verdict": "avoid", "why": "Loads it.", "instead": ["headstand"]}}',
            "names &#x27;headstand&#x27;, which is unknown, unpublished or retired",
        ),
        (
            '{"osteoporosis": {"verdict": "modify", "how": "Go gently."}}',
            "no safety note (nor its how or why) mentions low bone density or osteoporosis",
        ),
        ("{}", "mentions shoulder (area_shoulder)"),
    ],
)
def test_the_admin_applies_the_library_rules_to_suitability(staff_client, suitability, message):
    response = staff_client.post(
        reverse("admin:routines_exercise_add"), exercise_form(suitability=suitability)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Exercise.objects.exists()


def test_unpublishing_hides_an_exercise_from_the_public(staff_client, client):
    exercise = ExerciseFactory()

    staff_client.post(
        reverse("admin:routines_exercise_changelist"),
        {"action": "unpublish", "_selected_action": [exercise.pk]},
    )

    client.logout()
    assert client.get(exercise.get_absolute_url()).status_code == 404


def test_the_change_page_links_to_the_exercise_on_the_site(staff_client):
    exercise = ExerciseFactory()

    page = staff_client.get(reverse("admin:routines_exercise_change", args=[exercise.pk])).content.decode()

    assert "View on site" in page


def test_the_list_searches_and_filters(staff_client):
    ExerciseFactory(name="Child's pose", kind=Exercise.Kind.STRETCH)
    ExerciseFactory(name="Cat-cow", kind=Exercise.Kind.MOBILITY)

    by_search = staff_client.get(reverse("admin:routines_exercise_changelist"), {"q": "cat"})
    by_kind = staff_client.get(reverse("admin:routines_exercise_changelist"), {"kind__exact": "stretch"})

    assert [e.name for e in by_search.context["cl"].result_list] == ["Cat-cow"]
    assert [e.name for e in by_kind.context["cl"].result_list] == ["Child's pose"]


def test_people_who_are_not_staff_cannot_open_the_admin(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:routines_exercise_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_staff_set_a_family_a_level_and_how_far_to_build_up(staff_client):
    response = staff_client.post(
        reverse("admin:routines_exercise_add"),
        exercise_form(family="wall-work", level="2", progression='{"reps": 15}'),
    )

    assert response.status_code == 302
    exercise = Exercise.objects.get(slug="wall-angel")
    assert (exercise.family, exercise.level, exercise.dose_ceiling.reps) == ("wall-work", 2, 15)


def test_staff_cannot_set_a_progression_below_the_starting_dose(staff_client):
    response = staff_client.post(
        reverse("admin:routines_exercise_add"), exercise_form(progression='{"reps": 4}')
    )

    assert response.status_code == 200
    assert "&#x27;progression&#x27; reps (4) is below the starting reps (10)" in response.content.decode()
    assert not Exercise.objects.filter(slug="wall-angel").exists()
