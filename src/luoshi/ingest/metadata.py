"""A document's own particulars: its title (over several lines), document number (国发〔2019〕3号),
issuer(s), issue date and scope paragraph (适用范围), and the signature block that closes it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from luoshi.ingest.reader import SourceLine

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}〔(?P<year>\d{4})〕\d{1,4}号")
DATE_LINE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
PUBLIC = re.compile(r"^（此件(?:公开发布|主动公开|依申请公开|不予公开)）$")
# A line that is only an issuer: 国务院, 国务院办公厅, 广州市人民政府办公厅, 四川省发展和改革委员会 …
ISSUER_LINE = re.compile(
    r"^[\u4e00-\u9fff（）]{0,30}(?:国务院|办公厅|办公室|人民政府|委员会|局|厅|委|政府)(?:文件)?$"
)
MASTHEAD = re.compile(r"文件$")
SCOPE = re.compile(r"^(?:（[一二三四五六七八九十]+）|\d+[.、])?适用范围[。：]?(?P<text>.*)$")
TITLE_END = re.compile(
    r"(方案|规划|计划|意见|通知|要点|细则|清单|措施|办法|决定|分工|图谱)(（[^）]*）)?$"
)


@dataclass
class Metadata:
    title: str = ""
    doc_number: str = ""
    issuers: list[str] = field(default_factory=list)
    issued_on: dt.date | None = None
    scope: str = ""
    title_lines: list[int] = field(default_factory=list)  # where the title was read


def read_metadata(
    preamble: list[SourceLine], closing: list[SourceLine], noise: re.Pattern[str]
) -> Metadata:
    meta = Metadata()
    lines = [ln for ln in preamble if not noise.match(ln.text)]
    block = _title_block(lines)
    if block:
        meta.title = "".join(ln.text for ln in block).replace(" ", "")
        meta.title_lines = [ln.number for ln in block]
    else:
        found = next(
            (ln for ln in lines if TITLE_END.search(ln.text) and "：" not in ln.text), None
        )
        found = found or (lines[0] if lines else None)
        if found:
            meta.title, meta.title_lines = found.text, [found.number]
    meta.title = meta.title.strip("《》")
    for ln in [*lines, *closing]:
        if not meta.doc_number and (m := DOC_NUMBER.search(ln.text)) and len(ln.text) < 40:
            meta.doc_number = m[0]
        if m := DATE_LINE.match(ln.text):
            meta.issued_on = meta.issued_on or _date(m)
    meta.issuers = _issuers([*lines, *closing])
    meta.scope = next(
        (m["text"].strip() or ln.text for ln in lines if (m := SCOPE.match(ln.text))), ""
    )
    return meta


def closing_lines(lines: list[SourceLine]) -> int:
    """How many lines at the end are the signature block (issuer, date, 此件公开发布)."""
    count = 0
    for ln in reversed(lines):
        text = ln.text
        if PUBLIC.match(text) or DATE_LINE.match(text) or ISSUER_LINE.match(text):
            count += 1
        else:
            break
    return count


def _title_block(lines: list[SourceLine]) -> list[SourceLine]:
    """The first lines of the document that make its title: short, no sentence, before the number
    or the addressees. A masthead (…文件) is the issuer's, not the title."""
    block: list[SourceLine] = []
    for ln in lines[:8]:
        text = ln.text
        if MASTHEAD.search(text) and not block:
            continue
        if block and ISSUER_LINE.match(text) and TITLE_END.search(block[-1].text):
            break  # the issuer below the title
        if (
            len(text) > 45
            or text.endswith("：")
            or "。" in text
            or "：" in text
            or DOC_NUMBER.search(text)
            or DATE_LINE.match(text)
        ):
            break
        block.append(ln)
    # several short lines that never end like a title are a list of addressees or the like
    if len(block) > 1 and not any(TITLE_END.search(ln.text.replace(" ", "")) for ln in block):
        return []
    return block


def _issuers(lines: list[SourceLine]) -> list[str]:
    out: list[str] = []
    for index, ln in enumerate(lines):
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        if ISSUER_LINE.match(ln.text) and (DATE_LINE.match(following) or MASTHEAD.search(ln.text)):
            name = ln.text.removesuffix("文件")
            if name not in out:
                out.append(name)
    return out


def _date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def document_year(meta: Metadata, published: dt.datetime | None) -> int | None:
    """The year relative words (今年, 年内, 明年) are read in: the issue date's, else the number's."""
    if meta.issued_on:
        return meta.issued_on.year
    if published:
        return published.year
    if m := DOC_NUMBER.search(meta.doc_number):
        return int(m["year"])
    if m := re.search(r"(20\d{2})年", meta.title):  # 2022年重点工作任务分工
        return int(m[1])
    return None
