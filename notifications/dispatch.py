"""The dispatcher, run every minute by Celery beat: it turns what is due into deliveries.

Each pass, in batches of EMAIL_DISPATCH_BATCH, each batch in its own transaction:
1. claims the due rows with SELECT … FOR UPDATE SKIP LOCKED, so two dispatchers (two beats, or a
   slow run overlapping the next) share the work instead of doing it twice;
2. writes the deliveries (the unique key makes a repeat a no-op) and advances `next_due_at`;
3. commits, then enqueues one send task per pending delivery (notifications.outbox).

A dispatcher that was down catches up at most one occurrence per schedule: the latest, if it is
no older than the catch-up window; every other missed occurrence is recorded as missed.
Each batch runs a fixed number of queries, whatever its size.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from notifications.kinds import weekly_emails
from notifications.models import Delivery, EmailKind, ReminderSchedule
from notifications.occurrences import next_occurrence
from notifications.outbox import db_now_plus, deliveries_enqueue_on_commit, deliveries_sweep, lease
from progress.models import SessionLog

# Occurrences missed while the dispatcher was down that are recorded one by one, at most.
MAX_MISSED_RECORDED = 14


@dataclass
class DispatchReport:
    swept: int = 0
    reminders: dict[str, int] = field(default_factory=dict)  # Delivery.Status → count
    weekly: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], status: str, n: int = 1) -> None:
        bucket[status] = bucket.get(status, 0) + n


def dispatch_due_emails(now: datetime | None = None) -> DispatchReport:
    now = now or timezone.now()
    report = DispatchReport(swept=deliveries_sweep())
    _in_batches(lambda: _reminders_dispatch_batch(now, report))
    _in_batches(lambda: _weekly_emails_dispatch_batch(now, report))
    _in_batches(lambda: _weekly_emails_start_batch(now))
    return report


def _in_batches(dispatch_batch: Callable[[], int]) -> None:
    while True:
        with transaction.atomic():
            claimed = dispatch_batch()
        if claimed < settings.EMAIL_DISPATCH_BATCH:
            return


@dataclass(frozen=True)
class Occurrences:
    send: datetime | None  # the one to send now, if fresh enough
    missed: list[datetime]
    next_due: datetime | None


def occurrences_due(
    *, first: datetime, now: datetime, catch_up: timedelta, following: Callable[[datetime], datetime | None]
) -> Occurrences:
    """Split the occurrences from `first` up to `now` into the one to send and those missed.
    `following(instant)` gives the occurrence after `instant`."""
    due = [first]
    upcoming = following(first)
    while upcoming is not None and upcoming <= now:
        due.append(upcoming)
        upcoming = following(upcoming)
    latest = due.pop()
    if now - latest > catch_up:
        due.append(latest)
        latest = None
    return Occurrences(send=latest, missed=due[-MAX_MISSED_RECORDED:], next_due=upcoming)


# --- Reminders ------------------------------------------------------------------------------


def reminder_period_key(schedule: ReminderSchedule, occurrence: datetime, zone: ZoneInfo) -> str:
    """The local day, the time the person chose (also when DST moved the instant) and the
    schedule: two reminders at the same time (say, two assignments at 08:00) are two emails."""
    return f"{occurrence.astimezone(zone).date().isoformat()} {schedule.local_time:%H:%M} #{schedule.pk}"


def reminder_period_parse(period_key: str) -> tuple[date, str]:
    """The local day and the chosen time ("08:00") of a reminder's period key."""
    day, local_time, _ = period_key.split(" ")
    return date.fromisoformat(day), local_time


def reminder_next_due(schedule: ReminderSchedule, zone: ZoneInfo, after: datetime) -> datetime | None:
    assignment = schedule.assignment
    return next_occurrence(
        weekdays=schedule.weekdays,
        at=schedule.local_time,
        zone=zone,
        after=after,
        starts_on=assignment.starts_on if assignment else None,
        ends_on=assignment.ends_on if assignment else None,
    )


