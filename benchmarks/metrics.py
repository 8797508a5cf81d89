"""Metrics benchmark: time and SQL queries of the headline figures (rate, target, forecast, lights,
overdue, KPIs) for the bundled plan and within a large generated dataset.

    .venv/bin/python benchmarks/metrics.py [--plans 50] [--runs 7]

The large dataset is `--plans` copies of the plan, each with 34 monthly cycles of reports
(50 plans ≈ 12,000 measures and ≈ 115,000 reports with their ≈ 500,000 review events).
Prints medians; the query count must be the same for a small and a large database.
"""

from __future__ import annotations

import argparse
import statistics
import time

from dataset import bundled_with_history, large_dataset, setup_django


def measure(action, runs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the query log is a bounded deque: counts are wrong once it has filled

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    import datetime as dt

    from luoshi.metrics.headline import headline
    from luoshi.metrics.kpi import kpi_statuses
    from luoshi.progress.models import Report, ReportEvent

    as_of = dt.date(2022, 6, 30)
    plan = bundled_with_history()

    def figures(p):  # type: ignore[no-untyped-def]
        return lambda: (headline(p, as_of), kpi_statuses(p, as_of))

    small, small_queries = measure(figures(plan), args.runs)
    count = Report.objects.count()
    print(
        f"bundled plan (88 tasks, 240 measures, {count} reports), as of {as_of}, median of {args.runs}:"
    )
    print(f"  headline figures   {small * 1000:8.1f} ms   {small_queries} queries")

    plans, built = large_dataset(args.plans)
    reports, events = Report.objects.count(), ReportEvent.objects.count()
    print(
        f"large dataset: {args.plans + 1} plans, {240 * (args.plans + 1)} measures, {reports} reports, "
        f"{events} events (built in {built:.0f} s)"
    )
    large, large_queries = measure(figures(plans[-1]), args.runs)
    ratio = large / small
    print(
        f"  headline figures   {large * 1000:8.1f} ms   {large_queries} queries   ({ratio:.2f}× the bundled plan)"
    )
    everything = lambda: [figures(p)() for p in plans[:10]]  # noqa: E731
    ten, _ = measure(everything, max(1, args.runs // 3))
    print(f"  ten plans in a row {ten * 1000:8.1f} ms")
    assert large_queries == small_queries, "query count grows with the data"


if __name__ == "__main__":
    main()
