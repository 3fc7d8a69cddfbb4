"""Reading the shipped library: routines/library/exercises.yaml and (optional) routines.yaml.

Everything is checked before anything is written: `library_read` either returns the whole
library, validated, or raises LibraryFileError listing every broken entry with its problem.
"""

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from routines.models import MAX_LEVEL, Equipment, Exercise
from routines.progression import DOSE_RANGES, progression_problems
from routines.suitability import (
    alternative_problems,
    notes_disagreements,
    suitability_normalised,
    suitability_problems,
)

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
EXERCISES_FILE_NAME = "exercises.yaml"
ROUTINES_FILE_NAME = "routines.yaml"  # starter routines; may be absent

_TEXT_FIELDS = ("name", "summary", "purpose", "body_position", "breathing_cue")
_PARTNER_FIELDS = ("partner_role", "stretchee_position")
_NUMBER_RANGES = DOSE_RANGES  # the builder's limits, for library defaults too
_MAX_LENGTHS = {"name": 120, "summary": 200, "body_position": 120, "breathing_cue": 300}
_FAMILY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MAX_FAMILY_LENGTH = 60

# libyaml's parser when PyYAML has it (ten times faster, the same result), else PyYAML's own.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LibraryFileError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("The library file has problems:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class LookupEntry:
    slug: str
    name: str
    kind: str = ""  # equipment only: an Equipment.Kind value


@dataclass
class ExerciseEntry:
    slug: str
    fields: dict  # model field values, ready for Exercise(**fields)
    steps: list[str]
    targets: list[str]
    equipment: list[str]
    content_hash: str = field(default="")


@dataclass
class RoutineItemEntry:
    exercise: str
    hold_seconds: int | None
    reps: int | None
    sets: int | None
    note: str


@dataclass
class RoutineEntry:
    slug: str
    title: str
    description: str
    items: list[RoutineItemEntry]
    content_hash: str = field(default="")


@dataclass
class Library:
    muscles: list[LookupEntry]
    equipment: list[LookupEntry]
    exercises: list[ExerciseEntry]
    routines: list[RoutineEntry]


def library_read(directory: Path = LIBRARY_DIR) -> Library:
    path = directory / EXERCISES_FILE_NAME
    data = _read_yaml(path, required_key="exercises")

    problems: list[str] = []
    muscles = _read_lookups(data, "muscles", problems)
    equipment = _read_lookups(data, "equipment", problems)
    exercises: list[ExerciseEntry] = []
    seen: set[str] = set()
    raw_exercises = data.get("exercises")
    if not isinstance(raw_exercises, list) or not raw_exercises:
        problems.append("'exercises' must be a non-empty list")
        raw_exercises = []
    for position, raw in enumerate(raw_exercises, start=1):
        entry = _read_exercise(
            raw,
            position,
            {m.slug for m in muscles},
            {e.slug for e in equipment},
            problems,
        )
        if entry is None:
            continue
        if entry.slug in seen:
            problems.append(f"exercise '{entry.slug}': the slug is used twice")
        seen.add(entry.slug)
        exercises.append(entry)
    problems.extend(family_problems(exercises))
    offered = {e.slug: e.fields["suitability"] for e in exercises if e.fields["is_published"]}
    for entry in exercises:
        problems.extend(
            f"exercise '{entry.slug}', suitability {problem}"
            for problem in alternative_problems(
                slug=entry.slug, suitability=entry.fields["suitability"], offered=offered
            )
        )
    routines_path = directory / ROUTINES_FILE_NAME
    routines = []
    if routines_path.exists():
        routines = _read_routines(
            _read_yaml(routines_path, required_key="routines"),
            exercise_slugs=seen,
            retired={e.slug for e in exercises if e.fields["retired_reason"]},
            problems=problems,
        )
    if problems:
        raise LibraryFileError(problems)
    return Library(muscles=muscles, equipment=equipment, exercises=exercises, routines=routines)


