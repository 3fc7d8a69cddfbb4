"""Notifications' answers to what lower apps announce (connected in NotificationsConfig.ready())."""

from notifications.services import email_schedules_refresh


def email_schedules_follow(sender, *, user, **kwargs) -> None:
    """A new time zone: every reminder keeps its local time, in the new zone."""
    email_schedules_refresh(user=user, zone_changed=True)
