""" "Stop: something feels wrong" in a real browser, with JavaScript: pressed mid-hold, the timer
stops at once, the stop page asks what the person noticed, and the guidance follows; their
trainer's alert arrives."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from progress.models import SessionLog
from tests.e2e.journeys import log_in, rating
from tests.factories import ExerciseFactory, TrainerClientFactory, UserFactory, assignment_create

pytestmark = pytest.mark.e2e


def countdown(page: Page) -> str:
    return page.locator("#countdown").inner_text()


def test_stop_mid_hold_stops_the_timer_asks_what_happened_and_shows_the_guidance(page, settings, mailoutbox):
    settings.PLAYER_TIME_SCALE = 0.1  # the 5 s "get into position" takes 0.5 s; a 60 s hold 6 s
    client = UserFactory(display_name="Robin", screened_at=timezone.now())
    link = TrainerClientFactory(client=client, trainer__email="coach@example.com")
    plan = assignment_create(
        link,
        title="Desk reset",
        exercises=[
            ExerciseFactory(
                name="Doorway stretch",
                hold_seconds=60,
                reps=1,
                safety_notes="Ease off if you feel pinching at the front of your shoulder.",
                common_mistakes="Leaning through the doorway with a sagging lower back.",
            ),
            ExerciseFactory(name="Thread the needle"),
        ],
    )
    log_in(page, client)
    page.goto(f"/routines/{plan.routine.pk}/play/")
    rating(page, "right now").get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Start").click()

    # The safety panel: open on a wide screen, its summary saying what it holds.
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorway stretch")
    panel = page.locator("details#safety-panel")
    expect(panel).to_have_attribute("open", "")
    expect(panel.locator("summary")).to_have_text("Safety: stop if…, and the most common mistake")
    expect(panel).to_contain_text("Ease off if you feel pinching at the front of your shoulder.")
    expect(panel).to_contain_text("Leaning through the doorway with a sagging lower back.")

    # Mid-hold. The form's own submission is held back for a moment (as a slow network would),
    # so the test can see that the timer stopped before the next page arrives.
    phase = page.locator("#phase")
    expect(phase).to_have_text("Hold")
    page.wait_for_timeout(500)
    page.evaluate(
        "() => document.getElementById('stop-form')"
        ".addEventListener('submit', (event) => event.preventDefault(), {once: true})"
    )
    page.get_by_role("button", name="Stop: something feels wrong").click()
    expect(phase).to_have_text("Stopped")
    expect(page.locator("#announcer")).to_have_text("Stopped.")
    stopped_at = countdown(page)
    page.wait_for_timeout(1_000)  # 10 s of timer time at this scale
    assert countdown(page) == stopped_at
    held = int(page.locator('#stop-form input[name="seconds"]').input_value())
    assert 0 < held < 60
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorway stretch")  # Done never sent itself
    page.evaluate("() => document.getElementById('stop-form').submit()")

    # The stop page: emergency advice first, then the questions.
    expect(page.get_by_role("heading", level=1)).to_have_text("You stopped. What did you notice?")
    expect(page.get_by_role("note")).to_contain_text("Call emergency services now")
    page.get_by_label("Dizziness or feeling faint").check()
    page.get_by_label("Anything else about what happened? (optional)").fill("Light-headed in the doorway")
    page.get_by_role("button", name="Save and see what to do").click()

    # The guidance for what was ticked, and a neutral confirmation.
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\s*Session saved\.\s*$"))
    guidance = page.get_by_role("alert")
    expect(guidance.get_by_role("heading", level=2)).to_have_text("Stop stretching for now and get advice")
    expect(guidance.get_by_role("heading", level=3)).to_have_text("Sit or lie down until it passes")
    expect(guidance).to_contain_text(
        "Chest pain, or breathlessness that is sudden or severe: call emergency services now."
    )

    session = SessionLog.objects.get(user=client)
    assert (session.stopped_early, session.dizziness, session.stop_reason) == (
        True,
        True,
        "Light-headed in the doorway",
    )
    assert list(session.exercise_logs.order_by("order").values_list("skipped", "seconds")) == [
        (True, held),
        (True, 0),
    ]
    [alert] = mailoutbox
    assert alert.to == ["coach@example.com"]
    assert alert.subject.endswith("Robin stopped a session and reported a red flag")
    assert "Dizziness or feeling faint" in alert.body


def test_on_a_phone_the_safety_panel_is_one_tap_away(page, settings):
    settings.PLAYER_TIME_SCALE = 1
    person = UserFactory(screened_at=timezone.now())
    routine = assignment_create(
        TrainerClientFactory(client=person), exercises=[ExerciseFactory(safety_notes="Stop if it pinches.")]
    ).routine
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, person)
    page.goto(f"/routines/{routine.pk}/play/")
    rating(page, "right now").get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Start").click()

    panel = page.locator("details#safety-panel")
    summary = panel.locator("summary")
    expect(panel).not_to_have_attribute("open", "")
    expect(page.get_by_text("Stop if it pinches.")).to_be_hidden()
    expect(page.get_by_role("button", name="Stop: something feels wrong")).to_be_in_viewport()

    summary.click()

    expect(page.get_by_text("Stop if it pinches.")).to_be_visible()
    page.mouse.wheel(0, 2000)  # scrolled down to the steps, Stop stays in view
    expect(page.get_by_role("button", name="Stop: something feels wrong")).to_be_in_viewport()
