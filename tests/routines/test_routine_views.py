import pytest
from django.urls import reverse

from routines.models import Routine
from tests.factories import ExerciseFactory, RoutineFactory, StarterRoutineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_list_shows_my_routines_and_the_starters_but_nobody_elses(client, person):
    RoutineFactory(owner=person, title="My lunch stretch", exercises=[ExerciseFactory()])
    RoutineFactory(title="Someone else's secret routine")
    StarterRoutineFactory(title="5-minute desk break", exercises=[ExerciseFactory()])

    body = client.get(reverse("routines:routine_list")).content.decode()

    assert "My lunch stretch" in body
    assert "5-minute desk break" in body
    assert "Someone else" not in body


def test_a_newcomer_sees_an_empty_state_pointing_to_the_starters(client, person):
    body = client.get(reverse("routines:routine_list")).content.decode()

    assert "You have no routines yet" in body


def test_a_starter_shows_its_time_exercises_equipment_and_partner_need(client, person):
    partner = ExerciseFactory(
        name="Partner twist", kind="partner", partner_role="Guides.", stretchee_position="Sits."
    )
    starter = StarterRoutineFactory(
        title="Partner session", exercises=[partner, ExerciseFactory(name="Cat-cow")]
    )

    body = client.get(starter.get_absolute_url()).content.decode()

    assert "Needs a partner" in body
    assert "Partner twist" in body
    assert "Cat-cow" in body
    assert "About " in body
    assert "Start now" in body
    assert "Customize" in body


def test_using_a_starter_makes_my_own_copy_and_opens_the_builder(client, person):
    starter = StarterRoutineFactory(title="Desk break", exercises=[ExerciseFactory(), ExerciseFactory()])

    response = client.post(reverse("routines:routine_use", args=[starter.pk]), follow=True)

    copy = Routine.objects.get(owner=person)
    assert response.redirect_chain[-1][0] == reverse("routines:routine_edit", args=[copy.pk])
    assert copy.title == "Desk break"
    assert copy.items.count() == 2
    assert "is now in your routines" in response.content.decode()


def test_duplicating_my_routine_names_the_copy(client, person):
    routine = RoutineFactory(owner=person, title="Evening", exercises=[ExerciseFactory()])

    client.post(reverse("routines:routine_use", args=[routine.pk]))

    assert set(Routine.objects.filter(owner=person).values_list("title", flat=True)) == {
        "Evening",
        "Evening (copy)",
    }


def test_creating_a_routine_without_a_title_explains_and_keeps_the_description(client, person):
    response = client.post(reverse("routines:routine_new"), {"title": "   ", "description": "For after work"})

    body = response.content.decode()
    assert response.status_code == 422
    assert "Give your routine a title" in body
    assert "For after work" in body
    assert not Routine.objects.exists()


def test_creating_a_routine_opens_it_in_the_builder(client, person):
    response = client.post(reverse("routines:routine_new"), {"title": "Lunch break", "description": ""})

    routine = Routine.objects.get(owner=person)
    assert response.url == reverse("routines:routine_edit", args=[routine.pk])


def test_deleting_asks_first_then_removes_only_that_routine(client, person):
    routine = RoutineFactory(owner=person, title="Old one")
    keep = RoutineFactory(owner=person)

    confirm = client.get(reverse("routines:routine_delete", args=[routine.pk]))
    assert "Delete “Old one”?" in confirm.content.decode()
    assert Routine.objects.filter(pk=routine.pk).exists()

    response = client.post(reverse("routines:routine_delete", args=[routine.pk]), follow=True)
    assert "Deleted “Old one”." in response.content.decode()
    assert list(Routine.objects.filter(owner=person)) == [keep]


def test_renaming_with_an_empty_title_keeps_the_old_title_and_shows_the_message(client, person):
    routine = RoutineFactory(owner=person, title="Morning")

    response = client.post(
        reverse("routines:routine_edit", args=[routine.pk]), {"title": "", "description": "New"}
    )

    assert response.status_code == 422
    assert "Give your routine a title" in response.content.decode()
    routine.refresh_from_db()
    assert routine.title == "Morning"


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("routines:routine_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


ROUTINE_URLS = [
    ("get", "routine_detail", {}),
    ("post", "routine_use", {}),
    ("get", "routine_edit", {}),
    ("post", "routine_edit", {"title": "Mine now"}),
    ("get", "routine_delete", {}),
    ("post", "routine_delete", {}),
    ("post", "item_add", {"exercise": "EXERCISE"}),
    ("post", "item_update", {}),
    ("post", "item_move", {"direction": "up"}),
    ("post", "item_remove", {}),
    ("post", "item_keep_original", {}),
    ("post", "item_use_alternative", {}),
    ("get", "progress:player_start", {}),
    ("post", "progress:player_start", {"tightness_before": "3"}),
    ("get", "progress:player_step", {}),
    ("get", "progress:player_finish", {}),
    ("post", "progress:player_discard", {}),
]


@pytest.mark.parametrize(("method", "name", "data"), ROUTINE_URLS)
def test_every_routine_url_is_not_found_for_another_person(client, person, method, name, data):
    exercise = ExerciseFactory()
    routine = RoutineFactory(title="Private", exercises=[exercise])
    item = routine.items.get()
    args = {
        "item_update": [routine.pk, item.pk],
        "item_move": [routine.pk, item.pk],
        "item_remove": [routine.pk, item.pk],
        "item_keep_original": [routine.pk, item.pk],
        "item_use_alternative": [routine.pk, item.pk],
        "progress:player_step": [routine.pk, 1],
    }.get(name, [routine.pk])
    data = {key: (exercise.pk if value == "EXERCISE" else value) for key, value in data.items()}

    response = getattr(client, method)(reverse(name if ":" in name else f"routines:{name}", args=args), data)

    assert response.status_code == 404
    routine.refresh_from_db()
    assert routine.title == "Private"
    assert routine.items.count() == 1


def test_an_empty_form_post_is_answered_with_the_missing_title_message(client, person):
    response = client.post(reverse("routines:routine_new"), {})

    assert response.status_code == 422
    assert "Give your routine a title" in response.content.decode()
