"""Standing rules: what a plan writes once for the items that follow it. Patterns are data.

- `排在第一位的部门为牵头部门，下同`: in a bare list of units, the first leads (from here on);
- `（X牵头，Y参与，下同）`: the units are carried to following items of the same level that name none
  (a task's to the tasks after it; a measure's to the measures after it in the same task);
- `不再做分工，下同`: this item and the following ones of its level are deliberately left unassigned;
- `以下均需试点城市政府落实，不再列出`: X is a unit of every item that follows, without being listed.
Carried and default units are marked inherited, and the item keeps a note of the rule that gave them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luoshi.ingest.model import UnitRef

FIRST_IS_LEAD = re.compile(
    r"(?:排|列)(?:在)?第一(?:位)?(?:的|者)(?:责任)?(?:部门|单位)?为牵头(?:单位|部门)"
)
NO_DIVISION = re.compile(r"不再(?:做|作|进行)?(?:具体)?分工")
DEFAULT_UNITS = re.compile(
    r"以下(?:[^，；。（）]{0,8}?(?:均|都))?(?:需|由|要)?(?P<units>[^，；（）。]+?)(?:负责)?(?:落实|实施)"
    r"[，；]?不再(?:单独|一一)?(?:列出|列明)"
)
# `具体任务均涉及相关市（州）人民政府，不再做分工，下同`: the same, said of every item from here on.
INVOLVES = re.compile(
    r"(?:具体任务|各项任务)?均(?:涉及|需)(?P<units>[^，；。]+?)[，；]不再(?:做|作|进行)?(?:具体)?分工(?:[，；]下同)?"
)
SAME_BELOW = re.compile(r"[，；]?下同$")


@dataclass(frozen=True)
class Carried:
    units: list[UnitRef]
    note: str


@dataclass
class Standing:
    """The rules in force at the point the reader has reached."""

    first_is_lead: bool = False
    carried: dict[str, Carried] = field(default_factory=dict)  # by item level: task | measure
    defaults: list[tuple[str, str, str]] = field(default_factory=list)  # (unit, as written, note)
