"""The data migration from the five-question screening to the two tiers (accounts 0007–0009),
run on a database at the migration before it, as a deploy runs it."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from accounts.screening import ScreeningStatus

BEFORE = [("accounts", "0006_email_preferences")]
ANSWERED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def old_user_model(transactional_db):
    """The User model before the two tiers, with the database migrated back to it; afterwards the
    database is at the latest again, whatever happened."""
    try:
        MigrationExecutor(connection).migrate(BEFORE)
        yield (
            MigrationExecutor(connection)
            .loader.project_state(BEFORE, at_end=True)
            .apps.get_model("accounts", "User")
        )
    finally:
        call_command("migrate", interactive=False, verbosity=0)


def old_person(model, email: str, flags: list[str] | None):
    return model.objects.create(
        email=email, screening_flags=flags or [], screened_at=None if flags is None else ANSWERED
    ).pk


@pytest.fixture
def migrated(old_user_model, time_machine) -> dict[str, User]:
    time_machine.move_to(datetime(2026, 11, 30, 12, 0, tzinfo=UTC), tick=False)
    ids = {
        "none": old_person(old_user_model, "none@example.com", []),
        "bones_and_spine": old_person(
            old_user_model, "bones@example.com", ["osteoporosis", "spinal_condition"]
        ),
        "nerves": old_person(old_user_model, "nerves@example.com", ["nerve_symptoms", "osteoporosis"]),
        "injury": old_person(old_user_model, "injury@example.com", ["recent_injury"]),
        "pain": old_person(old_user_model, "pain@example.com", ["acute_pain"]),
        "never": old_person(old_user_model, "never@example.com", None),
    }
    call_command("migrate", interactive=False, verbosity=0)
    return {name: User.objects.get(pk=pk) for name, pk in ids.items()}


def test_osteoporosis_and_spinal_conditions_become_the_tier_two_answers(migrated):
    person = migrated["bones_and_spine"]

    assert person.tier2_answers == ["osteoporosis", "spinal_condition"]
    assert (person.screened_at, person.screening_due_reason) == (ANSWERED, "")
    assert person.screening_status == ScreeningStatus.DONE


def test_none_of_these_stays_an_answer_that_needs_no_new_questions_yet(migrated):
    person = migrated["none"]

    assert (person.tier2_answers, person.screening_status) == ([], ScreeningStatus.DONE)


@pytest.mark.parametrize("name", ["nerves", "injury", "pain"])
def test_injury_acute_pain_or_nerve_symptoms_are_asked_again_saying_the_questions_changed(migrated, name):
    person = migrated[name]

    assert person.screening_status == ScreeningStatus.DUE
    assert person.screening_due_reason.startswith("The safety questions have changed since you answered them")


def test_what_mapped_is_kept_as_the_answer_to_start_from(migrated):
    assert migrated["nerves"].tier2_answers == ["osteoporosis"]


def test_tier_one_is_marked_never_asked_so_nothing_has_changed_cannot_confirm_it(migrated):
    assert all(migrated[name].warning_signs is None for name in ("none", "nerves", "bones_and_spine"))
    assert migrated["never"].warning_signs == []


def test_someone_who_never_answered_still_has_to(migrated):
    person = migrated["never"]

    assert (person.screened_at, person.screening_status) == (None, ScreeningStatus.DUE)


def test_the_old_field_is_gone():
    assert "screening_flags" not in {field.name for field in User._meta.get_fields()}


def test_it_can_be_undone_keeping_what_maps_back(migrated):
    MigrationExecutor(connection).migrate(BEFORE)
    model = (
        MigrationExecutor(connection)
        .loader.project_state(BEFORE, at_end=True)
        .apps.get_model("accounts", "User")
    )

    assert model.objects.get(pk=migrated["bones_and_spine"].pk).screening_flags == [
        "osteoporosis",
        "spinal_condition",
    ]
    assert model.objects.get(pk=migrated["none"].pk).screening_flags == []
