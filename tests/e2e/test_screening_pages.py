"""The safety screening's pages in a real browser, at phone width: asked again after a painful
session, a warning sign that leads to the seek-help page, and a clinician's go-ahead."""

import re

import pytest
from playwright.sync_api import expect

from accounts.screening import Tier2, WarningSign
from tests.e2e.journeys import (
    assert_headings_in_order,
    check_layout_and_screenshot,
    log_in,
    log_in_with_the_form,
)
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_the_first_screening_reads_in_order_and_fits_a_phone(page):
    log_in(page, UserFactory(screened_at=None, time_zone="UTC"))

    page.goto("/welcome/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome: a short safety check")
    expect(page.get_by_role("group", name="Signs to get checked first")).to_be_visible()
    expect(page.get_by_role("group", name="Surgery in the last 12 months: where?")).to_be_visible()
    assert_headings_in_order(page)
    check_layout_and_screenshot(page, "screening", page.get_by_role("button", name="Save and continue"))


def test_asked_again_after_pain_a_new_warning_sign_leads_to_guidance_and_a_clinicians_go_ahead(page):
    person = UserFactory(
        tier2_answers=[Tier2.OSTEOPOROSIS],
        screening_due_reason="You reported pain of 8 out of 10 after your session on 3 November.",
    )
    routine = RoutineFactory(owner=person, title="Desk break", exercises=[ExerciseFactory()])
    log_in_with_the_form(page, person)  # the screening is due: logging in leads to it

    # After high pain, one tap is not enough: the questions again, the last answers filled in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your safety answers")
    expect(
        page.get_by_text("You reported pain of 8 out of 10 after your session on 3 November.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Nothing has changed")).to_have_count(0)
    expect(page.get_by_label(Tier2.OSTEOPOROSIS.label)).to_be_checked()
    assert_headings_in_order(page)
    check_layout_and_screenshot(page, "screening-again", page.get_by_role("button", name="Save my answers"))

    page.get_by_label(WarningSign.NERVE_CHANGES.label).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check this answer")
    expect(page.get_by_role("alert")).to_contain_text("and a sign as well. Untick one of them")
    expect(page.get_by_role("alert")).to_be_focused()  # the error summary, with a link to the answer
    expect(page.get_by_label(WarningSign.NERVE_CHANGES.label)).to_be_checked()
    page.get_by_label("None of these signs apply to me", exact=True).uncheck()
    page.get_by_role("button", name="Save my answers").click()

    expect(page).to_have_url(re.compile(r"/welcome/seek-help/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Please get checked before you stretch")
    expect(page.get_by_role("heading", name=WarningSign.NERVE_CHANGES.label)).to_be_visible()
    expect(page.get_by_text("Your GP or a physiotherapist", exact=True)).to_be_visible()
    assert_headings_in_order(page)
    check_layout_and_screenshot(
        page, "seek-help", page.get_by_role("button", name="Confirm and open my routines")
    )

    page.goto(f"/routines/{routine.pk}/play/")
    expect(page).to_have_url(re.compile(r"/welcome/seek-help/\?next="))
    page.get_by_label("A clinician has checked me and said I can exercise").check()
    page.get_by_role("button", name="Confirm and open my routines").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Desk break")
    expect(page.get_by_role("status")).to_contain_text("Your routines are open again.")
