"""Official copies of the same plan (fullwidth, GB18030/CRLF, BOM, .docx, portal HTML) parse identically."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from luoshi.ingest import parse_bytes
from tests import variants


def content(plan, *, with_lines: bool = True):
    """Everything parsed, except where it came from (and, for HTML, the page's own line numbers)."""
    data = dataclasses.asdict(plan)
    for key in ("source_name", "report", "source_lines"):
        data.pop(key)
    return data if with_lines else _without_lines(data)


def _without_lines(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k not in ("span", "line")}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


VARIANTS: dict[str, Callable[[], bytes]] = {
    "fullwidth.txt": lambda: variants.fullwidth_text().encode("utf-8"),
    "gb18030-crlf.txt": variants.gb18030_crlf,
    "bom.txt": variants.utf8_bom,
    "plan.docx": variants.as_docx,
    "portal.html": variants.as_portal_html,
}


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_gives_the_same_plan(yueyang, name):
    parsed = parse_bytes(VARIANTS[name](), name)
    assert len(parsed.tasks) == 88 and len(parsed.measures) == 240
    assert sorted(o.name for o in parsed.organisations) == sorted(
        o.name for o in yueyang.organisations
    )
    with_lines = not name.endswith(".html")  # the page's markup adds lines of its own
    assert content(parsed, with_lines=with_lines) == content(yueyang, with_lines=with_lines)
    assert [(a.code, a.message) for a in parsed.report.anomalies] == [
        (a.code, a.message) for a in yueyang.report.anomalies
    ]


@pytest.mark.parametrize("name", ["fullwidth.txt", "gb18030-crlf.txt", "plan.docx"])
def test_variant_keeps_the_line_numbers_of_the_source(yueyang, name):
    parsed = parse_bytes(VARIANTS[name](), name)
    assert [t.span for t in parsed.tasks] == [t.span for t in yueyang.tasks]


def test_html_lines_are_the_pages_own_lines():
    parsed = parse_bytes(variants.as_portal_html(), "portal.html")
    page_lines = variants.as_portal_html().decode().splitlines()
    first_task = parsed.tasks[0]
    assert "（一）" in page_lines[first_task.span.first - 1].replace("(", "（").replace(")", "）")


def test_a_word_file_reports_paragraphs(yueyang):
    parsed = parse_bytes(variants.as_docx(), "plan.docx")
    assert parsed.report.location_unit == "paragraph"
