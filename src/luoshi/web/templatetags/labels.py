"""Template filters that turn stored codes into the words a person reads."""

from __future__ import annotations

from django import template
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
