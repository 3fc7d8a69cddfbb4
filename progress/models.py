import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst

from accounts.one_line import OneLineCharField

PAIN_ALERT_LEVEL = 7  # pain at or above this, like any red flag, gets stop-and-seek-help guidance

# The red-flag symptoms asked about after every session and when the player is stopped: SessionLog's
# field, and the words people read, in the order they are asked (the most urgent first). The one
# list of them: the player's, the stop page's and the log's questions, history, the trainer's pages
# and alerts, the weekly summary, exports and the roster all read it. Any of them shows the
# guidance of RED_FLAG_GUIDANCE and alerts a trainer the person shares safety alerts with.
RED_FLAGS: dict[str, str] = {
    "chest_symptoms": "Chest pain, or breathlessness that is sudden or severe",
    "bladder_bowel": "New changes in bladder or bowel control",
    "leg_weakness": "New leg weakness or loss of balance that does not pass",
    "dizziness": "Dizziness or feeling faint",
    "arm_pain": "Pain spreading down an arm",
    "numbness": "Numbness",
    "tingling": "Tingling (pins and needles)",
    "weakness": "Weakness in an arm or hand",
    "sharp_pain": "Sharp or worsening pain",
}


@dataclass(frozen=True)
class Guidance:
    """What to do about something a person reported. `rank` orders them, most urgent first;
    `act_now` is the few words of the safety net ("if this starts: call emergency services now"),
    set only for the flags that cannot wait."""

    rank: int
    heading: str
    advice: str
    act_now: str = ""


CALL_EMERGENCY = Guidance(
    1,
    "Call emergency services now",
    "Chest pain, or breathlessness that is sudden or severe, needs to be checked straight away. "
    "Stop, sit down and call your "
    "local emergency number (999, 112 or 911). Don’t wait to see whether it passes, and don’t "
    "drive yourself.",
    act_now="call emergency services now",
)
URGENT_CARE_TODAY = Guidance(
    2,
    "Get urgent care today",
    "New changes in bladder or bowel control, new weakness in a leg, or loss of balance that does "
    "not pass should be seen by a doctor today. Go to an emergency department (A&E) today, or call "
    "your emergency number if you can’t get there safely. Don’t wait for it to settle.",
    act_now="go to an emergency department today",
)
SIT_OR_LIE_DOWN = Guidance(
    3,
    "Sit or lie down until it passes",
    "Stop, and sit or lie down where you can’t fall. Stay there until you feel steady, then get up "
    "slowly. Get help if it doesn’t pass within a few minutes or keeps coming back, and call your "
    "emergency number if it comes with chest pain or breathlessness.",
)
SEE_SOMEONE_SOON = Guidance(
    4,
    "Stop for today, and see a GP or physiotherapist soon",
    "Pain spreading down an arm, numbness, tingling or weakness should be checked before you "
    "stretch again. Book an appointment with a GP or physiotherapist in the next few days. If it "
    "gets worse or spreads, get seen the same day. If weakness came on suddenly, or with a "
    "drooping face or slurred speech, call your emergency number now.",
)
LEAVE_THAT_EXERCISE_OUT = Guidance(
    5,
    "Stop, and leave that exercise out",
    "Don’t repeat the exercise that brought the pain on. If the pain is still there in a day or "
    "two, comes back, or gets worse, have it checked by a GP or physiotherapist.",
)
HIGH_PAIN = Guidance(
    6,
    "Rest today, and get advice before you do this routine again",
    "That is more pain than stretching should cause. Rest your back today and see a GP or "
    "physiotherapist before you do this routine again; sooner if the pain gets worse.",
)

# Not a red flag: the advice when pain rises from one session to the next
# (progress.selectors.pain_is_rising), on the dashboard and after saving such a session.
PAIN_RISING = Guidance(
    7,
    "Your pain has been going up",
    "Each of your last few sessions hurt a little more than the one before. Ease off for a few "
    "days: shorter holds, a smaller range, or a gentler routine. If it keeps rising, or hasn’t "
    "settled within a week, see a GP or physiotherapist.",
)

