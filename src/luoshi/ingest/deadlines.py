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
STARTING = re.compile(r"\d{4}年(?:\d{1,2}月)?(?:起|开始)")  # 2020年起: from then on, no due date
ONGOING_WORDS = ("持续推进", "长期坚持", "持续开展", "长期推进", "持续", "长期")
RECURRING_WORDS = ("每年", "每季度", "每月", "每半年")


def parse_deadline(text: str) -> Deadline:
    """`2021年8月底前` → 2021-08-31; `持续推进` → ongoing; the words are always kept."""
    words = text.strip()
    if any(w in words for w in RECURRING_WORDS):
        return Deadline(words, DueKind.RECURRING)
    if STARTING.search(words):
        return Deadline(words, DueKind.ONGOING)
    for pattern, to_date in DATED_RULES:
        if m := pattern.search(words):
            return Deadline(words, DueKind.DATED, to_date(m))
    if any(w in words for w in ONGOING_WORDS):
        return Deadline(words, DueKind.ONGOING)
    return Deadline(words, DueKind.UNKNOWN)


# Deadline phrases inside an item's prose. Each needs a deadline word (前, 到, 起, 每年…前): a bare year
# (比2018年增长) is not a deadline, nor are durations and frequencies (5年内, 逐月).
PROSE_PHRASES = re.compile(
    "|".join(
        (
            r"每(?:年|半年|季度|月)(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?(?:前|以前)",  # 每年2月底前
            r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|上半年|下半年)?(?:底|末)?(?:前|以前)",  # 2019年6月底前
            r"(?:到|至|截至)\d{4}年(?:\d{1,2}月)?(?:底|末)?",  # 到2020年
            r"\d{4}年(?:\d{1,2}月)?起",  # 2020年起
        )
    )
)


def deadline_in_text(text: str) -> tuple[Deadline | None, list[str]]:
    """The deadline an item's prose states, and every phrase found; the latest date is the item's."""
    phrases = list(dict.fromkeys(m[0] for m in PROSE_PHRASES.finditer(text)))
    if not phrases:
        return None, []
    found = [parse_deadline(p) for p in phrases]
    dated = [d for d in found if d.due_date is not None]
    chosen = max(dated, key=lambda d: d.due_date or dt.date.min) if dated else found[0]
    return Deadline("；".join(phrases), chosen.kind, chosen.due_date), phrases
