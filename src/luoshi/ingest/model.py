"""The parsed plan: plain dataclasses, the contract between the parser and the loader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from luoshi.ingest.messages import Message


class Duty(StrEnum):
    LEAD = "lead"  # 牵头单位
    SUPPORTING = "supporting"  # 责任单位 / 配合单位 beside a lead
    RESPONSIBLE = "responsible"  # 责任单位 of a task, none marked lead
    GUIDING = "guiding"  # 指导: guides the work, never the lead


class UnitSource(StrEnum):
    WRITTEN = "written"  # as written on the item
    RULE = "rule"  # role given by a rule in force, e.g. 排第一的为牵头单位，下同
    INHERITED = (
        "inherited"  # not written on the item: carried by 下同, 以下均需…, or from its parent item
    )


class DueKind(StrEnum):
    DATED = "dated"
    ONGOING = "ongoing"  # 持续推进 / 长期坚持
    RECURRING = "recurring"  # 每年…
    UNKNOWN = "unknown"  # words kept, no date derivable


class TargetKind(StrEnum):
    ANNUAL_GROWTH = "annual_growth"
    CUMULATIVE = "cumulative"
    YEARLY_THRESHOLDS = "yearly_thresholds"  # a rate per year (落实率), computed by luoshi
    COUNT = "count"  # a number of items per year (cases), counted by luoshi
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Span:
    """Source line range, inclusive, in the document's own numbering."""

    first: int
    last: int


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DueKind
    due_date: dt.date | None = None


@dataclass(frozen=True)
class UnitRef:
    """One organisation named on an item, already resolved to its canonical name."""

    name: str
    role: Duty
    as_written: str
    and_others: bool = False
    source: UnitSource = UnitSource.WRITTEN


@dataclass
class ParsedMeasure:
    number: int
    number_as_written: str | None  # None: the item had no number of its own
    text: str
    units: list[UnitRef]
    span: Span
    scope: str = ""  # 适用范围: where the measure applies, as written
    deadline: Deadline | None = (
        None  # its own, when the item states one (in a bracket or its prose)
    )
    group: str = (
        ""  # the heading of the item it sits under, when it is nested deeper than a measure
    )
    units_note: str = ""  # how its units were decided when not simply as written (rule, catch-all)
    leaders: list[str] = field(
        default_factory=list
    )  # 牵头领导/责任领导: persons, not units or text


@dataclass
class ParsedTask:
    number: int
    numeral: str  # as written, e.g. 二十三
    title: str
    deadline: Deadline | None
    units: list[UnitRef]
    measures: list[ParsedMeasure]
    evaluation_target: str
    span: Span
    section_number: int
    units_note: str = ""
    leaders: list[str] = field(default_factory=list)  # 牵头领导 written for the task


@dataclass
class ParsedSection:
    number: int
    numeral: str
    title: str
    text: str
    span: Span


@dataclass(frozen=True)
class Target:
    """One column of an indicator row, as written and as understood."""

    text: str
    value: Decimal | None = None  # growth % or cumulative total
    by_year: dict[int, Decimal] = field(default_factory=dict)
    years: int | None = None  # span of a cumulative target


@dataclass
class ParsedIndicator:
    category: str
    name: str
    unit: str
    kind: TargetKind
    province: Target
    area: Target
    line: int


class PlanTargetKind(StrEnum):
    IMPLEMENTATION_RATE = "implementation_rate"
    NATIONAL_CASES = "national_cases"
    CASES = "cases"  # national and provincial cases together


@dataclass(frozen=True)
class PlanTarget:
    kind: PlanTargetKind
    value: Decimal
    year: int | None
    text: str
    line: int


@dataclass(frozen=True)
class OrganisationInfo:
    name: str
    kind: str
    level: str
    aliases: tuple[str, ...] = ()
    known: bool = True


@dataclass
class ParsedPlan:
    title: str
    issuer: str
    published_at: dt.datetime | None
    is_draft: bool
    source_name: str
    fingerprint: str
    introduction: str
    source_lines: list[tuple[int, str]]
    area_km2: Decimal | None
    facts: dict[str, str]
    sections: list[ParsedSection]
    tasks: list[ParsedTask]
    indicators: list[ParsedIndicator]
    targets: list[PlanTarget]
    organisations: list[OrganisationInfo]
    report: ParseReport
    level: str = "city"  # the issuing jurisdiction: central | provincial | city | district
    place: str = ""  # the issuer's place when named: 广州市, 浙江省, 鞍山市立山区
    doc_number: str = ""  # 文号, e.g. 国发〔2019〕3号
    issuers: list[str] = field(default_factory=list)
    issued_on: dt.date | None = None
    scope: str = ""  # 适用范围 as written
    # the parts and the numbering styles in each, with whether the tasks were taken from them: what the
    # preview offers when the reader should choose where the tasks are
    structure: list[dict[str, str]] = field(default_factory=list)

    @property
    def measures(self) -> list[ParsedMeasure]:
        return [m for t in self.tasks for m in t.measures]


