"""Adapting a routine to the person who does it: adapt, don't only warn.

An exercise that is unsuitable for one of the person's conditions (accounts.screening.conditions_for)
is swapped for its first suitable alternative, and the item remembers what it replaced and why.
The rules are here, as plain functions of the items and the offered exercises, so that the
service that writes (services.routine_adapt) and the pages that only count what it would do (the
starter cards, a starter's page) apply the same ones.

An item is in one of three states (RoutineItem's check constraint holds them):
- as chosen: `exercise`, with no swap;
- swapped: `exercise` is the alternative, `swapped_from` the original, `swap_reason` the condition;
- kept: the person read why and kept the original (`exercise` again), with `kept_original_at`
  and the `swap_reason` they read.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from accounts.screening import CONDITION_BECAUSE
from routines.models import Exercise, RoutineItem
from routines.suitability import Verdict


@dataclass(frozen=True)
class Swap:
    """An exercise replaced by a safer one for a person, and the condition that made it unsuitable."""

    original: Exercise
    alternative: Exercise
    condition: str

    @property
    def because(self) -> str:
        return CONDITION_BECAUSE[self.condition]

    def __str__(self) -> str:
        return f"{self.original.name} → {self.alternative.name}, {self.because}"


@dataclass(frozen=True)
class ItemState:
    """What an item holds: its exercise, and whether and why it was swapped or kept."""

    exercise: Exercise
    swapped_from: Exercise | None = None
    swap_reason: str = ""
    kept_original_at: datetime | None = None

    @classmethod
    def of(cls, item: RoutineItem) -> "ItemState":
        return cls(item.exercise, item.swapped_from, item.swap_reason, item.kept_original_at)

    @property
    def swap(self) -> Swap | None:
        if self.swapped_from is None:
            return None
        return Swap(original=self.swapped_from, alternative=self.exercise, condition=self.swap_reason)


def offered_exercises() -> dict[str, Exercise]:
    """What a swap may put in a routine: every published exercise that is not retired, by slug.
    One query for the whole library (tens of rows)."""
    return {exercise.slug: exercise for exercise in Exercise.objects.published().order_by()}


def adapted_state(
    item: RoutineItem, conditions: set[str], offered: Mapping[str, Exercise]
) -> ItemState | None:
    """What `item` should hold for a person with `conditions`, or None when it stays as it is.
    The item needs its `exercise` and `swapped_from` loaded.

    - The original (the exercise as chosen, or the one a swap replaced) suits them: the item is
      as chosen. A swap whose reason has gone is undone, back to the original while it is still
      offered; a kept original has nothing left to keep.
    - It is unsuitable: the first alternative (the `instead` of each unsuitable verdict, in the
      verdicts' order) that is offered and unsuitable for none of their conditions, with the
      condition of the first unsuitable verdict as the reason.
    - A kept original stays kept while the reason the person read is the only one against it. A
      reason they have not read swaps it again, with that reason.
    - No alternative suits them: the item stays as it is (a swap made before stays, if it still
      suits them), and the exercise's warning shows where it appears. An exercise is never dropped.
    """
    original = item.swapped_from if item.is_swapped else item.exercise
    unsuitable = [verdict for verdict in original.verdict_for(conditions) if verdict.is_avoid]
    if item.is_kept_original:
        if unsuitable and all(verdict.condition == item.swap_reason for verdict in unsuitable):
            return None
        unsuitable.sort(key=lambda verdict: verdict.condition == item.swap_reason)  # unread first
    if not unsuitable:
        if not (item.is_swapped or item.is_kept_original):
            return None
        still_offered = offered.get(original.slug) == original
        return ItemState(exercise=original if still_offered else item.exercise)
    alternative = _first_suitable(unsuitable, conditions, offered, original)
    if alternative is None:
        if not (item.is_swapped and item.exercise.unsuitable_for(conditions) is None):
            return None
        alternative = item.exercise
    state = ItemState(exercise=alternative, swapped_from=original, swap_reason=unsuitable[0].condition)
    return None if state == ItemState.of(item) else state


def swaps_planned(
    items: Iterable[RoutineItem], conditions: set[str], offered: Mapping[str, Exercise]
) -> dict[int, Swap]:
    """The swaps adapting these items would make, by item id, without writing anything."""
    planned = {}
    for item in items:
        state = adapted_state(item, conditions, offered)
        if state is not None and state.swap is not None:
            planned[item.pk] = state.swap
    return planned


def _first_suitable(
    unsuitable: list[Verdict], conditions: set[str], offered: Mapping[str, Exercise], original: Exercise
) -> Exercise | None:
    for verdict in unsuitable:
        for slug in verdict.instead:
            alternative = offered.get(slug)
            if (
                alternative is not None
                and alternative != original
                and alternative.unsuitable_for(conditions) is None
            ):
                return alternative
    return None
