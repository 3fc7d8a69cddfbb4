import re

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import sign_up_and_verify
from tests.factories import ExerciseFactory, MuscleFactory

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-browser-password"


def test_the_library_narrows_as_you_type_without_reloading_the_page(page, library):
    page.goto("/exercises/")
    total = page.locator(".card").count()
    assert total >= 20
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Search").press_sequentially("doorway", delay=30)

    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".card h3")).to_contain_text("Doorway")
    expect(page).to_have_url(re.compile(r"/exercises/\?.*q=doorway"))
    assert page.evaluate("window.stillTheSamePage") is True

    page.locator(".card h3 a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Doorway")
    expect(page.get_by_role("heading", name="Steps")).to_be_visible()
    expect(page.locator("ol.steps li").first).to_be_visible()


def test_the_library_pages_without_reloading_and_keeps_the_filter(page):
    rhomboids = MuscleFactory(slug="rhomboids")
    ExerciseFactory.create_batch(30, targets=[rhomboids])
    page.goto("/exercises/?muscle=rhomboids")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("navigation", name="Pages of exercises").get_by_role("link", name="Next").click()

    expect(page.locator(".pagination [aria-current=page]")).to_have_text("Page 2 of 2")
    expect(page.locator(".card")).to_have_count(6)
    expect(page).to_have_url(re.compile(r"/exercises/\?muscle=rhomboids&page=2$"))
    assert page.evaluate("window.stillTheSamePage") is True


def test_a_shared_filter_url_works_without_javascript(browser, live_server, transactional_db, library):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()

    page.goto("/exercises/")
    page.get_by_label("Who").select_option("partner")
    page.get_by_role("button", name="Show exercises").click()

    expect(page).to_have_url(re.compile(r"who=partner"))
    names = page.locator(".card h3").all_inner_texts()
    assert names
    assert all("partner" in card.lower() for card in page.locator(".card .tag").all_inner_texts()[::2])
    context.close()


def test_an_exercise_page_prints_without_navigation(page, library):
    page.goto("/exercises/")
    page.locator(".card h3 a").first.click()

    page.emulate_media(media="print")

    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_sign_up_verify_by_the_emailed_link_then_log_out_and_in(page, mailoutbox):
    sign_up_and_verify(page, mailoutbox, email="lee@example.com", name="Lee", password=PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("lee@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
