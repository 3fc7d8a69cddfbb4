from datetime import UTC, date, datetime, time, timedelta

import pytest

from progress.services import ExerciseLogEntry, session_log_record


@pytest.fixture
def log_session():
    """log_session(user, day, minutes=10, before=6, after=4, exercises=[...], at=time(8)), local times."""

    def make(user, day: date, *, minutes=10, before=6, after=4, pain=0, exercises=(), at=time(8, 0), **flags):
        started = datetime.combine(day, at, tzinfo=user.zone).astimezone(UTC)
        session, _ = session_log_record(
            user=user,
            routine=None,
            client_token=None,
            started_at=started,
            finished_at=started + timedelta(minutes=minutes),
            tightness_before=before,
            tightness_after=after,
            pain=pain,
            exercises=[ExerciseLogEntry(e.pk, 30, 1, False) for e in exercises],
            **flags,
        )
        return session

    return make
