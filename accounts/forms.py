import copy

from allauth.account.adapter import get_adapter
from django import forms

from accounts.models import Contraindication, Goal, User, validate_display_name


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up form (allauth adds email and password)."""

    display_name = forms.CharField(
        max_length=80,
        required=False,
        validators=[validate_display_name],
        label="Your name (optional)",
        help_text="How we greet you. You can change it later.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    """The onboarding questions and the settings page: name, time zone, goals, safety screening.

    The screening counts as answered when at least one condition or "None of these" is ticked;
    leaving the whole group blank is allowed (the person skipped it, and is asked again later).
    The time zone is checked by the model's validator, so its message appears next to the field.
    Saving is the service's job: pass `profile_values()` to accounts.services.user_profile_update.
    """

    goals = forms.MultipleChoiceField(
        choices=Goal.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What would you like from Unknot?",
        help_text="Pick any that fit. They help us suggest routines.",
    )
    screening_flags = forms.MultipleChoiceField(
        choices=Contraindication.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Do any of these apply to you now?",
    )
    no_conditions = forms.BooleanField(required=False, label="None of these apply to me")

    class Meta:
        model = User
        fields = User.PROFILE_FIELDS
        labels = {
            "display_name": "Your name (optional)",
            "time_zone": "Your time zone",
            "weekly_goal_sessions": "Sessions a week",
            "weekly_goal_minutes": "Minutes a week",
        }
        help_texts = {
            "display_name": "How we greet you.",
            "time_zone": "Reminders and “today” follow it. Start typing a city, such as Europe/London.",
        }
        error_messages = {"time_zone": {"required": "Enter your time zone, such as Europe/London."}}
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            # A <datalist> (rendered once in the template) makes the box searchable in browsers;
            # without it, it is still a plain text box that the model validator checks.
            "time_zone": forms.TextInput(
                attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
            ),
        }

    def __init__(
        self, *args, instance: User, suggest_time_zone: bool = False, coaching: bool = True, **kwargs
    ) -> None:
        # Validation writes the typed values onto the instance (ModelForm._post_clean). Work on a
        # copy, so the person's User changes only when accounts.services.user_profile_update saves
        # it, and a page re-rendered with errors still shows what is really stored.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        for name in ("weekly_goal_sessions", "weekly_goal_minutes"):
            self.fields[name].required = False  # left empty: keep the current goal
        if not coaching:  # the welcome page does not ask; an absent checkbox must not turn it off
            del self.fields["is_trainer"]
        if suggest_time_zone:
            # static/js/timezone.js fills in the browser's zone where this attribute is set.
            self.fields["time_zone"].widget.attrs["data-detect"] = ""
        user = self.instance
        # "None of these" is an answer too: show it ticked when that is what they said last time.
        if user.pk and user.screened_at is not None and not user.screening_flags:
            self.initial.setdefault("no_conditions", True)

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if cleaned_data.get("no_conditions") and cleaned_data.get("screening_flags"):
            self.add_error(
                "no_conditions",
                "You ticked “None of these apply to me” and a condition as well. "
                "Untick one of them so we know which is right.",
            )
        return cleaned_data

    @property
    def screening_answered(self) -> bool:
        return bool(self.cleaned_data["screening_flags"] or self.cleaned_data["no_conditions"])

    def profile_values(self) -> dict:
        """The keyword arguments of accounts.services.user_profile_update."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "time_zone": data["time_zone"],
            "goals": data["goals"],
            "weekly_goal_sessions": data["weekly_goal_sessions"],
            "weekly_goal_minutes": data["weekly_goal_minutes"],
            "screening_flags": data["screening_flags"],
            "screening_answered": self.screening_answered,
            "is_trainer": data.get("is_trainer"),
        }


class AccountDeleteForm(forms.Form):
    """The password again and an explicit "I understand" before an account is deleted."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Tick this box to confirm."},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # allauth's check counts a wrong password as a failed login, so this form is under the
        # same rate limit as the login page and cannot be used to guess passwords.
        if not get_adapter().reauthenticate(self.user, password):
            raise forms.ValidationError("That password is not right.", code="wrong_password")
        return password
