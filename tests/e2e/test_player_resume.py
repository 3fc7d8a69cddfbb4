"""Leaving the player and coming back to it from the routine page and the dashboard."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.journeys import log_in, rating
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_run_left_midway_is_offered_on_the_routine_page_and_the_dashboard(page, settings):
    settings.PLAYER_TIME_SCALE = 1  # real time: the buttons move on, not the timer
    user = UserFactory(screened_at=timezone.now())
    routine = RoutineFactory(
        owner=user,
        title="Desk break",
        exercises=[ExerciseFactory(name="Chin tuck"), ExerciseFactory(name="Doorway stretch")],
    )
    log_in(page, user)

    page.goto(f"/routines/{routine.pk}/play/")
    rating(page, "right now").get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Done, next →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorway stretch")
    page.get_by_role("link", name="Leave the player").click()

    # The routine page: one tap back to where the person was.
    expect(page.get_by_role("heading", level=1)).to_have_text("Desk break")
    offer = page.get_by_role("region", name="Pick up where you left off?")
    expect(offer).to_contain_text("You stopped before exercise 2 of 2.")
    offer.get_by_role("link", name="Resume at exercise 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorway stretch")

    # The dashboard names the routine.
    page.goto("/")
    offer = page.get_by_role("region", name="Pick up “Desk break” where you left off?")
    expect(offer.get_by_role("link", name="Resume at exercise 2")).to_be_visible()
    offer.get_by_role("button", name="Discard it and start over").click()

    page.goto("/")
    expect(page.get_by_role("region", name="Pick up “Desk break” where you left off?")).to_have_count(0)
