"""Chinese numerals as used in item numbering: 一 … 九十九, 一百 …"""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)


def chinese_to_int(numeral: str) -> int:
    """`二十三` → 23, `十` → 10, `一百零二` → 102. Raises ValueError on anything else."""
    if not numeral or any(c not in _DIGITS and c not in _UNITS for c in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    total, digit = 0, None
    for char in numeral:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
    return total + (digit or 0)


def int_or_chinese(text: str) -> int:
    return int(text) if text.isdigit() else chinese_to_int(text)


def int_to_chinese(number: int) -> str:
    """23 → `二十三`, 10 → `十`, 105 → `一百零五` (what item numbering needs, up to 999)."""
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    out = f"{digits[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (digits[ones] if ones else "") or "零"
