"""Reminders and weekly summaries, word for word: each variant's subject, text part and HTML part as
sent, against the files in tests/notifications/emails/ (NAME.txt and NAME.html).

The other tests check what a person must read (a figure, a link, a warning); these pin everything
else, so that work on how the emails are built (it runs for every message sent) cannot change a
character of them. A deliberate change of wording rewrites the files in the same commit.
Links that name a row (a routine's id, the signed unsubscribe token) are shown as <routine> and
<token>.
"""

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from notifications.dispatch import dispatch_due_emails
from notifications.kinds import delivery_message_build
from notifications.models import Delivery, EmailKind
from notifications.services import reminder_schedule_save
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

EXPECTED = Path(__file__).parent / "emails"

FULL_WEEK = {
    "first_day": "2026-11-23",
    "last_day": "2026-11-29",
    "days": 7,
    "sessions": 3,
    "minutes": 30,
    "goal_sessions": 3,
    "goal_minutes": 30,
    "streak_days": 12,
    "tightness_before": 5.0,
    "tightness_after": 3.0,
    "previous_before": 7.0,
    "change": -2.0,
    "helped_most": {"name": "Seated twist", "slug": "seated-twist", "relief": 3.0, "sessions": 2},
    "red_flags": [
        {
            "day": "2026-11-24",
            "labels": ["Tingling (pins and needles)", "Weakness in an arm or hand"],
            "pain": 8,
        },
        {"day": "2026-11-26", "labels": [], "pain": 7},
    ],
    "schedule": [
        {"days": "Mon, Wed, Fri", "time": "07:45", "title": "Desk reset", "from_trainer": False},
        {"days": "Every day", "time": "", "title": "Rows & <chin> tucks", "from_trainer": True},
        {"days": "Tue", "time": "18:00", "title": "", "from_trainer": False},
    ],
    "programme": {
        "track": "Mobility with strength",
        "week": 2,
        "weeks": 6,
        "light": True,
        "finishing": False,
        "next_turn": "2026-12-04",
        "held": True,
        "paused": False,
        "routines": [
            {"title": "Upper-back reset: session", "when": "Session", "items": ["Band row: 3 × 10"]},
            {
                "title": "Upper-back reset: desk break",
                "when": "Desk break, every day",
                "items": ["Doorway opener: 2 × 20 s each side", "Chin tuck: 1 × 8"],
            },
        ],
        "changes": [
            {
                "kind": "Stepped up",
                "exercise": "Band row",
                "sentence": "3 × 10 instead of 2 × 10, because your last three sessions were pain-free",
            }
        ],
    },
}
ONE_DAY = {
    "first_day": "2026-11-29",
    "last_day": "2026-11-29",
    "days": 1,
    "sessions": 1,
    "minutes": 4,
    "goal_sessions": 4,
    "goal_minutes": 60,
    "streak_days": 1,
    "tightness_before": 6.0,
    "tightness_after": 5.0,
    "previous_before": None,
    "change": None,
    "helped_most": None,
    "red_flags": [],
    "schedule": [],
    "programme": {
        "track": "Strength-led",
        "week": 6,
        "weeks": 6,
        "light": False,
        "finishing": True,
        "next_turn": "",
        "held": False,
        "paused": True,
        "routines": [],
        "changes": [],
    },
}
THREE_DAYS_NO_CHANGE = {
    **ONE_DAY,
    "first_day": "2026-11-27",
    "days": 3,
    "sessions": 2,
    "minutes": 61,
    "streak_days": 3,
    "tightness_before": 5.5,
    "tightness_after": 4.5,
    "previous_before": 5.5,
    "change": 0.0,
    "red_flags": [{"day": "2026-11-28", "labels": ["Numbness"], "pain": 2}],
    "schedule": [{"days": "Mon–Fri", "time": "12:30", "title": "Neck release", "from_trainer": True}],
    "programme": {**FULL_WEEK["programme"], "week": 6, "light": False, "next_turn": "", "held": False},
}
# Written before summaries said how many days they cover: a week.
OLDER_STIFFER = {
    key: value for key, value in ONE_DAY.items() if key not in {"days", "previous_before", "programme"}
} | {
    "first_day": "2026-11-23",
    "sessions": 0,
    "minutes": 0,
    "streak_days": 0,
    "tightness_before": 6.5,
    "tightness_after": 4.5,
    "change": 1.5,
    "schedule": [{"days": "Sat", "time": "", "title": "Desk reset", "from_trainer": True}],
}
NOTHING_RATED = {
    **OLDER_STIFFER,
    "days": 7,
    "tightness_before": None,
    "tightness_after": None,
    "change": None,
    "programme": None,
}


