"""A new person's whole first session, in a real browser: sign up, onboard, build, play, log."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from progress.models import SessionLog
from routines.models import Routine
from tests.e2e.journeys import log_in, rating, sign_up_and_verify
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a-long-journey-password"
DESK_BREAK = "5-minute desk break"


def item_names(page: Page) -> list[str]:
    return [name.strip() for name in page.locator("#builder-items li.item h3").all_inner_texts()]


def item(page: Page, name: str):
    return page.locator("#builder-items li.item").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def use_starter(page: Page, title: str) -> None:
    page.goto("/routines/")
    page.get_by_role("button", name=re.compile(rf"Customize\s*:\s*{re.escape(title)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit routine")


def test_a_new_person_signs_up_builds_a_routine_plays_it_on_the_timer_and_logs_it(
    page, mailoutbox, settings, library
):
    settings.PLAYER_TIME_SCALE = 0.02  # a 30 s hold takes 0.6 s

    # Sign up, and verify by the emailed link.
    sign_up_and_verify(page, mailoutbox, email="robin@example.com", name="Robin", password=NEW_PASSWORD)

    # The safety screening comes first, with the time zone.
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.get_by_label("Your time zone").fill("Europe/London")
    page.get_by_label("None of these signs apply to me", exact=True).check()
    page.get_by_label("None of these apply to me", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_url(re.compile(r"/routines/$"))
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved")
    expect(page.get_by_role("complementary", name="Safety questions")).to_have_count(0)

    # Start from the desk break and change it in the builder.
    use_starter(page, DESK_BREAK)
    expect(page.get_by_role("status").first).to_contain_text(f"“{DESK_BREAK}” is now in your routines.")
    before = item_names(page)
    assert before[-1] == "Doorway stretch"
    duration = page.locator("#duration")
    first_estimate = duration.inner_text()

    page.get_by_label("Find an exercise to add").fill("cat")
    expect(page.get_by_role("heading", name="Matches for “cat”")).to_be_visible()
    page.get_by_role("button", name="Add Cat-cow").click()
    expect(page.locator("#builder-items [role=status]")).to_have_text("Added Cat-cow.")
    expect(page.locator("#builder-items li.item h3")).to_have_count(len(before) + 1)
    assert item_names(page) == [*before, "Cat-cow"]
    expect(duration).not_to_have_text(first_estimate)
    second_estimate = duration.inner_text()

    page.get_by_role("button", name="Move Cat-cow up").click()
    expect(page.locator("#builder-items [role=status]")).to_have_text("Moved Cat-cow up.")
    assert item_names(page) == [*before[:-1], "Cat-cow", "Doorway stretch"]
    expect(duration).to_have_text(second_estimate)  # same exercises, same time

    doorway_hold = item(page, "Doorway stretch").get_by_label("Hold")
    doorway_hold.fill("40")
    doorway_hold.press("Tab")  # htmx saves on change
    expect(page.locator("#builder-items [role=status]")).to_have_text("Saved Doorway stretch.")
    expect(duration).not_to_have_text(second_estimate)
    expect(item(page, "Doorway stretch").get_by_label("Hold")).to_have_value("40")
    page.reload()
    expect(item(page, "Doorway stretch").get_by_label("Hold")).to_have_value("40")
    final_order = item_names(page)
    assert final_order == [*before[:-1], "Cat-cow", "Doorway stretch"]

    # Play it: the timer runs every hold and finishes by itself.
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.get_by_role("link", name="Play this routine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DESK_BREAK)
    rating(page, "right now").get_by_label("6", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator(".player-progress")).to_contain_text(f"Exercise 1 of {len(final_order)}")
    expect(page.get_by_role("heading", level=1)).to_have_text(final_order[0])

    try:
        expect(page.get_by_role("heading", level=1)).to_have_text("How did that go?", timeout=30_000)
    except AssertionError as exc:
        raise AssertionError(
            f"The timer did not finish the routine. JavaScript errors: {script_errors}"
        ) from exc
    assert script_errors == []
    summary = page.locator(".run-summary li")
    expect(summary).to_have_count(len(final_order))
    for line, name in zip(summary.all_inner_texts(), final_order, strict=True):
        assert re.fullmatch(rf"{re.escape(name)}: done \(\d+ s held\)", line.strip()), line

    rating(page, "feel now").get_by_label("2", exact=True).check()
    rating(page, "Any pain").get_by_label("0", exact=True).check()
    page.get_by_role("button", name="Save session").click()

    # The saved session, as the person sees it.
    expect(page.get_by_role("heading", level=1)).to_have_text(DESK_BREAK)
    expect(page.get_by_role("status")).to_contain_text("Session saved. Well done.")
    expect(page.locator("dl.facts")).to_contain_text(re.compile(r"Tightness\s*6 → 2"))
    expect(page.locator("dl.facts")).to_contain_text(re.compile(r"Red flags\s*None"))
    expect(page.get_by_role("alert")).to_have_count(0)
    logged = page.locator("main ol li")
    expect(logged).to_have_count(len(final_order))
    for line, name in zip(logged.all_inner_texts(), final_order, strict=True):
        assert re.fullmatch(rf"{re.escape(name)}: [\w ]+ held, \d+ reps?", line.strip()), line

    # And in the database: one session, one log per item, in order, nothing skipped.
    session = SessionLog.objects.get()
    routine = Routine.objects.get(owner__email="robin@example.com")
    assert session.routine == routine
    assert (session.tightness_before, session.tightness_after, session.pain) == (6, 2, 0)
    logs = list(session.exercise_logs.select_related("exercise"))
    assert [log.exercise.name for log in logs] == final_order
    assert [log.exercise_id for log in logs] == [i.exercise_id for i in routine.items.order_by("order")]
    assert not any(log.skipped for log in logs)
    assert all(log.seconds > 0 and log.reps > 0 for log in logs)


def test_reporting_numbness_and_strong_pain_shows_stop_stretching_guidance(page, settings, library):
    settings.PLAYER_TIME_SCALE = 1  # real time: the Done buttons, not the timer, move on
    user = UserFactory(screened_at=timezone.now())
    log_in(page, user)
    use_starter(page, DESK_BREAK)
    total = len(item_names(page))

    page.get_by_role("link", name="Play this routine").click()
    rating(page, "right now").get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Start").click()
    for number in range(1, total + 1):
        expect(page.locator(".player-progress")).to_contain_text(f"Exercise {number} of {total}")
        page.get_by_role("button", name=re.compile(r"^Done, (next|finish)")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("How did that go?")
    rating(page, "feel now").get_by_label("3", exact=True).check()
    rating(page, "Any pain").get_by_label("8", exact=True).check()
    page.get_by_label("Numbness", exact=True).check()
    page.get_by_role("button", name="Save session").click()

    guidance = page.get_by_role("alert")
    expect(guidance.get_by_role("heading", level=2)).to_have_text("Stop stretching for now and get advice")
    expect(guidance).to_contain_text("You reported numbness and pain of 8 out of 10.")
    expect(guidance.get_by_role("heading", level=3)).to_have_text(
        [
            "Stop for today, and see a GP or physiotherapist soon",
            "Rest today, and get advice before you do this routine again",
        ]
    )
    expect(page.locator("dl.facts")).to_contain_text(re.compile(r"Red flags\s*Numbness"))
    assert SessionLog.objects.get().needs_attention