# What each red flag asks the person to do: the one definition, shown on the stop page's outcome,
# on the session page and wherever guidance for a session appears. Every field of RED_FLAGS has one
# (tested).
RED_FLAG_GUIDANCE: dict[str, Guidance] = {
    "chest_symptoms": CALL_EMERGENCY,
    "bladder_bowel": URGENT_CARE_TODAY,
    "leg_weakness": URGENT_CARE_TODAY,
    "dizziness": SIT_OR_LIE_DOWN,
    "arm_pain": SEE_SOMEONE_SOON,
    "numbness": SEE_SOMEONE_SOON,
    "tingling": SEE_SOMEONE_SOON,
    "weakness": SEE_SOMEONE_SOON,
    "sharp_pain": LEAVE_THAT_EXERCISE_OUT,
}

_rating = {"validators": [MaxValueValidator(10)]}


def pain_is_high(pain: int | None) -> bool:
    return pain is not None and pain >= PAIN_ALERT_LEVEL


def guidance_for(fields: Iterable[str], pain: int | None) -> list[Guidance]:
    """The guidance for the red flags reported (by field) and the pain rating, most urgent first,
    each once."""
    found = {RED_FLAG_GUIDANCE[field] for field in fields}
    if pain_is_high(pain):
        found.add(HIGH_PAIN)
    return sorted(found, key=lambda guidance: guidance.rank)


def safety_net(fields: Iterable[str]) -> list[tuple[str, str, str]]:
    """(field, label, what to do) for the red flags that cannot wait and were not reported: what
    to watch for after stopping."""
    reported = set(fields)
    return [
        (field, label, RED_FLAG_GUIDANCE[field].act_now)
        for field, label in RED_FLAGS.items()
        if RED_FLAG_GUIDANCE[field].act_now and field not in reported
    ]


def red_flags_reported(labels: Sequence[str], pain: int | None) -> str:
    """What a person reported that needs attention, as one phrase for pages and emails:
    "Numbness, tingling (pins and needles) and pain of 8 out of 10". Empty when nothing does."""
    parts = [label.lower() for label in labels]
    if pain_is_high(pain):
        parts.append(f"pain of {pain} out of 10")
    if len(parts) > 1:
        parts[-2:] = [f"{parts[-2]} and {parts[-1]}"]
    return capfirst(", ".join(parts))


def any_red_flag() -> models.Q:
    """Sessions with any red flag (a field of RED_FLAGS) reported."""
    return reduce(operator.or_, (models.Q(**{flag: True}) for flag in RED_FLAGS))


class SessionLogQuerySet(models.QuerySet):
    def needing_attention(self) -> "SessionLogQuerySet":
        """The rule of SessionLog.needs_attention, as a filter."""
        return self.filter(any_red_flag() | models.Q(pain__gte=PAIN_ALERT_LEVEL))


