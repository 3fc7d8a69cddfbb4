import copy
from datetime import timedelta

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import timezone

from routines.library_file import LibraryFileError
from routines.library_load import exercises_reset_to_library, library_load
from routines.models import Equipment, Exercise, ExerciseStep, Muscle, Routine, RoutineItem
from tests.factories import RoutineFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "muscles": [{"slug": "rhomboids", "name": "Rhomboids"}, {"slug": "trapezius", "name": "Trapezius"}],
    "equipment": [{"slug": "towel", "name": "Towel"}],
    "exercises": [
        {
            "slug": "towel-twist",
            "name": "Towel twist",
            "kind": "stretch",
            "difficulty": "beginner",
            "summary": "A seated rotation using a towel.",
            "purpose": "Turns the upper back gently.",
            "body_position": "Seated",
            "targets": ["rhomboids"],
            "equipment": ["towel"],
            "hold_seconds": 20,
            "reps": 3,
            "sets": 1,
            "per_side": True,
            "breathing_cue": "Breathe out as you turn.",
            "partner_role": "",
            "stretchee_position": "",
            "steps": ["Hold the towel.", "Turn slowly."],
            "common_mistakes": ["Twisting from the hips"],
            "safety_notes": ["If your upper back is sore, turn only as far as is comfortable."],
            "suitability": {"area_upper_back": {"verdict": "modify", "how": "Turn only halfway."}},
        },
        {
            "slug": "partner-lat-stretch",
            "name": "Partner lat stretch",
            "kind": "partner",
            "difficulty": "intermediate",
            "summary": "A partner lifts your arms.",
            "purpose": "Opens the sides of the upper back.",
            "body_position": "Seated on the floor",
            "targets": ["trapezius"],
            "hold_seconds": 30,
            "reps": 1,
            "sets": 2,
            "per_side": False,
            "breathing_cue": "Breathe slowly.",
            "partner_role": "Lifts your arms until you say stop.",
            "stretchee_position": "Sits tall with arms raised.",
            "steps": ["Sit tall.", "Raise your arms."],
            "common_mistakes": ["Lifting too fast"],
            "safety_notes": ["Agree a stop word."],
        },
    ],
}


def write(tmp_path, data, name="exercises.yaml"):
    (tmp_path / name).write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


def snapshot():
    return (
        sorted(Exercise.objects.values_list("slug", "name", "hold_seconds", "updated_at")),
        sorted(ExerciseStep.objects.values_list("exercise__slug", "order", "text")),
        Muscle.objects.count(),
        Equipment.objects.count(),
    )


def test_it_creates_exercises_with_steps_targets_and_equipment(tmp_path):
    result = library_load(directory=write(tmp_path, VALID))

    assert result.created == ["towel-twist", "partner-lat-stretch"]
    twist = Exercise.objects.get(slug="towel-twist")
    assert [s.text for s in twist.steps.all()] == ["Hold the towel.", "Turn slowly."]
    assert [m.slug for m in twist.targets.all()] == ["rhomboids"]
    assert [e.slug for e in twist.equipment.all()] == ["towel"]
    assert twist.suitability == {"area_upper_back": {"verdict": "modify", "how": "Turn only halfway."}}
    assert Exercise.objects.get(slug="partner-lat-stretch").is_partner


def test_loading_twice_changes_and_duplicates_nothing(tmp_path):
    library_load(directory=write(tmp_path, VALID))
    before = snapshot()

    result = library_load(directory=tmp_path)

    assert result.changed is False
    assert result.unchanged == ["towel-twist", "partner-lat-stretch"]
    assert snapshot() == before


