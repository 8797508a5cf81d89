"""The time rules, each defined once: a deadline in force, lateness in days, due soon, the open cycle.

Pages, API, commands and documents call these instead of comparing dates themselves, so "逾期 12 天"
means the same everywhere. A deadline extension (延期) changes the deadline in force: it plugs into
`deadline_in_force`, and every figure follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from luoshi.progress.models import CycleStatus, ReportingCycle

if TYPE_CHECKING:
    from luoshi.plans.models import Measure

# (deadline so far, as of, measure id, task id) → the deadline in force on that day. Other apps
# (approved extensions) register here; rules apply in the order registered. None = no dated deadline.
DeadlineRule = Callable[[dt.date | None, dt.date, int | None, int | None], dt.date | None]
_deadline_rules: list[DeadlineRule] = []


def register_deadline_rule(rule: DeadlineRule) -> None:
    """Let another app (e.g. approved extensions) move deadlines; figures then use its answer."""
    if rule not in _deadline_rules:
        _deadline_rules.append(rule)


def deadline_in_force(
    written: dt.date | None,
    as_of: dt.date,
    *,
    measure_id: int | None = None,
    task_id: int | None = None,
) -> dt.date | None:
    """The deadline that applies on `as_of`: the written one unless a registered rule moved it."""
    due = written
    for rule in _deadline_rules:
        due = rule(due, as_of, measure_id, task_id)
    return due


@dataclass(frozen=True)
class Deadline:
    """A measure's deadline on a day: the words and date written in the plan, and the date in force
    (moved by an approved extension). Shown together wherever a deadline is shown."""

    words: str
    written: dt.date | None
    in_force: dt.date | None

    @property
    def extended(self) -> bool:
        return self.in_force != self.written

    @property
    def note(self) -> str:
        """ "原定 X，延期至 Y" for a moved deadline, "" otherwise, in the active language (documents
        are made in Chinese; the pages' template says it too)."""
        if not self.extended or self.in_force is None:
            return ""
        written = f"{self.written:%Y-%m-%d}" if self.written else "—"
        return gettext("原定 %(a)s，延期至 %(b)s") % {
            "a": written,
            "b": f"{self.in_force:%Y-%m-%d}",
        }


def measure_deadline(measure: Measure, as_of: dt.date) -> Deadline:
    """The measure's deadline as written and as in force on `as_of` (its task's when it has none)."""
    words, written = measure.deadline_in_force
    return Deadline(words, written, deadline_in_force(written, as_of, measure_id=measure.pk))


# Inside `deadline_batch()` a rule may read what it needs once for many items (see batch_memo).
_batch: ContextVar[dict[str, Any] | None] = ContextVar("deadline_batch", default=None)


@contextmanager
def deadline_batch() -> Iterator[None]:
    """Many deadlines at once (a plan's facts): rules read their data once, not once per item."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def batch_memo(key: str, load: Callable[[], Any]) -> Any:
    """`load()` once per batch (every time outside one)."""
    memo = _batch.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def days_late(due: dt.date | None, as_of: dt.date) -> int:
    """How many days past `due` on `as_of` (0 when not past). Due on D is not late on D."""
    return (as_of - due).days if due is not None and due < as_of else 0


def is_overdue(due: dt.date | None, as_of: dt.date, *, done: bool) -> bool:
    """Overdue: the deadline passed and the item is not done (DOMAIN.md)."""
    return not done and days_late(due, as_of) > 0


def days_left(due: dt.date, as_of: dt.date) -> int:
    return (due - as_of).days


def is_due_soon(due: dt.date | None, as_of: dt.date, window_days: int, *, done: bool) -> bool:
    """Due today or within `window_days` days, and not done."""
    return not done and due is not None and as_of <= due <= as_of + dt.timedelta(days=window_days)


def late_label(days: int) -> str:
    return gettext("逾期 %(days)s 天") % {"days": days}


def due_in_label(days: int) -> str:
    return gettext("今天到期") if days == 0 else gettext("%(days)s 天后到期") % {"days": days}


def open_cycles(plan_id: int, on: dt.date) -> QuerySet[ReportingCycle]:
    """Cycles accepting reports on `on`: opened by the office and already started; latest first.
    Cycles belong to the plan's programme: every version of it reports in the same ones."""
    return ReportingCycle.objects.filter(
        plan__programme__versions=plan_id, status=CycleStatus.OPEN, starts_on__lte=on
    ).order_by("-starts_on")


def open_cycle(plan_id: int, on: dt.date) -> ReportingCycle | None:
    """The cycle reports go into on `on` (the latest open one that has started)."""
    return open_cycles(plan_id, on).first()
