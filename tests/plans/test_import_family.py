"""Plans of other levels and notations, stored beside the Yueyang plan: organisations per jurisdiction,
inherited units and measure deadlines as data, and the measure's own deadline used by the metrics."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ingest import parse_bytes
from luoshi.metrics.facts import load_facts
from luoshi.plans.models import Measure, Organisation, Responsibility
from luoshi.plans.services import plan_import
from tests.ingest.test_outlines import CITY, PROVINCE

pytestmark = pytest.mark.django_db


def test_three_levels_of_the_same_short_name_are_three_organisations(imported_plan):
    plan_import(parsed=parse_bytes(PROVINCE.encode(), "province.txt"))
    central = (
        "国务院关于印发总体方案的通知\n来源：国务院\n一、主要任务\n"
        "（一）推进改革。（发展改革委牵头，国家数据局参与）\n"
    )
    plan_import(parsed=parse_bytes(central.encode(), "central.txt"))
    levels = dict(
        Organisation.objects.filter(name__contains="发展改革委").values_list("name", "level")
    )
    assert levels == {
        "国家发展改革委": "central",
        "省发展改革委": "provincial",
        "市发展改革委": "city",
    }
    created = Organisation.objects.get(
        name="国家数据局"
    )  # unknown: created, flagged, never dropped
    assert (created.level, created.in_directory) == ("central", False)


def test_inherited_units_rule_notes_and_measure_deadlines_are_stored():
    city = plan_import(parsed=parse_bytes(CITY.encode(), "city.txt")).plan
    third = Measure.objects.get(task__plan=city, task__number=3)
    assert [
        (d.organisation.name, d.role, d.source)
        for d in Responsibility.objects.filter(measure=third).order_by("position")
    ] == [
        ("市市场监管局", "responsible", "inherited"),
        ("城陵矶新港区", "responsible", "inherited"),
    ]
    assert third.units_note == "下同（第6行）；以下均需城陵矶新港区落实（第4行）"
    province = plan_import(parsed=parse_bytes(PROVINCE.encode(), "province.txt")).plan
    first = Measure.objects.get(task__plan=province, task__number=1, number=1)
    assert (first.deadline_text, first.due_kind, first.due_date) == (
        "2019年6月底前；到2020年",
        "dated",
        dt.date(2020, 12, 31),
    )
    assert first.deadline_in_force == ("2019年6月底前；到2020年", dt.date(2020, 12, 31))


def test_a_measure_is_held_to_its_own_deadline_else_its_tasks():
    text = (
        "某区实施方案\n一、主要任务\n（一）推进改革。（市商务局负责，2022年底前）\n"
        "1.2021年6月底前出台办法。\n2.开展试点。\n"
    )
    plan = plan_import(parsed=parse_bytes(text.encode(), "deadlines.txt")).plan
    facts = load_facts(plan)
    due = {m.code: (m.due_date, m.ongoing) for m in facts.measures.values()}
    assert due == {"1.1": (dt.date(2021, 6, 30), False), "1.2": (dt.date(2022, 12, 31), False)}


def test_the_measure_ledger_shows_a_measures_own_deadline():
    import io

    from openpyxl import load_workbook

    from luoshi.paperwork.plan_export import plan_as_xlsx

    plan = plan_import(parsed=parse_bytes(PROVINCE.encode(), "province.txt")).plan
    sheet = load_workbook(io.BytesIO(plan_as_xlsx(plan)))["举措台账"]
    header = [c.value for c in sheet[1]]
    by_code = {
        r[0]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert (by_code["1.1"]["落实时间"], by_code["1.1"]["截止日期"]) == (
        "2019年6月底前；到2020年",
        "2020-12-31",
    )
    assert by_code["2.1"]["落实时间"] in ("", None)  # neither the measure nor its task states one
