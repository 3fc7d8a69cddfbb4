"""A starter in one tap: "Start now" lands in the player, with and without JavaScript."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from routines.models import Routine
from tests.e2e.journeys import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

DESK_BREAK = "5-minute desk break"


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_start_now_on_a_starter_opens_the_player_in_one_tap(
    browser, live_server, transactional_db, javascript, library
):
    user = UserFactory(screened_at=timezone.now())
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    try:
        log_in(page, user)
        page.goto("/routines/")
        page.get_by_role("button", name=re.compile(rf"^Start now\s*:\s*{re.escape(DESK_BREAK)}$")).click()

        expect(page.get_by_role("heading", level=1)).to_have_text(DESK_BREAK)
        expect(page.get_by_role("button", name="Start")).to_be_visible()
        copy = Routine.objects.get(owner=user)
        assert page.url.endswith(f"/routines/{copy.pk}/play/")
        expect(page.get_by_role("status")).to_contain_text(f"“{DESK_BREAK}” is now in your routines")
    finally:
        context.close()
