"""The installable app and its offline player, in Chromium with a real service worker: install
checks, a routine kept offline played and logged with no network (and with the page reloaded,
and stopped, with the session page's advice and "Before you start" kept), the log sent once when
the network returns (or tried again later when the server does not answer, or answers what we
cannot read), logging out clearing the device, and a new release's worker taking over."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from progress.models import SessionLog
from tests.conftest import CHROMIUM
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.journeys import check_layout_and_screenshot, log_in_with_the_form, rating
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.e2e

# These tests log in by the form, as a person would: the service worker installs on the login page
# and keeps the page that logging in leads to (the dashboard) for when the device is offline.


def worker_ready(page: Page) -> str:
    """Wait until a service worker controls the page; its script's address."""
    page.evaluate(
        """() => navigator.serviceWorker.controller || new Promise((resolve) =>
            navigator.serviceWorker.addEventListener("controllerchange", resolve))"""
    )
    return page.evaluate("navigator.serviceWorker.controller.scriptURL")


def cache_names(page: Page) -> list[str]:
    return page.evaluate("caches.keys()")


def databases(page: Page) -> list[str]:
    return page.evaluate("indexedDB.databases().then(list => list.map(db => db.name))")


def keep_offline(page: Page, routine) -> None:
    """On the routine page, "Keep available offline"."""
    page.goto(f"/routines/{routine.pk}/")
    worker_ready(page)
    page.get_by_role("button", name="Keep available offline").click()
    expect(page.get_by_role("button", name="Remove from this device")).to_be_visible()
    expect(page.locator("[data-keep-offline-state]")).to_contain_text("Saved on this device")


def logged_offline(page: Page, user, routine) -> None:
    """Logged in with the form, the routine kept on the device, then, with no network, played
    and logged: its log waits on the device."""
    log_in_with_the_form(page, user)
    keep_offline(page, routine)
    page.context.set_offline(True)
    play_offline(page, routine)


def play_offline(page: Page, routine) -> None:
    """With no network: open the routine's player, play it (its timers run) and log it."""
    start_offline(page, routine)
    # The timer finishes each exercise by itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorway stretch", timeout=15_000)
    log_offline(page)


