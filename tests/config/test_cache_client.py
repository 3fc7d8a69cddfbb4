"""config.cache.ReusedRedisCacheClient: one redis.Redis per connection pool, against the real Redis."""

import pytest
from django.conf import settings

from config.cache import ResilientRedisCache


@pytest.fixture
def redis_cache():
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: this test needs the real Redis.")
    cache = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-config-cache-client"})
    yield cache
    cache.delete_many(["greeting", "counter"])


def test_it_reuses_one_client_for_every_operation(redis_cache):
    first = redis_cache._cache.get_client(write=True)

    redis_cache.set("greeting", "hello")

    assert redis_cache.get("greeting") == "hello"
    assert redis_cache._cache.get_client() is first
    assert redis_cache._cache.get_client(write=True) is first


def test_it_still_counts_and_deletes(redis_cache):
    redis_cache.set("counter", 1)

    assert redis_cache.incr("counter") == 2
    assert redis_cache.delete("counter")
    assert redis_cache.get("counter") is None
