"""The dashboard's charts on a phone: labels big enough to read, and their data open beneath them."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from progress.selectors import local_today
from tests.e2e.journeys import PHONE, check_layout_and_screenshot, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

SMALLEST_READABLE_PX = 13  # height of a label's box, about 1.15 × its font size; the issue saw 5 px text


def label_heights(page, chart: str) -> list[float]:
    return page.evaluate(
        "chart => Array.from(document.querySelectorAll(`svg.${chart} text`))"
        ".map(t => t.getBoundingClientRect().height)",
        chart,
    )


def test_the_charts_can_be_read_on_a_phone(page, log_session):
    person = UserFactory(time_zone="Europe/London", screened_at=timezone.now(), display_name="Robin")
    today = local_today(person)
    for days_ago in range(0, 54, 2):  # every other day for eight weeks, easing off over time
        log_session(person, today - timedelta(days=days_ago), before=5 + days_ago // 18, after=3, at=time(7))
    log_in(page, person)
    page.set_viewport_size(PHONE)
    page.goto("/")

    for chart in ("heatmap", "trend", "relief"):
        heights = label_heights(page, chart)
        assert heights, chart
        assert min(heights) >= SMALLEST_READABLE_PX, (chart, min(heights))
    # The data beneath each chart is open, whole and inside the screen.
    for name in (
        "Days with a session",
        "Tightness before and after, as a table",
        "Relief by week, as a table",
    ):
        data = page.get_by_role("region", name=name)
        expect(data).to_be_visible()
        box = data.bounding_box()
        assert 0 <= box["x"] <= box["x"] + box["width"] <= PHONE["width"], name
    table = page.get_by_role("region", name="Relief by week, as a table").locator("table")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")

    check_layout_and_screenshot(page, "dashboard", page.locator("svg.trend"))
