"""Scores the importer against the corpus: items, units (with roles) and deadlines, per document.

A truth file has one line per item: `item prefix | unit:role, … | deadline`. Roles: L lead, S supporting,
R responsible, G guiding (a trailing + marks "and others", informative only). Deadline: an ISO date,
`ongoing`, `recurring` or nothing. A parsed measure is the truth item whose prefix its text starts with.
Unit names compare without a leading 国家/国务院 (the State Council writes both); every other prefix
(省, 市, a province's or a city's name) must match, so the jurisdiction is scored too.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from luoshi.ingest import IngestError, parse_file
from luoshi.ingest.model import DueKind, Duty, ParsedMeasure, ParsedPlan
from luoshi.ingest.organisations import entries as organisation_entries

ROLE_CODES = {Duty.LEAD: "L", Duty.SUPPORTING: "S", Duty.RESPONSIBLE: "R", Duty.GUIDING: "G"}
_MARKER = re.compile(r"^(?:[（(]?[一二三四五六七八九十百\d]+[）)、.．]\s*)+")


@dataclass(frozen=True)
class TruthItem:
    prefix: str
    units: frozenset[tuple[str, str]]
    deadline: str


@dataclass
class Count:
    """True positives against the truth's and the parser's totals."""

    hit: int = 0
    truth: int = 0
    found: int = 0

    def add(self, other: Count) -> None:
        self.hit, self.truth, self.found = (
            self.hit + other.hit,
            self.truth + other.truth,
            self.found + other.found,
        )

    @property
    def recall(self) -> float:
        return self.hit / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.hit / self.found if self.found else 1.0


FIELDS = ("items", "units", "deadlines")


@dataclass
class DocumentScore:
    name: str
    counts: dict[str, Count] = field(default_factory=lambda: {f: Count() for f in FIELDS})
    refused: str = ""
    silent_drops: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)  # what differs, for the reader of the table


@dataclass
class CorpusScore:
    documents: list[DocumentScore]

    def total(self, name: str) -> Count:
        total = Count()
        for document in self.documents:
            total.add(document.counts[name])
        return total

    @property
    def refused(self) -> list[str]:
        return [d.name for d in self.documents if d.refused]

    @property
    def silent_drops(self) -> int:
        return sum(len(d.silent_drops) for d in self.documents)

    def as_dict(self) -> dict[str, object]:
        def pair(c: Count) -> dict[str, float]:
            return {"recall": round(c.recall, 4), "precision": round(c.precision, 4)}

        return {
            "total": {f: pair(self.total(f)) for f in FIELDS},
            "refused": self.refused,
            "silent_drops": self.silent_drops,
            "documents": {
                d.name: {f: pair(d.counts[f]) for f in FIELDS}
                | {"refused": d.refused, "silent_drops": d.silent_drops, "misses": d.misses}
                for d in self.documents
            },
        }

    def table(self) -> str:
        head = f"{'document':44} " + " ".join(f"{f + ' R/P':>17}" for f in FIELDS)
        rows = [head, "-" * len(head)]
        for d in self.documents:
            cells = " ".join(
                f"{d.counts[f].recall:8.1%}/{d.counts[f].precision:<8.1%}" for f in FIELDS
            )
            flag = f"  REFUSED: {d.refused}" if d.refused else ""
            flag += f"  SILENT DROPS: {len(d.silent_drops)}" if d.silent_drops else ""
            rows.append(f"{d.name[:44]:44} {cells}{flag}")
        rows.append("-" * len(head))
        totals = " ".join(
            f"{self.total(f).recall:8.1%}/{self.total(f).precision:<8.1%}" for f in FIELDS
        )
        rows.append(f"{'ALL (' + str(len(self.documents)) + ' documents)':44} {totals}")
        rows.append(f"refused: {len(self.refused)}  silent drops: {self.silent_drops}")
        return "\n".join(rows)


def score_corpus(folder: Path) -> CorpusScore:
    manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    return CorpusScore(
        [
            score_document(folder / "docs" / d["file"], folder / "truth" / d["file"])
            for d in manifest["document"]
        ]
    )


def read_truth(path: Path) -> list[TruthItem]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        prefix, units, deadline = (part.strip() for part in line.split("|"))
        pairs = set()
        for unit in filter(None, (u.strip() for u in units.split(", "))):
            name, _, role = unit.rpartition(":")
            pairs.add((_name(name), role.rstrip("+")))
        items.append(TruthItem(prefix, frozenset(pairs), deadline))
    return items


def score_document(path: Path, truth_path: Path) -> DocumentScore:
    score = DocumentScore(path.name)
    truth = read_truth(truth_path)
    try:
        plan = parse_file(path)
    except IngestError as error:
        score.refused = error.message
        score.counts["items"].truth = len(truth)
        score.counts["units"].truth = sum(len(t.units) for t in truth)
        score.counts["deadlines"].truth = sum(1 for t in truth if t.deadline)
        return score
    score.silent_drops = _unaccounted(plan)
    measures = plan.measures
    matched: dict[int, TruthItem] = {}
    for item in truth:
        index = next(
            (
                i
                for i, m in enumerate(measures)
                if i not in matched and _text(m).startswith(item.prefix)
            ),
            None,
        )
        if index is None:
            score.misses.append(f"item not found: {item.prefix}")
        else:
            matched[index] = item
    items, units, deadlines = (score.counts[f] for f in FIELDS)
    items.truth, items.found, items.hit = len(truth), len(measures), len(matched)
    units.truth = sum(len(t.units) for t in truth)
    deadlines.truth = sum(1 for t in truth if t.deadline)
    for index, measure in enumerate(measures):
        found = {(_name(u.name), ROLE_CODES[u.role]) for u in measure.units}
        due = _due(measure)
        units.found += len(found)
        deadlines.found += 1 if due else 0
        expected = matched.get(index)
        if expected is None:
            score.misses.append(f"extra item: {_text(measure)[:20]}")
            continue
        units.hit += len(found & expected.units)
        for wrong in sorted(found - expected.units):
            score.misses.append(f"{expected.prefix}: extra unit {wrong}")
        for missed in sorted(expected.units - found):
            score.misses.append(f"{expected.prefix}: missing unit {missed}")
        if due and due == expected.deadline:
            deadlines.hit += 1
        elif due or expected.deadline:
            score.misses.append(
                f"{expected.prefix}: deadline {due or '—'} (truth {expected.deadline or '—'})"
            )
    return score


def _text(measure: ParsedMeasure) -> str:
    return _MARKER.sub("", measure.text.replace(" ", ""))


def _name(name: str) -> str:
    """The name compared: an alias as its directory name (银保监会 → 金融监管总局), less 国家/国务院."""
    name = name.strip()
    name = _ALIASES.get(name, name)
    return re.sub(r"^(国家|国务院)(?=.{2})", "", name)


_ALIASES = {
    alias: entry.name
    for entry in organisation_entries()
    if entry.level == "central"
    for alias in entry.aliases
}


def _due(measure: ParsedMeasure) -> str:
    deadline = measure.deadline
    if deadline is None or deadline.kind == DueKind.UNKNOWN:
        return ""
    if deadline.due_date is not None:
        return deadline.due_date.isoformat()
    return str(deadline.kind)


# Brackets that assign units, found independently of the parser: a label or a role verb at the end.
_UNIT_BRACKET = re.compile(
    r"[（〔]([^（）〔〕]*(?:单位：|部门：|负责|牵头|指导|参与|配合|不再列出)[^（）〔〕]*)[）〕]"
)


def _unaccounted(plan: ParsedPlan) -> list[str]:
    """Brackets and deadline phrases neither placed on an item nor listed in the report: what the
    parser's ledger says, and the unit brackets of the text that the ledger never saw."""
    ledger = plan.report.ledger
    missing = ledger.unaccounted()
    seen_lines = {line for line, _ in ledger.brackets_seen}
    sections = {
        s.number for s in plan.sections if any(t.section_number == s.number for t in plan.tasks)
    }
    spans = [s.span for s in plan.sections if s.number in sections]
    for number, text in plan.source_lines:
        inside = any(span.first <= number <= span.last for span in spans)
        if inside and _UNIT_BRACKET.search(text) and number not in seen_lines:
            missing.append(f"line {number}: a unit bracket the parser never saw")
    return missing
