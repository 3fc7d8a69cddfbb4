import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from routines.models import Exercise
from tests.factories import EquipmentFactory, ExerciseFactory, MuscleFactory

pytestmark = pytest.mark.django_db
URL = reverse("routines:exercise_list")


@pytest.fixture
def exercises():
    chest = MuscleFactory(slug="pectorals", name="Pectorals")
    rhomboids = MuscleFactory(slug="rhomboids", name="Rhomboids")
    roller = EquipmentFactory(slug="foam-roller", name="Foam roller")
    return {
        "doorway": ExerciseFactory(
            name="Doorway stretch", summary="Opens the chest in a door frame.", targets=[chest]
        ),
        "roller": ExerciseFactory(
            name="Foam roller extension", kind=Exercise.Kind.MOBILITY, targets=[rhomboids], equipment=[roller]
        ),
        "partner": ExerciseFactory(
            name="Partner seated twist",
            kind=Exercise.Kind.PARTNER,
            targets=[rhomboids],
            partner_role="Guides your shoulders.",
            stretchee_position="Sits cross-legged.",
        ),
        "hidden": ExerciseFactory(name="Draft stretch", is_published=False, targets=[chest]),
    }


def names(response) -> list[str]:
    return [exercise.name for exercise in response.context["page"]]


def test_it_lists_published_exercises_alphabetically(client, exercises):
    response = client.get(URL)

    assert response.status_code == 200
    assert names(response) == ["Doorway stretch", "Foam roller extension", "Partner seated twist"]
    assert "Draft stretch" not in response.content.decode()
    assert "3 exercises" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "door"}, ["Doorway stretch"]),
        ({"q": "CHEST frame"}, ["Doorway stretch"]),
        ({"q": "rhomboids"}, ["Foam roller extension", "Partner seated twist"]),
        ({"kind": "mobility"}, ["Foam roller extension"]),
        ({"muscle": "rhomboids"}, ["Foam roller extension", "Partner seated twist"]),
        ({"equipment": "foam-roller"}, ["Foam roller extension"]),
        ({"who": "partner"}, ["Partner seated twist"]),
        ({"who": "solo"}, ["Doorway stretch", "Foam roller extension"]),
        ({"muscle": "rhomboids", "who": "solo"}, ["Foam roller extension"]),
        (
            {"q": "twist", "kind": "partner", "muscle": "rhomboids", "who": "partner"},
            ["Partner seated twist"],
        ),
        ({"q": "door", "who": "partner"}, []),
    ],
)
def test_filters_narrow_the_list_alone_and_combined(client, exercises, params, expected):
    response = client.get(URL, params)

    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "yoga"},
        {"muscle": "no-such-muscle"},
        {"equipment": "<script>"},
        {"who": "everyone"},
        {"q": "x" * 5000},
        {"page": "banana", "q": "zzz-nothing"},
        {"muscle": "'; DROP TABLE routines_exercise; --"},
    ],
)
def test_nonsense_filters_show_no_matches_instead_of_an_error(client, exercises, params):
    response = client.get(URL, params)

    assert response.status_code == 200
    assert names(response) == []
    assert "No matches" in response.content.decode()


def test_a_bad_filter_is_explained_next_to_the_form(client, exercises):
    response = client.get(URL, {"kind": "yoga"})

    assert "Select a valid choice" in response.content.decode()


def test_an_htmx_request_gets_only_the_results_fragment(client, exercises):
    response = client.get(URL, {"q": "door"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="results"')
    assert "Doorway stretch" in body
    assert "<html" not in body
    assert 'role="search"' not in body


def test_a_plain_request_gets_the_whole_page_with_a_working_form(client, exercises):
    response = client.get(URL, {"q": "door"})

    body = response.content.decode()
    assert "<html" in body
    assert 'method="get"' in body
    assert 'value="door"' in body  # what the person typed stays in the box


def test_the_page_is_paginated_and_keeps_the_filters_in_page_links(client):
    muscle = MuscleFactory(slug="rhomboids")
    ExerciseFactory.create_batch(30, targets=[muscle])

    first = client.get(URL, {"muscle": "rhomboids"})
    second = client.get(URL, {"muscle": "rhomboids", "page": 2})

    assert len(names(first)) == 24
    assert "muscle=rhomboids&amp;page=2" in first.content.decode()
    assert len(names(second)) == 6


def test_an_empty_library_says_so(client, db):
    response = client.get(URL)

    assert "Nothing in the library matches yet" in response.content.decode()


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"who": "solo"})
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_10_and_200_exercises(client, db, settings):
    settings.DEBUG = False
    muscles = [MuscleFactory(), MuscleFactory()]
    gear = [EquipmentFactory()]
    ExerciseFactory.create_batch(10, targets=muscles, equipment=gear)
    with_ten = count_queries(client)

    ExerciseFactory.create_batch(190, targets=muscles, equipment=gear)
    with_two_hundred = count_queries(client)

    assert with_ten == with_two_hundred


# --- What you need: nothing to buy, a band, light weights, or a roller or bar ------------------


@pytest.fixture
def by_need(exercises):
    band = EquipmentFactory(slug="resistance-band", name="Resistance band", kind="band")
    weights = EquipmentFactory(slug="light-weights", name="Light weights", kind="weights")
    chair = EquipmentFactory(slug="chair", name="Chair")
    roller = exercises["roller"].equipment.get()
    roller.kind = "tool"
    roller.save()
    return {
        "band": ExerciseFactory(name="Band row", equipment=[band]),
        "weights": ExerciseFactory(name="Supported row", equipment=[weights, chair]),
        "chair": ExerciseFactory(name="Seated extension", equipment=[chair]),
    }


@pytest.mark.parametrize(
    ("needs", "expected"),
    [
        ("none", ["Doorway stretch", "Partner seated twist", "Seated extension"]),
        ("band", ["Band row"]),
        ("weights", ["Supported row"]),
        ("tool", ["Foam roller extension"]),
        (
            "",
            [
                "Band row",
                "Doorway stretch",
                "Foam roller extension",
                "Partner seated twist",
                "Seated extension",
                "Supported row",
            ],
        ),
    ],
)
def test_it_filters_by_what_you_need(client, by_need, needs, expected):
    response = client.get(URL, {"needs": needs})

    assert names(response) == expected


def test_the_filter_form_asks_what_you_need_and_keeps_the_answer(client, by_need):
    body = client.get(URL, {"needs": "band"}).content.decode()

    assert '<label for="id_needs">What you need</label>' in body
    assert '<option value="band" selected>A resistance band</option>' in body
    assert '<option value="none">Nothing to buy</option>' in body


def test_a_card_says_when_an_exercise_needs_something_to_buy(client, by_need):
    body = client.get(URL, {"needs": "weights"}).content.decode()

    assert '<span class="tag">Light weights</span>' in body


def test_an_unknown_need_is_a_form_error_not_a_500(client, by_need):
    response = client.get(URL, {"needs": "kettlebell"})

    assert response.status_code == 200
    assert names(response) == []
    assert "What you need: Select a valid choice." in response.content.decode()
