"""A trainer and a new client, each in their own browser: invite, accept, assign, play, and the
trainer hears about the client's pain at once."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import WEEKDAY_NAMES, User
from progress.models import SessionLog
from progress.selectors import local_today
from routines.models import Exercise
from tests.e2e.journeys import DESKTOP, check_layout_and_screenshot, log_in, rating
from tests.factories import RoutineFactory, TrainerFactory

pytestmark = pytest.mark.e2e

CLIENT_EMAIL = "robin@example.com"
CLIENT_PASSWORD = "a-long-client-password"
ROUTINE = "Desk reset"


@pytest.fixture
def trainer_page(browser, live_server, page):
    """A second browser, with its own cookies, for the trainer (`page` is the client's)."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    trainer_page = context.new_page()
    trainer_page.set_default_timeout(10_000)
    yield trainer_page
    context.close()


def test_a_trainer_invites_a_new_client_assigns_a_routine_and_hears_about_their_pain(
    page, trainer_page, mailoutbox, settings, library
):
    settings.PLAYER_TIME_SCALE = 0.02  # a 20 s hold takes 0.4 s
    trainer = TrainerFactory(display_name="Coach Sam", screened_at=timezone.now())
    routine = RoutineFactory(
        owner=trainer,
        title=ROUTINE,
        exercises=[
            Exercise.objects.get(slug="shoulder-rolls"),
            Exercise.objects.get(slug="wall-lean-stretch"),
        ],
    )

    # The trainer invites a new address.
    log_in(trainer_page, trainer)
    trainer_page.goto("/coach/")
    expect(trainer_page.get_by_role("heading", level=1)).to_have_text("Your clients")
    expect(trainer_page.get_by_text("No clients yet.")).to_be_visible()
    trainer_page.get_by_role("link", name="Invite a client").click()
    trainer_page.get_by_label("Client’s email address").fill(CLIENT_EMAIL)
    trainer_page.get_by_label("A note in the email (optional)").fill("See you on Thursday!")
    trainer_page.get_by_role("button", name="Send invitation").click()
    expect(trainer_page.get_by_role("status")).to_contain_text(f"Invitation sent to {CLIENT_EMAIL}.")
    expect(trainer_page.get_by_role("button", name=f"Send again to {CLIENT_EMAIL}")).to_be_visible()

    [invitation] = mailoutbox
    assert invitation.to == [CLIENT_EMAIL]
    assert invitation.subject.endswith("Coach Sam invited you to Unknot")
    assert "See you on Thursday!" in invitation.body
    link = re.search(r"https?://\S+/invite/\S+/", invitation.body).group(0)

    # The client follows the link, signs up from it with the invited address, and accepts.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Coach Sam invited you to Unknot")
    expect(page.get_by_text("See you on Thursday!")).to_be_visible()
    page.get_by_role("link", name=f"Create an account for {CLIENT_EMAIL}").click()
    page.get_by_label("Email").fill(CLIENT_EMAIL)
    page.get_by_label("Your name (optional)").fill("Robin")
    page.get_by_label("Password", exact=True).fill(CLIENT_PASSWORD)
    page.get_by_label("Password (again)", exact=True).fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # No confirmation email: the invitation proved the address. Back on the invitation, logged in.
    expect(page).to_have_url(link)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert len(mailoutbox) == 1
    expect(page.get_by_role("heading", name="What Coach Sam will see")).to_be_visible()
    for label in ("My tightness and pain ratings", "Safety alerts", "The notes I write"):
        expect(page.get_by_label(label)).to_be_checked()
    check_layout_and_screenshot(page, "invitation", page.get_by_role("button", name="Accept"))
    page.get_by_role("button", name="Accept").click()

    expect(page.get_by_role("status")).to_contain_text("You are now a client of Coach Sam.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Robin")

    # A new person: the safety questions are asked on every page until answered.
    expect(page.get_by_role("complementary", name="Safety questions")).to_be_visible()

    # The trainer sees the new client and assigns the routine for today, in the client's calendar.
    client = User.objects.get(email=CLIENT_EMAIL)
    today = local_today(client)
    trainer_page.goto("/coach/")
    roster_row = trainer_page.get_by_role("row").filter(
        has=trainer_page.get_by_role("rowheader", name="Robin")
    )
    expect(roster_row).to_contain_text("Nothing due yet")
    expect(roster_row).to_contain_text("None yet")

    trainer_page.goto(routine.get_absolute_url())
    trainer_page.get_by_role("link", name="Assign to clients").click()
    expect(trainer_page.get_by_role("heading", level=1)).to_have_text(f"Assign “{ROUTINE}”")
    trainer_page.get_by_label(f"Robin ({CLIENT_EMAIL})").check()
    trainer_page.get_by_label(WEEKDAY_NAMES[today.weekday()]).check()
    trainer_page.get_by_label("From").fill(today.isoformat())
    trainer_page.get_by_label("Instructions (optional)").fill("Go gently; stop if it hurts.")
    trainer_page.get_by_role("button", name="Assign").click()
    expect(trainer_page.get_by_role("status")).to_contain_text(f"Assigned “{ROUTINE}” to Robin.")
    expect(trainer_page.get_by_role("heading", level=1)).to_have_text("Robin")

    # The client finds it due today on their dashboard, plays it, and reports strong pain.
    page.goto("/")
    assigned = page.get_by_role("region", name="From your trainer")
    expect(assigned.get_by_role("listitem").filter(has_text=ROUTINE)).to_contain_text("from Coach Sam")
    expect(assigned).to_contain_text("Due today.")
    expect(assigned).to_contain_text("Go gently; stop if it hurts.")
    assigned.get_by_role("link", name=f"Start “{ROUTINE}”").click()

    # Not screened yet: the screening comes first (with the time zone), then the player.
    expect(page).to_have_url(re.compile(r"/welcome/\?next="))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    check_layout_and_screenshot(
        page, "screening", page.get_by_label("None of these signs apply to me", exact=True)
    )
    page.get_by_label("Your time zone").fill("Europe/London")
    page.get_by_label("None of these signs apply to me", exact=True).check()
    page.get_by_label("None of these apply to me", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("complementary", name="Safety questions")).to_have_count(0)

    expect(page.get_by_role("heading", level=1)).to_have_text(ROUTINE)
    rating(page, "right now").get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How did that go?", timeout=30_000)
    rating(page, "feel now").get_by_label("4", exact=True).check()
    rating(page, "Any pain").get_by_label("8", exact=True).check()
    page.get_by_role("button", name="Save session").click()

    guidance = page.get_by_role("alert")
    expect(guidance.get_by_role("heading", level=2)).to_have_text("Stop stretching for now and get advice")
    expect(guidance).to_contain_text("pain of 8 out of 10")
    session = SessionLog.objects.get(user=client)
    assert session.assignment.link.trainer == trainer

    # The trainer got the alert by email, and the roster flags the client.
    _, alert = mailoutbox
    assert alert.to == [trainer.email]
    assert alert.subject.endswith("Robin reported pain of 8/10")
    assert "Pain: 8/10" in alert.body

    trainer_page.goto("/coach/")
    pain_flag = roster_row.get_by_text("⚠ Pain 7+ or a red flag")
    expect(pain_flag).to_be_visible()
    expect(roster_row).to_contain_text("1 / 1")
    expect(roster_row).to_contain_text(today.strftime("%a %-d %b"))
    check_layout_and_screenshot(trainer_page, "roster", pain_flag)
