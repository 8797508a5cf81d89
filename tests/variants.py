"""Copies of the bundled plan as official files arrive: fullwidth, GB18030/CRLF, .docx, portal HTML."""

from __future__ import annotations

import html
import io
from pathlib import Path

import docx

BUNDLED = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "plans"
    / "yueyang-ftz-implementation-plan-2021.txt"
)

FULLWIDTH = str.maketrans(
    {"(": "（", ")": "）", ":": "：", ",": "，", "\u00a0": "\u3000", ".": "．"}
)


def bundled_text() -> str:
    return BUNDLED.read_text(encoding="utf-8")


def fullwidth_text() -> str:
    """Fullwidth punctuation and ideographic spaces, as in official files (times keep their colon)."""
    return "\n".join(
        line if line.startswith("编稿时间") else line.translate(FULLWIDTH)
        for line in bundled_text().splitlines()
    )


def gb18030_crlf() -> bytes:
    return bundled_text().replace("\n", "\r\n").encode("gb18030")


def utf8_bom() -> bytes:
    return b"\xef\xbb\xbf" + bundled_text().encode("utf-8")


def as_docx(text: str | None = None) -> bytes:
    """One Word paragraph per line (blank lines too, so paragraph numbers are line numbers)."""
    document = docx.Document()
    for line in (text or bundled_text()).splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_portal_html(text: str | None = None) -> bytes:
    """The city portal's page: one <p> per line, with navigation and a script around the content."""
    body = "\n".join(
        f"<p>{html.escape(line)}</p>" for line in (text or bundled_text()).splitlines()
    )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>岳阳市人民政府</title>"
        "<script>var nav = '首页';</script></head>\n<body>\n" + body + "\n</body></html>"
    )
    return page.encode("utf-8")
