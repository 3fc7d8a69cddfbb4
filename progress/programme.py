"""The programme "Upper-back reset, 6 weeks": what it holds, in plain data.

Three sessions a week (the same session each time, 10–20 minutes, so that "the last three
sessions" of an exercise are one week's work) and a short desk break every day. Three tracks:
mobility first, mobility with strength, strength led. Each item names a library exercise by slug
and, where the programme starts somewhere other than the library's own dose, the dose to start
at. The person's routines are built from this (progress.enrolment.programme_start), adapted to
their safety answers like any other copy (routines.swaps), and then moved on by the rules of
progress.progression.
"""

from dataclasses import dataclass

from progress.models import ProgrammeRoutine, Track

TITLE = "Upper-back reset, 6 weeks"
WEEKS = 6
SESSIONS_PER_WEEK = 3
# Every fourth week is lighter (with six weeks: week 4).
LIGHT_WEEK_EVERY = 4
SESSION_MINUTES = (10, 20)


@dataclass(frozen=True)
class PlannedItem:
    slug: str
    sets: int | None = None  # None: the library's own dose
    reps: int | None = None
    hold_seconds: int | None = None


@dataclass(frozen=True)
class TrackPlan:
    track: str
    summary: str
    session: tuple[PlannedItem, ...]


# The same short desk break on every track: a few minutes, sitting or standing, no kit.
DESK_BREAK = (
    PlannedItem("chin-tuck", sets=1, reps=8),
    PlannedItem("shoulder-rolls"),
    PlannedItem("seated-thoracic-extension", reps=6),
    PlannedItem("seated-chair-twist", reps=1),
)

TRACKS: dict[str, TrackPlan] = {
    Track.MOBILITY_FIRST: TrackPlan(
        Track.MOBILITY_FIRST,
        "Mostly gentle movement and stretches, with a little strength work. For a back that feels "
        "stiff more than weak, or if you are new to exercise. Nothing to buy.",
        (
            PlannedItem("cat-cow"),
            PlannedItem("seated-thoracic-extension"),
            PlannedItem("side-lying-open-book"),
            PlannedItem("thread-the-needle"),
            PlannedItem("childs-pose"),
            PlannedItem("doorway-stretch"),
            PlannedItem("shoulder-blade-squeeze", sets=2, reps=8),
            PlannedItem("knees-bent-breathing-rest"),
        ),
    ),
    Track.MOBILITY_STRENGTH: TrackPlan(
        Track.MOBILITY_STRENGTH,
        "Half movement, half strength: gentle mobility work alongside strengthening that builds "
        "up slowly. You will need a resistance band.",
        (
            PlannedItem("cat-cow"),
            PlannedItem("side-lying-open-book"),
            PlannedItem("prone-on-elbows"),
            PlannedItem("wall-slide"),
            PlannedItem("band-row"),
            PlannedItem("chin-tuck", sets=2, reps=8),
            PlannedItem("wall-push-up-plus"),
            PlannedItem("doorway-stretch"),
        ),
    ),
    Track.STRENGTH_LED: TrackPlan(
        Track.STRENGTH_LED,
        "Mostly strengthening the muscles between and around the shoulder blades, after a short "
        "warm-up. For a back that tires more than it stiffens. You will need a resistance band.",
        (
            PlannedItem("cat-cow"),
            PlannedItem("quadruped-thoracic-rotation"),
            PlannedItem("wall-slide"),
            PlannedItem("band-row"),
            PlannedItem("banded-external-rotation"),
            PlannedItem("wall-push-up-plus"),
            PlannedItem("chin-tuck", sets=2, reps=10),
            PlannedItem("doorway-stretch"),
        ),
    ),
}

ROUTINE_TITLES = {
    ProgrammeRoutine.Slot.SESSION: "Upper-back reset: session",
    ProgrammeRoutine.Slot.DESK: "Upper-back reset: desk break",
}
ROUTINE_DESCRIPTIONS = {
    ProgrammeRoutine.Slot.SESSION: (
        "Three times a week, with a rest day between (for example Monday, Wednesday and Friday). "
        "Part of the 6-week upper-back reset: it moves on as you log how it went."
    ),
    ProgrammeRoutine.Slot.DESK: (
        "A few minutes at your desk, once a day, ideally when you have been sitting for a while."
    ),
}


def items_for(track: str, slot: str) -> tuple[PlannedItem, ...]:
    return TRACKS[track].session if slot == ProgrammeRoutine.Slot.SESSION else DESK_BREAK


def is_light_week(week: int) -> bool:
    return week % LIGHT_WEEK_EVERY == 0


def slugs() -> set[str]:
    """Every exercise the programme names (checked against the library by the tests)."""
    return {item.slug for plan in TRACKS.values() for item in plan.session} | {
        item.slug for item in DESK_BREAK
    }