class SessionLog(models.Model):
    """One stretching session: played in the app or logged afterwards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_logs")
    routine = models.ForeignKey(
        "routines.Routine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # session_routine_started leads with it
    )
    # Set when the routine is a trainer's assignment: its trainer sees this session (coaching.models).
    assignment = models.ForeignKey(
        "coaching.Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    routine_title = OneLineCharField(max_length=120, blank=True, help_text="Kept if the routine is deleted.")
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
    chest_symptoms = models.BooleanField("chest pain or breathlessness", default=False)
    bladder_bowel = models.BooleanField("changes in bladder or bowel control", default=False)
    leg_weakness = models.BooleanField("leg weakness or loss of balance", default=False)
    dizziness = models.BooleanField("dizziness or feeling faint", default=False)
    arm_pain = models.BooleanField("pain spreading down an arm", default=False)
    numbness = models.BooleanField(default=False)
    tingling = models.BooleanField(default=False)
    weakness = models.BooleanField(default=False)
    sharp_pain = models.BooleanField("sharp or worsening pain", default=False)
    notes = models.TextField(blank=True)
    # Ended with "Stop: something feels wrong" in the player, and what made them stop, in their words.
    stopped_early = models.BooleanField(default=False)
    stop_reason = models.TextField(blank=True)
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
            # A routine's sessions, newest first: its history, and whether the programme's plan
            # has played an item since a change to it (progress.plan).
            models.Index(fields=["routine", "-started_at"], name="session_routine_started"),
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
    def red_flag_fields(self) -> list[str]:
        """The red flags ticked, by field, in RED_FLAGS' order."""
        return [field for field in RED_FLAGS if getattr(self, field)]

    @property
    def red_flags(self) -> list[str]:
        """The labels of the red flags ticked, in RED_FLAGS' order."""
        return [RED_FLAGS[field] for field in self.red_flag_fields]

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
    def guidance(self) -> list[Guidance]:
        return guidance_for(self.red_flag_fields, self.pain)

    @property
    def safety_net(self) -> list[tuple[str, str, str]]:
        return safety_net(self.red_flag_fields)

    @property
    def shows_guidance(self) -> bool:
        """Its page shows stop-and-seek-help guidance, or the advice to ease off after stopping
        early: nothing celebratory belongs next to it ("Well done", "Nicely done")."""
        return self.needs_attention or self.stopped_early

    @property
    def duration_seconds(self) -> int:
        return int((self.finished_at - self.started_at).total_seconds())


class Feeling(models.TextChoices):
    """ "How did that feel?", asked per exercise at the end of a session (optional). It feeds the
    programme's progression rules (progress.progression)."""

    TOO_EASY = "too_easy", "Too easy"
    JUST_RIGHT = "just_right", "Just right"
    TOO_HARD = "too_hard", "Too hard"


