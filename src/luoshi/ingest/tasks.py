"""The task part (主要任务和措施): numbered tasks, their header bracket, measures and evaluation target.

A small state machine over the part's lines. Every line ends in the structure or in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from luoshi.ingest.deadlines import parse_deadline
from luoshi.ingest.errors import IngestError
from luoshi.ingest.model import (
    AnomalyCode,
    Deadline,
    DueKind,
    ParsedMeasure,
    ParsedTask,
    ParseReport,
    Role,
    Span,
    UnitRef,
)
from luoshi.ingest.numerals import NUMERAL_CHARS, chinese_to_int
from luoshi.ingest.organisations import Directory
from luoshi.ingest.reader import Document, SourceLine
from luoshi.ingest.responsibility import (
    FIRST_IS_LEAD,
    Bracket,
    parse_bracket,
    parse_unlabelled,
    split_trailing_bracket,
    unit_refs,
)

TASK = re.compile(rf"^（(?P<numeral>[{NUMERAL_CHARS}]+)）(?P<rest>.*)$")
MEASURE = re.compile(r"^（(?P<number>\d+)）(?P<rest>.*)$")
LABEL_LINE = re.compile(r"^(牵头单位|牵头部门|责任单位|责任部门|配合单位|负责部门)：")
SUBHEADING = re.compile(r"^\d+[.、]\s*(?P<name>落实举措|评估目标)。?$")


@dataclass
class _Draft:
    """A task while its lines are being read."""

    task: ParsedTask
    mode: str = "head"  # head → measures → target
    target_lines: list[str] = field(default_factory=list)
    has_header: bool = False


@dataclass
class TaskReader:
    document: Document
    section_number: int
    report: ParseReport
    directory: Directory
    tasks: list[ParsedTask] = field(default_factory=list)
    first_is_lead: bool = False  # 排第一的为牵头单位，下同: holds from where it is written
    _draft: _Draft | None = None
    _first_line: dict[int, int] = field(default_factory=dict)

    def read(self, lines: list[SourceLine]) -> list[ParsedTask]:
        for line in lines:
            self._line(line)
        self._close(lines[-1].number if lines else 0, at_end=True)
        return self.tasks

    def _line(self, line: SourceLine) -> None:
        if m := TASK.match(line.text):
            self._close(line.number - 1)
            self._start_task(line, m["numeral"], m["rest"])
            return
        draft = self._draft
        if draft is None:
            self.report.add(
                line.number, AnomalyCode.UNPARSED_LINE, f"before the first task: {line.text}"
            )
            return
        if m := SUBHEADING.match(line.text):
            draft.mode = "measures" if m["name"] == "落实举措" else "target"
            return
        if draft.mode == "head" and not draft.has_header:
            before, content = split_trailing_bracket(line.text)
            if not before and content is not None and self._header(draft, line, content):
                return
        if draft.mode == "measures" and draft.task.measures and LABEL_LINE.match(line.text):
            self._labels_after(draft, line)
        elif draft.mode == "measures":
            self._measure(draft, line)
        elif draft.mode == "target":
            draft.target_lines.append(line.text)
        else:
            self.report.add(
                line.number,
                AnomalyCode.UNPARSED_LINE,
                f"in task （{draft.task.numeral}）: {line.text}",
            )

    def _start_task(self, line: SourceLine, numeral: str, rest: str) -> None:
        number = chinese_to_int(numeral)
        if number in self._first_line:
            raise IngestError(
                self.document.name,
                f"duplicate task number （{numeral}）, first at {self.document.where(self._first_line[number])}",
                self.document.where(line.number),
            )
        expected = self.tasks[-1].number + 1 if self.tasks else 1
        if number != expected:
            self.report.add(
                line.number,
                AnomalyCode.NUMBER_GAP,
                f"task （{numeral}） follows task {expected - 1}",
            )
        self._first_line[number] = line.number
        task = ParsedTask(
            number,
            numeral,
            rest,
            None,
            [],
            [],
            "",
            Span(line.number, line.number),
            self.section_number,
        )
        self._draft = _Draft(task)
        title, content = split_trailing_bracket(rest)
        if content is None:
            return
        if FIRST_IS_LEAD.search(content):
            self.first_is_lead = True
            task.title = title
            self.report.add(
                line.number,
                AnomalyCode.RULE_APPLIED,
                f"rule “{content}”: the first unit listed leads",
            )
            self._header(self._draft, line, content)  # the same bracket may list the units too
        elif self._header(self._draft, line, content):
            task.title = title
            self.report.add(
                line.number,
                AnomalyCode.HEADER_ON_TITLE_LINE,
                "responsibility and deadline on the title line",
            )

    def _header(self, draft: _Draft, line: SourceLine, content: str) -> bool:
        """A task's （责任单位：… 落实时间：…）, given its inside; True when it was one."""
        bracket = parse_bracket(content) or parse_unlabelled(content, self.directory)
        if bracket is None:
            return False
        draft.has_header = True
        draft.task.units = self._units(bracket, line)
        if "deadline" in bracket.fields:
            draft.task.deadline = self._deadline(bracket.fields["deadline"], line)
        return True

    def _measure(self, draft: _Draft, line: SourceLine) -> None:
        measures = draft.task.measures
        if m := MEASURE.match(line.text):
            number_written: str | None = m["number"]
            number, rest = int(m["number"]), m["rest"]
            if number != len(measures) + 1:
                self.report.add(
                    line.number,
                    AnomalyCode.NUMBER_GAP,
                    f"measure （{number}） after {len(measures)}",
                )
        else:
            number_written, number, rest = None, len(measures) + 1, line.text
            self.report.add(
                line.number,
                AnomalyCode.MISSING_NUMBER,
                f"task （{draft.task.numeral}）: item without a number, taken as measure {number}",
            )
        text, content = split_trailing_bracket(rest)
        if content is not None and FIRST_IS_LEAD.search(content):
            self.first_is_lead = True
        bracket = (
            (parse_bracket(content) or parse_unlabelled(content, self.directory))
            if content is not None
            else None
        )
        if bracket is None:
            text = rest
            self.report.add(
                line.number,
                AnomalyCode.NO_RESPONSIBILITY,
                f"measure {draft.task.number}.{number} names no unit",
            )
        units = self._units(bracket, line) if bracket else []
        scope = bracket.fields.get("scope", "") if bracket else ""
        if units and not any(u.role == Role.LEAD for u in units):
            self.report.add(
                line.number,
                AnomalyCode.NO_LEAD,
                f"measure {draft.task.number}.{number} has no lead unit",
            )
        measures.append(
            ParsedMeasure(
                number, number_written, text, units, Span(line.number, line.number), scope
            )
        )

    def _labels_after(self, draft: _Draft, line: SourceLine) -> None:
        """`牵头单位：X` / `责任单位：Y` on their own line: they belong to the item above."""
        measure = draft.task.measures[-1]
        bracket = parse_bracket(line.text)
        assert bracket is not None  # LABEL_LINE matched
        labelled = {r.name for r in measure.units}
        has_lead = any(u.role == Role.LEAD for u in measure.units)
        for unit in self._units(bracket, line):
            if (
                unit.name not in labelled
            ):  # 责任单位 under a 牵头单位 line supports it, as in one bracket
                supports = has_lead and unit.role == Role.RESPONSIBLE
                measure.units.append(replace(unit, role=Role.SUPPORTING) if supports else unit)
        measure.span = Span(measure.span.first, line.number)

    def _units(self, bracket: Bracket, line: SourceLine) -> list[UnitRef]:
        return unit_refs(
            bracket,
            line=line.number,
            report=self.report,
            directory=self.directory,
            first_is_lead=self.first_is_lead,
        )

    def _deadline(self, words: str, line: SourceLine) -> Deadline:
        deadline = parse_deadline(words)
        if deadline.kind == DueKind.UNKNOWN:
            self.report.add(
                line.number, AnomalyCode.UNDATED_DEADLINE, f"no date in deadline “{words}”"
            )
        return deadline

    def _close(self, last_line: int, *, at_end: bool = False) -> None:
        draft, self._draft = self._draft, None
        if draft is None:
            return
        task = draft.task
        task.span = Span(task.span.first, max(task.span.first, last_line))
        task.evaluation_target = "\n".join(draft.target_lines)
        where = self.document.where(task.span.first)
        if at_end and (not task.measures or not task.evaluation_target):
            raise IngestError(
                self.document.name,
                f"the document ends inside task （{task.numeral}）, which has no "
                f"{'落实举措' if not task.measures else '评估目标'}: the file looks truncated",
                where,
            )
        if not draft.has_header:
            self.report.add(
                task.span.first,
                AnomalyCode.NO_RESPONSIBILITY,
                f"task （{task.numeral}） has no responsibility line",
            )
        if not task.evaluation_target:
            self.report.add(
                task.span.first,
                AnomalyCode.NO_EVALUATION_TARGET,
                f"task （{task.numeral}） has no 评估目标",
            )
        self.tasks.append(task)
