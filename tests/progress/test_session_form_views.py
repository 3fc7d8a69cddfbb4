import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from progress.models import ExerciseLog, SessionLog
from progress.selectors import local_today
from tests.factories import ExerciseFactory, RoutineFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW = reverse("progress:session_new")


@pytest.fixture
def person(client):
    user = UserFactory(time_zone="America/New_York")
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save()
    client.force_login(user)
    return user


def form(person, **overrides):
    yesterday = local_today(person) - timedelta(days=1)
    data = {
        "date": yesterday.isoformat(),
        "start_time": "18:00",
        "end_time": "18:20",
        "tightness_before": "7",
        "tightness_after": "4",
        "pain": "1",
        "notes": "Felt good",
    }
    data.update(overrides)
    return data


def test_logging_a_routine_done_elsewhere_records_it_with_its_exercises(client, person):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory(), ExerciseFactory()])

    response = client.post(NEW, form(person, routine=routine.pk), follow=True)

    session = SessionLog.objects.get()
    assert (session.routine, session.tightness_before, session.tightness_after, session.duration_seconds) == (
        routine,
        7,
        4,
        20 * 60,
    )
    assert session.local_date == local_today(person) - timedelta(days=1)
    assert session.started_at.astimezone(person.zone).hour == 18
    assert ExerciseLog.objects.filter(session=session).count() == 2
    assert "Session logged." in response.content.decode()


def test_logging_a_free_pick_of_exercises(client, person):
    # Logged in the library's order (by name), whatever order they were ticked in.
    picks = [ExerciseFactory(name=name) for name in ("Arm circles", "Bridge", "Cat-cow")]

    client.post(NEW, form(person, exercises=[p.pk for p in reversed(picks)]))

    assert list(ExerciseLog.objects.values_list("exercise", flat=True)) == [p.pk for p in picks]


def test_a_free_pick_of_a_per_side_exercise_with_two_sets_logs_every_hold_on_both_sides(client, person):
    doorway = ExerciseFactory(name="Doorway stretch", hold_seconds=30, reps=3, sets=2, per_side=True)

    response = client.post(NEW, form(person, exercises=[doorway.pk]), follow=True)

    log = ExerciseLog.objects.get()
    assert (log.seconds, log.reps) == (2 * 3 * 2 * 30, 2 * 3)  # 12 holds of 30 s; 6 reps each side
    assert "Doorway stretch: 6 min held, 6 reps" in response.content.decode()


def test_a_routine_logged_by_hand_records_each_exercise_as_the_player_plans_it(client, person):
    routine = RoutineFactory(
        owner=person, exercises=[ExerciseFactory(hold_seconds=20, reps=2, sets=3, per_side=True)]
    )
    routine.items.update(hold_seconds=45, sets=1)

    client.post(NEW, form(person, routine=routine.pk))

    log = ExerciseLog.objects.get()
    assert (log.seconds, log.reps) == (2 * 2 * 45, 2)  # the routine's own numbers, both sides


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "FUTURE", "That date is in the future."),
        ("date", "2001-01-01", "That is before you joined Unknot"),
        ("date", "not a date", "Enter a valid date."),
        ("end_time", "17:00", "The finish must be after the start (same day)."),
        ("tightness_before", "11", "Pick a number from 0 to 10."),
        ("pain", "-3", "Pick a number from 0 to 10."),
        ("tightness_after", "very", "Pick a number from 0 to 10."),
    ],
)
def test_bad_input_is_explained_on_the_field_and_what_was_typed_is_kept(
    client, person, field, value, message
):
    if value == "FUTURE":
        value = (local_today(person) + timedelta(days=2)).isoformat()

    response = client.post(NEW, form(person, **{field: value}))

    body = response.content.decode()
    assert response.status_code == 422
    assert message in body
    assert "Felt good" in body
    assert not SessionLog.objects.exists()


def test_a_session_can_be_logged_without_rating_it(client, person):
    unrated = form(person, tightness_before="", tightness_after="", pain="")

    response = client.post(NEW, unrated)

    session = SessionLog.objects.get()
    assert response.url == session.get_absolute_url()
    assert (session.tightness_before, session.tightness_after, session.pain) == (None, None, None)


def test_a_session_with_exercises_and_no_ratings_at_all_is_saved_unrated(client, person):
    # The ratings are radio buttons: left alone, the browser sends nothing for them.
    data = {
        key: value
        for key, value in form(person).items()
        if key not in ("tightness_before", "tightness_after", "pain")
    }

    response = client.post(NEW, {**data, "exercises": [ExerciseFactory().pk]})

    session = SessionLog.objects.get()
    assert response.url == session.get_absolute_url()
    assert (session.tightness_before, session.tightness_after, session.pain) == (None, None, None)


def test_an_edit_without_tightness_before_leaves_it_unrated(client, person):
    client.post(NEW, form(person))
    session = SessionLog.objects.get()
    data = {key: value for key, value in form(person).items() if key != "tightness_before"}

    response = client.post(reverse("progress:session_edit", args=[session.pk]), data)

    session.refresh_from_db()
    assert response.url == session.get_absolute_url()
    assert session.tightness_before is None


