import unicodedata
import zoneinfo
from datetime import time

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from accounts.one_line import OneLineCharField
from accounts.screening import PREGNANCY_WEEKS, ScreeningStatus, screening_due_why, screening_status


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, such as Europe/London.",
            params={"value": value},
        )


def validate_display_name(value: str) -> None:
    # The name goes into email subjects and headers, where a line break would break the email.
    # Line breaks are collapsed before this runs (accounts.one_line); tabs and other control
    # characters are refused.
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise ValidationError(
            "Use letters, numbers, spaces and punctuation only (no tabs or control characters)."
        )


class Weekday(models.IntegerChoices):
    """Days of the week as Python numbers them (date.weekday()): reminders, assignments and the
    weekly email store these."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


WEEKDAY_NAMES = Weekday.labels


def validate_weekdays(value) -> None:
    if not isinstance(value, list) or not value or any(day not in Weekday.values for day in value):
        raise ValidationError("Pick at least one day of the week.")


def weekdays_label(weekdays: list[int]) -> str:
    """ "Every day", "Weekdays", "Weekends", or the days' short names ("Mon, Wed, Fri")."""
    days = sorted(weekdays)
    if days == list(range(7)):
        return "Every day"
    if days == list(range(5)):
        return "Weekdays"
    if days == [5, 6]:
        return "Weekends"
    return ", ".join(WEEKDAY_NAMES[day][:3] for day in days)


class Goal(models.TextChoices):
    LESS_STIFFNESS = "less_stiffness", "Ease stiffness in my upper back"
    POSTURE = "posture", "Sit and stand taller"
    DESK_BREAKS = "desk_breaks", "Take regular breaks from the desk"
    MOBILITY = "mobility", "Turn and reach more freely"
    PARTNER = "partner", "Stretch with a partner"
    HABIT = "habit", "Build a daily habit"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. They log in with their email address; there is no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = OneLineCharField(
        max_length=80,
        blank=True,
        validators=[validate_display_name],
        help_text="How Unknot addresses you, e.g. “Sam”. Optional.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Reminders and “today” follow this IANA time zone.",
    )

    goals = models.JSONField(default=list, blank=True)  # Goal values
    # The safety screening (accounts/screening.py). "None of these" is an answer: an empty list.
    # warning_signs: tier 1 (WarningSign values). Empty (null) for answers kept from the screening
    # before tier 1 was asked, so that "nothing has changed" never confirms signs never asked.
    warning_signs = models.JSONField(null=True, blank=True, default=list)
    tier2_answers = models.JSONField(default=list, blank=True)  # Tier2 values
    # The week of pregnancy when the answers were given (screening.pregnancy_week_now counts on).
    pregnancy_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(PREGNANCY_WEEKS)]
    )
    surgery_areas = models.JSONField(default=list, blank=True)  # Area values: surgery in the last year
    pain_areas = models.JSONField(default=list, blank=True)  # Area values: pain now
    screened_at = models.DateTimeField(null=True, blank=True)  # when the answers were last given
    # When the person confirmed that a clinician checked them and said they can exercise; emptied
    # when they answer a warning sign they had not answered before.
    cleared_at = models.DateTimeField(null=True, blank=True)
    # Why the screening is asked again before its time (a session with high pain or a red flag,
    # new questions); emptied by the next answers.
    screening_due_reason = models.CharField(max_length=200, blank=True)
    # The dashboard measures the week against these.
    weekly_goal_sessions = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(21)],
        help_text="Sessions a week (1–21).",
    )
    weekly_goal_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
        help_text="Minutes a week (5–600).",
    )

    is_trainer = models.BooleanField(
        "I coach clients",
        default=False,
        help_text="Trainers and physios: invite clients, assign routines and follow their progress.",
    )

    # Emails (notifications.outbox): each kind can be turned off in settings or from the email itself.
    reminder_emails = models.BooleanField("Reminders", default=True)
    weekly_summary_emails = models.BooleanField("Weekly progress summary", default=True)
    trainer_digest_emails = models.BooleanField("Weekly digest of my clients (trainers)", default=True)
    alert_emails = models.BooleanField("Safety alerts about my clients (trainers)", default=True)
    weekly_email_weekday = models.PositiveSmallIntegerField(
        "Weekly emails on", default=Weekday.MONDAY, choices=Weekday.choices
    )
    weekly_email_time = models.TimeField("at", default=time(8, 0))
    # The next weekly email in UTC; empty until the dispatcher first sets it (notifications.dispatch).
    weekly_email_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The secret in the private calendar feed's address; a reset makes the old address stop working.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    # Bumped by every write that changes what the dashboard shows (session logs, routines: see
    # accounts.services.user_dashboard_changed); the cached dashboard is keyed on it.
    dashboard_version = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    # What a person answers in onboarding and settings: accounts.forms.ProfileForm edits these,
    # accounts.services.user_profile_update saves them (and screened_at, which follows the answer).
    PROFILE_FIELDS = (
        "display_name",
        "time_zone",
        "goals",
        "weekly_goal_sessions",
        "weekly_goal_minutes",
        "is_trainer",
    )

    objects = UserManager()

    class Meta:
        indexes = [
            # The dispatcher's weekly claim: people whose weekly email is due by now.
            models.Index(fields=["weekly_email_due_at"], name="user_weekly_email_due"),
        ]
        constraints = [
            # A week of pregnancy is 1 to 42, whatever writes it.
            models.CheckConstraint(
                condition=models.Q(pregnancy_week__isnull=True)
                | models.Q(pregnancy_week__gte=1, pregnancy_week__lte=PREGNANCY_WEEKS),
                name="user_pregnancy_week_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.display_name or self.email

    @property
    def screening_status(self) -> ScreeningStatus:
        """due, see_clinician or done: accounts.screening.screening_status."""
        return screening_status(self)

    @property
    def screening_due_why(self) -> str:
        return screening_due_why(self)

    @property
    def screening_url(self) -> str:
        """The first screening (with the time zone), or asking again once answered."""
        return reverse("accounts:welcome" if self.screened_at is None else "accounts:safety")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)
