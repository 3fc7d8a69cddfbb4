"""The programme's progression rules, as plain functions of what the person logged: no queries,
no writes (progress.enrolment reads the logs and writes the changes).

An item moves up (more reps, a longer hold, or the next harder variant) when its last
SESSIONS_TO_STEP_UP sessions since it last changed were each logged with pain of PAIN_UP_MAX or
less, tightness after no worse than before, and a "How did that feel?" of just right or too easy
(or no answer: the question is optional); any session in between with pain of PAIN_BACK_FROM or
more, a red flag, or "Stop: something feels wrong", even one without the item
(progress.enrolment adds those), breaks the run.
It steps back after a session with pain of
PAIN_BACK_FROM or more, any red flag, or "too hard" for that exercise. In a lighter week, or
while a trainer holds the person at their level, nothing steps up; stepping back still happens.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from progress.models import LONG_HOLD_SECONDS, Feeling, dose_label

PAIN_UP_MAX = 3
PAIN_BACK_FROM = 5
SESSIONS_TO_STEP_UP = 3

# Doses an item climbs through. Movements (a rep shorter than LONG_HOLD) climb in sets × reps,
# holds in seconds; past the top, the next harder variant of the exercise (routines.families).
LONG_HOLD = LONG_HOLD_SECONDS
REP_LADDER = ((1, 5), (1, 6), (1, 8), (2, 6), (2, 8), (2, 10), (3, 10), (3, 12), (3, 15))
HOLD_LADDER = (10, 15, 20, 25, 30, 40, 45, 60)


@dataclass(frozen=True)
class Evidence:
    """How one session with the item in it went."""

    pain: int | None
    tightness_before: int | None
    tightness_after: int | None
    red_flags: tuple[str, ...]  # the labels of the red flags reported
    feeling: str  # progress.models.Feeling, or "" when not answered
    stopped: bool = False  # ended with "Stop: something feels wrong"

    @property
    def tightness_no_worse(self) -> bool:
        return (
            self.tightness_before is not None
            and self.tightness_after is not None
            and self.tightness_after <= self.tightness_before
        )

    @property
    def counts_towards_up(self) -> bool:
        return (
            not self.red_flags
            and not self.stopped
            and self.pain is not None
            and self.pain <= PAIN_UP_MAX
            and self.tightness_no_worse
            and self.feeling != Feeling.TOO_HARD
        )


@dataclass(frozen=True)
class Decision:
    kind: str  # "up", "back" or "stay"
    reason: str  # "because …" for a step; a sentence for staying


UP, BACK, STAY = "up", "back", "stay"


def decide(
    newest_first: Sequence[Evidence], *, light_week: bool, held: bool, just_logged: Evidence | None = None
) -> Decision:
    """What to do with one item, from its sessions since it last changed, newest first, and the
    session just logged (by default the newest): that one alone can step it back, whenever it
    happened; moving up counts the sessions since the last change."""
    latest = just_logged or (newest_first[0] if newest_first else None)
    if latest is not None:
        if latest.red_flags:
            return Decision(
                BACK, f"because after your last session you reported {latest.red_flags[0].lower()}"
            )
        if latest.pain is not None and latest.pain >= PAIN_BACK_FROM:
            return Decision(BACK, f"because your last session hurt (pain {latest.pain} out of 10)")
        if latest.feeling == Feeling.TOO_HARD:
            return Decision(BACK, "because you said it felt too hard last time")
    if light_week:
        return Decision(STAY, "This is a lighter week: nothing steps up until next week.")
    if held:
        return Decision(STAY, "Your trainer is keeping you at this level for now.")
    run = 0
    for evidence in newest_first:
        if not evidence.counts_towards_up:
            break
        run += 1
    if run >= SESSIONS_TO_STEP_UP:
        last = newest_first[:SESSIONS_TO_STEP_UP]
        if all(evidence.pain == 0 for evidence in last):
            return Decision(UP, "because your last three sessions were pain-free")
        return Decision(UP, f"because your last three sessions had little pain ({PAIN_UP_MAX} or less)")
    return Decision(
        STAY,
        f"{run} of {SESSIONS_TO_STEP_UP} easy sessions so far: it moves up after "
        f"{SESSIONS_TO_STEP_UP} in a row with pain of {PAIN_UP_MAX} or less and your back no tighter.",
    )


# --- Doses ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dose:
    """An item's exercise and how much of it: what a step changes."""

    exercise_id: int
    sets: int
    reps: int
    hold_seconds: int

    @property
    def is_hold(self) -> bool:
        return self.hold_seconds >= LONG_HOLD

    @property
    def label(self) -> str:
        return dose_label(sets=self.sets, reps=self.reps, hold_seconds=self.hold_seconds)


def dose_up(dose: Dose, ceiling: Dose | None = None) -> Dose | None:
    """One rung harder on the dose ladder, no further than `ceiling` (the most the library says to
    build up to: Exercise.dose_ceiling), or None at the top (then the next variant)."""
    if dose.is_hold:
        top = ceiling.hold_seconds if ceiling else HOLD_LADDER[-1]
        longer = [hold for hold in HOLD_LADDER if dose.hold_seconds < hold <= top]
        return _with(dose, hold_seconds=longer[0]) if longer else None
    volume = dose.sets * dose.reps
    bigger = [
        (sets, reps)
        for sets, reps in REP_LADDER
        if sets * reps > volume and (ceiling is None or (sets <= ceiling.sets and reps <= ceiling.reps))
    ]
    return _with(dose, sets=bigger[0][0], reps=bigger[0][1]) if bigger else None


def dose_back(dose: Dose) -> Dose | None:
    """One rung easier, or None at the bottom (then the easier variant)."""
    if dose.is_hold:
        shorter = [hold for hold in HOLD_LADDER if hold < dose.hold_seconds]
        return _with(dose, hold_seconds=shorter[-1]) if shorter else None
    volume = dose.sets * dose.reps
    smaller = [rung for rung in REP_LADDER if rung[0] * rung[1] < volume]
    return _with(dose, sets=smaller[-1][0], reps=smaller[-1][1]) if smaller else None


def dose_lighter(dose: Dose) -> Dose:
    """The lighter week's dose: one set fewer, else about a third fewer reps, else a shorter hold."""
    if dose.sets > 1:
        return _with(dose, sets=dose.sets - 1)
    if dose.reps > 1:
        return _with(dose, reps=dose.reps - max(1, dose.reps // 3))
    return _with(dose, hold_seconds=max(5, dose.hold_seconds - dose.hold_seconds // 3))


def _with(dose: Dose, **changes) -> Dose:
    return Dose(**{**dose.__dict__, **changes})
