from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from coaching.models import Assignment, SessionComment, TrainerClient
from coaching.roster import Flag, roster
from demo.accounts import DEMO_PASSWORD
from demo.coaching import DEMO_TRAINER_EMAIL, LAPSED_DAYS, demo_coaching_create
from progress.models import ExerciseLog, SessionLog
from routines.models import Routine

# The library is loaded once for the module (tests/conftest.py); the demo without it is tested
# in test_demo_without_the_library.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library_for_the_module")]

# A Wednesday everywhere the demo clients live (07:00 in New York, 13:00 in Berlin, 23:00 in
# Sydney), so each of them has due days behind them this week.
WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo(library, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    return demo_coaching_create()


def client_named(demo, first_name: str) -> User:
    return next(user for _, user in demo.clients if user.display_name.startswith(first_name))


def flags_by_name(trainer) -> dict[str, list[str]]:
    return {row.name.split()[0]: row.flags for row in roster(trainer)}


def test_after_load_demo_the_trainers_roster_shows_three_clients_and_every_flag(
    library, client, time_machine
):
    time_machine.move_to(WEDNESDAY, tick=False)
    call_command("load_demo", stdout=StringIO())
    client.force_login(User.objects.get(email=DEMO_TRAINER_EMAIL))

    response = client.get(reverse("coaching:roster"))

    assert response.status_code == 200
    assert "3 clients." in response.content.decode()
    for name in ("Priya (demo client)", "Tom (demo client)", "Maria (demo client)"):
        assert name in response.content.decode()
    for label in Flag.LABELS.values():
        assert label in response.content.decode()
    assert "1 new comment" in response.content.decode()


def test_each_client_has_the_flags_of_their_story(demo):
    assert flags_by_name(demo.trainer) == {
        "Priya": [],
        "Tom": [Flag.INACTIVE, Flag.LOW_ADHERENCE],
        "Maria": [Flag.PAIN],
    }


@pytest.mark.parametrize("days_later", range(7))
def test_every_flag_shows_on_any_day_but_the_lapsing_clients_monday(library, time_machine, days_later):
    now = WEDNESDAY + timedelta(days=days_later)
    time_machine.move_to(now, tick=False)
    demo = demo_coaching_create()

    flags = flags_by_name(demo.trainer)

    tom = client_named(demo, "Tom")
    if now.astimezone(tom.zone).weekday() == 0:
        # The roster counts a day as due once it is over: on a Monday, no one is behind yet.
        assert flags["Tom"] == [Flag.INACTIVE]
    else:
        assert flags["Tom"] == [Flag.INACTIVE, Flag.LOW_ADHERENCE]
    assert (flags["Priya"], flags["Maria"]) == ([], [Flag.PAIN])


def test_the_trainer_and_clients_log_in_with_the_demo_password_past_the_welcome_questions(demo, client):
    for email in [DEMO_TRAINER_EMAIL] + [user.email for _, user in demo.clients]:
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

        # Maria reported pain 8: she is asked whether anything changed, as after any such session.
        maria = email == client_named(demo, "Maria").email
        assert response.url == reverse("accounts:safety" if maria else "home")
        client.logout()


def test_the_roster_shows_maria_asked_the_safety_questions_again_after_her_pain(demo):
    statuses = {row.name.split()[0]: row.screening for row in roster(demo.trainer)}

    assert statuses == {"Priya": "done", "Tom": "done", "Maria": "due"}
    maria = client_named(demo, "Maria")
    maria.refresh_from_db()
    assert "pain of 8 out of 10" in maria.screening_due_reason
    assert demo.trainer.is_trainer
    assert not any(user.is_trainer for _, user in demo.clients)


def test_clients_live_in_different_time_zones_and_accepted_weeks_ago(demo):
    links = TrainerClient.objects.filter(trainer=demo.trainer)

    assert len({user.time_zone for _, user in demo.clients}) == 3
    assert all(link.is_active and link.accepted_at <= WEDNESDAY - timedelta(weeks=4) for link in links)


def test_each_client_plays_their_own_copy_of_a_routine_the_trainer_owns(demo):
    for assignment in Assignment.objects.filter(link__trainer=demo.trainer).select_related("link", "routine"):
        assert assignment.routine.owner == assignment.link.client
        assert assignment.source_routine.owner == demo.trainer
        assert assignment.routine.items.count() == assignment.source_routine.items.count() > 0


def test_every_session_is_the_assignments_and_before_today_in_the_clients_time_zone(demo):
    for _, user in demo.clients:
        assignment = Assignment.objects.get(link__client=user)
        sessions = SessionLog.objects.filter(user=user)
        today = WEDNESDAY.astimezone(user.zone).date()

        assert sessions.exists()
        for session in sessions:
            assert (session.assignment, session.routine, session.routine_title) == (
                assignment,
                assignment.routine,
                assignment.routine.title,
            )
            assert session.local_date == session.started_at.astimezone(user.zone).date() < today
            assert assignment.is_due_on(session.local_date)


def test_the_client_keeping_up_did_every_day_that_was_due(demo):
    priya = client_named(demo, "Priya")
    assignment = Assignment.objects.get(link__client=priya)
    yesterday = WEDNESDAY.astimezone(priya.zone).date() - timedelta(days=1)

    days = list(
        SessionLog.objects.filter(user=priya).order_by("local_date").values_list("local_date", flat=True)
    )

    assert days == assignment.due_days(assignment.starts_on, yesterday)


def test_the_lapsing_client_stopped_ten_days_ago_or_more(demo):
    tom = client_named(demo, "Tom")
    today = WEDNESDAY.astimezone(tom.zone).date()

    last = SessionLog.objects.filter(user=tom).latest("local_date").local_date

    assert (today - last).days >= LAPSED_DAYS
    assert SessionLog.objects.filter(user=tom).count() >= 6


def test_the_pain_clients_latest_session_has_pain_8_a_red_flag_and_a_thread_with_the_trainer(demo, client):
    maria = client_named(demo, "Maria")
    session = SessionLog.objects.filter(user=maria).latest("started_at")
    link = TrainerClient.objects.get(client=maria)
    client.force_login(demo.trainer)

    response = client.get(
        reverse("coaching:client_session", kwargs={"pk": link.pk, "session_pk": session.pk})
    )

    assert (session.pain, session.red_flags) == (8, ["Sharp or worsening pain"])
    assert (WEDNESDAY.astimezone(maria.zone).date() - session.local_date).days <= 3
    assert [comment.author for comment in session.comments.all()] == [demo.trainer, maria]
    assert "Leave out thread the needle" in response.content.decode()
    assert "It had eased by the next morning" in response.content.decode()


def test_load_demo_twice_creates_nothing_new(library, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    models = (User, TrainerClient, Assignment, Routine, SessionLog, ExerciseLog, SessionComment)
    first_output, second_output = StringIO(), StringIO()

    call_command("load_demo", stdout=first_output)
    counts = [model.objects.count() for model in models]
    time_machine.move_to(WEDNESDAY + timedelta(days=2), tick=False)
    call_command("load_demo", stdout=second_output)

    assert [model.objects.count() for model in models] == counts
    assert f"{DEMO_TRAINER_EMAIL:28} a trainer: their clients are at /coach/\n" in first_output.getvalue()
    assert f"{DEMO_TRAINER_EMAIL:28} a trainer: their clients are at /coach/ (already there)" in (
        second_output.getvalue()
    )
    assert "sessions of their assignments" not in second_output.getvalue()
