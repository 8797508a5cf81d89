"""Limits every service checks on numbers and dates, whatever form, API or import sent them.

A value outside them is refused with a message naming the field; nothing is stored. (A score of
123456789 once broke every page showing it: the column holds 5 digits, the form was the only check.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


def date_errors(**dates: dt.date | None) -> dict[str, str]:
    return {
        name: gettext("日期应在 %(earliest)s 至 %(latest)s 之间")
        % {"earliest": EARLIEST, "latest": LATEST}
        for name, value in dates.items()
        if value is not None and not EARLIEST <= value <= LATEST
    }


def year_errors(**years: int | None) -> dict[str, str]:
    return {
        name: gettext("年份应在 %(first)d–%(last)d 之间")
        % {"first": EARLIEST.year, "last": LATEST.year}
        for name, value in years.items()
        if value is not None and not EARLIEST.year <= value <= LATEST.year
    }


def number_error(
    value: Decimal | float | int | None, *, low: Decimal, high: Decimal, places: int
) -> str | None:
    """None if the value is within [low, high] with at most `places` decimals, else the message."""
    if value is None:
        return None
    try:
        number = Decimal(str(value))
        exponent = number.as_tuple().exponent
        ok = isinstance(exponent, int) and -exponent <= places and low <= number <= high
    except (InvalidOperation, ValueError):
        ok = False
    if ok:
        return None
    return gettext("应为 %(low)s–%(high)s 之间、最多 %(places)s 位小数的数") % {
        "low": low,
        "high": high,
        "places": places,
    }


def refuse_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


class StaleEdit(ValidationError):
    """A save on a copy someone changed since it was read (last save must not silently win).
    The message says what the record holds now; `version` is its current version, so a page that
    shows the form again with the user's text can carry it: saving again is then a deliberate
    overwrite of what the message showed."""

    def __init__(self, message: str, version: int) -> None:
        super().__init__(message)
        self.version = version
