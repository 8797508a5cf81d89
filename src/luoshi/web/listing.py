"""Lists people can use, declared once per list: sort by any declared column, a page size from a
fixed choice, the person's saved filters, and the whole filtered, sorted list as an Excel workbook
(`?export=xlsx` on the list's own URL, so the export has exactly the page's filters, date and
visibility).

Sorting never reaches the database from raw input: `?sort=` must name a declared column (a leading
"-" reverses it); anything else falls back silently to the list's default, as does an unknown page
size. Ties are broken by the primary key, so a sorted list pages the same way twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.paperwork.workbook import Column as SheetColumn
from luoshi.paperwork.workbook import Sheet, workbook
from luoshi.savedviews.selectors import saved_views

PAGE_SIZES = (20, 50, 100, 200)
EXPORT_LIMIT = 20_000  # rows in one workbook; beyond it the file says it was cut
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Parameters that shape the view of a list but are not its filter (never saved with a filter).
NOT_SAVED = ("page", "export")

Label = str | Promise


@dataclass(frozen=True)
class Column:
    """One column: its key in `?sort=`, its header, the value a row shows in the workbook, and how
    it sorts — `order` (ORM fields) for a queryset, else `sort` or the cell for a Python list."""

    key: str
    label: Label
    cell: Callable[[Any], object]
    order: tuple[str, ...] = ()
    sort: Callable[[Any], Any] | None = None
    width: float = 16
    shown: bool = True  # False: in the workbook only (the page has no room for it)


@dataclass(frozen=True)
class Listing:
    key: str  # the list's name in saved filters (web.views.lists.LISTS)
    title: Label  # the workbook's sheet and file name
    columns: tuple[Column, ...]
    default: str  # the `?sort=` used when none (or an unknown one) is asked for
    tie: Callable[[Any], Any] = lambda row: row.id  # a Python list's stable tie-breaker

    def choice(self, request: HttpRequest) -> tuple[Column, bool]:
        """The column to sort by and whether descending; the default for anything undeclared."""
        for raw in (request.GET.get("sort", ""), self.default):
            name = raw.strip()
            desc = name.startswith("-")
            found = next((c for c in self.columns if c.key == name.removeprefix("-")), None)
            if found is not None:
                return found, desc
        raise ValueError(f"{self.key}: default sort {self.default!r} is not a column")

    def ordered(self, request: HttpRequest, rows: Any) -> Any:
        """`rows` (a queryset or a list) in the asked order, ties by primary key."""
        column, desc = self.choice(request)
        if isinstance(rows, QuerySet):
            fields = column.order or (column.key,)
            return rows.order_by(
                *(
                    F(f).desc(nulls_last=True) if desc else F(f).asc(nulls_last=True)
                    for f in fields
                ),
                "pk",
            )
        return _sort_list(list(rows), column.sort or column.cell, desc, self.tie)

    def page(self, request: HttpRequest, rows: Any) -> dict[str, Any]:
        """The page to show and what the list's header, size links and saved filters need."""
        ordered = self.ordered(request, rows)
        size = page_size(request)
        page: Page[Any] = Paginator(ordered, size).get_page(request.GET.get("page"))
        column, desc = self.choice(request)
        kept = kept_params(request)
        return {
            "page": page,
            "query": urlencode(kept),  # pagination links keep filters, sort and size
            "listing": {
                "key": self.key,
                "headers": [self._header(c, column, desc, kept) for c in self.columns if c.shown],
                "sizes": [(n, urlencode({**kept, "size": n}), n == size) for n in PAGE_SIZES],
                "export": urlencode({**kept, "export": "xlsx"}),
                "saved_query": urlencode(kept),
                "saved": list(saved_views(request.user, self.key)),
                "count": page.paginator.count,
                "too_many": page.paginator.count > EXPORT_LIMIT,
                "limit": EXPORT_LIMIT,
            },
        }

    def _header(
        self, column: Column, chosen: Column, desc: bool, kept: dict[str, str]
    ) -> dict[str, Any]:
        active = column.key == chosen.key
        flip = f"-{column.key}" if active and not desc else column.key
        return {
            "key": column.key,
            "label": column.label,
            "query": urlencode({**kept, "sort": flip}),
            "sort": ("descending" if desc else "ascending") if active else "",
        }

    def wants_export(self, request: HttpRequest) -> bool:
        return request.GET.get("export") == "xlsx"

    def export(
        self, request: HttpRequest, rows: Any, *, as_of: dt.date | None = None
    ) -> HttpResponse:
        """Every row of the filtered, sorted list (up to EXPORT_LIMIT) as .xlsx, audited."""
        ordered = self.ordered(request, rows)
        chosen = list(ordered[: EXPORT_LIMIT + 1])
        cut = len(chosen) > EXPORT_LIMIT
        chosen = chosen[:EXPORT_LIMIT]
        title = str(self.title)
        sheets = [
            Sheet(
                title,
                [SheetColumn(str(c.label), c.width) for c in self.columns],
                ([_cell(c.cell(row)) for c in self.columns] for row in chosen),
                auto_filter=True,
            )
        ]
        if cut:
            note = _("只导出了前 %(n)d 行；请缩小筛选范围后再导出其余部分") % {"n": EXPORT_LIMIT}
            sheets.append(Sheet(_("说明"), [SheetColumn(_("说明"), 60)], [[note]]))
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT_LIST,
            detail={"list": self.key, "rows": len(chosen), "cut": cut, **kept_params(request)},
        )
        if as_of is not None:  # a list of figures as of a date says which
            title = _("%(title)s（截至 %(day)s）") % {"title": title, "day": f"{as_of:%Y-%m-%d}"}
        name = f"{title}.xlsx"
        response = HttpResponse(workbook(*sheets), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


def page_size(request: HttpRequest) -> int:
    raw = request.GET.get("size", "").strip()
    return int(raw) if raw in {str(n) for n in PAGE_SIZES} else PAGE_SIZES[0]


def kept_params(request: HttpRequest) -> dict[str, str]:
    """The list's parameters (filters, date, sort, size) without the page and the export switch."""
    return {k: str(v) for k, v in request.GET.items() if k not in NOT_SAVED and v}


def _sort_list(
    rows: list[Any], key: Callable[[Any], Any], desc: bool, tie: Callable[[Any], Any]
) -> list[Any]:
    rows.sort(key=tie)  # Python's sort is stable, also reversed: ties stay in key order
    present = [r for r in rows if key(r) is not None and key(r) != ""]
    empty = [r for r in rows if key(r) is None or key(r) == ""]
    present.sort(key=key, reverse=desc)
    return present + empty  # blanks last either way, like the database's NULLS LAST


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return _("、").join(str(v) for v in value)
    return value
