"""The main pages' CPU time per request, in-process (issue 18): what each page costs the app itself,
which the machine's load does not inflate as it does wall times.

    DATABASE_URL=postgres://…/luoshi_bench .venv/bin/python benchmarks/pages_cpu.py [--runs 8]
        [--pages 我的任务,matrix] [--profile 我的任务]

The national dataset (national.py) on production settings (the cache on Redis when redis-server is
installed, as `serve.py` runs it), each page of `serve.py` as its user through Django's test client:
warm = median CPU of `--runs` requests after two warm-ups, cold = one request after the figures
cache was emptied; the queries of each. `--profile NAME` prints where a warm request of that page
spends its time (cProfile). The sign-in writes the user's last login: use a copy of the dataset.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import secrets
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from national import ROOT
from serve import AS_OF, USERS, free_port, main_pages


def environment(workdir: Path, redis_port: int | None) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "luoshi.settings",
            "LUOSHI_DEBUG": "false",
            "LUOSHI_SECRET_KEY": secrets.token_urlsafe(50),
            "LUOSHI_ALLOWED_HOSTS": "testserver",
            "LUOSHI_SSL_REDIRECT": "false",
            "LUOSHI_DATA_DIR": str(workdir),
            "LUOSHI_STATIC_ROOT": str(ROOT / "var" / "static"),  # collected by `make install`
            "LUOSHI_TWO_FACTOR_ROLES": "",
        }
    )
    if redis_port:
        os.environ["LUOSHI_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"


@contextlib.contextmanager
def redis(workdir: Path) -> Iterator[int | None]:
    if not shutil.which("redis-server"):
        yield None
        return
    port = free_port()
    child = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.1)
        yield port
    finally:
        child.terminate()
        child.wait()


def counting() -> tuple[list[int], Callable[..., Any]]:
    seen = [0]

    def count(execute: Callable[..., Any], *args: Any) -> Any:
        seen[0] += 1
        return execute(*args)

    return seen, count


def measure(client: Any, path: str, runs: int) -> dict[str, float]:
    from django.db import connection

    from luoshi.metrics import cache

    def get() -> tuple[float, int]:
        seen, count = counting()
        started = time.process_time()
        with connection.execute_wrapper(count):
            answer = client.get(path)
        spent = (time.process_time() - started) * 1000
        assert answer.status_code == 200, (path, answer.status_code)
        return spent, seen[0]

    get()
    cache.invalidate()
    cache._local.clear()
    cold, cold_queries = get()
    get()
    warm = [get() for _ in range(runs)]
    return {
        "cold": cold,
        "cold queries": cold_queries,
        "warm": statistics.median(t for t, _ in warm),
        "min": min(t for t, _ in warm),
        "queries": warm[-1][1],
    }


def profile(client: Any, path: str, callers: str = "") -> None:
    client.get(path)
    profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the database
    profiler.enable()
    for _ in range(3):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 45)
    stats.sort_stats("tottime").print_stats(30)
    if callers:
        stats.print_callers(callers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument(
        "--pages", default="", help="only the pages whose names contain one of these"
    )
    parser.add_argument("--profile", default="", help="a page's name: profile it instead")
    parser.add_argument("--callers", default="", help="with --profile: who calls these functions")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="luoshi-pages-cpu-"))
    with redis(workdir) as redis_port:
        environment(workdir, redis_port)
        run(args, redis_port is not None)
    shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, on_redis: bool) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    clients: dict[str | None, Any] = {None: Client()}  # the public portal: nobody signed in
    for role, username in USERS.items():
        clients[role] = Client()
        clients[role].force_login(User.objects.get(username=username))
    wanted = [w for w in args.pages.split(",") if w]
    load = os.getloadavg()[0]
    print(f"as of {AS_OF}; load average {load:.1f} (2 cores); cache on "
          f"{'Redis' if on_redis else 'files'}")  # fmt: skip
    print(f"{'page':<14}{'CPU warm':>10}{'min':>7}{'CPU cold':>10}{'queries':>9}{'cold':>6}")
    for name, path, role in main_pages(lambda p: clients["office"].get(p).content):
        if (wanted and not any(w in name for w in wanted)) or (not wanted and "API" in name):
            continue
        if args.profile:
            if args.profile in name:
                profile(clients[role], path, args.callers)
            continue
        m = measure(clients[role], path, args.runs)
        print(f"{name:<14}{m['warm']:>8.0f}ms{m['min']:>5.0f}ms{m['cold']:>8.0f}ms"
              f"{m['queries']:>9.0f}{m['cold queries']:>6.0f}", flush=True)  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
