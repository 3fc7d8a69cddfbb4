"""Writes to routines and their items. Loading the shipped library is routines.library_load."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.screening import conditions_for
from accounts.services import user_dashboard_changed
from routines.families import suitable_variant_step
from routines.models import MAX_ROUTINE_ITEMS, MAX_ROUTINES_PER_PERSON, Exercise, Routine, RoutineItem
from routines.swaps import ItemState, Swap, adapted_state, offered_exercises

# --- Routines ------------------------------------------------------------------------------------


class RoutineFullError(Exception):
    """A routine already holds MAX_ROUTINE_ITEMS items."""


class RoutineLimitError(Exception):
    """The person already has MAX_ROUTINES_PER_PERSON routines; the message says what to do."""


def _routine_room_check(owner) -> None:
    """Refuse a new routine (made or copied) for someone who has MAX_ROUTINES_PER_PERSON. Their
    row is locked first, so two quick clicks (or tabs) cannot both pass the count."""
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True))
    if Routine.objects.filter(owner=owner).count() >= MAX_ROUTINES_PER_PERSON:
        raise RoutineLimitError(
            f"You have {MAX_ROUTINES_PER_PERSON} routines, the most one account can keep. "
            "Delete one you no longer use, then try again."
        )


def routine_changed(*, routine: Routine) -> None:
    """Every write to a routine or its items ends here, deletions included.

    - `updated_at` moves on: "Update client's copy" appears when a trainer's routine changed after
      the client's copy was made (coaching.models.Assignment.copy_is_behind), and the routine
      list and the dashboard's "Start …" show the latest first.
    - The owner's dashboard (routine lengths, "Start …") and the rosters of their trainers are
      rebuilt (accounts.services.user_dashboard_changed). Starter routines have no owner.
    """
    now = timezone.now()
    if routine.pk is not None:  # a deleted routine has no row left to touch
        Routine.objects.filter(pk=routine.pk).update(updated_at=now)
    routine.updated_at = now
    if routine.owner_id is not None:
        user_dashboard_changed(user=routine.owner)


@transaction.atomic
def routine_copy(*, routine: Routine, to_user) -> Routine:
    """A private copy of `routine` (a starter, a trainer's to assign, or one's own) owned by
    `to_user`, adapted for their conditions (routine_adapt).

    A duplicate of one's own routine is titled "… (copy)", so the two can be told apart, and keeps
    its swaps and kept originals. Anyone else's copy starts from the original exercises (a
    trainer's own swaps were made for the trainer) and is adapted for the new owner.

    Raises RoutineLimitError when `to_user` has MAX_ROUTINES_PER_PERSON routines already."""
    _routine_room_check(to_user)
    copy = Routine.objects.create(
        owner=to_user,
        title=f"{routine.title} (copy)" if routine.owner_id == to_user.pk else routine.title,
        description=routine.description,
        visibility=Routine.Visibility.PRIVATE,
        copied_from=routine,
    )
    items = _items_copy(source=routine, to=copy)
    conditions = conditions_for(to_user)
    if _may_need_adapting(items, conditions):
        _routine_adapt(copy, conditions)
    routine_changed(routine=copy)
    return copy


@transaction.atomic
def routine_copy_to_play(*, routine: Routine, user) -> tuple[Routine, bool]:
    """The person's own copy of a starter to play ("Start now"), and whether it was made now.
    Their latest copy of that starter that still has exercises is used again, so pressing "Start
    now" every morning does not fill their routines with copies; otherwise a new one
    (routine_copy). The person's row is locked while this is decided: a double tap makes one copy."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = (
        Routine.objects.owned_by(user)
        .filter(copied_from=routine, items__isnull=False)
        .order_by("-updated_at")
        .first()
    )
    if existing is not None:
        return existing, False
    return routine_copy(routine=routine, to_user=user), True


@transaction.atomic
def routine_copy_refresh(*, copy: Routine, source: Routine) -> Routine:
    """Make `copy` match `source` as it is now (its title, description and items), adapted for
    the copy's owner. An exercise the owner chose to keep after reading why stays kept."""
    copy.title, copy.description = source.title, source.description
    copy.save(update_fields=["title", "description"])
    kept: dict[int, list[RoutineItem]] = {}
    for item in copy.items.filter(kept_original_at__isnull=False).order_by("order", "pk"):
        kept.setdefault(item.exercise_id, []).append(item)
    copy.items.all().delete()
    items = _items_copy(source=source, to=copy, kept=kept)
    conditions = conditions_for(copy.owner)
    if _may_need_adapting(items, conditions):
        _routine_adapt(copy, conditions)
    routine_changed(routine=copy)
    return copy


