"""A believable history of sessions, for the demo person of `make run` and for `make bench`.

A newcomer who logs in as the demo person should see a living dashboard at once: eight weeks of
sessions with gap days, a bad week and tightness that eases over time. The pieces are shared:
callers plan which sessions happen (`PlannedSession`), and `session_history_write` turns a plan
into session and exercise logs in a fixed number of bulk inserts, whatever its length.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from accounts.services import user_dashboard_changed
from coaching.models import Assignment
from notifications.models import ReminderSchedule
from notifications.services import reminder_schedule_save
from progress.models import ExerciseLog, SessionLog
from progress.rollups import rollups_rebuild
from routines.models import Routine, RoutineItem
from routines.services import routine_copy

DEMO_STARTER_SLUGS = ("morning-upper-back", "desk-break-5")  # played in the morning, in the evening
DEMO_DAYS = 56  # eight weeks, ending yesterday
BAD_WEEK_WEEKS_AGO = 5

# Local start times people keep: before work, or in the evening.
MORNING = (time(7, 0), 90)  # 07:00 plus up to 90 minutes
EVENING = (time(18, 0), 180)  # 18:00 plus up to 3 hours


class DemoDataError(Exception):
    """The demo history cannot be made (the starter routines are not loaded)."""


@dataclass(frozen=True)
class PlannedSession:
    """One session to write: the day and part of day it happened, the routine and how it felt."""

    day: date  # in the person's time zone
    evening: bool
    routine: Routine  # with its items prefetched
    tightness_before: int
    tightness_after: int
    pain: int
    notes: str = ""
    skip_chance: float = 0.05  # of each exercise, independently
    red_flags: frozenset[str] = frozenset()  # SessionLog's red-flag fields ticked: {"sharp_pain", …}


@transaction.atomic
def demo_history_create(*, user, today: date, rng_seed: int = 7) -> int:
    """Give `user` copies of two starter routines and eight weeks of sessions ending yesterday.

    `today` is the date in the person's time zone. Returns how many sessions were created: 0 when
    the person already has sessions, so running it again (every `make run`) changes nothing.
    Raises DemoDataError when the starter routines are not loaded.
    """
    if SessionLog.objects.filter(user=user).exists():
        return 0
    rng = random.Random(rng_seed)
    morning, evening = starter_copies_create(user=user, slugs=DEMO_STARTER_SLUGS)
    plans = _demo_plan(today=today, morning=morning, evening=evening, rng=rng)
    return session_history_write(user=user, sessions=plans, rng=rng)


def starter_copies_create(*, user, slugs: Sequence[str]) -> list[Routine]:
    """Private copies of the starter routines `slugs`, in that order, with their items prefetched."""
    starters = {
        routine.slug: routine
        for routine in Routine.objects.starters().filter(slug__in=slugs).prefetch_related("items")
    }
    missing = [slug for slug in slugs if slug not in starters]
    if missing:
        raise DemoDataError(
            f"The starter routine(s) {', '.join(missing)} are not in the database: "
            "run `manage.py load_library` first."
        )
    copies = [routine_copy(routine=starters[slug], to_user=user) for slug in slugs]
    by_pk = Routine.objects.filter(pk__in=[copy.pk for copy in copies]).prefetch_related("items").in_bulk()
    return [by_pk[copy.pk] for copy in copies]


def _demo_plan(
    *, today: date, morning: Routine, evening: Routine, rng: random.Random
) -> list[PlannedSession]:
    """Most days one session, some two, some none; a bad week; tightness easing from ~7 to ~4."""
    first_day = today - timedelta(days=DEMO_DAYS)
    away = {first_day + timedelta(days=offset) for offset in (11, 12, 13)}  # a long weekend away
    plans = []
    for index in range(DEMO_DAYS):
        day = first_day + timedelta(days=index)
        days_ago = (today - day).days  # yesterday is 1 day ago, in the first week back
        bad_week = (BAD_WEEK_WEEKS_AGO - 1) * 7 < days_ago <= BAD_WEEK_WEEKS_AGO * 7
        if day in away:
            continue
        roll = rng.random()
        if bad_week:
            slots = [] if roll < 0.55 else [rng.random() < 0.5]
        elif roll < 0.13:
            slots = []
        elif roll < 0.30:
            slots = [False, True]
        else:
            slots = [rng.random() < 0.35]
        # 7 at the start, 4 by the end; the bad week is tighter and sorer, with less relief.
        centre = 7 - 3 * index / (DEMO_DAYS - 1) + (1.5 if bad_week else 0)
        for is_evening in slots:
            before = _rating(centre + rng.gauss(0, 0.7))
            # The longer morning routine helps a little more, so "what helps most" has a story to tell.
            if bad_week:
                relief = rng.choice([1, 1, 2])
            else:
                relief = rng.choice([1, 1, 2, 2, 3] if is_evening else [2, 2, 2, 3])
            notes = rng.choice(["Neck sore after a long drive.", "Slept badly.", ""]) if bad_week else ""
            plans.append(
                PlannedSession(
                    day=day,
                    evening=is_evening,
                    routine=evening if is_evening else morning,
                    tightness_before=before,
                    tightness_after=max(0, before - relief),
                    pain=rng.randint(4, 6) if bad_week else rng.choice([0, 0, 0, 1, 1, 2]),
                    notes=notes,
                    skip_chance=0.2 if bad_week else 0.05,
                )
            )
    return plans


def _rating(value: float) -> int:
    return min(10, max(0, round(value)))


def session_history_write(
    *, user, sessions: Sequence[PlannedSession], rng: random.Random, batch_size: int = 500
) -> int:
    """Write planned sessions and their exercise logs with bulk inserts. Returns the session count.

    Each session starts at a plausible local time (morning or evening) converted to UTC, lasts
    about its routine's estimate less what was skipped, and logs every item of the routine. A
    session of an assignment's routine (a trainer's copy) is linked to it, as session_log_record does.
    Queries: one for the assignments, two bulk inserts per `batch_size` rows, never one per session.
    """
    zone = user.zone
    assignments = dict(
        Assignment.objects.filter(routine__in={plan.routine.pk for plan in sessions}).values_list(
            "routine_id", "pk"
        )
    )
    session_rows: list[SessionLog] = []
    exercise_rows: list[ExerciseLog] = []
    for plan in sessions:
        items: list[RoutineItem] = list(plan.routine.items.all())
        skipped = {item.pk for item in items if rng.random() < plan.skip_chance}
        if len(skipped) == len(items):  # someone who skips everything does not log a session
            skipped.clear()
        base, spread = EVENING if plan.evening else MORNING
        local_start = datetime.combine(plan.day, base, tzinfo=zone) + timedelta(
            minutes=rng.randint(0, spread)
        )
        started_at = local_start.astimezone(UTC)
        planned = plan.routine.estimated_seconds - sum(i.estimated_seconds for i in items if i.pk in skipped)
        seconds = max(60, round(planned * rng.uniform(0.92, 1.12)))
        session = SessionLog(
            user=user,
            routine=plan.routine,
            assignment_id=assignments.get(plan.routine.pk),
            routine_title=plan.routine.title,
            started_at=started_at,
            finished_at=started_at + timedelta(seconds=seconds),
            local_date=started_at.astimezone(zone).date(),
            tightness_before=plan.tightness_before,
            tightness_after=plan.tightness_after,
            pain=plan.pain,
            notes=plan.notes,
            **dict.fromkeys(plan.red_flags, True),
        )
        session_rows.append(session)
        exercise_rows.extend(
            ExerciseLog(
                session=session,
                exercise_id=item.exercise_id,
                order=order,
                seconds=0 if item.pk in skipped else item.dose.seconds,
                reps=0 if item.pk in skipped else item.dose.reps,
                skipped=item.pk in skipped,
            )
            for order, item in enumerate(items, start=1)
        )
    # bulk_create sets the sessions' primary keys (PostgreSQL, SQLite 3.35+), so the exercise
    # logs built above point at them by the time they are inserted.
    SessionLog.objects.bulk_create(session_rows, batch_size=batch_size)
    ExerciseLog.objects.bulk_create(exercise_rows, batch_size=batch_size)
    rollups_rebuild(user_ids=[user.pk])  # bulk inserts bypass the services that keep them
    user_dashboard_changed(user=user)
    return len(session_rows)


# Long enough for `make run` to have started its worker and beat, short enough to wait for.
DEMO_REMINDER_DELAY = timedelta(minutes=2)


@transaction.atomic
def demo_reminders_create(*, user, now: datetime) -> list:
    """The demo person's reminders: weekday mornings, and one a couple of minutes from `now`
    (every `make run` moves it), so the worker and beat visibly send a reminder at start-up."""
    ReminderSchedule.objects.filter(user=user, assignment=None).delete()
    routines = list(Routine.objects.owned_by(user).order_by("pk"))
    morning = routines[0] if routines else None
    evening = routines[-1] if routines else None
    soon = (now + DEMO_REMINDER_DELAY).astimezone(user.zone)
    return [
        reminder_schedule_save(user=user, weekdays=[0, 1, 2, 3, 4], local_time=time(7, 30), routine=morning),
        reminder_schedule_save(
            user=user, weekdays=list(range(7)), local_time=soon.time().replace(second=0), routine=evening
        ),
    ]
