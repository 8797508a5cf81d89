"""Document → plan. Pure Python: no Django here, so the parser can be tested and reused alone.

`parse_file(path)` / `parse_bytes(data, name)` return a `ParsedPlan` with its `ParseReport`.

The parser and the plan model are loaded when first used (PEP 562): a process that only shows an
importer's message (every Django process, through the plans app's admin) does not compile the
parser's patterns at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from luoshi.ingest.errors import IngestError

if TYPE_CHECKING:
    from luoshi.ingest.model import ParsedPlan
    from luoshi.ingest.parser import parse_bytes, parse_file

__all__ = ["IngestError", "ParsedPlan", "parse_bytes", "parse_file"]

_LAZY = {"ParsedPlan": "model", "parse_bytes": "parser", "parse_file": "parser"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
