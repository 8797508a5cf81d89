"""Organisation names as written → canonical organisations, from the directory in data/."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from luoshi.ingest.model import AnomalyCode, OrganisationInfo, ParseReport

DIRECTORY_FILE = Path(__file__).with_name("data") / "organisations.toml"

# "市卫健委等涉企行政许可单位", "市人社局等相关部门单位": a named unit and a catch-all.
_AND_OTHERS = re.compile(r"^(?P<name>.+?)等(?:相关|有关|涉企)?\S*?(?:单位|部门)$")
# "市委组织部<市委人才办>": one organisation with its second name.
_SECOND_NAME = re.compile(r"^(?P<name>[^<]+)<(?P<second>[^>]+)>$")


# Names of government bodies that take their level's prefix (省发展改革委, 市财政局) and may be written
# without it in a plan of that level.
LEVEL_PREFIX = {"central": "国家", "provincial": "省", "city": "市"}
PREFIXED = re.compile(r"^(国家|国务院|中央|省|市(?!场)|县|区(?!域)|各)")  # 市场监管局 has none
HOME_ENDINGS = ("委", "局", "厅", "办", "部")

_GROUP_MARK = "\u2063"  # invisible separator, never in documents


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
        self, entries: tuple[OrganisationInfo, ...], typos: dict[str, str], home_level: str = "city"
    ) -> None:
        self.home_level = home_level  # the document's jurisdiction: unprefixed names are read at it
        self._by_name = {e.name: e for e in entries}
        self._aliases = {alias: e.name for e in entries for alias in e.aliases}
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
        for group in self._groups:
            text = text.replace(group, group.replace("、", _GROUP_MARK))
        return text

    @staticmethod
    def unprotect(text: str) -> str:
        return text.replace(_GROUP_MARK, "、")

    def resolve(self, written: str, line: int, report: ParseReport) -> Resolved:
        name, and_others = written, False
        if m := _AND_OTHERS.match(name):
            name, and_others = m["name"], True
            report.add(line, AnomalyCode.AND_OTHERS, f"“{written}”: {name} and others")
        if m := _SECOND_NAME.match(name):
            name = m["name"]
            report.add(
                line, AnomalyCode.SECOND_NAME, f"“{written}”: one unit, second name {m['second']}"
            )
        return Resolved(self._canonical(name, line, report), and_others)

    def _canonical(self, name: str, line: int, report: ParseReport) -> str:
        if not self._known(name) and self._known(home := self._at_home(name)):
            report.add(
                line, AnomalyCode.LEVEL_RESOLVED, f"“{name}” → {home}: a {self.home_level} document"
            )
            name = home
        if name in self._by_name:
            canonical = name
        elif name in self._aliases:
            canonical = self._aliases[name]
            report.add(line, AnomalyCode.ALIAS_RESOLVED, f"“{name}” → {canonical}")
        elif name in self._typos:
            canonical = self._typos[name]
            report.add(line, AnomalyCode.TYPO_CORRECTED, f"“{name}” → {canonical}")
        else:
            canonical = name
            if name not in self.used:
                report.add(
                    line, AnomalyCode.UNKNOWN_ORGANISATION, f"“{name}” is not in the directory"
                )
        if canonical not in self.used:
            known = self._by_name.get(canonical)
            self.used[canonical] = known or OrganisationInfo(
                name, "unknown", self._level(name), known=False
            )
        return canonical

    def _level(self, name: str) -> str:
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


def directory(path: Path = DIRECTORY_FILE, home_level: str = "city") -> Directory:
    """A fresh directory (with no names used yet) for one document of the given level."""
    entries, typos = _load(path)
    return Directory(entries, typos, home_level)
