import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from routines.models import MAX_ROUTINE_ITEMS
from routines.services import routine_adapt
from tests.factories import ExerciseFactory, RoutineFactory, RoutineItemFactory, UserFactory, swap_exercises

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory(tier2_answers=["osteoporosis"])
    client.force_login(user)
    return user


@pytest.fixture
def routine(person):
    return RoutineFactory(
        owner=person,
        exercises=[
            ExerciseFactory(name="Cat-cow", hold_seconds=5, reps=10),
            ExerciseFactory(name="Doorway stretch"),
        ],
    )


def edit_url(routine):
    return reverse("routines:routine_edit", args=[routine.pk])


def item_url(name, routine, item):
    return reverse(f"routines:{name}", args=[routine.pk, item.pk])


def item_data(item, **overrides):
    data = {"hold_seconds": item.hold_seconds, "reps": item.reps, "sets": item.sets, "note": item.note}
    if item.per_side:
        data["per_side"] = "on"
    data.update(overrides)
    return {f"item-{item.pk}-{key}": value for key, value in data.items()}


def names(routine):
    return [item.exercise.name for item in routine.items.order_by("order")]


def test_the_builder_shows_items_with_their_settings_and_the_estimated_time(client, routine):
    body = client.get(edit_url(routine)).content.decode()

    assert "Cat-cow" in body
    assert "Doorway stretch" in body
    assert "Estimated time:" in body
    assert 'value="10"' in body


def test_searching_the_library_lists_matches_and_htmx_gets_only_the_results(client, routine):
    ExerciseFactory(name="Thread the needle")

    page = client.get(edit_url(routine), {"q": "needle"})
    fragment = client.get(
        edit_url(routine), {"q": "needle"}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    )

    assert "Matches for “needle”" in page.content.decode()
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="search-results"')
    assert "Thread the needle" in body
    assert "<html" not in body


AVOID_WITH_OSTEOPOROSIS = {
    "osteoporosis": {"verdict": "avoid", "why": "Rolling presses on the spine.", "instead": ["chin-tuck"]}
}


def test_an_empty_search_suggests_exercises_without_those_unsuitable_for_the_person(client, routine):
    ExerciseFactory(name="Child's pose")
    ExerciseFactory(name="Foam roller extension", suitability=AVOID_WITH_OSTEOPOROSIS)

    body = client.get(edit_url(routine)).content.decode()

    suggestions = body.split("Suggested for you")[1]
    assert "Child&#x27;s pose" in suggestions
    assert "Foam roller extension" not in suggestions


def test_an_exercise_unsuitable_for_the_person_says_why_and_what_to_do_instead_in_the_builder(client, person):
    ExerciseFactory(slug="chin-tuck", name="Chin tuck")
    routine = RoutineFactory(
        owner=person, exercises=[ExerciseFactory(name="Foam roller", suitability=AVOID_WITH_OSTEOPOROSIS)]
    )

    body = client.get(edit_url(routine)).content.decode()

    assert (
        "Unsuitable for you</strong> (low bone density or osteoporosis): Rolling presses on the spine."
        in body
    )
    assert 'Instead: <a href="/exercises/chin-tuck/">Chin tuck</a>.' in body


def test_the_builder_says_what_was_swapped_for_the_person_and_why(client, person):
    lib = swap_exercises()
    routine = RoutineFactory(owner=person, exercises=[lib.childs_pose])
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    item = routine.items.get()

    body = client.get(edit_url(routine)).content.decode()

    assert "Child&#x27;s pose → Lying on your elbows, because of low bone density." in body
    assert f'href="{routine.get_absolute_url()}#item-{item.pk}">Why, or keep Child&#x27;s pose</a>' in body


def test_adding_an_exercise_appends_it_with_its_defaults(client, routine):
    twist = ExerciseFactory(name="Towel twist", hold_seconds=25, reps=3, per_side=True)

    response = client.post(
        reverse("routines:item_add", args=[routine.pk]), {"exercise": twist.pk}, follow=True
    )

    assert names(routine) == ["Cat-cow", "Doorway stretch", "Towel twist"]
    item = routine.items.get(exercise=twist)
    assert (item.hold_seconds, item.reps, item.per_side) == (25, 3, True)
    assert "Added Towel twist." in response.content.decode()


@pytest.mark.parametrize(
    ("exercise_id", "message"),
    [
        ("999999", "That exercise is not in the library."),
        ("not-a-number", "That exercise is not in the library."),
        ("", "Choose an exercise to add."),
    ],
)
def test_adding_an_exercise_that_does_not_exist_is_refused_with_a_message(
    client, routine, exercise_id, message
):
    response = client.post(reverse("routines:item_add", args=[routine.pk]), {"exercise": exercise_id})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert routine.items.count() == 2


def test_adding_an_unpublished_exercise_is_refused(client, routine):
    draft = ExerciseFactory(is_published=False)

    response = client.post(reverse("routines:item_add", args=[routine.pk]), {"exercise": draft.pk})

    assert response.status_code == 422
    assert "That exercise is not in the library." in response.content.decode()
    assert routine.items.count() == 2


