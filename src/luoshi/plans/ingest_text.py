"""The importer's refusals in the active language: ingest has no Django and marks its words as
message ids with parameters (luoshi.ingest.messages); they are translated here, once, for the
import page, the API and `luoshi import-plan`."""

from __future__ import annotations

from django.utils.translation import gettext

from luoshi.ingest import IngestError
from luoshi.ingest.messages import Message


def translated(message: Message) -> str:
    """The message in the active language; a parameter that is a message (a place) too."""
    params = {k: translated(v) if isinstance(v, Message) else v for k, v in message.params.items()}
    return gettext(message.template) % params


def stored_note(note: dict[str, object]) -> str:
    """A stored parse-report note (Plan.parse_report) in the active language; one stored before
    notes kept their template (plain text) is shown as written."""
    if "template" not in note:
        return str(note.get("message", ""))
    return translated(_from_json(note))


def _from_json(data: dict[str, object]) -> Message:
    params = data.get("params")
    return Message(
        str(data["template"]),
        {
            k: _from_json(v) if isinstance(v, dict) and "template" in v else v
            for k, v in (params.items() if isinstance(params, dict) else ())
        },
    )


def describe(error: IngestError) -> str:
    """empty.txt：文件为空 / empty.txt: the file is empty — the file, the place, what is wrong."""
    text = {"file": error.source, "message": translated(error.text)}
    if error.place is None:
        return gettext("%(file)s：%(message)s") % text
    return gettext("%(file)s，%(place)s：%(message)s") % (text | {"place": translated(error.place)})