def _read_yaml(path: Path, required_key: str) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except OSError as exc:
        raise LibraryFileError([f"cannot read {path}: {exc.strerror}"]) from exc
    except yaml.YAMLError as exc:
        raise LibraryFileError([f"{path.name} is not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict) or required_key not in data:
        raise LibraryFileError([f"{path.name} must hold a mapping with '{required_key}'"])
    return data


def _read_routines(
    data: dict, *, exercise_slugs: set[str], retired: set[str], problems: list[str]
) -> list[RoutineEntry]:
    raw_routines = data["routines"]
    if not isinstance(raw_routines, list):
        problems.append("'routines' must be a list")
        return []
    routines = []
    for position, raw in enumerate(raw_routines, start=1):
        if not isinstance(raw, dict) or not _is_text(raw.get("slug")) or not _is_text(raw.get("title")):
            problems.append(f"routine entry {position}: needs a slug and a title")
            continue
        where = f"routine '{raw['slug']}'"
        raw_items = raw.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            problems.append(f"{where}: 'items' must be a non-empty list")
            continue
        before = len(problems)
        items = []
        for number, item in enumerate(raw_items, start=1):
            if not isinstance(item, dict) or item.get("exercise") not in exercise_slugs:
                problems.append(f"{where}, item {number}: unknown exercise {item.get('exercise')!r}")
                continue
            if item["exercise"] in retired:
                problems.append(f"{where}, item {number}: {item['exercise']!r} is retired")
                continue
            for name, (low, high) in _NUMBER_RANGES.items():
                value = item.get(name)
                if value is not None and (not isinstance(value, int) or not low <= value <= high):
                    problems.append(
                        f"{where}, item {number}: '{name}' must be a whole number from {low} to {high}"
                    )
            items.append(
                RoutineItemEntry(
                    exercise=item["exercise"],
                    hold_seconds=item.get("hold_seconds"),
                    reps=item.get("reps"),
                    sets=item.get("sets"),
                    note=(item.get("note") or "").strip(),
                )
            )
        if len(problems) > before:
            continue
        entry = RoutineEntry(
            slug=raw["slug"].strip(),
            title=raw["title"].strip(),
            description=" ".join((raw.get("description") or "").split()),
            items=items,
        )
        entry.content_hash = hashlib.sha256(
            json.dumps([entry.title, entry.description, [vars(i) for i in items]], sort_keys=True).encode()
        ).hexdigest()
        routines.append(entry)
    return routines


def family_problems(exercises: list[ExerciseEntry]) -> list[str]:
    """A family is two or more exercises, easiest first: levels 1, 2, 3… with none repeated or
    missing, so that stepping up or down always lands on a neighbour. A retired exercise leaves
    its family (its place would be a hole that nobody can step into)."""
    problems = []
    families: dict[str, list[ExerciseEntry]] = defaultdict(list)
    for entry in exercises:
        if not entry.fields["family"]:
            continue
        if entry.fields["retired_reason"]:
            problems.append(f"exercise '{entry.slug}': a retired exercise leaves its family; remove 'family'")
            continue
        families[entry.fields["family"]].append(entry)
    for family, members in sorted(families.items()):
        levels = sorted(entry.fields["level"] for entry in members)
        names = ", ".join(f"{entry.slug} ({entry.fields['level']})" for entry in members)
        if len(members) < 2:
            problems.append(f"family '{family}': has only {names}; a family needs at least two exercises")
        elif levels != list(range(1, len(members) + 1)):
            problems.append(
                f"family '{family}': levels must run 1 to {len(members)} with none repeated or missing, "
                f"not {names}"
            )
    return problems


def _read_family(raw: dict, where: str, problems: list[str]) -> tuple[str, int]:
    """`family` (a slug shared by easier and harder variants) and `level` (1 = easiest)."""
    family = raw.get("family")
    level = raw.get("level")
    if family is None:
        if level is not None:
            problems.append(f"{where}: 'level' needs a 'family'")
        return "", 1
    if not isinstance(family, str) or not _FAMILY.match(family) or len(family) > _MAX_FAMILY_LENGTH:
        problems.append(
            f"{where}: 'family' must be a slug of lower-case letters, digits and hyphens, not {family!r}"
        )
    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= MAX_LEVEL:
        problems.append(f"{where}: 'level' must be a whole number from 1 to {MAX_LEVEL}, not {level!r}")
        return "", 1
    return (family if isinstance(family, str) else ""), level


def _read_lookups(data: dict, key: str, problems: list[str]) -> list[LookupEntry]:
    raw = data.get(key)
    if not isinstance(raw, list):
        problems.append(f"'{key}' must be a list of {{slug, name}}")
        return []
    entries = []
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not _is_text(item.get("slug")) or not _is_text(item.get("name")):
            problems.append(f"{key} entry {position}: needs a slug and a name")
            continue
        kind = ""
        if key == "equipment":
            # What the person must get hold of; things every home has are "none".
            kind = item.get("kind", Equipment.Kind.NONE)
            if kind not in Equipment.Kind.values:
                problems.append(
                    f"equipment '{item['slug']}': 'kind' must be one of {', '.join(Equipment.Kind.values)}, "
                    f"not {kind!r}"
                )
                continue
        entries.append(LookupEntry(slug=item["slug"].strip(), name=item["name"].strip(), kind=kind))
    return entries


def _read_exercise(
    raw: object,
    position: int,
    muscle_slugs: set[str],
    equipment_slugs: set[str],
    problems: list[str],
) -> ExerciseEntry | None:
    if not isinstance(raw, dict):
        problems.append(f"exercise entry {position}: must be a mapping of fields")
        return None
    slug = raw.get("slug")
    if not _is_text(slug):
        problems.append(f"exercise entry {position}: 'slug' is missing")
        return None
    where = f"exercise '{slug}'"
    before = len(problems)

    for name in _TEXT_FIELDS:
        if not _is_text(raw.get(name)):
            problems.append(f"{where}: '{name}' is missing or empty")
        elif len(raw[name].strip()) > _MAX_LENGTHS.get(name, 10_000):
            problems.append(f"{where}: '{name}' is longer than {_MAX_LENGTHS[name]} characters")
    for name, (low, high) in _NUMBER_RANGES.items():
        value = raw.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(f"{where}: '{name}' must be a whole number from {low} to {high}, not {value!r}")
    if not isinstance(raw.get("per_side"), bool):
        problems.append(f"{where}: 'per_side' must be true or false")
    if raw.get("kind") not in Exercise.Kind.values:
        problems.append(
            f"{where}: 'kind' must be one of {', '.join(Exercise.Kind.values)}, not {raw.get('kind')!r}"
        )
    if raw.get("difficulty") not in Exercise.Difficulty.values:
        problems.append(f"{where}: 'difficulty' must be one of {', '.join(Exercise.Difficulty.values)}")

    is_partner = raw.get("kind") == Exercise.Kind.PARTNER
    for name in _PARTNER_FIELDS:
        value = raw.get(name) or ""
        if not isinstance(value, str):
            problems.append(f"{where}: '{name}' must be text")
        elif is_partner and not value.strip():
            problems.append(f"{where}: partner stretches need '{name}'")
        elif not is_partner and value.strip():
            problems.append(f"{where}: '{name}' is only for partner stretches")

    steps = _text_list(raw, "steps", where, problems, minimum=2)
    mistakes = _text_list(raw, "common_mistakes", where, problems, minimum=1)
    notes = _text_list(raw, "safety_notes", where, problems, minimum=1)
    targets = _slug_list(raw, "targets", where, muscle_slugs, "muscle", problems, minimum=1)
    equipment = _slug_list(raw, "equipment", where, equipment_slugs, "equipment", problems, minimum=0)
    if "contraindications" in raw:
        problems.append(
            f"{where}: 'contraindications' was replaced by 'suitability' (see routines/suitability.py)"
        )
    suitability = raw.get("suitability") or {}
    shape_problems = suitability_problems(suitability)
    problems.extend(f"{where}, suitability {problem}" for problem in shape_problems)
    if not shape_problems and notes:
        suitability = suitability_normalised(suitability)
        problems.extend(
            f"{where}: {problem}"
            for problem in notes_disagreements(safety_notes=notes, suitability=suitability)
        )
    retired_reason = _retired_reason(raw, where, problems)
    family, level = _read_family(raw, where, problems)
    progression = raw.get("progression") or {}
    problems.extend(
        f"{where}: {problem}"
        for problem in progression_problems(progression, start={n: raw.get(n) for n in _NUMBER_RANGES})
    )
    if len(problems) > before:
        return None

    fields = {name: raw[name].strip() for name in _TEXT_FIELDS}
    fields.update({name: raw[name] for name in _NUMBER_RANGES})
    fields.update(
        kind=raw["kind"],
        difficulty=raw["difficulty"],
        per_side=raw["per_side"],
        partner_role=(raw.get("partner_role") or "").strip(),
        stretchee_position=(raw.get("stretchee_position") or "").strip(),
        common_mistakes="\n".join(mistakes),
        safety_notes="\n".join(notes),
        suitability=suitability,
        source_note=(raw.get("source_note") or "").strip(),
        # A retired exercise is never published, whatever the file says.
        is_published=raw.get("is_published", True) is not False and not retired_reason,
        retired_reason=retired_reason,
        family=family,
        level=level,
        progression=progression,
    )
    entry = ExerciseEntry(
        slug=slug.strip(),
        fields=fields,
        steps=steps,
        targets=targets,
        equipment=equipment,
    )
    entry.content_hash = hashlib.sha256(
        json.dumps([fields, steps, sorted(targets), sorted(equipment)], sort_keys=True).encode()
    ).hexdigest()
    return entry


def _retired_reason(raw: dict, where: str, problems: list[str]) -> str:
    """`retired: {reason: "…"}` takes an exercise out of use for good (see library_load)."""
    retired = raw.get("retired")
    if retired is None:
        return ""
    if not isinstance(retired, dict) or set(retired) != {"reason"} or not _is_text(retired["reason"]):
        problems.append(f"{where}: 'retired' must be {{reason: \"…\"}}, saying why it is no longer offered")
        return ""
    return " ".join(retired["reason"].split())


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _text_list(raw: dict, name: str, where: str, problems: list[str], minimum: int) -> list[str]:
    value = raw.get(name)
    if not isinstance(value, list) or not all(_is_text(item) for item in value) or len(value) < minimum:
        problems.append(f"{where}: '{name}' must be a list of at least {minimum} non-empty text item(s)")
        return []
    return [" ".join(item.split()) for item in value]


def _slug_list(
    raw: dict,
    name: str,
    where: str,
    known: set[str],
    what: str,
    problems: list[str],
    minimum: int,
) -> list[str]:
    value = raw.get(name) or []
    if not isinstance(value, list) or len(value) < minimum:
        problems.append(f"{where}: '{name}' must list at least {minimum} {what} slug(s)")
        return []
    unknown = [slug for slug in value if slug not in known]
    if unknown:
        problems.append(f"{where}: unknown {what} {', '.join(map(str, unknown))} in '{name}'")
        return []
    return list(dict.fromkeys(value))
