"""Writes to the exercise library and routines."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from routines.library_file import EXERCISES_FILE, library_read
from routines.models import Equipment, Exercise, ExerciseStep, Muscle


@dataclass
class LibraryLoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_customised: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@transaction.atomic
def library_load(*, path: Path = EXERCISES_FILE) -> LibraryLoadResult:
    """Load the library file into the database, all or nothing, keyed by slug.

    - A new slug is created; an entry whose content changed since the last load is rewritten.
    - An exercise that staff edited in the admin (is_customised) is left as staff made it, and
      reported, so that a shipped update never silently undoes an editor's fix.
    - Exercises no longer in the file are left alone: unpublishing is an editor's decision.
    Raises LibraryFileError (before writing anything) when the file is broken.
    """
    library = library_read(path)
    muscles = _upsert_lookups(Muscle, library.muscles)
    equipment = _upsert_lookups(Equipment, library.equipment)
    existing = {exercise.slug: exercise for exercise in Exercise.objects.all()}

    result = LibraryLoadResult()
    for entry in library.exercises:
        exercise = existing.get(entry.slug)
        if exercise is not None and exercise.is_customised:
            result.kept_customised.append(entry.slug)
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
    return result


def _upsert_lookups(model: type[Muscle] | type[Equipment], entries) -> dict:
    rows = {row.slug: row for row in model.objects.all()}
    for entry in entries:
        row = rows.get(entry.slug)
        if row is None:
            rows[entry.slug] = model.objects.create(slug=entry.slug, name=entry.name)
        elif row.name != entry.name:
            row.name = entry.name
            row.save(update_fields=["name"])
    return rows


def exercises_reset_to_library(*, exercises: QuerySet[Exercise]) -> None:
    """Drop staff edits: the next load_library rewrites these exercises from the file."""
    exercises.update(is_customised=False, library_hash="")
