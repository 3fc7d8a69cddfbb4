"""How far an exercise's dose grows with practice before its harder variant is the better step.

`Exercise.progression` maps a part of the dose to the most a person builds up to, e.g.
{"reps": 12, "sets": 3}; a part it does not name stays at the exercise's starting dose. The shape
is checked here, for the library file and the admin alike (as routines/suitability.py does for
verdicts).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

# The parts of a dose that may grow with practice, and their limits (as the builder's).
DOSE_RANGES = {"hold_seconds": (5, 120), "reps": (1, 30), "sets": (1, 30)}


@dataclass(frozen=True)
class DoseCeiling:
    """The most of each part of an exercise's dose a person builds up to before the next harder
    variant is the better step (Exercise.progression; a part it does not name stays at the
    library's default)."""

    hold_seconds: int
    reps: int
    sets: int


def progression_problems(progression: object, *, start: dict | None = None) -> list[str]:
    """What is wrong with a progression mapping ({"reps": 12, "sets": 3}): known parts only, whole
    numbers within the builder's ranges, and never below the exercise's starting dose."""
    if not isinstance(progression, dict):
        return ["'progression' must map hold_seconds, reps or sets to the most a person builds up to"]
    problems = []
    for name, value in progression.items():
        if name not in DOSE_RANGES:
            problems.append(f"'progression' may name only {', '.join(DOSE_RANGES)}, not {name!r}")
            continue
        low, high = DOSE_RANGES[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(
                f"'progression' {name} must be a whole number from {low} to {high}, not {value!r}"
            )
        elif start and isinstance(start.get(name), int) and value < start[name]:
            problems.append(f"'progression' {name} ({value}) is below the starting {name} ({start[name]})")
    return problems


def validate_progression(value: object) -> None:
    problems = progression_problems(value)
    if problems:
        raise ValidationError(problems)
