from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse


class Muscle(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "equipment"

    def __str__(self) -> str:
        return self.name


class Contraindication(models.TextChoices):
    """Conditions from the safety screening; an exercise tagged with one warns people who have it."""

    RECENT_INJURY = "recent_injury", "Recent injury or surgery"
    OSTEOPOROSIS = "osteoporosis", "Osteoporosis or low bone density"
    SPINAL_CONDITION = "spinal_condition", "Spinal fusion or disc problems"
    ACUTE_PAIN = "acute_pain", "Acute or worsening pain"
    NERVE_SYMPTOMS = "nerve_symptoms", "Numbness, tingling or weakness"


class ExerciseQuerySet(models.QuerySet):
    def published(self) -> "ExerciseQuerySet":
        return self.filter(is_published=True)

    def with_lookups(self) -> "ExerciseQuerySet":
        """Everything a list of exercises shows, in a fixed number of queries."""
        return self.prefetch_related("targets", "equipment")


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
    breathing_cue = models.CharField(max_length=300)
    partner_role = models.TextField(blank=True, help_text="Partner stretches only: what the helper does.")
    stretchee_position = models.TextField(
        blank=True,
        help_text="Partner stretches only: what the person being stretched does.",
    )
    common_mistakes = models.TextField(help_text="One mistake per line.")
    safety_notes = models.TextField(help_text="One note per line.")
    contraindications = models.JSONField(default=list, blank=True)
    is_published = models.BooleanField(default=True)
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
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("routines:exercise_detail", kwargs={"slug": self.slug})

    @property
    def is_partner(self) -> bool:
        return self.kind == self.Kind.PARTNER

    @property
    def common_mistake_list(self) -> list[str]:
        return [line.strip() for line in self.common_mistakes.splitlines() if line.strip()]

    @property
    def safety_note_list(self) -> list[str]:
        return [line.strip() for line in self.safety_notes.splitlines() if line.strip()]

    @property
    def contraindication_labels(self) -> list[str]:
        return [
            Contraindication(tag).label for tag in self.contraindications if tag in Contraindication.values
        ]


class ExerciseStep(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["exercise", "order"]
        constraints = [
            # One step per position; also the index that serves "steps of this exercise, in order".
            models.UniqueConstraint(fields=["exercise", "order"], name="exercise_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"
