from django import template

from accounts.screening import conditions_for
from routines.selectors import exercise_links_by_slug
from routines.suitability import Verdict

register = template.Library()

# Where _with_alternatives keeps the library's links while one template renders.
_LINKS = "routines.exercise_links"


@register.inclusion_tag("routines/_screening_warning.html", takes_context=True)
def screening_warning(context, exercise) -> dict:
    """Wherever an exercise appears (library, builder, routine pages, player): what changes for
    this person, given their conditions — how to adapt it, or why it is unsuitable and what to do
    instead."""
    verdicts = exercise.verdict_for(conditions_for(context["request"].user))
    return {"verdicts": _with_alternatives(context, verdicts), "exercise": exercise}


@register.inclusion_tag("routines/_suitability.html", takes_context=True)
def exercise_suitability(context, exercise) -> dict:
    """Every condition that changes the exercise, for anyone reading its page."""
    return {"verdicts": _with_alternatives(context, exercise.verdicts), "exercise": exercise}


def _with_alternatives(context, verdicts: list[Verdict]) -> list[tuple[Verdict, list]]:
    """Each verdict with the offered exercises its `instead` names (an unpublished one is left out).

    The links are read once per rendered template (render_context), however many verdicts it shows.
    """
    if not any(verdict.instead for verdict in verdicts):
        return [(verdict, []) for verdict in verdicts]
    if _LINKS not in context.render_context:
        context.render_context[_LINKS] = exercise_links_by_slug()
    links = context.render_context[_LINKS]
    return [(verdict, [links[slug] for slug in verdict.instead if slug in links]) for verdict in verdicts]


@register.filter
def duration(seconds: int | None) -> str:
    """4 min 50 s; 45 s; 12 min."""
    if not seconds:
        return "0 s"
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


@register.simple_tag(takes_context=True)
def unsuitable_for_me(context, exercise):
    """The first verdict that makes `exercise` unsuitable for the person reading, or None."""
    return exercise.unsuitable_for(conditions_for(context["request"].user))


@register.filter
def dose_text(dose) -> str:
    """Anything with hold_seconds, reps and sets (an exercise, an item, a DoseCeiling), as the
    player shows a dose: "5 s × 12 reps × 3 sets"; "45 s"."""
    parts = [f"{dose.hold_seconds} s"]
    if dose.reps > 1:
        parts.append(f"{dose.reps} reps")
    if dose.sets > 1:
        parts.append(f"{dose.sets} sets")
    return " × ".join(parts)


@register.filter
def move_choices(item, forloop) -> list[tuple[str, str, bool]]:
    """The builder's up/down buttons: (direction, label, disabled) — disabled at either end."""
    return [("up", "↑ Up", forloop["first"]), ("down", "↓ Down", forloop["last"])]