def start_offline(page: Page, routine) -> None:
    """With no network: open the routine's player and start it, on its first exercise."""
    page.goto(f"/routines/{routine.pk}/play/")
    expect(page.get_by_role("heading", level=1)).to_have_text(routine.title)
    expect(page.get_by_text("Offline. We keep your log on this device")).to_be_visible()
    rating(page, "right now").get_by_label("6", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chin tuck")
    expect(page.locator("#phase")).to_have_text(re.compile("Hold|Get into position"))


def log_offline(page: Page) -> None:
    """Once the last exercise is over: the ratings, saved on the device."""
    expect(page.get_by_role("heading", level=1)).to_have_text("How did that go?", timeout=15_000)
    rating(page, "feel now").get_by_label("3", exact=True).check()
    rating(page, "Any pain").get_by_label("1", exact=True).check()
    page.get_by_role("group", name="Chin tuck").get_by_label("Just right").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session saved on this device")


@pytest.fixture
def person(settings):
    settings.PLAYER_TIME_SCALE = 0.05  # each exercise (5 s to get ready, 2 holds of 20 s) takes 2.5 s
    user = UserFactory(display_name="Robin", screened_at=timezone.now())
    routine = RoutineFactory(
        owner=user,
        title="Desk break",
        exercises=[ExerciseFactory(name="Chin tuck"), ExerciseFactory(name="Doorway stretch")],
    )
    return user, routine


def test_the_app_passes_chromium_installability_checks(browser, live_server, transactional_db, tmp_path):
    # A profile of its own: Chromium never offers to install from an incognito window, which is
    # what a plain Playwright context is.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        base_url=live_server.url,
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/")
    worker_ready(page)
    session = page.context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = session.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert '"short_name": "Unknot"' in manifest["data"]
    context.close()


def test_a_routine_kept_offline_is_played_and_logged_offline_then_saved_once(page, person):
    user, routine = person
    logged_offline(page, user, routine)
    status = page.locator("#sync-status")
    expect(status).to_have_text("1 session waiting to sync")
    assert SessionLog.objects.count() == 0
    check_layout_and_screenshot(page, "offline-player-waiting", status, page.get_by_role("heading", level=1))

    page.context.set_offline(False)
    expect(status).to_have_text(re.compile("^Synced"))
    session = SessionLog.objects.get()
    assert session.user == user
    assert session.routine == routine
    assert session.tightness_before == 6
    assert session.tightness_after == 3
    assert not session.stopped_early
    logs = list(session.exercise_logs.order_by("order"))
    assert [log.exercise.name for log in logs] == ["Chin tuck", "Doorway stretch"]
    assert all(not log.skipped and log.seconds > 0 for log in logs)
    assert logs[0].feeling == "just_right"

    status.get_by_role("link", name="See the session").click()
    expect(page).to_have_url(re.compile(f"/progress/sessions/{session.pk}/$"))

    # Another page, another attempt: nothing is left to send, nothing new is recorded.
    page.evaluate("window.UnknotOffline.sync()")
    expect(status).to_have_text("")
    assert SessionLog.objects.count() == 1


def test_a_log_the_server_refuses_says_why_does_not_hold_back_the_others_and_can_be_discarded(page, person):
    user, routine = person
    # The device's clock says when the session was: London's, whatever the machine's zone.
    page.context.new_cdp_session(page).send("Emulation.setTimezoneOverride", {"timezoneId": "Europe/London"})
    logged_offline(page, user, routine)
    # Ahead of it in the outbox (logs go in token order): a log of a routine since deleted.
    gone = RoutineFactory(owner=user, title="Deleted since")
    gone_url = reverse("progress:player_offline_save", args=[gone.pk])
    gone.delete()
    page.evaluate(
        """([url]) => window.UnknotOffline.put("outbox", {token: "00000000-0000-4000-8000-000000000000",
            routine: 0, title: "Deleted since", saveUrl: url, savedAt: Date.now(),
            body: {started_at: "2026-11-23T12:10:00Z"}})""",
        [gone_url],
    )

    page.context.set_offline(False)
    page.evaluate("window.UnknotOffline.sync()")

    status = page.locator("#sync-status")
    refused = page.locator("#sync-refused")
    expect(status).to_have_text("Synced. See the session")  # the refused one is not "waiting"
    expect(refused).to_contain_text("We couldn’t save this session to your account.")
    expect(refused.get_by_role("listitem")).to_have_count(1)
    expect(refused.get_by_role("listitem")).to_contain_text(
        "“Deleted since”, Mon 23 Nov, 12:10. Its routine is no longer in your account."
    )
    assert SessionLog.objects.get().routine == routine

    # Still there on the next page, and offered to the server again at the next sync, in case
    # what stopped it has changed: nothing disappears unasked.
    page.goto("/")
    expect(refused.get_by_role("listitem")).to_contain_text("“Deleted since”")
    with page.expect_request(lambda request: request.method == "POST" and request.url.endswith(gone_url)):
        page.evaluate("window.UnknotOffline.sync()")
    discard = refused.get_by_role("button", name=re.compile("^Discard “Deleted since”"))
    check_layout_and_screenshot(page, "offline-log-refused", refused, discard)

    # Discarding asks first; saying no keeps it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    discard.click()
    assert page.evaluate("window.UnknotOffline.all('outbox').then(logs => logs.length)") == 1
    expect(refused.get_by_role("listitem")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    discard.click()
    expect(refused).to_be_hidden()
    expect(status).to_contain_text("Discarded.")
    expect(page.locator("#main")).to_be_focused()  # not lost with the button
    assert page.evaluate("window.UnknotOffline.all('outbox')") == []
    assert SessionLog.objects.count() == 1


def test_a_log_the_server_never_answers_for_is_tried_again_at_the_next_sync(page, person):
    user, routine = person
    # The page's timers on Playwright's clock: time runs as usual (the player's own timers too),
    # and the wait for an answer that never comes can be skipped rather than sat through.
    page.clock.install()
    logged_offline(page, user, routine)
    status = page.locator("#sync-status")
    expect(status).to_have_text("1 session waiting to sync")

    # Back online, the request that sends the log gets no answer at all.
    save_url = reverse("progress:player_offline_save", args=[routine.pk])
    unanswered = []
    page.route(f"**{save_url}", lambda route: unanswered.append(route))
    with page.expect_request(lambda request: request.method == "POST" and request.url.endswith(save_url)):
        page.context.set_offline(False)
    expect(status).to_have_text("1 session waiting to sync")
    page.clock.fast_forward("00:31")  # past offline.js's SEND_TIMEOUT: it gives up, and says so
    expect(status).to_have_text("1 session waiting to sync: we couldn’t send them; we’ll try again")
    assert len(unanswered) == 1
    assert SessionLog.objects.count() == 0

    # The server answers again: the next sync on the same page sends it.
    page.unroute(f"**{save_url}")
    page.evaluate("window.UnknotOffline.sync()")
    expect(status).to_have_text("Synced. See the session")
    assert SessionLog.objects.get().routine == routine


def test_a_saved_answer_that_cannot_be_read_keeps_the_log_and_says_it_will_be_tried_again(page, person):
    user, routine = person
    log_in_with_the_form(page, user)
    save_url = reverse("progress:player_offline_save", args=[routine.pk])
    # "Saved", but a page rather than the session's address (a proxy's, say).
    proxy_page = {"status": 200, "content_type": "text/html", "body": "<p>Saved</p>"}
    page.route(f"**{save_url}", lambda route: route.fulfill(**proxy_page))
    page.evaluate(
        """([id, url]) => window.UnknotOffline.queue({token: "00000000-0000-4000-8000-000000000000",
            routine: id, title: "Desk break", saveUrl: url, savedAt: Date.now(), body: {}})""",
        [routine.pk, save_url],
    )
    status = page.locator("#sync-status")
    expect(status).to_have_text("1 session waiting to sync")

    page.evaluate("window.UnknotOffline.sync()")
    expect(status).to_have_text("1 session waiting to sync: we couldn’t send them; we’ll try again")
    assert page.evaluate("window.UnknotOffline.all('outbox').then(logs => logs.length)") == 1


def test_reloading_the_offline_player_carries_on_where_it_was(page, person, settings):
    # Real time, kept with the routine: no step can end by itself while the page reloads (at the
    # fixture's twentieth, one could end before "Pause" was pressed on a busy machine).
    settings.PLAYER_TIME_SCALE = 1
    user, routine = person
    log_in_with_the_form(page, user)
    keep_offline(page, routine)

    page.context.set_offline(True)
    start_offline(page, routine)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chin tuck")
    page.get_by_role("button", name="Done, next →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorway stretch")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorway stretch")
    expect(page.get_by_text("Exercise 2 of 2")).to_be_visible()
    page.get_by_role("button", name="Done, finish →").click()
    log_offline(page)
    expect(page.locator("#sync-status")).to_have_text("1 session waiting to sync")
    page.reload()  # the log waits on the device, whatever page is open
    expect(page.locator("#sync-status")).to_have_text("1 session waiting to sync")

    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text(re.compile("^Synced"))
    assert SessionLog.objects.filter(user=user).count() == 1


def test_stopping_offline_shows_the_guidance_and_the_trainer_is_alerted_once_it_syncs(
    page, settings, mailoutbox
):
    settings.PLAYER_TIME_SCALE = 0.1  # a 60 s hold takes 6 s: time to press Stop mid-hold
    client = UserFactory(display_name="Robin", screened_at=timezone.now())
    link = TrainerClientFactory(client=client, trainer__email="coach@example.com")
    plan = assignment_create(
        link,
        title="Desk reset",
        exercises=[
            ExerciseFactory(
                name="Doorway stretch", hold_seconds=60, reps=1, safety_notes="Ease off if it pinches."
            ),
            ExerciseFactory(name="Thread the needle"),
        ],
    )
    log_in_with_the_form(page, client)
    keep_offline(page, plan.routine)

    page.context.set_offline(True)
    page.goto(f"/routines/{plan.routine.pk}/play/")
    rating(page, "right now").get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("details#safety-panel")).to_contain_text("Ease off if it pinches.")
    expect(page.locator("#phase")).to_have_text("Hold", timeout=5_000)
    page.wait_for_timeout(500)
    # The online player's shortcuts (static/js/player-keys.js) work offline too, and say so.
    expect(page.locator("#shortcuts")).to_be_visible()
    expect(page.locator("#shortcuts")).to_contain_text("Space pause or resume")
    page.keyboard.press("Space")
    expect(page.locator("#phase")).to_have_text("Paused · Hold")
    expect(page.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Space")
    expect(page.locator("#phase")).to_have_text("Hold")
    page.get_by_role("button", name="Stop: something feels wrong").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You stopped. What did you notice?")
    expect(page.get_by_role("note")).to_contain_text("Call emergency services now")
    page.get_by_label("Dizziness or feeling faint").check()
    page.get_by_label("Anything else about what happened? (optional)").fill("Light-headed in the doorway")
    page.get_by_role("button", name="Save and see what to do").click()

    # The guidance, on the device, in the session page's words.
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved on this device")
    guidance = page.get_by_role("alert")
    expect(guidance.get_by_role("heading", level=2)).to_have_text("Stop stretching for now and get advice")
    expect(guidance.get_by_role("heading", level=3)).to_have_text("Sit or lie down until it passes")
    expect(guidance).to_contain_text("You reported dizziness or feeling faint, and stopped the session.")
    expect(guidance).to_contain_text(
        "Chest pain, or breathlessness that is sudden or severe: call emergency services now."
    )
    expect(page.locator("#sync-status")).to_have_text("1 session waiting to sync")
    assert mailoutbox == []

    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text(re.compile("^Synced"))
    session = SessionLog.objects.get(user=client)
    assert (session.stopped_early, session.dizziness, session.stop_reason) == (
        True,
        True,
        "Light-headed in the doorway",
    )
    [stopped_on, not_reached] = session.exercise_logs.order_by("order").values_list("skipped", "seconds")
    assert stopped_on[0] is True
    assert 0 < stopped_on[1] < 60
    assert not_reached == (True, 0)
    [alert] = mailoutbox
    assert alert.to == ["coach@example.com"]
    assert "Dizziness or feeling faint" in alert.body


def test_the_advice_after_a_red_flag_offline_is_the_session_pages_and_before_you_start_opens_offline(
    page, person
):
    user, routine = person
    log_in_with_the_form(page, user)
    keep_offline(page, routine)

    page.context.set_offline(True)
    page.goto(f"/routines/{routine.pk}/play/")
    rating(page, "right now").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Stop: something feels wrong").click()
    page.get_by_label("New leg weakness or loss of balance that does not pass").check()
    page.get_by_label("Numbness").check()
    rating(page, "Any pain").get_by_label("8", exact=True).check()
    page.get_by_role("button", name="Save and see what to do").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Saved on this device")
    advice = page.get_by_role("alert")
    expect(advice.get_by_role("heading", level=2)).to_have_text("Stop stretching for now and get advice")
    expect(advice).to_contain_text(
        "You reported new leg weakness or loss of balance that does not pass, numbness and pain of 8 out "
        "of 10, and stopped the session."
    )
    # What each answer leads to, most urgent first; what cannot wait and was not reported.
    expect(advice.get_by_role("heading", level=3)).to_have_text(
        [
            "Get urgent care today",
            "Stop for today, and see a GP or physiotherapist soon",
            "Rest today, and get advice before you do this routine again",
        ]
    )
    expect(advice.locator(".safety-net li")).to_have_text(
        [
            "Chest pain, or breathlessness that is sudden or severe: call emergency services now.",
            "New changes in bladder or bowel control: go to an emergency department today.",
        ]
    )
    offline_advice = advice.inner_text()

    # Still offline, "Before you start" opens: the copy the worker kept.
    advice.get_by_role("link", name="Before you start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you start")
    expect(page.get_by_role("heading", name="Warning signs: stop and get help")).to_be_visible()
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="Saved on this device")).to_be_visible()

    # Back online, the session page says what the device said, word for word.
    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text(re.compile("^Synced"))
    page.goto(SessionLog.objects.get(user=user).get_absolute_url())
    assert page.get_by_role("alert").inner_text() == offline_advice


