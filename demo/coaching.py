"""The demo trainer of `make run`: Alex, with three clients whose roster shows every flag at once.

- Priya keeps up: a session on every day her routine was due, so no flag;
- Tom is lapsing: regular at first, then patchy, and nothing for the last 10 days or more, so he
  is "inactive" and "under 50% this week" (except on his Mondays: the roster counts a day as due
  once it is over, so on a Monday nothing is due yet and no one is behind);
- Maria reported pain: her latest session, one to three days ago, had pain 8 and sharp pain, and
  Alex and she have written about it, so she has the pain flag and a new comment for Alex.

The clients live in three time zones, so each has their own "today" and week, as real ones do.
Dates are counted back from the moment the demo is made. Like the demo person's history it is
made once: a trainer who already has clients is left alone, so `make run` changes nothing the
second time (and the history ages from then on, as the demo person's does).
"""

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create_verified
from coaching.models import Assignment, TrainerClient
from coaching.services import routine_assign, session_comment_add
from demo.accounts import DEMO_PASSWORD, screening_answered_none
from demo.history import DemoDataError, PlannedSession, session_history_write, starter_copies_create
from progress.models import SessionLog
from progress.services import screening_ask_again_after
from routines.models import Exercise, Routine
from routines.services import routine_create, routine_item_add

DEMO_TRAINER_EMAIL = "coach@unknot.localhost"
DEMO_TRAINER_NAME = "Alex (demo trainer)"
DEMO_COACHING_WEEKS = 6  # since the clients accepted Alex's invitations
LAPSED_DAYS = 10  # Tom's last session is at least this many days before his today

KEEPING_UP, LAPSING, PAIN = "keeping up", "lapsing", "reported pain"

# The routine Alex built from the library, for desk workers.
DESK_RESET_TITLE = "Desk reset"
DESK_RESET_DESCRIPTION = "Five minutes between meetings: neck, shoulder blades, a twist and the chest."
DESK_RESET_SLUGS = (
    "chin-tuck",
    "shoulder-blade-squeeze",
    "seated-chair-twist",
    "wall-chest-stretch",
    "cross-body-arm-stretch",
)
EVENING_STARTER_SLUG = "evening-wind-down"  # copied by Alex for the client who prefers the floor


@dataclass(frozen=True)
class DemoClient:
    email: str
    display_name: str
    time_zone: str
    story: str  # KEEPING_UP, LAPSING or PAIN: what their sessions make the roster show
    weekdays: tuple[int, ...]  # 0 = Monday
    instructions: str


DEMO_CLIENTS = (
    DemoClient(
        "priya@unknot.localhost",
        "Priya (demo client)",
        "America/New_York",
        KEEPING_UP,
        (0, 1, 2, 3, 4),
        "Before you open your laptop on workdays. Slow breaths out as you ease into each stretch.",
    ),
    DemoClient(
        "tom@unknot.localhost",
        "Tom (demo client)",
        "Australia/Sydney",
        LAPSING,
        (0, 2, 4),
        "Three mornings a week. If a day goes wrong, do it the next day rather than skip the week.",
    ),
    DemoClient(
        "maria@unknot.localhost",
        "Maria (demo client)",
        "Europe/Berlin",
        PAIN,
        (1, 3, 5),
        "In the evening, on the floor. Stay well short of any pain and tell me how it feels.",
    ),
)

LAPSING_NOTES = ("Busy week at work.", "Did it late, in a rush.", "")
PAIN_SESSION_NOTES = "Sharp pain between my shoulder blades on thread the needle, so I stopped there."
PAIN_THREAD = (
    # (the trainer writes?, body), in order
    (
        True,
        "Thanks for telling me, Maria. Leave out thread the needle until we have talked, and keep "
        "the rest gentle. If the sharp pain comes back, or you notice numbness or tingling, stop and "
        "see your doctor.",
    ),
    (False, "Will do. It had eased by the next morning, but I will skip that one for now."),
)


@dataclass(frozen=True)
class DemoCoaching:
    trainer: User
    clients: list[tuple[DemoClient, User]]
    sessions: int  # created by this call: 0 when the demo was already there


@transaction.atomic
def demo_coaching_create(*, now: datetime | None = None, rng_seed: int = 11) -> DemoCoaching:
    """The demo trainer and clients (verified, screened, password DEMO_PASSWORD), each client
    linked since DEMO_COACHING_WEEKS ago with an assignment and its sessions, up to yesterday in
    their time zone. Returns what is there; `sessions` is 0 when the trainer already had clients.
    Raises DemoDataError when the library is not loaded.
    """
    now = now or timezone.now()
    trainer = _demo_account(DEMO_TRAINER_EMAIL, DEMO_TRAINER_NAME, "Europe/London")
    if not trainer.is_trainer:
        User.objects.filter(pk=trainer.pk).update(is_trainer=True)
        trainer.is_trainer = True
    clients = [(demo, _demo_account(demo.email, demo.display_name, demo.time_zone)) for demo in DEMO_CLIENTS]
    if trainer.client_links.exists():
        return DemoCoaching(trainer=trainer, clients=clients, sessions=0)

    rng = random.Random(rng_seed)
    desk_reset, evening = _trainer_routines_create(trainer)
    accepted_at = now - timedelta(weeks=DEMO_COACHING_WEEKS)
    count = 0
    for demo, client in clients:
        link = _link_create(trainer=trainer, client=client, accepted_at=accepted_at)
        [assignment] = routine_assign(
            routine=evening if demo.story == PAIN else desk_reset,
            links=[link],
            weekdays=list(demo.weekdays),
            starts_on=accepted_at.astimezone(client.zone).date(),
            ends_on=None,
            instructions=demo.instructions,
        )
        copy = Routine.objects.prefetch_related("items").get(pk=assignment.routine_id)
        today = now.astimezone(client.zone).date()
        plans = _sessions_plan(demo, assignment=assignment, routine=copy, today=today, rng=rng)
        count += session_history_write(user=client, sessions=plans, rng=rng)
        if demo.story == PAIN:
            session = SessionLog.objects.filter(assignment=assignment).latest("started_at")
            screening_ask_again_after(session=session)  # as session_log_record does
            for by_trainer, body in PAIN_THREAD:
                session_comment_add(session=session, author=trainer if by_trainer else client, body=body)
    return DemoCoaching(trainer=trainer, clients=clients, sessions=count)


