import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.screening import ScreeningStatus
from progress.models import SessionLog
from progress.services import ExerciseLogEntry, session_log_record, session_log_update
from tests.factories import ExerciseFactory, UserFactory

pytestmark = pytest.mark.django_db


def record(user, started_at, token=None):
    exercise = ExerciseFactory()
    return session_log_record(
        user=user,
        routine=None,
        client_token=token,
        started_at=started_at,
        finished_at=started_at + timedelta(minutes=5),
        tightness_before=6,
        tightness_after=4,
        pain=0,
        exercises=[ExerciseLogEntry(exercise.pk, 30, 1, False)],
    )


def test_a_session_just_after_local_midnight_belongs_to_the_new_local_day():
    sydney = UserFactory(time_zone="Australia/Sydney")

    session, _ = record(sydney, datetime(2026, 3, 9, 13, 30, tzinfo=UTC))  # 00:30 on 10 March in Sydney

    assert str(session.local_date) == "2026-03-10"


def test_the_local_day_follows_daylight_saving_time():
    london = UserFactory(time_zone="Europe/London")

    # 23:30 UTC is 00:30 the next day in British Summer Time, but 23:30 the same day in winter.
    summer, _ = record(london, datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    winter, _ = record(london, datetime(2026, 12, 1, 23, 30, tzinfo=UTC))

    assert (str(summer.local_date), str(winter.local_date)) == ("2026-07-02", "2026-12-01")


def test_the_same_token_records_one_session():
    person = UserFactory()
    token = uuid.uuid4()

    first, created = record(person, datetime(2026, 5, 1, 8, tzinfo=UTC), token)
    again, created_again = record(person, datetime(2026, 5, 1, 8, tzinfo=UTC), token)

    assert (created, created_again) == (True, False)
    assert first == again
    assert SessionLog.objects.count() == 1


def test_sessions_without_a_token_are_all_recorded():
    person = UserFactory()

    record(person, datetime(2026, 5, 1, 8, tzinfo=UTC))
    record(person, datetime(2026, 5, 1, 8, tzinfo=UTC))

    assert SessionLog.objects.count() == 2


def test_pain_of_7_or_more_asks_the_safety_questions_again_saying_why(log_session):
    person = UserFactory(time_zone="Europe/London")

    log_session(person, date(2026, 11, 3), pain=7, sharp_pain=True)

    person.refresh_from_db()
    assert person.screening_status == ScreeningStatus.DUE
    assert person.screening_due_reason == (
        "You reported pain of 7 out of 10 and sharp or worsening pain after your session on 3 November."
    )


def test_lower_pain_without_a_red_flag_does_not_ask_again(log_session):
    person = UserFactory()

    log_session(person, date(2026, 11, 3), pain=6)

    person.refresh_from_db()
    assert person.screening_due_reason == ""


def test_a_red_flag_added_when_editing_a_session_asks_again(log_session):
    person = UserFactory()
    session = log_session(person, date(2026, 11, 3), pain=1)

    session_log_update(
        session=session, started_at=session.started_at, finished_at=session.finished_at, numbness=True
    )

    person.refresh_from_db()
    assert person.screening_due_reason == "You reported numbness after your session on 3 November."
