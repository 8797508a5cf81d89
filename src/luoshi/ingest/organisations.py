"""Organisation names as written → canonical organisations, from the directory in data/."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from luoshi.ingest.jurisdiction import (
    Jurisdiction,
    home,
    is_home,
    level_name,
    standard_department,
)
from luoshi.ingest.messages import Message, gettext_noop
from luoshi.ingest.model import AnomalyCode, OrganisationInfo, ParseReport

DIRECTORY_FILE = Path(__file__).with_name("data") / "organisations.toml"

# "市卫健委等涉企行政许可单位", "市人社局等相关部门单位": a named unit and a catch-all.
_AND_OTHERS = re.compile(r"^(?P<name>.+?)等(?:(?:相关|有关|涉企)?\S*?(?:单位|部门))?$")
# "市委组织部<市委人才办>": one organisation with its second name.
_SECOND_NAME = re.compile(r"^(?P<name>[^<]+)<(?P<second>[^>]+)>$")
# "省市场监管局（省知识产权局）", "市交通委（市道运局）": the same, in brackets.
_SECOND_NAME_BRACKETED = re.compile(
    r"^(?P<name>[^（]{2,})（(?P<second>[^（）]*(?:局|办|委|厅|部|室|中心|会|院))）$"
)


# Names of government bodies that take their level's prefix (省发展改革委, 市财政局) and may be written
# without it in a plan of that level.
LEVEL_PREFIX = {"central": "国家", "provincial": "省", "city": "市", "district": "区"}
PREFIXED = re.compile(r"^(国家|国务院|中央|省|市(?!场)|县|区(?!域)|各)")  # 市场监管局 has none
HOME_ENDINGS = ("委", "局", "厅", "办", "部")
# Collectives of a level written with their own prefix: never given a place's name.
COLLECTIVE = re.compile(r"^(市直|区直|县直|省直|市级|省级|区级)")

_GROUP_MARK = "\u2063"  # invisible separator, never in documents
# 、 that does not separate units: inside brackets (各县（市、区）人民政府) and in collectives of a level
# (各区、县级市, 各有关区、县级市).
_INSIDE_BRACKETS = re.compile(r"（[^（）]*）")
_LEVEL_LIST = re.compile(r"各(?:有关|相关)?[区县市州]、(?:县级市|县|区|市|州|旗)")
# A name that already says whose it is: a province's or city's name, or a national body.
_OWN_PLACE = re.compile(r"^(中国|中央|全国|人民银行|共青团|团)")


def _bare_alias(alias: str) -> bool:
    return not alias.startswith(
        ("国家", "中国", "国务院", "中华", "全国", "中央", "团中央", "共青团")
    )


def without_others(name: str) -> str:
    """`市卫健委等涉企行政许可单位` → `市卫健委`."""
    m = _AND_OTHERS.match(name)
    return m["name"] if m else name


@dataclass(frozen=True)
class Resolved:
    name: str
    and_others: bool


class Directory:
    """Looks names up; remembers which organisations a document used, in order of first use."""

    def __init__(
        self,
        entries: tuple[OrganisationInfo, ...],
        typos: dict[str, str],
        home_level: str = "city",
        jurisdiction: Jurisdiction | None = None,
    ) -> None:
        self.home_level = home_level  # the document's jurisdiction: unprefixed names are read at it
        self.jurisdiction = jurisdiction or home()
        self.foreign = not is_home(self.jurisdiction)  # another province's or city's document
        self._by_name = {e.name: e for e in entries}
        # 统计局 is the State Council's only in its documents; elsewhere it is read at the document's level
        self._aliases = {
            alias: e.name
            for e in entries
            for alias in e.aliases
            if home_level == "central" or e.level != "central" or not _bare_alias(alias)
        }
        self._typos = typos
        self.used: dict[str, OrganisationInfo] = {}
        names = [*self._by_name, *self._aliases]
        self._names = [n for n in names if len(n) > 2]  # 2-character aliases would match prose
        self._groups = sorted((n for n in names if "、" in n), key=len, reverse=True)

    def knows(self, name: str) -> bool:
        return self._known(name) or self._known(self._at_home(name))

    def _known(self, name: str) -> bool:
        return name in self._by_name or name in self._aliases or name in self._typos

    def _at_home(self, name: str) -> str:
        """`发展改革委` in a provincial plan is 省发展改革委; prefixed names stay as they are."""
        if PREFIXED.match(name) or not name.endswith(HOME_ENDINGS):
            return name
        return LEVEL_PREFIX[self.home_level] + name

    def mentioned(self, text: str) -> list[str]:
        """Directory names that occur inside `text`, e.g. in a bracket that is not a unit list."""
        return [n for n in self._names if n in text]

    def protect(self, text: str) -> str:
        """Hide the separators inside fixed group names (各区、县级市) so a list split keeps them whole."""
        if "、" not in text:
            return text
        for group in self._groups:
            text = text.replace(group, group.replace("、", _GROUP_MARK))
        for pattern in (_INSIDE_BRACKETS, _LEVEL_LIST):
            text = pattern.sub(lambda m: m[0].replace("、", _GROUP_MARK), text)
        return text

    @staticmethod
    def unprotect(text: str) -> str:
        return text.replace(_GROUP_MARK, "、")

    def resolve(self, written: str, line: int, report: ParseReport) -> Resolved:
        name, and_others = written, False
        if m := _AND_OTHERS.match(name):
            name, and_others = m["name"], True
            report.add(
                line,
                AnomalyCode.AND_OTHERS,
                Message(
                    gettext_noop("“%(written)s”：%(name)s等"), {"written": written, "name": name}
                ),
            )
        if m := _SECOND_NAME.match(name) or _SECOND_NAME_BRACKETED.match(name):
            name = m["name"]
            report.add(
                line,
                AnomalyCode.SECOND_NAME,
                Message(
                    gettext_noop("“%(written)s”：同一单位，又名%(second)s"),
                    {"written": written, "second": m["second"]},
                ),
            )
        return Resolved(self._canonical(name, line, report), and_others)

    def _placed(self, name: str) -> str:
        """In another place's document, its 市X is that city's (广州市X), its 省X that province's, a
        bare 工业和信息化厅 the issuing province's: the directory's own (Yueyang, Hunan) never."""
        j = self.jurisdiction
        if COLLECTIVE.match(name):
            return name
        if self._bare(name):
            name = LEVEL_PREFIX[self.home_level] + name
        if j.city and name.startswith("市") and not name.startswith("市场"):
            return f"{j.city}市{name[1:]}"
        if j.district and name.startswith("区") and not name.startswith("区域"):
            return f"{j.district}{name[1:]}"
        if j.province and name.startswith("省") and j.level != "central":
            return f"{j.province}省{name[1:]}"
        return name

    def _bare(self, name: str) -> bool:
        """`工业和信息化厅`, `供销社`: a body of the issuing level written without its prefix."""
        places = (self.jurisdiction.province, self.jurisdiction.city)
        return (
            not PREFIXED.match(name)
            and not _OWN_PLACE.match(name)
            and not any(p and name.startswith(p) for p in places)
            and name.endswith((*HOME_ENDINGS, "厅", "社"))
        )

    def _canonical(self, name: str, line: int, report: ParseReport) -> str:
        if self.foreign and self.home_level != "central":
            placed = self._placed(name)
            if placed != name or (PREFIXED.match(placed) and not COLLECTIVE.match(placed)):
                report.add(
                    line,
                    AnomalyCode.LEVEL_RESOLVED,
                    Message(
                        gettext_noop("“%(name)s” → %(placed)s：%(place)s的文件"),
                        {
                            "name": name,
                            "placed": placed,
                            "place": self.jurisdiction.place or self.home_level,
                        },
                    ),
                )
                return self._use(placed, placed, line, report)
        if not self._known(name) and self._known(home := self._at_home(name)):
            report.add(
                line,
                AnomalyCode.LEVEL_RESOLVED,
                Message(
                    gettext_noop("“%(name)s” → %(home)s：%(level)s文件"),
                    {"name": name, "home": home, "level": level_name(self.home_level)},
                ),
            )
            name = home
        if name in self._by_name:
            canonical = name
        elif name in self._aliases:
            canonical = self._aliases[name]
            report.add(
                line,
                AnomalyCode.ALIAS_RESOLVED,
                Message(
                    gettext_noop("“%(name)s” → %(canonical)s"),
                    {"name": name, "canonical": canonical},
                ),
            )
        elif name in self._typos:
            canonical = self._typos[name]
            report.add(
                line,
                AnomalyCode.TYPO_CORRECTED,
                Message(
                    gettext_noop("“%(name)s” → %(canonical)s"),
                    {"name": name, "canonical": canonical},
                ),
            )
        else:
            canonical = name
        return self._use(canonical, name, line, report)

    def _use(self, canonical: str, name: str, line: int, report: ParseReport) -> str:
        """Remember the organisation; one not in the directory is created and flagged once."""
        place = self.jurisdiction.place
        standard = self.foreign and standard_department(canonical, self._place_prefix(canonical))
        if canonical not in self.used and canonical not in self._by_name and not standard:
            unknown = Message(gettext_noop("“%(name)s”不在单位名录中"), {"name": canonical})
            if self.foreign and place:
                unknown = Message(
                    gettext_noop("“%(name)s”不在单位名录中，建于%(place)s下"),
                    {"name": canonical, "place": place},
                )
            report.add(line, AnomalyCode.UNKNOWN_ORGANISATION, unknown)
        if canonical not in self.used:
            known = self._by_name.get(canonical)
            kind = "provincial" if self._level(name) == "provincial" else "city_bureau"
            self.used[canonical] = known or OrganisationInfo(
                name, kind if standard else "unknown", self._level(name), known=standard
            )
        return canonical

    def _place_prefix(self, name: str) -> str:
        j = self.jurisdiction
        for prefix in (j.district, f"{j.city}市", f"{j.province}省"):
            if len(prefix) > 1 and name.startswith(prefix):
                return prefix
        return ""

    def _level(self, name: str) -> str:
        j = self.jurisdiction
        places = (
            (j.district, "district"),
            (f"{j.city}市", "city"),
            (f"{j.province}省", "provincial"),
        )
        for prefix, level in places:
            if self.foreign and len(prefix) > 1 and name.startswith(prefix):
                return level
        for prefix, level in (("国家", "central"), ("国务院", "central"), ("省", "provincial")):
            if name.startswith(prefix):
                return level
        if PREFIXED.match(name) or not name.endswith(HOME_ENDINGS):
            return "city"
        return self.home_level


@cache
def _load(path: Path) -> tuple[tuple[OrganisationInfo, ...], dict[str, str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries, typos = [], {}
    for row in data["organisation"]:
        entries.append(
            OrganisationInfo(row["name"], row["kind"], row["level"], tuple(row.get("aliases", ())))
        )
        typos.update({typo: row["name"] for typo in row.get("typos", ())})
    return tuple(entries), typos


def entries(path: Path = DIRECTORY_FILE) -> tuple[OrganisationInfo, ...]:
    """The directory's organisations, as data."""
    return _load(path)[0]


def directory(
    path: Path = DIRECTORY_FILE, home_level: str = "city", jurisdiction: Jurisdiction | None = None
) -> Directory:
    """A fresh directory (with no names used yet) for one document of the given jurisdiction."""
    entries, typos = _load(path)
    return Directory(entries, typos, home_level, jurisdiction)
