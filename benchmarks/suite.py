"""Test-suite benchmark: wall time of pytest on the suite (or a named part of it), before (a git ref)
and now (this tree), in one run on the same machine state.

    nice -n 5 .venv/bin/python benchmarks/suite.py [--before REF | --against ARGS] [--runs N] [PYTEST ARGS…]
    e.g. DATABASE_URL= .venv/bin/python benchmarks/suite.py --before b2e5af7 tests/web tests/metrics
         DATABASE_URL= .venv/bin/python benchmarks/suite.py --against "-n 2 --dist loadfile" tests/web

`--before` (default: main) is exported with `git archive` into a temporary directory and run with the
same virtualenv, node_modules and Chromium, so only the code and the tests differ. With several runs
the two alternate, so load from other work on the machine falls on both alike. Each run's pytest
summary is printed: a faster run that fails is no speed-up. The database is the one DATABASE_URL
names, as for `make pytest` (empty: SQLite in memory). `--against` compares two ways of running this
tree instead (serial against pytest-xdist, say).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = Path("src/luoshi/web/locale/en/LC_MESSAGES")


def export(ref: str, target: Path) -> Path:
    """The tree at `ref`, made runnable as `make install` would: the installed npm packages and
    the English catalogue compiled from that tree's own .po file."""
    archive = subprocess.run(
        ["git", "archive", ref], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    (target / "var").mkdir(exist_ok=True)
    po = target / LOCALE / "django.po"
    if shutil.which("msgfmt") and po.exists():
        subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    return target


def run(tree: Path, args: list[str]) -> tuple[float, int, str]:
    """Seconds, exit code and pytest's summary line of one run of pytest in `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}  # before the editable install's path
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    summary = lines[-1].strip("= ") if lines else done.stderr.strip()[-200:]
    if done.returncode not in (0, 5):
        print(done.stdout[-4000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
    return seconds, done.returncode, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="main", help="git ref of the code to compare with")
    parser.add_argument(
        "--against",
        metavar="ARGS",
        help="instead of a ref: this tree as is against this tree with these pytest arguments "
        "(e.g. '-n 2 --dist loadfile')",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs of each, alternating")
    options, pytest_args = parser.parse_known_args()
    print(
        f"load average {os.getloadavg()[0]:.1f}; pytest {' '.join(pytest_args) or '(whole suite)'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        if options.against:
            legs = {"as is": (ROOT, []), options.against: (ROOT, shlex.split(options.against))}
        else:
            ref = subprocess.run(
                ["git", "rev-parse", "--short", options.before],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            legs = {f"before ({ref})": (export(ref, Path(tmp) / "before"), []), "now": (ROOT, [])}
        times: dict[str, list[float]] = {name: [] for name in legs}
        failed = False
        for index in range(options.runs):
            for name, (tree, extra) in legs.items():
                seconds, code, summary = run(tree, [*extra, *pytest_args])
                times[name].append(seconds)
                failed |= code not in (0, 5)
                print(f"run {index + 1} {name:16} {seconds:8.1f} s  exit {code}  {summary}")
        (first, a), (second, b) = ((name, statistics.median(t)) for name, t in times.items())
        print(f"median: {first} {a:.1f} s, {second} {b:.1f} s, ratio {b / a:.0%}")
        print(f"load average {os.getloadavg()[0]:.1f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
