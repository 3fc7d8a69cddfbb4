"""Reads of the exercise library."""

from django.db.models import Q

from routines.models import Exercise, ExerciseQuerySet


def exercise_search(
    *,
    q: str = "",
    kind: str = "",
    muscle_slug: str = "",
    equipment_slug: str = "",
    who: str = "",
) -> ExerciseQuerySet:
    """Published exercises matching every given filter (an empty filter matches all)."""
    exercises = Exercise.objects.published()
    for word in q.split():
        exercises = exercises.filter(
            Q(name__icontains=word) | Q(summary__icontains=word) | Q(targets__name__icontains=word)
        )
    if kind:
        exercises = exercises.filter(kind=kind)
    if muscle_slug:
        exercises = exercises.filter(targets__slug=muscle_slug)
    if equipment_slug:
        exercises = exercises.filter(equipment__slug=equipment_slug)
    if who == "partner":
        exercises = exercises.filter(kind=Exercise.Kind.PARTNER)
    elif who == "solo":
        exercises = exercises.exclude(kind=Exercise.Kind.PARTNER)
    # Joins through targets can repeat a row; distinct keeps each exercise once.
    return exercises.distinct().with_lookups().order_by("name")
