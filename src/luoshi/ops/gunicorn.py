"""How `luoshi serve` runs gunicorn: no Django import here, so benchmarks/serve.py can start the
same server without configuring settings."""

from __future__ import annotations

import os
import sys


def default_workers() -> int:
    """One process per core: each holds the app (~80 MiB after import, more with its figures), so
    processes cost memory, while threads within one share it (see THREADS)."""
    return os.cpu_count() or 1


THREADS = 4  # per worker: requests mostly wait on the database or the cache, which frees the GIL
MAX_REQUESTS = 2000  # a worker is replaced after this many (plus jitter), bounding slow growth


def gunicorn_argv(bind: str, workers: int, timeout: int, threads: int = THREADS) -> list[str]:
    """The server `luoshi serve` runs (also started so by benchmarks/serve.py). The app is loaded
    once in the master before the workers fork (--preload): they share its pages copy-on-write
    and none spends its first request importing the URL configuration. Threaded workers (gthread)
    serve concurrent requests from one copy of the app: on 2 cores, 2 workers × 4 threads serve
    eight clients with three processes instead of five or nine."""
    return [
        sys.executable, "-m", "gunicorn", "luoshi.wsgi:application",
        "--preload",
        "--bind", bind,
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--max-requests", str(MAX_REQUESTS),
        "--max-requests-jitter", str(MAX_REQUESTS // 10),
        "--timeout", str(timeout),
        "--access-logfile", "-",
        "--forwarded-allow-ips", "127.0.0.1",
    ]  # fmt: skip
