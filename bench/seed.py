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

ROSTER_TRAINER_EMAIL = "trainer@bench.unknot.localhost"
ROSTER_CLIENTS = 300
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
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}"}


def seed_dashboard() -> dict:
    """One person with three years of daily sessions: ≈1,100 session logs, ≈8,000 exercise logs.

    Weekdays a longer morning routine (8 exercises), weekends a 5-exercise one; tightness eases
    over the first months and flares up in a bad week every quarter, as a real history would.
    """
    from django.utils import timezone

    from accounts.services import user_create_verified
    from progress.demo import PlannedSession, session_history_write, starter_copies_create
    from progress.models import ExerciseLog
    from routines.models import Exercise, Routine
    from routines.services import routine_item_add, routine_update

    user, _ = user_create_verified(
        email=BENCH_EMAIL,
        password=secrets.token_urlsafe(),
        display_name=BENCH_NAME,
        time_zone="Europe/London",
    )
    user.screened_at = timezone.now()  # answered "none of these": the dashboard without the prompt
    user.save(update_fields=["screened_at"])
    weekday, weekend = starter_copies_create(user=user, slugs=("morning-upper-back", "evening-wind-down"))
    routine_update(routine=weekday, title="Weekday mornings", description=weekday.description)
    for slug in ("chin-tuck", "seated-chair-twist"):
        routine_item_add(routine=weekday, exercise=Exercise.objects.get(slug=slug))
    weekday = Routine.objects.prefetch_related("items").get(pk=weekday.pk)

    rng = random.Random(2026)
    today = timezone.localdate(timezone=user.zone)
    plans = []
    for index in range(HISTORY_DAYS):
        day = today - timedelta(days=HISTORY_DAYS - index)
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
    return {
        "sessions": count,
        "exercise_logs": ExerciseLog.objects.filter(session__user=user).count(),
        "first_day": str(plans[0].day),
        **_session_for(user),
    }


def seed_roster() -> dict:
    """One trainer with 300 active clients, each with an assignment of the trainer's routine (one
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
    from progress.demo import starter_copies_create
    from progress.models import SessionLog

    now = timezone.now()
    trainer, _ = user_create_verified(
        email=ROSTER_TRAINER_EMAIL, password=secrets.token_urlsafe(), display_name="Bench trainer"
    )
    User.objects.filter(pk=trainer.pk).update(is_trainer=True, screened_at=now)
    trainer.refresh_from_db()
    [routine] = starter_copies_create(user=trainer, slugs=("desk-break-5",))
    clients = User.objects.bulk_create(
        User(
            email=f"client{number:03}@bench.unknot.localhost",
            display_name=f"Client {number:03}",
            time_zone=ROSTER_ZONES[number % len(ROSTER_ZONES)],
            password=make_password(None),
            screened_at=now,
        )
        for number in range(ROSTER_CLIENTS)
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


SEEDS = {"dashboard": seed_dashboard, "roster": seed_roster}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in SEEDS:
        print(f"usage: python bench/seed.py {{{','.join(SEEDS)}}}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    started = time.perf_counter()
    result = SEEDS[argv[0]]()
    result["seed_seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
