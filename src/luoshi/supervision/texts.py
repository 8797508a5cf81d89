"""Message texts that follow the reader's language: a message keeps its subject and body as a
message id (the Chinese source text, also the key of the English catalogue) with its parameters,
and each reader sees them rendered in their own language — the inbox page, the API. The stored
`subject`/`body` columns hold the site-language rendering (Chinese): for e-mail and robot channels
(the recipient has no language preference of their own), for searching, and for messages stored
before texts were kept (shown as they were written)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from luoshi.progress.models import ReportingCycle, period_label

Param = Union[str, int, "Text"]


@dataclass(frozen=True)
class Text:
    """`msgid` (a gettext_noop'd source text with named placeholders) and its values; a value may
    itself be a Text (a state's label, a 督办单's number) rendered in the same language."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def render(self) -> str:
        translated = gettext(self.msgid)
        if not self.params:
            return translated
        values = {k: v.render() if isinstance(v, Text) else v for k, v in self.params.items()}
        return translated % values

    def as_json(self) -> dict[str, Any]:
        params = {k: v.as_json() if isinstance(v, Text) else v for k, v in self.params.items()}
        return {"m": self.msgid, "p": params}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Text:
        params: dict[str, Param] = {
            k: cls.from_json(v) if isinstance(v, Mapping) else v
            for k, v in data.get("p", {}).items()
        }
        return cls(str(data["m"]), params)


def text(msgid: str, /, **params: Param) -> Text:
    return Text(msgid, params)


def label(lazy: Promise | str) -> Text:
    """A choice label (gettext_lazy) kept as its message id: the source text, which is what the
    label reads in the site's language (the catalogue's ids are the Chinese texts)."""
    with translation.override(settings.LANGUAGE_CODE):
        return Text(str(lazy))


def cycle_text(cycle: ReportingCycle) -> Param:
    """A cycle's name: the office's own as typed, else its period's (read in any language)."""
    if cycle.typed_name:
        return cycle.typed_name
    message, values = period_label(cycle.starts_on, cycle.ends_on)
    return Text(message, dict(values))


Lines = Sequence[Text]


def lines_json(lines: Lines) -> list[dict[str, Any]]:
    return [line.as_json() for line in lines]


def render_lines(data: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(f"· {Text.from_json(line).render()}" for line in data)


def in_site_language(text: Text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return text.render()


def in_site_language_lines(lines: Lines) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_lines(lines_json(lines))