def _demo_account(email: str, display_name: str, time_zone: str) -> User:
    user, _ = user_create_verified(
        email=email, password=DEMO_PASSWORD, display_name=display_name, time_zone=time_zone
    )
    # As after onboarding (screening answered: none of these), like the other demo accounts, so
    # logging in lands on the dashboard rather than the welcome page.
    if user.screened_at is None:
        screening_answered_none(user)
    return user


def _trainer_routines_create(trainer: User) -> tuple[Routine, Routine]:
    """Alex's two routines: one built from library exercises, one copied from a starter."""
    exercises = Exercise.objects.in_bulk(DESK_RESET_SLUGS, field_name="slug")
    missing = [slug for slug in DESK_RESET_SLUGS if slug not in exercises]
    if missing:
        raise DemoDataError(
            f"The exercise(s) {', '.join(missing)} are not in the database: "
            "run `manage.py load_library` first."
        )
    desk_reset = routine_create(owner=trainer, title=DESK_RESET_TITLE, description=DESK_RESET_DESCRIPTION)
    for slug in DESK_RESET_SLUGS:
        routine_item_add(routine=desk_reset, exercise=exercises[slug])
    [evening] = starter_copies_create(user=trainer, slugs=(EVENING_STARTER_SLUG,))
    return desk_reset, evening


def _link_create(*, trainer: User, client: User, accepted_at: datetime) -> TrainerClient:
    """An invitation the client accepted at `accepted_at`. Made directly rather than through
    invitation_send and invitation_accept, which email and date everything now."""
    return TrainerClient.objects.create(
        trainer=trainer,
        client=client,
        email=client.email,
        status=TrainerClient.Status.ACTIVE,
        invite_nonce=secrets.token_hex(16),
        invited_at=accepted_at - timedelta(days=1),
        accepted_at=accepted_at,
    )


def _sessions_plan(
    demo: DemoClient, *, assignment: Assignment, routine: Routine, today: date, rng: random.Random
) -> list[PlannedSession]:
    """The client's sessions on the days the assignment was due, up to yesterday, by their story."""
    days = assignment.due_days(assignment.starts_on, today - timedelta(days=1))
    if demo.story == LAPSING:
        days = _lapsing_days(days, today=today, rng=rng)
    plans = []
    for index, day in enumerate(days):
        progress = index / max(1, len(days) - 1)  # 0 on the first day, 1 on the last
        if demo.story == KEEPING_UP:
            before = round(6.5 - 3 * progress + rng.gauss(0, 0.6))
            plans.append(_planned(day, routine, before=before, relief=rng.choice([2, 2, 3]), pain=0))
        elif demo.story == LAPSING:
            before = round(6 + rng.gauss(0, 0.7))
            notes = rng.choice(LAPSING_NOTES) if progress > 0.7 else ""
            relief, pain = rng.choice([1, 2]), rng.choice([0, 1, 2])
            plans.append(_planned(day, routine, before=before, relief=relief, pain=pain, notes=notes))
        elif day == days[-1]:  # PAIN, the session Maria reported
            plans.append(
                _planned(
                    day,
                    routine,
                    before=7,
                    relief=0,
                    pain=8,
                    notes=PAIN_SESSION_NOTES,
                    evening=True,
                    red_flags=frozenset({"sharp_pain"}),
                    skip_chance=0.4,
                )
            )
        else:  # PAIN, before that: easing, with a twinge in the last week
            before = round(5.5 - 1.5 * progress + rng.gauss(0, 0.5))
            late = len(days) - index <= 3
            plans.append(
                _planned(
                    day,
                    routine,
                    before=before,
                    relief=rng.choice([1, 2]),
                    pain=rng.choice([3, 4]) if late else rng.choice([0, 1, 1, 2]),
                    notes="A twinge on thread the needle." if late else "",
                    evening=True,
                )
            )
    return plans


def _lapsing_days(days: list[date], *, today: date, rng: random.Random) -> list[date]:
    """Nothing in the last LAPSED_DAYS days, and patchy in the two weeks before the last session."""
    days = [day for day in days if (today - day).days >= LAPSED_DAYS]
    if not days:
        return []
    last = days[-1]
    return [day for day in days if day == last or (last - day).days > 14 or rng.random() < 0.6]


def _planned(
    day: date, routine: Routine, *, before: int, relief: int, pain: int, evening: bool = False, **extra
) -> PlannedSession:
    before = min(10, max(1, before))
    return PlannedSession(
        day=day,
        evening=evening,
        routine=routine,
        tightness_before=before,
        tightness_after=max(0, before - relief),
        pain=pain,
        **extra,
    )
