import operator
from collections.abc import Sequence
from functools import reduce

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst

PAIN_ALERT_LEVEL = 7  # pain at or above this, like any red flag, gets stop-and-seek-help guidance

# The red-flag symptoms asked about after every session: SessionLog's field, and the words people
# read, in the order they are asked. The one list of them: the player's and the log's questions,
# history, the trainer's pages and alerts, the weekly summary, exports and the roster all read it.
# Any of them shows stop-and-seek-help guidance and alerts a trainer the person shares them with.
RED_FLAGS: dict[str, str] = {
    "numbness": "Numbness",
    "tingling": "Tingling (pins and needles)",
    "weakness": "Weakness in an arm or hand",
    "sharp_pain": "Sharp or worsening pain",
}

_rating = {"validators": [MaxValueValidator(10)]}


def pain_is_high(pain: int | None) -> bool:
    return pain is not None and pain >= PAIN_ALERT_LEVEL


def red_flags_reported(labels: Sequence[str], pain: int | None) -> str:
    """What a person reported that needs attention, as one phrase for pages and emails:
    "Numbness, tingling (pins and needles) and pain of 8 out of 10". Empty when nothing does."""
    parts = [label.lower() for label in labels]
    if pain_is_high(pain):
        parts.append(f"pain of {pain} out of 10")
    if len(parts) > 1:
        parts[-2:] = [f"{parts[-2]} and {parts[-1]}"]
    return capfirst(", ".join(parts))


class SessionLogQuerySet(models.QuerySet):
    def needing_attention(self) -> "SessionLogQuerySet":
        """The rule of SessionLog.needs_attention, as a filter."""
        any_red_flag = reduce(operator.or_, (models.Q(**{field: True}) for field in RED_FLAGS))
        return self.filter(any_red_flag | models.Q(pain__gte=PAIN_ALERT_LEVEL))


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
    # The red-flag symptoms: their labels, order and meaning are in RED_FLAGS.
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
        *RED_FLAGS,
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

    @property
    def red_flags(self) -> list[str]:
        """The labels of the red flags ticked, in RED_FLAGS' order."""
        return [label for field, label in RED_FLAGS.items() if getattr(self, field)]

    @property
    def pain_is_high(self) -> bool:
        return pain_is_high(self.pain)

    @property
    def red_flags_reported(self) -> str:
        return red_flags_reported(self.red_flags, self.pain)

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
