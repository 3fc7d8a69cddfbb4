"""Steps that several browser tests take, written once."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.factories import PASSWORD


def rating(page: Page, legend: str) -> Locator:
    """The 0–10 radio group whose legend matches, e.g. rating(page, "Any pain")."""
    return page.get_by_role("group", name=re.compile(legend))


def log_in(page: Page, user, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def sign_up_and_verify(page: Page, mailoutbox, *, email: str, name: str, password: str) -> None:
    """Sign up from the home page, then confirm by the link in the emailed message."""
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name (optional)").fill(name)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password (again):").fill(password)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
