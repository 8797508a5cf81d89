"""Template filters that turn stored codes into the words a person reads."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()


LIGHTS = {
    "red": _("红灯"),
    "yellow": _("黄灯"),
    "green": _("绿灯"),
    "missing": _("缺数据"),
}


@register.filter
def light_label(key: str) -> str:
    """The words for a light's colour, for those who cannot see the dot (screen readers)."""
    label = LIGHTS.get(key)
    return str(label) if label is not None else ""


@register.filter
def matrix_cells(cells: list[str]) -> str:
    """A row of the responsibility matrix as table cells, joined at once: a national plan's
    matrix has ~4,000 cells, and a template loop over them was most of the page's time."""
    lead, support = gettext("牵头"), gettext("配合")
    html = {
        "L": format_html(
            '<td class="tag lead" title="{0}"><abbr title="{0}">{1}</abbr></td>',
            lead,
            gettext("牵"),
        ),
        "S": format_html(
            '<td class="tag support"><abbr title="{0}">{1}</abbr></td>', support, gettext("配")
        ),
    }
    return mark_safe("".join(html.get(c, "<td></td>") for c in cells))  # each cell escaped above
