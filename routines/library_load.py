"""Loading the shipped library (`manage.py load_library`): exercises, lookups and starter routines
from routines/library/, all or nothing; retiring what the file retires."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from routines.library_file import LIBRARY_DIR, RoutineEntry, library_read
from routines.models import Equipment, Exercise, ExerciseStep, Muscle, Routine, RoutineItem
from routines.services import routine_changed


@dataclass
class LibraryLoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_customised: list[str] = field(default_factory=list)
    routines_written: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)  # newly retired by this load
    routines_without_retired: list[int] = field(default_factory=list)  # routines that lost items

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@transaction.atomic
def library_load(*, directory: Path = LIBRARY_DIR) -> LibraryLoadResult:
    """Load the library files into the database, all or nothing, keyed by slug.

    - A new slug is created; an entry whose content changed since the last load is rewritten.
    - An exercise that staff edited in the admin (is_customised) is left as staff made it, and
      reported, so that a shipped update never silently undoes an editor's fix.
    - Exercises no longer in the file are left alone: unpublishing is an editor's decision.
    - Starter routines (routines.yaml) are rewritten whenever their entry changed.
    - An entry marked `retired` is retired even if staff edited it: unpublished, its retirement
      date kept from the first load that retired it, and its items taken out of every routine.
      The row itself stays, so session logs that name it keep reading.
    Raises LibraryFileError (before writing anything) when a file is broken.
    """
    library = library_read(directory)
    muscles = _upsert_lookups(Muscle, library.muscles)
    equipment = _upsert_lookups(Equipment, library.equipment)
    existing = {exercise.slug: exercise for exercise in Exercise.objects.all()}

    result = LibraryLoadResult()
    now = timezone.now()
    for entry in library.exercises:
        exercise = existing.get(entry.slug)
        if entry.fields["retired_reason"] and (exercise is None or not exercise.is_retired):
            result.retired.append(entry.slug)
        if exercise is not None and exercise.is_customised:
            result.kept_customised.append(entry.slug)
            if entry.fields["retired_reason"]:
                _exercise_retire(exercise, reason=entry.fields["retired_reason"], now=now)
            continue
        if exercise is not None and exercise.library_hash == entry.content_hash:
            result.unchanged.append(entry.slug)
            continue
        if exercise is None:
            exercise = Exercise(slug=entry.slug)
            result.created.append(entry.slug)
        else:
            result.updated.append(entry.slug)
        for name, value in entry.fields.items():
            setattr(exercise, name, value)
        exercise.retired_at = (exercise.retired_at or now) if entry.fields["retired_reason"] else None
        exercise.library_hash = entry.content_hash
        exercise.full_clean(exclude=["targets", "equipment"])
        exercise.save()
        exercise.targets.set([muscles[slug] for slug in entry.targets])
        exercise.equipment.set([equipment[slug] for slug in entry.equipment])
        exercise.steps.all().delete()
        ExerciseStep.objects.bulk_create(
            ExerciseStep(exercise=exercise, order=number, text=text)
            for number, text in enumerate(entry.steps, 1)
        )
    exercises = {exercise.slug: exercise for exercise in Exercise.objects.all()}
    starters = {routine.slug: routine for routine in Routine.objects.starters()}
    for entry in library.routines:
        if _starter_routine_write(entry, starters.get(entry.slug), exercises):
            result.routines_written.append(entry.slug)
    result.routines_without_retired = retired_exercises_remove_from_routines()
    return result


def _exercise_retire(exercise: Exercise, *, reason: str, now: datetime) -> None:
    """Retire an exercise staff edited: only the retirement fields change, not their edits."""
    if exercise.is_retired and not exercise.is_published and exercise.retired_reason == reason:
        return
    exercise.retired_at = exercise.retired_at or now
    exercise.retired_reason = reason
    exercise.is_published = False
    exercise.save(update_fields=["retired_at", "retired_reason", "is_published", "updated_at"])


def _starter_routine_write(
    entry: RoutineEntry, routine: Routine | None, exercises: dict[str, Exercise]
) -> bool:
    if routine is not None and routine.library_hash == entry.content_hash:
        return False
    if routine is None:
        routine = Routine(slug=entry.slug, visibility=Routine.Visibility.STARTER)
    routine.title = entry.title
    routine.description = entry.description
    routine.library_hash = entry.content_hash
    routine.save()
    routine.items.all().delete()
    RoutineItem.objects.bulk_create(
        RoutineItem(
            routine=routine,
            exercise=exercises[item.exercise],
            order=order,
            hold_seconds=item.hold_seconds or exercises[item.exercise].hold_seconds,
            reps=item.reps or exercises[item.exercise].reps,
            sets=item.sets or exercises[item.exercise].sets,
            per_side=exercises[item.exercise].per_side,
            note=item.note,
        )
        for order, item in enumerate(entry.items, start=1)
    )
    routine_changed(routine=routine)
    return True


def _upsert_lookups(model: type[Muscle] | type[Equipment], entries) -> dict:
    rows = {row.slug: row for row in model.objects.all()}
    for entry in entries:
        values = {"name": entry.name}
        if model is Equipment:
            values["kind"] = entry.kind
        row = rows.get(entry.slug)
        if row is None:
            rows[entry.slug] = model.objects.create(slug=entry.slug, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(values))
    return rows


def exercises_reset_to_library(*, exercises: QuerySet[Exercise]) -> None:
    """Drop staff edits: the next load_library rewrites these exercises from the file."""
    exercises.update(is_customised=False, library_hash="")


@transaction.atomic
def retired_exercises_remove_from_routines() -> list[int]:
    """Take every retired exercise out of every routine (people's own, assigned copies, starters).

    Each routine that changes moves its `updated_at`, and its owner's dashboard (and their
    trainers' rosters) is rebuilt. Returns the ids of the routines that changed.
    """
    items = RoutineItem.objects.filter(exercise__retired_at__isnull=False)
    routine_ids = sorted(set(items.values_list("routine_id", flat=True)))
    if not routine_ids:
        return []
    items.delete()
    for routine in Routine.objects.filter(pk__in=routine_ids).select_related("owner"):
        routine_changed(routine=routine)
    return routine_ids
