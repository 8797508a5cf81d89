"""A part's lines → a tree of numbered headings, whatever the numbering styles and depth.

Official documents nest `（一）` › `1.` › `（1）`, but a plan may start at any of them, skip one, or write
a heading's number alone on its line. The tree follows the styles in the order they appear: a style
already open closes back to its level (a sibling), a new style opens a level below (a child).
Unnumbered lines are the body of the innermost open heading. Only syntax here; meaning is in tasks.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from luoshi.ingest.numerals import NUMERAL_CHARS, chinese_to_int
from luoshi.ingest.reader import SourceLine


@dataclass(frozen=True)
class Style:
    name: str
    pattern: re.Pattern[str]
    to_int: Callable[[str], int]


# Part headings are split off by parser.py; these are the styles inside a part (一、 too, for plans whose
# parts are 第一部分…). A new style is a row.
STYLES = (
    Style("一、", re.compile(rf"^(?P<n>[{NUMERAL_CHARS}]+)、(?P<rest>.*)$"), chinese_to_int),
    Style("（一）", re.compile(rf"^（(?P<n>[{NUMERAL_CHARS}]+)）(?P<rest>.*)$"), chinese_to_int),
    Style("（1）", re.compile(r"^（(?P<n>\d{1,3})）(?P<rest>.*)$"), int),
    # 1.5倍 is a number, not an item; 1.2021年底前… is item 1
    Style("1.", re.compile(r"^(?P<n>\d{1,3})(?:\.(?!\d{1,3}(?:\D|$))|、)(?P<rest>.*)$"), int),
)


@dataclass
class Node:
    style: str  # "" for the part itself
    numeral: str  # as written: 二十三, 6
    marker: str  # the number with its brackets or stop: （二十三）, 6.
    number: int
    text: str  # what follows the number
    first: int  # line of the number
    body: list[SourceLine] = field(default_factory=list)  # unnumbered lines before the first child
    children: list[Node] = field(default_factory=list)
    text_line: int | None = None  # where the text stands when the number has a line of its own

    @property
    def last(self) -> int:
        ends = [self.first, self.text_line or 0]
        ends += [self.body[-1].number] if self.body else []
        ends += [self.children[-1].last] if self.children else []
        return max(ends)

    def lines(self) -> list[str]:
        """Its own text, body and everything below it, in order."""
        out = [self.text] if self.text else []
        out += [ln.text for ln in self.body]
        for child in self.children:
            below = child.lines() or [""]
            out += [child.marker + below[0], *below[1:]]
        return out


def numbered(text: str) -> tuple[Style, str, str, str] | None:
    """The style, numeral, marker and text of a numbered line, or None."""
    for style in STYLES:
        if m := style.pattern.match(text):
            return style, m["n"], text[: m.start("rest")], m["rest"].strip()
    return None


def outline(lines: list[SourceLine]) -> Node:
    root = Node("", "", "", 0, "", lines[0].number if lines else 0)
    stack = [root]
    waiting: Node | None = None  # a heading whose number stood alone: its text is the next line
    for line in lines:
        hit = numbered(line.text)
        if waiting is not None and hit is None:
            waiting.text, waiting.text_line, waiting = line.text, line.number, None
            continue
        waiting = None
        if hit is None:
            stack[-1].body.append(line)
            continue
        style, numeral, marker, rest = hit
        open_at = next((i for i, n in enumerate(stack) if n.style == style.name), None)
        if open_at is not None:
            del stack[open_at:]
        node = Node(style.name, numeral, marker, style.to_int(numeral), rest, line.number)
        stack[-1].children.append(node)
        stack.append(node)
        if not rest:
            waiting = node
    return root
