"""Safety from invitation to alert, in two browsers: a client invited by their trainer is screened
before their first routine, gets the assigned routine adapted to what they answered, presses
"Stop: something feels wrong" with a red flag, and their trainer's alert arrives."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from coaching.services import invitation_send, routine_assign
from progress.models import SessionLog
from progress.selectors import local_today
from routines.models import Exercise
from tests.e2e.journeys import check_layout_and_screenshot, rating
from tests.factories import RoutineFactory, TrainerFactory

pytestmark = pytest.mark.e2e

CLIENT_EMAIL = "ada@example.com"
CLIENT_PASSWORD = "a-long-client-password"


def test_an_invited_client_is_screened_gets_an_adapted_routine_stops_with_a_red_flag_and_the_trainer_hears(
    page, mailoutbox, settings, library
):
    settings.PLAYER_TIME_SCALE = 0.1
    trainer = TrainerFactory(display_name="Coach Sam", screened_at=timezone.now())
    trainer_routine = RoutineFactory(
        owner=trainer,
        title="Evening unwind",
        exercises=[Exercise.objects.get(slug="childs-pose"), Exercise.objects.get(slug="shoulder-rolls")],
    )
    invitation_send(trainer=trainer, email=CLIENT_EMAIL)
    [invitation] = mailoutbox
    link = re.search(r"https?://\S+/invite/\S+/", invitation.body).group(0)

    # The client signs up through the invitation and accepts it: no welcome step on this way in.
    page.goto(link)
    page.get_by_role("link", name=f"Create an account for {CLIENT_EMAIL}").click()
    page.get_by_label("Email").fill(CLIENT_EMAIL)
    page.get_by_label("Your name (optional)").fill("Ada")
    page.get_by_label("Password", exact=True).fill(CLIENT_PASSWORD)
    page.get_by_label("Password (again)", exact=True).fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(link)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("You are now a client of Coach Sam.")

    # The trainer assigns their routine, with child's pose in it, before the client answered anything.
    client = User.objects.get(email=CLIENT_EMAIL)
    [assignment] = routine_assign(
        routine=trainer_routine,
        links=[trainer.client_links.get(client=client)],
        weekdays=list(range(7)),
        starts_on=local_today(client),
        ends_on=None,
        instructions="",
    )

    # Start on the dashboard: the screening comes first, with the time zone.
    page.goto("/")
    page.get_by_role("region", name="From your trainer").get_by_role(
        "link", name="Start “Evening unwind”"
    ).click()
    expect(page).to_have_url(re.compile(r"/welcome/\?next="))
    page.get_by_label("Your time zone").fill("Europe/Lisbon")
    page.get_by_label("None of these signs apply to me", exact=True).check()
    page.get_by_label("Low bone density or osteoporosis").check()
    page.get_by_role("button", name="Save and continue").click()

    # Back at the routine it was going to: child's pose is swapped for lying on your elbows, and why.
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening unwind")
    client.refresh_from_db()
    assert client.time_zone == "Europe/Lisbon"
    assert [item.exercise.slug for item in assignment.routine.items.order_by("order")] == [
        "prone-on-elbows",
        "shoulder-rolls",
    ]
    rating(page, "right now").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lying on your elbows")
    expect(page.locator(".swap-note")).to_have_text(
        "Lying on your elbows, in place of Child's pose, because of low bone density."
    )
    expect(page.locator("details#safety-panel summary")).to_have_text(
        "Safety: stop if…, and the most common mistake"
    )

    # Something feels wrong: Stop, and tell what.
    page.get_by_role("button", name="Stop: something feels wrong").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You stopped. What did you notice?")
    page.get_by_label("Pain spreading down an arm").check()
    page.get_by_role("button", name="Save and see what to do").click()

    guidance = page.get_by_role("alert")
    expect(guidance.get_by_role("heading", level=2)).to_have_text("Stop stretching for now and get advice")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\s*Session saved\.\s*$"))
    session = SessionLog.objects.get(user=client)
    assert (session.stopped_early, session.arm_pain, session.assignment) == (True, True, assignment)

    # The trainer's alert, through the outbox, names the red flag.
    _, alert = mailoutbox
    assert alert.to == [trainer.email]
    assert "Ada stopped a session and reported a red flag" in alert.subject
    assert "Pain spreading down an arm" in alert.body


def test_what_we_left_out_reads_well_on_a_phone_and_a_desktop(page):
    page.goto("/what-we-left-out/")

    expect(page.get_by_role("heading", level=1)).to_have_text("What we left out, and why")
    check_layout_and_screenshot(page, "what-we-left-out", page.get_by_role("heading", level=1))