def rendered(message) -> tuple[str, str, str]:
    """Subject, text and HTML, with the links that name a row shown by what they name."""
    [(html, _)] = message.alternatives
    parts = []
    for part in (message.subject, message.body, html):
        part = re.sub(r"/routines/\d+/play/", "/routines/<routine>/play/", part)
        parts.append(re.sub(r"/emails/unsubscribe/[^/\s\"]+/", "/emails/unsubscribe/<token>/", part))
    return tuple(parts)


def assert_pinned(name: str, message, subject: str) -> None:
    sent_subject, text, html = rendered(message)
    assert sent_subject == subject
    assert text == (EXPECTED / f"{name}.txt").read_text()
    assert html == (EXPECTED / f"{name}.html").read_text()


@pytest.mark.parametrize(
    ("name", "display_name", "summary", "subject"),
    [
        ("summary_full_week", "Sam O'Neil & co", FULL_WEEK, "[Unknot] Your week: 3 sessions, 30 min"),
        ("summary_one_day", "", ONE_DAY, "[Unknot] Your week: 1 session, 4 min"),
        ("summary_three_days", "Ana", THREE_DAYS_NO_CHANGE, "[Unknot] Your week: 2 sessions, 61 min"),
        ("summary_older_stiffer", "Ana", OLDER_STIFFER, "[Unknot] Your week: 0 sessions, 0 min"),
        ("summary_nothing_rated", "Ana", NOTHING_RATED, "[Unknot] Your week: 0 sessions, 0 min"),
    ],
)
def test_a_weekly_summary_says_exactly_what_it_said(name, display_name, summary, subject):
    person = UserFactory.build(pk=42, email="sam@example.com", display_name=display_name)
    delivery = Delivery(kind=EmailKind.WEEKLY_SUMMARY, user=person, context=summary)

    assert_pinned(name, delivery_message_build(delivery), subject)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "display_name", "exercises", "streak_days", "subject"),
    [
        (
            "reminder_routine",
            "Sam O'Neil & co",
            1,
            0,
            "[Unknot] Time to stretch: Desk & <neck> reset (1 min)",
        ),
        ("reminder_longer_routine", "", 6, 1, "[Unknot] Time to stretch: Desk & <neck> reset (6 min)"),
        ("reminder_no_routine", "Ana", 0, 3, "[Unknot] Time to stretch"),
    ],
)
def test_a_reminder_says_exactly_what_it_said(
    time_machine,
    django_capture_on_commit_callbacks,
    mailoutbox,
    log_session,
    name,
    display_name,
    exercises,
    streak_days,
    subject,
):
    time_machine.move_to(datetime(2026, 11, 29, 12, 0, tzinfo=UTC), tick=False)
    person = UserFactory(email="sam@example.com", display_name=display_name, time_zone="America/New_York")
    if exercises:
        RoutineFactory(
            owner=person, title="Desk & <neck> reset", exercises=ExerciseFactory.create_batch(exercises)
        )
    for days_ago in range(1, streak_days + 1):
        log_session(person, date(2026, 11, 30 - days_ago))
    reminder_schedule_save(user=person, weekdays=list(range(7)), local_time=time(18, 30))

    time_machine.move_to(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), tick=False)  # 18:30 in New York
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_emails()

    [email] = mailoutbox
    assert_pinned(name, email, subject)
