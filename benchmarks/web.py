"""Web benchmark: median server time and SQL queries of the dashboard, the task list and a task
detail page, on the bundled plan (with its demo history) and within a large generated dataset.

    .venv/bin/python benchmarks/web.py [--plans 20] [--runs 7]

Measured through Django's test client (server time, no network or browser).
"""

from __future__ import annotations

import argparse
import statistics
import time

from dataset import bundled_with_history, large_dataset, setup_django

PAGES = [
    ("dashboard", "/dashboard/?plan={plan}&as_of=2022-06-30"),
    ("task list", "/tasks/?plan={plan}&as_of=2022-06-30"),
    ("task list, red", "/tasks/?plan={plan}&as_of=2022-06-30&light=red"),
    ("task detail", "/tasks/{task}/?as_of=2022-06-30"),
]


def measure(client, url: str, runs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the query log is a bounded deque: counts are wrong once it has filled

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


def report(client, plan, runs: int) -> dict[str, tuple[float, int]]:  # type: ignore[no-untyped-def]
    task = plan.tasks.get(number=23).pk
    results = {}
    for name, url in PAGES:
        results[name] = measure(client, url.format(plan=plan.pk, task=task), runs)
        print(f"  {name:<16} {results[name][0] * 1000:8.1f} ms   {results[name][1]:3d} queries")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth.models import User
    from django.test import Client

    plan = bundled_with_history()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="leader"))
    print(f"bundled plan, median of {args.runs}:")
    small = report(client, plan, args.runs)
    plans, built = large_dataset(args.plans)
    from luoshi.progress.models import Report

    print(
        f"large dataset: {args.plans + 1} plans, {Report.objects.count()} reports (built in {built:.0f} s):"
    )
    large = report(client, plans[-1], args.runs)
    for name in small:
        print(
            f"  {name:<16} {large[name][0] / small[name][0]:.2f}× the bundled plan's time, "
            f"queries {small[name][1]} → {large[name][1]}"
        )


if __name__ == "__main__":
    main()