def test_a_changed_entry_is_updated_in_place(tmp_path):
    library_load(directory=write(tmp_path, VALID))
    changed = copy.deepcopy(VALID)
    changed["exercises"][0]["hold_seconds"] = 45
    changed["exercises"][0]["steps"] = ["Hold the towel.", "Turn slowly.", "Come back to centre."]

    result = library_load(directory=write(tmp_path, changed))

    assert result.updated == ["towel-twist"]
    twist = Exercise.objects.get(slug="towel-twist")
    assert twist.hold_seconds == 45
    assert twist.steps.count() == 3
    assert Exercise.objects.count() == 2


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda d: d["exercises"][1].pop("summary"), "exercise 'partner-lat-stretch': 'summary' is missing"),
        (lambda d: d["exercises"][1].update(targets=["biceps"]), "unknown muscle biceps"),
        (lambda d: d["exercises"][1].update(hold_seconds="ten"), "'hold_seconds' must be a whole number"),
        (lambda d: d["exercises"][1].update(reps=0), "'reps' must be a whole number from 1 to 30"),
        (lambda d: d["exercises"][1].update(kind="yoga"), "'kind' must be one of"),
        (lambda d: d["exercises"][1].update(partner_role=""), "partner stretches need 'partner_role'"),
        (lambda d: d["exercises"][1].update(steps=["Only one."]), "'steps' must be a list of at least 2"),
        (lambda d: d["exercises"][1].update(suitability={"flu": {}}), "unknown condition 'flu'"),
        (
            lambda d: d["exercises"][1].update(contraindications=["acute_pain"]),
            "was replaced by 'suitability'",
        ),
        (lambda d: d["exercises"][1].update(slug="towel-twist"), "the slug is used twice"),
    ],
)
def test_a_broken_entry_aborts_the_whole_load_and_names_the_problem(tmp_path, breakage, message):
    library_load(directory=write(tmp_path, VALID))
    before = snapshot()
    broken = copy.deepcopy(VALID)
    broken["exercises"][0]["hold_seconds"] = 99  # a valid change that must not land either
    breakage(broken)

    with pytest.raises(LibraryFileError) as error:
        library_load(directory=write(tmp_path, broken))

    assert message in str(error.value)
    assert snapshot() == before


def test_invalid_yaml_is_reported_not_raised_raw(tmp_path):
    (tmp_path / "exercises.yaml").write_text("exercises: [unclosed", encoding="utf-8")

    with pytest.raises(LibraryFileError, match="is not valid YAML"):
        library_load(directory=tmp_path)


def test_the_command_reports_a_broken_file_and_that_nothing_changed(tmp_path):
    broken = copy.deepcopy(VALID)
    broken["exercises"][0]["targets"] = ["biceps"]

    with pytest.raises(CommandError, match=r"(?s)unknown muscle biceps.*Nothing was changed"):
        call_command("load_library", dir=str(write(tmp_path, broken)))
    assert Exercise.objects.count() == 0


def test_staff_edits_survive_a_changed_file_until_reset(tmp_path):
    library_load(directory=write(tmp_path, VALID))
    Exercise.objects.filter(slug="towel-twist").update(name="Towel twist (seated)", is_customised=True)
    changed = copy.deepcopy(VALID)
    changed["exercises"][0]["summary"] = "A new summary from the file."

    result = library_load(directory=write(tmp_path, changed))

    assert result.kept_customised == ["towel-twist"]
    twist = Exercise.objects.get(slug="towel-twist")
    assert twist.name == "Towel twist (seated)"
    assert twist.summary == "A seated rotation using a towel."

    exercises_reset_to_library(exercises=Exercise.objects.filter(slug="towel-twist"))
    library_load(directory=write(tmp_path, changed))

    twist.refresh_from_db()
    assert (twist.name, twist.summary) == ("Towel twist", "A new summary from the file.")


def test_the_shipped_library_loads_and_every_exercise_has_steps_and_targets(library):
    assert len(library.created) >= 20
    published = Exercise.objects.published()
    assert library.retired == ["partner-upper-back-pop"]
    assert published.count() == len(library.created) - len(library.retired)
    assert not published.filter(steps__isnull=True).exists()
    assert not published.filter(targets__isnull=True).exists()
    for partner in published.filter(kind=Exercise.Kind.PARTNER):
        assert partner.partner_role, partner.slug
        assert partner.stretchee_position, partner.slug


def test_the_load_library_command_is_idempotent_on_the_shipped_file(db, capsys):
    call_command("load_library")
    first = snapshot()
    call_command("load_library")

    assert snapshot() == first
    assert "0 created, 0 updated" in capsys.readouterr().out


STARTERS = {
    "routines": [
        {
            "slug": "quick-reset",
            "title": "Quick reset",
            "description": "Two moves.",
            "items": [
                {"exercise": "towel-twist", "reps": 2, "note": "Go slowly."},
                {"exercise": "partner-lat-stretch"},
            ],
        }
    ]
}


