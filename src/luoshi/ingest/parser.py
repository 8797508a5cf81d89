"""Whole document → ParsedPlan: preamble, parts (一、…), facts, targets, indicators and tasks."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from luoshi.ingest import division_table, jurisdiction, text_tables
from luoshi.ingest import indicators as indicator_table
from luoshi.ingest.errors import IngestError
from luoshi.ingest.jurisdiction import Jurisdiction
from luoshi.ingest.messages import Message, gettext_noop
from luoshi.ingest.metadata import closing_lines, document_year, read_metadata
from luoshi.ingest.model import (
    AnomalyCode,
    ParsedIndicator,
    ParsedPlan,
    ParsedSection,
    ParseReport,
    PlanTarget,
    PlanTargetKind,
    Span,
)
from luoshi.ingest.numerals import chinese_to_int, int_to_chinese
from luoshi.ingest.organisations import directory as new_directory
from luoshi.ingest.outline import numbered
from luoshi.ingest.reader import Document, SourceLine, read_document
from luoshi.ingest.tasks import TaskReader

# Top-level parts, in the style the document uses first: 一、… or 第一部分/第一章 …
PART_STYLES = (
    re.compile(r"^(?P<numeral>[一二三四五六七八九十]+)、(?P<title>.+)$"),
    re.compile(r"^第(?P<numeral>[一二三四五六七八九十]+)(?:部分|章)\s*(?P<title>.*)$"),
)
TASK_PART_WORDS = ("主要任务", "重点任务", "任务和措施", "任务分工")
# A line that assigns units: a labelled bracket or a unit list with a verb.
ASSIGNS = re.compile(r"(牵头单位|责任单位|牵头部门|责任部门|负责部门)：|(牵头|负责)[，；）〕]")
# A numbered paragraph closed by its units: `三十、对…（国务院办公厅负责）`.
CLOSED_BY_UNITS = re.compile(r"[（〔][^（）〔〕]*(负责|牵头|指导|参与|落实)[^（）〔〕]*[）〕]$")
# The issuing jurisdiction, from the issuer (or the title's words before 关于). First match wins.
LEVELS = (
    (re.compile(r"国务院|国发|国办|中共中央|^(国家|中央)|部$|总署$"), "central"),
    (re.compile(r"省人民政府|省政府|省委|省.{0,8}(厅|委员会|局)|湘政"), "provincial"),
    (re.compile(r"[市州县区]"), "city"),
)
# Page furniture of a portal copy: kept out of the plan's text.
NOISE = re.compile(r"^(当前位置|打印本页|关闭窗口|【打印】|【关闭】|浏览次数)")
TITLE = re.compile(r"(方案|规划|计划|意见)(（[^）]*）)?$")
PUBLISHED = re.compile(
    r"(?:编稿时间|发布时间|发布日期|时间)：\s*(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{2}))?"
)
ISSUER = re.compile(r"来源：\s*(\S+)")
AREA = re.compile(r"面积(\d+(?:\.\d+)?)平方公里")
INCLUDED_AREA = re.compile(r"含([^（）\d]+?)(\d+(?:\.\d+)?)平方公里")
CASES = re.compile(r"案例(\d+)个以上")
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class _Part:
    number: int
    numeral: str
    title: str
    lines: list[SourceLine]  # after the heading
    heading: SourceLine

    @property
    def span(self) -> Span:
        return Span(
            self.heading.number, self.lines[-1].number if self.lines else self.heading.number
        )


def parse_file(
    path: str | Path,
    level: str | None = None,
    *,
    tasks_in: str | None = None,
    task_style: str | None = None,
) -> ParsedPlan:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            too_big = gettext_noop("文件有 %(size)s 字节，超过上限 %(max)s 字节")
            raise IngestError(path.name, Message(too_big, {"size": size, "max": MAX_BYTES}))
        data = path.read_bytes()
    except OSError as error:
        unread = Message(gettext_noop("无法读取文件（%(reason)s）"), {"reason": error.strerror})
        raise IngestError(str(path), unread) from error
    return parse_bytes(data, path.name, level, tasks_in=tasks_in, task_style=task_style)


def parse_bytes(
    data: bytes,
    name: str,
    level: str | None = None,
    *,
    tasks_in: str | None = None,
    task_style: str | None = None,
) -> ParsedPlan:
    """`level` (central | provincial | city | district) overrides the one read from the title and
    issuer. `tasks_in` (a part's numeral or words of its title, e.g. 三 or 重点任务) and `task_style`
    (the numbering of the tasks: 一、 （一） 1. （1）) say where the tasks are when the reader chose
    otherwise; the report lists the choices (`structure` anomalies)."""
    given = level
    document = read_document(data, name)
    report = ParseReport(location_unit=document.location_unit)
    document, closing = _without_closing(text_tables.with_tables(document))
    preamble, parts = _split_parts(document)
    parts = _flat_list(parts)
    task_parts = _chosen_parts(parts, tasks_in, name) if tasks_in else _task_parts(parts)
    if not task_parts:
        raise IngestError(
            name,
            Message(
                gettext_noop(
                    "全文没有像任务的内容：既无编号条目，也无单位括注（X负责、牵头单位：…）"
                )
            ),
            document.where(document.lines[-1].number),
        )
    structure = _report_structure(parts, task_parts, report)
    title, issuer, published = _preamble(preamble)
    meta = read_metadata(preamble, closing, NOISE)
    title = meta.title or title
    issuer = issuer or (meta.issuers[0] if meta.issuers else "")
    level, place = _level(title, issuer, meta.doc_number, preamble, report, level)
    if place.level == "district" and not given:
        level = "district"
    directory = new_directory(home_level=level, jurisdiction=place)
    reader = TaskReader(
        document, report, directory, document_year(meta, published), task_style=task_style
    )
    tasks = reader.read([(p.number, p.heading, p.lines) for p in task_parts])
    if not tasks:
        raise IngestError(
            name,
            Message(gettext_noop("“%(part)s”下没有找到任务"), {"part": task_parts[0].title}),
            document.where(task_parts[0].heading.number),
        )
    table_part = next((p for p in parts if "指标名称" in {ln.text for ln in p.lines}), None)
    kpis = indicator_table.parse_table(table_part.lines, report) if table_part else []
    introduction = "\n".join(
        ln.text
        for ln in preamble
        if ln.text != title and not NOISE.match(ln.text) and "：" not in ln.text
    )
    return ParsedPlan(
        title=title,
        issuer=issuer,
        published_at=published,
        is_draft="征求意见" in title or "草案" in title,
        source_name=name,
        fingerprint=hashlib.sha256(
            "\n".join(ln.text for ln in document.lines).encode()
        ).hexdigest(),
        introduction=introduction,
        source_lines=[(ln.number, ln.text) for ln in document.lines],
        area_km2=_area(parts),
        facts=_facts(parts),
        sections=[
            _section(p) if p not in task_parts else _task_section(p, reader.intro[p.number])
            for p in parts
        ],
        tasks=tasks,
        indicators=kpis,
        targets=_targets(parts, kpis),
        organisations=list(directory.used.values()),
        report=report,
        level=level,
        place=place.place,
        doc_number=meta.doc_number,
        issuers=meta.issuers,
        issued_on=meta.issued_on,
        scope=meta.scope,
        structure=structure,
    )


def _without_closing(document: Document) -> tuple[Document, list[SourceLine]]:
    """The signature block at the end (issuer, date, 此件公开发布) is metadata, not the last item's text."""
    count = closing_lines(document.lines)
    if not count or count == len(document.lines):
        return document, []
    kept, closing = document.lines[:-count], document.lines[-count:]
    return Document(document.name, kept, document.location_unit), closing


def _flat_list(parts: list[_Part]) -> list[_Part]:
    """一、…三十、 where each numbered paragraph is a task with its units at its end: the parts are
    the items of one list, read as a part of its own."""
    flat = [p for p in parts if CLOSED_BY_UNITS.search(p.heading.text)]
    if len(flat) < 2 or len(flat) * 2 < len(parts):
        return parts
    first = flat[0]
    lines = [ln for p in flat for ln in (p.heading, *p.lines)]
    heading = SourceLine(first.heading.number, "")
    merged = _Part(first.number, first.numeral, "全文", lines, heading)
    return [merged if p is first else p for p in parts if p is first or p not in flat]


def _task_parts(parts: list[_Part]) -> list[_Part]:
    """A plan's 分工表 if it has one; else parts titled as tasks (主要任务…); else those that assign
    units; else every part with numbered items (a plan that names no unit)."""
    tables = [p for p in parts if p.heading.text.startswith(division_table.START)]
    if tables:
        return tables
    titled = [p for p in parts if p.lines and any(w in p.title for w in TASK_PART_WORDS)]
    assigning = [p for p in parts if any(ASSIGNS.search(ln.text) for ln in p.lines)]
    if titled and not any(p not in titled for p in assigning):
        return titled
    return assigning or titled or [p for p in parts if any(numbered(ln.text) for ln in p.lines)]


def _chosen_parts(parts: list[_Part], tasks_in: str, name: str) -> list[_Part]:
    """The parts the reader named: by numeral (三, 3) or by words of the title (重点任务)."""
    wanted = [w.strip() for w in re.split("[,，、 ]", tasks_in) if w.strip()]
    chosen = [
        p
        for p in parts
        if any(w in (p.numeral, str(p.number)) or (len(w) > 1 and w in p.title) for w in wanted)
    ]
    if not chosen:
        titles = "；".join(f"{p.numeral}、{p.title}" for p in parts) or Message(gettext_noop("无"))
        no_part = gettext_noop("没有“%(wanted)s”部分，各部分为：%(parts)s")
        raise IngestError(name, Message(no_part, {"wanted": tasks_in, "parts": titles}))
    return chosen


def _report_structure(
    parts: list[_Part], chosen: list[_Part], report: ParseReport
) -> list[dict[str, str]]:
    """Where the tasks were taken from, and the other parts that could hold them: for the preview's
    choice (the parts are offered with the numbering styles found in them)."""
    out = []
    for part in parts:
        styles = sorted({hit[0].name for ln in part.lines if (hit := numbered(ln.text))})
        used = "tasks" if part in chosen else "text"
        use = (
            Message(gettext_noop("用作任务"))
            if part in chosen
            else Message(gettext_noop("用作正文"))
        )
        report.add(
            part.heading.number,
            AnomalyCode.STRUCTURE,
            Message(
                gettext_noop("第 %(numeral)s、%(title)s 部分：%(used)s；编号 %(styles)s"),
                {
                    "numeral": part.numeral,
                    "title": part.title,
                    "used": use,
                    "styles": " ".join(styles) or Message(gettext_noop("无")),
                },
            ),
        )
        out.append(
            {"numeral": part.numeral, "title": part.title, "styles": " ".join(styles), "used": used}
        )
    return out


def _level(
    title: str,
    issuer: str,
    doc_number: str,
    preamble: list[SourceLine],
    report: ParseReport,
    given: str | None,
) -> tuple[str, Jurisdiction]:
    """The issuing jurisdiction, which unprefixed names (发展改革委) and 市X/省X belong to."""
    issuing = issuer or title.partition("关于")[0]
    guessed = next((lv for pattern, lv in LEVELS if pattern.search(issuing)), "city")
    texts = [ln.text for ln in preamble if ln.text not in title][:40]
    place = jurisdiction.read([issuer, title, doc_number], texts, guessed)
    level = given or place.level
    if given and given != place.level:
        place = jurisdiction.Jurisdiction(given) if given != "city" else jurisdiction.home()
    how = Message(gettext_noop("按指定")) if given else Message(gettext_noop("据标题和发文单位"))
    params: dict[str, object] = {
        "level": jurisdiction.level_name(level),
        "place": place.place,
        "how": how,
    }
    if place.place:
        note = Message(
            gettext_noop("文件级别 %(level)s，%(place)s（%(how)s）：不带前缀的单位名按此级别理解"),
            params,
        )
    else:
        note = Message(
            gettext_noop("文件级别 %(level)s（%(how)s）：不带前缀的单位名按此级别理解"), params
        )
    report.add(None, AnomalyCode.DOCUMENT_LEVEL, note)
    return level, place


def _split_parts(document: Document) -> tuple[list[SourceLine], list[_Part]]:
    """Top-level parts 一、二、… in ascending order; a heading that goes back is ordinary text."""
    preamble: list[SourceLine] = []
    parts: list[_Part] = []
    tables: list[_Part] = []  # 分工表 read from a Word file: parts of their own (division_table.py)
    table: _Part | None = None  # the one being read
    part = next(
        (p for ln in document.lines for p in PART_STYLES if p.match(ln.text)), PART_STYLES[0]
    )
    for line in document.lines:
        if line.text.startswith(division_table.START):
            table = _Part(0, "", "任务分工表", [], line)
            tables.append(table)
            continue
        if table is not None:
            if line.text == division_table.END:
                table = None
            else:
                table.lines.append(line)
            continue
        m = part.match(line.text)
        number = chinese_to_int(m["numeral"]) if m else 0
        if m and number > (parts[-1].number if parts else 0):  # an extract may start at any part
            parts.append(_Part(number, m["numeral"], m["title"], [], line))
        elif parts:
            parts[-1].lines.append(line)
        else:
            preamble.append(line)
    if not parts and not tables:  # a plan with no parts: its items start at the first numbered line
        first = next((i for i, ln in enumerate(preamble) if i and numbered(ln.text)), None)
        if first is not None:
            return preamble[:first], [_Part(1, "一", "全文", preamble[first:], preamble[first - 1])]
    after = max((p.number for p in parts), default=0)
    for index, read in enumerate(tables, start=1):  # numbered after the document's own parts
        read.number, read.numeral = after + index, int_to_chinese(after + index)
    return preamble, sorted(parts + tables, key=lambda p: p.heading.number)


def _preamble(lines: list[SourceLine]) -> tuple[str, str, dt.datetime | None]:
    texts = [ln.text for ln in lines if not NOISE.match(ln.text)]
    title = next((t for t in texts if TITLE.search(t) and "：" not in t), texts[0] if texts else "")
    issuer, published = "", None
    for text in texts:
        if m := PUBLISHED.search(text):
            year, month, day, hour, minute = (int(g) if g else 0 for g in m.groups())
            published = dt.datetime(year, month, day, hour, minute, tzinfo=CHINA)
        if m := ISSUER.search(text):
            issuer = m[1]
    return title, issuer, published


def _prose(part: _Part) -> str:
    return "\n".join(ln.text for ln in part.lines if not NOISE.match(ln.text))


def _task_section(part: _Part, intro: list[str]) -> ParsedSection:
    return ParsedSection(part.number, part.numeral, part.title, "\n".join(intro), part.span)


def _section(part: _Part) -> ParsedSection:
    text = _prose(part)
    if "指标名称" in text:  # the indicator table is data, not prose
        text = text[: text.index("类别") if "类别" in text else text.index("指标名称")].rstrip()
    return ParsedSection(part.number, part.numeral, part.title, text, part.span)


def _area(parts: list[_Part]) -> Decimal | None:
    for part in parts:
        if m := AREA.search(_prose(part)):
            return Decimal(m[1])
    return None


def _facts(parts: list[_Part]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for part in parts:
        prose = _prose(part)
        if m := AREA.search(prose):
            facts["面积（平方公里）"] = m[1]
        for m in INCLUDED_AREA.finditer(prose):
            facts[f"其中：{m[1]}（平方公里）"] = m[2]
    return facts


def _targets(parts: list[_Part], kpis: list[ParsedIndicator]) -> list[PlanTarget]:
    targets = []
    for kpi in kpis:
        if "落实率" in kpi.name:
            kind = PlanTargetKind.IMPLEMENTATION_RATE
        elif "案例" in kpi.name:
            kind = PlanTargetKind.NATIONAL_CASES
        else:
            continue
        targets += [
            PlanTarget(kind, v, y, kpi.area.text, kpi.line) for y, v in kpi.area.by_year.items()
        ]
    for part in parts:
        for line in part.lines:
            if m := CASES.search(line.text):
                targets.append(
                    PlanTarget(PlanTargetKind.CASES, Decimal(m[1]), None, m[0], line.number)
                )
    return targets
