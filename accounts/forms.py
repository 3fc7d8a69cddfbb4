import copy

from allauth.account.adapter import get_adapter
from django import forms

from accounts.models import Goal, User, validate_display_name, validate_time_zone
from accounts.one_line import OneLineFormField
from accounts.screening import (
    PREGNANCY_WEEKS,
    Area,
    Tier2,
    WarningSign,
    pregnancy_week_now,
    tier1_answered,
)


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up form (allauth adds email and password)."""

    display_name = OneLineFormField(
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


TIME_ZONE_LABEL = "Your time zone"
TIME_ZONE_HELP = "Reminders and “today” follow it. Start typing a city, such as Europe/London."
TIME_ZONE_ERRORS = {"required": "Enter your time zone, such as Europe/London."}


def time_zone_widget(*, suggest: bool = False) -> forms.TextInput:
    """A text box searchable through the page's <datalist> of zones (rendered once in the
    template); without it, still a plain text box that validate_time_zone checks. `suggest`
    lets static/js/timezone.js fill in the browser's zone."""
    attrs = {"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
    if suggest:
        attrs["data-detect"] = ""
    return forms.TextInput(attrs=attrs)


class ProfileForm(forms.ModelForm):
    """The settings page: name, time zone, goals, weekly goals, coaching. The safety screening has
    its own page and form (ScreeningForm).

    The time zone is checked by the model's validator, so its message appears next to the field.
    Saving is the service's job: pass `profile_values()` to accounts.services.user_profile_update.
    """

    goals = forms.MultipleChoiceField(
        choices=Goal.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What would you like from Unknot?",
        help_text="Pick any that fit.",
    )

    class Meta:
        model = User
        fields = User.PROFILE_FIELDS
        labels = {
            "display_name": "Your name (optional)",
            "time_zone": TIME_ZONE_LABEL,
            "weekly_goal_sessions": "Sessions a week",
            "weekly_goal_minutes": "Minutes a week",
        }
        help_texts = {"display_name": "How we greet you.", "time_zone": TIME_ZONE_HELP}
        error_messages = {"time_zone": TIME_ZONE_ERRORS}
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "time_zone": time_zone_widget(),
        }

    def __init__(self, *args, instance: User, **kwargs) -> None:
        # Validation writes the typed values onto the instance (ModelForm._post_clean). Work on a
        # copy, so the person's User changes only when accounts.services.user_profile_update saves
        # it, and a page re-rendered with errors still shows what is really stored.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        for name in ("weekly_goal_sessions", "weekly_goal_minutes"):
            self.fields[name].required = False  # left empty: keep the current goal

    def profile_values(self) -> dict:
        """The keyword arguments of accounts.services.user_profile_update."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "time_zone": data["time_zone"],
            "goals": data["goals"],
            "weekly_goal_sessions": data["weekly_goal_sessions"],
            "weekly_goal_minutes": data["weekly_goal_minutes"],
            "is_trainer": data.get("is_trainer"),
        }


class ScreeningForm(forms.Form):
    """Both tiers of the safety screening (accounts/screening.py).

    Each tier is answered explicitly: at least one tick, or its own "None of these" (not both).
    A pregnancy needs its week. `ask_time_zone` adds the time zone, on the first screening.
    Saving is the service's job: pass `answers()` to accounts.services.screening_save.
    """

    warning_signs = forms.MultipleChoiceField(
        choices=WarningSign.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Do any of these apply to you?",
    )
    no_warning_signs = forms.BooleanField(required=False, label="None of these signs apply to me")
    tier2_answers = forms.MultipleChoiceField(
        choices=Tier2.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Do any of these apply to you now?",
    )
    pregnancy_week = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=PREGNANCY_WEEKS,
        label="If you are pregnant: which week are you in?",
        help_text=f"A number from 1 to {PREGNANCY_WEEKS}. Your best guess is fine.",
        error_messages={
            "invalid": f"Enter the week as a number from 1 to {PREGNANCY_WEEKS}.",
            "min_value": f"Enter the week as a number from 1 to {PREGNANCY_WEEKS}.",
            "max_value": f"Enter the week as a number from 1 to {PREGNANCY_WEEKS}.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    surgery_areas = forms.MultipleChoiceField(
        choices=Area.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Surgery in the last 12 months: where?",
    )
    pain_areas = forms.MultipleChoiceField(
        choices=Area.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Pain you have now, more than stiffness: where?",
    )
    no_tier2 = forms.BooleanField(required=False, label="None of these apply to me")
    time_zone = forms.CharField(
        label=TIME_ZONE_LABEL,
        help_text=TIME_ZONE_HELP,
        max_length=64,
        validators=[validate_time_zone],
        error_messages=TIME_ZONE_ERRORS,
    )

    def __init__(self, *args, user: User, ask_time_zone: bool = False, **kwargs) -> None:
        kwargs.setdefault("initial", self.initial_for(user))
        super().__init__(*args, **kwargs)
        if ask_time_zone:
            # Only over the default zone: a zone the person chose is never replaced.
            self.fields["time_zone"].widget = time_zone_widget(suggest=user.time_zone == "UTC")
        else:
            del self.fields["time_zone"]

    @staticmethod
    def initial_for(user: User) -> dict:
        """The last answers, to start from; nothing ticked before the first screening, and no
        tier-1 answer where it was never asked (answers kept from the old screening)."""
        initial = {"time_zone": user.time_zone}
        if user.screened_at is None:
            return initial
        tier2_given = bool(user.tier2_answers or user.surgery_areas or user.pain_areas)
        initial |= {
            "tier2_answers": user.tier2_answers,
            "pregnancy_week": pregnancy_week_now(user),
            "surgery_areas": user.surgery_areas,
            "pain_areas": user.pain_areas,
            "no_tier2": not tier2_given,
        }
        if tier1_answered(user):
            initial |= {"warning_signs": user.warning_signs, "no_warning_signs": not user.warning_signs}
        return initial

    def clean(self) -> dict:
        data = super().clean()
        self._check_tier(
            data.get("warning_signs"),
            none="no_warning_signs",
            missing=(
                "warning_signs",
                "Tick each sign that applies to you, or “None of these signs apply to me”.",
            ),
            what="a sign",
        )
        tier2_given = data.get("tier2_answers") or data.get("surgery_areas") or data.get("pain_areas")
        self._check_tier(
            tier2_given,
            none="no_tier2",
            missing=("tier2_answers", "Tick each one that applies to you, or “None of these apply to me”."),
            what="an answer",
        )
        pregnant = Tier2.PREGNANCY in (data.get("tier2_answers") or [])
        if "pregnancy_week" not in self.errors:
            if pregnant and data.get("pregnancy_week") is None:
                self.add_error(
                    "pregnancy_week",
                    f"Enter which week of pregnancy you are in, from 1 to {PREGNANCY_WEEKS}.",
                )
            elif not pregnant and data.get("pregnancy_week") is not None:
                self.add_error(
                    "pregnancy_week", "You gave a week of pregnancy: tick “Pregnancy” too, or clear the week."
                )
        return data

    def _check_tier(self, given, *, none: str, missing: tuple[str, str], what: str) -> None:
        if given and self.cleaned_data.get(none):
            self.add_error(
                none,
                f"You ticked “{self.fields[none].label}” and {what} as well. "
                "Untick one of them so we know which is right.",
            )
        elif not given and not self.cleaned_data.get(none):
            self.add_error(*missing)

    def answers(self) -> dict:
        """The keyword arguments of accounts.services.screening_save."""
        data = self.cleaned_data
        answers = {
            "warning_signs": data["warning_signs"],
            "tier2_answers": data["tier2_answers"],
            "pregnancy_week": data["pregnancy_week"],
            "surgery_areas": data["surgery_areas"],
            "pain_areas": data["pain_areas"],
        }
        if "time_zone" in self.fields:
            answers["time_zone"] = data["time_zone"]
        return answers


class ClearanceForm(forms.Form):
    cleared = forms.BooleanField(
        label="A clinician has checked me and said I can exercise",
        error_messages={
            "required": "Tick this only once a clinician has checked you and said you can exercise."
        },
    )


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
