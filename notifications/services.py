"""Writes of reminder schedules and email settings. Every change that moves when something is due
recomputes `next_due_at` here, so the dispatcher only ever compares it with the clock."""

import secrets
from datetime import time

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.dispatch import reminder_next_due, weekly_next_due
from notifications.models import ReminderSchedule
from notifications.unsubscribe import PREFERENCE_FIELDS

# A reminder made for an assignment, until the client picks another time.
ASSIGNMENT_REMINDER_TIME = time(8, 0)


def reminder_schedule_refresh(schedule: ReminderSchedule) -> ReminderSchedule:
    """Set `next_due_at` from the schedule as it is now (not saved)."""
    schedule.next_due_at = (
        reminder_next_due(schedule, schedule.user.zone, timezone.now()) if schedule.enabled else None
    )
    return schedule


def reminder_schedule_save(
    *,
    user: User,
    schedule: ReminderSchedule | None = None,
    weekdays: list[int],
    local_time: time,
    routine=None,
    enabled: bool = True,
) -> ReminderSchedule:
    """Create a reminder (schedule=None) or change one of the person's own."""
    schedule = schedule or ReminderSchedule(user=user)
    before = _calendar_fields(schedule)
    schedule.weekdays = sorted(set(weekdays))
    schedule.local_time = local_time.replace(second=0, microsecond=0)
    schedule.routine = routine if schedule.assignment_id is None else schedule.routine
    schedule.enabled = enabled
    if schedule.pk and _calendar_fields(schedule) != before:
        _revise(schedule)
    reminder_schedule_refresh(schedule).save()
    return schedule


def _calendar_fields(schedule: ReminderSchedule) -> tuple:
    return (schedule.weekdays, schedule.local_time, schedule.routine_id, schedule.enabled)


def _revise(schedule: ReminderSchedule) -> None:
    """The calendar event changed: a new first day from today, and a new SEQUENCE."""
    schedule.revised_at = timezone.now()
    schedule.revision += 1


def reminder_schedule_delete(*, schedule: ReminderSchedule) -> None:
    schedule.delete()


def assignment_reminder_create(*, assignment) -> ReminderSchedule:
    """The reminder an assignment gets by default: its days, at ASSIGNMENT_REMINDER_TIME."""
    schedule = ReminderSchedule(
        user=assignment.routine.owner,
        routine=assignment.routine,
        assignment=assignment,
        weekdays=list(assignment.weekdays),
        local_time=ASSIGNMENT_REMINDER_TIME,
    )
    reminder_schedule_refresh(schedule).save()
    return schedule


def link_reminders_stop(*, link) -> int:
    """A link ended: reminders for its assignments stop (the client keeps the routines)."""
    return ReminderSchedule.objects.filter(assignment__link=link).update(enabled=False, next_due_at=None)


@transaction.atomic
def email_schedules_refresh(*, user: User, zone_changed: bool = False) -> None:
    """After the person's time zone or weekly email day and time changed: every next occurrence
    is recomputed in the new setting (and, for a new zone, every calendar event is revised)."""
    schedules = list(
        ReminderSchedule.objects.filter(user=user)
        .select_related("assignment")
        .select_for_update(of=("self",))
    )
    for schedule in schedules:
        schedule.user = user
        if zone_changed:
            _revise(schedule)
        reminder_schedule_refresh(schedule)
    ReminderSchedule.objects.bulk_update(schedules, ["next_due_at", "revised_at", "revision"])
    user.weekly_email_due_at = weekly_next_due(user, timezone.now())
    User.objects.filter(pk=user.pk).update(weekly_email_due_at=user.weekly_email_due_at)


def email_settings_update(*, user: User, **fields) -> User:
    """Turn kinds of email on or off, and move the weekly email (weekday, time)."""
    moved = any(
        getattr(user, name) != value for name, value in fields.items() if name.startswith("weekly_email_")
    )
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    if moved:
        email_schedules_refresh(user=user)
    return user


def calendar_token_reset(*, user: User) -> str:
    """A new secret for the calendar feed's address; the old address stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    User.objects.filter(pk=user.pk).update(calendar_token=user.calendar_token)
    return user.calendar_token


def email_kind_turn_off(*, user: User, kind: str) -> None:
    """From an unsubscribe link: stop one kind of email (notifications.unsubscribe.PREFERENCE_FIELDS)."""
    field = PREFERENCE_FIELDS[kind]
    User.objects.filter(pk=user.pk).update(**{field: False})
    setattr(user, field, False)
