"""Whether an exercise suits a person's conditions: fine, fine with a change, or unsuitable.

`Exercise.suitability` maps a Condition value to a verdict; a condition it does not list is fine.

    {"osteoporosis": {"verdict": "avoid", "instead": ["prone-on-elbows"], "why": "…"},
     "area_wrist_hand": {"verdict": "modify", "how": "Rest on your forearms …"}}

The shape is checked here (`suitability_problems`), for the library file and the admin alike; the
checks that need other exercises (`alternative_problems`) and the safety notes
(`notes_disagreements`) are here too, so both places apply the same rules.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from accounts.screening import AREA_PREFIX, Condition, conditions_mentioned


class VerdictKind(models.TextChoices):
    MODIFY = "modify", "Fine with a change"
    AVOID = "avoid", "Unsuitable"


# The keys each verdict needs, and the only ones it may have.
_KEYS = {VerdictKind.MODIFY: {"verdict", "how"}, VerdictKind.AVOID: {"verdict", "why", "instead"}}
_CONDITION_ORDER = {value: position for position, value in enumerate(Condition.values)}


@dataclass(frozen=True)
class Verdict:
    condition: str
    label: str
    verdict: str  # a VerdictKind value
    how: str = ""  # modify: what to do differently
    why: str = ""  # avoid: why it is unsuitable
    instead: tuple[str, ...] = ()  # avoid: slugs of safer exercises, best first

    @property
    def is_avoid(self) -> bool:
        return self.verdict == VerdictKind.AVOID

    @property
    def is_area(self) -> bool:
        """A part of the body that hurts now or had recent surgery, rather than a condition."""
        return self.condition.startswith(AREA_PREFIX)


def verdicts_from(suitability: Mapping, conditions: Iterable[str] | None = None) -> list[Verdict]:
    """The verdicts for `conditions` (every listed condition when None): unsuitable ones first,
    then in the order of the Condition vocabulary."""
    wanted = suitability.keys() if conditions is None else set(conditions) & suitability.keys()
    verdicts = [
        Verdict(
            condition=condition,
            label=Condition(condition).label,
            verdict=suitability[condition]["verdict"],
            how=suitability[condition].get("how", ""),
            why=suitability[condition].get("why", ""),
            instead=tuple(suitability[condition].get("instead", ())),
        )
        for condition in wanted
        if condition in _CONDITION_ORDER
    ]
    return sorted(verdicts, key=lambda v: (not v.is_avoid, _CONDITION_ORDER[v.condition]))


def suitability_normalised(suitability: Mapping) -> dict:
    """The same verdicts with tidy whitespace, in the order of the Condition vocabulary."""
    tidy = {}
    for condition in sorted(suitability, key=lambda c: _CONDITION_ORDER.get(c, len(_CONDITION_ORDER))):
        verdict = dict(suitability[condition])
        for key in ("how", "why"):
            if key in verdict:
                verdict[key] = " ".join(verdict[key].split())
        if "instead" in verdict:
            verdict["instead"] = list(dict.fromkeys(verdict["instead"]))
        tidy[condition] = verdict
    return tidy


def suitability_problems(suitability: object) -> list[str]:
    """What is wrong with the shape of a suitability mapping, one message per problem."""
    if not isinstance(suitability, Mapping):
        return ["'suitability' must map conditions to verdicts"]
    problems = []
    for condition, verdict in suitability.items():
        if condition not in _CONDITION_ORDER:
            problems.append(f"unknown condition {condition!r}; use one of {', '.join(Condition.values)}")
            continue
        if not isinstance(verdict, Mapping) or verdict.get("verdict") not in _KEYS:
            problems.append(f"{condition}: 'verdict' must be modify or avoid")
            continue
        kind = verdict["verdict"]
        extra = set(verdict) - _KEYS[kind]
        if extra:
            allowed, given = ", ".join(sorted(_KEYS[kind])), ", ".join(sorted(extra))
            problems.append(f"{condition}: {kind} takes only {allowed}, not {given}")
        if kind == VerdictKind.MODIFY and not _is_text(verdict.get("how")):
            problems.append(f"{condition}: modify needs 'how', saying what to do differently")
        if kind == VerdictKind.AVOID:
            if not _is_text(verdict.get("why")):
                problems.append(f"{condition}: avoid needs 'why'")
            instead = verdict.get("instead")
            if not isinstance(instead, list) or not instead or not all(_is_text(slug) for slug in instead):
                problems.append(f"{condition}: avoid needs 'instead', a list of at least one exercise slug")
    return problems


def validate_suitability(value: object) -> None:
    problems = suitability_problems(value)
    if problems:
        raise ValidationError(problems)


def alternative_problems(*, slug: str, suitability: Mapping, offered: Mapping[str, Mapping]) -> list[str]:
    """Each `instead` must name another exercise that is offered (published and not retired) and
    is not itself unsuitable for the same condition. `offered` maps those slugs to their
    suitability."""
    problems = []
    for condition, verdict in suitability.items():
        for alternative in verdict.get("instead", ()) if isinstance(verdict, Mapping) else ():
            if alternative == slug:
                problems.append(f"{condition}: 'instead' names the exercise itself")
            elif alternative not in offered:
                problems.append(
                    f"{condition}: 'instead' names {alternative!r}, which is unknown, unpublished or retired"
                )
            elif offered[alternative].get(condition, {}).get("verdict") == VerdictKind.AVOID:
                problems.append(
                    f"{condition}: 'instead' names {alternative!r}, itself unsuitable for {condition}"
                )
    return problems


def notes_disagreements(*, safety_notes: list[str], suitability: Mapping) -> list[str]:
    """Where the safety notes and the verdicts disagree, one message per problem.

    - A note that mentions a condition (accounts.models.CONDITION_KEYWORDS) the verdicts leave
      out: either the exercise needs a verdict for it, or the note should not raise it.
    - A verdict that nothing mentions (no note, nor its own `how` or `why`): a person reading the
      exercise would not learn why it changes for them.
    """
    problems = []
    listed = set(suitability)
    for note in safety_notes:
        for condition in sorted(conditions_mentioned(note) - listed, key=_CONDITION_ORDER.get):
            problems.append(
                f"the safety note “{note}” mentions {Condition(condition).label.lower()} ({condition}), "
                f"but 'suitability' has no modify or avoid verdict for {condition}"
            )
    for condition, verdict in suitability.items():
        texts = [*safety_notes, verdict.get("how", ""), verdict.get("why", "")]
        if not any(condition in conditions_mentioned(text) for text in texts):
            problems.append(
                f"'suitability' says {verdict.get('verdict')} for {condition}, but no safety note "
                f"(nor its how or why) mentions {Condition(condition).label.lower()}"
            )
    return problems


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