def test_starter_routines_are_loaded_with_exercise_defaults_where_the_file_is_silent(tmp_path):
    write(tmp_path, VALID)
    library_load(directory=write(tmp_path, STARTERS, name="routines.yaml"))

    routine = Routine.objects.starters().get(slug="quick-reset")
    first, second = routine.items.all()
    assert routine.owner is None
    assert (first.exercise.slug, first.reps, first.hold_seconds, first.per_side, first.note) == (
        "towel-twist",
        2,
        20,
        True,
        "Go slowly.",
    )
    assert (second.exercise.slug, second.sets, second.hold_seconds) == ("partner-lat-stretch", 2, 30)


def test_loading_starter_routines_twice_rewrites_nothing(tmp_path):
    write(tmp_path, VALID)
    write(tmp_path, STARTERS, name="routines.yaml")
    library_load(directory=tmp_path)
    item_ids = list(RoutineItem.objects.values_list("pk", flat=True))

    result = library_load(directory=tmp_path)

    assert result.routines_written == []
    assert list(RoutineItem.objects.values_list("pk", flat=True)) == item_ids


def test_a_starter_routine_naming_an_unknown_exercise_aborts_the_load(tmp_path):
    broken = copy.deepcopy(STARTERS)
    broken["routines"][0]["items"][1]["exercise"] = "headstand"
    write(tmp_path, VALID)

    with pytest.raises(
        LibraryFileError, match=r"routine 'quick-reset', item 2: unknown exercise 'headstand'"
    ):
        library_load(directory=write(tmp_path, broken, name="routines.yaml"))
    assert not Exercise.objects.exists()
    assert not Routine.objects.exists()


def test_the_shipped_starter_routines_cover_the_five_promised_kinds(library):
    starters = Routine.objects.starters().with_items()

    assert {
        "desk-break-5",
        "morning-upper-back",
        "partner-session",
        "beginner-posture-strength",
        "evening-wind-down",
    } <= {r.slug for r in starters}
    desk_break = starters.get(slug="desk-break-5")
    assert 4 * 60 <= desk_break.estimated_seconds <= 6 * 60
    assert starters.get(slug="partner-session").needs_partner
    assert not any(
        item.exercise.slug == "partner-upper-back-pop" for routine in starters for item in routine.items.all()
    )


# --- Safety notes and verdicts agree -------------------------------------------------------------


def refused(tmp_path, data) -> list[str]:
    """The problems load_library reports for `data`, having written nothing."""
    with pytest.raises(LibraryFileError) as error:
        library_load(directory=write(tmp_path, data))
    assert not Exercise.objects.exists()
    return error.value.problems


def test_a_safety_note_that_mentions_a_condition_without_a_verdict_is_refused(tmp_path):
    data = copy.deepcopy(VALID)
    data["exercises"][1]["safety_notes"] = ["Agree a stop word.", "Skip this if you have osteoporosis."]

    assert refused(tmp_path, data) == [
        "exercise 'partner-lat-stretch': the safety note “Skip this if you have osteoporosis.” mentions "
        "low bone density or osteoporosis (osteoporosis), but 'suitability' has no modify or avoid "
        "verdict for osteoporosis"
    ]


def test_a_verdict_that_no_safety_note_mentions_is_refused(tmp_path):
    data = copy.deepcopy(VALID)
    data["exercises"][1]["suitability"] = {
        "hypermobility": {"verdict": "modify", "how": "Your partner stops at the first stretch."}
    }

    assert refused(tmp_path, data) == [
        "exercise 'partner-lat-stretch': 'suitability' says modify for hypermobility, but no safety note "
        "(nor its how or why) mentions hypermobility"
    ]


def shoulder_avoid(instead) -> dict:
    """VALID, where the partner stretch is unsuitable for a sore shoulder, naming `instead`."""
    data = copy.deepcopy(VALID)
    data["exercises"][1]["safety_notes"] = ["Agree a stop word.", "Skip this if a shoulder is sore."]
    data["exercises"][1]["suitability"] = {
        "area_shoulder": {"verdict": "avoid", "why": "A pull loads the shoulder.", "instead": instead}
    }
    return data


