"""Exercise families: easier and harder variants of the same work.

Exercises that share `Exercise.family` are variants of each other, ordered by `level` (1 is the
easiest). The library file guarantees levels 1..n within a family (library_file.family_problems);
at run time only offered exercises count (published, not retired), so a variant staff
unpublished is simply stepped over.

Plain reads, no writes: the builder's and the player's "Easier" / "Harder" buttons
(`routines.services.routine_item_step`) and the programme read them.
"""

from collections.abc import Iterable

from routines.models import Exercise


def family_members(exercise: Exercise) -> list[Exercise]:
    """Every offered exercise of `exercise`'s family, easiest first (the exercise itself among
    them when it is offered). An exercise without a family has no members: []."""
    if not exercise.family:
        return []
    return list(Exercise.objects.published().filter(family=exercise.family).order_by("level", "name"))


def variant_step(exercise: Exercise, step: int) -> Exercise | None:
    """The variant `step` places harder (+1: the next harder; -1: the next easier; 0: the
    exercise itself), or None when there is none that far (the ends of the family, or no
    family)."""
    return _step_in(family_members(exercise), exercise, step)


def suitable_variant_step(exercise: Exercise, step: int, conditions: Iterable[str]) -> Exercise | None:
    """As `variant_step`, stepping over the variants unsuitable for the person's conditions
    (`accounts.screening.conditions_for`): one step up is the next harder variant that suits
    them. None when no variant that way suits them."""
    conditions = set(conditions)
    members = family_members(exercise)
    suitable = [m for m in members if m.pk == exercise.pk or m.unsuitable_for(conditions) is None]
    return _step_in(suitable, exercise, step)


def variant_neighbours(
    exercise: Exercise, conditions: Iterable[str] = ()
) -> tuple[Exercise | None, Exercise | None]:
    """(easier, harder): the variants one step each way that suit the person, from one query."""
    conditions = set(conditions)
    members = family_members(exercise)
    suitable = [m for m in members if m.pk == exercise.pk or m.unsuitable_for(conditions) is None]
    return _step_in(suitable, exercise, -1), _step_in(suitable, exercise, +1)


def variant_neighbours_of(
    exercises: Iterable[Exercise], conditions: Iterable[str] = ()
) -> dict[int, tuple[Exercise | None, Exercise | None]]:
    """`variant_neighbours` for many exercises at once (a routine's items), by exercise id, from
    one query whatever their number; exercises without a family get (None, None)."""
    exercises = list(exercises)
    conditions = set(conditions)
    families = {exercise.family for exercise in exercises if exercise.family}
    by_family: dict[str, list[Exercise]] = {family: [] for family in families}
    if families:
        for member in Exercise.objects.published().filter(family__in=families).order_by("level", "name"):
            by_family[member.family].append(member)
    neighbours = {}
    for exercise in exercises:
        members = by_family.get(exercise.family, [])
        suitable = [m for m in members if m.pk == exercise.pk or m.unsuitable_for(conditions) is None]
        neighbours[exercise.pk] = (_step_in(suitable, exercise, -1), _step_in(suitable, exercise, +1))
    return neighbours


def variant_step_message(before: Exercise, variant: Exercise | None, step: int) -> str:
    """What stepping an item to `variant` (None: it did not move) says, in the builder and the
    player alike."""
    if variant is not None:
        return f"{variant.name} in place of {before.name}, starting at its own dose."
    way = "harder" if step > 0 else "easier"
    if variant_step(before, step) is None:
        return f"{before.name} is the {way.replace('er', 'est')} variant in its family, so it stays."
    return f"Nothing {way} than {before.name} in its family suits your answers, so it stays."


def _step_in(members: list[Exercise], exercise: Exercise, step: int) -> Exercise | None:
    """`step` places from `exercise` along `members` (ordered by level). An exercise that is not
    itself among them (unpublished since) steps from its level."""
    if step == 0:
        return exercise
    easier = [m for m in members if m.level < exercise.level]
    harder = [m for m in members if m.level > exercise.level]
    if step > 0:
        return harder[step - 1] if step <= len(harder) else None
    return easier[step] if -step <= len(easier) else None
