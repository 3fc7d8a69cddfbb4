"""The roster on a 390 px phone: one card per client, no word broken, flags on their own lines,
and two clients with the same name told apart by their address."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress.selectors import local_today
from tests.e2e.journeys import PHONE, check_layout_and_screenshot, log_in
from tests.factories import TrainerClientFactory, TrainerFactory, UserFactory, assignment_create

pytestmark = pytest.mark.e2e


def test_the_roster_fits_a_phone_and_tells_namesakes_apart(page, log_session):
    trainer = TrainerFactory(display_name="Alex", screened_at=timezone.now())
    sams = [
        TrainerClientFactory(trainer=trainer, client=UserFactory(display_name="Sam Lee", email=email))
        for email in ("sam.lee@example.com", "sam.lee.runner@example.org")
    ]
    priya = TrainerClientFactory(trainer=trainer, client=UserFactory(display_name="Priya Natarajan"))
    assignment = assignment_create(priya)
    today = local_today(priya.client)
    log_session(priya.client, today - timedelta(days=2), pain=8, routine=assignment.routine)
    TrainerClientFactory(trainer=trainer, client=UserFactory(display_name="Tom"))  # nothing due yet
    log_in(page, trainer)
    page.set_viewport_size(PHONE)
    page.goto("/coach/")

    rows = page.get_by_role("row").filter(has=page.get_by_role("rowheader"))
    expect(rows).to_have_count(4)
    for link in sams:
        row = rows.filter(has_text=link.client.email)
        expect(row).to_have_count(1)
        expect(row.get_by_role("rowheader")).to_contain_text("Sam Lee")

    # Each phrase and flag sits on one line: nothing like "Nothin/g due yet".
    for text in ("Nothing due yet", "None yet"):
        for element in page.locator(".roster .muted", has_text=text).all():
            assert element.evaluate("e => e.getClientRects().length") == 1, text
            assert element.evaluate("e => e.getBoundingClientRect().height < 30"), text
    flags = page.locator(".roster .flag-tag")
    expect(flags.first).to_be_visible()
    for flag in flags.all():
        box = flag.bounding_box()
        assert box["height"] < 40, flag.inner_text()  # one line, not three
        assert 0 <= box["x"] <= box["x"] + box["width"] <= PHONE["width"], flag.inner_text()
    # Each cell is led by its column's name, as a card reads.
    priya_row = rows.filter(has_text="Priya Natarajan")
    expect(priya_row.get_by_role("cell").first).to_be_visible()
    label = priya_row.locator("td[data-label='Flags']").evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert label == '"Flags"'

    check_layout_and_screenshot(page, "roster", flags.first)
