"""Django's Redis cache, with one redis-py client per connection pool instead of one per operation.

Django's RedisCacheClient makes a new `redis.Redis` for every cache call, and redis-py copies its
~170 response callbacks into a case-insensitive dict each time: more Python than the round trip
itself, on each of the few cache calls every request makes (session, figures stamp, kept answers).
A `redis.Redis` is safe to share between threads, and its pool notices a fork (gunicorn's
--preload) and opens new connections in the child, so one per pool is enough.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One for writes (the first server) and one for reads (with replicas listed, one of them
        chosen once per process rather than per call)."""
        client = self._clients.get(write)
        if client is None:  # two threads may both make one: either serves
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client
