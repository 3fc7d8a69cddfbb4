from collections.abc import Iterable
from datetime import datetime, timedelta

from django import forms
from django.urls import reverse

from progress.models import RED_FLAGS, Feeling, SessionLog, Track
from routines.models import Exercise, Routine

RATING_CHOICES = [(n, str(n)) for n in range(11)]


def rating_field(label: str, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        required=required,
        empty_value=None,  # an optional rating left blank is stored as "not rated", not ""
        widget=forms.RadioSelect(attrs={"class": "rating"}),
        error_messages={
            "required": "Pick a number from 0 to 10.",
            "invalid_choice": "Pick a number from 0 to 10.",
        },
    )


class PlayerStartForm(forms.Form):
    tightness_before = rating_field(
        "How tight does your upper back feel right now? (0 = not at all, 10 = very)"
    )


class PlayerStepForm(forms.Form):
    action = forms.ChoiceField(choices=[("done", "Done"), ("skip", "Skip"), ("back", "Back")])
    # Seconds actually held, filled in by the timer (static/js/player.js).
    seconds = forms.IntegerField(min_value=0, max_value=24 * 60 * 60, required=False)
    # Without JavaScript there is no timer, so Done asks: held the full time, or not timed?
    held = forms.ChoiceField(
        choices=[("full", "Held the full time"), ("untimed", "Not timed")], required=False
    )


# One checkbox per red-flag symptom, in RED_FLAGS' order and words. Built from the mapping (hence
# type()); the forms that ask about red flags inherit them, and place them with `field_order`.
_RedFlagFields = type(
    "_RedFlagFields",
    (forms.Form,),
    {field: forms.BooleanField(label=label, required=False) for field, label in RED_FLAGS.items()},
)


class RedFlagQuestions(_RedFlagFields):
    """The red-flag questions, asked the same way after the player and in the log form."""

    def red_flag_questions(self) -> list[forms.BoundField]:
        return [self[field] for field in RED_FLAGS]


FEELING_PREFIX = "feeling_"


