"""Responsibility brackets: `（牵头单位：X 责任单位：Y、Z 落实时间：…）` → labelled fields → unit refs.

Labels and rules are tables, so a new notation is a new row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from luoshi.ingest.deadlines import parse_deadline
from luoshi.ingest.messages import Message, gettext_noop
from luoshi.ingest.model import AnomalyCode, DueKind, Duty, ParseReport, UnitRef, UnitSource
from luoshi.ingest.organisations import Directory, without_others
from luoshi.ingest.rules import FIRST_IS_LEAD, NO_DIVISION, SAME_BELOW

# label → field. "units" fields name organisations; "deadline" is the deadline phrase.
LABELS: dict[str, str] = {
    "牵头责任单位": "lead",  # longer labels first: 牵头责任单位 is not 责任单位
    "协同责任单位": "supporting",
    "主责单位": "lead",
    "协同单位": "supporting",
    "时间节点": "deadline",
    "完成期限": "deadline",
    "牵头单位": "lead",
    "牵头部门": "lead",
    "责任单位": "responsible",
    "责任部门": "responsible",
    "负责部门": "responsible",
    "负责单位": "responsible",
    "配合单位": "supporting",
    "指导单位": "guiding",
    "指导部门": "guiding",
    "牵头领导": "leader",
    "责任领导": "leader",
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
# Unlabelled brackets: clauses that end in a verb naming the role of the units before it
# (`X牵头，Y、Z参与`, `X、Y按职责分工负责`, `X指导，Y负责落实`). Longest ending first; a clause with no
# verb takes the role of the next one that has one (`A，B、C按职责分工负责`). A new wording is a row.
VERB_ENDINGS: list[tuple[str, str]] = [
    ("牵头负责", "lead"),
    ("牵头落实", "lead"),
    ("牵头", "lead"),
    ("指导", "guiding"),
    ("参与", "supporting"),
    ("配合", "supporting"),
    ("协助", "supporting"),
    ("参加", "supporting"),
    ("按职责分工负责", "responsible"),
    ("按职责分工落实", "responsible"),
    ("按职责负责", "responsible"),
    ("分别负责", "responsible"),
    ("负责落实", "responsible"),
    ("结合实际落实", "responsible"),
    ("负责", "responsible"),
    ("落实", "responsible"),
]
UNIT_KEYS = ("lead", "responsible", "supporting", "guiding")
# `A、B会同C负责`: A leads (the first of a list), C supports.
TOGETHER_WITH = "会同"
CATCH_ALLS = frozenset(
    {
        "各有关单位",
        "各相关单位",
        "有关单位",
        "相关单位",
        "各有关部门",
        "各相关部门",
        "有关部门",
        "相关部门",
        "各有关部门和单位",
        "有关部门和单位",
        "各相关部门和单位",
        "各项目牵头单位",
        "其他有关单位",
    }
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
    "部门",
    "管委会",
    "办公室",
    "中心",
    "街道",
    "专班",
    "实验室",
    "分行",
    "联",
    "中央",
    "组委",
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
        value = _without_verb(content[match.end() : end].strip(" ，；。"))
        key = LABELS[match[1]]
        bracket.fields[key] = f"{bracket.fields[key]}、{value}" if key in bracket.fields else value
        if match.start() > 0 and content[match.start() - 1] not in _GLUE_OK:
            bracket.glued.append(match[1])
    return bracket


def parse_unlabelled(content: str, directory: Directory) -> Bracket | None:
    """`X牵头，Y参与` / `X、Y按职责分工负责` / `A、B，C` — a bracket with no label, when its names are
    organisations. Clauses stating a rule (`下同`, `排在第一位…`) or a deadline (`2021年底前`,
    `持续推进`) are set apart. None when the bracket is not a unit list (`（PPP）`, `（试行）`)."""
    fields: dict[str, list[str]] = {}
    deadline: list[str] = []
    pending: list[str] = []  # clauses before the verb that gives them their role
    verbs = False
    for clause in _clauses(content):
        if clause == "下同" or FIRST_IS_LEAD.search(clause) or NO_DIVISION.search(clause):
            continue
        if not clause.endswith(ORGANISATION_ENDINGS) and _is_deadline(clause):
            deadline.append(clause)
            continue
        names, key = _verb(clause)
        if key is None:
            pending.append(clause)
            continue
        verbs = True
        for before in pending:
            fields.setdefault(key, []).append(before)
        pending = []
        for k, value in _together(names, key):
            fields.setdefault(k, []).append(value)
    if pending:
        fields.setdefault("responsible", []).extend(pending)
    values = {k: "、".join(v) for k, v in fields.items() if any(v)}
    if not values or not _organisations(values, directory, strict=not verbs):
        return None
    return Bracket(fields=values | ({"deadline": "，".join(deadline)} if deadline else {}))


def _clauses(content: str) -> list[str]:
    """Clauses split at ，；。 outside nested brackets (`相关市（州）人民政府` stays whole)."""
    out, depth, current = [], 0, ""
    for char in content:
        depth += 1 if char in "（〔【" else -1 if char in "）〕】" else 0
        if char in "，；。" and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += char
    out.append(current.strip())
    return [c for c in out if c]


def _without_verb(value: str) -> str:
    """`A、B按职责分工负责` under a label: the label gives the role, the verb is dropped."""
    names, key = _verb(value)
    return names if key else value


def _verb(clause: str) -> tuple[str, str | None]:
    for ending, key in VERB_ENDINGS:
        if clause.endswith(ending) and len(clause) > len(ending):
            return clause[: -len(ending)].strip(), key
    return clause, None


def _together(names: str, key: str) -> list[tuple[str, str]]:
    """`A、B会同有关部门` (负责): A leads, B and the others support."""
    if TOGETHER_WITH not in names or key != "responsible":
        return [(key, names)]
    first, _, others = names.partition(TOGETHER_WITH)
    head, _, rest = first.partition("、")
    return [("lead", head), ("supporting", "、".join(filter(None, (rest, others))))]


def _is_deadline(clause: str) -> bool:
    """A time clause, with or without its year (`年内完成`, `6月底前`: read in the document's year)."""
    return parse_deadline(clause, 2000).kind != DueKind.UNKNOWN or clause in ONGOING_CLAUSES


ONGOING_CLAUSES = frozenset({"长期坚持", "持续推进", "长期推进", "持续开展", "逐步推进", "年内"})


def _organisations(fields: dict[str, str], directory: Directory, *, strict: bool) -> bool:
    """Whether every name is an organisation. A verb (`X负责`) vouches for short names; a bare list
    needs names the directory knows or that end like an organisation's."""
    names = [
        n
        for value in fields.values()
        for n in _SEPARATORS.split(directory.protect(_joined(value)))
        if n
    ]
    if not names:
        return False
    for name in names:
        name = without_others(directory.unprotect(name))
        if name in CATCH_ALLS or directory.knows(name) or name.endswith(ORGANISATION_ENDINGS):
            continue
        if strict or len(name) > 24 or any(c in name for c in "《》“”：:"):
            return False
    return True


def _joined(value: str) -> str:
    """`A、B等和各有关省级人民政府`: the list goes on after 等和."""
    return value.replace("等和", "等、")


def names_a_catch_all(bracket: Bracket) -> bool:
    """Whether the bracket's lists include 各有关单位 or the like (units left unnamed)."""
    return any(
        name in CATCH_ALLS
        for key in ("lead", "responsible", "supporting", "guiding")
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
        report.add(
            line,
            AnomalyCode.GLUED_FIELD_SPLIT,
            Message(gettext_noop("“%(label)s”后没有分隔符"), {"label": label}),
        )
    has_lead = "lead" in bracket.fields
    refs: list[UnitRef] = []
    for key in [k for k in bracket.fields if k in UNIT_KEYS]:  # in the order written
        names = _split_names(bracket.fields.get(key, ""), line, report, directory)
        for index, written in enumerate(names):
            if written in CATCH_ALLS:  # "and the others concerned": a flag on the list, not a unit
                report.add(
                    line,
                    AnomalyCode.AND_OTHERS,
                    Message(gettext_noop("“%(written)s”表示列表未列全"), {"written": written}),
                )
                if refs:
                    refs[-1] = replace(refs[-1], and_others=True)
                continue
            role, source = _role(key, index, has_lead=has_lead, first_is_lead=first_is_lead)
            resolved = directory.resolve(written, line, report)
            refs.append(UnitRef(resolved.name, role, written, resolved.and_others, source))
    return _unique(refs)


def _role(key: str, index: int, *, has_lead: bool, first_is_lead: bool) -> tuple[Duty, UnitSource]:
    if key == "lead":
        return Duty.LEAD, UnitSource.WRITTEN
    if key == "guiding":
        return Duty.GUIDING, UnitSource.WRITTEN
    if key == "supporting" or has_lead:
        return Duty.SUPPORTING, UnitSource.WRITTEN
    if first_is_lead:
        return (Duty.LEAD if index == 0 else Duty.SUPPORTING), UnitSource.RULE
    return Duty.RESPONSIBLE, UnitSource.WRITTEN


def split_names(value: str, directory: Directory) -> list[str]:
    """The names of a unit list, fixed groups and collectives kept whole."""
    return [
        p
        for p in (
            directory.unprotect(p.strip())
            for p in _SEPARATORS.split(directory.protect(_joined(value)))
        )
        if p
    ]


def _split_names(value: str, line: int, report: ParseReport, directory: Directory) -> list[str]:
    """Split a unit list; fixed groups such as 各区、县级市 are one unit despite their 、."""
    parts = [
        directory.unprotect(p.strip()) for p in _SEPARATORS.split(directory.protect(_joined(value)))
    ]
    inner = parts[1:-1] if len(parts) > 2 else []
    if any(not p for p in inner):
        report.add(
            line,
            AnomalyCode.EMPTY_LIST_ITEM,
            Message(gettext_noop("单位列表“%(value)s”中有空项"), {"value": value}),
        )
    return [p for p in parts if p]


def _unique(refs: list[UnitRef]) -> list[UnitRef]:
    """A unit named twice on one item keeps its first (strongest) role."""
    first: dict[str, UnitRef] = {}
    for ref in refs:
        first.setdefault(ref.name, ref)
    return list(first.values())