def _reminders_dispatch_batch(now: datetime, report: DispatchReport) -> int:
    schedules = list(
        ReminderSchedule.objects.filter(enabled=True, next_due_at__lte=now)
        .select_related("user", "assignment")
        .only(
            "user_id",
            "weekdays",
            "local_time",
            "next_due_at",
            "user__time_zone",
            "user__is_active",
            "user__reminder_emails",
            "assignment__starts_on",
            "assignment__ends_on",
        )
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("next_due_at")[: settings.EMAIL_DISPATCH_BATCH]
    )
    if not schedules:
        return 0
    catch_up = timedelta(minutes=settings.REMINDER_CATCH_UP_MINUTES)
    planned: list[tuple[ReminderSchedule, ZoneInfo, Occurrences]] = []
    for schedule in schedules:
        zone = schedule.user.zone
        occurrences = occurrences_due(
            first=schedule.next_due_at,
            now=now,
            catch_up=catch_up,
            following=lambda instant, schedule=schedule, zone=zone: reminder_next_due(
                schedule, zone, instant
            ),
        )
        planned.append((schedule, zone, occurrences))
        schedule.next_due_at = occurrences.next_due
    # "Already stretched that local day": one query for the whole batch.
    to_send = {
        (schedule.user_id, occurrences.send.astimezone(zone).date())
        for schedule, zone, occurrences in planned
        if occurrences.send is not None
    }
    stretched = set(
        SessionLog.objects.filter(
            user_id__in={user_id for user_id, _ in to_send}, local_date__in={day for _, day in to_send}
        )
        .values_list("user_id", "local_date")
        .distinct()
        .order_by()
    )
    rows = []
    for schedule, zone, occurrences in planned:
        if not (schedule.user.is_active and schedule.user.reminder_emails):
            continue  # turned off: nothing is due, the schedule just moves on
        for missed in occurrences.missed:
            rows.append(
                _reminder_delivery(
                    schedule,
                    zone,
                    missed,
                    Delivery.Status.MISSED,
                    "Emails were not being sent at that time; too late to remind.",
                )
            )
        if occurrences.send is None:
            continue
        day = occurrences.send.astimezone(zone).date()
        if (schedule.user_id, day) in stretched:
            rows.append(
                _reminder_delivery(
                    schedule,
                    zone,
                    occurrences.send,
                    Delivery.Status.SKIPPED,
                    "Already stretched that day.",
                )
            )
        else:
            rows.append(_reminder_delivery(schedule, zone, occurrences.send, Delivery.Status.PENDING))
    for row in rows:
        report.count(report.reminders, row.status)
    _deliveries_write(rows)
    _due_at_save(schedules, "next_due_at")
    return len(schedules)


def _due_at_save(rows: list, field: str) -> None:
    """Save one datetime field of a batch's rows in one query. On PostgreSQL an UPDATE … FROM
    unnest(): bulk_update builds a CASE with a WHEN per row, which costs more than the rest of
    the batch."""
    if not rows:
        return
    model = type(rows[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_update(rows, [field])
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} AS t "
            f"SET {quote(model._meta.get_field(field).column)} = v.value "
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(pk, value) "
            f"WHERE t.{quote(model._meta.pk.column)} = v.pk",
            [[row.pk for row in rows], [getattr(row, field) for row in rows]],
        )


def _reminder_delivery(
    schedule: ReminderSchedule, zone: ZoneInfo, occurrence: datetime, status: str, reason: str = ""
) -> Delivery:
    return Delivery(
        user_id=schedule.user_id,
        kind=EmailKind.REMINDER,
        period_key=reminder_period_key(schedule, occurrence, zone),
        schedule=schedule,
        status=status,
        reason=reason,
        due_at=occurrence,
    )


def _deliveries_write(rows: list[Delivery]) -> None:
    """Insert the rows (an occurrence already written is left alone) and enqueue the pending ones
    after commit. Two queries at most: insert, find the pending ones' ids."""
    if not rows:
        return
    _deliveries_insert(rows)
    pending = [row for row in rows if row.status == Delivery.Status.PENDING]
    if not pending:
        return
    wanted = {(row.user_id, row.kind, row.period_key) for row in pending}
    found = Delivery.objects.filter(
        user_id__in={user_id for user_id, _, _ in wanted},
        kind__in={kind for _, kind, _ in wanted},
        period_key__in={key for _, _, key in wanted},
        status=Delivery.Status.PENDING,
    ).values_list("pk", "user_id", "kind", "period_key")
    deliveries_enqueue_on_commit([pk for pk, *key in found if tuple(key) in wanted])


# Every column the dispatcher writes but the lease, which is the database's clock plus lease().
LEASE_COLUMN = Delivery._meta.get_field("lease_until").column
_INSERTED_FIELDS = [
    field
    for field in Delivery._meta.concrete_fields
    if not field.primary_key and field.column != LEASE_COLUMN
]


