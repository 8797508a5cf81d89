"""Documents benchmark: time to build the briefing (Word, and PDF) and the full ledger, for the bundled
plan and within a large generated dataset.

    .venv/bin/python benchmarks/reports.py [--plans 20] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from dataset import bundled_with_history, large_dataset, setup_django

AS_OF = dt.date(2022, 6, 30)


def median(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(plan, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from luoshi.paperwork.briefing import briefing_docx
    from luoshi.paperwork.ledger import ledger_xlsx
    from luoshi.paperwork.pdf import docx_to_pdf

    docx = briefing_docx(plan, AS_OF)
    results = {
        "briefing .docx": median(lambda: briefing_docx(plan, AS_OF), runs),
        "briefing .pdf (LibreOffice)": median(lambda: docx_to_pdf(docx), max(1, runs // 2)),
        "ledger .xlsx (240 rows)": median(lambda: ledger_xlsx(plan, AS_OF), runs),
    }
    for name, seconds in results.items():
        print(f"  {name:<28} {seconds * 1000:8.0f} ms")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from luoshi.progress.models import Report

    plan = bundled_with_history()
    print(f"bundled plan, as of {AS_OF}, median of {args.runs}:")
    small = measure(plan, args.runs)
    plans, built = large_dataset(args.plans)
    print(
        f"large dataset: {args.plans + 1} plans, {Report.objects.count()} reports (built in {built:.0f} s):"
    )
    large = measure(plans[-1], args.runs)
    for name in small:
        print(f"  {name:<28} {large[name] / small[name]:.2f}× the bundled plan's time")


if __name__ == "__main__":
    main()
