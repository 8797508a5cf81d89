"""Deadline words → a due date where the words give one. The rules are data: add a row, not a branch."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from luoshi.ingest.model import Deadline, DueKind


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], dt.date]]

# First match wins; more specific patterns first.
DATED_RULES: list[_Rule] = [
    (
        re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
        lambda m: dt.date(int(m[1]), int(m[2]), int(m[3])),
    ),
    (
        re.compile(r"(\d{4})年(\d{1,2})月(?:底|末)?(?:前|以前|完成)?"),
        lambda m: _month_end(int(m[1]), int(m[2])),
    ),
    (re.compile(r"(\d{4})年上半年"), lambda m: dt.date(int(m[1]), 6, 30)),
    (re.compile(r"(\d{4})年下半年"), lambda m: dt.date(int(m[1]), 12, 31)),
    (
        re.compile(r"(\d{4})年(?:底|末|年底|年末)?(?:前|以前)?"),
        lambda m: dt.date(int(m[1]), 12, 31),
    ),
]
ONGOING_WORDS = ("持续推进", "长期坚持", "持续开展", "长期推进", "持续", "长期")
RECURRING_WORDS = ("每年", "每季度", "每月", "每半年")


def parse_deadline(text: str) -> Deadline:
    """`2021年8月底前` → 2021-08-31; `持续推进` → ongoing; the words are always kept."""
    words = text.strip()
    if any(w in words for w in RECURRING_WORDS):
        return Deadline(words, DueKind.RECURRING)
    for pattern, to_date in DATED_RULES:
        if m := pattern.search(words):
            return Deadline(words, DueKind.DATED, to_date(m))
    if any(w in words for w in ONGOING_WORDS):
        return Deadline(words, DueKind.ONGOING)
    return Deadline(words, DueKind.UNKNOWN)
