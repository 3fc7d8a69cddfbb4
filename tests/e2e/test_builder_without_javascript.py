"""The builder and the player as plain forms: everything still works with JavaScript switched off."""

import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.journeys import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

DESK_BREAK = "5-minute desk break"


@pytest.fixture
def page(browser, live_server, transactional_db, request):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        os.makedirs("test-artifacts", exist_ok=True)
        page.screenshot(path=f"test-artifacts/{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture
def logged_in_with_a_routine(page: Page, library) -> Page:
    user = UserFactory(screened_at=timezone.now())
    log_in(page, user)

    page.goto("/routines/")
    page.get_by_role("button", name=re.compile(rf"Customize\s*:\s*{re.escape(DESK_BREAK)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit routine")
    return page


def item_names(page: Page) -> list[str]:
    return [name.strip() for name in page.locator("li.item h3").all_inner_texts()]


def test_moving_an_item_down_reloads_the_builder_with_the_new_order(logged_in_with_a_routine):
    page = logged_in_with_a_routine
    before = item_names(page)
    assert len(before) >= 2

    page.get_by_role("button", name=f"Move {before[0]} down").click()

    expect(page.locator(".messages")).to_contain_text(f"Moved {before[0]} down.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit routine")
    assert item_names(page) == [before[1], before[0], *before[2:]]
    expect(page.get_by_role("button", name=f"Move {before[0]} up")).to_be_enabled()
    expect(page.get_by_role("button", name=f"Move {before[1]} up")).to_be_disabled()


def test_an_invalid_hold_is_explained_next_to_the_field_and_keeps_what_was_typed(logged_in_with_a_routine):
    page = logged_in_with_a_routine
    first = item_names(page)[0]
    item = page.locator("li.item").filter(has=page.get_by_role("heading", name=first, exact=True))

    item.get_by_label("Hold").fill("200")
    item.get_by_role("button", name=re.compile(rf"^Save\s+{re.escape(first)}")).click()

    item = page.locator("li.item").filter(has=page.get_by_role("heading", name=first, exact=True))
    hold = item.locator(".field-hold_seconds")
    expect(hold.locator(".field-error")).to_have_text("Hold must be from 5 to 120 seconds.")
    expect(hold.get_by_label("Hold")).to_have_value("200")
    expect(page.locator(".field-error")).to_have_count(1)  # only that field, only that item


def test_the_player_works_with_the_done_button_alone(logged_in_with_a_routine):
    page = logged_in_with_a_routine
    names = item_names(page)

    page.get_by_role("link", name="Play this routine").click()
    page.get_by_role("group", name=re.compile("right now")).get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Start").click()

    expect(page.locator(".player-progress")).to_contain_text(f"Exercise 1 of {len(names)}")
    expect(page.get_by_role("heading", level=1)).to_have_text(names[0])
    # No timer without JavaScript: no countdown, no pause, no shortcuts, just the buttons.
    expect(page.locator("#countdown")).to_be_hidden()
    expect(page.get_by_role("button", name="Pause")).to_be_hidden()
    expect(page.locator("#shortcuts")).to_be_hidden()
    expect(page.get_by_role("button", name="← Back")).to_be_disabled()

    # Instead, a hint to time the holds yourself, and Done asks whether the hold was full.
    expect(page.locator("#no-timer-hint")).to_contain_text("time each hold yourself")

    for number, name in enumerate(names, start=1):
        expect(page.locator(".player-progress")).to_contain_text(f"Exercise {number} of {len(names)}")
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        last = number == len(names)
        if number == 1:
            page.get_by_role("button", name="Done, not timed").click()
        else:
            page.get_by_role(
                "button", name="Held the full time, finish →" if last else "Held the full time, next →"
            ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("How did that go?")
    summary = page.locator(".run-summary li")
    expect(summary).to_have_count(len(names))
    lines = [line.strip() for line in summary.all_inner_texts()]
    assert lines[0] == f"{names[0]}: done, not timed"
    for line, name in zip(lines[1:], names[1:], strict=True):
        # Held the full time, but never more than the seconds really spent on the step.
        assert re.fullmatch(rf"{re.escape(name)}: done \(\d+ s held\)", line), line
