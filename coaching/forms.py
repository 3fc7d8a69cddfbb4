from django import forms
from django.http import QueryDict
from django.utils import timezone

from accounts.models import Weekday
from coaching.models import ProgrammeCopy, TrainerClient
from coaching.roster import ROSTER_FLAGS, ROSTER_SORTS
from progress.models import PAIN_ALERT_LEVEL, Track
from routines.models import Routine


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Client’s email address",
        max_length=254,  # as TrainerClient.email stores
        error_messages={
            "required": "Enter the email address to send the invitation to.",
            "invalid": "Enter a whole email address, such as sam@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    message = forms.CharField(
        label="A note in the email (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SharingForm(forms.ModelForm):
    """What a client shares with their trainer: on the acceptance page and in settings later."""

    class Meta:
        model = TrainerClient
        fields = ["share_ratings", "share_red_flags", "share_notes", "share_screening"]
        labels = {
            "share_ratings": "My tightness and pain ratings",
            "share_red_flags": (
                f"Safety alerts: red-flag symptoms and pain of {PAIN_ALERT_LEVEL} or more, "
                "emailed to my trainer at once"
            ),
            "share_notes": "The notes I write on those sessions",
            "share_screening": (
                "My safety answers that change which exercises suit me: conditions, pregnancy, "
                "recent surgery and pain now"
            ),
        }


class AssignmentScheduleForm(forms.Form):
    """When and how an assigned routine is to be done: the part of assigning that is the same
    from a routine's page (AssignForm: which clients) and from a client's page (ClientAssignForm:
    which routine)."""

    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="On these days",
        error_messages={"required": "Pick at least one day of the week."},
    )
    starts_on = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="Until (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave empty to keep it going until you change it.",
    )
    instructions = forms.CharField(
        label="Instructions (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What to focus on, what to skip if it hurts.",
    )

    def __init__(self, *args, trainer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate(timezone.now(), trainer.zone)
        self.initial.setdefault("starts_on", self.today)

    def clean(self) -> dict:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and starts_on < self.today:
            # Days before the assignment existed would count against the client's adherence.
            self.add_error("starts_on", "Start today or later.")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "“Until” must be on or after “From”.")
        return data


class AssignForm(AssignmentScheduleForm):
    """From a routine's page: to which of the trainer's clients."""

    field_order = ["clients"]

    clients = forms.ModelMultipleChoiceField(
        queryset=TrainerClient.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Clients",
        error_messages={"required": "Pick at least one client."},
    )

    def __init__(self, *args, trainer, **kwargs) -> None:
        super().__init__(*args, trainer=trainer, **kwargs)
        self.fields["clients"].queryset = (
            TrainerClient.objects.active().filter(trainer=trainer).select_related("client").order_by("email")
        )
        self.fields["clients"].label_from_instance = lambda link: f"{link.client_name} ({link.client.email})"


class ClientAssignForm(AssignmentScheduleForm):
    """From a client's page: which of the trainer's own routines (those with exercises; not the
    copies other trainers assigned to them). A programme, once there are programmes, is another
    choice of what to assign, beside `routine`."""

    field_order = ["routine"]

    routine = forms.ModelChoiceField(
        queryset=Routine.objects.none(),
        label="Routine",
        empty_label="Choose a routine",
        error_messages={
            "required": "Choose a routine to assign.",
            "invalid_choice": "Choose one of your routines.",
        },
    )

    def __init__(self, *args, trainer, **kwargs) -> None:
        super().__init__(*args, trainer=trainer, **kwargs)
        self.fields["routine"].queryset = (
            Routine.objects.owned_by(trainer)
            .filter(items__isnull=False, assignment__isnull=True)
            .distinct()
            .order_by("title")
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something before sending."},
    )


def roster_filter_values(query: QueryDict) -> tuple[str, str]:
    """(flag, sort) from the roster's query string, as its filter form sends them: an unknown
    value falls back to everyone, or to most flags first, on its own, so a bad sort keeps the
    chosen flag and the other way round. (The form is written out in coaching/roster.html and
    cached with the table: no Django form to build on every view of the page.)"""
    flag, sort = query.get("flag", ""), query.get("sort", "")
    return (flag if flag in ROSTER_FLAGS else "", sort if sort in ROSTER_SORTS else "flags")


class ProgrammeAssignForm(forms.Form):
    """Assign "Upper-back reset, 6 weeks": the standard programme on a track, or one of the
    trainer's own versions (`version`: "track:<track>" or "copy:<pk>")."""

    clients = forms.ModelMultipleChoiceField(
        queryset=TrainerClient.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Clients",
        error_messages={"required": "Pick at least one client."},
    )
    version = forms.ChoiceField(
        label="Which programme",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a track, or one of your versions.",
            "invalid_choice": "Choose a track, or one of your versions.",
        },
    )
    instructions = forms.CharField(
        label="Instructions (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What to focus on, what to skip if it hurts.",
    )

    def __init__(self, *args, trainer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = (
            TrainerClient.objects.active().filter(trainer=trainer).select_related("client").order_by("email")
        )
        self.fields["clients"].label_from_instance = lambda link: f"{link.client_name} ({link.client.email})"
        self.copies = {copy.pk: copy for copy in ProgrammeCopy.objects.filter(trainer=trainer)}
        self.fields["version"].choices = [
            (f"track:{value}", f"Standard: {label.lower()}") for value, label in Track.choices
        ] + [(f"copy:{pk}", copy.label) for pk, copy in self.copies.items()]

    def chosen(self) -> tuple[str, ProgrammeCopy | None]:
        """(track, the trainer's version or None), from a valid form."""
        kind, _, value = self.cleaned_data["version"].partition(":")
        if kind == "copy":
            copy = self.copies[int(value)]
            return copy.track, copy
        return value, None


class ProgrammeCopyForm(forms.Form):
    track = forms.ChoiceField(
        label="Track",
        choices=Track.choices,
        error_messages={"invalid_choice": "Choose one of the three tracks."},
    )


class ProgrammeHoldForm(forms.Form):
    """Hold a client at their programme level ("1") or let it move on again ("0")."""

    hold = forms.TypedChoiceField(
        choices=[("1", "Hold at this level"), ("0", "Let it move on again")],
        coerce=lambda value: value == "1",
        error_messages={
            "required": "Choose whether to hold the programme or let it move on.",
            "invalid_choice": "Choose whether to hold the programme or let it move on.",
        },
    )
