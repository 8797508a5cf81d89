"""Checking that English output is English: CJK characters left once the data is masked out."""

from __future__ import annotations

import re
from collections.abc import Iterable

# CJK ideographs, their punctuation and full-width forms: what an English reader should not meet
# outside data (plan titles, unit names, measure texts are the documents' own words).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def mask(text: str, data: Iterable[str]) -> str:
    """`text` with every data string cut out, longest first (a title contains shorter names)."""
    for value in sorted({d for d in data if d and CJK.search(d)}, key=len, reverse=True):
        text = text.replace(value, " ")
    return text
