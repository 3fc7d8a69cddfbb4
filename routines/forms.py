from django import forms

from routines.models import Equipment, Exercise, Muscle, Routine, RoutineItem


class RoutineSearchForm(forms.Form):
    """ "Find a routine" on the list of one's routines: every word must be in the title or the
    description. Too long a search is a field error, shown beside it, not a 500."""

    q = forms.CharField(
        label="Find a routine",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. desk, evening"}),
    )


class ExerciseFilterForm(forms.Form):
    """The library's filters. Every field is optional; an unknown value is a field error, not a 500."""

    WHO_CHOICES = [
        ("", "Solo or partner"),
        ("solo", "On my own"),
        ("partner", "With a partner"),
    ]

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. doorway, shoulder blades"}),
    )
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *Exercise.Kind.choices])
    muscle = forms.ModelChoiceField(
        label="Target",
        required=False,
        queryset=Muscle.objects.all(),
        to_field_name="slug",
        empty_label="Any target",
    )
    equipment = forms.ModelChoiceField(
        label="Equipment",
        required=False,
        queryset=Equipment.objects.all(),
        to_field_name="slug",
        empty_label="Any equipment",
    )
    needs = forms.ChoiceField(
        label="What you need",
        required=False,
        choices=[("", "Anything"), *Equipment.Kind.choices],
    )
    who = forms.ChoiceField(label="Who", required=False, choices=WHO_CHOICES)


def _count_field(label: str, low: int, high: int, unit: str = "") -> forms.IntegerField:
    message = f"{label} must be from {low} to {high}{unit}."
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={"min_value": message, "max_value": message, "invalid": message, "required": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class RoutineForm(forms.ModelForm):
    class Meta:
        model = Routine
        fields = ["title", "description"]
        error_messages = {"title": {"required": "Give your routine a title, e.g. “Lunch break stretch”."}}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give your routine a title, e.g. “Lunch break stretch”.")
        return title


class RoutineItemForm(forms.ModelForm):
    hold_seconds = _count_field("Hold", 5, 120, " seconds")
    reps = _count_field("Reps", 1, 30)
    sets = _count_field("Sets", 1, 30)

    class Meta:
        model = RoutineItem
        fields = ["hold_seconds", "reps", "sets", "per_side", "note"]
        labels = {"per_side": "Each side", "note": "Note"}


class AddExerciseForm(forms.Form):
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.published(),
        error_messages={
            "required": "Choose an exercise to add.",
            "invalid_choice": "That exercise is not in the library. Search again and pick one from the list.",
        },
    )


class MoveItemForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class StepItemForm(forms.Form):
    """Step an item to the easier or harder variant of its exercise (routines/families.py)."""

    STEPS = {"easier": -1, "harder": +1}

    direction = forms.ChoiceField(choices=[("easier", "Easier"), ("harder", "Harder")])

    @property
    def step(self) -> int:
        return self.STEPS[self.cleaned_data["direction"]]


class BuilderSearchForm(forms.Form):
    q = forms.CharField(label="Find an exercise to add", required=False, max_length=100)
