"""The demo database shows 督查督办 true to life: 催办 records, 督办单 in every state, extensions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from luoshi.accounts.demo import demo_accounts_ensure
from luoshi.progress.services import cycle_open_month
from luoshi.supervision.demo import demo_supervision_ensure
from luoshi.supervision.models import (
    Assignment,
    Exemption,
    Extension,
    Meeting,
    Notice,
    NoticeState,
    Oversight,
    Urging,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_demo_supervision_has_some_of_each_and_is_made_once(imported_plan, tmp_path):
    demo_accounts_ensure(tmp_path / "demo-accounts.json")
    office = User.objects.get(username="office")
    cycle_open_month(plan=imported_plan, year=2023, month=12, actor=office)  # as the history has
    assert demo_supervision_ensure(imported_plan, office) == 5
    states = set(Notice.objects.values_list("state", flat=True))
    assert {"proposed", "issued", "signed", "replied", "returned", "closed"} <= states
    assert Urging.objects.exists() and Oversight.objects.count() == 3
    assert 1 <= Notice.objects.filter(state="proposed").count() <= 5  # a handful, not hundreds
    assert set(Extension.objects.values_list("state", flat=True)) == {"approved", "pending"}
    kinds = {(a.kind, a.state) for a in Assignment.objects.all()}
    assert {("instruction", "open"), ("instruction", "answered")} <= kinds
    assert {("decision", "open"), ("decision", "closed"), ("coordination", "answered")} <= kinds
    assert Meeting.objects.get().decisions.count() == 3
    assert set(Exemption.objects.values_list("state", flat=True)) == {"approved", "pending"}
    assert demo_supervision_ensure(imported_plan, office) == 0
    page = client_for(office).get("/supervision/").content.decode()
    assert all(n.label in page for n in Notice.objects.exclude(state=NoticeState.PROPOSED))
