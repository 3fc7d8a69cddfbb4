"""Shared fixtures. Factories live in tests/factories.py.

With REQUIRE_SERVICES=1 (as CI sets it) the run stops at once, as a failure, unless PostgreSQL,
Redis and Debian's chromium are all there: nothing that needs them is silently skipped.
"""

import os
import shutil

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"


def _missing_services() -> list[str]:
    missing = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append("DATABASE_URL does not point at PostgreSQL")
    if not settings.REDIS_URL:
        missing.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            missing.append(f"Redis at REDIS_URL does not answer ({exc})")
    if not shutil.which(CHROMIUM):
        missing.append(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    return missing


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        missing = _missing_services()
        if missing:
            pytest.exit("REQUIRE_SERVICES=1 but: " + "; ".join(missing), returncode=3)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings) -> None:
    # A fast hasher keeps sign-up tests quick; a private cache keeps allauth's rate limits
    # from leaking between tests (and off a shared Redis).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def library(db):
    """The shipped exercise library, loaded as `make run` loads it."""
    from routines.services import library_load

    return library_load()
