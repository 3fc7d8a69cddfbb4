"""Reads of the exercise library."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.screening import conditions_for
from routines.models import NEEDS_ORDER, Exercise, ExerciseQuerySet, Routine, RoutineItem
from routines.swaps import Swap, offered_exercises, swaps_planned


def exercise_search(
    *,
    q: str = "",
    kind: str = "",
    muscle_slug: str = "",
    equipment_slug: str = "",
    needs: str = "",
    who: str = "",
) -> ExerciseQuerySet:
    """Published exercises matching every given filter (an empty filter matches all). `needs` is
    an Equipment.Kind value: "none" is everything done with what every home has."""
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
    if needs:
        exercises = exercises.needing(needs)
    if who == "partner":
        exercises = exercises.filter(kind=Exercise.Kind.PARTNER)
    elif who == "solo":
        exercises = exercises.exclude(kind=Exercise.Kind.PARTNER)
    # Joins through targets can repeat a row; distinct keeps each exercise once.
    return exercises.distinct().with_lookups().order_by("name")


def exercise_suggestions(*, user, exclude_ids: set[int], limit: int = 8) -> list[Exercise]:
    """Gentle exercises to add next: published, not advanced, and none unsuitable for the person's
    conditions (accounts.screening.conditions_for); those that need nothing to buy first."""
    conditions = conditions_for(user)
    candidates = (
        Exercise.objects.published()
        .exclude(difficulty=Exercise.Difficulty.ADVANCED)
        .exclude(pk__in=exclude_ids)
        .with_lookups()
        .order_by("difficulty", "name")
    )
    # The library is small (tens of rows), and JSON key lookups differ between SQLite and PostgreSQL.
    suitable = [exercise for exercise in candidates if exercise.unsuitable_for(conditions) is None]
    # What needs nothing to buy first (a stable sort keeps difficulty, then name, within each kind).
    suitable.sort(key=lambda exercise: NEEDS_ORDER.index(exercise.needs))
    return suitable[:limit]


def exercise_links_by_slug() -> dict[str, Exercise]:
    """Every offered exercise with only what a link to it needs (the alternatives a verdict names).

    One query for the whole library (tens of rows), so a page that shows many verdicts does not
    ask once per alternative."""
    return {e.slug: e for e in Exercise.objects.published().only("slug", "name").order_by()}


def get_routine_for_user(user, pk: int) -> Routine:
    """A routine the person owns, or 404 — whether they are viewing, editing or playing it."""
    return get_object_or_404(Routine.objects.owned_by(user), pk=pk)


def get_visible_routine(user, pk: int) -> Routine:
    """A routine the person may look at: their own, or a starter routine. 404 for anyone else's."""
    visible = Q(visibility=Routine.Visibility.STARTER)
    if user.is_authenticated:
        visible |= Q(owner=user)
    return get_object_or_404(Routine.objects.filter(visible).with_items(), pk=pk)


def get_item_for_user(user, routine_pk: int, item_pk: int) -> RoutineItem:
    return get_object_or_404(
        RoutineItem.objects.select_related("routine", "exercise", "swapped_from"),
        pk=item_pk,
        routine__pk=routine_pk,
        routine__owner=user,
    )


# --- What adapting would do, read without writing (routines/swaps.py has the rules) -----------


def routines_of(user, *, q: str = "") -> QuerySet[Routine]:
    """The person's own routines for their list, most recently changed first, with what the cards
    show (items, exercises, equipment, and an assignment's trainer); with `q`, those whose title or
    description holds every word of it."""
    routines = (
        Routine.objects.owned_by(user)
        .with_items()
        .select_related("assignment__link__trainer")
        .order_by("-updated_at", "-pk")
    )
    for word in q.split():
        routines = routines.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return routines


def starter_cards(user) -> list[tuple[Routine, int]]:
    """Every starter routine with the number of its exercises a copy would swap for
    this person, without writing. The same queries however many starters and exercises: the
    starters, their items and equipment (with_items), and the offered exercises when the person
    has conditions."""
    starters = list(Routine.objects.starters().with_items().order_by("title"))
    conditions = conditions_for(user)
    if not conditions:
        return [(routine, 0) for routine in starters]
    offered = offered_exercises()
    return [(routine, len(swaps_planned(routine.items.all(), conditions, offered))) for routine in starters]


def routine_items_with_swaps_planned(routine: Routine, user) -> list[tuple[RoutineItem, Swap | None]]:
    """A routine's items for its page, each with the swap a copy ("Start now", "Customize") would
    make for this person: for a starter routine only (a person's own routines are adapted already)."""
    items = list(routine.items.all())
    conditions = conditions_for(user) if routine.is_starter else set()
    planned = swaps_planned(items, conditions, offered_exercises()) if conditions else {}
    return [(item, planned.get(item.pk)) for item in items]
