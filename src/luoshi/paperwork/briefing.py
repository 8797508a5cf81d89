"""The periodic briefing (工作通报) as .docx, for any as-of date: what was true then."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext

from luoshi.metrics.cache import cached
from luoshi.metrics.facts import MeasureFact, TaskFact
from luoshi.metrics.forecast import Forecast
from luoshi.metrics.headline import Headline
from luoshi.metrics.lights import Colour
from luoshi.paperwork.chart import rate_chart
from luoshi.paperwork.selectors import BriefingData, briefing_data
from luoshi.paperwork.word import (
    addressee,
    body,
    chinese_date,
    in_chinese,
    number_line,
    official,
    signature,
    table,
    title,
)
from luoshi.plans.models import Plan

STATUS_WORDS = {"green": "正常", "yellow": "关注", "red": "预警", "missing": "缺数据"}


@in_chinese
def briefing_docx(plan: Plan, as_of: dt.date, office: str = "片区工作领导小组办公室") -> bytes:
    """The same bytes for every reader of the plan as of the day: kept until the next write
    (metrics/cache.py), so a second download (another reader, the PDF job) does not make it again."""
    return cached(
        "briefing-docx",
        (plan.pk, as_of, office),
        lambda: render_briefing(briefing_data(plan, as_of), office),
        local=False,
    )


def render_briefing(data: BriefingData, office: str) -> bytes:
    """The document from what was read: writing it queries nothing."""
    h, start, as_of = data.headline, data.start, data.as_of
    import docx  # heavy: imported when a document is made, not at start-up
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = docx.Document()
    official(document)
    # 文号: one 通报 a month, numbered by its month.
    number_line(document, f"岳片改办通〔{as_of.year}〕{as_of.month}号")
    title(document, "中国（湖南）自由贸易试验区岳阳片区\n改革试点任务落实情况通报")
    document.add_paragraph(
        f"（统计截至 {chinese_date(as_of)}）"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    addressee(document, "片区各责任单位")

    document.add_heading("一、总体情况", level=1)
    target = h.target
    verdict = ("已达到" if h.on_target else "尚未达到") if target else ""
    body(
        document,
        f"截至{chinese_date(as_of)}，{len(h.facts.tasks)}项改革试点任务已落实{h.rate.done}项，落实率{h.rate.percent}%；"
        f"{h.measure_rate.total}项举措已落实{h.measure_rate.done}项（{h.measure_rate.percent}%）。"
        + (
            f"对照“{target.year}年底落实率达到{target.value:g}%”的目标，{verdict}。"
            if target
            else ""
        ),
    )
    for f in h.forecasts:
        document.add_paragraph(_forecast_line(f), style="List Bullet")
    targets = [(t.deadline, t.value) for t in h.facts.rate_targets() if t.deadline]
    document.add_picture(io.BytesIO(rate_chart(data.trend, targets)), width=Cm(15))

    document.add_heading("二、本期进展", level=1)
    accepted = accepted_in(h, start)
    body(
        document,
        f"{chinese_date(start)}至{as_of.month}月{as_of.day}日，验收落实举措{len(accepted)}项。",
    )
    table(
        document,
        ["举措", "牵头单位", "验收日期"],
        [[m.code, _names(h, m.leads), f"{m.implemented_on:%Y-%m-%d}"] for m in accepted],
    )

    document.add_heading("三、逾期及预警事项", level=1)
    red = [
        (t, h.task_lights[t.id]) for t in h.facts.tasks if h.task_lights[t.id].colour == Colour.RED
    ]
    body(document, f"逾期任务{len(h.overdue)}项，亮红灯任务{len(red)}项。")
    n = data.notices
    body(
        document,
        f"督办情况：累计下发督办单{n['issued']}件，已办结{n['closed']}件，在办{n['open']}件，"
        f"其中超过反馈期限未反馈{n['late']}件。",
    )
    body(document, _assignment_line(data.assignments))
    table(
        document,
        ["任务", "牵头单位", "原因"],
        [
            [f"（{t.number}）{t.title[:30]}", _leads(h, t), "；".join(light.reasons)]
            for t, light in red
        ],
    )

    risks = h.facts.high_risks
    body(document, f"未化解的高风险{len(risks)}项。")
    if risks:
        numbers = {t.id: t.number for t in h.facts.tasks}
        table(
            document,
            ["任务", "风险描述", "责任人", "登记日期"],
            [
                [
                    f"任务{numbers.get(r.task_id, '')}",
                    r.description,
                    r.owner,
                    f"{r.raised_on:%Y-%m-%d}",
                ]
                for r in risks
            ],
        )

    document.add_heading("四、单位落实情况排名", level=1)
    ranking = data.ranking
    table(
        document,
        ["名次", "单位", "牵头举措", "已落实", "落实率"],
        [
            [i, r.name, r.as_lead.total, r.as_lead.done, f"{r.as_lead.percent}%"]
            for i, r in enumerate(ranking, start=1)
        ],
    )

    body(document, "年度考核得分（百分制落实分加减分，与考核排名页面同一口径）：")
    table(
        document,
        ["名次", "单位", "得分", "落实分", "加减分"],
        [[s.rank, s.name, s.total, s.base, s.extra] for s in data.scores[:10]],
    )

    document.add_heading("五、主要预期指标", level=1)
    table(
        document,
        ["指标", "目标", "当前", "状态", "说明"],
        [[k.name, k.target, k.value, STATUS_WORDS[k.status], k.reason] for k in data.kpis],
    )

    document.add_heading("六、制度创新案例", level=1)
    submitted = h.facts.cases
    cases = [c for c in submitted if c.submitted_on >= start]
    body(document, f"本期新报送案例{len(cases)}个，累计报送{len(submitted)}个。")
    for case in cases:
        document.add_paragraph(
            f"{case.title}（{case.organisation}，{case.level_label}，{case.stage_label}）",
            style="List Bullet",
        )

    document.add_heading("七、下一步工作", level=1)
    for line in _next_steps(h):
        document.add_paragraph(line, style="List Number")
    signature(document, office, as_of)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _assignment_line(counts: dict[str, dict[str, int]]) -> str:
    words = {"instruction": "领导批示", "decision": "会议议定事项", "coordination": "协调事项"}
    parts = [
        f"{word}{counts[kind]['total']}项（已办结{counts[kind]['closed']}项，逾期{counts[kind]['late']}项）"
        for kind, word in words.items()
    ]
    return "督办事项：" + "，".join(parts) + "。"


def _forecast_line(f: Forecast) -> str:
    head = f"{f.deadline:%Y年}目标{f.target.value:g}%："
    if f.past:
        return head + f"实际{f.expected_percent}%，{f.verdict}。"
    outlook = "可以完成" if f.will_meet else f"难以完成，需每月落实{f.needed_per_month}项"
    scheduled = (
        gettext("未落实任务中，按各单位审定的节点计划可按期落实%(n)s项。") % {"n": f.scheduled}
        if f.scheduled
        else ""
    )
    return (
        head
        + f"按近6个月进度（每月{f.pace_per_month:.1f}项）预计达到{f.expected_percent}%，{outlook}。"
        + scheduled
    )


def accepted_in(h: Headline, start: dt.date) -> list[MeasureFact]:
    """Measures implemented (completion accepted) from `start` to the headline's date, in order."""
    done = [
        m
        for m in h.facts.measures.values()
        if m.implemented_on is not None and start <= m.implemented_on <= h.as_of
    ]
    return sorted(done, key=lambda m: (m.implemented_on or start, m.code))


def _names(h: Headline, organisations: tuple[int, ...]) -> str:
    return "、".join(h.facts.organisations[o] for o in organisations)


def _leads(h: Headline, task: TaskFact) -> str:
    return "、".join(
        sorted(
            {h.facts.organisations[o] for i in task.measure_ids for o in h.facts.measures[i].leads}
        )
    )


def _next_steps(h: Headline) -> list[str]:
    steps = []
    if h.overdue:
        steps.append(
            f"对{len(h.overdue)}项逾期任务逐项督办，牵头单位于下一填报周期前说明原因并提出整改时限。"
        )
    upcoming = next((f for f in h.forecasts if not f.past), None)
    if upcoming and not upcoming.will_meet:
        steps.append(
            f"按每月落实{upcoming.needed_per_month}项的进度倒排工期，确保{upcoming.deadline:%Y年}目标。"
        )
    steps.append("各责任单位按时报送进展，及时总结可复制推广的制度创新经验。")
    return steps