def _items_copy(
    *, source: Routine, to: Routine, kept: dict[int, list[RoutineItem]] | None = None
) -> list[RoutineItem]:
    """Append copies of `source`'s items, with their orders, to `to`.

    Between two routines of the same owner the swaps and kept originals go along; otherwise each
    item starts from its original exercise with that exercise's own dose; `kept` (by exercise id)
    holds the new owner's earlier choices to keep an original, which carry over to as many items."""
    same_owner = source.owner_id is not None and source.owner_id == to.owner_id
    items = []
    for item in source.items.all():
        copy = RoutineItem(
            routine=to,
            exercise_id=item.exercise_id,
            order=item.order,
            hold_seconds=item.hold_seconds,
            reps=item.reps,
            sets=item.sets,
            per_side=item.per_side,
            note=item.note,
        )
        if same_owner:
            copy.swapped_from_id, copy.swap_reason = item.swapped_from_id, item.swap_reason
            copy.kept_original_at = item.kept_original_at
        elif item.is_swapped:
            _item_dose_from(copy, item.swapped_from)
            copy.exercise_id = item.swapped_from_id
        if not same_owner and kept and kept.get(copy.exercise_id):
            choice = kept[copy.exercise_id].pop(0)  # as many times as it was kept, no more
            copy.swap_reason, copy.kept_original_at = choice.swap_reason, choice.kept_original_at
        items.append(copy)
    return RoutineItem.objects.bulk_create(items)


# --- Adapting routines to the person (routines/swaps.py has the rules) -----------------------

_ADAPTED_FIELDS = [
    "exercise",
    "swapped_from",
    "swap_reason",
    "kept_original_at",
    "hold_seconds",
    "reps",
    "sets",
    "per_side",
]


@transaction.atomic
def routine_adapt(*, routine: Routine, conditions: set[str]) -> list[Swap]:
    """Swap each exercise of `routine` that is unsuitable for `conditions` for its first suitable
    alternative (routines.swaps.adapted_state): published, not retired, and unsuitable for none
    of the conditions. The item keeps its place and note, takes the alternative's own dose, and
    records the exercise it replaced and the condition why.

    - Items the person chose to keep after reading why are left alone while that reason is the
      only one against them.
    - A swap whose reason is no longer among the conditions is undone: the original comes back.
    - When no alternative suits the person, the item is left as it is and its warning shows
      wherever it appears: an exercise is never silently dropped.
    Returns the swaps made; ends in routine_changed when anything changed.
    """
    changed = _routine_adapt(routine, conditions)
    if changed:
        routine_changed(routine=routine)
    return _swaps_of(changed)


@transaction.atomic
def routines_adapt(*, owner) -> list[Swap]:
    """Adapt every routine of `owner` (their own and the copies trainers assigned them) to their
    conditions as they are now. Called when their screening answers change
    (accounts.signals.conditions_changed, connected in RoutinesConfig.ready())."""
    conditions = conditions_for(owner)
    items = list(_items_for_adapting(RoutineItem.objects.filter(routine__owner=owner)))
    changed = _items_adapt(items, conditions)
    for routine in Routine.objects.filter(pk__in={item.routine_id for item in changed}):
        routine_changed(routine=routine)
    return _swaps_of(changed)


def _routine_adapt(routine: Routine, conditions: set[str]) -> list[RoutineItem]:
    """routine_adapt without routine_changed, for services that end in it anyway. Returns the
    items that changed."""
    return _items_adapt(list(_items_for_adapting(routine.items.all())), conditions)


def _swaps_of(items: list[RoutineItem]) -> list[Swap]:
    return [swap for item in items if (swap := ItemState.of(item).swap) is not None]


def _items_for_adapting(items):
    # Locked, so that an edit in the builder at the same moment is not overwritten.
    return items.select_related("exercise", "swapped_from").select_for_update(of=("self",))


def _items_adapt(items: list[RoutineItem], conditions: set[str]) -> list[RoutineItem]:
    """Adapt the items in place and save the ones that changed; returns those."""
    if not _may_need_adapting(items, conditions):
        return []
    offered = offered_exercises()
    changed = []
    for item in items:
        state = adapted_state(item, conditions, offered)
        if state is not None:
            _item_state_set(item, state)
            changed.append(item)
    RoutineItem.objects.bulk_update(changed, _ADAPTED_FIELDS)
    return changed


