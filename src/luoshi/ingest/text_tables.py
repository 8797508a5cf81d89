"""分工表 flattened into text → the table's rows, read like a Word table (division_table.py).

Two shapes are met when a table is copied out of a PDF, a web page or a spreadsheet:
- one cell per line: the header cells (序号, 重点任务, 牵头单位 …) on consecutive lines, then each row's
  cells; a row starts at the next serial number when the table has a 序号 column, and a row with
  fewer cells than the header lost its merged cells on the left (they repeat the row above);
- one row per line, the cells apart by tabs or spaces (the reader keeps one space for any run).
Header words are data (data/table_headers.toml). Lines that are not a table are left as they are.
"""

from __future__ import annotations

from luoshi.ingest import division_table
from luoshi.ingest.division_table import Row
from luoshi.ingest.reader import Document, SourceLine

MIN_COLUMNS = 3


def with_tables(document: Document) -> Document:
    """The document with each flattened division table replaced by its outline lines."""
    lines = document.lines
    out: list[SourceLine] = []
    index = 0
    while index < len(lines):
        found = _cells_table(lines, index) or _spaced_table(lines, index)
        if found is None:
            out.append(lines[index])
            index += 1
            continue
        rows, numbers, end = found
        converted = division_table.division_lines(rows)
        if converted is None:
            out.append(lines[index])
            index += 1
            continue
        # the outline lines take the line numbers of the rows they come from
        anchors = [lines[index].number, *numbers, lines[end - 1].number]
        out += [
            SourceLine(anchors[min(i, len(anchors) - 1)], text) for i, text in enumerate(converted)
        ]
        index = end
    if len(out) == len(lines) and all(a is b for a, b in zip(out, lines, strict=True)):
        return document
    return Document(document.name, out, document.location_unit)


def _header_run(lines: list[SourceLine], start: int) -> list[str]:
    run: list[str] = []
    for line in lines[start : start + 12]:
        if not division_table.is_header(line.text):
            break
        run.append(line.text)
    return run


def _usable(header: list[str]) -> bool:
    roles = [division_table.role(h) for h in header]
    content = {"task", "group", "measure"} & set(roles)
    units = set(division_table.UNIT_COLUMNS) & set(roles)
    return len(header) >= MIN_COLUMNS and bool(content) and bool(units)


def _cells_table(lines: list[SourceLine], start: int) -> tuple[list[Row], list[int], int] | None:
    """A table written one cell per line, from `start` (its first header cell)."""
    header = _header_run(lines, start)
    if not _usable(header):
        return None
    width = len(header)
    numbered = division_table.role(header[0]) == "number"
    rows: list[Row] = [list(header)]
    numbers: list[int] = []
    index = start + width
    serial = 0
    while index < len(lines):
        if numbered:
            if not _serial_after(lines[index].text, serial):
                break
            serial = int(lines[index].text)
            end = _row_end(lines, index, width, serial)
        else:
            end = min(index + width, len(lines))
        cells: list[str | None] = [ln.text for ln in lines[index:end]]
        if len(cells) < 2:
            break
        # merged cells on the left are missing: they repeat the row above
        row: Row = [cells[0], *([None] * (width - len(cells))), *cells[1:]] if numbered else cells
        rows.append(row[:width])
        numbers.append(lines[index].number)
        index = end
    return (rows, numbers, index) if len(rows) > 1 else None


def _serial_after(text: str, serial: int) -> bool:
    """A row's number: the next one, or a little further when rows were left out of an extract."""
    return text.isdigit() and serial < int(text) <= serial + 10


def _row_end(lines: list[SourceLine], start: int, width: int, serial: int) -> int:
    """Where the row that starts at `start` ends: a full row, or the next serial number sooner."""
    full = start + width
    for end in range(start + 1, min(full, len(lines))):
        if lines[end].text == str(serial + 1):
            return end
    return min(full, len(lines))


def _spaced_table(lines: list[SourceLine], start: int) -> tuple[list[Row], list[int], int] | None:
    """A table written one row per line, its cells apart by blanks."""
    header = lines[start].text.split(" ")
    if not all(division_table.is_header(h) for h in header) or not _usable(header):
        return None
    width = len(header)
    roles = [division_table.role(h) for h in header]
    content = next(i for i, r in enumerate(roles) if r in ("measure", "group", "task"))
    rows: list[Row] = [list(header)]
    numbers: list[int] = []
    index = start + 1
    while index < len(lines):
        cells = lines[index].text.split(" ")
        if roles[0] == "number" and not cells[0].isdigit():
            break
        if len(cells) > width:  # blanks inside the content cell
            extra = len(cells) - width
            cells = [
                *cells[:content],
                " ".join(cells[content : content + extra + 1]),
                *cells[content + extra + 1 :],
            ]
        row: Row = list(cells)
        if len(cells) < width:
            if len(cells) < 2:
                break
            row = [cells[0], *([None] * (width - len(cells))), *cells[1:]]
        rows.append(row)
        numbers.append(lines[index].number)
        index += 1
    return (rows, numbers, index) if len(rows) > 1 else None
