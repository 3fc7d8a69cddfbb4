"""The default cache when Redis hangs or goes away: a miss within the timeout, never an error, and
Redis left alone for a few seconds rather than waited for on every call (config/cache.py)."""

import signal
import time

import pytest

import config.cache
from config.cache import ResilientRedisCache


@pytest.fixture
def cache_on(resilient_cache_on_spare_redis):
    return resilient_cache_on_spare_redis()


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_hung_redis_is_a_miss_after_one_short_timeout_then_skipped(cache_on, spare_redis, monkeypatch):
    monkeypatch.setattr(config.cache, "RETRY_AFTER", 0.5)  # the two calls after the timeout take milliseconds
    cache_on.set("greeting", "hello")
    spare_redis.process.send_signal(signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        first, waited = timed(lambda: cache_on.get("greeting", "missed"))
        second, skipped = timed(lambda: cache_on.get("greeting", "missed"))
        cache_on.set("greeting", "changed meanwhile")  # dropped, and remembered
    finally:
        spare_redis.process.send_signal(signal.SIGCONT)

    assert (first, second) == ("missed", "missed")
    assert 0.4 < waited < 1.5
    assert skipped < 0.05
    time.sleep(0.5)  # RETRY_AFTER
    # Back: what could not be written is removed, so the old value is not served.
    assert cache_on.get("greeting") is None
    cache_on.set("greeting", "hello again")
    assert cache_on.get("greeting") == "hello again"


def test_rate_limit_keys_keep_counting_in_the_process_while_redis_is_away(cache_on, spare_redis):
    spare_redis.stop()

    assert cache_on.add("allauth:rl:account:login_failed:lock", True) is True
    assert cache_on.add("allauth:rl:account:login_failed:lock", True) is False  # still a lock
    cache_on.set("allauth:rl:account:login_failed:5/300/key:abc", [1.0, 2.0])
    assert cache_on.get("allauth:rl:account:login_failed:5/300/key:abc") == [1.0, 2.0]
    assert cache_on.add("dashboard:1", "x") is False  # any other key: a miss, nothing kept
    assert cache_on.get("dashboard:1") is None


@pytest.fixture
def keeping_cache(resilient_cache_on_spare_redis, monkeypatch):
    """The cache as production configures it: dashboard and roster keys kept in the process too."""
    monkeypatch.setattr(config.cache, "_kept", {})  # this test's process copies only
    return resilient_cache_on_spare_redis(KEPT_IN_PROCESS=("dashboard:", "roster:"), KEPT_IN_PROCESS_MAX=2)


def test_a_versioned_page_part_seen_by_the_process_is_served_without_redis(keeping_cache, spare_redis):
    keeping_cache.set("dashboard:3:7:12", "<section>figures</section>")
    keeping_cache.set("greeting", "hello")
    spare_redis.stop()

    assert keeping_cache.get("dashboard:3:7:12") == "<section>figures</section>"
    assert keeping_cache.get("greeting") is None  # not a kept key: Redis only, and it is away


def test_a_value_another_process_stored_is_kept_once_read(keeping_cache, spare_redis):
    other_process = ResilientRedisCache(spare_redis.url, {})
    other_process.set("roster:5:3:9:800:flags:1", {"html": "<table></table>", "pending_count": 2})

    assert keeping_cache.get("roster:5:3:9:800:flags:1")["pending_count"] == 2
    spare_redis.stop()
    assert keeping_cache.get("roster:5:3:9:800:flags:1")["pending_count"] == 2


def test_the_process_keeps_only_the_most_recently_used(keeping_cache, spare_redis):
    for version in (1, 2, 3):
        keeping_cache.set(f"dashboard:3:7:{version}", f"version {version}")
    keeping_cache.get("dashboard:3:7:2")
    keeping_cache.set("dashboard:3:7:4", "version 4")  # the least recently used (3) goes
    spare_redis.stop()

    assert [keeping_cache.get(f"dashboard:3:7:{version}") for version in (1, 2, 3, 4)] == [
        None,
        "version 2",
        None,
        "version 4",
    ]


def test_a_deleted_key_is_not_served_from_the_process(keeping_cache):
    keeping_cache.set("dashboard:3:7:1", "figures")
    keeping_cache.delete("dashboard:3:7:1")

    assert keeping_cache.get("dashboard:3:7:1") is None