def _may_need_adapting(items: list[RoutineItem], conditions: set[str]) -> bool:
    """False when there is nothing to swap and nothing to undo, so the library need not be read."""
    return bool(conditions) or any(item.is_swapped or item.is_kept_original for item in items)


def _item_state_set(item: RoutineItem, state: ItemState) -> None:
    if state.exercise != item.exercise:
        _item_dose_from(item, state.exercise)
    item.exercise, item.swapped_from = state.exercise, state.swapped_from
    item.swap_reason, item.kept_original_at = state.swap_reason, state.kept_original_at


def _item_dose_from(item: RoutineItem, exercise: Exercise) -> None:
    """The exercise's own dose: a dose chosen for another exercise does not carry over."""
    item.hold_seconds, item.reps, item.sets = exercise.hold_seconds, exercise.reps, exercise.sets
    item.per_side = exercise.per_side


@transaction.atomic
def routine_item_keep_original(*, item: RoutineItem) -> bool:
    """The person read why an exercise was swapped and keeps the original: it comes back, with its
    own dose, its warning still showing, and the choice is recorded (`kept_original_at`). Returns
    False when the item is not swapped any more (a second click), or its original is no longer
    offered (retired or unpublished since)."""
    item = _items_for_adapting(RoutineItem.objects.filter(pk=item.pk)).select_related("routine").first()
    if item is None or not item.can_keep_original:
        return False
    _item_state_set(
        item,
        ItemState(exercise=item.swapped_from, swap_reason=item.swap_reason, kept_original_at=timezone.now()),
    )
    item.save(update_fields=_ADAPTED_FIELDS)
    routine_changed(routine=item.routine)
    return True


@transaction.atomic
def routine_item_use_alternative(*, item: RoutineItem, conditions: set[str]) -> Swap | None:
    """Undo "keep the original": the item is adapted to `conditions` again. Returns the swap, or
    None when nothing was kept, or when no alternative suits the person any more (the original
    then stays, as chosen, with its warning)."""
    item = _items_for_adapting(RoutineItem.objects.filter(pk=item.pk)).select_related("routine").first()
    if item is None or not item.is_kept_original:
        return None
    item.kept_original_at, item.swap_reason = None, ""
    state = adapted_state(item, conditions, offered_exercises())
    if state is not None:
        _item_state_set(item, state)
    item.save(update_fields=_ADAPTED_FIELDS)
    routine_changed(routine=item.routine)
    return ItemState.of(item).swap


@transaction.atomic
def routine_item_step(*, item: RoutineItem, step: int, conditions: set[str]) -> Exercise | None:
    """Step an item to an easier (`step` -1) or harder (+1) variant of its exercise, in place: the
    same item, order and note, with the variant's own dose (the library's starting dose for
    that level). Variants unsuitable for `conditions` are stepped over, never into
    (routines.families.suitable_variant_step). The person chose the variant, so the item is "as
    chosen" afterwards: a swap or a kept original is over. Returns the new exercise, or None when
    no suitable variant lies that way (nothing changes)."""
    item = _items_for_adapting(RoutineItem.objects.filter(pk=item.pk)).select_related("routine").first()
    if item is None:
        return None
    variant = suitable_variant_step(item.exercise, step, conditions)
    if variant is None or variant == item.exercise:
        return None
    _item_state_set(item, ItemState(exercise=variant))
    item.save(update_fields=_ADAPTED_FIELDS)
    routine_changed(routine=item.routine)
    return variant


@transaction.atomic
def routine_create(*, owner, title: str, description: str = "") -> Routine:
    """Raises RoutineLimitError when `owner` has MAX_ROUTINES_PER_PERSON routines already."""
    _routine_room_check(owner)
    routine = Routine.objects.create(owner=owner, title=title, description=description)
    routine_changed(routine=routine)
    return routine


def routine_update(*, routine: Routine, title: str, description: str) -> Routine:
    routine.title = title
    routine.description = description
    routine.save(update_fields=["title", "description"])
    routine_changed(routine=routine)
    return routine


def routine_delete(*, routine: Routine) -> None:
    routine.delete()
    routine_changed(routine=routine)