def test_an_unsuitable_verdict_with_a_valid_alternative_loads(tmp_path):
    library_load(directory=write(tmp_path, shoulder_avoid(["towel-twist"])))

    lat = Exercise.objects.get(slug="partner-lat-stretch")
    assert lat.unsuitable_for({"area_shoulder"}).instead == ("towel-twist",)


def unpublished_twist(data):
    data["exercises"][0]["is_published"] = False


def retired_twist(data):
    data["exercises"][0]["retired"] = {"reason": "Replaced."}


def twist_also_unsuitable(data):
    data["exercises"][0]["safety_notes"].append("Skip this if a shoulder is sore.")
    data["exercises"][0]["suitability"]["area_shoulder"] = {
        "verdict": "avoid",
        "why": "It loads the shoulder.",
        "instead": ["partner-lat-stretch"],
    }


@pytest.mark.parametrize(
    ("instead", "change", "message"),
    [
        (["headstand"], None, "names 'headstand', which is unknown, unpublished or retired"),
        (["towel-twist"], unpublished_twist, "names 'towel-twist', which is unknown, unpublished or retired"),
        (["towel-twist"], retired_twist, "names 'towel-twist', which is unknown, unpublished or retired"),
        (["towel-twist"], twist_also_unsuitable, "names 'towel-twist', itself unsuitable for area_shoulder"),
        (["partner-lat-stretch"], None, "'instead' names the exercise itself"),
        ([], None, "avoid needs 'instead', a list of at least one exercise slug"),
    ],
)
def test_an_unsuitable_verdict_needs_an_alternative_that_is_offered_and_suits_the_same_condition(
    tmp_path, instead, change, message
):
    data = shoulder_avoid(instead)
    if change:
        change(data)

    problems = refused(tmp_path, data)

    assert any(p.startswith("exercise 'partner-lat-stretch', suitability area_shoulder: ") for p in problems)
    assert any(message in p for p in problems), problems


def test_an_unsuitable_verdict_needs_a_why(tmp_path):
    data = shoulder_avoid(["towel-twist"])
    del data["exercises"][1]["suitability"]["area_shoulder"]["why"]

    assert "exercise 'partner-lat-stretch', suitability area_shoulder: avoid needs 'why'" in refused(
        tmp_path, data
    )


def test_every_problem_in_the_files_is_listed_at_once(tmp_path):
    data = shoulder_avoid(["headstand"])
    data["exercises"][0]["safety_notes"].append("If you are hypermobile, turn less.")
    starters = copy.deepcopy(STARTERS)
    starters["routines"][0]["items"][0]["exercise"] = "cartwheel"
    write(tmp_path, starters, name="routines.yaml")

    problems = refused(tmp_path, data)

    assert len(problems) == 3, problems
    assert any("'towel-twist': the safety note “If you are hypermobile, turn less.”" in p for p in problems)
    assert any(
        "'partner-lat-stretch', suitability area_shoulder: 'instead' names 'headstand'" in p for p in problems
    )
    assert any("item 1: unknown exercise 'cartwheel'" in p for p in problems)


# --- Retiring an exercise ------------------------------------------------------------------------

RETIRED = copy.deepcopy(VALID)
RETIRED["exercises"][1]["retired"] = {"reason": "Lifting the arms this way needs a professional's hands."}


def test_a_retired_entry_is_unpublished_and_kept_with_its_reason(tmp_path):
    library_load(directory=write(tmp_path, VALID))

    result = library_load(directory=write(tmp_path, RETIRED))

    assert result.retired == ["partner-lat-stretch"]
    lat = Exercise.objects.get(slug="partner-lat-stretch")
    assert lat.is_retired
    assert not lat.is_published
    assert lat.retired_reason == "Lifting the arms this way needs a professional's hands."
    assert list(Exercise.objects.published().values_list("slug", flat=True)) == ["towel-twist"]


