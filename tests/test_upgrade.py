"""An upgrade keeps data.

A database as the release before the notifications app left it, holding every kind of row, is
upgraded the way a deploy does it (`manage.py migrate`); then every row is still there, with its
values and relations, and the pages that show them still render.

The rows are written with the historical models of that release (`TODAY`), so the test says what a
real upgrade does whatever the migrations in between do: today the forward migration is a no-op;
once ReminderSchedule and Delivery move apps (SeparateDatabaseAndState), it is the move itself.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse

# --- The models as the code has them now, read after the upgrade (ReminderSchedule and Delivery
# moved from progress to notifications, keeping their tables).
from accounts.models import User
from coaching.models import SessionComment, TrainerClient
from notifications.models import Delivery, ReminderSchedule
from progress.models import RED_FLAGS, AssignmentDayRollup, DayRollup, ExerciseRollup, SessionLog
from progress.rollups import rollups_rebuild
from tests.conftest import TEST_PASSWORD_HASHERS

# The leaf migrations of the release before the notifications app: the schema of a database that
# is being upgraded. History: never change these, not even after the move (the historical models
# below are looked up in this state, where ReminderSchedule and Delivery are still in `progress`).
TODAY = [
    ("accounts", "0006_email_preferences"),
    ("routines", "0002_routines"),
    ("progress", "0003_email_outbox"),
    ("coaching", "0001_initial"),
]

pytestmark = pytest.mark.slow  # migrating back and forth

UTC_NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CLIENT_EMAIL = "sam@example.com"
TRAINER_EMAIL = "robin@example.com"
STAFF_EMAIL = "support@example.com"
INVITED_EMAIL = "new.client@example.com"
WEEKLY_SUMMARY = {
    "first_day": "2026-11-16",
    "last_day": "2026-11-22",
    "sessions": 3,
    "minutes": 31,
    "goal_sessions": 4,
    "goal_minutes": 30,
    "streak_days": 2,
    "tightness_before": 6.0,
    "tightness_after": 3.5,
    "previous_before": None,
    "change": None,
    "helped_most": {"name": "Seated twist", "relief": 2.5, "sessions": 2},
    "red_flags": [{"day": "2026-11-18", "labels": ["Tingling"], "pain": 8}],
    "schedule": [{"days": "Mon, Wed, Fri", "time": "08:00", "title": "Desk reset", "from_trainer": True}],
}
TRAINER_DIGEST = {
    "week_start": "2026-11-16",
    "clients": [
        {
            "link_id": None,  # filled in with the link's id
            "name": "Sam",
            "done": 1,
            "scheduled": 3,
            "adherence": 33,
            "last_session": "2026-11-18",
            "flags": ["Pain 7+ or a red flag"],
        }
    ],
    "nudge": ["Sam"],
    "check_in": ["Sam"],
}


# --- Migrating ---------------------------------------------------------------------------------


def our_app_labels() -> set[str]:
    """Unknot's own apps (not Django's, not third-party ones), including any added since TODAY."""
    root = Path(settings.BASE_DIR).resolve()
    return {
        app.label
        for app in global_apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(root) and "site-packages" not in Path(app.path).parts
    }


def migrate_to_the_release() -> MigrationExecutor:
    """Back to TODAY: later migrations of our apps are unapplied, and apps that did not exist then
    (the notifications app) are unmigrated entirely."""
    executor = MigrationExecutor(connection)
    released = {label for label, _ in TODAY}
    added_since = sorted((our_app_labels() & executor.loader.migrated_apps) - released)
    executor.migrate(TODAY + [(label, None) for label in added_since])
    return MigrationExecutor(connection)  # a fresh loader: the one above still thinks it is at the latest


def upgrade() -> None:
    """What a deploy runs (Makefile, docker-compose.yml): every migration up to the graph's leaves,
    then post_migrate, which creates content types and permissions for models that are new."""
    call_command("migrate", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


def content_types_as_released(old_apps) -> None:
    """Content types and permissions as that release's `migrate` left them: one per model of that
    release, and none for models of our apps it did not have (the test database was made by
    today's code, which may have more)."""
    for label, _ in TODAY:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=old_apps)
    released = {(model._meta.app_label, model._meta.model_name) for model in old_apps.get_models()}
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    stale = [
        content_type.pk
        for content_type in OldContentType.objects.filter(app_label__in=our_app_labels())
        if (content_type.app_label, content_type.model) not in released
    ]
    OldContentType.objects.filter(pk__in=stale).delete()
    ContentType.objects.clear_cache()


