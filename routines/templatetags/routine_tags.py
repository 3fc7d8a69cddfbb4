from django import template

from accounts.screening import conditions_for

register = template.Library()


@register.inclusion_tag("routines/_screening_warning.html", takes_context=True)
def screening_warning(context, exercise) -> dict:
    """A warning wherever an exercise appears, when it conflicts with the person's safety screening."""
    user = context["request"].user
    flags = conditions_for(user)
    return {"labels": exercise.warnings_for(flags), "exercise": exercise}


@register.filter
def duration(seconds: int | None) -> str:
    """4 min 50 s; 45 s; 12 min."""
    if not seconds:
        return "0 s"
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


@register.filter
def move_choices(item, forloop) -> list[tuple[str, str, bool]]:
    """The builder's up/down buttons: (direction, label, disabled) — disabled at either end."""
    return [("up", "↑ Up", forloop["first"]), ("down", "↓ Down", forloop["last"])]
