from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from coaching.models import WEEKDAY_NAMES, validate_weekdays

PAIN_ALERT_LEVEL = 7  # pain at or above this, like any red flag, gets stop-and-seek-help guidance

_rating = {"validators": [MaxValueValidator(10)]}


class SessionLogQuerySet(models.QuerySet):
    def needing_attention(self) -> "SessionLogQuerySet":
        return self.filter(
            models.Q(pain__gte=PAIN_ALERT_LEVEL)
            | models.Q(numbness=True)
            | models.Q(tingling=True)
            | models.Q(weakness=True)
            | models.Q(sharp_pain=True)
        )


class SessionLog(models.Model):
    """One stretching session: played in the app or logged afterwards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_logs")
    routine = models.ForeignKey(
        "routines.Routine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the routine is a trainer's assignment: its trainer sees this session (coaching.models).
    assignment = models.ForeignKey(
        "coaching.Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    routine_title = models.CharField(max_length=120, blank=True, help_text="Kept if the routine is deleted.")
    # Set by the player when it starts; saving the same run twice (double click, resubmitted form,
    # retry) finds the first session instead of recording a second one.
    client_token = models.UUIDField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    local_date = models.DateField(help_text="The day in the person's own time zone when the session started.")
    tightness_before = models.PositiveSmallIntegerField(null=True, blank=True, **_rating)
    tightness_after = models.PositiveSmallIntegerField(null=True, blank=True, **_rating)
    pain = models.PositiveSmallIntegerField(null=True, blank=True, **_rating)
    # Red-flag symptoms: any of them shows stop-and-seek-help guidance and (later) alerts a trainer.
    numbness = models.BooleanField(default=False)
    tingling = models.BooleanField(default=False)
    weakness = models.BooleanField(default=False)
    sharp_pain = models.BooleanField("sharp or worsening pain", default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionLogQuerySet.as_manager()

    # How a session felt: what a person rates and reports, in forms, edits and exports.
    RATING_AND_FLAG_FIELDS = (
        "tightness_before",
        "tightness_after",
        "pain",
        "numbness",
        "tingling",
        "weakness",
        "sharp_pain",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # History and progress: a person's sessions by local day, newest first.
            models.Index(fields=["user", "-local_date"], name="session_user_day"),
            # A trainer's roster and client pages: the sessions of an assignment by day.
            models.Index(fields=["assignment", "-local_date"], name="session_assignment_day"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "client_token"], name="session_once_per_player_run"),
            models.CheckConstraint(
                condition=models.Q(finished_at__gte=models.F("started_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(tightness_before__lte=10), name="session_tightness_before_0_10"
            ),
            models.CheckConstraint(
                condition=models.Q(tightness_after__lte=10), name="session_tightness_after_0_10"
            ),
            models.CheckConstraint(condition=models.Q(pain__lte=10), name="session_pain_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.routine_title or 'Session'} on {self.local_date}"

    def get_absolute_url(self) -> str:
        return reverse("progress:session_detail", kwargs={"pk": self.pk})

    # The red-flag fields and how they are named to people (pages, emails, exports).
    RED_FLAG_LABELS = {
        "numbness": "Numbness",
        "tingling": "Tingling",
        "weakness": "Weakness",
        "sharp_pain": "Sharp or worsening pain",
    }

    @property
    def red_flags(self) -> list[str]:
        return [label for field, label in self.RED_FLAG_LABELS.items() if getattr(self, field)]

    @property
    def pain_is_high(self) -> bool:
        return self.pain is not None and self.pain >= PAIN_ALERT_LEVEL

    @property
    def needs_attention(self) -> bool:
        return bool(self.red_flags) or self.pain_is_high

    @property
    def duration_seconds(self) -> int:
        return int((self.finished_at - self.started_at).total_seconds())


class ExerciseLog(models.Model):
    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="exercise_logs")
    exercise = models.ForeignKey("routines.Exercise", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    seconds = models.PositiveIntegerField(default=0, help_text="Seconds spent holding.")
    reps = models.PositiveSmallIntegerField(default=0)
    skipped = models.BooleanField(default=False)
    felt = models.PositiveSmallIntegerField(null=True, blank=True, **_rating)

    class Meta:
        ordering = ["session", "order"]
        constraints = [
            # One log per position in a session; also serves "this session's exercises, in order".
            models.UniqueConstraint(fields=["session", "order"], name="exercise_log_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} ({'skipped' if self.skipped else f'{self.seconds}s'})"


# --- Emails: what is scheduled, and the outbox ---------------------------------------------------


class ReminderSchedule(models.Model):
    """ "Remind me on these days at this local time", for one routine or in general.

    `next_due_at` is the next occurrence in UTC (progress.occurrences), kept current by
    progress.reminders whenever the schedule, the person's time zone or the clock moves it; empty
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

    class Meta:
        ordering = ["local_time", "pk"]
        indexes = [
            # The dispatcher's claim, every minute: enabled schedules due by now, oldest first.
            models.Index(fields=["next_due_at"], condition=models.Q(enabled=True), name="reminder_due"),
        ]

    def __str__(self) -> str:
        return f"{self.days_label} at {self.local_time:%H:%M}"

    @property
    def days_label(self) -> str:
        days = sorted(self.weekdays)
        if days == list(range(7)):
            return "Every day"
        if days == list(range(5)):
            return "Weekdays"
        if days == [5, 6]:
            return "Weekends"
        return ", ".join(WEEKDAY_NAMES[day][:3] for day in days)


class EmailKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"
    TRAINER_DIGEST = "trainer_digest", "Trainer digest"
    RED_FLAG_ALERT = "red_flag_alert", "Red-flag alert"
    INVITATION = "invitation", "Invitation"


class Delivery(models.Model):
    """One email in the outbox. The row, not the broker, is the source of truth: see
    progress.outbox for how a delivery goes from pending to sent exactly once."""

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
    # figures of the week, computed in batches by progress.summaries).
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(help_text="When it was meant to go out.")
    # When the sweeper hands the delivery to a worker (again) if it is still unfinished: the
    # message may have been lost, the worker killed, or a retry's backoff is over.
    lease_until = models.DateTimeField(null=True, blank=True)
    # After an SMTP error: not to be claimed before this (the backoff), whoever rings the doorbell.
    retry_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    reason = models.CharField(max_length=200, blank=True, help_text="Why it was skipped or missed.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