def test_a_routine_kept_in_an_older_format_asks_to_be_opened_online_once(page, person):
    user, routine = person
    log_in_with_the_form(page, user)
    keep_offline(page, routine)
    # As a release before this one kept it (progress.offline.PACK_FORMAT was lower).
    old_format = page.evaluate(
        """(id) => window.UnknotOffline.get("routines", id).then((record) => {
            record.pack.format -= 1;
            return window.UnknotOffline.put("routines", record).then(() => record.pack.format);
        })""",
        routine.pk,
    )

    page.context.set_offline(True)
    page.goto(f"/routines/{routine.pk}/play/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not saved on this device")
    expect(
        page.get_by_text("saved by an older version of Unknot. Open it once while you’re online.")
    ).to_be_visible()

    page.context.set_offline(False)
    page.goto(f"/routines/{routine.pk}/play/")  # opened once online: kept again, as this release reads it
    page.wait_for_function(
        """([id, format]) => window.UnknotOffline.get("routines", id)
            .then((record) => record.pack.format > format)""",
        arg=[routine.pk, old_format],
    )
    page.wait_for_load_state("networkidle")  # and the worker has kept this page's copy
    page.context.set_offline(True)
    page.goto(f"/routines/{routine.pk}/play/")
    expect(page.get_by_role("heading", level=1)).to_have_text(routine.title)


