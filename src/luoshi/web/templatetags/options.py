"""A select's options rendered from choices escaped once: a page with many selects offering the
same long list (each task of a plan offered every task of the higher plan, 88 × 88 options) took
seconds through the template engine's loop. `Choices` is what a view hands to the template;
`{% options choices selected %}` renders them with one option selected."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class Choices:
    """(id, label) pairs, escaped once for every select that offers them."""

    def __init__(self, choices: Iterable[tuple[int, str]]) -> None:
        self.escaped = [
            (pk, format_html('<option value="{}"', pk), escape(label)) for pk, label in choices
        ]


@register.simple_tag
def options(choices: Choices | None, selected: int | None) -> SafeString:
    """The `<option>` elements of `choices`, the one whose id is `selected` marked so."""
    if choices is None:
        return mark_safe("")
    return mark_safe(  # every part was escaped when the choices were made
        "".join(
            f"{head}{' selected' if pk == selected else ''}>{label}</option>"
            for pk, head, label in choices.escaped
        )
    )