@pytest.fixture(scope="module")
def upgraded(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The release's data, written with the release's models into a database migrated back to
    it, then upgraded. The ids of what was written.

    Once for the module: migrating back and forth takes seconds, and the tests only read (each in
    a transaction of its own, rolled back). Afterwards the rows are gone and the database is at
    the latest again, whatever happened, as transactional_db would leave it.
    """
    # Passwords are hashed as the tests check them (tests/conftest.py).
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
        try:
            executor = migrate_to_the_release()
            old_apps = executor.loader.project_state(TODAY, at_end=True).apps
            content_types_as_released(old_apps)
            with transaction.atomic():
                ids = release_data_write(old_apps)
            upgrade()
            yield ids
        finally:
            # Later tests need today's schema and no rows.
            upgrade()
            executor = MigrationExecutor(connection)
            assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
            call_command("flush", interactive=False, verbosity=0)


# --- The release's data, written with its own models ----------------------------------------


def release_data_write(old) -> dict:
    """Every kind of row, through the models of the release. Returns the ids to find them by."""
    OldUser = old.get_model("accounts", "User")
    Muscle = old.get_model("routines", "Muscle")
    Exercise = old.get_model("routines", "Exercise")
    ExerciseStep = old.get_model("routines", "ExerciseStep")
    Routine = old.get_model("routines", "Routine")
    RoutineItem = old.get_model("routines", "RoutineItem")
    OldTrainerClient = old.get_model("coaching", "TrainerClient")
    Assignment = old.get_model("coaching", "Assignment")
    OldSessionComment = old.get_model("coaching", "SessionComment")
    OldSessionLog = old.get_model("progress", "SessionLog")
    ExerciseLog = old.get_model("progress", "ExerciseLog")
    OldReminderSchedule = old.get_model("progress", "ReminderSchedule")
    OldDelivery = old.get_model("progress", "Delivery")
    Permission = old.get_model("auth", "Permission")

    password = make_password("a-long-test-password")
    sam = OldUser.objects.create(
        email=CLIENT_EMAIL,
        password=password,
        display_name="Sam",
        time_zone="Europe/London",
        weekly_summary_emails=False,
        weekly_email_weekday=6,
        weekly_email_time=time(18, 0),
        weekly_email_due_at=datetime(2026, 11, 22, 18, 0, tzinfo=UTC),
        calendar_token="sams-calendar-token-from-the-old-release",
        goals=["less_stiffness", "habit"],
        screening_flags=[],
        # Answered lately, so the player below is open: answers 90 days old are asked again.
        screened_at=datetime.now(UTC) - timedelta(days=1),
    )
    robin = OldUser.objects.create(
        email=TRAINER_EMAIL, password=password, display_name="Robin", is_trainer=True, alert_emails=True
    )
    support = OldUser.objects.create(email=STAFF_EMAIL, password=password, is_staff=True)
    support.user_permissions.add(
        Permission.objects.get(content_type__app_label="progress", codename="change_delivery")
    )

    muscle = Muscle.objects.create(slug="rhomboids", name="Rhomboids")
    twist, opener = (
        Exercise.objects.create(
            slug=slug,
            name=name,
            kind="stretch",
            summary="A gentle stretch for the upper back.",
            purpose="Eases stiffness between the shoulder blades.",
            body_position="Seated",
            hold_seconds=20,
            reps=2,
            sets=1,
            breathing_cue="Breathe out slowly as you ease in.",
            common_mistakes="Shrugging the shoulders",
            safety_notes="Stop if it hurts.",
        )
        for slug, name in [("seated-twist", "Seated twist"), ("doorway-opener", "Doorway opener")]
    )
    for exercise in (twist, opener):
        exercise.targets.add(muscle)
        ExerciseStep.objects.create(exercise=exercise, order=1, text="Sit tall.")

    def routine(owner, title, exercises):
        made = Routine.objects.create(owner=owner, title=title, description="A few gentle stretches.")
        for order, exercise in enumerate(exercises, start=1):
            RoutineItem.objects.create(
                routine=made, exercise=exercise, order=order, hold_seconds=30, reps=2, sets=1
            )
        return made

    own = routine(sam, "Morning unknot", [opener])
    source = routine(robin, "Desk reset", [twist, opener])
    copy = routine(sam, "Desk reset", [twist, opener])

    link = OldTrainerClient.objects.create(
        trainer=robin,
        client=sam,
        email=CLIENT_EMAIL,
        status="active",
        message="See you Thursday.",
        share_notes=False,
        invite_nonce="a" * 32,
        invited_at=UTC_NOON - timedelta(days=30),
        accepted_at=UTC_NOON - timedelta(days=29),
    )
    invitation = OldTrainerClient.objects.create(
        trainer=robin, email=INVITED_EMAIL, status="invited", invite_nonce="b" * 32, invited_at=UTC_NOON
    )
    assignment = Assignment.objects.create(
        link=link,
        routine=copy,
        source_routine=source,
        weekdays=[0, 2, 4],
        starts_on=date(2026, 11, 2),
        ends_on=date(2027, 1, 31),
        instructions="Slowly, and stop if it tingles.",
        synced_at=UTC_NOON - timedelta(days=20),
    )

    started = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    session = OldSessionLog.objects.create(
        user=sam,
        routine=copy,
        assignment=assignment,
        routine_title="Desk reset",
        client_token=UUID("00000000-0000-4000-8000-000000000001"),
        started_at=started,
        finished_at=started + timedelta(minutes=11),
        local_date=date(2026, 11, 18),
        tightness_before=6,
        tightness_after=3,
        pain=8,
        tingling=True,
        notes="Left shoulder tingled on the twist.",
    )
    ExerciseLog.objects.create(session=session, exercise=twist, order=1, seconds=40, reps=2, felt=4)
    ExerciseLog.objects.create(session=session, exercise=opener, order=2, skipped=True)
    own_session = OldSessionLog.objects.create(
        user=sam,
        routine=own,
        routine_title="Morning unknot",
        started_at=started - timedelta(days=1),
        finished_at=started - timedelta(days=1) + timedelta(minutes=6),
        local_date=date(2026, 11, 17),
        tightness_before=5,
        tightness_after=4,
    )
    ExerciseLog.objects.create(session=own_session, exercise=opener, order=1, seconds=60, reps=2)
    OldSessionComment.objects.create(
        session=session, author=robin, body="Let’s skip the twist next time.", read_at=UTC_NOON
    )
    OldSessionComment.objects.create(session=session, author=sam, body="Thanks, will do.")

    general = OldReminderSchedule.objects.create(
        user=sam,
        weekdays=[0, 1, 2, 3, 4],
        local_time=time(7, 30),
        next_due_at=datetime(2026, 11, 23, 7, 30, tzinfo=UTC),
    )
    weekends = OldReminderSchedule.objects.create(
        user=sam, routine=own, weekdays=[5, 6], local_time=time(10, 0), enabled=False
    )
    assigned = OldReminderSchedule.objects.create(
        user=sam,
        routine=copy,
        assignment=assignment,
        weekdays=[0, 2, 4],
        local_time=time(8, 0),
        next_due_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
    )

    digest = {**TRAINER_DIGEST, "clients": [{**TRAINER_DIGEST["clients"][0], "link_id": link.pk}]}
    deliveries = [
        # (recipient, kind, period key, schedule, context, status and what the outbox recorded)
        {
            "user": sam,
            "kind": "reminder",
            "period_key": f"2026-11-20 08:00 #{assigned.pk}",
            "schedule": assigned,
            "status": "sent",
            "attempts": 1,
            "due_at": datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
            "sent_at": datetime(2026, 11, 20, 8, 0, 3, tzinfo=UTC),
        },
        {
            "user": sam,
            "kind": "reminder",
            "period_key": f"2026-11-23 07:30 #{general.pk}",
            "schedule": general,
            "status": "pending",
            "due_at": datetime(2026, 11, 23, 7, 30, tzinfo=UTC),
            "lease_until": datetime(2026, 11, 23, 7, 35, tzinfo=UTC),
        },
        {
            "user": sam,
            "kind": "reminder",
            "period_key": f"2026-11-18 07:30 #{general.pk}",
            "schedule": general,
            "status": "skipped",
            "reason": "Already stretched that day.",
            "attempts": 1,
            "due_at": datetime(2026, 11, 18, 7, 30, tzinfo=UTC),
        },
        {
            "user": sam,
            "kind": "weekly_summary",
            "period_key": "2026-W47",
            "context": WEEKLY_SUMMARY,
            "status": "sent",
            "attempts": 2,
            "due_at": datetime(2026, 11, 22, 18, 0, tzinfo=UTC),
            "sent_at": datetime(2026, 11, 22, 18, 2, tzinfo=UTC),
        },
        {
            "user": sam,
            "kind": "weekly_summary",
            "period_key": "2026-W46",
            "status": "missed",
            "reason": "Emails were not being sent at that time; too late for this week.",
            "due_at": datetime(2026, 11, 15, 18, 0, tzinfo=UTC),
        },
        {
            "user": robin,
            "kind": "trainer_digest",
            "period_key": "2026-W48",
            "context": digest,
            "status": "failed",
            "attempts": 5,
            "last_error": "SMTPServerDisconnected: Connection unexpectedly closed",
            "due_at": datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        },
        {
            "user": robin,
            "kind": "red_flag_alert",
            "period_key": f"session-{session.pk}",
            "context": {"session": session.pk},
            "status": "sent",
            "attempts": 1,
            "due_at": started + timedelta(minutes=11),
            "sent_at": started + timedelta(minutes=11, seconds=2),
        },
        {
            "to_email": INVITED_EMAIL,
            "kind": "invitation",
            "period_key": f"invitation-{invitation.pk}-{'b' * 32}",
            "context": {"link": invitation.pk, "nonce": "b" * 32},
            "status": "sending",
            "attempts": 1,
            "due_at": UTC_NOON,
            "lease_until": UTC_NOON + timedelta(minutes=5),
        },
    ]
    delivery_ids = [OldDelivery.objects.create(**fields).pk for fields in deliveries]

    return {
        "sam": sam.pk,
        "robin": robin.pk,
        "support": support.pk,
        "own": own.pk,
        "copy": copy.pk,
        "source": source.pk,
        "link": link.pk,
        "invitation": invitation.pk,
        "assignment": assignment.pk,
        "session": session.pk,
        "own_session": own_session.pk,
        "general": general.pk,
        "weekends": weekends.pk,
        "assigned": assigned.pk,
        "deliveries": delivery_ids,
    }


# --- After the upgrade, through today's models and pages ------------------------------------


@pytest.mark.django_db
def test_people_keep_their_settings(upgraded):
    sam = User.objects.get(pk=upgraded["sam"])

    assert (sam.email, sam.display_name, sam.time_zone) == (CLIENT_EMAIL, "Sam", "Europe/London")
    assert (sam.reminder_emails, sam.weekly_summary_emails) == (True, False)
    assert (sam.weekly_email_weekday, sam.weekly_email_time) == (6, time(18, 0))
    assert sam.weekly_email_due_at == datetime(2026, 11, 22, 18, 0, tzinfo=UTC)
    assert sam.calendar_token == "sams-calendar-token-from-the-old-release"
    assert sam.goals == ["less_stiffness", "habit"]
    assert sam.check_password("a-long-test-password")
    robin = User.objects.get(pk=upgraded["robin"])
    assert (robin.is_trainer, robin.alert_emails) == (True, True)


@pytest.mark.django_db
def test_reminders_keep_their_days_times_routines_and_next_occurrence(upgraded):
    reminders = {
        schedule.pk: (
            schedule.user.email,
            schedule.routine.title if schedule.routine else None,
            schedule.assignment.link.trainer.email if schedule.assignment else None,
            schedule.weekdays,
            schedule.local_time,
            schedule.enabled,
            schedule.next_due_at,
        )
        for schedule in ReminderSchedule.objects.select_related(
            "user", "routine", "assignment__link__trainer"
        )
    }

    assert reminders == {
        upgraded["general"]: (
            CLIENT_EMAIL,
            None,
            None,
            [0, 1, 2, 3, 4],
            time(7, 30),
            True,
            datetime(2026, 11, 23, 7, 30, tzinfo=UTC),
        ),
        upgraded["weekends"]: (CLIENT_EMAIL, "Morning unknot", None, [5, 6], time(10, 0), False, None),
        upgraded["assigned"]: (
            CLIENT_EMAIL,
            "Desk reset",
            TRAINER_EMAIL,
            [0, 2, 4],
            time(8, 0),
            True,
            datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        ),
    }
    assert ReminderSchedule.objects.get(pk=upgraded["assigned"]).assignment_id == upgraded["assignment"]


@pytest.mark.django_db
def test_every_delivery_keeps_its_kind_status_context_and_history(upgraded):
    deliveries = Delivery.objects.select_related("user", "schedule__routine").order_by("pk")

    assert [delivery.pk for delivery in deliveries] == upgraded["deliveries"]
    assert [
        (delivery.recipient, delivery.kind, delivery.status, delivery.attempts, delivery.period_key)
        for delivery in deliveries
    ] == [
        (CLIENT_EMAIL, "reminder", "sent", 1, f"2026-11-20 08:00 #{upgraded['assigned']}"),
        (CLIENT_EMAIL, "reminder", "pending", 0, f"2026-11-23 07:30 #{upgraded['general']}"),
        (CLIENT_EMAIL, "reminder", "skipped", 1, f"2026-11-18 07:30 #{upgraded['general']}"),
        (CLIENT_EMAIL, "weekly_summary", "sent", 2, "2026-W47"),
        (CLIENT_EMAIL, "weekly_summary", "missed", 0, "2026-W46"),
        (TRAINER_EMAIL, "trainer_digest", "failed", 5, "2026-W48"),
        (TRAINER_EMAIL, "red_flag_alert", "sent", 1, f"session-{upgraded['session']}"),
        (INVITED_EMAIL, "invitation", "sending", 1, f"invitation-{upgraded['invitation']}-{'b' * 32}"),
    ]
    sent, pending, skipped, summary, missed, digest, alert, invitation = deliveries
    assert sent.schedule.routine.title == "Desk reset"
    assert sent.schedule.assignment.link.trainer.email == TRAINER_EMAIL
    assert sent.sent_at == datetime(2026, 11, 20, 8, 0, 3, tzinfo=UTC)
    assert pending.schedule.pk == upgraded["general"]
    assert pending.schedule.routine is None
    assert pending.lease_until == datetime(2026, 11, 23, 7, 35, tzinfo=UTC)
    assert skipped.reason == "Already stretched that day."
    assert summary.context == WEEKLY_SUMMARY
    assert missed.reason == "Emails were not being sent at that time; too late for this week."
    assert digest.context["clients"][0]["link_id"] == upgraded["link"]
    assert digest.context["nudge"] == ["Sam"]
    assert digest.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert alert.context == {"session": upgraded["session"]}
    assert (invitation.user, invitation.context) == (
        None,
        {"link": upgraded["invitation"], "nonce": "b" * 32},
    )
    assert list(User.objects.get(pk=upgraded["sam"]).deliveries.order_by("pk")) == list(deliveries[:5])


@pytest.mark.django_db
def test_sessions_keep_their_exercises_assignment_trainer_and_comments(upgraded):
    session = SessionLog.objects.get(pk=upgraded["session"])

    assert (session.routine.title, session.local_date, session.pain) == ("Desk reset", date(2026, 11, 18), 8)
    assert session.red_flags == [RED_FLAGS["tingling"]]
    assert session.client_token == UUID("00000000-0000-4000-8000-000000000001")
    assert [(log.exercise.name, log.seconds, log.skipped) for log in session.exercise_logs.all()] == [
        ("Seated twist", 40, False),
        ("Doorway opener", 0, True),
    ]
    assert session.assignment.link.trainer.email == TRAINER_EMAIL
    assert session.assignment.source_routine.pk == upgraded["source"]
    assert session.assignment.routine.reminder_schedules.get().pk == upgraded["assigned"]
    assert session.assignment.reminder_schedule.pk == upgraded["assigned"]
    assert [(comment.author.email, comment.body) for comment in session.comments.all()] == [
        (TRAINER_EMAIL, "Let’s skip the twist next time."),
        (CLIENT_EMAIL, "Thanks, will do."),
    ]
    assert SessionComment.objects.filter(read_at=None).count() == 1
    links = TrainerClient.objects.filter(trainer_id=upgraded["robin"]).order_by("pk")
    assert [(link.email, link.status, link.share_notes) for link in links] == [
        (CLIENT_EMAIL, "active", False),
        (INVITED_EMAIL, "invited", True),
    ]


def every_rollup() -> dict[str, set[tuple]]:
    """Every rollup row, each model's fields but its id."""
    return {
        model.__name__: set(
            model.objects.values_list(
                *(field.attname for field in model._meta.concrete_fields if not field.primary_key)
            )
        )
        for model in (DayRollup, AssignmentDayRollup, ExerciseRollup)
    }


@pytest.mark.django_db
def test_the_sessions_logged_before_are_summed_as_rollups_rebuild_sums_them(upgraded):
    """progress/migrations/0008_rollups.py carries its own copy of the rules: it builds what
    `manage.py rollups_rebuild` does today. (When the rules change, a migration rebuilds.)"""
    migrated = every_rollup()
    assert DayRollup.objects.get(local_date=date(2026, 11, 18)).attention_sessions == 1  # pain 8, tingling
    assert len(migrated["DayRollup"]) == 2
    assert len(migrated["AssignmentDayRollup"]) == 1
    assert len(migrated["ExerciseRollup"]) == 2  # each exercise from the session it was not skipped in

    rollups_rebuild()

    assert every_rollup() == migrated


@pytest.mark.django_db
def test_the_client_sees_their_reminders_sessions_and_calendar(upgraded, client):
    client.force_login(User.objects.get(pk=upgraded["sam"]))

    settings_page = client.get("/settings/emails/")
    assert settings_page.status_code == 200
    for shown in [
        "Weekdays at 07:30",
        "General reminder (your last routine)",
        "Weekends at 10:00",
        "Morning unknot",
        "Mon, Wed, Fri at 08:00",
        "From your trainer",
    ]:
        assert shown in settings_page.content.decode()

    session_page = client.get(f"/progress/sessions/{upgraded['session']}/")
    assert session_page.status_code == 200
    for shown in ["Desk reset", "Tingling", "Seated twist", "Let’s skip the twist next time.", "Robin"]:
        assert shown in session_page.content.decode()

    feed = client.get("/calendar/sams-calendar-token-from-the-old-release.ics")
    assert feed.status_code == 200
    # UIDs now end with the site's host (SITE_URL: localhost in tests), as RFC 5545 asks.
    assert f"reminder-{upgraded['general']}@localhost" in feed.content.decode()
    assert f"reminder-{upgraded['assigned']}@localhost" in feed.content.decode()

    assert client.get("/").status_code == 200
    player = client.get(f"/routines/{upgraded['copy']}/play/")
    assert player.status_code == 200
    assert "Desk reset" in player.content.decode()


@pytest.mark.django_db
def test_the_trainer_sees_their_client_session_and_comments(upgraded, client):
    client.force_login(User.objects.get(pk=upgraded["robin"]))

    roster = client.get("/coach/")
    assert roster.status_code == 200
    assert "Sam" in roster.content.decode()
    client_page = client.get(f"/coach/clients/{upgraded['link']}/")
    assert client_page.status_code == 200
    assert "2 comments" in client_page.content.decode()
    session_page = client.get(f"/coach/clients/{upgraded['link']}/sessions/{upgraded['session']}/")
    assert session_page.status_code == 200
    assert "Thanks, will do." in session_page.content.decode()


@pytest.mark.django_db
def test_staff_keep_the_outbox_and_their_permission_to_send_again(upgraded, client):
    support = User.objects.get(pk=upgraded["support"])
    # The permission granted before the upgrade is on the delivery model as it is now.
    assert support.has_perm(f"{Delivery._meta.app_label}.change_delivery")
    client.force_login(support)

    outbox = client.get(reverse(f"admin:{Delivery._meta.app_label}_{Delivery._meta.model_name}_changelist"))

    assert outbox.status_code == 200
    page = outbox.content.decode()
    assert "8 deliveries" in page
    assert f"invitation-{upgraded['invitation']}-{'b' * 32}" in page
    assert "Send the selected failed or retrying deliveries again now" in page


@pytest.mark.django_db
def test_the_outbox_takes_new_emails_and_still_refuses_one_twice(upgraded):
    sam = User.objects.get(pk=upgraded["sam"])
    schedule = ReminderSchedule.objects.create(user=sam, weekdays=[3], local_time=time(12, 0))
    new = Delivery.objects.create(
        user=sam,
        kind="reminder",
        period_key=f"2026-11-26 12:00 #{schedule.pk}",
        schedule=schedule,
        due_at=UTC_NOON,
    )

    # The id sequences came along with the tables.
    assert schedule.pk > max(upgraded["general"], upgraded["weekends"], upgraded["assigned"])
    assert new.pk > max(upgraded["deliveries"])
    # Exactly once still holds for what was written before the upgrade.
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(user=sam, kind="weekly_summary", period_key="2026-W47", due_at=UTC_NOON)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            to_email=INVITED_EMAIL,
            kind="invitation",
            period_key=f"invitation-{upgraded['invitation']}-{'b' * 32}",
            due_at=UTC_NOON,
        )
