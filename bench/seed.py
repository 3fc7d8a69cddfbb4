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


SEEDS = {"dashboard": seed_dashboard}


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
