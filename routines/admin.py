from django import forms
from django.contrib import admin, messages

from routines.library_file import LibraryFileError
from routines.library_load import exercises_reset_to_library, library_load
from routines.models import Equipment, Exercise, ExerciseStep, Muscle
from routines.suitability import alternative_problems, notes_disagreements, suitability_normalised


@admin.register(Muscle)
class LookupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Equipment)
class EquipmentAdmin(LookupAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]


class ExerciseStepInline(admin.TabularInline):
    model = ExerciseStep
    extra = 1
    ordering = ["order"]
    fields = ["order", "text"]


class ExerciseAdminForm(forms.ModelForm):
    """The same rules as the library file: verdicts well formed (the model field's validator),
    alternatives that are offered and suit the condition, and notes that agree with the verdicts."""

    class Meta:
        model = Exercise
        # The admin adds the other fields from ExerciseAdmin.fieldsets.
        fields = ["suitability", "common_mistakes", "safety_notes", "progression"]
        widgets = {
            "common_mistakes": forms.Textarea(attrs={"rows": 4}),
            "safety_notes": forms.Textarea(attrs={"rows": 4}),
            "progression": forms.Textarea(attrs={"rows": 2, "cols": 60}),
            "suitability": forms.Textarea(attrs={"rows": 8, "cols": 80}),
        }
        help_texts = {
            "suitability": (
                "JSON, one entry per condition that changes this exercise; any other condition is fine. "
                '{"osteoporosis": {"verdict": "avoid", "why": "…", "instead": ["prone-on-elbows"]}, '
                '"area_wrist_hand": {"verdict": "modify", "how": "…"}}. Each one must be mentioned in a '
                "safety note."
            )
        }

    def clean_progression(self) -> dict:
        # Left empty, an exercise does not progress by dose: the model's default, not null.
        return self.cleaned_data.get("progression") or {}

    def clean(self) -> dict:
        cleaned_data = super().clean()
        suitability = cleaned_data.get("suitability")
        if "suitability" in self.errors or not isinstance(suitability, dict):
            return cleaned_data
        suitability = suitability_normalised(suitability)
        cleaned_data["suitability"] = suitability
        offered = dict(
            Exercise.objects.published().exclude(pk=self.instance.pk).values_list("slug", "suitability")
        )
        problems = alternative_problems(
            slug=cleaned_data.get("slug") or self.instance.slug, suitability=suitability, offered=offered
        )
        notes = [
            line.strip() for line in (cleaned_data.get("safety_notes") or "").splitlines() if line.strip()
        ]
        problems += notes_disagreements(safety_notes=notes, suitability=suitability)
        for problem in problems:
            self.add_error("suitability", problem)
        return cleaned_data


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseAdminForm
    inlines = [ExerciseStepInline]
    list_display = [
        "name",
        "kind",
        "difficulty",
        "family",
        "level",
        "hold_seconds",
        "reps",
        "sets",
        "is_published",
        "retired_at",
        "is_customised",
    ]
    list_filter = [
        "is_published",
        ("retired_at", admin.EmptyFieldListFilter),
        "kind",
        "difficulty",
        "family",
        "is_customised",
        "targets",
        "equipment",
    ]
    list_editable = ["is_published"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["targets", "equipment"]
    actions = ["publish", "unpublish", "reset_to_library"]
    readonly_fields = ["is_customised", "retired_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "difficulty", "is_published"]}),
        (
            "Description",
            {"fields": ["summary", "purpose", "body_position", "targets", "equipment"]},
        ),
        (
            "Dose",
            {"fields": ["hold_seconds", "reps", "sets", "per_side", "breathing_cue"]},
        ),
        (
            "Easier and harder variants",
            {"fields": ["family", "level", "progression"]},
        ),
        (
            "Partner stretches",
            {"fields": ["partner_role", "stretchee_position"], "classes": ["collapse"]},
        ),
        (
            "Safety",
            {"fields": ["common_mistakes", "safety_notes", "suitability"]},
        ),
        (
            "For staff",
            {"fields": ["source_note", "retired_at", "retired_reason", "is_customised", "updated_at"]},
        ),
    ]

    def save_model(self, request, obj: Exercise, form, change: bool) -> None:
        # An edit by staff wins over the shipped file: load_library will not overwrite it.
        obj.is_customised = True
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected exercises")
    def publish(self, request, queryset) -> None:
        count = queryset.update(is_published=True)
        self.message_user(request, f"Published {count} exercise(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected exercises (hidden from the site)")
    def unpublish(self, request, queryset) -> None:
        count = queryset.update(is_published=False)
        self.message_user(request, f"Unpublished {count} exercise(s).", messages.SUCCESS)

    @admin.action(description="Reset to library version (drops staff edits)")
    def reset_to_library(self, request, queryset) -> None:
        exercises_reset_to_library(exercises=queryset)
        try:
            result = library_load()
        except LibraryFileError as exc:
            self.message_user(request, f"The library file could not be loaded: {exc}", messages.ERROR)
            return
        self.message_user(
            request,
            f"Reloaded {len(result.updated)} exercise(s) from the library file.",
        )
