"""Responsibility brackets: `（牵头单位：X 责任单位：Y、Z 落实时间：…）` → labelled fields → unit refs.

Labels and rules are tables, so a new notation is a new row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from luoshi.ingest.deadlines import parse_deadline
from luoshi.ingest.model import AnomalyCode, DueKind, ParseReport, Role, UnitRef, UnitSource
from luoshi.ingest.organisations import Directory, without_others
from luoshi.ingest.rules import FIRST_IS_LEAD, NO_DIVISION, SAME_BELOW

# label → field. "units" fields name organisations; "deadline" is the deadline phrase.
LABELS: dict[str, str] = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "责任单位": "responsible",
    "责任部门": "responsible",
    "负责部门": "responsible",
    "负责单位": "responsible",
    "配合单位": "supporting",
    "配合部门": "supporting",
    "参与单位": "supporting",
    "协办单位": "supporting",
    "落实时间": "deadline",
    "完成时间": "deadline",
    "完成时限": "deadline",
    "适用范围": "scope",  # kept as a note, not units
}
_LABEL = re.compile("(" + "|".join(LABELS) + r")：")
_SEPARATORS = re.compile(r"[、，；]| +")
_GLUE_OK = " ，；、（"
# Unlabelled brackets: a unit list followed by a verb (`X牵头，Y、Z参与`, `X负责`, `X指导`). First match wins.
VERB_RULES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (
        re.compile(r"^(?P<a>[^，；]+?)(?:牵头|指导)[，；](?P<b>[^，；]+?)(?:参与|配合)$"),
        ("lead", "supporting"),
    ),
    (re.compile(r"^(?P<a>[^，；]+?)(?:牵头|指导)$"), ("lead",)),
    (re.compile(r"^(?P<a>[^，；]+?)负责$"), ("responsible",)),
]
CATCH_ALLS = frozenset(
    {"各有关单位", "各相关单位", "有关单位", "相关单位", "各有关部门", "各相关部门", "有关部门"}
)
# What an organisation's name ends with: an unlabelled bracket is a unit list only if every name does
# (or the directory knows it), so `（PPP）` or `（试行）` stay text.
ORGANISATION_ENDINGS = (
    "局",
    "委",
    "办",
    "厅",
    "部",
    "院",
    "政府",
    "中心",
    "协会",
    "公司",
    "集团",
    "银行",
    "署",
    "处",
    "县级市",
    "新港区",
    "综保区",
)


@dataclass
class Bracket:
    """The labelled fields of one bracket, in the order written."""

    fields: dict[str, str] = field(default_factory=dict)
    glued: list[str] = field(default_factory=list)  # labels written with no separator before them


BRACKETS = {"）": "（", "〕": "〔", "】": "【"}


def split_trailing_bracket(text: str) -> tuple[str, str | None]:
    """`标题（内容）` or `标题〔内容〕` → (`标题`, `内容`); the bracket must close the line and balance."""
    if not text or text[-1] not in BRACKETS:
        return text, None
    close, opening = text[-1], BRACKETS[text[-1]]
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {close: 1, opening: -1}.get(text[index], 0)
        if depth == 0:
            return text[:index].rstrip(), text[index + 1 : -1]
    return text, None


def parse_bracket(content: str) -> Bracket | None:
    """The labelled fields of a bracket, or None if it has no known label."""
    content = SAME_BELOW.sub("", content)  # the rule is the reader's business, not a unit
    matches = list(_LABEL.finditer(content))
    if not matches:
        return None
    bracket = Bracket()
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(content)
        value = content[match.end() : end].strip(" ，；")
        key = LABELS[match[1]]
        bracket.fields[key] = f"{bracket.fields[key]}、{value}" if key in bracket.fields else value
        if match.start() > 0 and content[match.start() - 1] not in _GLUE_OK:
            bracket.glued.append(match[1])
    return bracket


def parse_unlabelled(content: str, directory: Directory) -> Bracket | None:
    """`X牵头，Y参与` / `X负责` / `A、B，C` — a bracket with no label, when its names are organisations.

    Clauses stating a rule (`下同`, `排在第一位…`) or a deadline (`2021年底前`, `持续推进`) are set apart.
    """
    head, deadline = _set_apart(content)
    for pattern, keys in VERB_RULES:
        if m := pattern.match(head):
            fields = {key: m.group(group) for key, group in zip(keys, ("a", "b"), strict=False)}
            break
    else:
        fields = {"responsible": head}
    names = [
        n for value in fields.values() for n in _SEPARATORS.split(directory.protect(value)) if n
    ]
    organisations = [without_others(n) for n in names if n not in CATCH_ALLS]
    if not names or not all(
        directory.knows(n) or n.endswith(ORGANISATION_ENDINGS) for n in organisations
    ):
        return None
    return Bracket(fields=fields | ({"deadline": deadline} if deadline else {}))


def _set_apart(content: str) -> tuple[str, str]:
    """The unit clauses of a bracket, and its deadline clause."""
    kept, deadline = [], ""
    for clause in re.split("[，；]", content):
        if clause == "下同" or FIRST_IS_LEAD.search(clause) or NO_DIVISION.search(clause):
            continue
        if (
            not clause.endswith(ORGANISATION_ENDINGS)
            and parse_deadline(clause).kind != DueKind.UNKNOWN
        ):
            deadline = clause
        else:
            kept.append(clause)
    return "，".join(kept), deadline


def names_a_catch_all(bracket: Bracket) -> bool:
    """Whether the bracket's lists include 各有关单位 or the like (units left unnamed)."""
    return any(
        name in CATCH_ALLS
        for key in ("lead", "responsible", "supporting")
        for name in _SEPARATORS.split(bracket.fields.get(key, ""))
    )


