"""Both languages complete, for the Python side: every Chinese string a person reads goes through
gettext, and every gettext message has its English.

The walk finds string literals with CJK characters outside a gettext call (docstrings aside). Some
are data and stay Chinese on purpose — the ingest parser's keywords are matched against Chinese
documents, demo content is sample data — and are listed in DATA. The rest that is not yet wrapped
is counted per file in NOT_YET: the count may only go down (a new literal fails here; wrapping
some means lowering the count)."""

from __future__ import annotations

import ast
import gettext
import re
import subprocess
from pathlib import Path

import pytest

from luoshi.__main__ import cli_language

SRC = Path(__file__).resolve().parent.parent / "src" / "luoshi"
PO = SRC / "web" / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "_l",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
}
# Data, not interface: words matched against Chinese documents and workbooks, and demo content;
# and the official documents (公文: 工作通报, 年度工作计划, 督办单, 修订对照表, 意见采纳情况表),
# which are written in Chinese whatever the reader's language (GB/T 9704, addressed to Chinese units),
# with their layout (paperwork/word.py: the font names offices have, the 公文 date 2022年6月30日).
DATA = re.compile(
    r"^(ingest/|.*/demo\.py$|paperwork/(briefing|workplan|revision_table|word)\.py$"
    r"|supervision/document\.py$|consultation/tables\.py$)"
)
# Not yet through gettext (file → literals left); lower a count when you wrap some.
NOT_YET: dict[str, int] = {}


def _called(node: ast.AST) -> str:
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _docstrings(tree: ast.AST) -> set[ast.AST]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        n.body[0].value
        for n in ast.walk(tree)
        if isinstance(n, kinds) and n.body and isinstance(n.body[0], ast.Expr)
    }


def literals(source: str) -> list[int]:
    """Lines of Chinese string literals (an f-string counts once) outside gettext calls."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found: list[int] = []

    def visit(node: ast.AST) -> None:
        if node in skip or (isinstance(node, ast.Call) and _called(node) in GETTEXT):
            return
        if isinstance(node, ast.JoinedStr | ast.Constant):
            parts = node.values if isinstance(node, ast.JoinedStr) else [node]
            if any(isinstance(p, ast.Constant) and CJK.search(str(p.value)) for p in parts):
                found.append(node.lineno)
            if isinstance(node, ast.JoinedStr):
                for part in node.values:
                    if isinstance(part, ast.FormattedValue):
                        visit(part)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


EAGER = {"gettext", "ngettext", "pgettext"}  # translate when called: not at import time


def eager_at_import(source: str) -> list[int]:
    """Lines where a non-lazy gettext, or str() of a lazy one, runs at import (a module constant,
    a decorator argument): it translates once, into whatever language is active then, for every
    later request."""
    tree = ast.parse(source)
    names = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    found: list[int] = []

    def visit(node: ast.AST, running: bool) -> None:
        if isinstance(node, ast.Call) and not running and _called(node) in names | {"str"}:
            lazy = _called(node) == "str" and node.args and _called(node.args[0]) in GETTEXT
            if _called(node) != "str" or lazy:  # str(gettext_lazy(…)) fixes the language too
                found.append(node.lineno)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for child in [*getattr(node, "decorator_list", []), node.args]:
                visit(child, running)
            body: list[ast.AST] = [*node.body] if isinstance(node.body, list) else [node.body]
            for child in body:
                visit(child, True)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, running)

    visit(tree, False)
    return found


def sources() -> dict[str, str]:
    return {
        path.relative_to(SRC).as_posix(): path.read_text()
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
    }


def test_no_new_chinese_literal_outside_gettext():
    counts = {name: len(literals(text)) for name, text in sources().items() if not DATA.match(name)}
    grown = {n: (c, NOT_YET.get(n, 0)) for n, c in counts.items() if c > NOT_YET.get(n, 0)}
    assert grown == {}, "Chinese text outside gettext (file: found, allowed) — wrap it in _()"
    shrunk = {n: (counts.get(n, 0), c) for n, c in NOT_YET.items() if counts.get(n, 0) < c}
    assert shrunk == {}, (
        "fewer literals left than NOT_YET says: lower the count (file: found, listed)"
    )


def test_no_translation_is_fixed_at_import_time():
    found = {n: lines for n, text in sources().items() if (lines := eager_at_import(text))}
    assert found == {}, "use gettext_lazy for module-level and decorator texts"


def test_every_gettext_message_in_python_has_its_english(tmp_path):
    """msgfmt --check also refuses a message defined twice (the file merges by union)."""
    mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(PO)], check=True, capture_output=True)
    with mo.open("rb") as f:
        english = {k for k, v in gettext.GNUTranslations(f)._catalog.items() if v}  # type: ignore[attr-defined]
    missing = set()
    for name, text in sources().items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and _called(node) in GETTEXT and node.args:
                first = node.args[0]
                message = first.value if isinstance(first, ast.Constant) else None
                if isinstance(message, str) and CJK.search(message) and message not in english:
                    missing.add(f"{name}:{node.lineno} {message}")
    assert sorted(missing) == []


REFUSALS = {"IngestError", "ArchiveRefused"}  # ingest's errors: their words are message ids


def _unmarked(node: ast.expr) -> bool:
    """Text made in place: a literal, an f-string, a % or + of texts, a .format()."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format"
    return isinstance(node, ast.JoinedStr | ast.BinOp)


