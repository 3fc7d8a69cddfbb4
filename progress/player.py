"""The guided player's run: where a person is in a routine, kept in their session.

Keeping it server-side makes the player work as a plain page sequence without JavaScript, lets a
person leave and come back to resume, and gives every run a token so that saving its log twice
records one session.
"""

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.utils import timezone

from routines.models import Phase, Routine, RoutineItem

# The countdown before each exercise's first hold, online and offline.
GET_READY = Phase("ready", 5, "Get into position")


@dataclass
class ExerciseResult:
    seconds: int
    reps: int
    skipped: bool
    # False when it was done without the timer and not timed: `seconds` is then 0 and says nothing.
    # (Runs kept in a session before this existed have no such key, hence the default.)
    timed: bool = True

    @classmethod
    def of_step(
        cls,
        item: RoutineItem,
        *,
        skipped: bool,
        seconds: int | None,
        held_full_time: bool = False,
        time_on_step: float,
    ) -> "ExerciseResult":
        """What was really done, by one rule: never more seconds held than the planned dose, nor
        than the time the person spent on the step (`time_on_step`).

        `seconds` is what the timer (static/js/player.js) counted in its holds; Done pressed early
        sends the seconds held so far. Without JavaScript there is no count: the person says they
        held the full time (`held_full_time`, the planned dose, within the time on the step), or
        the exercise is done but not timed."""
        dose = item.dose
        limit = max(0, min(dose.seconds, int(time_on_step)))
        if skipped:
            return cls(seconds=min(seconds or 0, limit), reps=0, skipped=True)
        if seconds is not None:
            return cls(seconds=min(seconds, limit), reps=dose.reps, skipped=False)
        if held_full_time:
            return cls(seconds=limit, reps=dose.reps, skipped=False)
        return cls(seconds=0, reps=dose.reps, skipped=False, timed=False)


# An exercise the person never reached before they logged the run.
NOT_REACHED = ExerciseResult(seconds=0, reps=0, skipped=True)


@dataclass
class PlayerRun:
    routine_id: int
    token: str
    started_at: str  # ISO 8601, UTC
    tightness_before: int | None
    item_ids: list[int]
    results: dict[str, dict] = field(default_factory=dict)  # item id → ExerciseResult as a dict
    # Set by "Stop: something feels wrong" (ISO 8601, UTC): the run is over, and only the stop
    # page's questions remain. Runs saved in a session before this existed have none.
    stopped_at: str | None = None
    # When the last step was recorded (ISO 8601, UTC), or None before the first: the time on the
    # current step is counted from it (or from the start), so no step records more time held than
    # really passed.
    last_step_at: str | None = None
    # When a run played offline ended (ISO 8601, UTC), as the device recorded it: its log is
    # saved later, when the network returns (progress/offline.py). None for a run played online.
    finished_at: str | None = None

    @staticmethod
    def _key(routine_id: int) -> str:
        return f"player:{routine_id}"

    @classmethod
    def start(cls, session, routine: Routine, tightness_before: int | None) -> "PlayerRun":
        run = cls(
            routine_id=routine.pk,
            token=str(uuid.uuid4()),
            started_at=timezone.now().isoformat(),
            tightness_before=tightness_before,
            item_ids=list(routine.items.order_by("order", "pk").values_list("pk", flat=True)),
        )
        run.save(session)
        return run

    @classmethod
    def unfinished(cls, session) -> list["PlayerRun"]:
        """Every run kept in the session (started, not yet logged or discarded), newest first."""
        runs = [cls(**data) for key, data in session.items() if key.startswith("player:")]
        return sorted(runs, key=lambda run: run.last_step_at or run.started_at, reverse=True)

    @classmethod
    def load(cls, session, routine_id: int) -> "PlayerRun | None":
        data = session.get(cls._key(routine_id))
        return cls(**data) if data else None

    def save(self, session) -> None:
        session[self._key(self.routine_id)] = asdict(self)

    def discard(self, session) -> None:
        session.pop(self._key(self.routine_id), None)

    def items(self) -> dict[int, RoutineItem]:
        """The run's items still in the routine, by id: one removed in the builder since the run
        started is missing."""
        items = RoutineItem.objects.filter(routine_id=self.routine_id, pk__in=self.item_ids)
        return {item.pk: item for item in items.select_related("exercise")}

    def record(self, item: RoutineItem, result: ExerciseResult) -> None:
        self.results[str(item.pk)] = asdict(result)
        self.last_step_at = timezone.now().isoformat()

    def seconds_on_step(self, time_scale: float = 1) -> float:
        """Seconds since the step on screen began (the last step recorded, or the start), in the
        player's time: divided by PLAYER_TIME_SCALE, which speeds every countdown up in tests."""
        since = datetime.fromisoformat(self.last_step_at or self.started_at)
        return (timezone.now() - since).total_seconds() / time_scale

    def stop(self, item: RoutineItem | None, seconds: int | None) -> None:
        """Something feels wrong: the run ends now. The exercise under way (`item`, if any, and not
        finished before) is logged as skipped, with the seconds the timer counted, if it ran; a
        second stop keeps the first one's time."""
        if self.stopped_at is None:
            self.stopped_at = timezone.now().isoformat()
        if item is not None and self.result_for(item.pk) is None:
            self.record(item, ExerciseResult(seconds=seconds or 0, reps=0, skipped=True))

    def result_for(self, item_id: int) -> ExerciseResult | None:
        data = self.results.get(str(item_id))
        return ExerciseResult(**data) if data else None

    def done_exercises(self, items: dict) -> list[tuple[int, str]]:
        """The exercises done in the run (not skipped), as (item id, name), for "How did that
        feel?". `items`: the run's items by id (items())."""
        done = []
        for item_id in self.item_ids:
            result = self.result_for(item_id)
            if item_id in items and result is not None and not result.skipped:
                done.append((item_id, items[item_id].exercise.name))
        return done

    @property
    def client_token(self) -> uuid.UUID:
        return uuid.UUID(self.token)

    @property
    def started(self) -> datetime:
        return datetime.fromisoformat(self.started_at)

    @property
    def is_stopped(self) -> bool:
        return self.stopped_at is not None

    @property
    def finished(self) -> datetime:
        """When the run ended: when it was stopped, when it ended offline, or else now (when its
        log is saved)."""
        ended = self.stopped_at or self.finished_at
        return datetime.fromisoformat(ended) if ended else timezone.now()

    @property
    def total(self) -> int:
        return len(self.item_ids)

    @property
    def next_number(self) -> int:
        """1-based number of the first exercise not yet done or skipped (total + 1 when all are)."""
        for number, item_id in enumerate(self.item_ids, start=1):
            if str(item_id) not in self.results:
                return number
        return self.total + 1

    @property
    def is_complete(self) -> bool:
        return self.next_number > self.total
