"""Ingest benchmark: parse time and full import time (parse + database) of the bundled plan, and the
parse throughput on a large document made of many renumbered copies of its task part.

    .venv/bin/python benchmarks/ingest.py [--runs N] [--copies N]

Prints medians. The import runs against a throw-away SQLite database (or DATABASE_URL if set).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-"))

BUNDLED = ROOT / "data" / "plans" / "yueyang-ftz-implementation-plan-2021.txt"
CORPUS = ROOT / "tests" / "corpus" / "docs"
PAGE = 1000  # characters of Chinese text on an A4 page of an official document
DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """1 → 一, 23 → 二十三, 100 → 一百, 1234 → 一千二百三十四 (enough for renumbering)."""
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        if n >= value:
            out += DIGITS[n // value] + unit
            n %= value
        elif out and n:
            out += "零" if not out.endswith("零") else ""
    out += DIGITS[n] if n else ""
    return out.replace("零零", "零")


def many_copies(copies: int) -> bytes:
    from luoshi.ingest.numerals import chinese_to_int

    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("四、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    head, tasks, tail = lines[: start + 1], lines[start + 1 : end], lines[end:]
    body: list[str] = []
    for copy in range(copies):
        for line in tasks:
            if m := re.match(r"^\(([一二三四五六七八九十]+)\)", line):
                number = chinese_to_int(m[1]) + copy * 88
                line = f"({to_chinese(number)})" + line[m.end() :]
            body.append(line)
    return "\n".join(head + body + tail).encode("utf-8")


def hundred_pages(pages: int = 100) -> bytes:
    """A document of `pages` pages made of the corpus's items (several brackets in a paragraph,
    flat items, labelled and verb brackets), numbered as one long task part."""
    items = []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"(负责|牵头|指导|参与|单位：[^）]*)[）〕]$", line):
                items.append(re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.]", "", line))
    head = [
        "某市重点任务分工方案",
        "某政发〔2021〕1号",
        "一、总体要求",
        "全面落实。",
        "二、重点任务",
    ]
    body: list[str] = []
    while sum(map(len, body)) < pages * PAGE:
        body.append(f"（{to_chinese(len(body) + 1)}）{items[len(body) % len(items)]}")
    return "\n".join([*head, *body, "三、保障措施", "加强组织领导。"]).encode("utf-8")


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from luoshi.ingest import parse_bytes
    from luoshi.plans.models import Plan
    from luoshi.plans.services import plan_import

    call_command("migrate", verbosity=0)
    data = BUNDLED.read_bytes()
    parse = median_seconds(lambda: parse_bytes(data, BUNDLED.name), args.runs)

    def full_import() -> None:
        Plan.objects.all().delete()
        plan_import(parsed=parse_bytes(data, BUNDLED.name))

    imported = median_seconds(full_import, args.runs)
    big = many_copies(args.copies)
    parsed = parse_bytes(big, "copies.txt")
    big_parse = median_seconds(lambda: parse_bytes(big, "copies.txt"), max(3, args.runs // 2))
    mb = len(big) / 1_000_000

    print(f"bundled plan: {len(data) / 1000:.0f} kB, {args.runs} runs, medians")
    print(f"  parse                  {parse * 1000:8.1f} ms")
    print(f"  import (parse + db)    {imported * 1000:8.1f} ms   ({imported / parse:.1f}× parse)")
    print(f"large document: {args.copies} copies, {mb:.2f} MB, ", end="")
    print(f"{len(parsed.tasks)} tasks, {len(parsed.measures)} measures")
    print(
        f"  parse                  {big_parse * 1000:8.1f} ms   throughput {mb / big_parse:.2f} MB/s"
    )
    pages = hundred_pages()
    paged = parse_bytes(pages, "pages.txt")
    pages_parse = median_seconds(lambda: parse_bytes(pages, "pages.txt"), max(3, args.runs // 2))
    started = time.process_time()
    parse_bytes(pages, "pages.txt")
    pages_cpu = time.process_time() - started  # what the parse itself costs on a shared machine
    print(
        f"100-page document of the corpus's layouts: {len(pages.decode()) / PAGE:.0f} pages, ",
        end="",
    )
    print(f"{len(paged.measures)} items")
    print(f"  parse                  {pages_parse * 1000:8.1f} ms   (must stay under 2000 ms)")
    print(
        f"  parse, CPU time        {pages_cpu * 1000:8.1f} ms   (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
