"""What a reminder email says: the routine to play (its own, or for a general reminder the one
played last), how long it takes, and today's streak. Skipped when it is hours late or the person
already stretched that day."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.paths import path_builder
from notifications.dispatch import reminder_period_parse
from notifications.kinds import DeliverySkipped
from notifications.messages import site_link, site_url
from notifications.models import Delivery
from progress.models import DayRollup, SessionLog
from progress.selectors import STREAK_MAX_REST_DAYS, Streak, local_today, streak, streak_from_days
from routines.models import Routine

# How many days of each person's rollups a chunk reads for their streaks; a streak that reaches
# back this far is counted again for that person alone.
STREAK_WINDOW_DAYS = 62


@dataclass(frozen=True)
class ReminderFacts:
    """What reminder_message reads, for one delivery, read for a whole chunk by reminders_prepare."""

    stretched: bool
    routine: Routine | None
    streak: Streak


def _first_of_each(rows: QuerySet, group: str, order: str, value: str) -> dict:
    """{group: value} of each group's first row in `order`, in one query: DISTINCT ON on
    PostgreSQL; elsewhere (SQLite, `make run` with no settings), which has no DISTINCT ON, each
    group's rows numbered by a window function."""
    if connection.vendor == "postgresql":
        rows = rows.order_by(group, order).distinct(group)
    else:
        rows = rows.annotate(place=Window(RowNumber(), partition_by=F(group), order_by=order)).filter(place=1)
    return dict(rows.values_list(group, value))


def reminders_prepare(deliveries: list[Delivery]) -> None:
    """The chunk's reminders in a fixed number of queries (the email kind's `prepare`): whether
    each person stretched on the reminder's day, the routine to play, and today's streak; left on
    each delivery as `reminder_facts` for reminder_message."""
    users = {delivery.user_id: delivery.user for delivery in deliveries}
    days = {delivery.pk: reminder_period_parse(delivery.period_key)[0] for delivery in deliveries}
    stretched = set(
        SessionLog.objects.filter(user_id__in=users, local_date__in=set(days.values()))
        .values_list("user_id", "local_date")
        .distinct()
    )
    # General reminders (or ones whose routine went): the routine played last, else the newest.
    last_played = _first_of_each(
        SessionLog.objects.filter(user_id__in=users, routine__owner_id=F("user_id")),
        "user_id",
        "-started_at",
        "routine_id",
    )
    newest = _first_of_each(Routine.objects.filter(owner_id__in=users), "owner_id", "-updated_at", "pk")
    wanted = {delivery.schedule.routine_id for delivery in deliveries if delivery.schedule_id}
    routines = {
        routine.pk: routine
        for routine in Routine.objects.with_items().filter(
            pk__in=(wanted | set(last_played.values()) | set(newest.values())) - {None},
            owner_id__in=users,
        )
    }
    todays = {user_id: local_today(user) for user_id, user in users.items()}
    since = min(todays.values()) - timedelta(days=STREAK_WINDOW_DAYS)
    rolled: dict[int, list[date]] = {user_id: [] for user_id in users}
    for user_id, day in (
        DayRollup.objects.filter(user_id__in=users, local_date__gte=since)
        .order_by("user_id", "-local_date")
        .values_list("user_id", "local_date")
    ):
        if day <= todays[user_id]:
            rolled[user_id].append(day)
    streaks = {}
    for user_id, user in users.items():
        found = streak_from_days(rolled[user_id], todays[user_id])
        # A run that starts within a rest day of the window's edge may go on before it: count again.
        reaches_window = found.days and rolled[user_id][found.days - 1] - since <= timedelta(
            days=STREAK_MAX_REST_DAYS + 1
        )
        streaks[user_id] = streak(user, todays[user_id]) if reaches_window else found
    for delivery in deliveries:
        user_id = delivery.user_id
        routine = None
        schedule = delivery.schedule
        if schedule is not None and schedule.routine_id:
            routine = _owned(routines.get(schedule.routine_id), user_id)
        if routine is None:
            routine = _owned(routines.get(last_played.get(user_id)), user_id) or _owned(
                routines.get(newest.get(user_id)), user_id
            )
        delivery.reminder_facts = ReminderFacts(
            stretched=(user_id, days[delivery.pk]) in stretched, routine=routine, streak=streaks[user_id]
        )


def _owned(routine: Routine | None, user_id: int) -> Routine | None:
    return routine if routine is not None and routine.owner_id == user_id else None


def reminder_message(delivery: Delivery) -> tuple[str, dict]:
    user = delivery.user
    _, local_time = reminder_period_parse(delivery.period_key)
    # However it got delayed (a backlog, retries, a staff retry), a reminder hours late is no use.
    late_after = settings.REMINDER_CATCH_UP_MINUTES
    if timezone.now() - delivery.due_at > timedelta(minutes=late_after):
        raise DeliverySkipped(f"Too late to remind: it was due more than {late_after} minutes before.")
    if getattr(delivery, "reminder_facts", None) is None:  # sent outside a chunk: a chunk of one
        reminders_prepare([delivery])
    facts = delivery.reminder_facts
    if facts.stretched:
        raise DeliverySkipped("Already stretched that day.")
    routine = facts.routine
    context = {
        "user": user,
        "routine": routine,
        "minutes": max(1, round(routine.estimated_seconds / 60)) if routine else None,
        "start_url": site_url(path_builder("progress:player_start", "pk")(routine.pk))
        if routine
        else site_link("routines:routine_list"),
        "streak": facts.streak,
        "local_time": local_time,
    }
    return "notifications/email/reminder", context
