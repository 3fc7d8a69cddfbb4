"""The demo person follows the programme "Upper-back reset, 6 weeks": started today, with three
easy, pain-free sessions of it, so the dashboard's plan shows a step up and its reason on each
exercise that can move on."""

from datetime import timedelta

from django.utils import timezone

from progress.enrolment import programme_start
from progress.models import Enrolment, ProgrammeRoutine, Track
from progress.services import ExerciseLogEntry, session_log_record

DEMO_TRACK = Track.MOBILITY_STRENGTH


def demo_programme_create(*, user) -> Enrolment | None:
    """Start the programme for `user` with three easy sessions of it today. None (and nothing
    written) when they already follow it, or follow it no longer."""
    if Enrolment.objects.filter(user=user).exists():
        return None
    now = timezone.now()
    midnight = now.astimezone(user.zone).replace(hour=0, minute=0, second=0, microsecond=0)
    enrolment = programme_start(user=user, track=DEMO_TRACK, now=now)
    routine = enrolment.routines.get(slot=ProgrammeRoutine.Slot.SESSION).routine
    items = list(routine.items.order_by("order", "pk"))
    # Three sessions earlier today (in the programme's first local day, which is what counts).
    first = midnight + timedelta(minutes=1)
    span = max((now - first).total_seconds(), 90)
    for fraction in (0.2, 0.5, 0.8):
        started = first + timedelta(seconds=span * fraction)
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
