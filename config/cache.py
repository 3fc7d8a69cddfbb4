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

Keys whose name carries everything their value depends on (OPTIONS `KEPT_IN_PROCESS`: the
dashboard's and the roster's, whose keys hold a version that every change bumps) are also kept
in each process, the most recently used `KEPT_IN_PROCESS_MAX` of them: a repeat view served by
the same process reads no Redis at all (fetching and unpickling a 35 KB page part from Redis is
about 0.16 ms, a fifth of a whole bare request). Such a value never changes under its key, so a
process's copy cannot be stale; callers must not change the value they get.
"""

import logging
import threading
import time
from collections import OrderedDict
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


class _Kept:
    """The values of this process's most recently used kept keys, shared by its threads."""

    def __init__(self, size: int) -> None:
        self.lock = threading.Lock()
        self.size = size
        self.values: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def put(self, key: str, value: Any) -> None:
        if value is None:
            return
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)

    def forget(self, keys: list[str] | None = None) -> None:
        with self.lock:
            if keys is None:
                self.values.clear()
            for key in keys or ():
                self.values.pop(key, None)


_kept: dict[str, _Kept] = {}


def _kept_for(location: str, size: int) -> _Kept:
    with _outages_lock:
        return _kept.setdefault(location, _Kept(size))


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self._kept_prefixes = tuple(options.pop("KEPT_IN_PROCESS", ()))
        kept_max = options.pop("KEPT_IN_PROCESS_MAX", 128)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedRedisCacheClient
        self._outage = _outage_for(str(server))
        self._kept = _kept_for(str(server), kept_max) if self._kept_prefixes and kept_max > 0 else None

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

    def _kept_key(self, key, version) -> str | None:
        """The full key under which this process keeps `key`'s value, or None if it is not kept."""
        if self._kept is None or not key.startswith(self._kept_prefixes):
            return None
        return self.make_and_validate_key(key, version)

    def get(self, key, default=None, version=None):
        kept_key = self._kept_key(key, version)
        if kept_key is not None and (value := self._kept.get(kept_key)) is not None:
            return value
        value = self._call(
            [key],
            _reads(lambda: super(ResilientRedisCache, self).get(key, default, version)),
            lambda: self._outage.fallback.get(key, default, version),
            missing=default,
        )
        if kept_key is not None and value is not default:
            self._kept.put(kept_key, value)
        return value

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
        if (kept_key := self._kept_key(key, version)) is not None:
            self._kept.put(kept_key, value)
        self._call(
            [key],
            _writes(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version)),
            lambda: self._outage.fallback.set(key, value, timeout, version),
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key, value in data.items():
            if (kept_key := self._kept_key(key, version)) is not None:
                self._kept.put(kept_key, value)
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
        if (kept_key := self._kept_key(key, version)) is not None:
            self._kept.forget([kept_key])
        return self._call(
            [key],
            _writes(lambda: super(ResilientRedisCache, self).delete(key, version)),
            lambda: self._outage.fallback.delete(key, version),
            missing=False,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        if self._kept is not None:
            self._kept.forget([kept for key in keys if (kept := self._kept_key(key, version)) is not None])
        self._call(
            keys,
            _writes(lambda: super(ResilientRedisCache, self).delete_many(keys, version)),
            lambda: self._outage.fallback.delete_many(keys, version),
        )

    def incr(self, key, delta=1, version=None):
        if (kept_key := self._kept_key(key, version)) is not None:
            self._kept.forget([kept_key])
        result = self._call(
            [key],
            _writes(lambda: super(ResilientRedisCache, self).incr(key, delta, version)),
            lambda: self._outage.fallback.incr(key, delta, version),
        )
        if result is None:  # as for a missing key: the caller starts again
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def clear(self):
        if self._kept is not None:
            self._kept.forget()
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
