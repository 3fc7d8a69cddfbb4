"""Readiness: /health/ready/ answers 200 when Unknot can do its work, 503 naming what cannot.

`/health/` stays the liveness check (no I/O: the process answers). Readiness uses
django-health-check's view and checks, plus two of ours:
- PostgreSQL (`Database`) and the cache (`Cache`: a write and a read; the cache wrapper turns a
  Redis outage into misses, so the read comes back empty);
- the Celery broker (`Broker`: a ping, when the broker is Redis);
- the background processes (`Heartbeats`): the dispatcher ran in the last
  HEALTH_HEARTBEAT_MAX_AGE_SECONDS (so beat and the dispatch worker run), and a send worker took
  the heartbeat task the dispatcher enqueues every minute (notifications.heartbeats).

The same checks run in the worker, dispatcher and beat containers with
`manage.py health_check health_ready --no-http` (docker-compose.yml).
"""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db import connection
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from notifications.heartbeats import DISPATCHER, WORKER, heartbeats_stale

WHAT_IS_IDLE = {
    DISPATCHER: "the dispatcher has not run (check beat and the dispatch worker)",
    WORKER: "no send worker has taken work (check the workers)",
}


@dataclasses.dataclass
class Heartbeats(HealthCheck):
    def run(self) -> None:
        minutes = settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS / 60
        try:
            stale = heartbeats_stale(
                [DISPATCHER, WORKER], max_age=timedelta(seconds=settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS)
            )
        finally:
            connection.close()  # this runs in a thread of its own: leave no connection behind
        if stale:
            idle = "; ".join(WHAT_IS_IDLE[name] for name in stale)
            raise ServiceUnavailable(f"In the last {minutes:g} minutes {idle}.")


@dataclasses.dataclass
class Broker(Redis):
    """The Celery broker (Redis), named as such in the report, without its address (the page is
    public, for load balancers)."""

    def __repr__(self) -> str:
        return "Broker(Redis)"


def _broker_client() -> RedisClient:
    return RedisClient.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)


class ReadinessView(HealthCheckView):
    def get_checks(self):
        yield Database()
        yield Cache()
        if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
            yield Broker(client_factory=_broker_client)
        yield Heartbeats()

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:  # the library's "a check failed": a load balancer expects 503
            response.status_code = 503
        return response
