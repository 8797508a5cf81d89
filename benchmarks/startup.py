"""Start-up benchmark: wall time of read-only commands, before (a git ref) and now, median of runs.

    .venv/bin/python benchmarks/startup.py [--before REF] [--runs 7]

`--before` (default: the commit before the start-up work) is exported with `git archive` and run with
the same virtualenv, so only luoshi's own code differs; both trees are byte-compiled first. Both run
against one throw-away SQLite database holding the bundled plan. Prints medians in seconds and the
before/now ratio.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = "data/plans/yueyang-ftz-implementation-plan-2021.txt"
COMMANDS = [
    ("luoshi --help", ["--help"]),
    ("luoshi status", ["status"]),
    ("luoshi remind (nothing to send)", ["remind"]),
    ("luoshi import-plan --dry-run", ["import-plan", "--dry-run", PLAN]),
]


def export(ref: str, target: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", ref, "src"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "src"


def run(src: Path, args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "luoshi", *args],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(src)},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="a840492", help="git ref of the code to compare with")
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "LUOSHI_DATA_DIR": tmp,
        }
        now = ROOT / "src"
        for step in (["migrate", "-v0"], ["import-plan", PLAN]):
            subprocess.run(
                [sys.executable, "-m", "luoshi", *step],
                cwd=ROOT,
                env={**env, "PYTHONPATH": str(now)},
                check=True,
                stdout=subprocess.DEVNULL,
            )
        before = export(options.before, Path(tmp) / "before")
        for src in (before, now):  # as an installed program starts: its bytecode already written
            compileall.compile_dir(src, quiet=1)  # (even where PYTHONDONTWRITEBYTECODE is set)
        print(f"{'command':32} {'before s':>9} {'now s':>9} {'ratio':>6}")
        for name, args in COMMANDS:
            times = {src: [] for src in (before, now)}
            for _ in range(options.runs):  # interleaved, so load on the machine hits both alike
                for src in (before, now):
                    times[src].append(run(src, args, env))
            old, new = (statistics.median(times[src]) for src in (before, now))
            print(f"{name:32} {old:9.2f} {new:9.2f} {old / new:5.1f}×")


if __name__ == "__main__":
    main()
