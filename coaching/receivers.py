"""Coaching's answers to what lower apps announce (connected in CoachingConfig.ready())."""

from coaching.services import red_flag_alert_create


def session_needs_attention_alert(sender, *, session, **kwargs) -> None:
    """A client's session needs attention: email their trainer, if they share alerts."""
    red_flag_alert_create(session=session)
