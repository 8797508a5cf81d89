"""A revision derived from the bundled draft, as the final version might differ from it: task 4's
deadline changed, measure 2.1 reworded, measure 3.3 removed, a measure 2.3 added, and tasks 11 and 12
swapped (each renumbered). `EXPECTED` is what its 修订对照表 must name, nothing else."""

from __future__ import annotations

from tests.variants import bundled_text

EXPECTED = {
    ("changed", "task", "4", "rescheduled"),
    ("changed", "measure", "2.1", "reworded"),
    ("removed", "measure", "3.3", "removed"),
    ("added", "measure", "2.3", "added"),
    ("changed", "task", "11", "renumbered"),
    ("changed", "task", "12", "renumbered"),
}
ADDED = "(3)建立公平竞争审查第三方评估机制,每年开展一次评估。"


def _block(lines: list[str], start: str, end: str) -> tuple[int, int]:
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i, line in enumerate(lines) if i > first and line.startswith(end))
    return first, last


def revised_text() -> str:
    lines = bundled_text().splitlines()
    lines[next(i for i, x in enumerate(lines) if x.startswith("中国(湖南)自由贸易试验区岳阳"))] = (
        "中国(湖南)自由贸易试验区岳阳片区实施方案"
    )
    first, last = _block(lines, "(四)加强重大项目用地保障", "(五)")
    for i in range(first, last):
        lines[i] = lines[i].replace("落实时间:2021年8月底前", "落实时间:2021年10月底前")
    i = next(i for i, x in enumerate(lines) if x.startswith("(1)全面落实公平竞争审查制度"))
    lines[i] = lines[i].replace(
        "(1)全面落实公平竞争审查制度", "(1)全面落实并完善公平竞争审查制度", 1
    )
    j = next(k for k in range(i + 1, len(lines)) if lines[k].startswith("2.评估目标"))
    lines.insert(j, ADDED)
    del lines[next(i for i, x in enumerate(lines) if x.startswith("(3)优化要素保障力度"))]
    a, b = _block(lines, "(十一)", "(十二)")
    _, c = _block(lines, "(十二)", "(十三)")
    eleven, twelve = lines[a:b], lines[b:c]
    twelve[0] = twelve[0].replace("(十二)", "(十一)", 1)
    eleven[0] = eleven[0].replace("(十一)", "(十二)", 1)
    lines[a:c] = twelve + eleven
    return "\n".join(lines) + "\n"
