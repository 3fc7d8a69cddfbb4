"""Writes of the programme: starting and stopping it, moving items on after each session (the rules
are progress.progression), undoing a step up, a trainer's hold, and the weekly turn.

Every change goes through routines.services (routine_build, routine_items_change), which ends in
routine_changed: the person's dashboard and their trainers' rosters are rebuilt.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.screening import ScreeningStatus, conditions_for
from accounts.services import user_dashboard_changed
from progress import programme
from progress.models import (
    RED_FLAGS,
    Adjustment,
    Enrolment,
    ExerciseLog,
    ProgrammeRoutine,
    ProgrammeWeek,
    SessionLog,
    any_red_flag,
)
from progress.progression import (
    PAIN_BACK_FROM,
    STAY,
    UP,
    Dose,
    Evidence,
    decide,
    dose_back,
    dose_lighter,
    dose_up,
)
from routines.families import suitable_variant_step
from routines.models import Exercise, Routine, RoutineItem
from routines.services import (
    ItemChange,
    ItemPlan,
    RoutineLimitError,
    routine_build,
    routine_copy,
    routine_items_change,
)

LIGHT_REASON = "because every fourth week is lighter"
RESTORE_REASON = "because the lighter week is over"
WEEK_TURN_BATCH = 500


class ProgrammeError(Exception):
    """The programme cannot be started; the message is for the person (or their trainer)."""


class ProgrammeRoomError(ProgrammeError):
    """The person has no room for the programme's two routines (routines.models.MAX_ROUTINES_PER_PERSON)."""


