"""What Unknot emails, and when: reminder schedules and the outbox of deliveries."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import validate_weekdays, weekdays_label


class ReminderSchedule(models.Model):
    """ "Remind me on these days at this local time", for one routine or in general.

    `next_due_at` is the next occurrence in UTC (notifications.occurrences), kept current by
    notifications.services whenever the schedule, the person's time zone or the clock moves it; empty
    when the schedule is off or has no occurrence left (an assignment that ended).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_schedules"
    )
    routine = models.ForeignKey(
        "routines.Routine",
        # A deleted routine leaves a general reminder: the habit outlives the routine.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder_schedules",
        help_text="Empty: a general reminder, for the routine played last (or once its routine is gone).",
    )
    # Made for an assignment from a trainer: its days by default; the client can change or stop it.
    assignment = models.OneToOneField(
        "coaching.Assignment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_schedule",
    )
    weekdays = models.JSONField(
        default=list, validators=[validate_weekdays], help_text="0 = Monday … 6 = Sunday."
    )
    local_time = models.TimeField()
    enabled = models.BooleanField(default=True)
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The calendar feed's event: its first day (DTSTART) is the first due day on or after the
    # local day of `revised_at`, and `revision` is its SEQUENCE. Both move only when the person
    # changes the reminder or their time zone (notifications.services), never with the clock.
    revised_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        # The table it had in the progress app, where it began: moving apps kept the rows.
        db_table = "progress_reminderschedule"
        ordering = ["local_time", "pk"]
        indexes = [
            # The dispatcher's claim, every minute: enabled schedules due by now, oldest first.
            models.Index(fields=["next_due_at"], condition=models.Q(enabled=True), name="reminder_due"),
        ]

    def __str__(self) -> str:
        return f"{self.days_label} at {self.local_time:%H:%M}"

    @property
    def days_label(self) -> str:
        return weekdays_label(self.weekdays)


class EmailKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"
    TRAINER_DIGEST = "trainer_digest", "Trainer digest"
    RED_FLAG_ALERT = "red_flag_alert", "Red-flag alert"
    INVITATION = "invitation", "Invitation"


class Delivery(models.Model):
    """One email in the outbox. The row, not the broker, is the source of truth: see
    notifications.outbox for how a delivery goes from pending to sent exactly once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        MISSED = "missed", "Missed"

    # The recipient. Empty only for an invitation to an address with no account (see `to_email`).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    to_email = models.EmailField(blank=True, help_text="For invitations: the invited address.")
    kind = models.CharField(max_length=20, choices=EmailKind.choices)
    # Which occurrence this is: "2026-11-24 08:00" (a reminder's local day and time), "2026-W48"
    # (a weekly email), "session-42" (an alert), "invitation-7-<nonce>".
    period_key = models.CharField(max_length=80)
    schedule = models.ForeignKey(
        ReminderSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    # What the email needs, fixed when the delivery is written (ids, and for weekly emails the
    # figures of the week, computed in batches by notifications.summaries).
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(help_text="When it was meant to go out.")
    # When the sweeper hands the delivery to a worker (again) if it is still unfinished: the
    # message may have been lost, the worker killed, or a retry's backoff is over. Set and
    # compared on the database's clock (Now()), never a worker's.
    lease_until = models.DateTimeField(null=True, blank=True)
    # The fencing token of the claim being worked on: a new one at every claim, and a worker
    # finishes (sent, failed, back to pending) only the claim that still holds its token.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    # After an SMTP error: not to be claimed before this (the backoff), whoever rings the doorbell.
    retry_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    reason = models.CharField(max_length=200, blank=True, help_text="Why it was skipped or missed.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "progress_delivery"  # as ReminderSchedule: the table it began with
        verbose_name_plural = "deliveries"
        ordering = ["-created_at"]
        constraints = [
            # Exactly once: a second dispatcher (or beat) writing the same occurrence is a no-op.
            models.UniqueConstraint(fields=["user", "kind", "period_key"], name="delivery_once_per_period"),
            models.UniqueConstraint(
                fields=["to_email", "kind", "period_key"],
                condition=models.Q(user=None),
                name="delivery_once_per_address",
            ),
        ]
        indexes = [
            # The sweeper: unfinished deliveries whose lease ran out.
            models.Index(
                fields=["lease_until"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="delivery_unfinished",
            ),
            # The admin's status filter, newest first.
            models.Index(fields=["status", "-created_at"], name="delivery_status_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_key} to {self.recipient}"

    @property
    def recipient(self) -> str:
        return self.user.email if self.user_id else self.to_email


class Heartbeat(models.Model):
    """When a background process last did its work, for the readiness check (config/health.py).

    In PostgreSQL rather than Redis, so that it outlives a Redis outage and says how long the
    processes have been idle. One row per process kind: `dispatcher` (written by the dispatcher
    task every minute: beat and the dispatch worker ran) and `worker` (written by a tiny task the
    dispatcher enqueues on the send queue: the send workers take work).
    """

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