def test_retiring_takes_the_exercise_out_of_every_routine_and_refreshes_its_owners_dashboard(tmp_path):
    library_load(directory=write(tmp_path, VALID))
    twist, lat = Exercise.objects.get(slug="towel-twist"), Exercise.objects.get(slug="partner-lat-stretch")
    person = UserFactory()
    routine = RoutineFactory(owner=person, exercises=[twist, lat, twist])
    untouched = RoutineFactory(exercises=[twist])
    a_week_ago = timezone.now() - timedelta(days=7)
    Routine.objects.update(updated_at=a_week_ago)

    result = library_load(directory=write(tmp_path, RETIRED))

    assert result.routines_without_retired == [routine.pk]
    assert [item.exercise.slug for item in routine.items.all()] == ["towel-twist", "towel-twist"]
    routine.refresh_from_db()
    untouched.refresh_from_db()
    assert routine.updated_at > a_week_ago
    assert untouched.updated_at == a_week_ago
    assert type(person).objects.get(pk=person.pk).dashboard_version > person.dashboard_version
    assert Exercise.objects.filter(slug="partner-lat-stretch").exists()  # never deleted


def test_a_retired_exercise_keeps_its_retirement_date_across_loads(tmp_path):
    library_load(directory=write(tmp_path, RETIRED))
    retired_at = Exercise.objects.get(slug="partner-lat-stretch").retired_at

    result = library_load(directory=tmp_path)

    assert (result.changed, result.retired, result.routines_without_retired) == (False, [], [])
    assert Exercise.objects.get(slug="partner-lat-stretch").retired_at == retired_at


def test_an_exercise_staff_edited_is_retired_all_the_same(tmp_path):
    library_load(directory=write(tmp_path, VALID))
    Exercise.objects.filter(slug="partner-lat-stretch").update(name="Lat stretch (staff)", is_customised=True)

    result = library_load(directory=write(tmp_path, RETIRED))

    assert result.kept_customised == ["partner-lat-stretch"]
    lat = Exercise.objects.get(slug="partner-lat-stretch")
    assert (lat.name, lat.is_retired, lat.is_published) == ("Lat stretch (staff)", True, False)


def test_a_starter_routine_may_not_name_a_retired_exercise(tmp_path):
    write(tmp_path, RETIRED)

    with pytest.raises(
        LibraryFileError, match="routine 'quick-reset', item 2: 'partner-lat-stretch' is retired"
    ):
        library_load(directory=write(tmp_path, STARTERS, name="routines.yaml"))


@pytest.mark.parametrize("retired", [{}, "yes", {"reason": ""}, {"reason": "Old.", "when": "2026"}])
def test_retiring_needs_a_reason_and_nothing_else(tmp_path, retired):
    data = copy.deepcopy(VALID)
    data["exercises"][1]["retired"] = retired

    assert any("'retired' must be {reason" in p for p in refused(tmp_path, data))


# --- Families and equipment kinds ---------------------------------------------------------------


def with_family(data, **families):
    """`families`: slug → (family, level) for exercises of VALID."""
    data = copy.deepcopy(data)
    for entry in data["exercises"]:
        if entry["slug"] in families:
            entry["family"], entry["level"] = families[entry["slug"]]
    return data


def test_it_loads_each_exercises_family_and_level(tmp_path):
    data = with_family(VALID, **{"towel-twist": ("twists", 1), "partner-lat-stretch": ("twists", 2)})

    library_load(directory=write(tmp_path, data))

    assert list(Exercise.objects.order_by("level").values_list("slug", "family", "level")) == [
        ("towel-twist", "twists", 1),
        ("partner-lat-stretch", "twists", 2),
    ]


def test_an_exercise_without_a_family_has_level_1_and_an_empty_family(tmp_path):
    library_load(directory=write(tmp_path, VALID))

    assert set(Exercise.objects.values_list("family", "level")) == {("", 1)}


@pytest.mark.parametrize(
    ("families", "message"),
    [
        (
            {"towel-twist": ("twists", 1), "partner-lat-stretch": ("twists", 1)},
            "family 'twists': levels must run 1 to 2 with none repeated or missing, "
            "not towel-twist (1), partner-lat-stretch (1)",
        ),
        (
            {"towel-twist": ("twists", 1), "partner-lat-stretch": ("twists", 3)},
            "family 'twists': levels must run 1 to 2",
        ),
        (
            {"towel-twist": ("twists", 1)},
            "family 'twists': has only towel-twist (1); a family needs at least two exercises",
        ),
        (
            {"towel-twist": ("Twists!", 1), "partner-lat-stretch": ("twists", 2)},
            "exercise 'towel-twist': 'family' must be a slug of lower-case letters, digits and hyphens",
        ),
        (
            {"towel-twist": ("twists", 0), "partner-lat-stretch": ("twists", 2)},
            "exercise 'towel-twist': 'level' must be a whole number from 1 to 20, not 0",
        ),
        (
            {"towel-twist": ("twists", "2"), "partner-lat-stretch": ("twists", 1)},
            "exercise 'towel-twist': 'level' must be a whole number from 1 to 20, not '2'",
        ),
    ],
)
def test_it_refuses_a_family_whose_levels_do_not_run_one_to_n(tmp_path, families, message):
    with pytest.raises(LibraryFileError) as raised:
        library_load(directory=write(tmp_path, with_family(VALID, **families)))

    assert any(problem.startswith(message) for problem in raised.value.problems), raised.value.problems
    assert not Exercise.objects.exists()