class FeelingQuestions(forms.Form):
    """ "How did that feel?" for each exercise done: an optional group of three radio buttons each
    (too easy, just right, too hard), named feeling_<item id>, so that arrow keys move within an
    exercise and Tab goes to the next one."""

    def feelings_add(self, exercises: Iterable[tuple[int, str]]) -> None:
        """`exercises`: (routine item id, exercise name), in the order they were done."""
        for key, name in exercises:
            self.fields[f"{FEELING_PREFIX}{key}"] = forms.ChoiceField(
                label=name,
                choices=Feeling.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Pick too easy, just right or too hard, or leave it."},
            )

    def feeling_questions(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(FEELING_PREFIX)]

    def feelings(self) -> dict[int, str]:
        """The answers given, by routine item id."""
        return {
            int(name.removeprefix(FEELING_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(FEELING_PREFIX) and value
        }

    def values_without_feelings(self, *leave_out: str) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith(FEELING_PREFIX) and name not in leave_out
        }


class PlayerFinishForm(RedFlagQuestions, FeelingQuestions):
    field_order = ["token", "tightness_after", "pain", *RED_FLAGS, "notes"]

    token = forms.UUIDField(widget=forms.HiddenInput)
    tightness_after = rating_field("How tight does your upper back feel now?")
    pain = rating_field("Any pain? (0 = none, 10 = the worst you can imagine)")
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, exercises: Iterable[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.feelings_add(exercises)

    def run_values(self) -> dict:
        """How the session felt, as progress.services.player_run_save takes it."""
        return self.values_without_feelings("token") | {"feelings": self.feelings()}


class PlayerStopForm(forms.Form):
    """The "Stop: something feels wrong" button, from any page of a run: the step it was pressed on
    (none on the start and finish pages) and, with JavaScript, the seconds the timer had counted."""

    number = forms.IntegerField(min_value=1, required=False)
    seconds = forms.IntegerField(min_value=0, max_value=24 * 60 * 60, required=False)


class PlayerStopQuestionsForm(RedFlagQuestions):
    """After stopping: what the person noticed, then the stopped run is saved. Nothing is
    required: someone who feels unwell should be able to save in one press."""

    field_order = ["token", *RED_FLAGS, "pain", "stop_reason"]

    token = forms.UUIDField(widget=forms.HiddenInput)
    pain = rating_field("Any pain right now? (0 = none, 10 = the worst you can imagine)", required=False)
    stop_reason = forms.CharField(
        label="Anything else about what happened? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def run_values(self) -> dict:
        """What the person answered, as progress.services.player_run_save takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "token"} | {
            "tightness_after": None
        }


class HistoryFilterForm(forms.Form):
    routine = forms.ModelChoiceField(
        queryset=Routine.objects.none(), required=False, empty_label="Any routine"
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["routine"].queryset = Routine.objects.owned_by(user).order_by("title")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "“To” must be on or after “From”.")
        return data


class SessionLogForm(RedFlagQuestions, FeelingQuestions):
    """A session logged by hand. Times are local to the person; checks name the field at fault."""

    field_order = [
        "date",
        "start_time",
        "end_time",
        "routine",
        "exercises",
        *SessionLog.RATING_AND_FLAG_FIELDS,
        "notes",
    ]

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label="Started at", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label="Finished at", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    routine = forms.ModelChoiceField(
        queryset=Routine.objects.none(),
        required=False,
        empty_label="No routine / my own pick",
        label="Routine",
    )
    exercises = forms.ModelMultipleChoiceField(
        queryset=Exercise.objects.published(),
        required=False,
        label="Or the exercises you did",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or ⌘) to pick several. Leave empty if you chose a routine.",
    )
    tightness_before = rating_field("Tightness before (0–10)", required=False)
    tightness_after = rating_field("Tightness after (0–10)", required=False)
    pain = rating_field("Pain (0–10)", required=False)
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, editing: SessionLog | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["routine"].queryset = Routine.objects.owned_by(user).order_by("title")
        if editing is not None:
            # What was done stays as logged; an edit corrects when and how it felt.
            del self.fields["routine"], self.fields["exercises"]
            return
        # With htmx, choosing a routine fetches its "How did that feel?" questions (the page again,
        # with ?routine=, of which only #feelings is swapped in).
        self.fields["routine"].widget.attrs.update(
            {
                "hx-get": reverse("progress:session_new"),
                "hx-trigger": "change",
                "hx-target": "#feelings",
                "hx-select": "#feelings",
                "hx-swap": "outerHTML",
            }
        )
        # "How did that feel?" for each exercise of the routine chosen: the routine posted, or the
        # one in the address (?routine=, from the dashboard's plan), so it works without JavaScript.
        chosen = _id_from_text(self.data.get("routine") if self.is_bound else self.initial.get("routine"))
        if chosen is not None:
            routine = self.fields["routine"].queryset.filter(pk=chosen).first()
            if routine is not None:
                self.feelings_add(
                    (item.pk, item.exercise.name)
                    for item in routine.items.select_related("exercise").order_by("order", "pk")
                )

    def clean(self) -> dict:
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        zone = self.user.zone
        if day is not None:
            today = datetime.now(zone).date()
            joined = self.user.date_joined.astimezone(zone).date()
            if day > today:
                self.add_error("date", "That date is in the future. Log sessions you have already done.")
            elif day < joined:
                self.add_error("date", f"That is before you joined Unknot ({joined:%-d %B %Y}).")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", "The finish must be after the start (same day).")
        if self.errors:
            return data
        started = datetime.combine(day, start, tzinfo=zone)
        finished = datetime.combine(day, end, tzinfo=zone)
        if started > datetime.now(zone):
            self.add_error("start_time", "That time has not happened yet today.")
        data["started_at"], data["finished_at"] = started, finished
        if data.get("routine") and data.get("exercises"):
            self.add_error("exercises", "Choose a routine or exercises, not both.")
        return data

    @staticmethod
    def initial_for(session: SessionLog) -> dict:
        local_start = session.started_at.astimezone(session.user.zone)
        local_end = session.finished_at.astimezone(session.user.zone)
        fields = SessionLog.RATING_AND_FLAG_FIELDS
        return {
            "date": local_start.date(),
            "start_time": local_start.time().replace(second=0, microsecond=0),
            "end_time": local_end.time().replace(second=0, microsecond=0),
            "notes": session.notes,
            **{name: getattr(session, name) for name in fields},
        }


def default_times(user) -> dict:
    """The ten minutes just past, kept within today, since the form logs one day's session.

    Just after local midnight that leaves less: from 00:00 to now, and in the minute of midnight
    itself 00:00 to 00:01, so the form always starts with times it accepts as they are.
    """
    now = datetime.now(user.zone).replace(second=0, microsecond=0)
    start = max(now - timedelta(minutes=10), now.replace(hour=0, minute=0))
    end = max(now, start + timedelta(minutes=1))
    return {"date": now.date(), "start_time": start.time(), "end_time": end.time()}


class ProgrammeStartForm(forms.Form):
    track = forms.ChoiceField(
        label="Choose your track",
        choices=Track.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one of the three tracks.",
            "invalid_choice": "Choose one of the three tracks.",
        },
    )


def _is_id(value) -> bool:
    """A row's id as JSON sends it: JSON's true is an int to Python, and a number past a bigint
    is no id either."""
    return type(value) is int and 0 < value < 2**63


def _id_from_text(text) -> int | None:
    """A row's id written as text (a query string, a JSON object's key), or None. Not isdigit():
    "²" is a digit that int() refuses; and at most 19 digits, as int() refuses more than 4,300 and
    no bigint has more than 19."""
    text = str(text)
    if not text.isdecimal() or len(text) > 19:
        return None
    value = int(text)
    return value if _is_id(value) else None


class PlayerOfflineRunForm(forms.Form):
    """A run played offline, as static/js/offline-player.js sends it when the network returns:
    the run's token, its times by the device's clock, and each exercise's result. (The answers
    after it are checked by PlayerFinishForm or PlayerStopQuestionsForm, as online.)"""

    MAX_AGE = timedelta(days=30)  # an older run is refused rather than dated wrongly
    CLOCK_SLACK = timedelta(minutes=10)  # a device clock a little ahead is not an error

    token = forms.UUIDField()
    started_at = forms.DateTimeField()
    finished_at = forms.DateTimeField()
    stopped = forms.BooleanField(required=False)
    tightness_before = rating_field("Tightness before")
    item_ids = forms.JSONField()
    results = forms.JSONField()

    def clean_item_ids(self) -> list[int]:
        ids = self.cleaned_data["item_ids"]
        if not isinstance(ids, list) or len(ids) > 200 or not all(map(_is_id, ids)):
            raise forms.ValidationError("The run's exercises are not a list of ids.")
        return ids

    def clean_results(self) -> dict[int, dict]:
        results = self.cleaned_data["results"]
        if not isinstance(results, dict) or len(results) > 200:
            raise forms.ValidationError("The run's results are not readable.")
        cleaned = {}
        for key, result in results.items():
            seconds = result.get("seconds") if isinstance(result, dict) else None
            item_id = _id_from_text(key)
            if item_id is None or type(seconds) is not int or not 0 <= seconds <= 24 * 60 * 60:
                raise forms.ValidationError("The run's results are not readable.")
            cleaned[item_id] = {"seconds": seconds, "skipped": bool(result.get("skipped"))}
        return cleaned

    def clean(self) -> dict:
        data = super().clean()
        started, finished = data.get("started_at"), data.get("finished_at")
        if started is None or finished is None:
            return data
        now = datetime.now(started.tzinfo)
        if finished < started:
            self.add_error("finished_at", "The run ends before it starts.")
        elif finished > now + self.CLOCK_SLACK:
            self.add_error("finished_at", "The run ends in the future: check the device's clock.")
        elif started < now - self.MAX_AGE:
            self.add_error("started_at", "The run is more than 30 days old.")
        return data
