"""Every address already sent in an email, or held by a calendar app, keeps working.

Emails in people's inboxes and subscribed calendars hold literal addresses, with tokens signed the
way the release that sent them signed them. So the addresses here are written out, not reversed
(URL names and apps may change), and the tokens are made with the recipes of that release, not
with whatever the code does now: an old email's link must open whatever the code does now.

The last tests send every kind of email the way the app does (Celery eager, see conftest.py) and
open every link in them, as their recipient.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from icalendar import Calendar
from time_machine import travel

# --- Where the code that makes emails lives now (it moved from progress to notifications). The
# addresses and token recipes below are what emails already sent hold, and they must keep
# working as they are, wherever the code goes.
from accounts.models import User
from coaching.services import invitation_send
from notifications.dispatch import dispatch_due_emails
from notifications.models import Delivery, EmailKind
from notifications.services import reminder_schedule_save
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    TrainerFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db

# The shapes of every address in our emails (templates/notifications/email, templates/coaching/email,
# templates/email) and calendar feeds, as they are in inboxes and calendar apps.
SHAPES = [
    "/",  # weekly summary: "See your progress"
    "/settings/emails/",  # every email's footer; weekly summary "Set a reminder"; calendar events
    "/emails/unsubscribe/<token>/",  # the footer's "Stop … emails", and the List-Unsubscribe header
    "/routines/<pk>/play/",  # reminder "Start now"; calendar events
    "/routines/",  # a reminder for someone with no routine: "Choose a routine"; calendar events
    "/coach/",  # trainer digest: "Open your roster"
    "/coach/clients/<pk>/",  # red-flag alert: "See their sessions"
    "/invite/<token>/",  # invitation: "See the invitation"
    "/calendar/<token>.ics",  # the calendar address people pasted into their calendar app
]
# What a token in an unsubscribe link names, and the setting it turns off: the kinds are the
# strings inside tokens already sent.
UNSUBSCRIBE_KINDS = {
    "reminder": ("reminder_emails", "Stop reminder emails?"),
    "weekly_summary": ("weekly_summary_emails", "Stop weekly summary emails?"),
    "trainer_digest": ("trainer_digest_emails", "Stop weekly digest emails about your clients?"),
    "red_flag_alert": ("alert_emails", "Stop safety alert emails about your clients?"),
}
ONE_CLICK = "List-Unsubscribe=One-Click"  # the body mail clients POST (RFC 8058)


def unsubscribe_token_as_sent(user, kind: str) -> str:
    """progress.outbox.unsubscribe_token of the release before the notifications app. Keep it as
    it is: it is what unsubscribe links in inboxes hold, and they never expire."""
    return signing.dumps({"user": user.pk, "kind": kind}, salt="progress.unsubscribe", compress=True)


def invitation_token_as_sent(link) -> str:
    """coaching.services.invitation_token of the release before the notifications app: what
    invitation links in inboxes hold (valid for INVITATION_MAX_AGE_DAYS)."""
    return signing.dumps({"link": link.pk, "nonce": link.invite_nonce}, salt="coaching.invitation")


def preferences(user) -> dict[str, bool]:
    user.refresh_from_db()
    return {field: getattr(user, field) for field, _ in UNSUBSCRIBE_KINDS.values()}


def logged_in(user) -> Client:
    browser = Client()
    if user is not None:
        browser.force_login(user)
    return browser


# --- Each shape, written out ----------------------------------------------------------------


@pytest.mark.parametrize("kind", UNSUBSCRIBE_KINDS)
def test_an_unsubscribe_link_from_a_year_ago_asks_first_and_changes_nothing(kind):
    person = UserFactory()
    with travel(datetime.now(UTC) - timedelta(days=365), tick=False):
        token = unsubscribe_token_as_sent(person, kind)

    response = Client().get(f"/emails/unsubscribe/{token}/")

    assert response.status_code == 200
    assert UNSUBSCRIBE_KINDS[kind][1] in response.content.decode()
    assert all(preferences(person).values())


@pytest.mark.parametrize("kind", UNSUBSCRIBE_KINDS)
def test_a_one_click_post_to_an_unsubscribe_link_turns_that_kind_off_and_only_that(kind):
    person = UserFactory()
    mail_client = Client(enforce_csrf_checks=True)  # a mail client's button: no cookie, no CSRF token

    response = mail_client.post(
        f"/emails/unsubscribe/{unsubscribe_token_as_sent(person, kind)}/",
        ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    turned_off = UNSUBSCRIBE_KINDS[kind][0]
    assert preferences(person) == {field: field != turned_off for field in preferences(person)}


def test_a_calendar_address_serves_the_feed_to_calendar_apps():
    person = UserFactory(calendar_token="a-calendar-token-pasted-into-a-calendar-app")
    routine = RoutineFactory(owner=person, title="Desk reset", exercises=[ExerciseFactory()])
    reminder_schedule_save(user=person, weekdays=[0, 2, 4], local_time=time(8, 0), routine=routine)

    response = Client().get("/calendar/a-calendar-token-pasted-into-a-calendar-app.ics")
    checked = Client().head("/calendar/a-calendar-token-pasted-into-a-calendar-app.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Stretch: Desk reset" in response.content.decode()
    assert checked.status_code == 200


def test_an_invitation_link_from_six_days_ago_opens_for_a_visitor_and_for_the_invitee():
    trainer = TrainerFactory(display_name="Robin")
    invitee = UserFactory(email="sam@example.com")
    link = TrainerClientFactory(
        trainer=trainer, client=None, email="sam@example.com", status="invited", accepted_at=None
    )
    with travel(datetime.now(UTC) - timedelta(days=6), tick=False):
        path = f"/invite/{invitation_token_as_sent(link)}/"

    as_visitor = Client().get(path)
    as_invitee = logged_in(invitee).get(path)

    assert as_visitor.status_code == 200
    assert "Robin invited you to Unknot" in as_visitor.content.decode()
    assert as_invitee.status_code == 200
    assert "Accept" in as_invitee.content.decode()


def test_start_now_opens_the_player_for_the_owner_only():
    owner, someone_else = UserFactory(), UserFactory()
    routine = RoutineFactory(owner=owner, title="Desk reset", exercises=[ExerciseFactory()])
    path = f"/routines/{routine.pk}/play/"

    as_owner = logged_in(owner).get(path)

    assert as_owner.status_code == 200
    assert "Desk reset" in as_owner.content.decode()
    assert logged_in(someone_else).get(path).status_code == 404
    as_visitor = Client().get(path)
    assert (as_visitor.status_code, as_visitor["Location"]) == (302, f"/accounts/login/?next={path}")


def test_choose_a_routine_opens_the_routine_list():
    response = logged_in(UserFactory()).get("/routines/")

    assert response.status_code == 200


def test_the_footer_link_opens_the_email_settings_with_the_reminders():
    person = UserFactory()
    reminder_schedule_save(user=person, weekdays=[0, 1, 2, 3, 4], local_time=time(7, 30))

    response = logged_in(person).get("/settings/emails/")

    assert response.status_code == 200
    assert "Weekdays at 07:30" in response.content.decode()


def test_the_progress_link_opens_the_dashboard(log_session):
    person = UserFactory(display_name="Sam", screened_at=datetime.now(UTC))
    log_session(person, date.today() - timedelta(days=1))

    response = logged_in(person).get("/")

    assert response.status_code == 200
    assert "Hello, Sam" in response.content.decode()
    assert "The last 12 weeks" in response.content.decode()


def test_the_digest_link_opens_the_trainers_roster():
    link = TrainerClientFactory(client=UserFactory(display_name="Priya"))

    response = logged_in(link.trainer).get("/coach/")

    assert response.status_code == 200
    assert "Priya" in response.content.decode()


def test_an_alert_link_opens_the_client_page_for_their_trainer_only():
    link = TrainerClientFactory(client=UserFactory(display_name="Priya"))
    path = f"/coach/clients/{link.pk}/"

    response = logged_in(link.trainer).get(path)

    assert response.status_code == 200
    assert "Priya" in response.content.decode()
    assert logged_in(TrainerFactory()).get(path).status_code == 404


# --- Every link of every kind of email, sent the way the app sends it -----------------------


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def sent_emails(time_machine, django_capture_on_commit_callbacks, log_session, mailoutbox) -> list:
    """One of each kind of email, and every branch that changes a link, sent by the app's own
    code path: a trainer Robin with a client Sam (an assignment, a red-flag session, a reminder of
    his own routine), Nina with a general reminder and no routine, and an invitation. Returns the
    messages from the outbox, sent by Monday 30 November 2026 08:00 in London (UTC)."""

    def at(instant: datetime, action) -> None:
        time_machine.move_to(instant, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            action()

    time_machine.move_to(utc(2026, 11, 29, 12, 0), tick=False)  # Sunday
    robin = TrainerFactory(display_name="Robin", time_zone="Europe/London")
    sam = UserFactory(display_name="Sam", time_zone="Europe/London", screened_at=utc(2026, 11, 1))
    nina = UserFactory(display_name="Nina", time_zone="Europe/London", screened_at=utc(2026, 11, 1))
    link = TrainerClientFactory(trainer=robin, client=sam)
    plan = assignment_create(link, exercises=[ExerciseFactory()])  # its reminder: every day at 08:00
    own = RoutineFactory(owner=sam, title="Morning unknot", exercises=[ExerciseFactory()])
    reminder_schedule_save(user=sam, weekdays=list(range(7)), local_time=time(7, 0), routine=own)
    reminder_schedule_save(user=nina, weekdays=list(range(7)), local_time=time(8, 0))
    # Last Tuesday, from the assignment, with a red flag: the alert goes out at once.
    at(
        utc(2026, 11, 29, 12, 0),
        lambda: log_session(sam, date(2026, 11, 24), routine=plan.routine, tingling=True),
    )
    at(utc(2026, 11, 29, 12, 0), lambda: invitation_send(trainer=robin, email="new.client@example.com"))
    at(utc(2026, 11, 29, 12, 1), dispatch_due_emails)  # schedules everyone's weekly email
    at(utc(2026, 11, 30, 7, 0), dispatch_due_emails)  # Sam's own reminder
    at(utc(2026, 11, 30, 8, 0), dispatch_due_emails)  # the assignment's and Nina's; the weekly emails

    sent = Delivery.objects.filter(status=Delivery.Status.SENT)
    assert set(sent.values_list("kind", flat=True)) == set(EmailKind.values)  # a new kind? add it above
    assert Delivery.objects.exclude(status=Delivery.Status.SENT).count() == 0
    assert len(mailoutbox) == sent.count() == 8
    return mailoutbox


def links_in(message) -> list[str]:
    """Every http(s) address in the text part, the HTML part and the List-Unsubscribe header."""
    parts = [message.body, *(unescape(content) for content, _ in message.alternatives)]
    parts.append(message.extra_headers.get("List-Unsubscribe", ""))
    return sorted({link for part in parts for link in re.findall(r"https?://[^\s\"'<>]+", part)})


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def shape_of(path: str) -> str | None:
    for shape in SHAPES:
        pattern = re.escape(shape).replace("<pk>", r"\d+").replace("<token>", r"[^/]+")
        if re.fullmatch(pattern, path):
            return shape
    return None


def opens_for(person, path: str) -> str:
    """ "" when the page opens for `person` (after any redirects, and not at the login page); else
    what went wrong."""
    response = logged_in(person).get(path, follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else path
    if response.status_code != 200 or final.startswith("/accounts/login/"):
        return f"{path} answered {response.status_code} at {final}"
    return ""


def test_every_link_in_every_kind_of_email_opens_for_its_recipient(sent_emails):
    problems = []
    for message in sent_emails:
        [address] = message.to
        recipient = User.objects.filter(email=address).first()  # None: an invitation to a newcomer
        for link in links_in(message):
            assert link.startswith(settings.SITE_URL), link
            if problem := opens_for(recipient, path_of(link)):
                problems.append(f"{message.subject} to {address}: {problem}")

    assert problems == []


def test_emails_link_only_to_the_shapes_guarded_here(sent_emails):
    found = {path_of(link) for message in sent_emails for link in links_in(message)}

    # A new shape means a new kind of address in inboxes: add it to SHAPES and give it a test.
    assert sorted(path for path in found if shape_of(path) is None) == []
    # Every shape in emails is in use (the calendar address is on the settings page, not in emails).
    assert {shape_of(path) for path in found} == set(SHAPES) - {"/calendar/<token>.ics"}


def test_the_one_click_unsubscribe_header_of_every_email_turns_its_kind_off(sent_emails):
    mail_client = Client(enforce_csrf_checks=True)
    headed = [message for message in sent_emails if "List-Unsubscribe" in message.extra_headers]

    for message in headed:
        [url] = re.findall(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"])
        response = mail_client.post(path_of(url), ONE_CLICK, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200, message.subject

    # Every email but the invitation has one; every kind a person can stop is now off for them.
    assert len(headed) == len(sent_emails) - 1
    sam, nina, robin = (User.objects.get(display_name=name) for name in ("Sam", "Nina", "Robin"))
    assert (sam.reminder_emails, sam.weekly_summary_emails) == (False, False)
    assert (nina.reminder_emails, nina.weekly_summary_emails) == (False, False)
    assert (robin.trainer_digest_emails, robin.alert_emails) == (False, False)


def test_every_kind_of_email_says_it_was_sent_automatically(sent_emails):
    # RFC 3834: out-of-office replies and other auto-responders leave these alone.
    assert {message.subject: message.extra_headers.get("Auto-Submitted") for message in sent_emails} == {
        message.subject: "auto-generated" for message in sent_emails
    }


def test_every_link_in_the_calendar_feed_opens_for_its_owner():
    person = UserFactory(calendar_token="a-calendar-token-pasted-into-a-calendar-app")
    link = TrainerClientFactory(client=person)
    assignment_create(link, exercises=[ExerciseFactory()])  # its reminder, with its routine
    reminder_schedule_save(user=person, weekdays=[5, 6], local_time=time(10, 0))  # a general one
    feed = Calendar.from_ical(
        Client().get("/calendar/a-calendar-token-pasted-into-a-calendar-app.ics").content
    )

    links = set()
    for event in feed.walk("VEVENT"):
        links |= set(re.findall(r"https?://\S+", f"{event.get('url', '')} {event.get('description', '')}"))
    paths = {path_of(url) for url in links}

    assert {shape_of(path) for path in paths} == {"/routines/<pk>/play/", "/routines/", "/settings/emails/"}
    assert [problem for path in sorted(paths) if (problem := opens_for(person, path))] == []
