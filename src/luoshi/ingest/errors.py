"""Fatal import errors: they name the file and the place, and nothing is stored."""

from __future__ import annotations


class IngestError(Exception):
    """A document that cannot be imported. `where` is e.g. 'line 12' or 'paragraph 3'."""

    def __init__(self, source: str, message: str, where: str | None = None) -> None:
        self.source = source
        self.where = where
        self.message = message
        place = f"{source}, {where}" if where else source
        super().__init__(f"{place}: {message}")