def _is_report_add(node: ast.Call) -> bool:
    """report.add(line, code, message) / self.report.add(…): a parse-report note people read."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "add"):
        return False
    owner = func.value
    return (isinstance(owner, ast.Name) and owner.id == "report") or (
        isinstance(owner, ast.Attribute) and owner.attr == "report"
    )


def unmarked_ingest_messages(source: str) -> list[int]:
    """Lines where ingest (no Django) gives a person text that is no message id: an IngestError's
    words or place, or a Message's template, not marked with gettext_noop (a named variable holding
    one is fine), or a gettext_noop of anything but one plain literal (no f-strings: named
    placeholders, so the English can order them its way)."""
    found: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        called = _called(node)
        if called in REFUSALS:
            given = [*node.args[1:], *(k.value for k in node.keywords)]
            given = given if called == "IngestError" else [*node.args, *given]
        elif called == "Message":
            given = node.args[:1]
        elif _is_report_add(node):
            given = [*node.args[2:3], *(k.value for k in node.keywords if k.arg == "message")]
        elif called == "gettext_noop":
            if not (node.args and isinstance(node.args[0], ast.Constant)):
                found.append(node.lineno)
            continue
        else:
            continue
        found += [node.lineno for arg in given if _unmarked(arg)]
    return found


def test_the_importers_words_are_message_ids():
    """ingest is exempt from the Chinese-literal walk for the words it matches in documents, not
    for what it says to people: those go through the marker and are translated where shown."""
    found = {
        name: lines
        for name, text in sources().items()
        if name.startswith("ingest/") and (lines := unmarked_ingest_messages(text))
    }
    assert found == {}, "wrap the words in Message(gettext_noop(...), {params})"


def test_the_ingest_check_catches_text_made_in_place():
    bad = [
        'IngestError(name, "the file is empty")',
        'IngestError(name, f"no part {part}")',
        'IngestError(name, Message(f"第 {n} 行"))',
        'IngestError(name, Message(gettext_noop("空")), "line 3")',
        'ArchiveRefused("%s entries" % n)',
        'Message(gettext_noop(f"{n} 项"))',
        'report.add(line, AnomalyCode.NUMBER_GAP, f"measure {m} after {n}")',
        'self.report.add(None, AnomalyCode.NO_LEAD, "the plan marks no lead unit")',
        'report.add(line, AnomalyCode.AND_OTHERS, message="“%s” and others" % name)',
    ]
    assert [unmarked_ingest_messages(line) for line in bad] == [[1]] * len(bad)
    good = 'IngestError(name, Message(gettext_noop("第 %(n)s 行"), {"n": n}), where)'
    assert unmarked_ingest_messages(good) == []
    note = 'self.report.add(line, AnomalyCode.NUMBER_GAP, Message(gettext_noop("举措 %(m)s"), p))'
    assert unmarked_ingest_messages(note) == []


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["luoshi", "status"], {}, (None, ["luoshi", "status"])),
        (["luoshi", "status", "--lang", "en"], {}, ("en", ["luoshi", "status"])),
        (["luoshi", "--lang=en", "remind"], {}, ("en", ["luoshi", "remind"])),
        (["luoshi", "status"], {"LUOSHI_LANGUAGE": "en"}, ("en", ["luoshi", "status"])),
        (
            ["luoshi", "status", "--lang", "zh-hans"],
            {"LUOSHI_LANGUAGE": "en"},
            ("zh-hans", ["luoshi", "status"]),
        ),
    ],
)
def test_the_command_line_prints_in_the_language_asked(argv, environ, expected):
    assert cli_language(argv, environ) == expected


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(SystemExit, match="--lang/LUOSHI_LANGUAGE must be one of zh-hans, en"):
        cli_language(["luoshi", "status", "--lang", "fr"], {})
