"""Weekly emails: each person's summary of their own week, and each trainer's digest."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from django.template.loader import render_to_string

from notifications.dispatch import dispatch_due_emails
from notifications.models import Delivery, EmailKind
from notifications.services import email_settings_update, reminder_schedule_save
from notifications.summaries import weekly_summary_message
from tests.factories import ExerciseFactory, TrainerClientFactory, UserFactory, assignment_create

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def weekly_run(time_machine, django_capture_on_commit_callbacks):
    """weekly_run(*instants): the dispatcher at a quiet moment first (it schedules everyone's
    weekly email), then at each instant; sends go out at once."""

    def run(*instants: datetime):
        time_machine.move_to(utc(2026, 11, 26, 12, 0), tick=False)
        dispatch_due_emails()
        for instant in instants:
            time_machine.move_to(instant, tick=False)
            with django_capture_on_commit_callbacks(execute=True):
                dispatch_due_emails()

    return run


def summaries_in(mailoutbox):
    return [email for email in mailoutbox if "Your week" in email.subject]


def test_the_summary_reports_the_past_local_week_against_the_goal(weekly_run, mailoutbox, log_session):
    sam = UserFactory(time_zone="Europe/London", weekly_goal_sessions=3, weekly_goal_minutes=30)
    twist, opener = ExerciseFactory(name="Seated twist"), ExerciseFactory(name="Doorway opener")
    # The week before: tightness 7 at the start.
    log_session(sam, date(2026, 11, 17), before=7, after=5)
    # The week summarised (Monday 23 to Sunday 29 November).
    log_session(sam, date(2026, 11, 23), minutes=12, before=6, after=3, exercises=[twist, opener])
    log_session(sam, date(2026, 11, 25), minutes=10, before=5, after=2, exercises=[twist])
    log_session(sam, date(2026, 11, 28), minutes=8, before=4, after=4, exercises=[opener], numbness=True)
    log_session(sam, MONDAY, minutes=30)  # Monday morning, before the email: next week's

    weekly_run(utc(2026, 11, 30, 8, 0))

    [email] = summaries_in(mailoutbox)
    assert email.to == [sam.email]
    assert email.subject == "[Unknot] Your week: 3 sessions, 30 min"
    body = email.body
    assert "Sessions: 3 of 3" in body
    assert "Minutes: 30 of 30" in body
    assert "Tightness: 5.0 before → 3.0 after" in body
    assert "Compared with the week before: -2.0 (looser at the start)" in body
    assert "What helped most: Seated twist (tightness down 3.0 on average, in 2 sessions)" in body
    assert "Saturday 28 November: Numbness" in body
    html = email.alternatives[0][0]
    assert "Seated twist" in html


def test_the_summary_names_red_flags_and_high_pain_as_the_app_does(weekly_run, mailoutbox, log_session):
    sam = UserFactory(time_zone="Europe/London")
    log_session(sam, date(2026, 11, 24), pain=8, tingling=True, weakness=True)
    log_session(sam, date(2026, 11, 26), pain=7)

    weekly_run(utc(2026, 11, 30, 8, 0))

    [email] = summaries_in(mailoutbox)
    for part in (email.body, email.alternatives[0][0]):
        assert (
            "Tuesday 24 November: Tingling (pins and needles), "
            "weakness in an arm or hand and pain of 8 out of 10" in part
        )
        assert "Thursday 26 November: Pain of 7 out of 10" in part


def test_the_summary_holds_nothing_of_anyone_else(weekly_run, mailoutbox, log_session):
    sam, alex = UserFactory(display_name="Sam"), UserFactory(display_name="Alex")
    log_session(sam, date(2026, 11, 24), minutes=10)
    for day in (23, 24, 25, 26, 27):
        log_session(alex, date(2026, 11, day), minutes=40, numbness=True)

    weekly_run(utc(2026, 11, 30, 8, 0))

    sams = next(email for email in summaries_in(mailoutbox) if email.to == [sam.email])
    assert "Sessions: 1 of" in sams.body
    assert "Minutes: 10 of" in sams.body
    assert "Numbness" not in sams.body
    assert "Alex" not in sams.body


def test_nobody_without_activity_or_schedule_gets_an_empty_summary(weekly_run, mailoutbox, time_machine):
    UserFactory()  # nothing at all
    planner = UserFactory(time_zone="UTC")
    time_machine.move_to(utc(2026, 11, 26, 11, 0), tick=False)
    reminder_schedule_save(user=planner, weekdays=[0, 2, 4], local_time=time(7, 45))

    weekly_run(utc(2026, 11, 30, 8, 0))

    [email] = summaries_in(mailoutbox)
    assert email.to == [planner.email]
    assert "Mon, Wed, Fri at 07:45" in email.body


def test_the_summary_comes_at_the_chosen_day_and_time_or_not_at_all(weekly_run, mailoutbox, log_session):
    friday = UserFactory(time_zone="UTC", weekly_email_weekday=4, weekly_email_time=time(17, 0))
    off = UserFactory(time_zone="UTC", weekly_summary_emails=False)
    for person in (friday, off):
        log_session(person, date(2026, 11, 24))

    weekly_run(utc(2026, 11, 27, 16, 59), utc(2026, 11, 27, 17, 0), utc(2026, 11, 30, 8, 0))

    assert [email.to for email in summaries_in(mailoutbox)] == [[friday.email]]
    assert not Delivery.objects.filter(user=off).exists()


def test_people_at_utc_plus_14_and_minus_12_get_their_monday_summary_at_their_own_eight(
    weekly_run, mailoutbox, log_session
):
    kiritimati = UserFactory(time_zone="Pacific/Kiritimati")  # UTC+14
    baker = UserFactory(time_zone="Etc/GMT+12")  # UTC−12
    for person in (kiritimati, baker):
        log_session(person, date(2026, 11, 25))

    weekly_run(utc(2026, 11, 29, 18, 0))  # Monday 08:00 in Kiritimati; Sunday 06:00 at UTC−12
    assert [email.to for email in summaries_in(mailoutbox)] == [[kiritimati.email]]

    weekly_run(utc(2026, 11, 30, 20, 0))  # Monday 08:00 at UTC−12
    assert [email.to for email in summaries_in(mailoutbox)] == [[kiritimati.email], [baker.email]]

    weeks = set(Delivery.objects.filter(kind=EmailKind.WEEKLY_SUMMARY).values_list("period_key", flat=True))
    assert weeks == {"2026-11-30"}  # the local day each was sent
    for email in summaries_in(mailoutbox):
        assert "Monday 23 November to Sunday 29 November" in email.body


def test_a_trainer_gets_a_digest_of_their_clients_with_who_needs_a_nudge(
    weekly_run, mailoutbox, log_session, time_machine, library
):
    time_machine.move_to(utc(2026, 11, 20, 12, 0), tick=False)
    keeping_up = TrainerClientFactory(client__display_name="Priya", client__time_zone="UTC")
    trainer = keeping_up.trainer
    lapsing = TrainerClientFactory(trainer=trainer, client__display_name="Tom", client__time_zone="UTC")
    priya_plan = assignment_create(keeping_up, weekdays=[0, 2, 4])
    assignment_create(lapsing, weekdays=[0, 2, 4])
    for day in (23, 25, 27):
        log_session(keeping_up.client, date(2026, 11, day), routine=priya_plan.routine)

    weekly_run(utc(2026, 11, 30, 8, 0))

    [digest] = [email for email in mailoutbox if email.to == [trainer.email]]
    assert "Could use a nudge: Tom" in digest.body
    assert "- Priya: 100% (3 of 3 days)" in digest.body
    assert "- Tom: 0% (0 of 3 days)" in digest.body
    assert "/coach/" in digest.body
    assert digest.subject == "[Unknot] Your clients, week of 23 November: 1 to follow up"


def test_the_digest_says_who_to_check_in_with_and_why(weekly_run, mailoutbox, log_session, time_machine):
    time_machine.move_to(utc(2026, 11, 20, 12, 0), tick=False)
    link = TrainerClientFactory(client__display_name="Priya", client__time_zone="UTC")
    plan = assignment_create(link, weekdays=[0, 2, 4])
    log_session(link.client, date(2026, 11, 25), routine=plan.routine, pain=7)

    weekly_run(utc(2026, 11, 30, 8, 0))

    [digest] = [email for email in mailoutbox if "Your clients" in email.subject]
    for part in (digest.body, digest.alternatives[0][0]):
        assert "(pain 7+ or a red flag in the last 14 days, or pain rising): Priya" in part


def test_the_digest_counts_the_same_finished_week_for_clients_ahead_of_the_trainer(
    weekly_run, mailoutbox, log_session, time_machine, library
):
    time_machine.move_to(utc(2026, 11, 20, 12, 0), tick=False)
    link = TrainerClientFactory(
        trainer__time_zone="America/Los_Angeles",
        client__display_name="Mia",
        client__time_zone="Australia/Sydney",
    )
    plan = assignment_create(link, weekdays=list(range(7)))
    for day in range(23, 30):  # every day of the week of 23 November, Sydney time
        log_session(link.client, date(2026, 11, day), routine=plan.routine)

    # Monday 08:00 in Los Angeles, when it is already Tuesday 03:00 in Sydney.
    weekly_run(utc(2026, 11, 30, 16, 0))

    [digest] = [email for email in mailoutbox if email.to == [link.trainer.email]]
    assert "- Mia: 100% (7 of 7 days)" in digest.body
    assert "week of Monday 23 November" in digest.body


@pytest.mark.parametrize("shares_ratings", [True, False], ids=["shares ratings", "keeps ratings private"])
def test_the_digest_shows_pain_rising_only_when_the_client_shares_ratings(
    weekly_run, mailoutbox, log_session, time_machine, shares_ratings
):
    time_machine.move_to(utc(2026, 11, 20, 12, 0), tick=False)
    link = TrainerClientFactory(
        client__display_name="Priya", client__time_zone="UTC", share_ratings=shares_ratings
    )
    plan = assignment_create(link, weekdays=[0, 2, 4])
    for day, pain in ((23, 1), (25, 3), (27, 4)):
        log_session(link.client, date(2026, 11, day), routine=plan.routine, pain=pain)

    weekly_run(utc(2026, 11, 30, 8, 0))

    [digest] = [email for email in mailoutbox if "Your clients" in email.subject]
    for part in (digest.body, digest.alternatives[0][0]):
        if shares_ratings:
            assert "(3 of 3 days); last session 2026-11-27; Pain rising" in part
            assert "or pain rising): Priya" in part
        else:
            assert "Pain rising" not in part
            assert "Check in" not in part


def summary_windows(person) -> list[tuple[str, str]]:
    return list(
        Delivery.objects.filter(user=person, kind=EmailKind.WEEKLY_SUMMARY)
        .order_by("due_at")
        .values_list("context__first_day", "context__last_day")
    )


@pytest.fixture
def every_day_from_the_20th(log_session):
    """A person (weekly email on `weekday`) with a session every day from 20 November to 12 December."""

    def make(weekday: int):
        person = UserFactory(time_zone="Europe/London", weekly_email_weekday=weekday)
        for day in range(20, 43):
            log_session(person, date(2026, 11, 1) + timedelta(days=day - 1), at=time(7, 0))
        return person

    return make


def at(time_machine, instant: datetime, action) -> None:
    time_machine.move_to(instant, tick=False)
    action()


def test_moving_the_weekly_day_from_sunday_to_monday_covers_sunday_once_and_no_day_twice(
    every_day_from_the_20th, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    sam = every_day_from_the_20th(weekday=6)  # Sunday
    with django_capture_on_commit_callbacks(execute=True):
        at(time_machine, utc(2026, 11, 26, 12, 0), dispatch_due_emails)  # schedules Sunday 29, 08:00
        at(time_machine, utc(2026, 11, 29, 8, 0), dispatch_due_emails)
        at(
            time_machine,
            utc(2026, 11, 29, 12, 0),
            lambda: email_settings_update(user=sam, weekly_email_weekday=0),
        )
        at(time_machine, utc(2026, 11, 30, 8, 0), dispatch_due_emails)  # Monday, the next day
        at(time_machine, utc(2026, 12, 7, 8, 0), dispatch_due_emails)

    assert summary_windows(sam) == [
        ("2026-11-22", "2026-11-28"),
        ("2026-11-29", "2026-11-29"),  # only the day the Sunday summary did not cover
        ("2026-11-30", "2026-12-06"),
    ]
    [one_day] = [
        email for email in mailoutbox if "Since your last summary: Sunday 29 November:" in email.body
    ]
    assert "Sessions: 1 of" in one_day.body


def test_moving_the_weekly_day_later_in_the_same_week_still_sends_that_week(
    every_day_from_the_20th, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    pat = every_day_from_the_20th(weekday=0)  # Monday
    with django_capture_on_commit_callbacks(execute=True):
        at(time_machine, utc(2026, 11, 26, 12, 0), dispatch_due_emails)
        at(time_machine, utc(2026, 11, 30, 8, 0), dispatch_due_emails)  # Monday 30 November
        at(
            time_machine,
            utc(2026, 12, 1, 12, 0),
            lambda: email_settings_update(user=pat, weekly_email_weekday=4),
        )
        at(time_machine, utc(2026, 12, 4, 8, 0), dispatch_due_emails)  # Friday, the same ISO week
        at(time_machine, utc(2026, 12, 11, 8, 0), dispatch_due_emails)

    assert summary_windows(pat) == [
        ("2026-11-23", "2026-11-29"),
        ("2026-11-30", "2026-12-03"),  # Monday to Thursday: not dropped, not doubled
        ("2026-12-04", "2026-12-10"),
    ]
    assert [email.to for email in mailoutbox if "[Unknot] Your week" in email.subject] == [[pat.email]] * 3
    assert "Since your last summary: Monday 30 November to Thursday 3 December" in mailoutbox[1].body


def test_moving_the_weekly_day_earlier_never_sends_two_summaries_of_the_same_days(
    every_day_from_the_20th, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    kim = every_day_from_the_20th(weekday=4)  # Friday
    with django_capture_on_commit_callbacks(execute=True):
        at(time_machine, utc(2026, 11, 26, 12, 0), dispatch_due_emails)
        at(time_machine, utc(2026, 11, 27, 8, 0), dispatch_due_emails)  # Friday 27 November
        at(
            time_machine,
            utc(2026, 11, 27, 12, 0),
            lambda: email_settings_update(user=kim, weekly_email_weekday=2),
        )
        at(time_machine, utc(2026, 12, 2, 8, 0), dispatch_due_emails)  # Wednesday
        at(time_machine, utc(2026, 12, 9, 8, 0), dispatch_due_emails)

    windows = summary_windows(kim)
    assert windows == [
        ("2026-11-20", "2026-11-26"),
        ("2026-11-27", "2026-12-01"),
        ("2026-12-02", "2026-12-08"),
    ]
    for (_, last), (first, _) in pairwise(windows):
        assert date.fromisoformat(first) == date.fromisoformat(last) + timedelta(days=1)


def test_the_summary_gives_next_weeks_programme_plan_and_each_change_with_its_reason(
    weekly_run, mailoutbox, time_machine, library
):
    from progress.enrolment import programme_start
    from progress.models import ProgrammeRoutine
    from progress.services import ExerciseLogEntry, session_log_record

    sam = UserFactory(time_zone="Europe/London")
    time_machine.move_to(utc(2026, 11, 27, 8, 0), tick=False)  # Friday
    enrolment = programme_start(user=sam, track="mobility_strength")
    routine = enrolment.routines.get(slot=ProgrammeRoutine.Slot.SESSION).routine
    for day in (27, 28, 29):  # three easy, pain-free sessions
        started = utc(2026, 11, day, 9, 0)
        time_machine.move_to(started, tick=False)
        session_log_record(
            user=sam,
            routine=routine,
            client_token=None,
            started_at=started,
            finished_at=utc(2026, 11, day, 9, 15),
            tightness_before=5,
            tightness_after=3,
            pain=0,
            exercises=[
                ExerciseLogEntry(item.exercise_id, 30, item.reps, False) for item in routine.items.all()
            ],
        )

    weekly_run(utc(2026, 11, 30, 8, 0))

    [email] = summaries_in(mailoutbox)
    body = email.body
    assert "Your plan for next week: Upper-back reset, week 1 of 6 (mobility with strength)" in body
    assert "Week 2 begins on Friday 4 December." in body
    assert "- Band row: 3 × 10" in body
    assert "Desk break, every day: Upper-back reset: desk break" in body
    assert (
        "- Stepped up: Band row, 3 × 10 instead of 2 × 10, because your last three sessions were pain-free"
        in body
    )
    html = email.alternatives[0][0]
    assert "Your plan for next week" in html
    assert "because your last three sessions were pain-free" in html


def test_the_plan_section_is_left_out_for_someone_not_following_the_programme(
    weekly_run, mailoutbox, log_session
):
    sam = UserFactory(time_zone="Europe/London")
    log_session(sam, date(2026, 11, 24))

    weekly_run(utc(2026, 11, 30, 8, 0))

    [email] = summaries_in(mailoutbox)
    assert "Your plan for next week" not in email.body


def test_the_plan_section_costs_the_same_queries_for_one_person_or_four(library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.summaries import weekly_summaries_build
    from progress.enrolment import programme_start

    def queries_for(count: int) -> int:
        people = [UserFactory(time_zone="Europe/London") for _ in range(count)]
        for person in people:
            programme_start(user=person, track="strength_led", now=utc(2026, 11, 25, 12))
        with CaptureQueriesContext(connection) as queries:
            summaries = weekly_summaries_build([(person, MONDAY) for person in people])
        assert all(summaries[person.pk]["programme"]["routines"] for person in people)
        return len(queries)

    assert queries_for(1) == queries_for(4)


@pytest.mark.parametrize("red_flags", [[], [{"day": "2026-11-24", "labels": ["Numbness"], "pain": 2}]])
def test_finishing_the_programme_says_well_done_only_beside_no_red_flag(red_flags):
    """No "well done" next to advice to see someone (issue 13)."""
    summary = {
        "first_day": "2026-11-23",
        "last_day": "2026-11-29",
        "red_flags": red_flags,
        "programme": {"finishing": True, "routines": [], "changes": []},
    }
    template, context = weekly_summary_message(Delivery(user=UserFactory.build(), context=summary))

    for extension in ("txt", "html"):
        body = render_to_string(f"{template}.{extension}", context)
        assert "your last week is over" in body
        assert ("well done" in body) == (not red_flags)
        assert ("see a doctor or physiotherapist" in body) == bool(red_flags)