def test_logging_out_clears_what_the_device_kept(page, person):
    user, routine = person
    log_in_with_the_form(page, user)
    keep_offline(page, routine)
    page.goto("/")  # a page kept for the account
    assert any(name.startswith("unknot-pages-") for name in cache_names(page))
    assert any(name.startswith("unknot-") for name in databases(page))

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    assert not any(name.startswith("unknot-pages-") for name in cache_names(page))
    assert "unknot-meta" not in cache_names(page)
    assert databases(page) == []
    assert page.evaluate("localStorage.getItem('unknot-account')") is None
    # Offline, the player of that routine and the dashboard show nothing of theirs.
    page.context.set_offline(True)
    page.goto(f"/routines/{routine.pk}/play/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You’re offline")
    expect(page.locator("#offline-routines li")).to_have_count(0)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You’re offline")


def test_another_account_on_the_same_device_never_sees_the_first_ones_pages(page, person):
    user, routine = person
    log_in_with_the_form(page, user)
    keep_offline(page, routine)
    page.goto("/routines/")
    expect(page.get_by_text("Desk break").first).to_be_visible()
    # The session ends without "Log out" (it expired, or the cookie was cleared).
    page.context.clear_cookies()
    other = UserFactory(screened_at=timezone.now())
    log_in_with_the_form(page, other)
    page.goto("/routines/")

    page.context.set_offline(True)
    page.goto("/routines/")
    expect(page.get_by_text("Desk break")).to_have_count(0)
    page.goto(f"/routines/{routine.pk}/play/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not saved on this device")


