"""Plans of the same family in other notations: short documents written for the test, read field by field.

Each row is one item: code, number as written, text, units, deadline, note on how its units were decided.
Units read `name/role`, with `/inherited` or `/rule` when not written on the item, `+等` for "and others".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from luoshi.ingest import parse_bytes
from luoshi.ingest.model import AnomalyCode, Deadline, ParsedPlan, UnitRef


def unit(u: UnitRef) -> str:
    source = "" if u.source == "written" else f"/{u.source}"
    return f"{u.name}/{u.role}{source}{'+等' if u.and_others else ''}"


def due(d: Deadline | None) -> tuple[str, str, dt.date | None] | None:
    return (d.text, d.kind.value, d.due_date) if d else None


def rows(plan: ParsedPlan) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for t in plan.tasks:
        out.append(
            (
                str(t.number),
                t.numeral,
                t.title,
                [unit(u) for u in t.units],
                due(t.deadline),
                t.units_note,
            )
        )
        out += [
            (
                f"{t.number}.{m.number}",
                m.number_as_written,
                m.text,
                [unit(u) for u in m.units],
                due(m.deadline),
                m.units_note,
            )
            for m in t.measures
        ]
    return out


def codes(plan: ParsedPlan, code: AnomalyCode) -> list[tuple[int | None, str]]:
    return [(a.line, str(a.message)) for a in plan.report.of(code)]


STATE_COUNCIL = """国务院关于印发中国（某某）自由贸易试验区总体方案的通知
国发〔2020〕10号
一、总体要求
（一）指导思想。
以新发展理念为引领，以制度创新为核心。
二、主要任务和措施
（一）
加快转变政府职能
1.深化“放管服”改革。2021年底前实现企业开办全程网上办理。
2.建立健全事中事后监管制度。
（二）深化投资领域改革
3.全面落实外商投资准入前国民待遇加负面清单管理制度。
4.创新投资服务方式。
（1）建立重大项目库。
（2）完善项目推进机制，比2018年缩短审批时间一半。
三、保障机制
加强党的领导。
"""


def test_numbering_on_its_own_line_running_across_sections_and_nested_without_units():
    plan = parse_bytes(STATE_COUNCIL.encode(), "state-council.txt")
    assert rows(plan) == [
        ("1", "一", "加快转变政府职能", [], None, ""),
        (
            "1.1",
            "1",
            "深化“放管服”改革。2021年底前实现企业开办全程网上办理。",
            [],
            ("2021年底前", "dated", dt.date(2021, 12, 31)),
            "",
        ),
        ("1.2", "2", "建立健全事中事后监管制度。", [], None, ""),
        ("2", "二", "深化投资领域改革", [], None, ""),
        ("2.3", "3", "全面落实外商投资准入前国民待遇加负面清单管理制度。", [], None, ""),
        ("2.4", "4.（1）", "建立重大项目库。", [], None, ""),
        (
            "2.5",
            "4.（2）",
            "完善项目推进机制，比2018年缩短审批时间一半。",
            [],
            None,
            "",
        ),  # a bare year is no deadline
    ]
    assert [m.group for m in plan.tasks[1].measures] == [
        "",
        "4.创新投资服务方式。",
        "4.创新投资服务方式。",
    ]
    assert plan.level == "central"
    assert codes(plan, AnomalyCode.NUMBER_GAP) == []  # 3. after 2. runs on across （二）
    assert codes(plan, AnomalyCode.NO_UNITS_IN_DOCUMENT) == [
        (None, "文件未写明责任单位：2 项任务导入时没有单位")
    ]
    assert codes(plan, AnomalyCode.UNPARSED_LINE) == []
    assert plan.sections[0].text == "（一）指导思想。\n以新发展理念为引领，以制度创新为核心。"


CITY = """岳阳市落实自贸试验区改革试点经验重点工作分工方案
来源：岳阳市人民政府办公室
一、投资管理领域
（以下均需城陵矶新港区落实，不再列出）
（一）推行企业投资项目承诺制。（市发改委牵头，市行政审批局参与，2021年底前）
（二）开展“证照分离”改革全覆盖。（市市场监管局负责，下同）
（三）推行市场主体简易注销。
二、贸易便利领域
（一）推广进口商品“一站式”服务。（各有关单位负责）
（二）推进国际贸易“单一窗口”建设。（不再做分工，下同）
（三）推广海关“两步申报”。
"""


def test_default_rules_carried_units_catch_alls_and_numbering_restarting_per_part():
    plan = parse_bytes(CITY.encode(), "city.txt")
    zone = "城陵矶新港区/supporting/inherited"
    zone_alone = "城陵矶新港区/responsible/inherited"
    default = "以下均需城陵矶新港区落实（第4行）"
    carried = "下同（第6行）"
    none = "不再分工（第10行：不再做分工，下同）"
    task_rows = [r for r in rows(plan) if "." not in r[0]]
    assert task_rows == [
        (
            "1",
            "一",
            "推行企业投资项目承诺制。",
            ["市发展改革委/lead", "市行政审批局/supporting", zone],
            ("2021年底前", "dated", dt.date(2021, 12, 31)),
            default,
        ),
        (
            "2",
            "二",
            "开展“证照分离”改革全覆盖。",
            ["市市场监管局/responsible", zone_alone],
            None,
            default,
        ),
        (
            "3",
            "三",
            "推行市场主体简易注销。",
            ["市市场监管局/responsible/inherited", zone_alone],
            None,
            f"{carried}；{default}",
        ),
        (
            "4",
            "一",
            "推广进口商品“一站式”服务。",
            [zone_alone],
            None,
            f"仅写“各有关单位”，未列明单位；{default}",
        ),
        ("5", "二", "推进国际贸易“单一窗口”建设。", [zone_alone], None, f"{none}；{default}"),
        ("6", "三", "推广海关“两步申报”。", [zone_alone], None, f"{none}；{default}"),
    ]
    for task in plan.tasks:  # a task with nothing below it is tracked as its one measure
        (measure,) = task.measures
        assert (measure.text, measure.units, measure.deadline, measure.units_note) == (
            task.title,
            task.units,
            task.deadline,
            task.units_note,
        )
    assert codes(plan, AnomalyCode.NUMBERING_RESTARTS) == [
        (9, "任务 （一） 在本部分重新编号：在方案中编为 4")
    ]
    assert codes(plan, AnomalyCode.NUMBER_GAP) == []  # （二） after （一） in the same part
    assert len(codes(plan, AnomalyCode.TASK_AS_MEASURE)) == 6
    assert plan.level == "city" and codes(plan, AnomalyCode.UNPARSED_LINE) == []


PROVINCE = """湖南省人民政府关于印发中国（湖南）自由贸易试验区建设实施方案的通知
来源：湖南省人民政府
一、重点任务
（一）优化营商环境。
1.2019年6月底前完成企业开办“一窗通办”改革，到2020年全面推广。（发展改革委、商务厅牵头，各市州人民政府参与）
2.每年2月底前报送上年度改革评估报告。（牵头单位：商务厅）
3.2020年起实行外商投资信息报告制度，5年内逐月通报。（商务厅负责）
4.建立对外投资合作服务平台。（工业和信息化厅、口岸物流办负责，持续推进）
（二）完善事中事后监管。
推行信用分级分类监管。（市场监管局牵头，财政厅等有关部门参与）
推行包容审慎监管。（市场监管局负责）
"""


def test_deadlines_in_prose_and_names_read_at_the_documents_level():
    plan = parse_bytes(PROVINCE.encode(), "province.txt")
    assert rows(plan)[1:] == [
        (
            "1.1",
            "1",
            "2019年6月底前完成企业开办“一窗通办”改革，到2020年全面推广。",
            ["省发展改革委/lead", "省商务厅/lead", "各市州人民政府/supporting"],
            ("2019年6月底前；到2020年", "dated", dt.date(2020, 12, 31)),
            "",
        ),
        (
            "1.2",
            "2",
            "每年2月底前报送上年度改革评估报告。",
            ["省商务厅/lead"],
            ("每年2月底前", "recurring", None),
            "",
        ),
        (
            "1.3",
            "3",
            "2020年起实行外商投资信息报告制度，5年内逐月通报。",
            ["省商务厅/responsible"],
            ("2020年起", "ongoing", None),
            "",
        ),  # 5年内 and 逐月 are no deadlines
        (
            "1.4",
            "4",
            "建立对外投资合作服务平台。",
            ["省工业和信息化厅/responsible", "口岸物流办/responsible"],
            ("持续推进", "ongoing", None),
            "",
        ),
        ("2", "二", "完善事中事后监管。", [], None, ""),
        (  # items with no number inside a numbered parent
            "2.1",
            None,
            "推行信用分级分类监管。",
            ["省市场监管局/lead", "省财政厅/supporting+等"],
            None,
            "",
        ),
        ("2.2", None, "推行包容审慎监管。", ["省市场监管局/responsible"], None, ""),
    ]
    assert plan.level == "provincial"
    assert codes(plan, AnomalyCode.LEVEL_RESOLVED)[:2] == [
        (5, "“发展改革委” → 省发展改革委：省级文件"),
        (5, "“商务厅” → 省商务厅：省级文件"),
    ]
    assert codes(plan, AnomalyCode.SEVERAL_DEADLINES) == [
        (5, "正文中有多个期限（2019年6月底前、到2020年）：期限取 2020-12-31")
    ]
    unknown = {o.name: o.level for o in plan.organisations if not o.known}
    assert unknown == {
        "各市州人民政府": "city",
        "口岸物流办": "provincial",
    }  # created and reported


def test_the_same_short_name_is_a_different_organisation_at_each_level():
    def lead(title: str, issuer: str) -> str:
        text = f"{title}\n来源：{issuer}\n一、主要任务\n（一）推进改革。（发展改革委牵头）\n"
        return parse_bytes(text.encode(), "x.txt").tasks[0].units[0].name

    assert lead("国务院关于印发总体方案的通知", "国务院") == "国家发展改革委"
    assert lead("湖南省实施方案", "湖南省人民政府") == "省发展改革委"
    assert lead("岳阳市实施方案", "岳阳市人民政府") == "市发展改革委"
    assert (
        lead("岳阳市贯彻落实省委部署实施方案", "岳阳市人民政府") == "市发展改革委"
    )  # the issuer decides
    assert (
        lead("湖南省商务厅关于印发实施方案的通知", "") == "省发展改革委"
    )  # else the title's issuer


INDICATORS = """某区实施方案
一、发展目标
主要指标
指标名称
单位
2023年目标
新设企业数
家
三年共600家
外贸进出口增速
%
15%
二、主要任务
（一）推进改革。（市商务局负责）
"""


def test_an_indicator_table_without_categories_and_one_target_column():
    plan = parse_bytes(INDICATORS.encode(), "kpi.txt")
    assert [
        (i.category, i.name, i.unit, i.kind.value, i.area.text, i.province.text)
        for i in plan.indicators
    ] == [
        ("", "新设企业数", "家", "cumulative", "三年共600家", ""),
        ("", "外贸进出口增速", "%", "unknown", "15%", ""),  # the document does not say 年均
    ]
    assert codes(plan, AnomalyCode.INDICATOR_CELLS) == []


PILOT = """某试点城市改革任务分工方案
二、重点任务
（以下均需试点城市政府落实，不再列出）
（一）推进跨境贸易便利化。
（牵头单位：市商务局，配合单位：岳阳海关，下同）
1.落实举措。
推行进口货物“船边直提”。
牵头单位：岳阳海关
推行出口货物“抵港直装”。
2.评估目标。
通关时间压缩。
（二）优化口岸收费。
1.落实举措。
（1）公示口岸收费目录清单。
2.评估目标。
收费目录公开。
"""


def test_rules_on_header_lines_hold_for_later_tasks_and_labels_follow_unnumbered_items():
    plan = parse_bytes(PILOT.encode(), "pilot.txt")
    pilot, supports = "试点城市政府/responsible/inherited", "试点城市政府/supporting/inherited"
    default = "以下均需试点城市政府落实（第3行）"
    assert rows(plan) == [
        (
            "1",
            "一",
            "推进跨境贸易便利化。",
            ["市商务粮食局/lead", "岳阳海关/supporting", supports],
            None,
            default,
        ),
        ("1.1", None, "推行进口货物“船边直提”。", ["岳阳海关/lead", supports], None, default),
        ("1.2", None, "推行出口货物“抵港直装”。", [pilot], None, default),
        (
            "2",
            "二",
            "优化口岸收费。",
            ["市商务粮食局/lead/inherited", "岳阳海关/supporting/inherited", supports],
            None,
            f"下同（第5行）；{default}",
        ),
        ("2.1", "1", "公示口岸收费目录清单。", [pilot], None, default),
    ]
    assert plan.tasks[0].measures[0].span.last == 8  # the label line belongs to the item above
    assert [t.evaluation_target for t in plan.tasks] == ["通关时间压缩。", "收费目录公开。"]
    assert (3, "“试点城市政府”不在单位名录中") in codes(plan, AnomalyCode.UNKNOWN_ORGANISATION)
    assert (
        codes(plan, AnomalyCode.UNPARSED_LINE) == []
        and codes(plan, AnomalyCode.NO_RESPONSIBILITY) == []
    )


def test_a_plan_without_parts_starts_at_its_first_numbered_item():
    text = (
        "岳阳片区2022年重点工作清单\n各单位要按时完成。\n"
        "1.出台人才新政。（市委组织部负责）\n2.建设跨境电商产业园。（城陵矶新港区负责）\n"
    )
    plan = parse_bytes(text.encode(), "list.txt")
    assert [(r[0], r[2], r[3]) for r in rows(plan)] == [
        ("1", "出台人才新政。", ["市委组织部/responsible"]),
        ("1.1", "出台人才新政。", ["市委组织部/responsible"]),
        ("2", "建设跨境电商产业园。", ["城陵矶新港区/responsible"]),
        ("2.1", "建设跨境电商产业园。", ["城陵矶新港区/responsible"]),
    ]
    assert plan.introduction == "各单位要按时完成。"


def test_an_indicator_table_whose_columns_are_years():
    text = INDICATORS.replace("2023年目标\n", "2021年\n2022年\n2023年\n").replace(
        "家\n三年共600家\n外贸进出口增速\n%\n15%\n",
        "家\n200\n400\n600\n外贸进出口增速\n%\n15%\n15%\n",
    )
    plan = parse_bytes(text.encode(), "years.txt")
    assert [(i.name, i.kind.value, i.area.text, i.area.by_year) for i in plan.indicators] == [
        (
            "新设企业数",
            "unknown",  # per year or running total? the office confirms
            "2021年200；2022年400；2023年600",
            {2021: Decimal(200), 2022: Decimal(400), 2023: Decimal(600)},
        ),
        (
            "外贸进出口增速",
            "unknown",
            "2021年15%；2022年15%",
            {2021: Decimal(15), 2022: Decimal(15)},
        ),
    ]
    assert [str(a.message) for a in plan.report.of(AnomalyCode.INDICATOR_CELLS)] == [
        "“外贸进出口增速”：2 个单元格对应 3 个年份列"
    ]


def test_the_sample_plan_in_the_docs_reads_as_documented():
    from pathlib import Path

    sample = Path(__file__).parents[2] / "docs" / "samples" / "province-plan-notations.txt"
    plan = parse_bytes(sample.read_bytes(), sample.name)
    summary = {r[0]: r for r in rows(plan)}
    assert len(plan.tasks) == 5 and len(plan.measures) == 11 and plan.level == "provincial"
    assert summary["1.3"][3] == [
        "省发展改革委/responsible/inherited",
        "各片区管委会/responsible/inherited",
    ]
    assert summary["1.3"][4] == ("到2022年", "dated", dt.date(2022, 12, 31))
    assert summary["2.1"][3][:2] == ["省口岸办/lead", "长沙海关/supporting"]
    assert summary["3.2"][1:4] == (
        "1.（2）",
        "总结评估试点成效，2022年底前形成可复制经验。",
        ["各片区管委会/responsible/inherited"],  # the 下同 of 1.2 stays within task 1
    )
    assert (
        codes(plan, AnomalyCode.NUMBER_GAP) == [] and codes(plan, AnomalyCode.UNPARSED_LINE) == []
    )


def test_a_measure_numbered_out_of_order_is_reported():
    text = "某方案\n一、主要任务\n（一）推进改革。\n（1）第一条。（市商务局负责）\n（3）第三条。（市商务局负责）\n"
    plan = parse_bytes(text.encode(), "gap.txt")
    assert [m.number for m in plan.measures] == [1, 3]
    assert codes(plan, AnomalyCode.NUMBER_GAP) == [(5, "举措 （3） 接在 （1） 之后")]


CHAPTERS = """某区落实自贸试验区建设实施方案
第一部分 总体要求
坚持制度创新。
第二部分 重点任务
一、投资便利化
（一）推行企业投资项目承诺制。（区发改局负责）
（二）推行“标准地”出让。（区自然资源局负责）
二、贸易便利化
（一）推进通关一体化。（区商务局负责）
第三部分 保障措施
加强组织领导。
"""


def test_parts_written_as_chapters_and_a_plan_that_marks_no_lead():
    plan = parse_bytes(CHAPTERS.encode(), "chapters.txt")
    assert [(s.numeral, s.title) for s in plan.sections] == [
        ("一", "总体要求"),
        ("二", "重点任务"),
        ("三", "保障措施"),
    ]
    assert [(r[0], r[2], r[3]) for r in rows(plan)] == [
        ("1", "投资便利化", []),
        ("1.1", "推行企业投资项目承诺制。", ["区发改局/responsible"]),
        ("1.2", "推行“标准地”出让。", ["区自然资源局/responsible"]),
        ("2", "贸易便利化", []),
        ("2.1", "推进通关一体化。", ["区商务局/responsible"]),
    ]
    assert codes(plan, AnomalyCode.NO_LEAD) == [
        (None, "方案未标明牵头单位：3 条举措只写了责任单位")
    ]


def test_the_other_notations_read_the_same_from_word_html_and_gb18030():
    from tests.variants import as_docx, as_portal_html

    expected = rows(parse_bytes(PROVINCE.encode(), "province.txt"))
    # ASCII brackets and a fullwidth stop, as other offices type them
    typed = PROVINCE.replace("1.", "1．").replace("（", "(").replace("）", ")")
    for data, name in (
        (as_docx(PROVINCE), "province.docx"),
        (as_portal_html(PROVINCE), "province.html"),
        (PROVINCE.replace("\n", "\r\n").encode("gb18030"), "province-gb.txt"),
        (typed.encode(), "province-ascii.txt"),
    ):
        assert rows(parse_bytes(data, name)) == expected, name
