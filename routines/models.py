from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from accounts.one_line import OneLineCharField
from accounts.screening import AREA_PREFIX, CONDITION_BECAUSE, Condition
from routines.progression import DoseCeiling, progression_problems, validate_progression
from routines.suitability import Verdict, validate_suitability, verdicts_from


class Muscle(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    class Kind(models.TextChoices):
        """What a piece of equipment asks of the person, the library's "What you need" filter.

        Things every home has (a chair, a wall, a doorway, a towel) count as nothing to buy; an
        exercise needs the most demanding kind among its equipment (`Exercise.needs`)."""

        NONE = "none", "Nothing to buy"
        BAND = "band", "A resistance band"
        WEIGHTS = "weights", "Light weights"
        TOOL = "tool", "A foam roller or massage bar"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NONE)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "equipment"

    def __str__(self) -> str:
        return self.name


MAX_LEVEL = 20  # the most variants one family may have

# From least to most to get hold of: an exercise with a band and a chair needs a band.
NEEDS_ORDER = [Equipment.Kind.NONE, Equipment.Kind.BAND, Equipment.Kind.WEIGHTS, Equipment.Kind.TOOL]


@dataclass(frozen=True)
class Dose:
    """An exercise done once as planned: the seconds held, every rep of every set on each side,
    and the reps, counted per side as they are prescribed ("3 reps × 2 sets, each side" is 6).

    The one definition of the arithmetic: the player logs it for an exercise done without the
    timer, a manual log for every exercise, and a routine's estimate adds the rests to it.
    """

    seconds: int
    reps: int

    @classmethod
    def planned(cls, *, hold_seconds: int, reps: int, sets: int, per_side: bool) -> "Dose":
        sides = 2 if per_side else 1
        return cls(seconds=sets * reps * sides * hold_seconds, reps=sets * reps)


class ExerciseQuerySet(models.QuerySet):
    def published(self) -> "ExerciseQuerySet":
        """What the site offers: published and not retired."""
        return self.filter(is_published=True, retired_at__isnull=True)

    def retired(self) -> "ExerciseQuerySet":
        return self.filter(retired_at__isnull=False)

    def with_lookups(self) -> "ExerciseQuerySet":
        """Everything a list of exercises shows, in a fixed number of queries."""
        return self.prefetch_related("targets", "equipment")

    def needing(self, needs: str) -> "ExerciseQuerySet":
        """Exercises whose equipment asks for `needs` (an Equipment.Kind value) at most and at
        least: "none" is every exercise done with things at home; "band" those with a band."""
        if needs == Equipment.Kind.NONE:
            return self.exclude(equipment__kind__in=NEEDS_ORDER[1:])
        return self.filter(equipment__kind=needs)


