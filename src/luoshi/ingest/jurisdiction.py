"""Whose document is it: the State Council's, a province's, a city's or a district's, and which one.

The issuer, the title and the lines before the first part name it (`广州市人民政府`, `浙江省…`,
`鞍山市立山区人民政府`, `结合淮安实际`). Patterns and place names are data (data/jurisdictions.toml).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from luoshi.ingest.messages import Message, gettext_noop

DATA = Path(__file__).with_name("data") / "jurisdictions.toml"
# Words before 市/省 that are not a place's name: 某试点城市, 各市, 直辖市, 本市, 全市 …
NOT_NAMES = ("某", "本", "我", "各", "全", "该", "直辖", "自治", "试点", "城市", "地级")
_NAME = r"(?P<name>(?:(?![市省区县])[\u4e00-\u9fff]){2,4}?)"


@dataclass(frozen=True)
class Jurisdiction:
    level: str  # central | provincial | city | district
    province: str = ""  # e.g. 广东; "" when not named
    city: str = ""  # e.g. 广州
    district: str = ""  # e.g. 立山区

    @property
    def place(self) -> str:
        """The issuer's place as people write it: 广州市, 浙江省, 鞍山市立山区, or ""."""
        if self.level == "provincial" and self.province:
            return f"{self.province}省"
        if self.level in ("city", "district") and self.city:
            return f"{self.city}市{self.district}"
        return ""


@dataclass(frozen=True)
class _Data:
    home_province: str
    home_city: str
    provinces: tuple[str, ...]
    central: tuple[str, ...]
    issuing: tuple[tuple[str, re.Pattern[str]], ...]
    departments: frozenset[str]


@cache
def _data(path: Path = DATA) -> _Data:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    issuing = tuple(
        (level, re.compile(pattern.replace("{name}", _NAME)))
        for level in ("district", "city", "provincial")
        for pattern in raw["issuing"][level]
    )
    return _Data(
        raw["home"]["province"],
        raw["home"]["city"],
        tuple(raw["provinces"]),
        tuple(raw["central"]),
        issuing,
        frozenset(raw.get("departments", ())),
    )


def home() -> Jurisdiction:
    data = _data()
    return Jurisdiction("city", data.home_province, data.home_city)


def read(issuing: list[str], preamble: list[str], fallback_level: str) -> Jurisdiction:
    """The jurisdiction named by `issuing` (issuer, title, document number) or, failing that, by the
    lines before the first part (`根据《中共广州市委…》`, `结合淮安实际`). A preamble citing the State
    Council does not make a document national: only the issuer and title do."""
    data = _data()
    if any(word in "\n".join(issuing) for word in data.central):
        return Jurisdiction("central")
    found = _names(issuing, data) or _names(preamble, data)
    text = "\n".join(issuing + preamble)
    province = found.get("provincial", "") or found.get("province", "")
    province = province or next((p for p in data.provinces if p in text), "")
    if "district" in found and "city" in found:
        return Jurisdiction("district", province, found["city"], found["district"] + "区")
    if "city" in found:
        return Jurisdiction("city", province, found["city"])
    if "provincial" in found or (province and fallback_level != "city"):
        return Jurisdiction("provincial", province)
    if fallback_level == "city":
        return home()
    return Jurisdiction(fallback_level)


def _names(lines: list[str], data: _Data) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        for level, pattern in data.issuing:
            for m in pattern.finditer(line):
                name = _clean(m["name"], data.provinces)
                if level == "city" and name in data.provinces:
                    found.setdefault("province", name)  # 北京市, 上海市: municipalities
                elif level == "provincial" and name not in data.provinces:
                    continue  # provinces are a closed list: 某省, 数字经济 are none
                elif name:
                    found.setdefault(level, name)
    return found


def _clean(name: str, provinces: tuple[str, ...]) -> str:
    """`中共广州` → 广州; a leading province name is cut (`湖南岳阳` → 岳阳)."""
    name = re.split("[的之与及和或发知于]", name.removeprefix("中共"))[-1]
    if len(name) < 2 or name.startswith(NOT_NAMES):
        return ""
    for province in provinces:
        if name.startswith(province) and len(name) > len(province):
            return name[len(province) :]
    return name


def is_home(jurisdiction: Jurisdiction) -> bool:
    data = _data()
    if jurisdiction.level in ("city", "district"):
        return jurisdiction.city in ("", data.home_city)
    if jurisdiction.level == "provincial":
        return jurisdiction.province in ("", data.home_province)
    return True


_ENDING = re.compile(r"(?:厅|局|委员会|委|办公室|办|部|中心|会)$")


def standard_department(name: str, place: str) -> bool:
    """`广州市发展改革委` in a Guangzhou document: a standard department of the place, by pattern."""
    if not place or not name.startswith(place):
        return False
    stem = _ENDING.sub("", name[len(place) :])
    return stem in _data().departments or name[len(place) :] in _data().departments


def level_name(level: str) -> Message | str:
    """省级 / Province for a report note (the names plans.models.Level shows)."""
    names = {
        "central": gettext_noop("中央"),
        "provincial": gettext_noop("省级"),
        "city": gettext_noop("市级"),
        "district": gettext_noop("区县级"),
    }
    return Message(names[level]) if level in names else level
