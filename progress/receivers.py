"""Progress' answers to what lower apps announce (connected in ProgressConfig.ready())."""

from progress.enrolment import enrolments_follow_time_zone


def programme_follows_time_zone(sender, *, user, **kwargs) -> None:
    """A new time zone: the programme's week still turns at the person's local midnight."""
    enrolments_follow_time_zone(user=user)
