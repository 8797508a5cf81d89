"""A division-of-labour table (分工表) in a Word file → lines in a notation the outline already reads.

Columns are told by their header (a table of patterns, first match wins). With a task column and a
measure column, a task cell starts a group `（一）任务` and each row is a measure `1.举措（牵头单位：…）`;
with one content column each row is a task. A cell merged with the one above repeats its value; a new
value in the task column starts a new task. The lines come between two marker lines so the parser
can hold the table as a part of its own: a plan that has a 分工表 is assigned by it.
"""

from __future__ import annotations

import re

from luoshi.ingest.numerals import int_to_chinese

START = "【分工表】"
END = "【分工表结束】"

COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^序号$")),
    ("lead", re.compile(r"牵头")),
    ("supporting", re.compile(r"配合|参与|协办")),
    ("responsible", re.compile(r"责任|负责|承办")),
    ("deadline", re.compile(r"时限|时间|期限|进度")),
    ("measure", re.compile(r"举措|措施|内容|要求|具体")),
    ("task", re.compile(r"任务|事项|领域|类别|方向|工作")),
]
UNIT_COLUMNS = ("lead", "responsible", "supporting")
VERBS = re.compile(r"牵头|负责|参与|配合|指导")

Row = list[
    str | None
]  # a cell's paragraphs joined by newlines; None where merged with the cell above


def division_lines(rows: list[Row]) -> list[str] | None:
    """The table's rows as outline lines, or None when it is not a division-of-labour table."""
    if len(rows) < 2:
        return None
    roles = [_role(cell or "") for cell in rows[0]]
    content = "measure" if "measure" in roles else "task"
    if not any(r in roles for r in UNIT_COLUMNS) or content not in roles:
        return None
    grouped = "task" in roles and "measure" in roles
    lines = [START + "｜".join(c or "" for c in rows[0])]
    above: dict[str, str] = {}
    tasks = items = 0
    for row in rows[1:]:
        cells = {role: cell for role, cell in zip(roles, row, strict=False) if role}
        if grouped and (task := cells.get("task")):
            tasks, items = tasks + 1, 0
            lines.append(f"（{int_to_chinese(tasks)}）{_text(task)}")
        values = {r: c if c is not None else above.get(r, "") for r, c in cells.items()}
        above = values
        if cells.get(content) is None or not any(values.values()):
            continue  # the item above, continued in a merged cell; or an empty row
        text = _text(values[content])
        if grouped:
            items += 1
            lines.append(f"{items}.{text}{_bracket(values)}")
        else:
            tasks += 1
            lines.append(f"（{int_to_chinese(tasks)}）{text}{_bracket(values)}")
    return [*lines, END]


def _role(header: str) -> str:
    header = re.sub(r"\s", "", header)
    return next((role for role, pattern in COLUMNS if pattern.search(header)), "")


def _text(cell: str) -> str:
    return "".join(cell.split("\n")).strip()


def _units(cell: str) -> str:
    return "、".join(p.strip() for p in cell.split("\n") if p.strip())


def _bracket(values: dict[str, str]) -> str:
    units = {r: _units(values.get(r, "")) for r in UNIT_COLUMNS}
    deadline = _text(values.get("deadline", ""))
    written = [r for r in UNIT_COLUMNS if units[r]]
    if written == ["responsible"] and VERBS.search(
        units["responsible"]
    ):  # `X牵头，Y参与` in one cell
        return f"（{units['responsible']}{'，' + deadline if deadline else ''}）"
    labels = {"lead": "牵头单位", "responsible": "责任单位", "supporting": "配合单位"}
    fields = [f"{labels[r]}：{units[r]}" for r in written]
    fields += [f"完成时限：{deadline}"] if deadline else []
    return f"（{'；'.join(fields)}）" if fields else ""
