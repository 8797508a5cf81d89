"""The importer's words as message ids: Chinese (the project's source language) with named
parameters, never formatted in place. ingest has no Django, so it only marks them — with the name
makemessages looks for — and the Django side translates one when it shows it
(luoshi.plans.ingest_text.describe); str() gives the Chinese text when ingest is used alone."""

from __future__ import annotations

from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Marks a message id for makemessages (and the gettext coverage test); returns it as is."""
    return message


@dataclass(frozen=True)
class Message:
    """A message id and its named parameters; a parameter may itself be a Message (a place)."""

    template: str
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template % {k: str(v) for k, v in self.params.items()}

    def as_json(self) -> dict[str, object]:
        """Template and parameters as stored (Plan.parse_report), translated when shown."""
        return {"template": self.template, "params": {k: _json(v) for k, v in self.params.items()}}


def _json(value: object) -> object:
    """A parameter as JSON holds it: a number stays a number, a date or a name becomes text."""
    if isinstance(value, Message):
        return value.as_json()
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
