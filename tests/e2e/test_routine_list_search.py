"""Finding a routine among many: a search that narrows as you type (htmx) and works as a plain GET
form without JavaScript, and a pager."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import log_in
from tests.factories import RoutineFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def person(transactional_db):
    user = UserFactory()
    for n in range(14):
        RoutineFactory(owner=user, title=f"Routine {n:02}")
    RoutineFactory(owner=user, title="Desk reset")
    return user


def test_the_routine_list_narrows_as_you_type_and_pages(page, person):
    log_in(page, person)
    page.goto("/routines/")
    results = page.locator("#routine-results")
    expect(results.locator(".card")).to_have_count(12)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("navigation", name="Pages of your routines").get_by_role("link", name="Next").click()
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("Page 2 of 2")
    expect(results.locator(".card")).to_have_count(3)

    page.get_by_label("Find a routine").press_sequentially("desk", delay=30)
    expect(results.locator(".card")).to_have_count(1)
    expect(results.locator(".card h3")).to_have_text("Desk reset")
    expect(page).to_have_url(re.compile(r"/routines/\?q=desk$"))
    assert page.evaluate("window.stillTheSamePage") is True


def test_the_routine_search_works_without_javascript(browser, live_server, person):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, person)
        page.goto("/routines/")
        page.get_by_label("Find a routine").fill("desk")
        page.get_by_role("button", name="Search").click()
        expect(page).to_have_url(re.compile(r"/routines/\?q=desk$"))
        expect(page.locator("#routine-results .card h3")).to_have_text("Desk reset")
        expect(page.get_by_role("heading", name="1 routine matching “desk”")).to_be_visible()
    finally:
        context.close()
