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
    """The server `luoshi serve` runs (also started so by benchmarks/serve.py). Each worker loads
    the app itself (luoshi.wsgi imports every view at load, so no first request waits for it); the
    master stays a bare gunicorn. Not --preload: a preloaded master holds a whole copy of the app
    the workers never use, and pages shared at fork drift apart as the workers run (reference counts
    and the garbage collector write to them) — measured on the national benchmark, the server held
    295 MiB RSS / 226 MiB PSS with it and 252 / 208 without. Threaded workers (gthread) serve
    concurrent requests from one copy of the app: on 2 cores, 2 workers × 4 threads serve eight
    clients with three processes instead of five or nine."""
    return [
        sys.executable, "-m", "gunicorn", "luoshi.wsgi:application",
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
