import re
import zoneinfo
from datetime import time

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, such as Europe/London.",
            params={"value": value},
        )


def validate_display_name(value: str) -> None:
    # The name goes into email subjects and headers, where a line break would break the email.
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise ValidationError("Use letters, numbers, spaces and punctuation only (no line breaks or tabs).")


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


class Contraindication(models.TextChoices):
    """Conditions from the safety screening; an exercise tagged with one warns people who have it
    (routines.models.Exercise.contraindications)."""

    RECENT_INJURY = "recent_injury", "Recent injury or surgery"
    OSTEOPOROSIS = "osteoporosis", "Osteoporosis or low bone density"
    SPINAL_CONDITION = "spinal_condition", "Spinal fusion or disc problems"
    ACUTE_PAIN = "acute_pain", "Acute or worsening pain"
    NERVE_SYMPTOMS = "nerve_symptoms", "Numbness, tingling or weakness"


class Condition(models.TextChoices):
    """What changes which exercises suit a person: each exercise says, per condition, whether it
    is fine, fine with a change, or unsuitable (routines.models.Exercise.suitability).

    The `area_*` values are parts of the body that hurt now or had surgery recently.
    """

    OSTEOPOROSIS = "osteoporosis", "Low bone density or osteoporosis"
    PREGNANCY = "pregnancy", "Pregnancy"
    # Derived from the week (see pregnancy_conditions): lying flat on the back is the concern.
    PREGNANCY_LATER = "pregnancy_later", "Pregnancy after about 16 weeks"
    HYPERMOBILITY = "hypermobility", "Hypermobility"
    INFLAMMATORY_ARTHRITIS = (
        "inflammatory_arthritis",
        "Inflammatory arthritis (such as ankylosing spondylitis or rheumatoid arthritis)",
    )
    SHOULDER_INSTABILITY = "shoulder_instability", "Shoulder instability or a past dislocation"
    SPINAL_CONDITION = "spinal_condition", "Spinal fusion, disc problem or spinal stenosis"
    AREA_NECK = "area_neck", "Neck"
    AREA_UPPER_BACK = "area_upper_back", "Upper back"
    AREA_LOWER_BACK = "area_lower_back", "Lower back"
    AREA_SHOULDER = "area_shoulder", "Shoulder"
    AREA_WRIST_HAND = "area_wrist_hand", "Wrist or hand"
    AREA_HIP_KNEE = "area_hip_knee", "Hip or knee"


AREA_PREFIX = "area_"  # the Condition values that name a part of the body
PREGNANCY_LATER_FROM_WEEK = 16


def pregnancy_conditions(*, week: int | None) -> set[str]:
    """The conditions of a pregnancy in its `week`; an unknown week is treated as the later one."""
    if week is not None and week < PREGNANCY_LATER_FROM_WEEK:
        return {Condition.PREGNANCY}
    return {Condition.PREGNANCY, Condition.PREGNANCY_LATER}


# Today's screening answers (Contraindication) as conditions. Nerve symptoms map to none: they
# lead to the see-someone guidance instead (accounts/_seek_help.html).
_CONDITIONS_OF_SCREENING_FLAG: dict[str, set[str]] = {
    Contraindication.OSTEOPOROSIS: {Condition.OSTEOPOROSIS},
    Contraindication.SPINAL_CONDITION: {Condition.SPINAL_CONDITION},
    Contraindication.RECENT_INJURY: {Condition.AREA_UPPER_BACK},
    Contraindication.ACUTE_PAIN: {Condition.AREA_UPPER_BACK},
    Contraindication.NERVE_SYMPTOMS: set(),
}


