from django import forms
from django.contrib import admin, messages

from accounts.models import Contraindication
from routines.library_file import LibraryFileError
from routines.models import Equipment, Exercise, ExerciseStep, Muscle
from routines.services import exercises_reset_to_library, library_load


@admin.register(Muscle, Equipment)
class LookupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ExerciseStepInline(admin.TabularInline):
    model = ExerciseStep
    extra = 1
    ordering = ["order"]
    fields = ["order", "text"]


class ExerciseAdminForm(forms.ModelForm):
    contraindications = forms.MultipleChoiceField(
        choices=Contraindication.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="People whose safety screening matches see a warning on this exercise.",
    )

    class Meta:
        model = Exercise
        # The admin adds the other fields from ExerciseAdmin.fieldsets.
        fields = ["contraindications", "common_mistakes", "safety_notes"]
        widgets = {
            "common_mistakes": forms.Textarea(attrs={"rows": 4}),
            "safety_notes": forms.Textarea(attrs={"rows": 4}),
        }


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseAdminForm
    inlines = [ExerciseStepInline]
    list_display = [
        "name",
        "kind",
        "difficulty",
        "hold_seconds",
        "reps",
        "sets",
        "is_published",
        "is_customised",
    ]
    list_filter = [
        "is_published",
        "kind",
        "difficulty",
        "is_customised",
        "targets",
        "equipment",
    ]
    list_editable = ["is_published"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["targets", "equipment"]
    actions = ["publish", "unpublish", "reset_to_library"]
    readonly_fields = ["is_customised", "updated_at"]
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
            "Partner stretches",
            {"fields": ["partner_role", "stretchee_position"], "classes": ["collapse"]},
        ),
        (
            "Safety",
            {"fields": ["common_mistakes", "safety_notes", "contraindications"]},
        ),
        ("For staff", {"fields": ["source_note", "is_customised", "updated_at"]}),
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
