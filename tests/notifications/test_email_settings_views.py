from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from notifications.models import ReminderSchedule
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
SETTINGS = reverse("notifications:settings")
NEW = reverse("notifications:reminder_new")
PREFERENCES = reverse("notifications:preferences")


@pytest.fixture
def person(client):
    user = UserFactory(time_zone="Europe/Berlin")
    client.force_login(user)
    return user


def reminder(user, *, weekdays=(0, 1, 2, 3, 4), at=time(8, 0), **fields) -> ReminderSchedule:
    return reminder_schedule_save(user=user, weekdays=list(weekdays), local_time=at, **fields)


def preferences(**overrides) -> dict:
    data = {
        "reminder_emails": "on",
        "weekly_summary_emails": "on",
        "weekly_email_weekday": "0",
        "weekly_email_time": "08:00",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# --- The settings page ------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client):
    response = client.get(SETTINGS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_lists_the_persons_reminders_with_days_time_and_routine(client, person):
    routine = RoutineFactory(owner=person, title="Morning loosener")
    reminder(person, routine=routine)
    reminder(person, weekdays=[5, 6], at=time(18, 30), enabled=False)

    response = client.get(SETTINGS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Weekdays at 08:00" in page
    assert "Morning loosener" in page
    assert "Weekends at 18:30" in page
    assert "General reminder (your last routine)" in page
    assert "Off" in page
    assert "No reminders yet" not in page


def test_a_reminder_made_for_an_assignment_says_it_is_from_the_trainer(client):
    link = TrainerClientFactory()
    assignment_create(link, title="Desk reset")
    client.force_login(link.client)

    response = client.get(SETTINGS)

    assert "From your trainer" in response.content.decode()
    assert "Desk reset" in response.content.decode()


def test_without_reminders_it_says_so_and_offers_to_add_one(client, person):
    response = client.get(SETTINGS)

    assert "No reminders yet" in response.content.decode()
    assert NEW in response.content.decode()


def test_it_says_times_are_in_the_persons_time_zone_and_links_to_change_it(client, person):
    response = client.get(SETTINGS)

    assert "Europe/Berlin" in response.content.decode()
    assert reverse("accounts:settings") in response.content.decode()


def test_the_calendar_address_is_made_when_asked_for_not_by_looking(client, person):
    first_look = client.get(SETTINGS)
    person.refresh_from_db()
    token_after_looking = person.calendar_token

    response = client.post(reverse("notifications:calendar_reset"), follow=True)

    person.refresh_from_db()
    assert token_after_looking is None  # a GET writes nothing
    assert "Make my calendar address" in first_look.content.decode()
    assert person.calendar_token
    feed = reverse("notifications:calendar_feed", kwargs={"token": person.calendar_token})
    assert f'value="http://testserver{feed}"' in response.content.decode()
    assert "Your calendar address is ready" in response.content.decode()
    client.get(SETTINGS)
    assert User.objects.get(pk=person.pk).calendar_token == person.calendar_token  # kept after that


def test_trainer_emails_are_offered_to_trainers_only(client, person):
    assert "digest of my clients" not in client.get(SETTINGS).content.decode()

    client.force_login(TrainerFactory())
    page = client.get(SETTINGS).content.decode()

    assert "digest of my clients" in page
    assert "Safety alerts" in page


def test_the_page_runs_the_same_queries_with_one_reminder_or_five(client, person):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(SETTINGS).status_code == 200
        return len(queries)

    reminder(person, routine=RoutineFactory(owner=person))
    client.get(SETTINGS)  # makes the calendar address
    one = count()
    for _ in range(4):
        reminder(person, routine=RoutineFactory(owner=person))

    assert count() == one


def test_the_main_settings_page_links_to_the_email_settings(client, person):
    response = client.get(reverse("accounts:settings"))

    assert "Emails and reminders" in response.content.decode()
    assert SETTINGS in response.content.decode()


# --- Adding and changing a reminder -----------------------------------------------------------


def test_adding_a_reminder_saves_it_and_says_when(client, person):
    routine = RoutineFactory(owner=person)

    response = client.post(
        NEW,
        {
            "weekdays": ["0", "1", "2", "3", "4"],
            "local_time": "08:00",
            "routine": routine.pk,
            "enabled": "on",
        },
    )

    assert response.status_code == 302
    assert response.url == SETTINGS
    schedule = ReminderSchedule.objects.get(user=person)
    assert (schedule.weekdays, schedule.local_time, schedule.routine, schedule.enabled) == (
        [0, 1, 2, 3, 4],
        time(8, 0),
        routine,
        True,
    )
    assert schedule.next_due_at is not None
    assert "Reminder saved: Weekdays at 08:00." in client.get(SETTINGS).content.decode()


def test_a_general_reminder_has_no_routine(client, person):
    client.post(NEW, {"weekdays": ["6"], "local_time": "19:15", "routine": "", "enabled": "on"})

    schedule = ReminderSchedule.objects.get(user=person)
    assert (schedule.routine, schedule.weekdays, schedule.local_time) == (None, [6], time(19, 15))


def test_several_reminders_are_allowed(client, person):
    client.post(NEW, {"weekdays": ["0"], "local_time": "08:00", "enabled": "on"})
    client.post(NEW, {"weekdays": ["0"], "local_time": "17:00", "enabled": "on"})

    assert ReminderSchedule.objects.filter(user=person).count() == 2


def test_a_reminder_needs_a_day_and_a_time_and_keeps_what_was_typed(client, person):
    response = client.post(NEW, {"weekdays": [], "local_time": "", "enabled": "on"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Pick at least one day of the week." in page
    assert "Enter the time for the reminder" in page
    assert not ReminderSchedule.objects.exists()

    response = client.post(NEW, {"weekdays": ["2"], "local_time": "25:99"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter a time such as 08:00" in page
    assert 'value="2" id="id_weekdays_2" checked' in page
    assert 'value="25:99"' in page


def test_someone_elses_routine_is_a_form_error_not_a_crash(client, person):
    theirs = RoutineFactory(owner=UserFactory())

    for value in (theirs.pk, "not-a-number"):
        response = client.post(NEW, {"weekdays": ["0"], "local_time": "08:00", "routine": value})

        assert response.status_code == 422
        assert "Pick one of your own routines" in response.content.decode()
    assert not ReminderSchedule.objects.exists()


def test_editing_a_reminder_changes_it_and_when_it_is_next_due(client, person):
    schedule = reminder(person)
    url = reverse("notifications:reminder_edit", kwargs={"pk": schedule.pk})
    assert client.get(url).status_code == 200

    response = client.post(url, {"weekdays": ["5", "6"], "local_time": "10:30"})

    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.weekdays, schedule.local_time, schedule.enabled) == ([5, 6], time(10, 30), False)
    assert schedule.next_due_at is None  # turned off
    assert "Reminder saved: Weekends at 10:30." in client.get(SETTINGS).content.decode()


def test_the_routine_of_a_trainers_reminder_stays_the_assigned_one(client):
    link = TrainerClientFactory()
    assignment = assignment_create(link, exercises=[ExerciseFactory()])
    schedule = assignment.reminder_schedule
    other = RoutineFactory(owner=link.client)
    client.force_login(link.client)
    url = reverse("notifications:reminder_edit", kwargs={"pk": schedule.pk})

    assert 'name="routine"' not in client.get(url).content.decode()
    client.post(url, {"weekdays": ["1"], "local_time": "07:00", "routine": other.pk, "enabled": "on"})

    schedule.refresh_from_db()
    assert (schedule.routine, schedule.weekdays, schedule.local_time) == (assignment.routine, [1], time(7, 0))


def test_someone_elses_reminder_cannot_be_seen_changed_or_deleted(client, person):
    schedule = reminder(UserFactory())

    for name in ("notifications:reminder_edit", "notifications:reminder_delete"):
        url = reverse(name, kwargs={"pk": schedule.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"weekdays": ["6"], "local_time": "23:00"}).status_code == 404

    schedule.refresh_from_db()
    assert (schedule.weekdays, schedule.local_time) == ([0, 1, 2, 3, 4], time(8, 0))


def test_deleting_a_reminder_asks_first(client, person):
    schedule = reminder(person)
    url = reverse("notifications:reminder_delete", kwargs={"pk": schedule.pk})

    response = client.get(url)

    assert "Delete this reminder?" in response.content.decode()
    assert ReminderSchedule.objects.filter(pk=schedule.pk).exists()
    response = client.post(url, follow=True)
    assert "Reminder deleted: Weekdays at 08:00." in response.content.decode()
    assert not ReminderSchedule.objects.filter(pk=schedule.pk).exists()


# --- Which emails -----------------------------------------------------------------------------


def test_saving_preferences_turns_kinds_off_and_moves_the_weekly_email(client, person):
    response = client.post(
        PREFERENCES, preferences(reminder_emails=None, weekly_email_weekday="4", weekly_email_time="17:45")
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.reminder_emails, person.weekly_summary_emails) == (False, True)
    assert (person.weekly_email_weekday, person.weekly_email_time) == (4, time(17, 45))
    # Moving the weekly email recomputes when it is next due: a Friday at 17:45 in Berlin.
    due = person.weekly_email_due_at.astimezone(person.zone)
    assert (due.weekday(), due.time()) == (4, time(17, 45))
    assert "Email settings saved." in client.get(SETTINGS).content.decode()


def test_the_trainer_kinds_are_only_changed_by_trainers(client, person):
    client.post(PREFERENCES, preferences(trainer_digest_emails=None, alert_emails=None, reminder_emails=None))

    person.refresh_from_db()
    assert (person.trainer_digest_emails, person.alert_emails, person.reminder_emails) == (True, True, False)

    trainer = TrainerFactory()
    client.force_login(trainer)
    client.post(PREFERENCES, preferences(trainer_digest_emails="on"))

    trainer.refresh_from_db()
    assert (trainer.trainer_digest_emails, trainer.alert_emails) == (True, False)


def test_bad_preferences_show_the_settings_page_again_with_the_errors(client, person):
    response = client.post(PREFERENCES, preferences(weekly_email_weekday="9", weekly_email_time="later"))

    assert response.status_code == 422
    page = response.content.decode()
    assert "Pick a day of the week." in page
    assert "Enter a time such as 08:00" in page
    assert 'value="later"' in page
    person.refresh_from_db()
    assert person.weekly_email_time == time(8, 0)


def test_preferences_are_saved_by_post_only(client, person):
    assert client.get(PREFERENCES).status_code == 405


# --- The calendar address ---------------------------------------------------------------------


def test_resetting_the_calendar_address_makes_a_new_one(client, person):
    client.post(reverse("notifications:calendar_reset"))
    person.refresh_from_db()
    old = person.calendar_token

    response = client.post(reverse("notifications:calendar_reset"), follow=True)

    person.refresh_from_db()
    assert person.calendar_token
    assert person.calendar_token != old
    assert "The old one no longer works" in response.content.decode()
    assert (
        reverse("notifications:calendar_feed", kwargs={"token": person.calendar_token})
        in response.content.decode()
    )
    assert client.get(reverse("notifications:calendar_reset")).status_code == 405
