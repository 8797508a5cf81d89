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


def describe(error: IngestError) -> str:
    """empty.txt：文件为空 / empty.txt: the file is empty — the file, the place, what is wrong."""
    text = {"file": error.source, "message": translated(error.text)}
    if error.place is None:
        return gettext("%(file)s：%(message)s") % text
    return gettext("%(file)s，%(place)s：%(message)s") % (text | {"place": translated(error.place)})
