import pytest

from accounts.models import User
from routines.models import MAX_ROUTINE_ITEMS, Exercise, Routine, RoutineItem
from routines.selectors import exercise_suggestions
from routines.services import (
    RoutineFullError,
    routine_copy,
    routine_copy_refresh,
    routine_create,
    routine_delete,
    routine_item_add,
    routine_item_move,
    routine_item_remove,
    routine_item_update,
    routine_update,
)
from tests.factories import (
    EquipmentFactory,
    ExerciseFactory,
    RoutineFactory,
    RoutineItemFactory,
    StarterRoutineFactory,
    TrainerClientFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def titles(routine: Routine) -> list[str]:
    return [item.exercise.name for item in routine.items.order_by("order")]


def test_copying_a_starter_routine_gives_the_person_a_private_copy_with_the_same_items():
    starter = StarterRoutineFactory(
        title="Desk break", exercises=[ExerciseFactory(name="A"), ExerciseFactory(name="B")]
    )
    starter.items.filter(order=2).update(hold_seconds=45, reps=3, note="Slowly")
    person = UserFactory()

    copy = routine_copy(routine=starter, to_user=person)

    assert (copy.owner, copy.visibility, copy.title, copy.copied_from) == (
        person,
        "private",
        "Desk break",
        starter,
    )
    assert titles(copy) == ["A", "B"]
    second = copy.items.get(order=2)
    assert (second.hold_seconds, second.reps, second.note) == (45, 3, "Slowly")
    assert starter.items.count() == 2  # the original is untouched


def test_a_duplicate_of_ones_own_routine_says_copy_and_other_copies_keep_the_title():
    trainer, client_ = UserFactory(), UserFactory()
    own = RoutineFactory(owner=trainer, title="Evening")

    duplicate = routine_copy(routine=own, to_user=trainer)
    assigned = routine_copy(routine=own, to_user=client_)
    from_starter = routine_copy(routine=StarterRoutineFactory(title="Desk break"), to_user=client_)

    assert [duplicate.title, assigned.title, from_starter.title] == [
        "Evening (copy)",
        "Evening",
        "Desk break",
    ]


def test_moving_an_item_swaps_it_with_its_neighbour_and_does_nothing_at_the_ends():
    routine = RoutineFactory(exercises=[ExerciseFactory(name=name) for name in "ABC"])
    a, b, c = routine.items.order_by("order")

    routine_item_move(item=c, direction="up")
    assert titles(routine) == ["A", "C", "B"]
    routine_item_move(item=a, direction="down")
    assert titles(routine) == ["C", "A", "B"]
    routine_item_move(item=c, direction="up")
    routine_item_move(item=b, direction="down")
    assert titles(routine) == ["C", "A", "B"]
    assert list(routine.items.order_by("order").values_list("order", flat=True)) == [1, 2, 3]


def test_the_estimate_counts_every_hold_rest_and_changeover():
    stretch = ExerciseFactory(hold_seconds=30, reps=2, sets=1, per_side=True)
    movement = ExerciseFactory(hold_seconds=5, reps=10, sets=2, per_side=False)
    routine = RoutineFactory(exercises=[stretch, movement])
    hold_item, move_item = routine.items.order_by("order")

    # Long holds rest 5 s between reps and between sides: L30 r5 L30 r5 R30 r5 R30.
    assert hold_item.estimated_seconds == 4 * 30 + 3 * 5
    # Short reps flow on; sets are separated by a 5 s rest: 10×5, rest, 10×5.
    assert move_item.estimated_seconds == 20 * 5 + 5
    # Plus a 15 s changeover between the two exercises.
    assert Routine.objects.with_items().get(pk=routine.pk).estimated_seconds == 135 + 105 + 15


def test_an_empty_routine_takes_no_time():
    assert RoutineFactory().estimated_seconds == 0


def test_the_timeline_labels_sides_sets_and_reps():
    item = RoutineItemFactory(exercise=ExerciseFactory(hold_seconds=20, reps=2, sets=1, per_side=True))

    labels = [(phase.kind, phase.label) for phase in item.timeline()]

    assert labels == [
        ("hold", "Left side · Rep 1 of 2"),
        ("rest", "Rest"),
        ("hold", "Left side · Rep 2 of 2"),
        ("rest", "Rest, then switch sides"),
        ("hold", "Right side · Rep 1 of 2"),
        ("rest", "Rest"),
        ("hold", "Right side · Rep 2 of 2"),
    ]


def test_adding_uses_the_exercise_defaults_and_stops_at_the_limit():
    routine = RoutineFactory()
    exercise = ExerciseFactory(hold_seconds=25, reps=3, sets=2, per_side=True)

    item = routine_item_add(routine=routine, exercise=exercise)
    assert (item.order, item.hold_seconds, item.reps, item.sets, item.per_side) == (1, 25, 3, 2, True)

    for _ in range(MAX_ROUTINE_ITEMS - 1):
        routine_item_add(routine=routine, exercise=exercise)
    with pytest.raises(RoutineFullError, match="at most 40"):
        routine_item_add(routine=routine, exercise=exercise)
    assert RoutineItem.objects.filter(routine=routine).count() == MAX_ROUTINE_ITEMS


def test_suggestions_leave_out_exercises_unsuitable_for_the_person_and_advanced_ones():
    safe = ExerciseFactory(name="Chin tuck")
    ExerciseFactory(
        name="Foam roller",
        suitability={"osteoporosis": {"verdict": "avoid", "why": "Pressure.", "instead": ["chin-tuck"]}},
    )
    ExerciseFactory(name="Partner pop", difficulty=Exercise.Difficulty.ADVANCED)
    already_added = ExerciseFactory(name="Cat-cow")
    person = UserFactory(tier2_answers=["osteoporosis"])

    suggested = exercise_suggestions(user=person, exclude_ids={already_added.pk})

    assert suggested == [safe]
    assert "Foam roller" in [e.name for e in exercise_suggestions(user=UserFactory(), exclude_ids=set())]


def test_suggestions_put_what_needs_nothing_to_buy_first():
    band = ExerciseFactory(name="Band row", equipment=[EquipmentFactory(slug="band", kind="band")])
    chair = ExerciseFactory(name="Seated twist", equipment=[EquipmentFactory(slug="chair")])
    bare = ExerciseFactory(name="Chin tuck")

    assert exercise_suggestions(user=UserFactory(), exclude_ids=set()) == [bare, chair, band]


# --- One routine-changed path ------------------------------------------------------------------


@pytest.fixture
def clients_routine():
    """A routine of a client who has a trainer (an active link), with three items."""
    link = TrainerClientFactory()
    return RoutineFactory(
        owner=link.client, exercises=[ExerciseFactory(), ExerciseFactory(), ExerciseFactory()]
    )


def dashboard_versions(routine: Routine) -> tuple[int, int]:
    """The dashboard versions of the routine's owner and of their trainer."""
    trainer = routine.owner.trainer_links.get().trainer
    return (
        User.objects.get(pk=routine.owner_id).dashboard_version,
        User.objects.get(pk=trainer.pk).dashboard_version,
    )


WRITES = {
    "routine_update": lambda routine: routine_update(routine=routine, title="Lunch reset", description=""),
    "routine_item_add": lambda routine: routine_item_add(routine=routine, exercise=ExerciseFactory()),
    "routine_item_update": lambda routine: routine_item_update(
        item=routine.items.first(), hold_seconds=60, reps=1, sets=1, per_side=False, note=""
    ),
    "routine_item_remove": lambda routine: routine_item_remove(item=routine.items.first()),
    "routine_item_move": lambda routine: routine_item_move(item=routine.items.first(), direction="down"),
    "routine_copy_refresh": lambda routine: routine_copy_refresh(
        copy=routine, source=RoutineFactory(exercises=[ExerciseFactory()])
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_a_routine_moves_its_updated_at_and_rebuilds_its_owners_and_their_trainers_pages(
    clients_routine, write
):
    updated_at, versions = clients_routine.updated_at, dashboard_versions(clients_routine)

    write(clients_routine)

    clients_routine.refresh_from_db()
    assert clients_routine.updated_at > updated_at
    owner_version, trainer_version = dashboard_versions(clients_routine)
    assert owner_version > versions[0]
    assert trainer_version > versions[1]


def test_creating_copying_and_deleting_a_routine_rebuild_the_owners_dashboard(clients_routine):
    owner = clients_routine.owner
    versions = [User.objects.get(pk=owner.pk).dashboard_version]

    made = routine_create(owner=owner, title="Evening")
    versions.append(User.objects.get(pk=owner.pk).dashboard_version)
    routine_copy(routine=clients_routine, to_user=owner)
    versions.append(User.objects.get(pk=owner.pk).dashboard_version)
    routine_delete(routine=made)
    versions.append(User.objects.get(pk=owner.pk).dashboard_version)

    assert versions == sorted(set(versions))  # each write bumped it


def test_moving_the_last_item_further_down_changes_nothing(clients_routine):
    updated_at, versions = clients_routine.updated_at, dashboard_versions(clients_routine)

    routine_item_move(item=clients_routine.items.order_by("order").last(), direction="down")

    clients_routine.refresh_from_db()
    assert (clients_routine.updated_at, dashboard_versions(clients_routine)) == (updated_at, versions)
