"""The task parts: outline (outline.py) → tasks, their measures, units, deadlines and evaluation targets.

The first numbered level under a task part is a task; what is numbered below it is a measure. Two
kinds of headings are slots, not items: `1.落实举措` holds the measures, `2.评估目标` the target. An item
nested deeper than a measure is a measure too, under its parent's heading (`group`) and inheriting its
units and deadline. A task with nothing below it is tracked as one measure. Every line ends in the
structure or in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from luoshi.ingest.deadlines import deadline_in_text, parse_deadline, phrases_in
from luoshi.ingest.errors import IngestError
from luoshi.ingest.messages import Message, gettext_noop
from luoshi.ingest.model import (
    AnomalyCode,
    Deadline,
    DueKind,
    Duty,
    ParsedMeasure,
    ParsedTask,
    ParseReport,
    Span,
    UnitRef,
    UnitSource,
)
from luoshi.ingest.organisations import Directory
from luoshi.ingest.outline import Node, outline
from luoshi.ingest.reader import Document, SourceLine
from luoshi.ingest.responsibility import (
    ONGOING_CLAUSES,
    Bracket,
    names_a_catch_all,
    parse_bracket,
    parse_unlabelled,
    split_names,
    split_trailing_bracket,
    unit_refs,
)
from luoshi.ingest.rules import (
    DEFAULT_UNITS,
    FIRST_IS_LEAD,
    INVOLVES,
    NO_DIVISION,
    SAME_BELOW,
    Carried,
    Standing,
)

# Headings that hold a task's measures or its target. A new wording is a new row.
SLOTS = {
    "落实举措": "measures",
    "主要举措": "measures",
    "具体举措": "measures",
    "工作措施": "measures",
    "评估目标": "target",
    "工作目标": "target",
    "预期目标": "target",
    "预期成效": "target",
}
SLOT = re.compile(rf"^(?P<name>{'|'.join(SLOTS)})[。：]?$")

# A 下同 rule's note, by the level it holds for (whole sentences, so each language words its own).
_HOLDS_BELOW = {
    "task": gettext_noop("规则“%(rule)s”：其单位适用于之后的各项任务"),
    "measure": gettext_noop("规则“%(rule)s”：其单位适用于之后的各条举措"),
    "group": gettext_noop("规则“%(rule)s”：其单位适用于之后的各组"),
}


def slot(node: Node) -> str | None:
    """`measures` or `target` for a slot heading, None for an item."""
    m = SLOT.match(node.text)
    return SLOTS[m["name"]] if m else None


_BRACKET_MARKS = re.compile("[（）〔〕【】]")


def _phrases(text: str) -> tuple[str, ...]:
    return phrases_in(text)


# A title line this long that closes with its units is an item, not a heading over items.
WHOLE_ITEM = 40
LABEL_LINE = re.compile(
    r"^(牵头责任单位|协同责任单位|牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|负责部门|"
    r"协办单位|参与单位|指导单位|指导部门|牵头领导|责任领导|完成时限|完成时间|时间节点|落实时间)："
)
# `…。责任单位：市委组织部、市科技局。` — labels written at the end of an item's own text.
INLINE_LABELS = re.compile(
    r"(?<=[。；])\s*((?:牵头单位|牵头部门|责任单位|责任部门|配合单位)：[^。]*)。?$"
)


@dataclass
class _Item:
    """What one item's words say: its text without the bracket, units, deadline, scope."""

    text: str
    units: list[UnitRef] = field(default_factory=list)
    deadline: Deadline | None = None
    scope: str = ""
    note: str = ""
    bracket: bool = False  # a responsibility bracket (or rule) was read off the text
    carried: Carried | None = None  # the 下同 in force where the item stands
    leaders: list[str] = field(default_factory=list)  # 牵头领导: persons


@dataclass(frozen=True)
class _Pending:
    """An item whose units may still come from the rules in force where it stands (see _settle)."""

    item: ParsedTask | ParsedMeasure
    carried: Carried | None
    defaults: tuple[tuple[str, str, str], ...]