class Exercise(models.Model):
    class Kind(models.TextChoices):
        STRETCH = "stretch", "Stretch"
        MOBILITY = "mobility", "Mobility technique"
        STRENGTH = "strength", "Strengthening"
        SELF_RELEASE = "self_release", "Self-release with a tool"
        PARTNER = "partner", "Partner-assisted"

    class Difficulty(models.TextChoices):
        BEGINNER = "beginner", "Beginner"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    difficulty = models.CharField(max_length=20, choices=Difficulty.choices, default=Difficulty.BEGINNER)
    summary = models.CharField(max_length=200)
    purpose = models.TextField()
    body_position = models.CharField(max_length=120)
    targets = models.ManyToManyField(Muscle, related_name="exercises")
    equipment = models.ManyToManyField(Equipment, related_name="exercises", blank=True)
    hold_seconds = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text="Seconds of one hold, or of one slow repetition of a movement (5–120).",
    )
    reps = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    sets = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    per_side = models.BooleanField(default=False, help_text="Done on the left, then on the right.")
    # Easier and harder variants share a family (routines/families.py); level 1 is the easiest.
    # The index serves "the members of this family, by level" on every exercise page and step.
    family = models.SlugField(
        max_length=60,
        blank=True,
        db_index=True,
        help_text="Exercises that are easier and harder variants of each other share a family.",
    )
    level = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)],
        help_text="1 is the easiest in its family.",
    )
    progression = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_progression],
        help_text='The most a person builds up to before the next variant, e.g. {"reps": 12, "sets": 3}.',
    )
    breathing_cue = models.CharField(max_length=300)
    partner_role = models.TextField(blank=True, help_text="Partner stretches only: what the helper does.")
    stretchee_position = models.TextField(
        blank=True,
        help_text="Partner stretches only: what the person being stretched does.",
    )
    common_mistakes = models.TextField(help_text="One mistake per line.")
    safety_notes = models.TextField(help_text="One note per line.")
    suitability = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_suitability],
        help_text="Per condition: modify (with how) or avoid (with why and instead).",
    )
    is_published = models.BooleanField(default=True)
    # A retired exercise is never offered again, but its row stays: session logs point to it
    # (ExerciseLog.exercise is PROTECT) and its old address explains why it went (410).
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)
    retired_reason = models.TextField(blank=True, help_text="Why the exercise is no longer offered.")
    source_note = models.TextField(blank=True, help_text="For staff: where the facts came from.")
    # Set by load_library: the hash of the file entry it last wrote, so that a second load of an
    # unchanged file writes nothing. Staff edits in the admin set is_customised, and the loader
    # then leaves the exercise alone (see docs/architecture.md, "The exercise library").
    library_hash = models.CharField(max_length=64, blank=True, editable=False)
    is_customised = models.BooleanField(
        default=False, help_text="Edited by staff: load_library will not overwrite it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # The builder's limits (5–120 s, 1–30 reps and sets) hold for library defaults too.
            models.CheckConstraint(
                condition=models.Q(hold_seconds__gte=5, hold_seconds__lte=120),
                name="exercise_hold_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(reps__gte=1, reps__lte=30),
                name="exercise_reps_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(sets__gte=1, sets__lte=30),
                name="exercise_sets_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=MAX_LEVEL), name="exercise_level_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("routines:exercise_detail", kwargs={"slug": self.slug})

    @property
    def is_partner(self) -> bool:
        return self.kind == self.Kind.PARTNER

    @property
    def family_label(self) -> str:
        """The family as people read it: "upper-back-rotation" → "Upper back rotation"."""
        return self.family.replace("-", " ").capitalize()

    @property
    def needs(self) -> str:
        """What the person needs to get hold of (an Equipment.Kind value): the most demanding kind
        among the exercise's equipment. Reads `equipment.all()`: prefetch it (with_lookups)."""
        kinds = {equipment.kind for equipment in self.equipment.all()}
        return max(kinds, key=NEEDS_ORDER.index, default=Equipment.Kind.NONE)

    @property
    def needs_label(self) -> str:
        return Equipment.Kind(self.needs).label

    @property
    def dose(self) -> Dose:
        """The library's defaults, as a free pick of exercises logs them."""
        return Dose.planned(
            hold_seconds=self.hold_seconds, reps=self.reps, sets=self.sets, per_side=self.per_side
        )

    @property
    def dose_ceiling(self) -> DoseCeiling:
        """The most of each part of the dose to build up to (the library's `progression`)."""
        start = {"hold_seconds": self.hold_seconds, "reps": self.reps, "sets": self.sets}
        return DoseCeiling(**{name: max(start[name], self.progression.get(name, 0)) for name in start})

    def clean(self) -> None:
        super().clean()
        start = {"hold_seconds": self.hold_seconds, "reps": self.reps, "sets": self.sets}
        problems = progression_problems(self.progression, start=start)
        if problems:
            raise ValidationError({"progression": problems})

    @property
    def common_mistake_list(self) -> list[str]:
        return [line.strip() for line in self.common_mistakes.splitlines() if line.strip()]

    @property
    def safety_note_list(self) -> list[str]:
        return [line.strip() for line in self.safety_notes.splitlines() if line.strip()]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def verdicts(self) -> list[Verdict]:
        """Every condition this exercise changes for, unsuitable ones first."""
        return verdicts_from(self.suitability)

    def verdict_for(self, conditions: set[str]) -> list[Verdict]:
        """The verdicts for a person with these conditions (accounts.models.conditions_for)."""
        return verdicts_from(self.suitability, conditions)

    def unsuitable_for(self, conditions: set[str]) -> Verdict | None:
        """The first condition that makes this exercise unsuitable, or None."""
        return next((verdict for verdict in self.verdict_for(conditions) if verdict.is_avoid), None)


class ExerciseStep(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        # The column, not the relation: naming the relation would join its table to sort by its own ordering.
        ordering = ["exercise_id", "order"]
        constraints = [
            # One step per position; also the index that serves "steps of this exercise, in order".
            models.UniqueConstraint(fields=["exercise", "order"], name="exercise_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"


# --- Routines ------------------------------------------------------------------------------------

# How the player paces a routine; the duration estimate follows the same timeline.
REST_SECONDS = 5  # between sets and sides, and between reps of a long hold
LONG_HOLD_SECONDS = 15  # reps of shorter holds (movements) flow on without a rest
CHANGEOVER_SECONDS = 15  # between one exercise and the next
MAX_ROUTINE_ITEMS = 40
# Volume limits: what a person can store (routines.services refuses more, saying so).
MAX_ROUTINES_PER_PERSON = 100  # their own, copies of starters and trainers' assigned copies alike
ROUTINE_DESCRIPTION_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Phase:
    """One step of the player's countdown: a hold (or one slow rep) or a rest."""

    kind: str  # "hold" or "rest"
    seconds: int
    label: str


class RoutineQuerySet(models.QuerySet):
    def starters(self) -> "RoutineQuerySet":
        return self.filter(visibility=Routine.Visibility.STARTER)

    def owned_by(self, user) -> "RoutineQuerySet":
        return self.filter(owner=user)

    def with_items(self) -> "RoutineQuerySet":
        """Items with their exercise and its equipment, in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch(
                "items",
                queryset=RoutineItem.objects.select_related("exercise", "swapped_from").prefetch_related(
                    "exercise__equipment"
                ),
            )
        )


class Routine(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        CLIENTS = "clients", "Shared with my clients"
        STARTER = "starter", "Starter routine (shipped with the library)"

    # Starter routines have no owner; everyone else's routines always do (see the constraint).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="routines"
    )
    slug = models.SlugField(
        max_length=80, null=True, blank=True, unique=True, help_text="Starter routines only."
    )
    title = OneLineCharField(max_length=120)
    description = models.TextField(blank=True, max_length=ROUTINE_DESCRIPTION_MAX_LENGTH)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    library_hash = models.CharField(max_length=64, blank=True, editable=False)  # starters: see library_load
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        indexes = [
            # "Your routines": a person's own routines, newest first.
            models.Index(fields=["owner", "-updated_at"], name="routine_owner_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility="starter", owner__isnull=True)
                | (~models.Q(visibility="starter") & models.Q(owner__isnull=False)),
                name="routine_starter_has_no_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("routines:routine_detail", kwargs={"pk": self.pk})

    @property
    def is_starter(self) -> bool:
        return self.visibility == self.Visibility.STARTER

    # The properties below read self.items.all(): use Routine.objects.with_items() when listing.
    @property
    def estimated_seconds(self) -> int:
        items = list(self.items.all())
        if not items:
            return 0
        return sum(item.estimated_seconds for item in items) + CHANGEOVER_SECONDS * (len(items) - 1)

    @property
    def needs_partner(self) -> bool:
        return any(item.exercise.is_partner for item in self.items.all())

    @property
    def equipment_names(self) -> list[str]:
        names = {equipment.name for item in self.items.all() for equipment in item.exercise.equipment.all()}
        return sorted(names)

    @property
    def swapped_count(self) -> int:
        """How many exercises were swapped for safer ones for the owner ("2 exercises adapted for you")."""
        return sum(1 for item in self.items.all() if item.is_swapped)


class RoutineItem(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    hold_seconds = models.PositiveSmallIntegerField(validators=[MinValueValidator(5), MaxValueValidator(120)])
    reps = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(30)])
    sets = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(30)])
    per_side = models.BooleanField(default=False)
    note = OneLineCharField(max_length=200, blank=True)
    # Adapted for the owner (routines/swaps.py): the exercise this item replaced because it did
    # not suit them, and the condition that made it unsuitable. PROTECT, as for `exercise`: an
    # exercise a routine names is retired, never deleted.
    swapped_from = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A Condition value. Not `choices`: the vocabulary is accounts', and a new condition there
    # should not need a migration here (Exercise.suitability names them the same way).
    swap_reason = models.CharField(max_length=40, blank=True)
    # The person read why and kept the original: `exercise` is the original again, its warning
    # still shows, and adapting leaves it alone while `swap_reason` is the only reason against it.
    kept_original_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The column, not the relation: naming the relation would join its table to sort by its own ordering.
        ordering = ["routine_id", "order", "pk"]
        indexes = [
            # The builder and the player read a routine's items in order. Not unique: moving an
            # item swaps two orders, which a non-deferrable unique constraint would refuse midway.
            models.Index(fields=["routine", "order"], name="routine_item_in_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hold_seconds__gte=5, hold_seconds__lte=120),
                name="routine_item_hold_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(reps__gte=1, reps__lte=30), name="routine_item_reps_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(sets__gte=1, sets__lte=30), name="routine_item_sets_in_range"
            ),
            # An item is as chosen, swapped (what it replaced and why), or kept (the original,
            # after reading why): a reason goes with a swap or a kept original, and never both.
            models.CheckConstraint(
                condition=models.Q(swapped_from__isnull=True, kept_original_at__isnull=True, swap_reason="")
                | (
                    models.Q(swapped_from__isnull=False, kept_original_at__isnull=True)
                    & ~models.Q(swap_reason="")
                )
                | (
                    models.Q(swapped_from__isnull=True, kept_original_at__isnull=False)
                    & ~models.Q(swap_reason="")
                ),
                name="routine_item_swap_or_kept_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.exercise}"

    @property
    def dose(self) -> Dose:
        return Dose.planned(
            hold_seconds=self.hold_seconds, reps=self.reps, sets=self.sets, per_side=self.per_side
        )

    @property
    def is_swapped(self) -> bool:
        return self.swapped_from_id is not None

    @property
    def is_kept_original(self) -> bool:
        return self.kept_original_at is not None

    @property
    def can_keep_original(self) -> bool:
        """A swapped item whose original is still offered: a retired or unpublished exercise never
        comes back into a routine, whatever the person chose before."""
        original = self.swapped_from
        return original is not None and original.is_published and not original.is_retired

    @property
    def swap_because(self) -> str:
        """The reason of a swap, or of a kept original, as the person reads it ("because of low
        bone density"); "" for an item as chosen."""
        return CONDITION_BECAUSE.get(self.swap_reason, "")

    @property
    def swap_reason_label(self) -> str:
        """The condition behind a swap or a kept original, as a trainer reads it ("Low bone
        density or osteoporosis"; "Neck: sore now or recent surgery")."""
        if not self.swap_reason:
            return ""
        label = Condition(self.swap_reason).label
        return f"{label}: sore now or recent surgery" if self.swap_reason.startswith(AREA_PREFIX) else label

    @property
    def swap_verdict(self) -> Verdict | None:
        """Why the original does not suit the person, as the library says it now: the verdict of
        `swap_reason` on the original (the exercise it replaced, or the one kept)."""
        if not self.swap_reason:
            return None
        original = self.swapped_from if self.is_swapped else self.exercise
        return next(iter(original.verdict_for({self.swap_reason})), None)

    def timeline(self) -> list[Phase]:
        """The holds and rests the player counts down, in order."""
        side_names = ["Left side", "Right side"] if self.per_side else [""]
        rest_between_reps = self.hold_seconds >= LONG_HOLD_SECONDS
        phases: list[Phase] = []
        for set_number in range(1, self.sets + 1):
            for side in side_names:
                for rep in range(1, self.reps + 1):
                    parts = [side] if side else []
                    if self.sets > 1:
                        parts.append(f"Set {set_number} of {self.sets}")
                    if self.reps > 1:
                        parts.append(f"Rep {rep} of {self.reps}")
                    phases.append(Phase("hold", self.hold_seconds, " · ".join(parts) or "Hold"))
                    if rep < self.reps and rest_between_reps:
                        phases.append(Phase("rest", REST_SECONDS, "Rest"))
                phases.append(
                    Phase("rest", REST_SECONDS, "Rest, then switch sides" if side == "Left side" else "Rest")
                )
        phases.pop()  # no rest after the last hold
        return phases

    @property
    def estimated_seconds(self) -> int:
        """The planned holds and the rests between them, as the player counts them down (the
        timeline's holds add up to the dose)."""
        rests = sum(phase.seconds for phase in self.timeline() if phase.kind == "rest")
        return self.dose.seconds + rests
