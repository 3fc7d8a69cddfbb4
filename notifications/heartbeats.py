"""Heartbeats of the background processes, for the readiness check (config/health.py).

The dispatcher task records `dispatcher` every minute (so beat and the dispatch worker run) and
enqueues a task that records `worker` on the send queue (so the send workers take work). Both are
rows in PostgreSQL, on the database's clock, so they outlive a Redis outage.
"""

from datetime import timedelta

from django.db.models.functions import Now

from notifications.models import Heartbeat

DISPATCHER = "dispatcher"
WORKER = "worker"


def heartbeat_record(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": Now()})


def heartbeats_stale(names: list[str], *, max_age: timedelta) -> list[str]:
    """The names, among `names`, with no heartbeat in the last `max_age` (never, or too long ago)."""
    fresh = set(
        Heartbeat.objects.filter(name__in=names, beat_at__gte=Now() - max_age).values_list("name", flat=True)
    )
    return [name for name in names if name not in fresh]
