"""A division-of-labour table (分工表) → lines in a notation the outline already reads.

The table comes from a Word file or a web page (rows of cells), or from text where it was flattened
(text_tables.py). Columns are told by their header (data/table_headers.toml). With a task column and a
measure column, a task cell starts a group `（一）任务` and each row is a measure `1.举措（牵头单位：…）`
(with a group column between them, `1.举措` › `（1）具体任务`); with one content column each row is a
task. A cell merged with the one above repeats its value; a new value in the task column starts a new
task. A leader column (牵头领导) is kept as persons. The lines come between two marker lines so the
parser can hold the table as a part of its own: a plan that has a 分工表 is assigned by it.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from luoshi.ingest.numerals import int_to_chinese

START = "【分工表】"
END = "【分工表结束】"
HEADERS = Path(__file__).with_name("data") / "table_headers.toml"
UNIT_COLUMNS = ("lead", "responsible", "supporting", "guiding")
LABELS = {
    "lead": "牵头单位",
    "responsible": "责任单位",
    "supporting": "配合单位",
    "guiding": "指导单位",
    "leader": "牵头领导",
}
VERBS = re.compile(r"牵头|负责|参与|配合|指导")
NONE_CELL = frozenset({"无", "/", "—", "-", "－", "——"})

Row = list[
    str | None
]  # a cell's paragraphs joined by newlines; None where merged with the cell above


@cache
def _headers(path: Path = HEADERS) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Exact header word → role, and (contained word, role) in the file's order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    exact = {word: role for role, words in data.items() for word in words["exact"]}
    contains = tuple((word, role) for role, words in data.items() for word in words["contains"])
    return exact, contains


def role(header: str) -> str:
    """The role of a column from its header cell, or "" when it names none."""
    header = re.sub(r"\s", "", header)
    exact, contains = _headers()
    if header in exact:
        return exact[header]
    return next((r for word, r in contains if word in header), "") if len(header) <= 12 else ""


def is_header(cell: str) -> bool:
    return re.sub(r"\s", "", cell) in _headers()[0]


def division_lines(rows: list[Row]) -> list[str] | None:
    """The table's rows as outline lines, or None when it is not a division-of-labour table."""
    if len(rows) < 2:
        return None
    roles = [role(cell or "") for cell in rows[0]]
    content = "measure" if "measure" in roles else "group" if "group" in roles else "task"
    if not any(r in roles for r in UNIT_COLUMNS) or content not in roles:
        return None
    levels = [r for r in ("task", "group") if r in roles and r != content]
    lines = [START + "｜".join(c or "" for c in rows[0])]
    above: dict[str, str] = {}
    counts = [0, 0, 0]
    written: dict[str, str] = {}
    for row in rows[1:]:
        cells = {r: cell for r, cell in zip(roles, row, strict=False) if r}
        values = {r: c if c is not None else above.get(r, "") for r, c in cells.items()}
        above = values
        for depth, level in enumerate(levels):
            text = _text(values.get(level, ""))
            if text and text != written.get(level):
                written[level] = text
                for deeper in levels[depth + 1 :]:
                    written.pop(deeper, None)
                counts[depth] += 1
                counts[depth + 1 :] = [0] * (len(counts) - depth - 1)
                lines.append(_marker(depth, counts[depth]) + text)
        if cells.get(content) is None or not any(values.values()):
            continue  # the item above, continued in a merged cell; or an empty row
        depth = len(levels)
        counts[depth] += 1
        lines.append(_marker(depth, counts[depth]) + _text(values[content]) + _bracket(values))
    return [*lines, END]


def _marker(depth: int, number: int) -> str:
    return (f"（{int_to_chinese(number)}）", f"{number}.", f"（{number}）")[depth]


def _text(cell: str) -> str:
    text = "".join(cell.split("\n")).strip()
    return "" if text in NONE_CELL else text


def _units(cell: str) -> str:
    parts = [p.strip() for p in cell.split("\n") if p.strip()]
    return "、".join(p for p in parts if p not in NONE_CELL)


def _bracket(values: dict[str, str]) -> str:
    units = {r: _units(values.get(r, "")) for r in (*UNIT_COLUMNS, "leader")}
    deadline = _text(values.get("deadline", ""))
    written = [r for r in UNIT_COLUMNS if units[r]]
    if written == ["responsible"] and VERBS.search(units["responsible"]):  # `X牵头，Y参与`
        return f"（{units['responsible']}{'，' + deadline if deadline else ''}）"
    fields = [f"{LABELS[r]}：{units[r]}" for r in (*written, "leader") if units[r]]
    fields += [f"完成时限：{deadline}"] if deadline else []
    return f"（{'；'.join(fields)}）" if fields else ""
