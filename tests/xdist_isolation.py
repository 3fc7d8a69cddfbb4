"""A pytest plugin (loaded with `-p tests.xdist_isolation`, see pyproject.toml): under pytest-xdist,
each worker gets a Redis database of its own, as pytest-django gives it a test database of its
own (test_<name>_gw0, test_<name>_gw1, …).

REDIS_URL names the first worker's database; worker N uses the next Nth. It runs when the plugin
is imported, before Django reads its settings, so the test process, the Celery broker it sends
to and the worker processes it starts (which inherit the environment) all agree. Queues, ports
and temporary files are already per test (tests/notifications/conftest.py), so nothing else is
shared between workers but PostgreSQL's server and Redis's.
"""

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases`


def redis_url_for_worker(url: str, worker: str) -> str:
    """redis://host:6379/10 for gw2 → redis://host:6379/12."""
    parts = urlsplit(url)
    first = int(parts.path.lstrip("/") or 0)
    database = first + int(worker.removeprefix("gw"))
    if database >= REDIS_DATABASES:
        raise SystemExit(
            f"pytest-xdist worker {worker} would use Redis database {database}, past the last "
            f"({REDIS_DATABASES - 1}): start REDIS_URL at a lower database, or run fewer workers."
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], _worker)
