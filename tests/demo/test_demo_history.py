from datetime import date, datetime, timedelta
from io import StringIO
from statistics import mean

import pytest
from django.core.management import call_command

from accounts.models import User
from demo.history import demo_history_create
from progress.models import ExerciseLog, SessionLog
from routines.models import Routine
from tests.factories import UserFactory

# The library is loaded once for the module (tests/conftest.py); the demo without it is tested
# in test_demo_without_the_library.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library_for_the_module")]

TODAY = date(2026, 3, 30)  # the day after the clocks went forward in Europe/London


@pytest.fixture
def person(library):
    return UserFactory(time_zone="Europe/London")


def test_it_creates_eight_weeks_of_sessions_with_gap_days(person):
    created = demo_history_create(user=person, today=TODAY)

    days = set(SessionLog.objects.filter(user=person).values_list("local_date", flat=True))
    assert 40 <= created <= 70
    assert SessionLog.objects.filter(user=person).count() == created
    assert min(days) >= TODAY - timedelta(days=56)
    assert 5 <= 56 - len(days) <= 25  # days with no session at all


def test_every_session_is_before_today_in_the_persons_time_zone(person):
    demo_history_create(user=person, today=TODAY)

    for session in SessionLog.objects.filter(user=person):
        local_start = session.started_at.astimezone(person.zone)
        assert session.local_date == local_start.date() < TODAY
        assert local_start.hour in {7, 8, 18, 19, 20, 21}
        assert session.finished_at > session.started_at


def test_a_second_call_creates_nothing(person):
    first = demo_history_create(user=person, today=TODAY)

    again = demo_history_create(user=person, today=TODAY + timedelta(days=3))

    assert (first > 0, again) == (True, 0)
    assert SessionLog.objects.filter(user=person).count() == first
    assert Routine.objects.owned_by(person).count() == 2


def test_it_is_the_same_history_for_the_same_seed(library):
    first, second = UserFactory(), UserFactory()

    demo_history_create(user=first, today=TODAY)
    demo_history_create(user=second, today=TODAY)

    def shape(user):
        rows = SessionLog.objects.filter(user=user).order_by("started_at")
        return list(rows.values_list("started_at", "tightness_before", "tightness_after", "pain"))

    assert shape(first) == shape(second)


def test_tightness_eases_over_the_eight_weeks(person):
    demo_history_create(user=person, today=TODAY)
    sessions = SessionLog.objects.filter(user=person)

    first_two_weeks = sessions.filter(local_date__lt=TODAY - timedelta(days=42))
    last_two_weeks = sessions.filter(local_date__gte=TODAY - timedelta(days=14))

    before = [s.tightness_before for s in first_two_weeks]
    after_latest = [s.tightness_before for s in last_two_weeks]
    assert mean(after_latest) < mean(before)
    assert all(s.tightness_after < s.tightness_before for s in sessions)


def test_the_bad_week_has_fewer_sessions_and_more_pain_but_no_alerts(person):
    demo_history_create(user=person, today=TODAY)
    sessions = SessionLog.objects.filter(user=person)

    bad_week = sessions.filter(local_date__range=(TODAY - timedelta(days=35), TODAY - timedelta(days=29)))
    other_weeks = sessions.exclude(pk__in=bad_week)

    assert bad_week.count() < other_weeks.count() / 7
    assert all(4 <= s.pain <= 6 for s in bad_week)
    assert all(s.pain <= 2 for s in other_weeks)
    assert not sessions.needing_attention().exists()


def test_every_session_logs_its_routines_exercises_and_some_are_skipped(person):
    demo_history_create(user=person, today=TODAY)

    for session in SessionLog.objects.filter(user=person).prefetch_related("exercise_logs", "routine__items"):
        items = list(session.routine.items.all())
        logs = list(session.exercise_logs.all())
        assert [log.exercise_id for log in logs] == [item.exercise_id for item in items]
        assert not all(log.skipped for log in logs)
    assert ExerciseLog.objects.filter(session__user=person, skipped=True).exists()


def test_it_writes_in_a_fixed_number_of_queries(person, django_assert_max_num_queries):
    # Two routine copies (each through routines.services.routine_changed, and each locking the
    # person and counting their routines against MAX_ROUTINES_PER_PERSON), then the bulk inserts,
    # then the rollups of those sessions (progress.rollups.rollups_rebuild: ten).
    with django_assert_max_num_queries(40):
        created = demo_history_create(user=person, today=TODAY)

    assert created >= 40


def test_load_demo_twice_does_not_duplicate_the_demo_history(library):
    first_output, second_output = StringIO(), StringIO()

    call_command("load_demo", stdout=first_output)
    demo = User.objects.get(email="demo@unknot.localhost")
    total = SessionLog.objects.filter(user=demo).count()
    # Besides the history: three sessions of the programme today (demo/programme.py).
    sessions = SessionLog.objects.filter(user=demo, routine__programme_routine__isnull=True).count()
    call_command("load_demo", stdout=second_output)

    assert sessions >= 40
    assert total == sessions + 3
    assert f"{sessions} sessions over the last 8 weeks" in first_output.getvalue()
    assert "following “Upper-back reset, 6 weeks”" in first_output.getvalue()
    assert "8 weeks of sessions (already there)" in second_output.getvalue()
    assert SessionLog.objects.filter(user=demo).count() == total
    assert Routine.objects.owned_by(demo).count() == 4  # two starters, the programme's two
    assert not SessionLog.objects.filter(user__is_staff=True).exists()


def test_the_demo_person_lands_on_the_dashboard_not_the_welcome_questions(library, client):
    from django.core.management import call_command
    from django.urls import reverse

    from demo.accounts import DEMO_PASSWORD

    call_command("load_demo")

    response = client.post(
        reverse("account_login"), {"login": "demo@unknot.localhost", "password": DEMO_PASSWORD}
    )

    assert response.url == reverse("home")


def test_the_demo_person_follows_the_programme_with_a_step_up_to_show(library):
    from demo.programme import demo_programme_create
    from progress.models import Adjustment, Enrolment
    from tests.factories import UserFactory

    person = UserFactory(time_zone="Europe/London")

    enrolment = demo_programme_create(user=person)

    assert enrolment.is_active
    assert Adjustment.objects.filter(enrolment=enrolment, kind=Adjustment.Kind.UP).exists()
    assert demo_programme_create(user=person) is None  # again: nothing written
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("after_midnight", [timedelta(0), timedelta(seconds=30), timedelta(minutes=2)])
def test_the_demo_programmes_sessions_are_over_when_it_is_loaded_just_after_midnight(
    library, time_machine, after_midnight
):
    from demo.programme import demo_programme_create
    from progress.models import Adjustment

    person = UserFactory(time_zone="Asia/Tokyo")
    now = datetime(2026, 11, 26, tzinfo=person.zone) + after_midnight
    time_machine.move_to(now, tick=False)

    enrolment = demo_programme_create(user=person)

    sessions = SessionLog.objects.filter(user=person)
    assert sessions.count() == 3
    assert max(session.started_at for session in sessions) < now
    assert max(session.finished_at for session in sessions) <= now
    assert Adjustment.objects.filter(enrolment=enrolment, kind=Adjustment.Kind.UP).exists()