def local_midnight(day: date, zone) -> datetime:
    """The first instant of `day` in `zone`, in UTC. Where clocks skip midnight (a DST change at
    00:00), zoneinfo's fold=0 gives the first minute that exists after it."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def is_paused(user) -> bool:
    """A tier-1 answer (a sign that needs a clinician first) pauses the programme until the person
    confirms a clinician cleared them: the player is locked (accounts.decorators), the weeks do
    not turn, and nothing steps up."""
    return user.screening_status == ScreeningStatus.SEE_CLINICIAN


# --- Starting and stopping ------------------------------------------------------------------


@transaction.atomic
def programme_start(
    *,
    user,
    track: str,
    sources: dict[str, Routine] | None = None,
    assigned_by=None,
    now: datetime | None = None,
) -> Enrolment:
    """Start the programme on `track`: the person's own session and desk-break routines, built
    from the programme (or copied from `sources`, a trainer's own version, by slot), adapted to
    their safety answers. Raises ProgrammeError when one is already under way."""
    now = now or timezone.now()
    today = now.astimezone(user.zone).date()
    turns_on = today + timedelta(days=7)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                track=track,
                started_on=today,
                week_turns_on=turns_on,
                week_turns_at=local_midnight(turns_on, user.zone),
                assigned_by=assigned_by,
            )
    except IntegrityError:
        raise ProgrammeError("The programme is already under way. Stop it first to start again.") from None
    ProgrammeWeek.objects.create(enrolment=enrolment, number=1, began_at=now)
    try:
        if sources:
            routines = {slot: routine_copy(routine=source, to_user=user) for slot, source in sources.items()}
        else:
            routines = programme_routines_build(owner=user, track=track)
    except RoutineLimitError as error:  # nothing is started: the transaction is undone
        raise ProgrammeRoomError(f"The programme needs two routines of its own. {error}") from None
    for slot, routine in routines.items():
        ProgrammeRoutine.objects.create(enrolment=enrolment, slot=slot, routine=routine)
    user_dashboard_changed(user=user)
    return enrolment


def programme_routines_build(*, owner, track: str, title_prefix: str = "") -> dict[str, Routine]:
    """The track's session and desk-break routines as `owner`'s own, adapted to their safety
    answers: for a person starting the programme, or a trainer's own copy to change and assign."""
    offered = {exercise.slug: exercise for exercise in Exercise.objects.published()}
    routines = {}
    for slot in ProgrammeRoutine.Slot.values:
        plans = [
            ItemPlan(offered[item.slug], item.sets, item.reps, item.hold_seconds)
            for item in programme.items_for(track, slot)
            if item.slug in offered  # an exercise unpublished since is left out
        ]
        routines[slot] = routine_build(
            owner=owner,
            title=f"{title_prefix}{programme.ROUTINE_TITLES[slot]}",
            description=programme.ROUTINE_DESCRIPTIONS[slot],
            items=plans,
        )
    return routines


def programme_stop(*, enrolment: Enrolment) -> None:
    """Stop following the programme. Its routines stay the person's, as they are now."""
    Enrolment.objects.filter(pk=enrolment.pk, status=Enrolment.Status.ACTIVE).update(
        status=Enrolment.Status.STOPPED, ended_at=timezone.now()
    )
    user_dashboard_changed(user=enrolment.user)


def programme_hold(*, enrolment: Enrolment, trainer, hold: bool) -> None:
    """A trainer keeps the person at their level (nothing steps up), or lets it move on again."""
    enrolment.held_at = timezone.now() if hold else None
    enrolment.held_by = trainer if hold else None
    enrolment.save(update_fields=["held_at", "held_by"])
    user_dashboard_changed(user=enrolment.user)


# --- After each session ---------------------------------------------------------------------


def programme_session_logged(*, session: SessionLog) -> list[Adjustment]:
    """Move each exercise of the session's programme routine on by the rules, recording why.
    Called by progress.services.session_log_record; nothing happens for other routines."""
    if session.routine_id is None:
        return []
    link = (
        ProgrammeRoutine.objects.select_related("enrolment", "routine")
        .filter(routine_id=session.routine_id, enrolment__status=Enrolment.Status.ACTIVE)
        .first()
    )
    if link is None:
        return []
    enrolment = link.enrolment
    user = session.user
    with transaction.atomic():
        items = list(
            RoutineItem.objects.filter(routine_id=link.routine_id)
            .select_related("exercise")
            .select_for_update(of=("self",))
            .order_by("order", "pk")
        )
        window, this = _evidence(enrolment, session, items)
        held = enrolment.is_held or is_paused(user)
        light = programme.is_light_week(enrolment.week)
        conditions = conditions_for(user)
        changes, adjustments = [], []
        for item in items:
            if item.exercise_id not in this:
                continue  # not done in this session (skipped)
            decision = decide(
                window.get(item.pk, []), light_week=light, held=held, just_logged=this[item.exercise_id]
            )
            if decision.kind == STAY:
                continue
            step = _step(item, decision.kind, conditions, {item.exercise_id for item in items})
            if step is None:
                continue  # at the top (or bottom) already, with no variant that suits them
            change = ItemChange(item, *step)
            adjustments.append(
                _adjustment(
                    enrolment, item, change, kind=decision.kind, reason=decision.reason, session=session
                )
            )
            changes.append(change)
        if changes:
            routine_items_change(routine=link.routine, changes=changes)
            Adjustment.objects.bulk_create(adjustments)
            ups = sum(1 for adjustment in adjustments if adjustment.kind == UP)
            _level_move(enrolment, ups - (len(adjustments) - ups))
    return adjustments


def _level_move(enrolment: Enrolment, steps: int) -> None:
    if steps:
        Enrolment.objects.filter(pk=enrolment.pk).update(steps=Greatest(F("steps") + steps, 0))


def _evidence(
    enrolment: Enrolment, session: SessionLog, items: list[RoutineItem]
) -> tuple[dict[int, list[Evidence]], dict[int, Evidence]]:
    """(window, this): for each item, how its sessions since it last changed (or a step up was
    undone; at first, since the day the programme started) went, newest first, when `session` is
    among them (otherwise it cannot count towards a step up: []); and how `session` went, by
    exercise. Three queries: the third finds the sessions since with pain, a warning sign or a
    stop that did not include an exercise (the desk break, a session stopped early), which break its
    run towards a step up as much as one that did."""
    zone = session.user.zone
    start = datetime.combine(enrolment.started_on, time(0), tzinfo=zone)
    since = {item.pk: start for item in items}
    changed = (
        Adjustment.objects.filter(enrolment=enrolment, item__in=items)
        .values("item_id")
        .annotate(last=Max("created_at"), undone=Max("undone_at"))
        .order_by()
    )
    for row in changed:
        since[row["item_id"]] = max(moment for moment in (row["last"], row["undone"]) if moment is not None)
    logs = (
        ExerciseLog.objects.filter(
            Q(session=session) | Q(session__started_at__gt=min(since.values(), default=start)),
            session__routine_id=session.routine_id,
            skipped=False,
        )
        .values_list(
            "exercise_id",
            "feeling",
            "session_id",
            "session__started_at",
            "session__pain",
            "session__tightness_before",
            "session__tightness_after",
            "session__stopped_early",
            *(f"session__{field}" for field in RED_FLAGS),
        )
        .order_by("-session__started_at", "-session_id")
    )
    by_exercise: dict[int, list[tuple[datetime, int, Evidence]]] = defaultdict(list)
    this: dict[int, Evidence] = {}
    for exercise_id, feeling, session_id, started, pain, before, after, stopped, *flags in logs:
        found = Evidence(pain, before, after, _flag_labels(flags), feeling, stopped)
        by_exercise[exercise_id].append((started, session_id, found))
        if session_id == session.pk:
            this.setdefault(exercise_id, found)
    # Pain, a warning sign or "Stop: something feels wrong" in any other session since (the desk
    # break, a session stopped before the exercise, another routine) breaks the run too: a step up
    # never passes over one.
    warnings = [
        (started, session_id, Evidence(pain, before, after, _flag_labels(flags), "", stopped))
        for session_id, started, pain, before, after, stopped, *flags in SessionLog.objects.filter(
            any_red_flag() | Q(pain__gte=PAIN_BACK_FROM) | Q(stopped_early=True),
            user_id=session.user_id,
            started_at__gt=min(since.values(), default=start),
        )
        .exclude(pk=session.pk)
        .values_list(
            "pk", "started_at", "pain", "tightness_before", "tightness_after", "stopped_early", *RED_FLAGS
        )
    ]
    window = {}
    for item in items:
        seen, rows = set(), []
        # Newest first; a session that is both (the exercise done, then a warning) is kept as
        # the exercise's row, which has the person's feeling: it sorts first, as the 1 says.
        found_rows = sorted(
            [
                *(
                    (started, session_id, 1, found)
                    for started, session_id, found in by_exercise.get(item.exercise_id, [])
                ),
                *((started, session_id, 0, found) for started, session_id, found in warnings),
            ],
            key=lambda row: row[:3],
            reverse=True,
        )
        for started, session_id, _, found in found_rows:
            if started > since[item.pk] and session_id not in seen:  # an exercise twice: once
                seen.add(session_id)
                rows.append(found)
        window[item.pk] = rows if session.started_at > since[item.pk] else []
    return window, this


def _flag_labels(flags) -> tuple[str, ...]:
    """The labels of the red flags reported, from the RED_FLAGS fields' values in order."""
    return tuple(label for label, flag in zip(RED_FLAGS.values(), flags, strict=True) if flag)


def _step(
    item: RoutineItem, kind: str, conditions: set[str], in_routine: set[int]
) -> tuple[Exercise, int, int, int] | None:
    """The item one step up or back: its dose on the ladder (up to the most the library says to
    build up to), else the next variant that suits the person, at the variant's own dose. None
    when there is nowhere to go, or the variant is already in the routine."""
    dose = Dose(item.exercise_id, item.sets, item.reps, item.hold_seconds)
    if kind == UP:
        top = item.exercise.dose_ceiling
        moved = dose_up(dose, Dose(item.exercise_id, top.sets, top.reps, top.hold_seconds))
    else:
        moved = dose_back(dose)
    if moved is not None:
        return item.exercise, moved.sets, moved.reps, moved.hold_seconds
    variant = suitable_variant_step(item.exercise, +1 if kind == UP else -1, conditions)
    if variant is None or variant.pk in in_routine:
        return None
    return variant, variant.sets, variant.reps, variant.hold_seconds


def _adjustment(
    enrolment: Enrolment, item: RoutineItem, change: ItemChange, *, kind: str, reason: str, session=None
) -> Adjustment:
    # Read before routine_items_change writes the item: `item` still holds the old state.
    return Adjustment(
        enrolment=enrolment,
        item=item,
        kind=kind,
        week=enrolment.week,
        session=session,
        from_exercise_id=item.exercise_id,
        from_sets=item.sets,
        from_reps=item.reps,
        from_hold_seconds=item.hold_seconds,
        to_exercise=change.exercise,
        to_sets=change.sets,
        to_reps=change.reps,
        to_hold_seconds=change.hold_seconds,
        reason=reason,
    )


@transaction.atomic
def adjustment_undo(*, adjustment: Adjustment) -> bool:
    """Undo a step up: the item goes back to what it was, and needs three new sessions before it
    steps up again. False when it cannot (not a step up, undone already, or the item changed
    since)."""
    adjustment = (
        Adjustment.objects.select_for_update(of=("self",))
        .select_related("item__routine", "from_exercise", "enrolment__user")
        .get(pk=adjustment.pk)
    )
    item = adjustment.item
    if not adjustment.can_undo or item is None:
        return False
    now_state = (item.exercise_id, item.sets, item.reps, item.hold_seconds)
    if now_state != (
        adjustment.to_exercise_id,
        adjustment.to_sets,
        adjustment.to_reps,
        adjustment.to_hold_seconds,
    ):
        return False
    change = ItemChange(
        item,
        adjustment.from_exercise,
        adjustment.from_sets,
        adjustment.from_reps,
        adjustment.from_hold_seconds,
    )
    routine_items_change(routine=item.routine, changes=[change])
    adjustment.undone_at = timezone.now()
    adjustment.save(update_fields=["undone_at"])
    _level_move(adjustment.enrolment, -1)
    return True


# --- The weekly turn ------------------------------------------------------------------------


@dataclass
class WeeksTurned:
    turned: int = 0
    finished: int = 0
    paused: int = 0


def programme_weeks_turn(*, now: datetime | None = None) -> WeeksTurned:
    """Turn the week of every enrolment whose turn is due (its person's local midnight), in
    batches, each in its own transaction, with SKIP LOCKED so that two workers share the work.
    The turn moves `week_turns_at` on by a week in the same transaction and ProgrammeWeek's
    unique key stops a second writer, so running it again changes nothing; a task that was down
    catches up one week at a time, in order."""
    now = now or timezone.now()
    report = WeeksTurned()
    while True:
        with transaction.atomic():
            due = list(
                Enrolment.objects.active()
                .filter(week_turns_at__lte=now)
                .select_related("user")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("week_turns_at")[:WEEK_TURN_BATCH]
            )
            for enrolment in due:
                outcome = enrolment_week_turn(enrolment=enrolment, now=now)
                setattr(report, outcome, getattr(report, outcome) + 1)
        if not due:  # a turn moves week_turns_at on, so each pass leaves fewer due
            return report


def enrolment_week_turn(*, enrolment: Enrolment, now: datetime) -> str:
    """One enrolment's turn (locked by the caller): "turned", "finished" or "paused"."""
    user = enrolment.user
    turning_on = enrolment.week_turns_on
    enrolment.week_turns_on = turning_on + timedelta(days=7)
    enrolment.week_turns_at = local_midnight(enrolment.week_turns_on, user.zone)
    if is_paused(user):
        # The week waits for the person: it does not move on while they see a clinician.
        enrolment.save(update_fields=["week_turns_on", "week_turns_at"])
        return "paused"
    number = enrolment.week + 1
    _, created = ProgrammeWeek.objects.get_or_create(
        enrolment=enrolment, number=number, defaults={"began_at": local_midnight(turning_on, user.zone)}
    )
    if not created:  # turned already by another writer: only the schedule moves on
        enrolment.save(update_fields=["week_turns_on", "week_turns_at"])
        return "turned"
    if number > programme.WEEKS:
        enrolment.status, enrolment.ended_at = Enrolment.Status.FINISHED, now
        enrolment.save(update_fields=["week_turns_on", "week_turns_at", "status", "ended_at"])
        user_dashboard_changed(user=user)
        return "finished"
    enrolment.week = number
    enrolment.save(update_fields=["week_turns_on", "week_turns_at", "week"])
    if programme.is_light_week(number):
        _weeks_lighten(enrolment)
    elif programme.is_light_week(number - 1):
        _weeks_restore(enrolment)
    user_dashboard_changed(user=user)
    return "turned"


def _weeks_lighten(enrolment: Enrolment) -> None:
    for link in enrolment.routines.select_related("routine"):
        items = list(link.routine.items.select_related("exercise").order_by("order", "pk"))
        changes, adjustments = [], []
        for item in items:
            lighter = dose_lighter(Dose(item.exercise_id, item.sets, item.reps, item.hold_seconds))
            change = ItemChange(item, item.exercise, lighter.sets, lighter.reps, lighter.hold_seconds)
            adjustments.append(
                _adjustment(enrolment, item, change, kind=Adjustment.Kind.LIGHT, reason=LIGHT_REASON)
            )
            changes.append(change)
        routine_items_change(routine=link.routine, changes=changes)
        Adjustment.objects.bulk_create(adjustments)


def _weeks_restore(enrolment: Enrolment) -> None:
    """Back to the doses before the lighter week, for the items nothing changed since."""
    lightened = Adjustment.objects.filter(
        enrolment=enrolment, kind=Adjustment.Kind.LIGHT, week=enrolment.week - 1, item__isnull=False
    ).select_related("item__routine", "item__exercise", "from_exercise")
    by_routine: dict[int, tuple[Routine, list[ItemChange], list[Adjustment]]] = {}
    for light in lightened:
        item = light.item
        if (item.exercise_id, item.sets, item.reps, item.hold_seconds) != (
            light.to_exercise_id,
            light.to_sets,
            light.to_reps,
            light.to_hold_seconds,
        ):
            continue  # stepped back (or changed by hand) during the lighter week: left as it is
        change = ItemChange(
            item, light.from_exercise, light.from_sets, light.from_reps, light.from_hold_seconds
        )
        routine, changes, adjustments = by_routine.setdefault(item.routine_id, (item.routine, [], []))
        adjustments.append(
            _adjustment(enrolment, item, change, kind=Adjustment.Kind.RESTORE, reason=RESTORE_REASON)
        )
        changes.append(change)
    for routine, changes, adjustments in by_routine.values():
        routine_items_change(routine=routine, changes=changes)
        Adjustment.objects.bulk_create(adjustments)


def enrolments_follow_time_zone(*, user) -> None:
    """A new time zone: the week still turns at local midnight of the same day, in the new zone."""
    for enrolment in Enrolment.objects.active().filter(user=user):
        enrolment.week_turns_at = local_midnight(enrolment.week_turns_on, user.zone)
        enrolment.save(update_fields=["week_turns_at"])
