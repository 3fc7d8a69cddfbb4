"""Steps that several browser tests take, written once."""

import itertools
import os
import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from playwright.sync_api import Locator, Page, expect

from tests.factories import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def rating(page: Page, legend: str) -> Locator:
    """The 0–10 radio group whose legend matches, e.g. rating(page, "Any pain")."""
    return page.get_by_role("group", name=re.compile(legend))


def log_in(page: Page, user) -> None:
    """Log `user` in on the page's browser by a session cookie, as the login form leaves it, for
    the tests about something else: the form costs two page loads. The page stays where it is.

    The form has tests of its own (test_account_pages.py, test_library_and_signup.py), and
    log_in_with_the_form is for the tests where the page that logging in leads to is the point."""
    client = Client()
    client.force_login(user, backend="accounts.backends.AuthenticationBackend")  # allauth's, as the form
    name = settings.SESSION_COOKIE_NAME
    cookie = {"name": name, "value": client.cookies[name].value, "httpOnly": True, "sameSite": "Lax"}
    page.context.add_cookies([{**cookie, "url": settings.SITE_URL}])  # the live server (conftest.py)


def log_in_with_the_form(page: Page, user) -> None:
    """Log in by the login form (with the factories' password), and land where it leads."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def sign_up_and_verify(page: Page, mailoutbox, *, email: str, name: str, password: str) -> None:
    """Sign up from the home page, then confirm by the link in the emailed message."""
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name (optional)").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)", exact=True).fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()


def check_layout_and_screenshot(page: Page, name: str, *must_see: Locator) -> None:
    """At phone and desktop widths, nothing sticks out sideways and `must_see` is on screen
    without scrolling sideways; with SCREENSHOTS=1 the pages are saved as
    docs/screenshots/<name>-phone.png and <name>-desktop.png."""
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {viewport['width']}px screen"
        for locator in must_see:
            box = locator.bounding_box()
            assert 0 <= box["x"] <= box["x"] + box["width"] <= viewport["width"], (
                f"On {name} at {viewport['width']}px, {locator} is off to the side"
            )
        if os.environ.get("SCREENSHOTS") == "1":
            page.screenshot(path=SCREENSHOTS / f"{name}-{size}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def assert_headings_in_order(page: Page) -> None:
    """One h1 first, and no heading more than one level below the one before it."""
    levels = page.evaluate(
        "Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4'))"
        ".map(h => Number(h.tagName[1]))"
    )
    assert levels[:1] == [1], levels
    assert levels.count(1) == 1, levels
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels)), levels
