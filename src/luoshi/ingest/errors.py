"""Fatal import errors: they name the file and the place, and nothing is stored."""

from __future__ import annotations

from luoshi.ingest.messages import Message


class IngestError(Exception):
    """A document that cannot be imported. `message` and `where` (e.g. 第 12 行) are message ids
    with parameters, translated where they are shown (luoshi.plans.ingest_text.describe);
    str() is the Chinese text."""

    def __init__(self, source: str, message: Message, where: Message | None = None) -> None:
        self.source = source
        self.text = message
        self.place = where
        self.message = str(message)
        self.where = str(where) if where else None
        place = f"{source}，{self.where}" if self.where else source
        super().__init__(f"{place}：{self.message}")

    @property
    def template(self) -> str:
        return self.text.template

    @property
    def params(self) -> dict[str, object]:
        return self.text.params

    @property
    def where_template(self) -> str | None:
        return self.place.template if self.place else None

    @property
    def where_params(self) -> dict[str, object]:
        return self.place.params if self.place else {}
