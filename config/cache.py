"""Django's Redis cache, keeping one redis.Redis client per connection pool.

Django's RedisCacheClient builds a new redis.Redis for every cache operation; since redis-py 5
each one builds its table of response callbacks (≈170 entries), which costs about as much as
the round trip to a local Redis itself, twice on every logged-in page (the session, then the
page's cached part; see `make bench`). A redis.Redis is safe to share between threads: it takes
a connection from its pool for each command. So one client per pool is kept and reused.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