def test_a_red_flag_ticked_is_saved_and_named_in_the_guidance(client, person):
    response = client.post(NEW, form(person, pain="8", tingling="on"), follow=True)

    session = SessionLog.objects.get()
    assert (session.tingling, session.numbness, session.weakness, session.sharp_pain) == (
        True,
        False,
        False,
        False,
    )
    assert "You reported tingling (pins and needles) and pain of 8 out of 10." in response.content.decode()


def test_editing_shows_the_red_flags_the_session_was_logged_with(client, person):
    client.post(NEW, form(person, weakness="on"))
    session = SessionLog.objects.get()

    body = client.get(reverse("progress:session_edit", args=[session.pk])).content.decode()

    assert re.search(r'<input type="checkbox" name="weakness"[^>]* checked>', body)
    assert not re.search(r'<input type="checkbox" name="numbness"[^>]* checked>', body)


def test_choosing_both_a_routine_and_exercises_is_refused(client, person):
    routine = RoutineFactory(owner=person)

    response = client.post(NEW, form(person, routine=routine.pk, exercises=[ExerciseFactory().pk]))

    assert response.status_code == 422
    assert "Choose a routine or exercises, not both." in response.content.decode()


def test_someone_elses_routine_cannot_be_logged(client, person):
    response = client.post(NEW, form(person, routine=RoutineFactory().pk))

    assert response.status_code == 422
    assert not SessionLog.objects.exists()


def test_editing_corrects_times_and_ratings_but_keeps_the_exercises(client, person):
    client.post(NEW, form(person, exercises=[ExerciseFactory().pk]))
    session = SessionLog.objects.get()

    page = client.get(reverse("progress:session_edit", args=[session.pk]))
    assert 'value="18:00"' in page.content.decode()
    response = client.post(
        reverse("progress:session_edit", args=[session.pk]),
        form(person, start_time="07:00", end_time="07:30", pain="8"),
    )

    session.refresh_from_db()
    assert response.url == session.get_absolute_url()
    assert (session.started_at.astimezone(person.zone).hour, session.pain, session.duration_seconds) == (
        7,
        8,
        1800,
    )
    assert session.exercise_logs.count() == 1


def test_deleting_asks_first(client, person):
    client.post(NEW, form(person))
    session = SessionLog.objects.get()
    url = reverse("progress:session_delete", args=[session.pk])

    assert "Delete this session?" in client.get(url).content.decode()
    assert SessionLog.objects.exists()
    client.post(url)
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize("name", ["session_detail", "session_edit", "session_delete"])
def test_another_persons_session_is_not_found_and_unchanged(client, person, name, log_session):
    theirs = log_session(UserFactory(), local_today(person), pain=2)

    assert client.get(reverse(f"progress:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse(f"progress:{name}", args=[theirs.pk]), form(person, pain="9")).status_code in {
        404,
        405,
    }
    theirs.refresh_from_db()
    assert theirs.pain == 2


def test_the_form_starts_with_today_in_a_format_date_inputs_accept(client, person):
    body = client.get(NEW).content.decode()

    assert f'type="date" name="date" value="{local_today(person).isoformat()}"' in body


@pytest.mark.parametrize(
    ("clock", "start", "end"),
    [("12:30", "12:20", "12:30"), ("00:04", "00:00", "00:04"), ("00:00", "00:00", "00:01")],
)
def test_the_times_the_form_starts_with_log_a_session_as_they_are_even_just_after_midnight(
    client, person, time_machine, clock, start, end
):
    # The form logs one day's session, so the ten minutes just past are cut at local midnight.
    day = local_today(person) - timedelta(days=2)
    time_machine.move_to(datetime.combine(day, time.fromisoformat(clock), tzinfo=person.zone), tick=False)
    body = client.get(NEW).content.decode()
    shown = {
        name: re.search(rf'name="{name}" value="([^"]*)"', body).group(1)
        for name in ("date", "start_time", "end_time")
    }
    assert shown == {"date": day.isoformat(), "start_time": start, "end_time": end}

    response = client.post(NEW, shown | {"notes": "Ten minutes at my desk"})

    assert response.status_code == 302
    assert SessionLog.objects.get(user=person).notes == "Ten minutes at my desk"


def test_a_routine_that_is_not_a_plain_number_is_a_form_error_not_a_server_error(client, person):
    # "²" passes str.isdigit() but not int(): the forms fuzz found it.
    response = client.post(NEW, {"routine": "²"})

    assert response.status_code == 422
    assert not SessionLog.objects.exists()


def test_a_routine_in_the_address_that_is_no_id_is_left_out_not_a_server_error(client, person):
    for routine in ("9" * 5000, "9" * 20, "0", "²"):
        response = client.get(NEW, {"routine": routine})

        assert response.status_code == 200, routine
        assert "How did that feel?" not in response.content.decode(), routine
