"""What coaching's emails say: the invitation, the red-flag alert and the trainer's weekly digest.
Registered with notifications (CoachingConfig.ready); built when each delivery is sent."""

from datetime import date

from django.conf import settings
from django.urls import reverse

from accounts.one_line import one_line
from coaching.models import TrainerClient
from coaching.roster import ALERT_DAYS, Flag
from coaching.services import invitation_token
from notifications.kinds import DeliverySkipped
from notifications.messages import site_link, site_url
from notifications.models import Delivery
from progress.models import SessionLog


def invitation_message(delivery: Delivery) -> tuple[str, dict]:
    """Skipped when the invitation was answered, withdrawn or replaced by a newer email."""
    link = (
        TrainerClient.objects.pending()
        .select_related("trainer")
        .filter(pk=delivery.context.get("link"))
        .first()
    )
    if link is None or link.invite_nonce != delivery.context.get("nonce"):
        raise DeliverySkipped("The invitation was answered, withdrawn or sent again since.")
    token = invitation_token(link)
    context = {
        "link": link,
        "trainer": link.trainer,
        "accept_url": site_url(reverse("coaching:invitation_respond", kwargs={"token": token})),
        "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
    }
    return "coaching/email/invitation", context


def red_flag_alert_message(delivery: Delivery) -> tuple[str, dict]:
    """Read when it is sent: skipped when the client no longer shares alerts with this trainer
    (or the link ended) by then."""
    session = SessionLog.objects.filter(pk=delivery.context.get("session")).first()
    link = None
    if session is not None and session.assignment_id is not None:
        link = (
            TrainerClient.objects.active()
            .select_related("trainer", "client")
            .filter(assignments=session.assignment_id, share_red_flags=True, trainer=delivery.user)
            .first()
        )
    if link is None:
        raise DeliverySkipped("The client no longer shares safety alerts with this trainer.")
    context = {
        "link": link,
        "client_name": link.client_name,
        "session": session,
        "red_flags": session.red_flags,
        # Quoted on one line: what the client typed cannot add lines of its own to the email.
        "stop_reason": one_line(session.stop_reason),
        "url": site_url(link.get_absolute_url()),
    }
    return "coaching/email/red_flag_alert", context


def trainer_digest_message(delivery: Delivery) -> tuple[str, dict]:
    """From the figures fixed when the digest was written (coaching.digests)."""
    digest = delivery.context
    context = {
        "user": delivery.user,
        "digest": digest,
        "week_start": date.fromisoformat(digest["week_start"]),
        "follow_up": len(set(digest["nudge"]) | set(digest["check_in"])),
        "check_in_because": (
            f"{Flag.LABELS[Flag.PAIN].lower()} in the last {ALERT_DAYS} days, "
            f"or {Flag.LABELS[Flag.PAIN_RISING].lower()}"
        ),
        "roster_url": site_link("coaching:roster"),
    }
    return "coaching/email/trainer_digest", context