def conditions_for(user) -> set[str]:
    """The Condition values that apply to `user` (none for a visitor who is not logged in).

    The one place the rest of the app learns a person's conditions: the library, builder, routine
    pages and player all ask here. Today it reads the five-answer screening (`screening_flags`);
    the two-tier screening replaces this body, not its callers.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    conditions: set[str] = set()
    for flag in user.screening_flags or []:
        conditions |= _CONDITIONS_OF_SCREENING_FLAG.get(flag, set())
    return conditions


def _area_phrases(*parts: str) -> tuple[str, ...]:
    """How a note says that a part of the body hurts now or had surgery ("if your neck is sore")."""
    return tuple(
        phrase
        for part in parts
        for phrase in (
            f"sore {part}",
            f"painful {part}",
            f"injured {part}",
            f"{part} pain",
            f"{part} injury",
            f"{part} surgery",
            f"{part} is sore",
            f"{part} are sore",
            f"{part} is painful",
            f"{part} hurt",
        )
    )


# Lower-case phrases by which a safety note mentions a condition; matched at the start of a word
# (so "disc" would also match "discomfort": the spinal phrases are longer on purpose). Notes that
# only say "stop if you feel pain in your shoulder" name a symptom, not a condition, and match none.
CONDITION_KEYWORDS: dict[str, tuple[str, ...]] = {
    Condition.OSTEOPOROSIS: ("bone density", "osteoporosis", "fragile bones", "fragile vertebrae"),
    Condition.PREGNANCY: ("pregnan", "midwife"),
    Condition.PREGNANCY_LATER: ("16 weeks", "later pregnancy", "later in pregnancy"),
    Condition.HYPERMOBILITY: ("hypermobil",),
    Condition.INFLAMMATORY_ARTHRITIS: ("arthritis", "ankylosing spondylitis"),
    Condition.SHOULDER_INSTABILITY: ("dislocat", "unstable shoulder", "shoulder instability"),
    Condition.SPINAL_CONDITION: (
        "disc problem",
        "discs",
        "slipped disc",
        "bulging disc",
        "spinal fusion",
        "fusion",
        "stenosis",
        "spinal condition",
    ),
    Condition.AREA_NECK: _area_phrases("neck"),
    Condition.AREA_UPPER_BACK: _area_phrases("upper back", "upper-back"),
    Condition.AREA_LOWER_BACK: _area_phrases("lower back", "lower-back"),
    Condition.AREA_SHOULDER: _area_phrases("shoulder", "shoulders"),
    Condition.AREA_WRIST_HAND: ("wrist", *_area_phrases("hand", "hands")),
    Condition.AREA_HIP_KNEE: _area_phrases("hip", "hips", "knee", "knees"),
}

# A note that names the narrower condition is about it alone ("from about 16 weeks of pregnancy"
# is not a note about every pregnancy).
_NARROWER_THAN: dict[str, str] = {Condition.PREGNANCY_LATER: Condition.PREGNANCY}

_CONDITION_PATTERNS = {
    condition: re.compile("|".join(rf"\b{re.escape(phrase)}" for phrase in phrases))
    for condition, phrases in CONDITION_KEYWORDS.items()
}


def conditions_mentioned(text: str) -> set[str]:
    """The conditions a piece of safety text mentions, by CONDITION_KEYWORDS."""
    lowered = text.lower()
    found = {condition for condition, pattern in _CONDITION_PATTERNS.items() if pattern.search(lowered)}
    for narrower, broader in _NARROWER_THAN.items():
        if narrower in found:
            found.discard(broader)
    return found


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
    display_name = models.CharField(
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

    # Onboarding (see accounts/views.py). Goals are Goal values; screening_flags are
    # Contraindication values the person said apply to them. screened_at stays
    # empty until the safety screening is answered ("none of these" is an answer: flags = []).
    goals = models.JSONField(default=list, blank=True)
    screening_flags = models.JSONField(default=list, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
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
        "screening_flags",
        "is_trainer",
    )

    objects = UserManager()

    class Meta:
        indexes = [
            # The dispatcher's weekly claim: people whose weekly email is due by now.
            models.Index(fields=["weekly_email_due_at"], name="user_weekly_email_due"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.display_name or self.email

    @property
    def needs_screening(self) -> bool:
        return self.screened_at is None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)
