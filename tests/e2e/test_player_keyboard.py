"""The guided player driven from the keyboard alone: rating, start, pause, next and back."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.journeys import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

DESK_BREAK = "5-minute desk break"


def focused(page: Page) -> dict:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return {tag: el.tagName, type: el.type || '', name: el.name || '', value: el.value || '',"
        " text: (el.textContent || '').trim()}; }"
    )


def tab_until(page: Page, wanted, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element
    raise AssertionError(f"Tab never reached the element; last focused: {element}")


def test_the_player_can_be_used_with_the_keyboard_alone(page, settings, library):
    settings.PLAYER_TIME_SCALE = 1  # real time, so the timer never moves on by itself mid-test
    user = UserFactory(screened_at=timezone.now())
    log_in(page, user)
    page.goto("/routines/")
    page.get_by_role("button", name=re.compile(rf"Customize\s*:\s*{re.escape(DESK_BREAK)}")).click()
    total = page.locator("li.item").count()
    page.get_by_role("link", name="Play this routine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DESK_BREAK)

    # The rating: Tab into the radio group, arrow keys to choose, Tab on to Start, Enter.
    tab_until(page, lambda el: el["type"] == "radio" and el["name"] == "tightness_before")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    rating = page.get_by_role("group", name=re.compile("right now"))
    expect(rating.get_by_label("4", exact=True)).to_be_checked()
    expect(rating.get_by_label("4", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Start")).to_be_focused()
    page.keyboard.press("Enter")

    progress = page.locator(".player-progress")
    pause = page.locator("#pause-button")
    phase = page.locator("#phase")
    announcer = page.locator("#announcer")
    expect(progress).to_contain_text(f"Exercise 1 of {total}")
    expect(page.locator("#shortcuts")).to_be_visible()
    expect(page.locator("#shortcuts")).to_have_text(re.compile(r"Keyboard:\s*Space\s*pause or resume"))
    expect(page.locator("#countdown")).to_be_visible()
    expect(announcer).to_have_text("")  # nothing is announced while the page loads

    page.keyboard.press("t")  # the time left, on request
    expect(announcer).to_have_text(
        re.compile(r"^\d+ seconds? left: Get into position\. About .* left in this exercise\.$")
    )

    page.keyboard.press("Space")
    expect(pause).to_have_text("Resume")
    expect(pause).to_have_attribute("aria-pressed", "true")
    expect(phase).to_have_text(re.compile(r"^Paused"))
    expect(announcer).to_have_text("Paused")

    page.keyboard.press("Space")
    expect(pause).to_have_text("Pause")
    expect(pause).to_have_attribute("aria-pressed", "false")
    expect(phase).not_to_have_text(re.compile("Paused"))
    expect(announcer).to_have_text("Resumed")

    page.keyboard.press("ArrowRight")
    expect(progress).to_contain_text(f"Exercise 2 of {total}")
    expect(announcer).to_have_text("")

    page.keyboard.press("ArrowLeft")
    expect(progress).to_contain_text(f"Exercise 1 of {total}")
    expect(page.get_by_role("button", name="← Back")).to_be_disabled()
