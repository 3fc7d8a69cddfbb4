"""What each kind of delivery says: the message built from a Delivery row when it is sent.

A builder raises DeliverySkipped when the email should not go out after all (the person stretched
in the meantime, the client stopped sharing alerts, the invitation was answered); the delivery is
then recorded as skipped with that reason.
"""

from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from progress.dispatch import reminder_period_parse
from progress.emails import email_message_build, site_url
from progress.models import Delivery, EmailKind, SessionLog
from progress.outbox import PREFERENCE_FIELDS, DeliverySkipped, unsubscribe_token
from progress.selectors import local_today, streak
from routines.models import Routine


def delivery_message_build(delivery: Delivery) -> EmailMultiAlternatives:
    build = {
        EmailKind.REMINDER: _reminder,
        EmailKind.WEEKLY_SUMMARY: _weekly_summary,
        EmailKind.TRAINER_DIGEST: _trainer_digest,
        EmailKind.RED_FLAG_ALERT: _red_flag_alert,
        EmailKind.INVITATION: _invitation,
    }[delivery.kind]
    if delivery.user_id and not delivery.user.is_active:
        raise DeliverySkipped("The account is closed.")
    if delivery.kind in PREFERENCE_FIELDS and not getattr(delivery.user, PREFERENCE_FIELDS[delivery.kind]):
        raise DeliverySkipped("Turned off in the person's email settings.")
    template, context = build(delivery)
    unsubscribe = ""
    if delivery.kind in PREFERENCE_FIELDS:
        unsubscribe = site_url(
            reverse("emails:unsubscribe", kwargs={"token": unsubscribe_token(delivery.user, delivery.kind)})
        )
    context = {
        **context,
        "delivery": delivery,
        "settings_url": site_url(reverse("emails:settings")) if delivery.user_id else "",
        "unsubscribe_url": unsubscribe,
        "kind_label": delivery.get_kind_display().lower(),
    }
    message = email_message_build(template=template, context=context, to=delivery.recipient)
    # Stable per delivery: a copy sent again after a crash has the same Message-ID.
    message.extra_headers["Message-ID"] = f"<delivery-{delivery.pk}.{delivery.kind}@{_mail_domain()}>"
    if unsubscribe:
        # RFC 8058: mail clients show an unsubscribe button that POSTs to this address.
        message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def _mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "unknot.localhost"


def _reminder(delivery: Delivery) -> tuple[str, dict]:
    user = delivery.user
    today, local_time = reminder_period_parse(delivery.period_key)
    # However it got delayed (a backlog, retries, a staff retry), a reminder hours late is no use.
    late_after = settings.REMINDER_CATCH_UP_MINUTES
    if timezone.now() - delivery.due_at > timedelta(minutes=late_after):
        raise DeliverySkipped(f"Too late to remind: it was due more than {late_after} minutes before.")
    if SessionLog.objects.filter(user=user, local_date=today).exists():
        raise DeliverySkipped("Already stretched that day.")
    schedule = delivery.schedule
    routine = None
    if schedule is not None and schedule.routine_id:
        routine = Routine.objects.with_items().filter(pk=schedule.routine_id, owner=user).first()
    if routine is None:  # a general reminder: the routine played last, else their newest
        last = SessionLog.objects.filter(user=user, routine__owner=user).order_by("-started_at").first()
        owned = Routine.objects.with_items().filter(owner=user)
        routine = (owned.filter(pk=last.routine_id).first() if last else None) or owned.order_by(
            "-updated_at"
        ).first()
    context = {
        "user": user,
        "routine": routine,
        "minutes": max(1, round(routine.estimated_seconds / 60)) if routine else None,
        "start_url": site_url(
            reverse("routines:player_start", kwargs={"pk": routine.pk})
            if routine
            else reverse("routines:routine_list")
        ),
        "streak": streak(user, local_today(user)),
        "local_time": local_time,
    }
    return "progress/email/reminder", context


def _weekly_summary(delivery: Delivery) -> tuple[str, dict]:
    summary = delivery.context
    context = {
        "user": delivery.user,
        "summary": summary,
        "first_day": date.fromisoformat(summary["first_day"]),
        "last_day": date.fromisoformat(summary["last_day"]),
        "red_flag_days": [
            {**flag, "day": date.fromisoformat(flag["day"])} for flag in summary.get("red_flags", [])
        ],
        "dashboard_url": site_url(reverse("home")),
    }
    return "progress/email/weekly_summary", context


def _trainer_digest(delivery: Delivery) -> tuple[str, dict]:
    digest = delivery.context
    context = {
        "user": delivery.user,
        "digest": digest,
        "week_start": date.fromisoformat(digest["week_start"]),
        "follow_up": len(set(digest["nudge"]) | set(digest["check_in"])),
        "roster_url": site_url(reverse("coaching:roster")),
    }
    return "progress/email/trainer_digest", context


def _red_flag_alert(delivery: Delivery) -> tuple[str, dict]:
    from coaching.services import red_flag_alert_context

    context = red_flag_alert_context(session_id=delivery.context.get("session"), trainer=delivery.user)
    if context is None:
        raise DeliverySkipped("The client no longer shares safety alerts with this trainer.")
    return "coaching/email/red_flag_alert", context


def _invitation(delivery: Delivery) -> tuple[str, dict]:
    from coaching.services import invitation_email_context

    context = invitation_email_context(
        link_id=delivery.context.get("link"), nonce=delivery.context.get("nonce")
    )
    if context is None:
        raise DeliverySkipped("The invitation was answered, withdrawn or sent again since.")
    return "coaching/email/invitation", context
