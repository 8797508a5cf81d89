"""A higher plan for the linking tests: the provincial 总体方案 the bundled 片区 plan implements, made
from the bundled text (tasks 11 and 12 swapped, so a proposal must follow the words, not the number)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from luoshi.ingest import parse_bytes
from luoshi.plans.models import Plan
from luoshi.plans.services import plan_import
from luoshi.versions.models import LinkState, MeasureLink, PlanLink, TaskLink
from luoshi.versions.services import task_links_confirm
from tests.metrics.history import CHINA
from tests.plans.revision import revised_text

PARENT_TITLE = "中国(湖南)自由贸易试验区总体方案"


def import_parent() -> Plan:
    text = revised_text().replace("中国(湖南)自由贸易试验区岳阳片区实施方案", PARENT_TITLE, 1)
    parsed = parse_bytes(text.encode(), "总体方案.txt", level="provincial")
    return plan_import(parsed=parsed).plan


LINKED_ON = dt.date(2021, 3, 1)  # before any date the link tests read the roll-up as of
CONFIRMED_ON = dt.date(2021, 4, 1)  # before any date the link tests read the roll-up as of


def link_on(day: dt.date, link: PlanLink) -> PlanLink:
    """`link` as if the office had made it on `day`: the roll-up as of a date compares only the
    plans linked by then."""
    link.linked_at = dt.datetime.combine(day, dt.time(9), CHINA)
    PlanLink.objects.filter(pk=link.pk).update(linked_at=link.linked_at)
    return link


def confirm_on(day: dt.date, *, link: PlanLink, **kwargs: Any) -> int:
    """Confirm task links as the office did on `day`: the roll-up as of a date counts only links
    decided by then, so a test reading 2021 must not confirm "today"."""
    count = task_links_confirm(link=link, **kwargs)
    backdate_links(link, day)
    return count


def backdate_links(link: PlanLink, day: dt.date) -> None:
    """The plans linked and their links confirmed on `day`."""
    at = dt.datetime.combine(day, dt.time(9), CHINA)
    PlanLink.objects.filter(pk=link.pk, linked_at__gt=at).update(linked_at=at)
    TaskLink.objects.filter(link=link, state=LinkState.CONFIRMED).update(decided_at=at)
    MeasureLink.objects.filter(link=link, state=LinkState.CONFIRMED).update(decided_at=at)