@transaction.atomic
def routine_item_add(*, routine: Routine, exercise: Exercise) -> RoutineItem:
    """Append `exercise` with its own defaults. Raises RoutineFullError at MAX_ROUTINE_ITEMS."""
    # Lock the routine so two quick "Add" clicks cannot both pass the limit check.
    Routine.objects.select_for_update().get(pk=routine.pk)
    count = routine.items.count()
    if count >= MAX_ROUTINE_ITEMS:
        raise RoutineFullError(f"A routine can hold at most {MAX_ROUTINE_ITEMS} exercises.")
    last = routine.items.order_by("-order").values_list("order", flat=True).first() or 0
    item = RoutineItem.objects.create(
        routine=routine,
        exercise=exercise,
        order=last + 1,
        hold_seconds=exercise.hold_seconds,
        reps=exercise.reps,
        sets=exercise.sets,
        per_side=exercise.per_side,
    )
    routine_changed(routine=routine)
    return item


def routine_item_update(
    *, item: RoutineItem, hold_seconds: int, reps: int, sets: int, per_side: bool, note: str
) -> RoutineItem:
    item.hold_seconds, item.reps, item.sets, item.per_side, item.note = (
        hold_seconds,
        reps,
        sets,
        per_side,
        note,
    )
    item.save(update_fields=["hold_seconds", "reps", "sets", "per_side", "note"])
    routine_changed(routine=item.routine)
    return item


def routine_item_remove(*, item: RoutineItem) -> None:
    item.delete()
    routine_changed(routine=item.routine)


@transaction.atomic
def routine_item_move(*, item: RoutineItem, direction: str) -> None:
    """Swap the item with its neighbour "up" (earlier) or "down" (later); at an end, do nothing."""
    siblings = item.routine.items.select_for_update().order_by("order", "pk")
    items = list(siblings)
    index = next(i for i, sibling in enumerate(items) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    # Renumber 1..n: also heals any gaps or ties left by removals.
    for order, sibling in enumerate(items, start=1):
        sibling.order = order
    RoutineItem.objects.bulk_update(items, ["order"])
    routine_changed(routine=item.routine)


# --- Routines built and moved on by a programme (progress.enrolment) ------------------------


@dataclass(frozen=True)
class ItemPlan:
    """An item to build: an exercise and its dose (the exercise's own where None)."""

    exercise: Exercise
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None


@transaction.atomic
def routine_build(*, owner, title: str, description: str, items: list[ItemPlan]) -> Routine:
    """A new routine of `owner` holding `items` in order, adapted for their conditions as any copy
    is (routine_adapt: an unsuitable exercise is swapped for its safer alternative). Raises
    RoutineLimitError when `owner` has MAX_ROUTINES_PER_PERSON routines already."""
    _routine_room_check(owner)
    routine = Routine.objects.create(owner=owner, title=title, description=description)
    built = RoutineItem.objects.bulk_create(
        RoutineItem(
            routine=routine,
            exercise=plan.exercise,
            order=order,
            hold_seconds=plan.hold_seconds or plan.exercise.hold_seconds,
            reps=plan.reps or plan.exercise.reps,
            sets=plan.sets or plan.exercise.sets,
            per_side=plan.exercise.per_side,
        )
        for order, plan in enumerate(items, start=1)
    )
    conditions = conditions_for(owner)
    if _may_need_adapting(built, conditions):
        _routine_adapt(routine, conditions)
    routine_changed(routine=routine)
    return routine


@dataclass(frozen=True)
class ItemChange:
    """A new exercise or dose for an item. A new exercise is as chosen: the programme only
    offers variants that suit the person (routines.families.suitable_variant_step)."""

    item: RoutineItem
    exercise: Exercise
    sets: int
    reps: int
    hold_seconds: int


@transaction.atomic
def routine_items_change(*, routine: Routine, changes: list[ItemChange]) -> None:
    """Apply `changes` to items of `routine` at once, ending in one routine_changed."""
    if not changes:
        return
    items = []
    for change in changes:
        item = change.item
        if item.exercise_id != change.exercise.pk:
            item.exercise, item.per_side = change.exercise, change.exercise.per_side
            item.swapped_from, item.swap_reason, item.kept_original_at = None, "", None
        item.sets, item.reps, item.hold_seconds = change.sets, change.reps, change.hold_seconds
        items.append(item)
    RoutineItem.objects.bulk_update(items, _ADAPTED_FIELDS)
    routine_changed(routine=routine)
