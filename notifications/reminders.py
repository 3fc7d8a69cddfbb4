"""What a reminder email says: the routine to play (its own, or for a general reminder the one
played last), how long it takes, and today's streak. Skipped when it is hours late or the person
already stretched that day."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.dispatch import reminder_period_parse
from notifications.kinds import DeliverySkipped
from notifications.messages import site_url
from notifications.models import Delivery
from progress.models import SessionLog
from progress.selectors import local_today, streak
from routines.models import Routine


def reminder_message(delivery: Delivery) -> tuple[str, dict]:
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
            reverse("progress:player_start", kwargs={"pk": routine.pk})
            if routine
            else reverse("routines:routine_list")
        ),
        "streak": streak(user, local_today(user)),
        "local_time": local_time,
    }
    return "notifications/email/reminder", context