def test_it_refuses_a_level_without_a_family(tmp_path):
    data = copy.deepcopy(VALID)
    data["exercises"][0]["level"] = 2

    with pytest.raises(LibraryFileError) as raised:
        library_load(directory=write(tmp_path, data))

    assert "exercise 'towel-twist': 'level' needs a 'family'" in raised.value.problems


def test_a_retired_exercise_leaves_its_family(tmp_path):
    data = with_family(VALID, **{"towel-twist": ("twists", 1), "partner-lat-stretch": ("twists", 2)})
    data["exercises"][1]["retired"] = {"reason": "It needs a professional's hands."}

    with pytest.raises(LibraryFileError) as raised:
        library_load(directory=write(tmp_path, data))

    assert (
        "exercise 'partner-lat-stretch': a retired exercise leaves its family; remove 'family'"
        in raised.value.problems
    )


def test_it_loads_what_each_piece_of_equipment_asks_of_the_person(tmp_path):
    data = copy.deepcopy(VALID)
    data["equipment"].append({"slug": "band", "name": "Resistance band", "kind": "band"})

    library_load(directory=write(tmp_path, data))

    assert dict(Equipment.objects.values_list("slug", "kind")) == {"towel": "none", "band": "band"}


def test_a_second_load_updates_an_equipment_kind_that_changed(tmp_path):
    library_load(directory=write(tmp_path, VALID))
    data = copy.deepcopy(VALID)
    data["equipment"][0]["kind"] = "tool"

    library_load(directory=write(tmp_path, data))

    assert Equipment.objects.get(slug="towel").kind == Equipment.Kind.TOOL


def test_it_refuses_an_unknown_equipment_kind(tmp_path):
    data = copy.deepcopy(VALID)
    data["equipment"][0]["kind"] = "kettlebell"

    with pytest.raises(LibraryFileError) as raised:
        library_load(directory=write(tmp_path, data))

    assert raised.value.problems[0].startswith("equipment 'towel': 'kind' must be one of none, band")


def test_it_loads_the_most_a_person_builds_up_to(tmp_path):
    data = copy.deepcopy(VALID)
    data["exercises"][0]["progression"] = {"reps": 6, "sets": 2}

    library_load(directory=write(tmp_path, data))

    ceiling = Exercise.objects.get(slug="towel-twist").dose_ceiling
    assert (ceiling.hold_seconds, ceiling.reps, ceiling.sets) == (20, 6, 2)
    assert Exercise.objects.get(slug="partner-lat-stretch").dose_ceiling.reps == 1


@pytest.mark.parametrize(
    ("progression", "message"),
    [
        ({"reps": 2}, "exercise 'towel-twist': 'progression' reps (2) is below the starting reps (3)"),
        (
            {"reps": 31},
            "exercise 'towel-twist': 'progression' reps must be a whole number from 1 to 30, not 31",
        ),
        (
            {"rest": 10},
            "exercise 'towel-twist': 'progression' may name only hold_seconds, reps, sets, not 'rest'",
        ),
        ([12], "exercise 'towel-twist': 'progression' must map hold_seconds, reps or sets"),
    ],
)
def test_it_refuses_a_progression_below_the_start_or_out_of_range(tmp_path, progression, message):
    data = copy.deepcopy(VALID)
    data["exercises"][0]["progression"] = progression

    with pytest.raises(LibraryFileError) as raised:
        library_load(directory=write(tmp_path, data))

    assert any(problem.startswith(message) for problem in raised.value.problems), raised.value.problems
