"""The programme in a real browser: start it, log three easy pain-free sessions, see the step up
and its reason on the dashboard, log pain of 6, see the step back; the plan's screenshots."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.journeys import DESKTOP, PHONE, SCREENSHOTS, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

SESSION = "Upper-back reset: session"


def check_plan_layout_and_screenshot(page: Page, plan) -> None:
    """Nothing sticks out sideways at phone and desktop widths; with SCREENSHOTS=1 the plan
    itself is saved as docs/screenshots/programme-plan-phone.png and -desktop.png."""
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        box = plan.get_by_text("Next time:").first.bounding_box()
        assert 0 <= box["x"] <= box["x"] + box["width"] <= viewport["width"]
        if os.environ.get("SCREENSHOTS") == "1":
            plan.screenshot(path=SCREENSHOTS / f"programme-plan-{size}.png")
    page.set_viewport_size(DESKTOP)


def log_the_session(page: Page, *, pain: int, band_row: str = "") -> None:
    """From the dashboard's plan: "Log it, done away from the app", with the session's ratings."""
    page.goto("/")
    plan = page.get_by_role("region", name="This week’s plan")
    plan.get_by_role("link", name="Log it, done away from the app").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    expect(page.get_by_label("Routine").locator("option:checked")).to_have_text(SESSION)
    page.get_by_role("group", name="Tightness before").get_by_label("5", exact=True).check()
    page.get_by_role("group", name="Tightness after").get_by_label("3", exact=True).check()
    page.get_by_role("group", name="Pain").get_by_label(str(pain), exact=True).check()
    if band_row:
        page.get_by_role("group", name="Band row", exact=True).get_by_label(band_row, exact=True).check()
    page.get_by_role("button", name="Log session").click()
    expect(page.get_by_text("Session logged")).to_be_visible()


def test_the_programme_steps_up_after_three_easy_sessions_and_back_after_pain(page, library):
    person = UserFactory(time_zone="Europe/London", screened_at=timezone.now(), display_name="Robin")
    log_in(page, person)
    page.goto("/")

    # Start the programme, with strength.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upper-back reset, 6 weeks")
    page.get_by_label("Mobility with strength").check()
    page.get_by_role("button", name="Start the programme").click()
    expect(page.get_by_text("Your programme has started.")).to_be_visible()

    page.goto("/")
    plan = page.get_by_role("region", name="This week’s plan")
    expect(plan).to_contain_text("Upper-back reset: week 1 of 6")
    expect(plan).to_contain_text("Band row: 2 × 10")

    # Three easy, pain-free sessions: the third moves each exercise on, saying why.
    log_the_session(page, pain=0, band_row="Just right")
    log_the_session(page, pain=1, band_row="Too easy")
    log_the_session(page, pain=0)
    page.goto("/")
    plan = page.get_by_role("region", name="This week’s plan")
    expect(plan).to_contain_text("Band row: 3 × 10")
    expect(plan).to_contain_text(
        "Next time: 3 × 10 instead of 2 × 10, because your last three sessions had little pain (3 or less)."
    )
    check_plan_layout_and_screenshot(page, plan)

    # Choosing the routine in the log form asks "How did that feel?" for its exercises (htmx).
    page.goto("/progress/sessions/new/")
    expect(page.get_by_role("group", name="Band row", exact=True)).to_have_count(0)
    page.get_by_label("Routine").select_option(label=SESSION)
    expect(page.get_by_role("group", name="Band row", exact=True)).to_be_visible()

    # Pain of 6: every exercise of that session steps back.
    log_the_session(page, pain=6)
    page.goto("/")
    plan = page.get_by_role("region", name="This week’s plan")
    expect(plan).to_contain_text("Band row: 2 × 10")
    expect(plan).to_contain_text(
        "Next time: 2 × 10 instead of 3 × 10, because your last session hurt (pain 6 out of 10)."
    )

    # The history lists both, with their reasons; the step up can no longer be undone (changed since).
    page.get_by_role("link", name="How your plan moves on, and every change").click()
    changes = page.get_by_role("region", name="Every change, and why")
    expect(changes).to_contain_text("Stepped back")
    expect(changes).to_contain_text("Stepped up")
    expect(changes).to_contain_text("Band row, 3 × 10 instead of 2 × 10")
