"""The demo person follows the programme "Upper-back reset, 6 weeks": started today, with three
easy, pain-free sessions of it, so the dashboard's plan shows a step up and its reason on each
exercise that can move on. Loaded in the first minutes after the person's midnight, it started
yesterday evening instead: its sessions are never in the future."""

from datetime import timedelta

from django.utils import timezone

from progress.enrolment import programme_start
from progress.models import Enrolment, ProgrammeRoutine, Track
from progress.services import ExerciseLogEntry, session_log_record

DEMO_TRACK = Track.MOBILITY_STRENGTH
SESSIONS_SPAN = timedelta(minutes=5)  # at least: the three sessions, apart, between the start and now


def demo_programme_create(*, user) -> Enrolment | None:
    """Start the programme for `user` with three easy sessions of it since, all over by now: from
    just after midnight today, or, in the first minutes of the day, from SESSIONS_SPAN ago. None
    (and nothing written) when they already follow it, or follow it no longer."""
    if Enrolment.objects.filter(user=user).exists():
        return None
    now = timezone.now()
    midnight = now.astimezone(user.zone).replace(hour=0, minute=0, second=0, microsecond=0)
    # A session counts towards a step up from the programme's first local day on, so the
    # programme starts no later than the first session.
    start = min(midnight + timedelta(minutes=1), now - SESSIONS_SPAN)
    enrolment = programme_start(user=user, track=DEMO_TRACK, now=start)
    routine = enrolment.routines.get(slot=ProgrammeRoutine.Slot.SESSION).routine
    items = list(routine.items.order_by("order", "pk"))
    span = (now - start).total_seconds()
    for fraction in (0.2, 0.5, 0.8):  # 15 seconds each; the last starts a minute or more before now
        started = start + timedelta(seconds=span * fraction)
        session_log_record(
            user=user,
            routine=routine,
            client_token=None,
            started_at=started,
            finished_at=started + timedelta(seconds=15),
            tightness_before=4,
            tightness_after=2,
            pain=0,
            exercises=[
                ExerciseLogEntry(item.exercise_id, 30, item.reps, False, feeling="just_right")
                for item in items
            ],
        )
    return enrolment
