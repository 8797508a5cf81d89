"""Bytes of a .txt, .html or .docx file → numbered, normalised lines.

Punctuation is brought to one canonical form here (fullwidth brackets, colon, comma and semicolon
between Chinese text; one ASCII space for any run of blanks), so that the parser sees an ASCII copy,
a fullwidth copy, a GB18030/CRLF copy and a Word copy of the same document identically.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from luoshi.ingest.archives import ArchiveRefused, archive_check
from luoshi.ingest.division_table import Row, division_lines
from luoshi.ingest.errors import IngestError
from luoshi.ingest.messages import Message, gettext_noop


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str


@dataclass(frozen=True)
class Document:
    name: str
    lines: list[SourceLine]
    location_unit: str = "line"  # "paragraph" for Word files

    def where(self, number: int | None) -> Message | None:
        """第 12 行, or 第 3 段 in a Word file."""
        if number is None:
            return None
        if self.location_unit == "paragraph":
            return Message(gettext_noop("第 %(n)s 段"), {"n": number})
        return Message(gettext_noop("第 %(n)s 行"), {"n": number})


_TO_FULLWIDTH = {"(": "（", ")": "）", ";": "；", "〈": "<", "〉": ">"}
_FULLWIDTH_TABLE = str.maketrans(_TO_FULLWIDTH)
_BLANKS = re.compile(r"\s+")
# ASCII ':' and ',' become fullwidth except between digits (19:28, 20,000).
_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")


def normalise(text: str) -> str:
    """One canonical spelling of a line's punctuation and blanks."""
    text = unicodedata.normalize(
        "NFKC", text
    )  # fullwidth digits/letters/brackets, nbsp, 　 → ASCII
    text = text.translate(_FULLWIDTH_TABLE)
    text = _COMMA.sub("，", _COLON.sub("：", text))
    return _BLANKS.sub(" ", text).strip()


def read_document(data: bytes, name: str) -> Document:
    """Pick the reader by content (zip → .docx, markup → HTML, else text)."""
    if not data.strip():
        raise IngestError(name, Message(gettext_noop("文件为空")))
    if data[:4] == b"PK\x03\x04":
        return _read_docx(data, name)
    text = _decode(data, name)
    head = text[:2000].lower()
    if "<html" in head or "<!doctype html" in head or "<body" in head or "<p" in head:
        return _lines(name, _html_lines(text))
    return _lines(name, enumerate(text.splitlines(), start=1))


