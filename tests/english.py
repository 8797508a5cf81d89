"""Checking that English output is English: Chinese left once the data is masked out."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.apps import apps
from django.db import models

# CJK ideographs, their punctuation and full-width forms: what an English reader should not meet
# outside data (plan titles, unit names, measure texts are the documents' own words).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
IDEOGRAPHS = re.compile(r"[\u3400-\u9fff]+")  # Chinese words, without the full-width punctuation
# The language menu names each language in itself.
OWN_NAMES = ("简体中文",)
SHORTENED = 8  # a word this long found inside a data string is that data, cut short for the page


def mask(text: str, data: Iterable[str]) -> str:
    """`text` without data: any line found inside a data string (a paragraph the page splits into
    lines), the long data strings (longest first: a title contains shorter names), any long word
    (from its first ideograph, before a "…") found inside a data string (a text shortened for the
    page), then the short data strings (two characters at least: one would hide words; single
    ones only as an outline number in brackets)."""
    values = sorted(
        {d for d in data if len(d) > 1 and CJK.search(d)} | set(OWN_NAMES), key=len, reverse=True
    )
    corpus = "\n".join(values)
    text = re.sub(r"[^\n]+", lambda m: _unshortened(m[0].strip(), corpus, m[0]), text)
    long = [v for v in values if len(v) >= SHORTENED]
    for value in long:
        text = text.replace(value, " ")
    text = re.sub(r"\S+", lambda m: _unshortened(m[0], corpus, m[0]), text)
    for value in values[len(long) :]:
        text = text.replace(value, " ")
    numerals = "".join(d for d in data if len(d) == 1 and CJK.search(d))  # outline numbers: （一）
    return re.sub(f"[（(][{numerals}][）)]", " ", text) if numerals else text


def _unshortened(part: str, corpus: str, original: str) -> str:
    start = IDEOGRAPHS.search(part)
    if start is None:
        return original
    head, rest = part[: start.start()], part[start.start() :].split("…")[0]
    return head + " " if len(rest) >= SHORTENED and rest in corpus else original


def data_strings() -> set[str]:
    """Every text stored in the database by people or documents (JSON included: the plan's source
    lines): what the pages may show as is."""
    found: set[str] = set()
    kinds = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        if not model.__module__.startswith("luoshi."):
            continue
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, kinds) and not getattr(f, "choices", None)
        ]
        for row in model._default_manager.values_list(*fields) if fields else ():
            found.update(s for value in row for s in _strings(value) if CJK.search(s))
    return found


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []
