"""A cycle's name follows the reader: named from its period in the reader's language unless the
office typed one (kept as typed); cycles stored with the old default Chinese name read the same."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import translation

from luoshi.progress.models import ReportingCycle, period_label
from luoshi.progress.services import cycle_open, report_draft
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("starts", "ends", "chinese", "english"),
    [
        ((2022, 6, 1), (2022, 6, 30), "2022年06月", "2022-06"),
        ((2022, 4, 1), (2022, 6, 30), "2022年第2季度", "Q2 2022"),
        ((2022, 7, 1), (2022, 12, 31), "2022年下半年", "H2 2022"),
        ((2022, 1, 1), (2022, 12, 31), "2022年", "2022"),
        ((2022, 5, 1), (2022, 6, 30), "2022-05-01 至 2022-06-30", "2022-05-01 to 2022-06-30"),
        ((2022, 6, 2), (2022, 6, 30), "2022-06-02 至 2022-06-30", "2022-06-02 to 2022-06-30"),
    ],
)
def test_a_period_is_named_in_each_language(starts, ends, chinese, english):
    message, values = period_label(dt.date(*starts), dt.date(*ends))
    assert translation.gettext(message) % values == chinese
    with translation.override("en"):
        assert translation.gettext(message) % values == english


def test_an_english_reader_sees_the_cycle_in_english(people, cycle, market_measure):
    """Opened while the site speaks Chinese, with no name typed: its pages read in each language."""
    assert cycle.typed_name == "" and cycle.name == "2021年06月"
    report = report_draft(
        measure=market_measure, cycle=cycle, actor=people.market_reporter, work_done="推进中"
    )
    english = client_for(people.market_reporter)
    english.cookies["django_language"] = "en"
    for url in (f"/reports/{report.pk}/", "/my/"):
        text = english.get(url).content.decode()
        assert "2021-06" in text and "2021年06月" not in text, url
    assert (
        "2021年06月"
        in client_for(people.market_reporter).get(f"/reports/{report.pk}/").content.decode()
    )


def test_a_typed_name_is_kept_in_every_language(people, imported_plan):
    typed = cycle_open(
        plan=imported_plan,
        starts_on=dt.date(2021, 7, 1),
        ends_on=dt.date(2021, 9, 30),
        actor=people.office,
        name="三季度专项调度",
    )
    with translation.override("en"):
        assert ReportingCycle.objects.get(pk=typed.pk).name == "三季度专项调度"
    untyped = cycle_open(
        plan=imported_plan,
        starts_on=dt.date(2021, 10, 1),
        ends_on=dt.date(2021, 12, 31),
        actor=people.office,
    )
    assert untyped.name == "2021年第4季度"
    with translation.override("en"):
        assert untyped.name == "Q4 2021"


def test_cycles_stored_with_the_old_default_name_follow_the_reader(people, imported_plan):
    migration = importlib.import_module("luoshi.progress.migrations.0007_cycle_names_from_periods")
    old = ReportingCycle.objects.create(
        plan=imported_plan,
        typed_name="2021年06月",  # what the system used to store by default
        starts_on=dt.date(2021, 6, 1),
        ends_on=dt.date(2021, 6, 30),
        due_on=dt.date(2021, 6, 30),
    )
    own = ReportingCycle.objects.create(
        plan=imported_plan,
        typed_name="七月专项",
        starts_on=dt.date(2021, 7, 1),
        ends_on=dt.date(2021, 7, 31),
        due_on=dt.date(2021, 7, 31),
    )
    migration.clear_default_names(apps, None)
    old.refresh_from_db()
    own.refresh_from_db()
    assert (old.typed_name, old.name, own.name) == ("", "2021年06月", "七月专项")
    with translation.override("en"):
        assert (old.name, own.name) == ("2021-06", "七月专项")