class AnomalyCode(StrEnum):
    ALIAS_RESOLVED = "alias_resolved"
    LEVEL_RESOLVED = "level_resolved"  # an unprefixed name read at the document's own level
    DOCUMENT_LEVEL = "document_level"
    TYPO_CORRECTED = "typo_corrected"
    SECOND_NAME = "second_name"
    GLUED_FIELD_SPLIT = "glued_field_split"
    MISSING_NUMBER = "missing_number"
    NUMBER_GAP = "number_gap"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    EMPTY_LIST_ITEM = "empty_list_item"
    AND_OTHERS = "and_others"
    HEADER_ON_TITLE_LINE = "header_on_title_line"
    RULE_APPLIED = "rule_applied"
    NUMBERING_RESTARTS = "numbering_restarts"
    NESTED_ITEM = "nested_item"
    TASK_AS_MEASURE = "task_as_measure"
    EMPTY_ITEM = (
        "empty_item"  # an item with units but no words, e.g. a table row with an empty cell
    )
    NO_UNITS_IN_DOCUMENT = "no_units_in_document"
    SEVERAL_DEADLINES = "several_deadlines"
    UNSURE_BRACKET = "unsure_bracket"  # a bracket that names units but was not read as a unit list
    NO_LEAD = "no_lead"
    NO_RESPONSIBILITY = "no_responsibility"
    NO_EVALUATION_TARGET = "no_evaluation_target"
    UNDATED_DEADLINE = "undated_deadline"
    INDICATOR_CELLS = "indicator_cells"
    INDICATOR_KIND = "indicator_kind"  # the document does not say how a target is met: confirm it
    UNPARSED_LINE = "unparsed_line"
    NOT_PLACED = "not_placed"  # a unit bracket or deadline phrase on no item, with its line
    STRUCTURE = "structure"  # which parts hold the tasks, and the numbering styles of each part


@dataclass(frozen=True)
class Anomaly:
    line: int | None
    code: AnomalyCode
    message: Message


@dataclass
class Ledger:
    """Every bracket and deadline phrase the parser saw, and what became of it: placed on an item
    or listed as unplaced with its line. `unaccounted()` is what was neither — a silent drop."""

    brackets_seen: dict[tuple[int, str], int] = field(default_factory=dict)
    brackets_placed: set[tuple[int, str]] = field(default_factory=set)
    deadlines_seen: dict[tuple[int, str], int] = field(default_factory=dict)
    deadlines_placed: set[tuple[int, str]] = field(default_factory=set)
    unplaced: list[tuple[int, Message, str]] = field(default_factory=list)  # line, kind, words

    def saw_bracket(self, line: int, content: str) -> None:
        self.brackets_seen.setdefault((line, content), len(self.brackets_seen))

    def placed_bracket(self, line: int, content: str) -> None:
        self.brackets_placed.add((line, content))

    def saw_deadline(self, line: int, words: str) -> None:
        self.deadlines_seen.setdefault((line, words), len(self.deadlines_seen))

    def placed_deadline(self, line: int, words: str) -> None:
        self.deadlines_placed.add((line, words))

    def not_placed(self, line: int, kind: Message, words: str) -> None:
        self.unplaced.append((line, kind, words))

    def counts(self) -> dict[str, int]:
        return {
            "brackets_seen": len(self.brackets_seen),
            "brackets_placed": len(self.brackets_placed & set(self.brackets_seen)),
            "deadlines_seen": len(self.deadlines_seen),
            "deadlines_placed": len(self.deadlines_placed & set(self.deadlines_seen)),
            "unplaced": len(self.unplaced),
        }

    def unaccounted(self) -> list[str]:
        listed = {(line, words) for line, _kind, words in self.unplaced}
        return [
            f"line {line}: {kind} “{words}”"
            for kind, seen, placed in (
                ("bracket", self.brackets_seen, self.brackets_placed),
                ("deadline", self.deadlines_seen, self.deadlines_placed),
            )
            for line, words in seen
            if (line, words) not in placed and (line, words) not in listed
        ]


@dataclass
class ParseReport:
    """Everything the parser noticed but could handle, each with its line."""

    location_unit: str = "line"
    anomalies: list[Anomaly] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)

    def add(self, line: int | None, code: AnomalyCode, message: Message) -> None:
        self.anomalies.append(Anomaly(line, code, message))

    def of(self, code: AnomalyCode) -> list[Anomaly]:
        return [a for a in self.anomalies if a.code == code]