def test_the_forty_first_exercise_is_refused_with_a_message(client, person):
    routine = RoutineFactory(owner=person)
    exercise = ExerciseFactory()
    RoutineItemFactory.create_batch(MAX_ROUTINE_ITEMS, routine=routine, exercise=exercise)

    response = client.post(reverse("routines:item_add", args=[routine.pk]), {"exercise": exercise.pk})

    assert response.status_code == 422
    assert "at most 40 exercises" in response.content.decode()
    assert routine.items.count() == MAX_ROUTINE_ITEMS


def test_saving_an_item_updates_it_and_the_estimate(client, routine):
    item = routine.items.get(exercise__name="Doorway stretch")
    before = routine.estimated_seconds

    client.post(
        item_url("item_update", routine, item), item_data(item, hold_seconds=60, sets=2, note="Gently")
    )

    item.refresh_from_db()
    assert (item.hold_seconds, item.sets, item.note) == (60, 2, "Gently")
    assert routine.estimated_seconds > before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hold_seconds", "4", "Hold must be from 5 to 120 seconds."),
        ("hold_seconds", "121", "Hold must be from 5 to 120 seconds."),
        ("hold_seconds", "ten", "Hold must be from 5 to 120 seconds."),
        ("reps", "0", "Reps must be from 1 to 30."),
        ("reps", "31", "Reps must be from 1 to 30."),
        ("sets", "0", "Sets must be from 1 to 30."),
        ("sets", "31", "Sets must be from 1 to 30."),
        ("sets", "", "Sets must be from 1 to 30."),
    ],
)
def test_an_item_outside_the_limits_is_explained_next_to_the_field_and_nothing_typed_is_lost(
    client, routine, field, value, message
):
    item = routine.items.get(exercise__name="Doorway stretch")

    response = client.post(
        item_url("item_update", routine, item), item_data(item, note="keep me", **{field: value})
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert message in body
    assert 'value="keep me"' in body
    if value:
        assert f'value="{value}"' in body
    item.refresh_from_db()
    assert item.note == ""


def test_htmx_gets_the_item_list_back_with_the_error_in_place(client, routine):
    item = routine.items.get(exercise__name="Doorway stretch")

    response = client.post(
        item_url("item_update", routine, item), item_data(item, reps="99"), headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert body.lstrip().startswith('<section id="builder-items"')
    assert "Reps must be from 1 to 30." in body


def test_moving_an_item_without_javascript_redirects_back_to_the_builder(client, routine):
    cat_cow = routine.items.get(exercise__name="Cat-cow")

    response = client.post(item_url("item_move", routine, cat_cow), {"direction": "down"})

    assert response.status_code == 302
    assert response.url == edit_url(routine)
    assert names(routine) == ["Doorway stretch", "Cat-cow"]


def test_moving_with_htmx_returns_the_reordered_list(client, routine):
    doorway = routine.items.get(exercise__name="Doorway stretch")

    response = client.post(
        item_url("item_move", routine, doorway), {"direction": "up"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.index("Doorway stretch") < body.index("Cat-cow")
    assert "Moved Doorway stretch up." in body


def test_a_nonsense_direction_changes_nothing(client, routine):
    cat_cow = routine.items.get(exercise__name="Cat-cow")

    response = client.post(item_url("item_move", routine, cat_cow), {"direction": "sideways"}, follow=True)

    assert names(routine) == ["Cat-cow", "Doorway stretch"]
    assert "Nothing moved: use the Up or Down buttons." in response.content.decode()


def test_removing_an_item(client, routine):
    cat_cow = routine.items.get(exercise__name="Cat-cow")

    client.post(item_url("item_remove", routine, cat_cow))

    assert names(routine) == ["Doorway stretch"]


def test_an_item_of_another_routine_cannot_be_changed_through_mine(client, routine):
    other_item = RoutineFactory(exercises=[ExerciseFactory()]).items.get()

    response = client.post(item_url("item_remove", routine, other_item))

    assert response.status_code == 404
    assert other_item.__class__.objects.filter(pk=other_item.pk).exists()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["routine_edit", "routine_detail"])
def test_the_builder_and_routine_page_run_the_same_queries_for_2_and_40_items(client, person, url_name):
    small = RoutineFactory(owner=person, exercises=[ExerciseFactory() for _ in range(2)])
    large = RoutineFactory(owner=person, exercises=[ExerciseFactory() for _ in range(40)])

    assert count_queries(client, reverse(f"routines:{url_name}", args=[small.pk])) == count_queries(
        client, reverse(f"routines:{url_name}", args=[large.pk])
    )


def test_the_routine_list_runs_the_same_queries_with_2_and_40_items(client, person):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory() for _ in range(2)])
    with_two = count_queries(client, reverse("routines:routine_list"))
    for _ in range(38):
        RoutineItemFactory(routine=routine)
    RoutineFactory(owner=person, exercises=[ExerciseFactory() for _ in range(5)])

    assert count_queries(client, reverse("routines:routine_list")) == with_two
