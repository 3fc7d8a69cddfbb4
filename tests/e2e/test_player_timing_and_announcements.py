"""The player with JavaScript: what a screen reader hears, and the seconds recorded when Done is
pressed early (what was really held)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from routines.models import Exercise
from tests.e2e.journeys import check_layout_and_screenshot, log_in, rating
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.e2e

# Every write to the announcer, kept in sessionStorage with the exercise it was said on, so that
# what a screen reader was given survives the player moving on from page to page. Text found in
# the announcer as the page loads is kept as "on load: …".
RECORD_ANNOUNCEMENTS = """
document.addEventListener("DOMContentLoaded", () => {
  const announcer = document.getElementById("announcer");
  if (!announcer) return;
  const exercise = document.querySelector("h1").textContent.trim();
  const keep = (text) => {
    const log = JSON.parse(sessionStorage.getItem("announced") || "[]");
    log.push([exercise, text]);
    sessionStorage.setItem("announced", JSON.stringify(log));
  };
  if (announcer.textContent) keep("on load: " + announcer.textContent);
  new MutationObserver(() => { if (announcer.textContent) keep(announcer.textContent); })
    .observe(announcer, {childList: true, characterData: true, subtree: true});
});
"""


def start_routine(page, routine):
    page.goto(f"/routines/{routine.pk}/play/")
    rating(page, "right now").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Start").click()


def heard(page, exercise):
    """What was announced on that exercise, with the countdown's digits and the last "Exercise
    done." (which the next page may cut short) left out; and the digits on their own."""
    said = [
        text
        for name, text in page.evaluate("JSON.parse(sessionStorage.getItem('announced'))")
        if name == exercise
    ]
    words = [text for text in said if not text.isdigit() and text != "Exercise done."]
    return words, [text for text in said if text.isdigit()]


def test_announcements_are_polite_few_and_useful(page, settings):
    settings.PLAYER_TIME_SCALE = 0.1
    user = UserFactory(screened_at=timezone.now())
    doorway = ExerciseFactory(name="Doorway stretch", hold_seconds=30, reps=1, sets=1, per_side=True)
    chin_tuck = ExerciseFactory(name="Chin tuck", hold_seconds=5, reps=4, sets=1, per_side=False)
    routine = RoutineFactory(owner=user, exercises=[doorway, chin_tuck])
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    log_in(page, user)

    start_routine(page, routine)
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorway stretch")
    # The countdown is a timer a screen reader can read, not hidden from it.
    countdown = page.get_by_role("timer")
    expect(countdown).to_be_visible()
    expect(countdown).to_have_text(re.compile(r"^\d+ seconds left$"))
    assert countdown.get_attribute("aria-hidden") is None
    assert page.locator("#announcer").get_attribute("aria-live") == "polite"

    expect(page.get_by_role("heading", level=1)).to_have_text("How did that go?", timeout=40_000)

    words, digits = heard(page, "Doorway stretch")
    assert words == [
        "Left side: hold for 30 seconds",
        "Halfway",
        "Switch sides. Rest 5 seconds",
        "Right side: hold for 30 seconds",
        "Halfway",
    ]
    # The last three seconds of each long hold (a busy machine may drop a frame, never add one).
    assert digits, "the last three seconds were not counted down"
    assert set(digits) <= {"3", "2", "1"}, digits
    assert len(digits) <= 6, digits
    # Four 5-second reps flow on: the first is announced, not every one, and no countdown.
    words, digits = heard(page, "Chin tuck")
    assert (words, digits) == (["Rep 1 of 4: hold for 5 seconds"], [])


def test_done_pressed_early_records_the_seconds_really_held(page, settings):
    settings.PLAYER_TIME_SCALE = 0.25
    user = UserFactory(screened_at=timezone.now())
    twist = ExerciseFactory(name="Seated twist", hold_seconds=60, reps=1, sets=1, per_side=False)
    routine = RoutineFactory(owner=user, exercises=[twist])
    log_in(page, user)

    start_routine(page, routine)
    expect(page.locator("#phase")).to_have_text("Hold", timeout=10_000)
    expect(page.locator("#countdown-seconds")).to_have_text(re.compile(r"^(4\d|3\d)$"), timeout=15_000)
    page.get_by_role("button", name="Done, finish →").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("How did that go?")
    line = page.locator(".run-summary li").inner_text().strip()
    held = int(re.fullmatch(r"Seated twist: done \((\d+) s held\)", line).group(1))
    assert 10 <= held <= 30, line  # what was held before Done, not 0 and not the planned 60


def test_the_player_fits_a_phone_and_a_desktop_with_and_without_javascript(
    browser, live_server, page, settings, library
):
    settings.PLAYER_TIME_SCALE = 1
    user = UserFactory(screened_at=timezone.now())
    partner = Exercise.objects.get(slug="partner-seated-thoracic-flexion")
    routine = RoutineFactory(owner=user, title="Partner session", exercises=[partner])
    log_in(page, user)
    start_routine(page, routine)
    expect(page.get_by_role("timer")).to_be_visible()
    check_layout_and_screenshot(page, "player", page.get_by_role("button", name="Done, finish →"))

    # Without JavaScript: the hint to time the holds, and Done asks whether the hold was full.
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    no_js = context.new_page()
    try:
        log_in(no_js, user)
        start_routine(no_js, routine)
        expect(no_js.get_by_text("There is no timer on this page")).to_be_visible()
        check_layout_and_screenshot(
            no_js, "player-without-javascript", no_js.get_by_role("button", name="Done, not timed")
        )
    finally:
        context.close()
