"""A trainer assigns a routine from a client's page, and the client sees it on their dashboard."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.journeys import log_in
from tests.factories import ExerciseFactory, RoutineFactory, TrainerClientFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_trainer_assigns_a_routine_from_the_clients_page(page):
    trainer = TrainerFactory(display_name="Alex", screened_at=timezone.now())
    link = TrainerClientFactory(trainer=trainer, client=UserFactory(display_name="Priya"))
    RoutineFactory(owner=trainer, title="Desk reset", exercises=[ExerciseFactory()])
    log_in(page, trainer)

    page.goto("/coach/")
    page.get_by_role("link", name="Priya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya")
    page.get_by_role("link", name="Assign a routine to Priya").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Assign to Priya")
    page.get_by_role("button", name="Assign").click()  # nothing chosen yet
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_text("Choose a routine to assign.", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Routine – Choose a routine to assign.")).to_be_visible()
    page.get_by_label("Routine").select_option(label="Desk reset")
    for day in ("Monday", "Wednesday", "Friday"):
        page.get_by_label(day).check()
    page.get_by_label("Instructions (optional)").fill("Slowly, and stop if it pinches.")
    page.get_by_role("button", name="Assign").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Priya")
    expect(page.get_by_role("status")).to_contain_text("Assigned “Desk reset” to Priya.")
    assigned = page.locator(".card", has_text="Desk reset")
    expect(assigned).to_contain_text("Mon, Wed, Fri")
    assert link.assignments.get().routine.owner == link.client