@dataclass
class TaskReader:
    document: Document
    report: ParseReport
    directory: Directory
    year: int | None = None  # the document's year: 年底前, 明年 are read in it
    task_style: str | None = (
        None  # the numbering of the tasks when the reader chose it (1., （一）…)
    )
    tasks: list[ParsedTask] = field(default_factory=list)
    rules: Standing = field(default_factory=Standing)
    # part number → its lines before the first task (the part's own text)
    intro: dict[int, list[str]] = field(default_factory=dict)
    _uses_targets: bool = False
    _last_cut: str = ""  # the refusal, naming what the last task lacks, if the file ends there
    _last_measure_written: int = 0
    _pending: list[_Pending] = field(default_factory=list)
    _unit_contents: dict[str, bool] = field(default_factory=dict)

    def read(self, parts: list[tuple[int, SourceLine, list[SourceLine]]]) -> list[ParsedTask]:
        """`parts`: (number, heading line, lines below it) of each part holding tasks."""
        for number, heading, lines in parts:
            self._see(lines)
            self._standing_rule(heading.text, heading.number)
            root = outline(lines)
            if self.task_style:
                root = self._at_style(root, self.task_style)
            self.intro[number] = [ln.text for ln in root.body]
            for line in root.body:
                if self._standing_rule(line.text, line.number):
                    self._placed(line.number, line.text)
                else:  # the part's own words before its first task: kept as its text
                    self._unplaced(line.number, line.text, Message(gettext_noop("第一项任务之前")))
            self._tasks(root.children, number)
        self._check_end()
        self._settle()
        self._check_units()
        for where, kind, words in self.report.ledger.unplaced:
            self.report.add(
                where,
                AnomalyCode.NOT_PLACED,
                Message(
                    gettext_noop("%(kind)s：“%(words)s”不在任何条目上"),
                    {"kind": kind, "words": words},
                ),
            )
        return self.tasks

    def _at_style(self, root: Node, style: str) -> Node:
        """The outline with the items numbered in `style` as its tasks: the headings above them
        become the part's text (reported), the items below them their measures."""
        tasks: list[Node] = []
        above: list[SourceLine] = list(root.body)

        def walk(node: Node) -> None:
            for child in node.children:
                if child.style == style:
                    tasks.append(child)
                    continue
                above.append(SourceLine(child.first, child.marker + child.text))
                above.extend(child.body)
                walk(child)

        walk(root)
        if not tasks:
            no_item = gettext_noop("任务所在部分中没有编号为“%(style)s”的条目")
            raise IngestError(self.document.name, Message(no_item, {"style": style}))
        for line in above[len(root.body) :]:
            self.report.add(
                line.number,
                AnomalyCode.STRUCTURE,
                Message(gettext_noop("任务上方的标题：%(text)s"), {"text": line.text[:30]}),
            )
        return Node("", "", "", 0, "", root.first, sorted(above, key=lambda ln: ln.number), tasks)

    # accounting: every unit bracket and deadline phrase ends on an item or in the report

    def _see(self, lines: list[SourceLine]) -> None:
        ledger = self.report.ledger
        for line in lines:
            for content in self._unit_brackets(line.text):
                ledger.saw_bracket(line.number, content)
            for phrase in _phrases(line.text):
                ledger.saw_deadline(line.number, phrase)

    def _unit_brackets(self, text: str) -> list[str]:
        return [c for _o, _c, c in self._inner_brackets(text) if self._names_units(c)]

    def _placed(self, line: int, text: str) -> None:
        """The brackets and deadline phrases of `text` (on `line`) are an item's."""
        ledger = self.report.ledger
        for content in self._unit_brackets(text):
            ledger.placed_bracket(line, content)
        for phrase in _phrases(text):
            ledger.placed_deadline(line, phrase)

    def _unplaced(self, line: int, text: str, why: Message) -> None:
        """A line that is no item's: its brackets and deadline phrases are listed in the report."""
        ledger = self.report.ledger
        for content in self._unit_brackets(text):
            ledger.not_placed(
                line, Message(gettext_noop("单位括注（%(why)s）"), {"why": why}), content
            )
        for phrase in _phrases(text):
            ledger.not_placed(
                line, Message(gettext_noop("期限表述（%(why)s）"), {"why": why}), phrase
            )

    def _node_placed(self, node: Node) -> None:
        """A heading and everything below it kept as text (an evaluation target)."""
        self._placed(node.first, node.text)
        for line in node.body:
            self._placed(line.number, line.text)
        for child in node.children:
            self._node_placed(child)

    def _node_unplaced(self, node: Node, why: Message) -> None:
        self._unplaced(node.first, node.text, why)
        for line in node.body:
            self._unplaced(line.number, line.text, why)
        for child in node.children:
            self._node_unplaced(child, why)

    # tasks

    def _tasks(self, nodes: list[Node], section: int) -> None:
        seen: dict[int, int] = {}
        for index, node in enumerate(nodes):
            if node.number in seen and self.task_style:
                seen.clear()  # tasks gathered from under several headings number again under each
            if node.number in seen:
                raise IngestError(
                    self.document.name,
                    Message(
                        gettext_noop("任务编号 %(number)s 重复，首次出现于%(first)s"),
                        {"number": node.marker, "first": self.document.where(seen[node.number])},
                    ),
                    self.document.where(node.first),
                )
            seen[node.number] = node.first
            sibling = nodes[index - 1] if index else None
            task = self._task(node, section, self._task_number(node, sibling))
            if index + 1 < len(nodes):  # a task runs to the line before the next one
                task.span = Span(task.span.first, nodes[index + 1].first - 1)
            self.tasks.append(task)

    def _task_number(self, node: Node, sibling: Node | None) -> int:
        """The written number when it runs on through the plan, else the next one (and a report)."""
        last = self.tasks[-1].number if self.tasks else 0
        if sibling is None and node.number == 1 and last:
            self.report.add(
                node.first,
                AnomalyCode.NUMBERING_RESTARTS,
                Message(
                    gettext_noop("任务 %(marker)s 在本部分重新编号：在方案中编为 %(number)s"),
                    {"marker": node.marker, "number": last + 1},
                ),
            )
        elif node.number != (sibling.number if sibling else last) + 1:
            self.report.add(
                node.first,
                AnomalyCode.NUMBER_GAP,
                Message(
                    gettext_noop("任务 %(marker)s 接在任务 %(after)s 之后"),
                    {"marker": node.marker, "after": sibling.number if sibling else last},
                ),
            )
        return node.number if node.number > last else last + 1

    def _task(self, node: Node, section: int, number: int) -> ParsedTask:
        for level in ("measure", "group"):  # a 下同 written on a measure holds within its task only
            self.rules.carried.pop(level, None)
        segments = self._segments(node.text, node.first)
        if len(segments) > 1 or (
            node.body and not node.children and self._is_paragraph(node.text, node.first)
        ):
            return self._paragraph_task(node, section, number, segments)
        head = self._item(node.text, node.first, "task")
        task = ParsedTask(
            number,
            node.numeral,
            head.text,
            head.deadline,
            head.units,
            [],
            "",
            Span(node.first, node.last),
            section,
            head.note,
        )
        if head.units or (head.bracket and head.deadline):
            self.report.add(
                node.first,
                AnomalyCode.HEADER_ON_TITLE_LINE,
                Message(gettext_noop("责任单位和期限写在标题行")),
            )
        # Under 落实举措 the plan keeps its measures: an unnumbered line before it is not one.
        slotted = any(slot(c) == "measures" for c in node.children)
        # a whole item on the title line (`三十、对…，…（X负责）`): prose below it is not an item
        whole = (
            bool(head.units)
            and not node.children
            and (len(head.text) >= WHOLE_ITEM or "，" in head.text)
        )
        self._task_body(
            task, node, has_header=bool(head.units or head.note), slotted=slotted, whole=whole
        )
        target = self._task_children(task, node)
        task.evaluation_target = "\n".join(target)
        if target or (node.children and not slotted):
            self._last_cut = ""
        else:  # stopped inside 落实举措, or right after its title
            self._last_cut = (
                gettext_noop(
                    "文件在任务（%(numeral)s）中间结束，该任务没有评估目标：文件似乎不完整"
                )
                if slotted
                else gettext_noop(
                    "文件在任务（%(numeral)s）中间结束，该任务没有落实举措：文件似乎不完整"
                )
            )
        self._pend(task, head)
        if not task.measures:
            self._task_as_measure(task, node, head)
        return task

    def _paragraph_task(
        self, node: Node, section: int, number: int, segments: list[str]
    ) -> ParsedTask:
        """A numbered paragraph whose sentences carry their own units (`…（A负责）…（B负责）`), or
        whose lines below are items too: its title is its first sentence, each part an item."""
        title = node.text.split("。", 1)[0] + "。"
        task = ParsedTask(
            number, node.numeral, title, None, [], [], "", Span(node.first, node.last), section
        )
        self.report.add(
            node.first,
            AnomalyCode.NESTED_ITEM,
            Message(
                gettext_noop("任务 %(marker)s 是含 %(count)s 项的段落：每项为一条举措"),
                {"marker": node.marker, "count": len(segments)},
            ),
        )
        for segment in segments:
            self._measure_one(task, segment, node.first, None)
        for line in node.body:
            self._loose_line(task, line, node.marker, measures_here=self._has_units(line.text))
        self._last_cut = ""
        self._pend(task, _Item(title))
        return task

    def _segments(self, text: str, line: int) -> list[str]:
        """A paragraph cut after each unit bracket that more text follows: one item each."""
        out, start = [], 0
        for opened, close, content in self._inner_brackets(text):
            rest = text[close + 1 :].strip()
            # a sentence's own bracket follows its full stop: `…环境。（X负责）加强…`
            if len(rest) < 6 or not opened or text[opened - 1] not in "。；！":
                continue
            if self._names_units(content):
                out.append(text[start : close + 1].strip())
                start = close + 1
        out.append(text[start:].strip())
        return [seg for seg in out if seg]

    @staticmethod
    def _inner_brackets(text: str) -> list[tuple[int, int, str]]:
        """(index of the opening and of the closing mark, content) of each top-level bracket."""
        found, depth, opened = [], 0, 0
        for m in _BRACKET_MARKS.finditer(text):
            index = m.start()
            if m[0] in "（〔【":
                depth += 1
                opened = index if depth == 1 else opened
            elif depth:
                depth -= 1
                if depth == 0:
                    found.append((opened, index, text[opened + 1 : index]))
        return found

    def _names_units(self, content: str) -> bool:
        """Whether a bracket assigns units (or states a rule about them). Asked of every bracket
        several times: remembered."""
        known = self._unit_contents.get(content)
        if known is None:
            rule = FIRST_IS_LEAD.search(content) or DEFAULT_UNITS.search(content)
            known = bool(
                rule
                or parse_bracket(content)
                or parse_unlabelled(content, self.directory) is not None
            )
            self._unit_contents[content] = known
        return known

    def _has_units(self, text: str) -> bool:
        """Whether a line closes a unit bracket: below a paragraph of items, a line that does not is
        prose (a closing paragraph), reported rather than taken as an item."""
        _, content = split_trailing_bracket(text)
        return content is not None and self._names_units(content)

    def _is_paragraph(self, text: str, line: int) -> bool:
        """`标题。正文…（X负责）`: a title followed by sentences, closed by a unit bracket."""
        body, content = split_trailing_bracket(text)
        if content is None or not self._names_units(content):
            return False
        return len(body.partition("。")[2].strip()) >= 8

    def _task_body(
        self, task: ParsedTask, node: Node, *, has_header: bool, slotted: bool, whole: bool
    ) -> None:
        """Lines between the title and the first heading: header, labels, rules, unnumbered items."""
        for line in node.body:
            if whole and not LABEL_LINE.match(line.text) and not self._has_units(line.text):
                self._loose_line(task, line, node.marker, measures_here=False)
                continue
            if not has_header and not task.measures and self._header(task, line):
                has_header = True
            elif not task.measures and LABEL_LINE.match(line.text):
                self._placed(line.number, line.text)
                task.units = self._with_labels(task.units, line)
                task.deadline, task.leaders = self._label_extras(line, task.deadline, task.leaders)
                has_header = True
            else:
                self._loose_line(task, line, node.marker, measures_here=not slotted)

    def _task_children(self, task: ParsedTask, node: Node) -> list[str]:
        """Measures from the headings below the task (through a 落实举措 slot or not); the target's lines."""
        target: list[str] = []
        previous: Node | None = None  # the measure before, to check numbering against
        for child in node.children:
            kind = slot(child)
            if target or kind == "target":  # after 评估目标, everything belongs to the target
                self._uses_targets = True
                self._node_placed(child)
                below = child.lines()[1:]
                target += below if kind else [child.marker + child.text, *below]
                continue
            for line in child.body if kind else []:
                self._loose_line(task, line, node.marker)
            for item in child.children if kind else [child]:
                self._check_measure_number(item, previous)
                self._measure_node(task, item)
                previous = item
        return target

    def _header(self, task: ParsedTask, line: SourceLine) -> bool:
        """A line that is only a bracket: the task's units and deadline. True when it was one."""
        before, content = split_trailing_bracket(line.text)
        if before or content is None:
            return False
        item = self._item(line.text, line.number, "task")
        if not item.bracket:
            return False
        named = {u.name for u in task.units}
        task.units += [u for u in item.units if u.name not in named]
        task.units_note = task.units_note or item.note
        task.deadline = item.deadline or task.deadline
        return True

    def _task_as_measure(self, task: ParsedTask, node: Node, head: _Item) -> None:
        """A task with no measure below it is tracked as its own single measure."""
        self.report.add(
            node.first,
            AnomalyCode.TASK_AS_MEASURE,
            Message(
                gettext_noop("任务 %(marker)s 没有举措：作为其唯一举措跟踪"),
                {"marker": node.marker},
            ),
        )
        measure = ParsedMeasure(
            1,
            None,
            task.title,
            list(task.units),
            Span(node.first, node.last),
            deadline=task.deadline,
            units_note=task.units_note,
            leaders=list(task.leaders),
        )
        task.measures.append(measure)
        self._pend(measure, head)

    # measures

    def _measure_node(self, task: ParsedTask, node: Node, prefix: str = "") -> None:
        items = [child for child in node.children if not slot(child)]
        if items:
            self._group(task, node, items, prefix + node.marker)
            return
        written = prefix + node.marker if prefix else node.numeral
        measure = self._measure(task, node.text, node.first, written)
        measure.span = Span(node.first, node.last)
        for line in node.body:
            self._loose_line(task, line, node.marker)
        for child in node.children:  # 落实举措 / 评估目标 inside a measure: not this plan's layout
            self._node_unplaced(
                child, Message(gettext_noop("在举措 %(marker)s 内"), {"marker": node.marker})
            )
            self.report.add(
                child.first,
                AnomalyCode.UNPARSED_LINE,
                Message(
                    gettext_noop("“%(text)s”在举措 %(marker)s 内：%(count)s 行"),
                    {
                        "text": child.marker + child.text,
                        "marker": node.marker,
                        "count": len(child.lines()),
                    },
                ),
            )

    def _group(self, task: ParsedTask, node: Node, items: list[Node], prefix: str) -> None:
        """An item with items below it: each of those is a measure, under this heading."""
        head = self._item(node.text, node.first, "group")
        heading = node.marker + head.text
        self.report.add(
            node.first,
            AnomalyCode.NESTED_ITEM,
            Message(
                gettext_noop("“%(heading)s”下有 %(count)s 项：每项为任务 %(task)s 的一条举措"),
                {"heading": heading[:20], "count": len(items), "task": task.number},
            ),
        )
        for line in node.body:
            self._loose_line(task, line, node.marker)
        for child in items:
            before = len(task.measures)
            self._measure_node(task, child, prefix)
            for measure in task.measures[before:]:
                measure.group = measure.group or heading
                if not measure.units and head.units:
                    measure.units = [replace(u, source=UnitSource.INHERITED) for u in head.units]
                    measure.units_note = f"随上级事项{node.marker}（第{node.first}行）"
                measure.deadline = measure.deadline or head.deadline

    def _loose_line(
        self, task: ParsedTask, line: SourceLine, marker: str, *, measures_here: bool = True
    ) -> None:
        """An unnumbered line: labels of the item above, a standing rule, or an item of its own."""
        if LABEL_LINE.match(line.text) and task.measures:
            self._placed(line.number, line.text)
            measure = task.measures[-1]
            measure.units = self._with_labels(measure.units, line)
            measure.deadline, measure.leaders = self._label_extras(
                line, measure.deadline, measure.leaders
            )
            measure.span = Span(measure.span.first, max(measure.span.last, line.number))
        elif self._standing_rule(line.text, line.number) or (
            task.measures and self._bracket_line(task, line)
        ):
            return
        elif measures_here:
            self._loose_measure(task, line)
        else:
            self._unplaced(
                line.number,
                line.text,
                Message(gettext_noop("在任务 %(marker)s 内"), {"marker": marker}),
            )
            self.report.add(
                line.number,
                AnomalyCode.UNPARSED_LINE,
                Message(
                    gettext_noop("在任务 %(marker)s 内：%(text)s"),
                    {"marker": marker, "text": line.text},
                ),
            )

    def _bracket_line(self, task: ParsedTask, line: SourceLine) -> bool:
        """`（责任单位：…）` alone on a line after items: it assigns the items above that name none."""
        before, content = split_trailing_bracket(line.text)
        if before or content is None or not self._names_units(content):
            return False
        item = self._item(line.text, line.number, "measure")
        unassigned = []
        for measure in reversed(task.measures):
            if measure.units:
                break
            unassigned.append(measure)
        if not unassigned:
            return False
        for measure in unassigned:
            measure.units = list(item.units)
            measure.deadline = measure.deadline or item.deadline
            measure.units_note = measure.units_note or item.note
            measure.span = Span(measure.span.first, max(measure.span.last, line.number))
        self.report.add(
            line.number,
            AnomalyCode.RULE_APPLIED,
            Message(
                gettext_noop("“%(text)s”单独成行：为上方 %(count)s 项的单位"),
                {"text": line.text, "count": len(unassigned)},
            ),
        )
        return True

    def _loose_measure(self, task: ParsedTask, line: SourceLine) -> None:
        number = len(task.measures) + 1
        self.report.add(
            line.number,
            AnomalyCode.MISSING_NUMBER,
            Message(
                gettext_noop("任务（%(numeral)s）：未编号的条目，作为举措 %(number)s"),
                {"numeral": task.numeral, "number": number},
            ),
        )
        self._measure(task, line.text, line.number, None)

    def _check_measure_number(self, node: Node, sibling: Node | None) -> None:
        """Numbered on from the measure before, or from 1 — or on from the last task's (running)."""
        expected = {sibling.number + 1} if sibling else {1, self._last_measure_written + 1}
        if node.number not in expected:
            after = sibling.marker if sibling else "the start of the task"
            self.report.add(
                node.first,
                AnomalyCode.NUMBER_GAP,
                Message(
                    gettext_noop("举措 %(marker)s 接在 %(after)s 之后"),
                    {"marker": node.marker, "after": after},
                ),
            )
        self._last_measure_written = node.number

    def _measure(
        self, task: ParsedTask, text: str, line: int, written: str | None
    ) -> ParsedMeasure:
        """An item; when its sentences close their own unit brackets, one measure each."""
        first, *more = self._segments(text, line) or [text]
        measure = self._measure_one(task, first, line, written)
        for segment in more:
            self._measure_one(task, segment, line, None)
        return measure

    def _measure_one(
        self, task: ParsedTask, text: str, line: int, written: str | None
    ) -> ParsedMeasure:
        item = self._item(text, line, "measure")
        previous = task.measures[-1].number if task.measures else 0
        number = (
            int(written)
            if written and written.isdigit() and int(written) > previous
            else previous + 1
        )
        measure = ParsedMeasure(
            number,
            written,
            item.text,
            item.units,
            Span(line, line),
            item.scope,
            item.deadline,
            units_note=item.note,
            leaders=item.leaders,
        )
        task.measures.append(measure)
        self._pend(measure, item)
        return measure

    # standing rules

    def _pend(self, item: ParsedTask | ParsedMeasure, words: _Item) -> None:
        self._pending.append(_Pending(item, words.carried, tuple(self.rules.defaults)))

    def _settle(self) -> None:
        """Units from the rules in force where each item stands, once its own lines are all read."""
        for pending in self._pending:
            item = pending.item
            if not item.units and not item.units_note and pending.carried is not None:
                item.units = [
                    replace(u, source=UnitSource.INHERITED) for u in pending.carried.units
                ]
                item.units_note = pending.carried.note
            for name, written, note in pending.defaults:
                if all(u.name != name for u in item.units):
                    lead = any(u.role == Duty.LEAD for u in item.units)
                    role = Duty.SUPPORTING if lead else Duty.RESPONSIBLE
                    item.units.append(UnitRef(name, role, written, source=UnitSource.INHERITED))
                    item.units_note = "；".join(filter(None, (item.units_note, note)))

    def _check_units(self) -> None:
        """Report items left without units or without a lead, once the rules have been applied."""
        measures = [m for t in self.tasks for m in t.measures]
        if (
            self.tasks
            and not any(t.units for t in self.tasks)
            and not any(m.units for m in measures)
        ):
            self.report.add(
                None,
                AnomalyCode.NO_UNITS_IN_DOCUMENT,
                Message(
                    gettext_noop("文件未写明责任单位：%(count)s 项任务导入时没有单位"),
                    {"count": len(self.tasks)},
                ),
            )
        leads_anywhere = any(u.role == Duty.LEAD for m in measures for u in m.units)
        unled = 0
        for task in self.tasks:
            for m in task.measures:
                code = f"{task.number}.{m.number}"
                if not m.text:
                    self.report.add(
                        m.span.first,
                        AnomalyCode.EMPTY_ITEM,
                        Message(gettext_noop("举措 %(code)s 没有内容"), {"code": code}),
                    )
                if not m.units and not m.units_note:
                    self.report.add(
                        m.span.first,
                        AnomalyCode.NO_RESPONSIBILITY,
                        Message(gettext_noop("举措 %(code)s 未写明单位"), {"code": code}),
                    )
                elif m.units and not any(u.role == Duty.LEAD for u in m.units):
                    unled += 1
                    if leads_anywhere:  # else it is the plan's way of writing, told once below
                        self.report.add(
                            m.span.first,
                            AnomalyCode.NO_LEAD,
                            Message(gettext_noop("举措 %(code)s 没有牵头单位"), {"code": code}),
                        )
            if not task.units and not task.units_note and not any(m.units for m in task.measures):
                self.report.add(
                    task.span.first,
                    AnomalyCode.NO_RESPONSIBILITY,
                    Message(
                        gettext_noop("任务（%(numeral)s）没有责任单位行"), {"numeral": task.numeral}
                    ),
                )
        if unled and not leads_anywhere:
            self.report.add(
                None,
                AnomalyCode.NO_LEAD,
                Message(
                    gettext_noop("方案未标明牵头单位：%(count)s 条举措只写了责任单位"),
                    {"count": unled},
                ),
            )

    # one item's words

    def _item(self, text: str, line: int, level: str) -> _Item:
        """Text, units and deadline of an item, with the standing rules applied."""
        self._placed(line, text)
        body, content = split_trailing_bracket(text)
        if content is None and (m := INLINE_LABELS.search(text)):
            body, content = text[: m.start()].rstrip(), m[1]
        item = _Item(text)
        bracket = None
        if content is not None:
            bracket = self._bracket(content, line, level, item)
            if bracket is not None or item.bracket:
                item.text, item.bracket = body, True
        if bracket is not None:
            item.units = self._units(bracket, line)
            item.scope = bracket.fields.get("scope", "")
            item.leaders = [n for n in re.split("[、，；]", bracket.fields.get("leader", "")) if n]
            if "deadline" in bracket.fields:
                item.deadline = self._deadline(bracket.fields["deadline"], line)
            if not item.units and names_a_catch_all(bracket):
                item.note = f"仅写“{bracket.fields.get('responsible') or bracket.fields.get('lead', '')}”，未列明单位"
        if bracket is None and not item.bracket and content is not None:
            self._time_bracket(item, body, content, line)
        if bracket is None and not item.note:
            item.carried = self.rules.carried.get(level)
        if item.deadline is None:
            item.deadline = self._prose_deadline(item.text, line)
        return item

    def _time_bracket(self, item: _Item, body: str, content: str, line: int) -> None:
        """`（长期坚持）`, `（2022年底前）`: a bracket that is only the item's time limit."""
        if len(content) <= 16 and (
            content in ONGOING_CLAUSES or parse_deadline(content, 2000).kind != DueKind.UNKNOWN
        ):
            item.text, item.deadline = body, self._deadline(content, line)

    def _bracket(self, content: str, line: int, level: str, item: _Item) -> Bracket | None:
        """Read a trailing bracket: rules it states take effect, the units it lists are returned."""
        if FIRST_IS_LEAD.search(content):
            self.rules.first_is_lead = True
            self.report.add(
                line,
                AnomalyCode.RULE_APPLIED,
                Message(gettext_noop("规则“%(rule)s”：列在首位的单位牵头"), {"rule": content}),
            )
            item.bracket = True
        content = self._rules_inside(content, line)
        if not content.strip("，；。 "):
            item.bracket = True
            return None
        if NO_DIVISION.search(content):
            item.bracket, item.note = True, f"不再分工（第{line}行：{content}）"
            if SAME_BELOW.search(content):
                self.rules.carried[level] = Carried([], item.note)
            self.report.add(
                line,
                AnomalyCode.RULE_APPLIED,
                Message(gettext_noop("规则“%(rule)s”：按设计不设单位"), {"rule": content}),
            )
            return None
        bracket = parse_bracket(content) or parse_unlabelled(content, self.directory)
        if bracket is None and (named := self.directory.mentioned(content)):
            self.report.add(
                line,
                AnomalyCode.UNSURE_BRACKET,
                Message(
                    gettext_noop("“（%(content)s）”提到%(names)s，但不是单位列表：保留在正文中"),
                    {"content": content, "names": "、".join(named)},
                ),
            )
        if bracket is not None and SAME_BELOW.search(content) and not FIRST_IS_LEAD.search(content):
            units = self._units(bracket, line, quiet=True)
            self.rules.carried[level] = Carried(units, f"下同（第{line}行）")
            self.report.add(
                line,
                AnomalyCode.RULE_APPLIED,
                Message(_HOLDS_BELOW[level], {"rule": content}),
            )
        return bracket

    def _rules_inside(self, content: str, line: int) -> str:
        """A bracket's sentences that state standing rules take effect; the rest is returned."""
        for pattern in (DEFAULT_UNITS, INVOLVES):
            while m := pattern.search(content):
                self._default_units(m, line)
                content = (content[: m.start()] + content[m.end() :]).strip("，；。 ")
        return content

    def _standing_rule(self, text: str, line: int) -> bool:
        """`以下均需X落实，不再列出`: X joins every later item. True when the text is such a rule (a
        rule inside an item's bracket is read with the bracket)."""
        m = DEFAULT_UNITS.search(text) or INVOLVES.search(text)
        if m is None or len((text[: m.start()] + text[m.end() :]).strip("（）〔〕，；。 ")) > 3:
            return False
        self._default_units(m, line)
        return True

    def _default_units(self, m: re.Match[str], line: int) -> None:
        for written in split_names(m["units"], self.directory):
            name = self.directory.resolve(written, line, self.report).name
            self.rules.defaults.append((name, written, f"以下均需{m['units']}落实（第{line}行）"))
        self.report.add(
            line,
            AnomalyCode.RULE_APPLIED,
            Message(
                gettext_noop("规则“%(rule)s”：%(units)s加入之后的每一项"),
                {"rule": m[0], "units": m["units"]},
            ),
        )

    def _with_labels(self, units: list[UnitRef], line: SourceLine) -> list[UnitRef]:
        """`牵头单位：X` / `责任单位：Y` on their own line: they belong to the item above."""
        bracket = parse_bracket(line.text)
        assert bracket is not None  # LABEL_LINE matched
        named = {u.name for u in units}
        has_lead = any(u.role == Duty.LEAD for u in units)
        added = [u for u in self._units(bracket, line.number) if u.name not in named]
        # 责任单位 under a 牵头单位 line supports it, as in one bracket
        return units + [
            replace(u, role=Duty.SUPPORTING) if has_lead and u.role == Duty.RESPONSIBLE else u
            for u in added
        ]

    def _label_extras(
        self, line: SourceLine, deadline: Deadline | None, leaders: list[str]
    ) -> tuple[Deadline | None, list[str]]:
        """`完成时限：…` / `牵头领导：…` on their own line: the item's deadline and persons."""
        bracket = parse_bracket(line.text)
        if bracket is None:
            return deadline, leaders
        if "deadline" in bracket.fields:
            deadline = self._deadline(bracket.fields["deadline"], line.number)
        named = [n for n in re.split("[、，；]", bracket.fields.get("leader", "")) if n]
        return deadline, [*leaders, *named]

    def _units(self, bracket: Bracket, line: int, *, quiet: bool = False) -> list[UnitRef]:
        return unit_refs(
            bracket,
            line=line,
            report=ParseReport() if quiet else self.report,
            directory=self.directory,
            first_is_lead=self.rules.first_is_lead,
        )

    def _deadline(self, words: str, line: int) -> Deadline:
        deadline = parse_deadline(words, self.year)
        if deadline.kind == DueKind.UNKNOWN:
            self.report.add(
                line,
                AnomalyCode.UNDATED_DEADLINE,
                Message(gettext_noop("期限“%(words)s”中没有日期"), {"words": words}),
            )
        return deadline

    def _prose_deadline(self, text: str, line: int) -> Deadline | None:
        deadline, phrases = deadline_in_text(text, self.year)
        if len(phrases) > 1 and deadline is not None:
            self.report.add(
                line,
                AnomalyCode.SEVERAL_DEADLINES,
                Message(
                    gettext_noop("正文中有多个期限（%(phrases)s）：期限取 %(due)s"),
                    {"phrases": "、".join(phrases), "due": deadline.due_date or deadline.kind},
                ),
            )
        return deadline

    def _check_end(self) -> None:
        """A plan written with 评估目标 whose last task stops inside 落实举措 or at its title was cut short."""
        if not self.tasks or not self._uses_targets:
            return
        task = self.tasks[-1]
        if cut := self._last_cut:
            raise IngestError(
                self.document.name,
                Message(cut, {"numeral": task.numeral}),
                self.document.where(task.span.first),
            )
        for other in self.tasks:
            if not other.evaluation_target:
                self.report.add(
                    other.span.first,
                    AnomalyCode.NO_EVALUATION_TARGET,
                    Message(
                        gettext_noop("任务（%(numeral)s）没有评估目标"), {"numeral": other.numeral}
                    ),
                )
