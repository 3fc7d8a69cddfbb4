"""Forms of the email settings pages: one reminder, and which emails a person gets and when.

They only validate; saving is notifications.services' job (`reminder_schedule_save`,
`email_settings_update`), called by notifications/views/settings.py with `cleaned_data`.
"""

from django import forms

from accounts.models import Weekday
from notifications.models import ReminderSchedule
from progress.models import PAIN_ALERT_LEVEL
from routines.models import Routine

GENERAL_REMINDER_LABEL = "General: the routine I played last"


def _local_time_field(required_message: str) -> forms.TimeField:
    """A time of day in the person's zone, as the browser's time picker sends it (HH:MM)."""
    return forms.TimeField(
        label="At",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": required_message, "invalid": "Enter a time such as 08:00 or 18:30."},
    )


class ReminderForm(forms.Form):
    """A new reminder, or a change to one. A reminder made for an assignment keeps its routine,
    so the routine choice is left out of the form for it."""

    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="On these days",
        error_messages={
            "required": "Pick at least one day of the week.",
            "invalid_choice": "Pick days from the list.",
        },
    )
    local_time = _local_time_field("Enter the time for the reminder, such as 08:00.")
    routine = forms.ModelChoiceField(
        queryset=Routine.objects.none(),
        required=False,
        label="Routine",
        empty_label=GENERAL_REMINDER_LABEL,
        help_text="A general reminder suggests the routine you played last.",
        error_messages={"invalid_choice": "Pick one of your own routines, or the general reminder."},
    )
    enabled = forms.BooleanField(label="Send this reminder", required=False, initial=True)

    def __init__(self, *args, user, schedule: ReminderSchedule | None = None, **kwargs) -> None:
        if schedule is not None:
            kwargs.setdefault(
                "initial",
                {
                    "weekdays": schedule.weekdays,
                    "local_time": schedule.local_time,
                    "routine": schedule.routine_id,
                    "enabled": schedule.enabled,
                },
            )
        super().__init__(*args, **kwargs)
        if schedule is not None and schedule.assignment_id:
            del self.fields["routine"]  # it stays the assigned routine (reminder_schedule_save)
        else:
            # Only the person's own routines: another person's id is "not a valid choice".
            self.fields["routine"].queryset = Routine.objects.owned_by(user).order_by("title")

    def reminder_values(self) -> dict:
        """Keyword arguments for notifications.services.reminder_schedule_save."""
        return {
            "weekdays": self.cleaned_data["weekdays"],
            "local_time": self.cleaned_data["local_time"],
            "routine": self.cleaned_data.get("routine"),
            "enabled": self.cleaned_data["enabled"],
        }


class EmailPreferencesForm(forms.Form):
    """Which kinds of email a person gets, and when the weekly ones arrive. The two trainer kinds
    are only offered to trainers (`User.is_trainer`), and only saved for them."""

    reminder_emails = forms.BooleanField(label="Reminders on the days I pick", required=False)
    weekly_summary_emails = forms.BooleanField(label="A weekly summary of my progress", required=False)
    trainer_digest_emails = forms.BooleanField(label="A weekly digest of my clients", required=False)
    alert_emails = forms.BooleanField(
        label=f"Safety alerts when a client reports a red flag or pain of {PAIN_ALERT_LEVEL} or more",
        required=False,
    )
    weekly_email_weekday = forms.TypedChoiceField(
        choices=Weekday.choices,
        coerce=int,
        label="Weekly emails on",
        error_messages={"invalid_choice": "Pick a day of the week."},
    )
    weekly_email_time = _local_time_field("Enter the time for the weekly emails, such as 08:00.")

    KIND_FIELDS = ("reminder_emails", "weekly_summary_emails", "trainer_digest_emails", "alert_emails")
    TRAINER_FIELDS = ("trainer_digest_emails", "alert_emails")

    def __init__(self, *args, user, **kwargs) -> None:
        # A plain form rather than a ModelForm: validating a ModelForm writes the values onto the
        # user, and email_settings_update needs the old weekly day and time to see that they moved.
        kwargs.setdefault("initial", {name: getattr(user, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        if not user.is_trainer:
            for name in self.TRAINER_FIELDS:
                del self.fields[name]

    @property
    def kind_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.KIND_FIELDS if name in self.fields]

    def settings_values(self) -> dict:
        """Keyword arguments for notifications.services.email_settings_update."""
        return {name: self.cleaned_data[name] for name in self.fields}
