import csv
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.journeys import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_a_session_logged_by_hand_shows_in_history_on_the_dashboard_and_in_the_csv(page):
    person = UserFactory(time_zone="Europe/London", screened_at=timezone.now(), display_name="Robin")
    log_in(page, person)

    page.goto("/")
    page.get_by_role("link", name="Log a session done elsewhere").click()
    page.get_by_label("Started at").fill("00:00")
    page.get_by_label("Finished at").fill("00:01")
    page.get_by_role("group", name="Tightness before").get_by_label("7", exact=True).check()
    page.get_by_role("group", name="Tightness after").get_by_label("3", exact=True).check()
    page.get_by_role("group", name="Pain").get_by_label("0", exact=True).check()
    page.get_by_label("Notes").fill("Stretched at the gym, felt looser")
    page.get_by_role("button", name="Log session").click()

    expect(page.get_by_text("Session logged.")).to_be_visible()
    expect(page.get_by_text("7 → 3")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(page.locator(".history-entry")).to_have_count(1)
    expect(page.locator(".history-entry")).to_contain_text("Tightness 7 → 3")

    page.goto("/")
    expect(page.locator(".big-number")).to_contain_text("1 day")
    expect(page.get_by_text(re.compile(r"1\s+of 4 sessions"))).to_be_visible()
    expect(page.locator("svg.heatmap rect.level-1")).to_have_count(1)

    page.goto("/progress/export/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download sessions.csv").click()
    download = download_info.value
    assert download.suggested_filename.startswith("unknot-sessions-")
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["tightness_before"] == "7"
    assert rows[0]["tightness_after"] == "3"
    assert rows[0]["notes"] == "Stretched at the gym, felt looser"
