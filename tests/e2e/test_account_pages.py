"""The account pages as a person meets them: our words and layout, and after a form error the
focus on a summary whose links lead to the fields. With screenshots, on a phone and a desktop."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import assert_headings_in_order, check_layout_and_screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_a_wrong_password_moves_focus_to_the_summary_which_leads_to_the_field(page):
    UserFactory(email="sam@example.com")
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page).to_have_title(re.compile(r"^Log in · Unknot$"))
    check_layout_and_screenshot(page, "login", page.get_by_role("button", name="Log in"))

    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Password", exact=True).fill("not-my-password")
    page.get_by_label("Remember me on this device").check()
    page.get_by_role("button", name="Log in").click()

    summary = page.get_by_role("alert").filter(has_text="Please check this answer")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("That email and password do not match an account.")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email")).to_have_value("sam@example.com")
    assert_headings_in_order(page)
    check_layout_and_screenshot(page, "login-error", summary)


def test_a_sign_up_error_summary_links_to_the_field_and_focuses_it(page):
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    check_layout_and_screenshot(page, "signup", page.get_by_role("button", name="Sign up"))
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Password", exact=True).fill("a-long-browser-password")
    page.get_by_label("Password (again)", exact=True).fill("a-long-browser-password")
    page.get_by_role("button", name="Sign up").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("^Email – ")).click()
    expect(page.get_by_label("Email")).to_be_focused()


def test_without_javascript_the_error_summary_is_still_there(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill("nobody@example.com")
        page.get_by_label("Password", exact=True).fill("whatever-it-is")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert").filter(has_text="Please check this answer")).to_be_visible()
    finally:
        context.close()


def test_the_confirmation_email_leads_to_our_confirm_page(page, mailoutbox):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-browser-password")
    page.get_by_label("Password (again)", exact=True).fill("a-long-browser-password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_layout_and_screenshot(page, "check-your-email", page.get_by_role("heading", level=1))

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    expect(page.get_by_text("Is ana@example.com your email address?")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
