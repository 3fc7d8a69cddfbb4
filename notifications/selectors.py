"""Reads of email settings: a person's own reminders (404 for anyone else's), and whose calendar
a feed address names."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from notifications.models import ReminderSchedule


def reminders_of(user) -> QuerySet[ReminderSchedule]:
    return ReminderSchedule.objects.filter(user=user).select_related("routine")


def get_reminder_for_user(user, pk: int) -> ReminderSchedule:
    """One of the person's own reminders, or 404 for anyone else's."""
    schedule = get_object_or_404(
        ReminderSchedule.objects.select_related("assignment", "routine"), pk=pk, user=user
    )
    schedule.user = user  # its next occurrence is computed in the person's time zone
    return schedule


def calendar_feed_owner(token: str) -> User | None:
    """The account whose calendar address holds `token`; none for an empty token or a closed
    account. The lookup on the unique column is the comparison."""
    if not token:
        return None
    return User.objects.filter(calendar_token=token, is_active=True).first()
