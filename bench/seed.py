"""The Django side of `make bench`: seed one scenario's data and print what the timer needs.

Run by bench/run.py as `python bench/seed.py <scenario>` with the bench's environment (its own
database, the same secret key as the server under test, so that the session it creates is valid
there). Progress goes to stderr; the last line of stdout is a JSON object.
"""

import json
import os
import random
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent

BENCH_EMAIL = "bench@unknot.localhost"
BENCH_NAME = "Bench person"
HISTORY_DAYS = 3 * 365
# A second person with a short history: the History page and the export must not grow with the
# length of a history beyond the page or the stream itself (compared with the three years).
SHORT_EMAIL = "short@unknot.localhost"
SHORT_HISTORY_DAYS = 90

ROSTER_TRAINER_EMAIL = "trainer{clients}@bench.unknot.localhost"
ROSTER_CLIENTS = 300
ROSTER_GROWTH_CLIENTS = 1000  # the roster's growth goal: uncached at 1,000 clients ≤ 1.5× at 300
ROSTER_DAYS = 90
ROSTER_ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo")
ROSTER_SCHEDULES = ((0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4), (0, 2, 4), (1, 3, 5))  # 0 = Monday


def _session_for(user) -> dict:
    """A logged-in session for `user`, created server-side (no login form, no CSRF round trip)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}", "user_id": user.pk}


def seed_dashboard() -> dict:
    """One person with three years of daily sessions: ≈1,100 session logs, ≈8,000 exercise logs,
    and the programme under way (its plan with a step up for each exercise); and one with
    SHORT_HISTORY_DAYS of them, logged in with `short_cookie`."""
    short = _person_with_history(SHORT_EMAIL, SHORT_HISTORY_DAYS)
    return {**_person_with_history(BENCH_EMAIL, HISTORY_DAYS), "short_cookie": short["cookie"]}


def _person_with_history(email: str, history_days: int) -> dict:
    """A person with a session every day for `history_days` days, and the programme under way.

    Weekdays a longer morning routine (8 exercises), weekends a 5-exercise one; tightness eases
    over the first months and flares up in a bad week every quarter, as a real history would.
    """
    from django.utils import timezone

    from accounts.services import user_create_verified
    from demo.history import PlannedSession, session_history_write, starter_copies_create
    from progress.models import ExerciseLog
    from routines.models import Exercise, Routine
    from routines.services import routine_item_add, routine_update

    user, _ = user_create_verified(
        email=email,
        password=secrets.token_urlsafe(),
        display_name=BENCH_NAME,
        time_zone="Europe/London",
    )
    # Answered "none of these" in both tiers: the dashboard without the prompt, the player open.
    user.screened_at, user.warning_signs = timezone.now(), []
    user.save(update_fields=["screened_at", "warning_signs"])
    weekday, weekend = starter_copies_create(user=user, slugs=("morning-upper-back", "evening-wind-down"))
    routine_update(routine=weekday, title="Weekday mornings", description=weekday.description)
    for slug in ("chin-tuck", "seated-chair-twist"):
        routine_item_add(routine=weekday, exercise=Exercise.objects.get(slug=slug))
    weekday = Routine.objects.prefetch_related("items").get(pk=weekday.pk)

    rng = random.Random(2026)
    today = timezone.localdate(timezone=user.zone)
    plans = []
    for index in range(history_days):
        day = today - timedelta(days=history_days - index)
        bad_week = index % 91 < 7
        centre = 3 + 4 * 0.99**index + (2 if bad_week else 0)
        before = min(10, max(1, round(centre + rng.gauss(0, 0.8))))
        plans.append(
            PlannedSession(
                day=day,
                evening=day.weekday() >= 5 and rng.random() < 0.5,
                routine=weekend if day.weekday() >= 5 else weekday,
                tightness_before=before,
                tightness_after=max(0, before - rng.choice([1, 2, 2, 3])),
                pain=rng.randint(4, 6) if bad_week else rng.choice([0, 0, 1, 2]),
            )
        )
    count = session_history_write(user=user, sessions=plans, rng=rng, batch_size=1000)
    count += _programme_under_way(user)
    return {
        "sessions": count,
        "exercise_logs": ExerciseLog.objects.filter(session__user=user).count(),
        "first_day": str(plans[0].day),
        **_session_for(user),
    }


def _programme_under_way(user) -> int:
    """The dashboard with the programme's plan on it: "Upper-back reset" started, and three easy
    sessions of it today, so every exercise shows its step up and why. Returns the sessions."""
    from django.utils import timezone

    from progress.enrolment import programme_start
    from progress.services import ExerciseLogEntry, session_log_record

    enrolment = programme_start(user=user, track="mobility_strength")
    routine = enrolment.routines.get(slot="session").routine
    for minutes_ago in (90, 60, 30):
        started = timezone.now() - timedelta(minutes=minutes_ago)
        session_log_record(
            user=user,
            routine=routine,
            client_token=None,
            started_at=started,
            finished_at=started + timedelta(minutes=15),
            tightness_before=4,
            tightness_after=2,
            pain=0,
            exercises=[
                ExerciseLogEntry(item.exercise_id, 30, item.reps, False) for item in routine.items.all()
            ],
        )
    return 3


def seed_roster() -> dict:
    """A trainer with ROSTER_CLIENTS clients, and one with ROSTER_GROWTH_CLIENTS (`growth`); then
    `VACUUM ANALYZE`, as autovacuum does to a production database's tables once they have grown:
    without statistics the planner takes the freshly bulk-loaded tables for empty and seq-scans
    them (the page's tightness query: 8 ms instead of under 1)."""
    from django.db import connection

    seeded = {**_trainer_with_clients(ROSTER_CLIENTS), "growth": _trainer_with_clients(ROSTER_GROWTH_CLIENTS)}
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        cursor.execute("VACUUM ANALYZE")
    return seeded


def _trainer_with_clients(count: int) -> dict:
    """One trainer with `count` (300) active clients, each with an assignment of the trainer's routine (one
    of four weekly schedules) and 90 days of sessions of it: ≈12,000 session logs, linked to their
    assignment as session_log_record links them. Clients live in five time zones; most keep up,
    some are patchy, about one in ten stopped a week or more ago and a few reported pain lately,
    so every flag is on the roster. Some sessions have an unread comment from the client.

    The roster reads no exercise logs, so none are written. Clients are bulk-created with no
    usable password (no hashing: they never log in), links accepted 100 days ago.
    """
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import user_create_verified, user_dashboard_changed
    from coaching.models import SessionComment, TrainerClient
    from coaching.services import routine_assign
    from demo.history import starter_copies_create
    from progress.models import SessionLog
    from progress.rollups import rollups_rebuild

    now = timezone.now()
    trainer, _ = user_create_verified(
        email=ROSTER_TRAINER_EMAIL.format(clients=count),
        password=secrets.token_urlsafe(),
        display_name="Bench trainer",
    )
    User.objects.filter(pk=trainer.pk).update(is_trainer=True, screened_at=now)
    trainer.refresh_from_db()
    [routine] = starter_copies_create(user=trainer, slugs=("desk-break-5",))
    clients = User.objects.bulk_create(
        User(
            email=f"client{number:04}@{count}.bench.unknot.localhost",
            display_name=f"Client {number:04}",
            time_zone=ROSTER_ZONES[number % len(ROSTER_ZONES)],
            password=make_password(None),
            screened_at=now,
        )
        for number in range(count)
    )
    accepted_at = now - timedelta(days=ROSTER_DAYS + 10)
    links = TrainerClient.objects.bulk_create(
        TrainerClient(
            trainer=trainer,
            client=client,
            email=client.email,
            status=TrainerClient.Status.ACTIVE,
            invite_nonce=secrets.token_hex(16),
            invited_at=accepted_at,
            accepted_at=accepted_at,
        )
        for client in clients
    )
    assignments = []
    for index, weekdays in enumerate(ROSTER_SCHEDULES):
        assignments += routine_assign(
            routine=routine,
            links=links[index :: len(ROSTER_SCHEDULES)],
            weekdays=list(weekdays),
            starts_on=(now - timedelta(days=ROSTER_DAYS + 7)).date(),
            ends_on=None,
            instructions="Mornings, before work.",
        )

    rng = random.Random(300)
    sessions = []
    for assignment in assignments:
        sessions += _roster_sessions(assignment, client=assignment.link.client, now=now, rng=rng)
    SessionLog.objects.bulk_create(sessions, batch_size=2000)
    rollups_rebuild(user_ids=[client.pk for client in clients])  # bulk inserts bypass the services
    SessionComment.objects.bulk_create(
        SessionComment(session=session, author=session.user, body="Felt easier today.")
        for session in rng.sample(sessions, 40)
    )
    for client in clients:
        user_dashboard_changed(user=client)
    return {"clients": len(clients), "sessions": len(sessions), **_session_for(trainer)}


def _roster_sessions(assignment, *, client, now, rng: random.Random) -> list:
    """ROSTER_DAYS days of one client's sessions of `assignment`, ending yesterday in their zone."""
    from datetime import UTC, datetime, time

    from progress.models import SessionLog

    today = now.astimezone(client.zone).date()
    keen = rng.uniform(0.4, 1.0)  # the share of due days they do
    stopped = rng.randint(8, 20) if rng.random() < 0.1 else 0  # days since a lapsed client's last
    sore = rng.random() < 0.04  # reported pain in their latest session
    days = assignment.due_days(today - timedelta(days=ROSTER_DAYS), today - timedelta(days=1))
    days = [day for day in days if (today - day).days > stopped and rng.random() < keen]
    rows = []
    for index, day in enumerate(days):
        started = datetime.combine(day, time(7, rng.randint(0, 59)), tzinfo=client.zone).astimezone(UTC)
        before = min(10, max(1, round(6.5 - 2.5 * index / len(days) + rng.gauss(0, 0.8))))
        latest = index == len(days) - 1
        rows.append(
            SessionLog(
                user=client,
                routine=assignment.routine,
                assignment=assignment,
                routine_title=assignment.routine.title,
                started_at=started,
                finished_at=started + timedelta(minutes=rng.randint(4, 7)),
                local_date=day,
                tightness_before=before,
                tightness_after=max(0, before - rng.choice([1, 2, 2, 3])),
                pain=8 if sore and latest else rng.choice([0, 0, 1, 2]),
                sharp_pain=sore and latest,
            )
        )
    return rows


# --- Emails: many people due at once (the dispatcher's throughput) ------------------------------

EMAILS_DOMAIN = "emails.bench.unknot.localhost"
EMAILS_ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo")
# Days before the person's local today with a session: three in the summary's week, and for half
# of the people one in the week before (the "change" figure). Never today or yesterday, so no
# reminder is skipped as "already stretched that day": every reminder is a pending delivery.
EMAILS_SESSION_DAYS = (2, 4, 6, 9)


def emails_people_reset() -> dict:
    """Delete the people an earlier email run seeded, with their rows, and their deliveries."""
    from django.db import connection, transaction

    people = f"SELECT id FROM accounts_user WHERE email LIKE '%%@{EMAILS_DOMAIN}'"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM progress_delivery WHERE user_id IN ({people})", {})
        cursor.execute(
            "DELETE FROM progress_exerciselog WHERE session_id IN "
            f"(SELECT id FROM progress_sessionlog WHERE user_id IN ({people}))",
            {},
        )
        cursor.execute(f"DELETE FROM progress_sessionlog WHERE user_id IN ({people})", {})
        cursor.execute(f"DELETE FROM progress_reminderschedule WHERE user_id IN ({people})", {})
        cursor.execute(f"DELETE FROM accounts_user WHERE id IN ({people})", {})
        deleted = cursor.rowcount
    return {"deleted_people": deleted}


def _emails_seed(people: int, *, due: str) -> dict:
    """`people` people in five time zones, in SQL (INSERT … SELECT generate_series: seconds for
    100,000), each with one enabled every-day (or three-day) reminder and 3–4 rated sessions in the
    past two weeks with 2–3 exercise logs each; about one session in 17 with numbness, one in 29
    with sharp pain, one in 23 with pain 7.

    `due` says what is due a few minutes ago (1–30, so within every catch-up window): "reminders"
    (the reminder; the weekly email next week) or "summaries" (the weekly email; the reminder
    tomorrow). Nothing else is due, so the dispatcher's pass does that one thing.
    Earlier email people are deleted first; the table statistics are refreshed after (VACUUM
    ANALYZE), as autovacuum would have done on a database that grew to this size. Everyone else's
    emails (the page scenarios' people) that would fall due within the hour are put off to this
    time tomorrow, so that every send task enqueued during the run is one of these people's.
    """
    from django.db import connection, transaction

    from progress.models import RED_FLAGS

    # The flags the rows below do not set themselves are all false (progress.models.RED_FLAGS).
    seeded = ("numbness", "tingling", "weakness", "sharp_pain")
    other_flags = ", ".join(flag for flag in RED_FLAGS if flag not in seeded)
    other_falses = ", ".join("false" for flag in RED_FLAGS if flag not in seeded)
    reset = emails_people_reset()
    others = f"SELECT id FROM accounts_user WHERE email NOT LIKE '%%@{EMAILS_DOMAIN}'"
    with transaction.atomic(), connection.cursor() as cursor:
        soon = "now() + interval '1 hour'"
        cursor.execute(
            "UPDATE progress_reminderschedule SET next_due_at = now() + interval '1 day' "
            f"WHERE enabled AND next_due_at < {soon} AND user_id IN ({others})",
            {},
        )
        cursor.execute(
            "UPDATE accounts_user SET weekly_email_due_at = now() + interval '1 day' "
            f"WHERE weekly_email_due_at < {soon} AND id IN ({others})",
            {},
        )
        cursor.execute(
            "UPDATE progress_delivery SET lease_until = now() + interval '1 day' "
            f"WHERE status IN ('pending', 'sending') AND lease_until < {soon}",
            {},
        )
    zones = "ARRAY[" + ", ".join(f"'{zone}'" for zone in EMAILS_ZONES) + "]"
    # A few minutes ago, on the minute: the instant something is due, and what it is in local time.
    due_now = "date_trunc('minute', now()) - (1 + n %% 30) * interval '1 minute'"
    reminder_due, weekly_due = {
        "reminders": (due_now, f"{due_now} + interval '7 days'"),
        "summaries": (f"{due_now} + interval '1 day'", due_now),
    }[due]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH person AS (
                SELECT n, ({zones})[1 + n %% {len(EMAILS_ZONES)}] AS zone,
                       {weekly_due} AS weekly_due
                FROM generate_series(1, %(people)s) AS n
            )
            INSERT INTO accounts_user (
                password, is_superuser, is_staff, is_active, date_joined, email, display_name,
                time_zone, goals, screened_at, warning_signs, tier2_answers, surgery_areas,
                pain_areas, screening_due_reason, weekly_goal_minutes,
                weekly_goal_sessions, dashboard_version, is_trainer, alert_emails, reminder_emails,
                trainer_digest_emails, weekly_summary_emails, weekly_email_due_at,
                weekly_email_time, weekly_email_weekday
            )
            SELECT '!' || md5(n::text), false, false, true, now() - interval '90 days',
                   format('person%%s@{EMAILS_DOMAIN}', n), format('Person %%s', n),
                   zone, '["less_stiffness"]', now() - interval '30 days', '[]', '[]', '[]', '[]', '',
                   30, 4, 0, false,
                   true, true, true, true, weekly_due,
                   (weekly_due AT TIME ZONE zone)::time,
                   extract(isodow FROM weekly_due AT TIME ZONE zone)::int - 1
            FROM person ORDER BY n
            """,
            {"people": people},
        )
        person = (
            f"SELECT id, id AS n, time_zone AS zone FROM accounts_user WHERE email LIKE '%%@{EMAILS_DOMAIN}'"
        )
        cursor.execute(
            f"""
            WITH person AS ({person}), due AS (SELECT id, zone, n, {reminder_due} AS at FROM person)
            INSERT INTO progress_reminderschedule (
                weekdays, local_time, enabled, next_due_at, created_at, user_id, revised_at, revision
            )
            SELECT CASE WHEN n %% 3 = 0
                        THEN jsonb_build_array(
                            (extract(isodow FROM at AT TIME ZONE zone)::int - 1),
                            (extract(isodow FROM at AT TIME ZONE zone)::int + 1) %% 7,
                            (extract(isodow FROM at AT TIME ZONE zone)::int + 3) %% 7)
                        ELSE '[0, 1, 2, 3, 4, 5, 6]'::jsonb END,
                   (at AT TIME ZONE zone)::time, true, at, now() - interval '60 days', id,
                   now() - interval '60 days', 0
            FROM due ORDER BY id
            """,
            {},
        )
        days = "ARRAY[" + ", ".join(str(day) for day in EMAILS_SESSION_DAYS) + "]"
        cursor.execute(
            f"""
            WITH person AS ({person}),
            planned AS (
                SELECT p.id AS user_id, p.zone, k,
                       (now() AT TIME ZONE p.zone)::date - ({days})[k] AS day,
                       4 + (p.n + k) %% 5 AS before, (p.n * 7 + k) AS mix
                FROM person p CROSS JOIN generate_series(1, {len(EMAILS_SESSION_DAYS)}) AS k
                WHERE k < {len(EMAILS_SESSION_DAYS)} OR p.n %% 2 = 1
            ),
            timed AS (
                SELECT *,
                       (day + time '07:15' + (mix %% 50) * interval '1 minute') AT TIME ZONE zone
                           AS started
                FROM planned
            )
            INSERT INTO progress_sessionlog (
                routine_title, started_at, finished_at, local_date, tightness_before,
                tightness_after, pain, numbness, tingling, weakness, sharp_pain, {other_flags},
                stopped_early, stop_reason, notes, created_at, user_id
            )
            SELECT 'Desk break', started, started + (4 + mix %% 4) * interval '1 minute', day,
                   before, before - 1 - mix %% 3,
                   CASE WHEN mix %% 23 = 0 THEN 7 ELSE mix %% 3 END,
                   mix %% 17 = 0, false, false, mix %% 29 = 0, {other_falses}, false, '', '', started,
                   user_id
            FROM timed ORDER BY user_id, started
            """,
            {},
        )
        sessions = cursor.rowcount
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM routines_exercise")
        [exercises] = cursor.fetchone()
        cursor.execute(
            f"""
            WITH person AS ({person})
            INSERT INTO progress_exerciselog (
                "order", seconds, reps, skipped, felt, exercise_id, session_id, timed, feeling
            )
            SELECT o, 30 + (s.id + o) %% 31, 0, o = 2 AND s.id %% 7 = 0, NULL,
                   (%(exercises)s::bigint[])[1 + (s.user_id + o) %% %(count)s], s.id, true, ''
            FROM progress_sessionlog s JOIN person p ON p.id = s.user_id
            CROSS JOIN generate_series(0, 2) AS o
            WHERE o < 2 + s.id %% 2
            """,
            {"exercises": exercises, "count": len(exercises)},
        )
        exercise_logs = cursor.rowcount
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        cursor.execute("VACUUM ANALYZE")
    return {"people": people, "sessions": sessions, "exercise_logs": exercise_logs, **reset}


def seed_reminders(people: int) -> dict:
    return _emails_seed(people, due="reminders")


def seed_summaries(people: int) -> dict:
    return _emails_seed(people, due="summaries")


SEEDS = {
    "dashboard": seed_dashboard,
    "roster": seed_roster,
    "reminders": seed_reminders,
    "summaries": seed_summaries,
}
# Seeds that take the number of people (`python bench/seed.py reminders 100000`).
SIZED_SEEDS = {"reminders", "summaries"}


def main(argv: list[str]) -> int:
    sized = len(argv) == 2 and argv[0] in SIZED_SEEDS and argv[1].isdigit()
    if not sized and (len(argv) != 1 or argv[0] not in SEEDS.keys() - SIZED_SEEDS):
        print(
            f"usage: python bench/seed.py {{{','.join(SEEDS.keys() - SIZED_SEEDS)}}}\n"
            f"       python bench/seed.py {{{','.join(SIZED_SEEDS)}}} PEOPLE",
            file=sys.stderr,
        )
        return 2
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    started = time.perf_counter()
    result = SEEDS[argv[0]](int(argv[1])) if sized else SEEDS[argv[0]]()
    result["seed_seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
