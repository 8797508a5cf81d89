"""Deadline words → a due date where the words give one. The rules are data: add a row, not a branch.

Words without a year (年底前, 6月底前, 上半年, 第三季度, 年内, 今年, 明年) are read in the document's
year (its issue date, or the year of its number); without one they are kept with no date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from luoshi.ingest.model import Deadline, DueKind


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], int | None], dt.date | None]]
_QUARTERS = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_RELATIVE = {"今年": 0, "本年": 0, "当年": 0, "年内": 0, "明年": 1, "次年": 1}
_YEAR = r"(?P<year>\d{4}年|今年|本年|当年|明年|次年)?"


def _year(m: re.Match[str], year: int | None) -> int | None:
    """The year the words name, absolute (2021年) or relative to the document's (明年)."""
    written = m["year"] if "year" in m.groupdict() else None
    if written and written[:4].isdigit():
        return int(written[:4])
    if year is None:
        return None
    return year + _RELATIVE.get(written or "今年", 0)


def _at(m: re.Match[str], year: int | None, month: int, day: int | None = None) -> dt.date | None:
    y = _year(m, year)
    if y is None:
        return None
    return dt.date(y, month, day) if day else _month_end(y, month)


# First match wins; more specific patterns first. A range (2021—2023年, 2019年1月1日至12月31日) is
# due at its end.
DATED_RULES: list[_Rule] = [
    (
        re.compile(
            r"(?P<y1>\d{4})年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:—|－|-|~|～|至|到)"
            r"(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})?日?"
        ),
        lambda m, _: (
            dt.date(int(m["y2"] or m["y1"]), int(m["m2"]), int(m["d2"]))
            if m["d2"]
            else _month_end(int(m["y2"] or m["y1"]), int(m["m2"]))
        ),
    ),
    (
        re.compile(r"(?P<y1>\d{4})(?:年)?(?:—|－|-|~|～|至|到)(?P<y2>\d{4})年"),
        lambda m, _: dt.date(int(m["y2"]), 12, 31),
    ),
    (
        re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
        lambda m, _: dt.date(int(m[1]), int(m[2]), int(m[3])),
    ),
    (
        re.compile(_YEAR + r"(?P<month>\d{1,2})月(?:底|末|中旬|下旬)?(?:前|以前|完成)?"),
        lambda m, y: _at(m, y, int(m["month"])),
    ),
    (re.compile(_YEAR + r"上半年"), lambda m, y: _at(m, y, 6)),
    (re.compile(_YEAR + r"下半年"), lambda m, y: _at(m, y, 12)),
    (
        re.compile(_YEAR + r"第?(?P<q>[一二三四1-4])季度"),
        lambda m, y: _at(m, y, _QUARTERS[m["q"]]),
    ),
    (
        re.compile(r"(?P<year>\d{4}年)(?:底|末|年底|年末)?(?:前|以前)?"),
        lambda m, y: _at(m, y, 12),
    ),
    (
        re.compile(r"(?P<year>今年|本年|当年|明年|次年)?(?:年底|年末|年内)(?:前|以前)?"),
        lambda m, y: _at(m, y, 12),
    ),
    (re.compile(r"(?P<year>今年|本年|明年|次年)"), lambda m, y: _at(m, y, 12)),
]
# 2020年起, 明年起: from then on
STARTING = re.compile(r"(?:\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|今年|明年|本年|次年)(?:起|开始)")
ONGOING_WORDS = ("持续推进", "长期坚持", "持续开展", "长期推进", "逐步", "持续", "长期", "常态化")
RECURRING_WORDS = ("每年", "每季度", "每月", "每半年", "每周")


def parse_deadline(text: str, year: int | None = None) -> Deadline:
    """`2021年8月底前` → 2021-08-31; `年底前` in a 2022 document → 2022-12-31; `持续推进` → ongoing.
    The words are always kept."""
    words = text.strip()
    if any(w in words for w in RECURRING_WORDS):
        return Deadline(words, DueKind.RECURRING)
    if STARTING.search(words):
        return Deadline(words, DueKind.ONGOING)
    for pattern, to_date in DATED_RULES:
        if m := pattern.search(words):
            try:
                due = to_date(m, year)
            except ValueError:  # 2月30日: the words are kept, no date
                due = None
            if due is not None:
                return Deadline(words, DueKind.DATED, due)
            break
    if any(w in words for w in ONGOING_WORDS):
        return Deadline(words, DueKind.ONGOING)
    return Deadline(words, DueKind.UNKNOWN)


# Deadline phrases inside an item's prose. Each needs a deadline word (前, 到, 起, 至, 每年…): a bare year
# (比2018年增长) is not a deadline, nor are durations (5年内) or 逐月.
PROSE_PHRASES = re.compile(
    "|".join(
        (
            r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:—|－|~|～|至|到)(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?",
            r"\d{4}(?:年)?(?:—|－|~|～|至)\d{4}年",
            r"每(?:年|半年|季度|月)(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?(?:前|以前)",  # 每年2月底前
            r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|上半年|下半年|第?[一二三四]季度)?(?:底|末)?(?:前|以前)",
            r"\d{4}年(?:\d{1,2}月)?(?:底|末)(?=完成|建成|实现|全面|基本|，|。|；)",  # 2022年底完成
            r"(?:到|至|截至)\d{4}年(?:\d{1,2}月)?(?:底|末)?",  # 到2020年
            r"(?:\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|今年|明年|次年)起",  # 2020年起, 明年起
            r"(?<![\d年])(?:今年|明年|本年)?(?:\d{1,2}月(?:底|末)?|年底|年末|上半年|下半年|第?[一二三四]季度)(?:前|以前)",
            r"(?<![\d年])年内",
            r"(?:^|[，；。])每(?:年|季度|半年)(?=[\u4e00-\u9fff])",  # 每年选拔…: a yearly task
        )
    )
)


@lru_cache(maxsize=8192)
def phrases_in(text: str) -> tuple[str, ...]:
    """The deadline phrases of a text, in order (asked of a line and its items: remembered)."""
    if not _MAY_HOLD.search(text):
        return ()
    return tuple(dict.fromkeys(m[0].strip("，；。") for m in PROSE_PHRASES.finditer(text)))


_MAY_HOLD = re.compile("[年月季]")


def deadline_in_text(text: str, year: int | None = None) -> tuple[Deadline | None, list[str]]:
    """The deadline an item's prose states, and every phrase found; the latest date is the item's."""
    phrases = list(phrases_in(text))
    if not phrases:
        return None, []
    found = [parse_deadline(p, year) for p in phrases]
    dated = [d for d in found if d.due_date is not None]
    known = [d for d in found if d.kind != DueKind.UNKNOWN]
    chosen = max(dated, key=lambda d: d.due_date or dt.date.min) if dated else (known or found)[0]
    return Deadline("；".join(phrases), chosen.kind, chosen.due_date), phrases
