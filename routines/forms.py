from django import forms

from routines.models import Equipment, Exercise, Muscle


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
    who = forms.ChoiceField(label="Who", required=False, choices=WHO_CHOICES)
