"""Django's Redis cache, with one redis-py client per connection pool instead of one per operation,
and an increment in one round trip.

Django's RedisCacheClient makes a new `redis.Redis` for every cache call, and redis-py copies its
~170 response callbacks into a case-insensitive dict each time: more Python than the round trip
itself, on each of the few cache calls every request makes (session, figures stamp, kept answers).
A `redis.Redis` is safe to share between threads, and its pool notices a fork and opens new
connections in the child, so one per pool is enough. Django's `incr` asks EXISTS, then INCRBY
(two round trips, with a gap between them); here one script does both atomically (the API
tokens' rate limit counts every request with it).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

# Django's contract: a missing key is an error, not a new counter.
INCR_EXISTING = """
if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end
return false
"""


class _Client(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}
        self._incr: Any = None

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One for writes (the first server) and one for reads (with replicas listed, one of them
        chosen once per process rather than per call)."""
        client = self._clients.get(write)
        if client is None:  # two threads may both make one: either serves
            client = self._clients[write] = super().get_client(key, write=write)
        return client

    def incr(self, key: Any, delta: int) -> Any:
        if self._incr is None:
            self._incr = self.get_client(key, write=True).register_script(INCR_EXISTING)
        value = self._incr(keys=[key], args=[delta])  # EVALSHA; the script sent again if unknown
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client
