"""The default cache: Redis, where an outage is a miss instead of a 500.

Everything Unknot keeps in the cache can be recomputed or read from PostgreSQL (sessions are
`cached_db`, dashboards and rosters are rebuilt), so when Redis does not answer:
- a read is a miss and a write is dropped, logged once per outage, not raised;
- Redis is left alone for `RETRY_AFTER` seconds after a failure, so a page with ten cache calls
  waits for one short timeout (OPTIONS socket_connect_timeout / socket_timeout), not ten;
- keys that a write could not reach are remembered (up to `UNSYNCED_MAX`) and deleted from Redis
  first thing when it answers again: a session saved or a logout made during the outage is then
  read from PostgreSQL instead of from the copy Redis still holds;
- allauth's rate limits (keys under `allauth:rl:`) move to a local-memory cache in each process:
  they still limit (each web process counts on its own, so a limit of 5 allows up to 5 per process
  while Redis is down), rather than letting every attempt through or refusing every login.
"""

import logging
import threading
import time
from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
RETRY_AFTER = 5.0  # seconds without trying Redis after it failed
UNSYNCED_MAX = 10_000
# Keys that must keep counting while Redis is down: allauth's rate limits and their locks.
LOCAL_FALLBACK_PREFIXES = ("allauth:rl:",)


class _Outage:
    """What this process knows about one Redis location; shared by its threads (Django makes a
    cache object per thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.unsynced: set[str] = set()
        self.fallback = LocMemCache("resilient-redis-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    @property
    def down(self) -> bool:
        return time.monotonic() < self.down_until


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis.Redis per connection pool.

    Django's RedisCacheClient builds a new redis.Redis for every cache operation; since redis-py 5
    each one builds its table of response callbacks (≈170 entries), which cost about as much as
    the round trip to a local Redis itself, twice on every logged-in page (the session, then the
    page's cached part; see `make bench`). A redis.Redis is safe to share between threads: it takes
    a connection from its pool for each command."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
        self._outage = _outage_for(str(server))

    # --- The rules -----------------------------------------------------------------------------

    def _local(self, key: str) -> bool:
        return key.startswith(LOCAL_FALLBACK_PREFIXES)

    def _failed(self, error: Exception, keys: list[str]) -> None:
        outage = self._outage
        with outage.lock:
            first = not outage.down
            outage.down_until = time.monotonic() + RETRY_AFTER
            room = UNSYNCED_MAX - len(outage.unsynced)
            outage.unsynced.update(self.make_and_validate_key(key) for key in keys[: max(0, room)])
        if first:
            logger.warning("Redis cache unavailable, treating it as empty for %ss: %s", RETRY_AFTER, error)

    def _available(self) -> bool:
        """Whether to try Redis now; first deletes what could not be written while it was down."""
        outage = self._outage
        if outage.down:
            return False
        if outage.unsynced:
            with outage.lock:
                stale, outage.unsynced = outage.unsynced, set()
            try:
                self._cache.delete_many(list(stale))
            except REDIS_DOWN as error:
                with outage.lock:
                    outage.unsynced |= stale
                self._failed(error, [])
                return False
            logger.info("Redis cache back: removed %s entries written during the outage", len(stale))
        return True

    def _call(self, keys: list[str], redis_call, local_call, *, missing: Any = None) -> Any:
        if keys and all(self._local(key) for key in keys):
            if not self._available():
                return local_call()
            try:
                return redis_call()
            except REDIS_DOWN as error:
                self._failed(error, [])
                return local_call()
        if not self._available():
            self._failed_write_remembered(keys, redis_call)
            return missing
        try:
            return redis_call()
        except REDIS_DOWN as error:
            self._failed(error, keys if getattr(redis_call, "writes", False) else [])
            return missing

    def _failed_write_remembered(self, keys: list[str], redis_call) -> None:
        if getattr(redis_call, "writes", False) and keys:
            with self._outage.lock:
                room = UNSYNCED_MAX - len(self._outage.unsynced)
                self._outage.unsynced.update(self.make_and_validate_key(key) for key in keys[: max(0, room)])

    # --- Django's cache API ----------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._call(
            [key],
            _reads(lambda: super(ResilientRedisCache, self).get(key, default, version)),
            lambda: self._outage.fallback.get(key, default, version),
            missing=default,
        )

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self._call(
            keys,
            _reads(lambda: super(ResilientRedisCache, self).get_many(keys, version)),
            lambda: self._outage.fallback.get_many(keys, version),
            missing={},
        )

    def has_key(self, key, version=None):
        return self._call(
            [key],
            _reads(lambda: super(ResilientRedisCache, self).has_key(key, version)),
            lambda: self._outage.fallback.has_key(key, version),
            missing=False,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            [key],
            _writes(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version)),
            lambda: self._outage.fallback.add(key, value, timeout, version),
            missing=False,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(
            [key],
            _writes(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version)),
            lambda: self._outage.fallback.set(key, value, timeout, version),
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            list(data),
            _writes(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version)),
            lambda: self._outage.fallback.set_many(data, timeout, version),
            missing=list(data),  # the keys that were not set
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            [key],
            _writes(lambda: super(ResilientRedisCache, self).touch(key, timeout, version)),
            lambda: self._outage.fallback.touch(key, timeout, version),
            missing=False,
        )

    def delete(self, key, version=None):
        return self._call(
            [key],
            _writes(lambda: super(ResilientRedisCache, self).delete(key, version)),
            lambda: self._outage.fallback.delete(key, version),
            missing=False,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self._call(
            keys,
            _writes(lambda: super(ResilientRedisCache, self).delete_many(keys, version)),
            lambda: self._outage.fallback.delete_many(keys, version),
        )

    def incr(self, key, delta=1, version=None):
        result = self._call(
            [key],
            _writes(lambda: super(ResilientRedisCache, self).incr(key, delta, version)),
            lambda: self._outage.fallback.incr(key, delta, version),
        )
        if result is None:  # as for a missing key: the caller starts again
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def clear(self):
        return self._call([], _writes(lambda: super(ResilientRedisCache, self).clear()), lambda: None)

    def ping(self) -> None:
        """For the readiness check: raises when Redis does not answer, whatever this wrapper does."""
        self._cache.get_client(write=True).ping()


def _reads(call):
    call.writes = False
    return call


def _writes(call):
    call.writes = True
    return call
