"""What people have planned besides their own reminders, offered by the apps above this one.

A trainer's assignments live in coaching, which notifications may not import; coaching registers
a source here (CoachingConfig.ready) that the weekly summary and the calendar feed read.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Protocol

from routines.models import Routine


class TrainerPlan(Protocol):
    """A routine a trainer planned for a client on some weekdays (coaching.models.Assignment)."""

    pk: int
    routine: Routine
    routine_id: int
    weekdays: list[int]
    starts_on: date
    ends_on: date | None
    instructions: str

    @property
    def client_id(self) -> int: ...

    @property
    def trainer_name(self) -> str: ...

    def due_days(self, first: date, last: date) -> list[date]: ...

    def next_due(self, after: date) -> date | None: ...


# (client ids, first day) → the plans of those clients still running on or after that day that
# have no enabled reminder of their own (those show as reminders instead).
PlanSource = Callable[[Iterable[int], date], list[TrainerPlan]]
_sources: list[PlanSource] = []


def plan_source_register(source: PlanSource) -> None:
    if source not in _sources:
        _sources.append(source)


def plans_without_reminder(client_ids: Iterable[int], first_day: date) -> list[TrainerPlan]:
    client_ids = list(client_ids)
    return [plan for source in _sources for plan in source(client_ids, first_day)]