def unit_refs(
    bracket: Bracket,
    *,
    line: int,
    report: ParseReport,
    directory: Directory,
    first_is_lead: bool,
) -> list[UnitRef]:
    """Units of a bracket with their roles; `first_is_lead` applies 排第一的为牵头单位 to a bare list."""
    for label in bracket.glued:
        report.add(line, AnomalyCode.GLUED_FIELD_SPLIT, f"“{label}” written without a separator")
    has_lead = "lead" in bracket.fields
    refs: list[UnitRef] = []
    for key in ("lead", "responsible", "supporting"):
        names = _split_names(bracket.fields.get(key, ""), line, report, directory)
        for index, written in enumerate(names):
            if written in CATCH_ALLS:  # "and the others concerned": a flag on the list, not a unit
                report.add(line, AnomalyCode.AND_OTHERS, f"“{written}” marks the list as open")
                if refs:
                    refs[-1] = replace(refs[-1], and_others=True)
                continue
            role, source = _role(key, index, has_lead=has_lead, first_is_lead=first_is_lead)
            resolved = directory.resolve(written, line, report)
            refs.append(UnitRef(resolved.name, role, written, resolved.and_others, source))
    return _unique(refs)


def _role(key: str, index: int, *, has_lead: bool, first_is_lead: bool) -> tuple[Role, UnitSource]:
    if key == "lead":
        return Role.LEAD, UnitSource.WRITTEN
    if key == "supporting" or has_lead:
        return Role.SUPPORTING, UnitSource.WRITTEN
    if first_is_lead:
        return (Role.LEAD if index == 0 else Role.SUPPORTING), UnitSource.RULE
    return Role.RESPONSIBLE, UnitSource.WRITTEN


def _split_names(value: str, line: int, report: ParseReport, directory: Directory) -> list[str]:
    """Split a unit list; fixed groups such as 各区、县级市 are one unit despite their 、."""
    parts = [directory.unprotect(p.strip()) for p in _SEPARATORS.split(directory.protect(value))]
    inner = parts[1:-1] if len(parts) > 2 else []
    if any(not p for p in inner):
        report.add(line, AnomalyCode.EMPTY_LIST_ITEM, f"empty item in the unit list “{value}”")
    return [p for p in parts if p]


def _unique(refs: list[UnitRef]) -> list[UnitRef]:
    """A unit named twice on one item keeps its first (strongest) role."""
    first: dict[str, UnitRef] = {}
    for ref in refs:
        first.setdefault(ref.name, ref)
    return list(first.values())
