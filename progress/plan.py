"""Reads of the programme: "This week's plan" (the dashboard, the programme page, the weekly
summary) and the history of adjustments. A fixed number of queries, whatever the history."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404

from progress import programme
from progress.enrolment import is_paused
from progress.models import Adjustment, Enrolment, ProgrammeRoutine, SessionLog, Track, dose_label
from routines.models import CHANGEOVER_SECONDS, Equipment, Exercise, RoutineItem


@dataclass
class PlanItem:
    item: RoutineItem
    dose: str
    # The latest change not yet tried: "Next time: 3 × 10 instead of 2 × 10, because …".
    next_time: Adjustment | None = None


@dataclass
class PlanRoutine:
    link: ProgrammeRoutine
    items: list[PlanItem]

    @property
    def routine(self):
        return self.link.routine

    @property
    def minutes(self) -> int:
        return round(self.link.routine.estimated_seconds / 60)


@dataclass
class Plan:
    enrolment: Enrolment
    routines: list[PlanRoutine]
    paused: bool
    recent: list[Adjustment] = field(default_factory=list)

    @property
    def week(self) -> int:
        return self.enrolment.week

    @property
    def weeks(self) -> int:
        return programme.WEEKS

    @property
    def light_week(self) -> bool:
        return programme.is_light_week(self.enrolment.week)

    @property
    def next_week_light(self) -> bool:
        return programme.is_light_week(self.enrolment.week + 1) and self.enrolment.week < programme.WEEKS

    @property
    def held(self) -> bool:
        return self.enrolment.is_held

    @property
    def changes_waiting(self) -> int:
        return sum(1 for routine in self.routines for item in routine.items if item.next_time)


# The plan's rows with only what the plan shows of the rows they join: an exercise's name, the
# trainer's name. Joined whole, exercises and people were more than half of the plan's cost, on
# the first view of every dashboard after a change.
def _own_fields(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields]


def active_enrolment(user) -> Enrolment | None:
    # One at most (the enrolment_one_active constraint), so no ordering: first()'s would make
    # Django hash every selected column to match them against it.
    enrolments = (
        Enrolment.objects.active()
        .filter(user=user)
        .select_related("held_by")
        .only(*_own_fields(Enrolment), "held_by__display_name", "held_by__email")  # str(held_by)
        .order_by()[:1]
    )
    return next(iter(enrolments), None)


def programme_plan(user, today: date | None = None) -> Plan | None:
    """The plan of the person's programme under way, or None. Four queries, five after a recent
    change."""
    enrolment = active_enrolment(user)
    if enrolment is None:
        return None
    links = list(
        enrolment.routines.select_related("routine").prefetch_related(
            Prefetch(
                "routine__items",
                queryset=RoutineItem.objects.select_related("exercise").only(
                    *_own_fields(RoutineItem), "exercise__name"
                ),
            )
        )
    )
    links.sort(key=lambda link: ProgrammeRoutine.Slot.values.index(link.slot))  # the session first
    recent = list(
        Adjustment.objects.filter(enrolment=enrolment, undone_at__isnull=True, week__gte=enrolment.week - 1)
        .select_related("from_exercise", "to_exercise")
        .only(*_own_fields(Adjustment), "from_exercise__name", "to_exercise__name")  # Adjustment.change
        .order_by("-created_at", "-pk")
    )
    # A change is tried once a session of the plan's routine holding its item started at or after
    # it (the session that led to a change started before it). Only sessions since the oldest of
    # these changes can have tried one: a range of session_routine_started for each routine, and
    # no query at all when nothing changed lately.
    last_played = {}
    if recent:
        last_played = dict(
            SessionLog.objects.filter(
                user=user,
                routine_id__in=[link.routine_id for link in links],
                started_at__gte=recent[-1].created_at,
            )
            .values("routine_id")
            .annotate(last=Max("started_at"))
            .order_by()
            .values_list("routine_id", "last")
        )
    # Adjustments name items; an item no longer in the plan's routines has no routine here.
    routine_of = {item.pk: link.routine_id for link in links for item in link.routine.items.all()}
    waiting: dict[int, Adjustment] = {}  # each item's newest untried change: its "Next time"
    for adjustment in recent:
        last = last_played.get(routine_of.get(adjustment.item_id))
        if adjustment.item_id not in waiting and (last is None or adjustment.created_at > last):
            waiting[adjustment.item_id] = adjustment
    routines = [
        PlanRoutine(
            link=link,
            items=[
                PlanItem(
                    item=item,
                    dose=dose_label(sets=item.sets, reps=item.reps, hold_seconds=item.hold_seconds),
                    next_time=waiting.get(item.pk),
                )
                for item in link.routine.items.all()
            ],
        )
        for link in links
    ]
    return Plan(enrolment=enrolment, routines=routines, paused=is_paused(user), recent=recent)


def adjustment_history(enrolment: Enrolment) -> list[Adjustment]:
    return list(
        enrolment.adjustments.select_related("from_exercise", "to_exercise", "session").order_by(
            "-created_at", "-pk"
        )
    )


def get_adjustment_for_user(user, pk: int) -> Adjustment:
    """An adjustment of the person's own programme, or 404 for anyone else's."""
    return get_object_or_404(Adjustment.objects.select_related("enrolment"), pk=pk, enrolment__user=user)


@dataclass
class TrackOverview:
    track: str
    label: str
    summary: str
    session: list[tuple[Exercise, str]]  # (exercise, dose)
    desk: list[tuple[Exercise, str]]
    session_minutes: int
    desk_minutes: int
    needs: list[str]  # what to get hold of, beyond things at home


def track_overviews() -> list[TrackOverview]:
    """What each track holds, as the start page shows it (before swaps: those are made for the
    person when they start). Two queries."""
    exercises = {
        exercise.slug: exercise
        for exercise in Exercise.objects.published().filter(slug__in=programme.slugs()).with_lookups()
    }

    def planned(slot: str, track: str) -> tuple[list[tuple[Exercise, str]], int, set[str]]:
        rows, items = [], []
        for plan in programme.items_for(track, slot):
            exercise = exercises.get(plan.slug)
            if exercise is None:
                continue
            item = RoutineItem(
                exercise=exercise,
                sets=plan.sets or exercise.sets,
                reps=plan.reps or exercise.reps,
                hold_seconds=plan.hold_seconds or exercise.hold_seconds,
                per_side=exercise.per_side,
            )
            items.append(item)
            rows.append(
                (exercise, dose_label(sets=item.sets, reps=item.reps, hold_seconds=item.hold_seconds))
            )
        seconds = sum(item.estimated_seconds for item in items) + CHANGEOVER_SECONDS * max(len(items) - 1, 0)
        needs = {exercise.needs_label for exercise, _ in rows if exercise.needs != Equipment.Kind.NONE}
        return rows, round(seconds / 60), needs

    overviews = []
    for track, label in Track.choices:
        session, session_minutes, needs = planned(ProgrammeRoutine.Slot.SESSION, track)
        desk, desk_minutes, desk_needs = planned(ProgrammeRoutine.Slot.DESK, track)
        overviews.append(
            TrackOverview(
                track=track,
                label=label,
                summary=programme.TRACKS[track].summary,
                session=session,
                desk=desk,
                session_minutes=session_minutes,
                desk_minutes=desk_minutes,
                needs=sorted(needs | desk_needs),
            )
        )
    return overviews
