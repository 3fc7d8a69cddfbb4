"""An adapted routine in a real browser: a person with low bone density sees that the morning
starter would be adapted for them, uses it, reads why child's pose was swapped, keeps it after
reading why, and goes back to the safer alternative."""

import re

import pytest
from playwright.sync_api import expect

from accounts.screening import Tier2
from tests.e2e.journeys import assert_headings_in_order, check_layout_and_screenshot, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

MORNING = "Morning upper-back routine"
SWAP = "Child's pose → Lying on your elbows, because of low bone density."


def test_a_person_with_low_bone_density_gets_an_adapted_routine_and_may_keep_the_original(page, library):
    log_in(page, UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS]))

    page.goto("/routines/")
    starter = page.locator("li.card", has=page.get_by_role("heading", name=MORNING))
    expect(starter).to_contain_text("1 exercise adapted for you")
    starter.get_by_role("button", name=re.compile("Customize")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Edit routine")
    expect(page.get_by_role("status").first).to_contain_text("We swapped 1 exercise for a safer one for you")
    expect(page.locator("#builder-items")).to_contain_text(SWAP)

    page.get_by_role("link", name="Why, or keep Child's pose").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MORNING)
    choice = page.locator("details.swap-choice")
    keep = choice.get_by_role("button", name="Keep Child's pose")
    expect(keep).to_be_hidden()  # the reason comes first
    choice.locator("summary").click()
    expect(choice).to_contain_text("Why Child's pose may not suit you: It holds your spine fully rounded")
    assert_headings_in_order(page)
    check_layout_and_screenshot(page, "adapted-routine", keep)

    keep.click()
    expect(page.get_by_role("status").first).to_contain_text("You kept Child's pose.")
    expect(page.get_by_text("Unsuitable for you")).to_be_visible()
    page.get_by_role("button", name=re.compile("Use the safer alternative again")).click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Lying on your elbows is back in place of Child's pose."
    )
    expect(page.locator("main")).to_contain_text(SWAP)
