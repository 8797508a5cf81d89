"""Shared personas over the imported Yueyang plan, and a cycle open for reporting."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.plans.models import Measure, Organisation
from luoshi.progress.services import cycle_open_month

PERSONAS = {
    "office": (Role.OFFICE, "片区办"),
    "leader": (Role.LEADER, None),
    "evaluator": (Role.EVALUATOR, None),
    "auditor": (Role.AUDITOR, None),
    "market_reporter": (Role.REPORTER, "市市场监管局"),
    "market_head": (Role.HEAD, "市市场监管局"),
    "customs_reporter": (Role.REPORTER, "岳阳海关"),
    "customs_head": (Role.HEAD, "岳阳海关"),
    "finance_reporter": (Role.REPORTER, "市财政局"),
}
PASSWORD = "Correct-horse-2021!"


@pytest.fixture
def people(imported_plan) -> SimpleNamespace:
    Organisation.objects.get_or_create(
        name="片区办", defaults={"kind": "institution", "level": "city"}
    )
    found = {}
    for username, (role, organisation) in PERSONAS.items():
        user = User.objects.create_user(username, f"{username}@example.gov.cn", PASSWORD)
        org = Organisation.objects.get(name=organisation) if organisation else None
        membership_set(user=user, role=role, organisation=org, actor=None)
        found[username] = User.objects.get(pk=user.pk)
    return SimpleNamespace(**found)


@pytest.fixture
def cycle(imported_plan, people):
    return cycle_open_month(plan=imported_plan, year=2021, month=6, actor=people.office)


@pytest.fixture
def market_measure(imported_plan) -> Measure:
    """Task 10's only measure, led by 市市场监管局 alone: accepting it implements the task."""
    return Measure.objects.get(task__plan=imported_plan, task__number=10)


@pytest.fixture
def customs_supported_measure(imported_plan) -> Measure:
    """Measure 83.1: led by 市市场监管局 with 岳阳海关 supporting."""
    return Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