def _lines(name: str, numbered: Iterable[tuple[int, str]], unit: str = "line") -> Document:
    lines = [SourceLine(n, normalise(t)) for n, t in numbered]
    document = Document(name, [ln for ln in lines if ln.text], unit)
    if not document.lines:
        raise IngestError(name, Message(gettext_noop("文件中没有文字")))
    return document


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise IngestError(
            name,
            Message(gettext_noop("含二进制内容（NUL 字节）：不是文本、HTML 或 .docx 文件")),
            Message(gettext_noop("第 %(n)s 行"), {"n": line}),
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise IngestError(
        name, Message(gettext_noop("无法按 UTF-8 或 GB18030 文本、HTML 或 .docx 读取"))
    )


def _looks_binary(text: str) -> bool:
    control = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f")
    return control > max(8, len(text) // 100)


@dataclass
class _HtmlTable:
    """A <table> being read: where its lines start, its rows of (text, rowspan, colspan)."""

    start: int
    rows: list[list[tuple[str, int, int]]] = field(default_factory=list)
    cell: tuple[int, int, int] | None = None  # (first line, rowspan, colspan) of the open cell

    def grid(self) -> list[Row]:
        """Rows with None where a cell spans from above or from the left, as in a Word table."""
        grid: list[Row] = []
        below: dict[int, int] = {}  # column → rows still covered by a rowspan from above
        for cells in self.rows:
            row: Row = []
            queue = list(cells)
            while queue or any(n and c >= len(row) for c, n in below.items()):
                column = len(row)
                if below.get(column, 0) > 0:
                    below[column] -= 1
                    row.append(None)
                elif queue:
                    text, rowspan, colspan = queue.pop(0)
                    if rowspan > 1:
                        below[column] = rowspan - 1
                    row += [text] + [None] * (colspan - 1)
                else:  # a gap before a column still covered from above
                    row.append(None)
            grid.append(row)
        return grid


class _HtmlText(HTMLParser):
    """Text of an HTML page, one entry per block, with the source line each block starts on.

    A 分工表 (division_table.py) becomes its outline lines; other tables stay one cell per entry.
    """

    BLOCKS = frozenset(
        {"p", "div", "br", "tr", "td", "th", "li", "table", "section", "article", "pre", "dd", "dt"}
        | {f"h{level}" for level in range(1, 7)}
    )
    SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self._buffer: list[str] = []
        self._start = 1
        self._skipping = 0
        self._tables: list[_HtmlTable] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        if tag in self.BLOCKS:
            self._flush()
        table = self._tables[-1] if self._tables else None
        if tag == "table":
            self._tables.append(_HtmlTable(len(self.lines)))
        elif tag == "tr" and table:
            table.rows.append([])
        elif tag in ("td", "th") and table and table.rows:
            spans = {
                k: int(v or 1)
                for k, v in attrs
                if k in ("rowspan", "colspan") and (v or "").isdigit()
            }
            table.cell = (len(self.lines), spans.get("rowspan", 1), spans.get("colspan", 1))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        if tag in self.BLOCKS:
            self._flush()
        table = self._tables[-1] if self._tables else None
        if tag in ("td", "th") and table and table.cell:
            first, rowspan, colspan = table.cell
            text = "\n".join(t.strip() for _, t in self.lines[first:] if t.strip())
            table.rows[-1].append((text, rowspan, colspan))
            table.cell = None
        elif tag == "table" and table:
            self._tables.pop()
            converted = division_lines(table.grid())
            if converted:
                at = self.lines[table.start][0] if table.start < len(self.lines) else self._start
                self.lines[table.start :] = [(at, line) for line in converted]

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if not self._buffer:
            self._start = self.getpos()[0]
        self._buffer.append(data)

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        for offset, piece in enumerate(text.split("\n")):
            self.lines.append((self._start + offset, piece))

    def close(self) -> None:
        super().close()
        self._flush()


def _html_lines(text: str) -> list[tuple[int, str]]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return parser.lines


def _read_docx(data: bytes, name: str) -> Document:
    """Paragraphs and table cells in body order, numbered as paragraphs."""
    import docx  # python-docx; imported here so text imports do not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        archive_check(data)
        document = docx.Document(io.BytesIO(data))
    except ArchiveRefused as error:
        refused = Message(gettext_noop("拒绝读取该 .docx：%(reason)s"), {"reason": error.message})
        raise IngestError(name, refused) from error
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
        # SyntaxError: lxml's XMLSyntaxError (a malformed or oversized part)
        unreadable = Message(
            gettext_noop("不是可读的 .docx 文件（%(detail)s）"), {"detail": str(error)[:200]}
        )
        raise IngestError(name, unreadable) from error
    texts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            rows = _table_rows(child)
            texts.extend(division_lines(rows) or _cells(rows))
    return _lines(name, enumerate(texts, start=1), unit="paragraph")


def _table_rows(table: object) -> list[Row]:
    """Each row's cells (paragraphs joined by newlines); None for a cell merged with the one above,
    and for the columns a cell spans beyond its first."""
    rows: list[Row] = []
    for row in table.iter():  # type: ignore[attr-defined]
        if not row.tag.endswith("}tr"):
            continue
        cells: Row = []
        for cell in row:
            if not cell.tag.endswith("}tc"):
                continue
            merged = any(
                el.tag.endswith("}vMerge") and el.get(_W_VAL) != "restart" for el in cell.iter()
            )
            paragraphs = [_cell_text(p) for p in cell if p.tag.endswith("}p")]
            cells.append(None if merged else "\n".join(paragraphs))
            span = next((el.get(_W_VAL) for el in cell.iter() if el.tag.endswith("}gridSpan")), "1")
            cells += [None] * (int(span or 1) - 1)
        rows.append(cells)
    return rows


def _cell_text(paragraph: object) -> str:
    """A cell paragraph's text; a line break inside it (units one per line) counts as a newline."""
    return "".join(
        (el.text or "") if el.tag.endswith("}t") else "\n"
        for el in paragraph.iter()  # type: ignore[attr-defined]
        if el.tag.endswith(("}t", "}br"))
    )


def _cells(rows: list[Row]) -> list[str]:
    """A table that is not a 分工表 (the indicator table): one cell paragraph per line, row by row."""
    return [p for row in rows for cell in row if cell is not None for p in cell.split("\n")]


_W_VAL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"