def test_a_new_release_replaces_the_worker_and_its_caches(page, person, settings):
    user, routine = person
    settings.RELEASE = "release-1"
    log_in_with_the_form(page, user)
    keep_offline(page, routine)
    worker_ready(page)
    old_caches = cache_names(page)
    old_version = next(name for name in old_caches if name.startswith("unknot-static-")).removeprefix(
        "unknot-static-"
    )

    settings.RELEASE = "release-2"
    page.goto("/")  # a visit checks for a new worker
    page.evaluate(
        """() => navigator.serviceWorker.getRegistration().then((registration) => registration.update())"""
    )
    new_version = page.evaluate(
        """async (old) => {
            for (let i = 0; i < 100; i += 1) {
                const names = await caches.keys();
                const current = names.find((n) => n.startsWith("unknot-static-") && !n.endsWith(old));
                if (current && !names.some((name) => name.endsWith(old))) return current;
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            return null;
        }""",
        old_version,
    )
    assert new_version is not None, "the new worker did not take over"

    # Offline, the pages are the new release's, and the routine kept offline still plays.
    page.context.set_offline(True)
    page.goto(f"/routines/{routine.pk}/play/")
    expect(page.get_by_role("heading", level=1)).to_have_text(routine.title)
    page.goto("/offline/")
    expect(page.get_by_role("link", name="Play Desk break")).to_be_visible()
    expect(page.locator("[data-version]")).to_have_attribute(
        "data-version", new_version.removeprefix("unknot-static-")
    )


def test_offline_the_app_opens_on_the_dashboard_as_last_seen(page, person):
    user, _ = person
    log_in_with_the_form(page, user)
    page.goto("/")
    worker_ready(page)
    page.goto("/routines/")  # the worker keeps each page as it passes

    page.context.set_offline(True)
    page.goto("/?source=app")  # the manifest's start address, never opened before

    expect(page.get_by_role("heading", level=1)).to_contain_text("Robin")
    expect(page.locator("#sync-status")).to_have_text(
        "You’re offline. Pages show what they showed when you last opened them."
    )
    page.goto("/routines/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your routines")


def test_a_routine_played_online_is_kept_and_the_player_goes_on_offline_when_the_network_drops(page, person):
    user, routine = person
    log_in_with_the_form(page, user)
    page.goto(f"/routines/{routine.pk}/play/")  # played recently: kept on the device by itself
    worker_ready(page)
    page.wait_for_function(
        """(id) => window.UnknotOffline.get("routines", id).then((record) => Boolean(record))""",
        arg=routine.pk,
    )
    rating(page, "right now").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chin tuck")

    page.context.set_offline(True)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name=re.compile("^Done")).click()

    # Not the browser's error page: the offline player, from the start of the routine.
    expect(page.get_by_role("heading", level=1)).to_have_text(routine.title)
    expect(page.get_by_text("Offline. We keep your log on this device")).to_be_visible()
