"""Trainers and their clients: the link between them, routines assigned on a schedule, and the
comments on a client's sessions.

What a trainer may see is decided here and nowhere else: sessions played from that trainer's
assignments, through a link that is active, with the details the client chose to share.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from accounts.models import validate_weekdays, weekdays_label
from progress.models import PAIN_ALERT_LEVEL, Track


class TrainerClientQuerySet(models.QuerySet):
    def active(self) -> "TrainerClientQuerySet":
        return self.filter(status=TrainerClient.Status.ACTIVE)

    def pending(self) -> "TrainerClientQuerySet":
        return self.filter(status=TrainerClient.Status.INVITED)


class TrainerClient(models.Model):
    """A trainer's invitation to a person, and once accepted, the link between them.

    The row is the invitation until the client accepts (status INVITED, client empty), then the
    link (ACTIVE). Either side can end it (ENDED); a trainer can revoke an invitation (REVOKED)
    and the person can decline it (DECLINED). Nothing is deleted, so a link's history stays.
    """

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"
        ENDED = "ended", "Ended"

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_links"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="trainer_links",
    )
    email = models.EmailField(help_text="The address the invitation was sent to.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    message = models.TextField(blank=True, max_length=1000, help_text="A note from the trainer in the email.")
    # What the client agreed to share, on top of the sessions of assigned routines themselves
    # (date, length, exercises done), which is what a link means.
    share_ratings = models.BooleanField("tightness and pain ratings", default=True)
    share_red_flags = models.BooleanField(
        f"safety alerts (red-flag symptoms, pain of {PAIN_ALERT_LEVEL} or more)", default=True
    )
    share_notes = models.BooleanField("notes", default=True)
    # The tier-2 screening answers (conditions, pregnancy, surgery and pain areas). Off unless the
    # client ticks it; the screening's status (due, done, see a clinician first) is always shown.
    share_screening = models.BooleanField("safety answers that change the exercises", default=False)
    # Part of the signed invitation link; a new one on every re-send makes older emails' links stale.
    invite_nonce = models.CharField(max_length=32, editable=False)
    invited_at = models.DateTimeField(help_text="When the invitation was last sent.")
    send_count = models.PositiveSmallIntegerField(default=1, help_text="Emails sent for this invitation.")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = TrainerClientQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The roster and the daily invitation limit: a trainer's links by status.
            models.Index(fields=["trainer", "status", "created_at"], name="link_trainer_status"),
            # "Your trainers" in settings, and who to alert when a client logs a red flag.
            models.Index(fields=["client", "status"], name="link_client_status"),
        ]
        constraints = [
            # One open invitation or link per trainer and address: a second invite says so.
            models.UniqueConstraint(
                "trainer",
                Lower("email"),
                condition=models.Q(status__in=["invited", "active"]),
                name="link_one_open_per_address",
            ),
            models.CheckConstraint(
                # An invitation names an address; a link that was accepted names the client.
                condition=models.Q(status__in=["invited", "revoked", "declined"])
                | models.Q(client__isnull=False),
                name="link_accepted_has_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainer} → {self.client or self.email} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("coaching:client_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def is_addressed_to(self, user) -> bool:
        """An invitation is answered by the account with the address it was sent to, and never by
        the trainer who sent it."""
        return user.email.lower() == self.email.lower() and user.pk != self.trainer_id

    @property
    def client_name(self) -> str:
        return str(self.client) if self.client else self.email

    @property
    def shared_details_for_trainer(self) -> list[str]:
        """What the trainer sees, in the trainer's words."""
        details = ["the sessions of routines you assign (when, how long, which exercises)"]
        if self.share_ratings:
            details.append("tightness and pain ratings, and whether their pain is rising")
        if self.share_red_flags:
            details.append(
                f"safety alerts (red flags, pain of {PAIN_ALERT_LEVEL} or more, stopping a session), "
                "also by email"
            )
        if self.share_notes:
            details.append("their notes on those sessions")
        if self.share_screening:
            details.append("their safety answers that change which exercises suit them")
        return details

    @property
    def shared_details(self) -> list[str]:
        """What the trainer sees of each shared session, in the client's words."""
        details = ["which assigned routines you did, when, for how long, and which exercises"]
        if self.share_ratings:
            details.append("your tightness and pain ratings, and whether your pain is rising")
        if self.share_red_flags:
            details.append(
                f"red-flag symptoms, pain of {PAIN_ALERT_LEVEL} or more, and when you stop a session because "
                "something felt wrong, with an email to your trainer right away when there is a red flag "
                "or high pain"
            )
        if self.share_notes:
            details.append("the notes you write on those sessions")
        if self.share_screening:
            details.append(
                "your safety answers that change which exercises suit you (conditions, pregnancy, "
                "recent surgery, pain now), but not the signs to get checked first"
            )
        return details