def _deliveries_insert(rows: list[Delivery]) -> None:
    """INSERT … ON CONFLICT DO NOTHING, the pending rows leased on the database's clock, as every
    lease. On PostgreSQL each column goes as one array, unnested into rows: bulk_create sends a
    placeholder for every value of every row (8,000 for a batch of 500), which Django and psycopg
    took longer to bind than PostgreSQL took to insert (128–204 ms against 42–48 ms for 500 rows,
    measured one after the other in one process)."""
    if connection.vendor != "postgresql":
        lease_until = db_now_plus(lease())  # one expression; Django resolves a copy for each row
        for row in rows:
            if row.status == Delivery.Status.PENDING:
                row.lease_until = lease_until
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _INSERTED_FIELDS)
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in _INSERTED_FIELDS)
    names = ", ".join(f"c{number}" for number in range(len(_INSERTED_FIELDS)))
    values = [
        [field.get_db_prep_save(field.pre_save(row, add=True), connection) for row in rows]
        for field in _INSERTED_FIELDS
    ]
    status = f"c{_INSERTED_FIELDS.index(Delivery._meta.get_field('status'))}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}, {quote(LEASE_COLUMN)}) "
            f"SELECT *, CASE WHEN {status} = %s THEN statement_timestamp() + %s END "
            f"FROM unnest({arrays}) AS v({names}) ON CONFLICT DO NOTHING",
            [Delivery.Status.PENDING.value, lease(), *values],
        )


# --- Weekly emails --------------------------------------------------------------------------


def weekly_next_due(user: User, after: datetime) -> datetime | None:
    return next_occurrence(
        weekdays=[user.weekly_email_weekday], at=user.weekly_email_time, zone=user.zone, after=after
    )


def _weekly_emails_dispatch_batch(now: datetime, report: DispatchReport) -> int:
    """The weekly emails (notifications.kinds.weekly_emails: the summary, the trainer digest) of
    everyone whose weekly email is due."""
    users = list(
        User.objects.filter(weekly_email_due_at__lte=now)
        .select_for_update(skip_locked=True)
        .order_by("weekly_email_due_at")[: settings.EMAIL_DISPATCH_BATCH]
    )
    if not users:
        return 0
    catch_up = timedelta(minutes=settings.WEEKLY_EMAIL_CATCH_UP_MINUTES)
    fresh: list[tuple[User, datetime]] = []
    rows: list[Delivery] = []
    for user in users:
        occurrences = occurrences_due(
            first=user.weekly_email_due_at,
            now=now,
            catch_up=catch_up,
            following=lambda instant, user=user: weekly_next_due(user, instant),
        )
        user.weekly_email_due_at = occurrences.next_due
        for missed in occurrences.missed if user.is_active else []:
            for weekly in weekly_emails():
                if not weekly.wanted(user):
                    continue
                rows.append(
                    Delivery(
                        user=user,
                        kind=weekly.kind,
                        period_key=weekly.period_key(missed.astimezone(user.zone).date()),
                        status=Delivery.Status.MISSED,
                        reason="Emails were not being sent at that time; too late for this week.",
                        due_at=missed,
                    )
                )
        if occurrences.send is not None and user.is_active:
            fresh.append((user, occurrences.send))
    for weekly in weekly_emails():
        contexts = weekly.build(
            [(user, send.astimezone(user.zone).date()) for user, send in fresh if weekly.wanted(user)]
        )
        for user, send in fresh:
            if contexts.get(user.pk) is not None:
                period_key = weekly.period_key(send.astimezone(user.zone).date())
                rows.append(
                    Delivery(
                        user=user,
                        kind=weekly.kind,
                        period_key=period_key,
                        context=contexts[user.pk],
                        due_at=send,
                    )
                )
    for row in rows:
        report.count(report.weekly, row.status)
    _deliveries_write(rows)
    _due_at_save(users, "weekly_email_due_at")
    return len(users)


def _weekly_emails_start_batch(now: datetime) -> int:
    """People whose weekly email was never scheduled (new accounts): schedule it, send nothing."""
    users = list(
        User.objects.filter(weekly_email_due_at=None)
        .only("time_zone", "weekly_email_weekday", "weekly_email_time")
        .select_for_update(skip_locked=True)
        .order_by("pk")[: settings.EMAIL_DISPATCH_BATCH]
    )
    for user in users:
        user.weekly_email_due_at = weekly_next_due(user, now)
    _due_at_save(users, "weekly_email_due_at")
    return len(users)
