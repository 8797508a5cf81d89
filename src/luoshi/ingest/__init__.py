"""Document → plan. Pure Python: no Django here, so the parser can be tested and reused alone.

`parse_file(path)` / `parse_bytes(data, name)` return a `ParsedPlan` with its `ParseReport`.
"""

from luoshi.ingest.errors import IngestError
from luoshi.ingest.model import ParsedPlan
from luoshi.ingest.parser import parse_bytes, parse_file

__all__ = ["IngestError", "ParsedPlan", "parse_bytes", "parse_file"]