class Assignment(models.Model):
    """A routine a trainer gave a client to do on some weekdays between two dates.

    `routine` is the client's own copy, so later edits by the trainer reach the client only when
    the trainer chooses "update client's copy" (coaching.services.assignment_copy_update).
    """

    link = models.ForeignKey(TrainerClient, on_delete=models.CASCADE, related_name="assignments")
    routine = models.OneToOneField("routines.Routine", on_delete=models.CASCADE, related_name="assignment")
    source_routine = models.ForeignKey(
        "routines.Routine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    weekdays = models.JSONField(validators=[validate_weekdays], help_text="0 = Monday … 6 = Sunday.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    instructions = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    synced_at = models.DateTimeField(
        help_text="When the client's copy was last made from the trainer's routine."
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.routine} for {self.link.client_name}"

    @property
    def client_id(self) -> int:
        return self.link.client_id

    @property
    def trainer_name(self) -> str:
        return str(self.link.trainer)

    @property
    def days_label(self) -> str:
        """ "Every day", "Weekdays", "Weekends" or the days' short names: as reminders say it."""
        return weekdays_label(self.weekdays)

    def is_due_on(self, day: date) -> bool:
        return (
            day.weekday() in self.weekdays
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )

    def due_days(self, first: date, last: date) -> list[date]:
        """The days from `first` to `last` (both included) this assignment is due."""
        days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
        return [day for day in days if self.is_due_on(day)]

    def next_due(self, after: date) -> date | None:
        """The first day after `after` this assignment is due, within the next two weeks."""
        for offset in range(1, 15):
            day = after + timedelta(days=offset)
            if self.is_due_on(day):
                return day
        return None

    @property
    def copy_is_behind(self) -> bool:
        """The trainer changed their routine since the client's copy was made."""
        source = self.source_routine
        return source is not None and source.updated_at > self.synced_at


class SessionComment(models.Model):
    """A message on a shared session, between the client and their trainer."""

    session = models.ForeignKey("progress.SessionLog", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the other side first sees it: until then it is marked "new" for them.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A session's thread, oldest first.
            models.Index(fields=["session", "created_at"], name="comment_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.session}: {self.body[:40]}"


class ProgrammeCopy(models.Model):
    """A trainer's own version of the programme "Upper-back reset, 6 weeks" on one track: its
    session and desk-break routines, which the trainer changes in the builder like any routine
    and assigns (coaching.services.programme_assign) instead of the standard one."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_copies"
    )
    track = models.CharField(max_length=20, choices=Track.choices)
    session_routine = models.ForeignKey("routines.Routine", on_delete=models.CASCADE, related_name="+")
    desk_routine = models.ForeignKey("routines.Routine", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.trainer}'s version: {self.get_track_display()}"

    @property
    def label(self) -> str:
        return f"Your version, {self.get_track_display().lower()} (made {self.created_at:%-d %B})"

    @property
    def sources(self) -> dict[str, object]:
        """Its routines by the slot of progress.models.ProgrammeRoutine."""
        return {"session": self.session_routine, "desk": self.desk_routine}
