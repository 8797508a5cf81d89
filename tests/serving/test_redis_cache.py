"""The Redis cache backend (ops/cache.py) on a real redis-server: Django's cache API unchanged, one
client object reused, shared safely by threads (gunicorn's gthread workers)."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from luoshi.ops.cache import RedisCache
from tests.serving.servers import free_port, process, wait_for_port

REDIS = shutil.which("redis-server")


@pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")
def test_the_cache_api_holds_and_one_client_serves_every_thread(tmp_path):
    port = free_port()
    argv = [
        REDIS or "",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    with process(argv, tmp_path / "redis.log"):
        wait_for_port(port)
        cache = RedisCache(f"redis://127.0.0.1:{port}/0", {})
        cache.set("a", {"figures": [1, 2]}, 60)
        assert cache.get("a") == {"figures": [1, 2]} and cache.get("missing") is None
        assert cache.add("a", "other", 60) is False and cache.add("b", 0, 60) is True
        assert cache.get_many(["a", "b", "missing"]) == {"a": {"figures": [1, 2]}, "b": 0}
        with pytest.raises(ValueError):
            cache.incr("missing")
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda _: cache.incr("b"), range(400)))
        assert cache.get("b") == 400  # no increment lost between threads
        backend: Any = cache  # its client is private to Django (no stub for it)
        client = backend._cache.get_client()
        assert backend._cache.get_client() is client  # not a new redis.Redis per call
        assert cache.delete("a") and cache.get("a") is None