class ExerciseLog(models.Model):
    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="exercise_logs")
    exercise = models.ForeignKey("routines.Exercise", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    seconds = models.PositiveIntegerField(default=0, help_text="Seconds spent holding.")
    reps = models.PositiveSmallIntegerField(default=0)
    skipped = models.BooleanField(default=False)
    # False for an exercise done without the player's timer and not timed (no JavaScript, and the
    # person did not say they held the full time): `seconds` is then 0 and says nothing.
    timed = models.BooleanField(default=True)
    felt = models.PositiveSmallIntegerField(null=True, blank=True, **_rating)
    # "How did that feel?": empty when the person did not say.
    feeling = models.CharField(max_length=10, choices=Feeling.choices, blank=True)

    class Meta:
        # The column, not the relation: naming the relation would join its table to sort by its own ordering.
        ordering = ["session_id", "order"]
        constraints = [
            # One log per position in a session; also serves "this session's exercises, in order".
            models.UniqueConstraint(fields=["session", "order"], name="exercise_log_order_unique"),
        ]

    def __str__(self) -> str:
        done = f"{self.seconds}s" if self.timed else "not timed"
        return f"{self.exercise} ({'skipped' if self.skipped else done})"


# --- The programme: "Upper-back reset, 6 weeks" (progress/programme.py has its content) ---------


LONG_HOLD_SECONDS = 15  # a rep this long or longer is a hold; shorter, a movement


def dose_label(*, sets: int, reps: int, hold_seconds: int) -> str:
    """How a dose reads in the programme: "3 × 10" for a movement; "2 × 30 s" for holds."""
    if hold_seconds >= LONG_HOLD_SECONDS:
        return f"{sets * reps} × {hold_seconds} s"
    return f"{sets} × {reps}"


STEPS_PER_LEVEL = 6


class Track(models.TextChoices):
    MOBILITY_FIRST = "mobility_first", "Mobility first"
    MOBILITY_STRENGTH = "mobility_strength", "Mobility with strength"
    STRENGTH_LED = "strength_led", "Strength led"


class EnrolmentQuerySet(models.QuerySet):
    def active(self) -> "EnrolmentQuerySet":
        return self.filter(status=Enrolment.Status.ACTIVE)


class Enrolment(models.Model):
    """A person following the programme on one track: their own routines for it
    (ProgrammeRoutine), the week they are in, and every adjustment made (Adjustment)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Under way"
        FINISHED = "finished", "Finished"
        STOPPED = "stopped", "Stopped"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_enrolments"
    )
    track = models.CharField(max_length=20, choices=Track.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    week = models.PositiveSmallIntegerField(default=1)
    # Steps up in force, less steps back (never below 0): how far the person has come. Their level
    # (on the roster and the client page) is one more for every STEPS_PER_LEVEL of them.
    steps = models.PositiveSmallIntegerField(default=0)
    started_on = models.DateField(help_text="The person's local day when they started.")
    # The next week's turn: the local day it happens (a week after the current week began), and
    # that day's local midnight in UTC, which is all the weekly task (progress.tasks) compares
    # with the clock. A new time zone recomputes the instant from the day.
    week_turns_on = models.DateField()
    week_turns_at = models.DateTimeField()
    # A trainer who assigned it (coaching), and a trainer who holds the person at their level:
    # while held, nothing steps up (stepping back for safety still happens).
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The weekly task: enrolments under way whose week turns now or earlier.
            models.Index(
                fields=["week_turns_at"],
                condition=models.Q(status="active"),
                name="enrolment_week_turn_due",
            ),
        ]
        constraints = [
            # One programme under way per person (their dashboard shows one plan).
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="active"), name="enrolment_one_active"
            ),
            models.CheckConstraint(condition=models.Q(week__gte=1), name="enrolment_week_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_track_display()}, week {self.week}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_held(self) -> bool:
        # A trainer whose account was deleted (held_by set to null) holds nobody any more: the
        # person has no control to lift a hold themselves.
        return self.held_at is not None and self.held_by_id is not None

    @property
    def level(self) -> int:
        """1 at the start; one more for about one step up of each exercise of a session."""
        return 1 + self.steps // STEPS_PER_LEVEL


class ProgrammeRoutine(models.Model):
    """One of the enrolment's routines: the session done three times a week, and the daily desk
    break. They are the person's own routines (routines.Routine), so the builder, the player,
    swaps and the history work on them as on any other."""

    class Slot(models.TextChoices):
        SESSION = "session", "Session, three times a week"
        DESK = "desk", "Desk break, every day"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="routines")
    slot = models.CharField(max_length=10, choices=Slot.choices)
    routine = models.OneToOneField(
        "routines.Routine", on_delete=models.CASCADE, related_name="programme_routine"
    )

    class Meta:
        # The column, not the relation: naming the relation would join its table to sort by its own ordering.
        ordering = ["enrolment_id", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "slot"], name="programme_routine_one_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.get_slot_display()}"


class ProgrammeWeek(models.Model):
    """A week of an enrolment that began: the key that makes the weekly turn happen once, however
    many times the task runs or however many workers run it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="weeks")
    number = models.PositiveSmallIntegerField()
    began_at = models.DateTimeField()

    class Meta:
        # The column, not the relation: naming the relation would join its table to sort by its own ordering.
        ordering = ["enrolment_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="programme_week_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: week {self.number} began {self.began_at:%Y-%m-%d %H:%M}"


class Adjustment(models.Model):
    """A change the programme made to one item of the person's routines, and why, in the words
    they read ("because your last three sessions were pain-free")."""

    class Kind(models.TextChoices):
        UP = "up", "Stepped up"
        BACK = "back", "Stepped back"
        LIGHT = "light", "Lighter week"
        RESTORE = "restore", "Back to full after the lighter week"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="adjustments")
    item = models.ForeignKey(
        "routines.RoutineItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    week = models.PositiveSmallIntegerField()
    # The session that led to it (none for the weekly turn's lighter week and its end).
    session = models.ForeignKey(
        SessionLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_exercise = models.ForeignKey("routines.Exercise", on_delete=models.PROTECT, related_name="+")
    from_sets = models.PositiveSmallIntegerField()
    from_reps = models.PositiveSmallIntegerField()
    from_hold_seconds = models.PositiveSmallIntegerField()
    to_exercise = models.ForeignKey("routines.Exercise", on_delete=models.PROTECT, related_name="+")
    to_sets = models.PositiveSmallIntegerField()
    to_reps = models.PositiveSmallIntegerField()
    to_hold_seconds = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The history page and the plan: an enrolment's adjustments, newest first.
            models.Index(fields=["enrolment", "-created_at"], name="adjustment_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reason}"

    @property
    def can_undo(self) -> bool:
        return self.kind == self.Kind.UP and self.undone_at is None

    # The properties below read from_exercise and to_exercise: select_related them when listing.
    @property
    def change(self) -> str:
        """ "3 × 10 instead of 2 × 10", or "Wall slide (2 × 8) instead of Shoulder-blade squeeze"."""
        to = dose_label(sets=self.to_sets, reps=self.to_reps, hold_seconds=self.to_hold_seconds)
        if self.from_exercise_id != self.to_exercise_id:
            return f"{self.to_exercise.name} ({to}) instead of {self.from_exercise.name}"
        before = dose_label(sets=self.from_sets, reps=self.from_reps, hold_seconds=self.from_hold_seconds)
        return f"{to} instead of {before}"

    @property
    def sentence(self) -> str:
        """What changed and why: "3 × 10 instead of 2 × 10, because your last three sessions were
        pain-free"."""
        return f"{self.change}, {self.reason}"


# --- Rollups (progress.rollups writes them; see docs/architecture.md, "Rollups") ----------------


class DayFigures(models.Model):
    """A local day's sessions summed: what the dashboard's and the roster's figures are made of.
    Averages are sums over counts, so that days add up into weeks exactly."""

    local_date = models.DateField()
    sessions = models.PositiveIntegerField()
    duration = models.DurationField(help_text="Total time from start to finish.")
    tightness_before_sum = models.PositiveIntegerField()
    tightness_before_count = models.PositiveIntegerField()  # sessions rated before
    tightness_after_sum = models.PositiveIntegerField()
    tightness_after_count = models.PositiveIntegerField()
    # Sessions rated both before and after, and the sum of their relief (before − after).
    rated_sessions = models.PositiveIntegerField()
    relief_sum = models.IntegerField()
    pain_max = models.PositiveSmallIntegerField(null=True)
    # Sessions with a red flag or pain of PAIN_ALERT_LEVEL or more (SessionLogQuerySet.needing_attention).
    attention_sessions = models.PositiveIntegerField()

    class Meta:
        abstract = True

    @property
    def minutes(self) -> int:
        return round(self.duration.total_seconds() / 60)


class DayRollup(DayFigures):
    """Every session of a person on one local day (SessionLog.local_date)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            # One row per person and day; also serves the dashboard's "this person's days from … to …".
            models.UniqueConstraint(fields=["user", "local_date"], name="day_rollup_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.sessions} sessions on {self.local_date}"


class AssignmentDayRollup(DayFigures):
    """The sessions of one trainer's assignment on one local day: only what its trainer sees.
    Deleted with the assignment, as its sessions then stop being shared."""

    assignment = models.ForeignKey("coaching.Assignment", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            # One row per assignment and day; also serves the roster's "these assignments' recent days".
            models.UniqueConstraint(
                fields=["assignment", "local_date"], name="assignment_day_rollup_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sessions} sessions of assignment {self.assignment_id} on {self.local_date}"


class ExerciseRollup(models.Model):
    """Of a person's sessions rated before and after, those that included an exercise (not
    skipped): what "What helps you most" ranks."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey("routines.Exercise", on_delete=models.CASCADE, related_name="+")
    sessions = models.PositiveIntegerField()  # distinct sessions
    logs = models.PositiveIntegerField()  # exercise logs (an exercise done twice in a session counts twice)
    relief_sum = models.IntegerField()  # sum over the logs of their session's before − after

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "exercise"], name="exercise_rollup_once_per_exercise"),
        ]

    def __str__(self) -> str:
        return f"Exercise {self.exercise_id}: {self.sessions} rated sessions"
