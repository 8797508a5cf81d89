"""The read-only JSON API (with its OpenAPI schema) and the admin pages over the imported plan."""

from __future__ import annotations

import pytest
from django.test import Client

from luoshi.plans.models import Organisation

pytestmark = pytest.mark.django_db


def test_anonymous_requests_are_refused(client, imported_plan):
    assert client.get("/api/plans").status_code == 401
    assert client.get(f"/api/plans/{imported_plan.pk}/tasks").status_code == 401


def test_plan_detail_has_targets_and_indicators(office_client, imported_plan):
    data = office_client.get(f"/api/plans/{imported_plan.pk}").json()
    assert (data["task_count"], data["measure_count"]) == (88, 240)
    assert [i["name"] for i in data["indicators"]][:2] == [
        "改革试点任务落实率",
        "提交国家改革创新案例",
    ]
    assert {(t["kind"], t["year"], t["value"]) for t in data["targets"]} >= {
        ("implementation_rate", 2022, 90.0)
    }


def test_tasks_filter_by_organisation_role_and_due_date(office_client, imported_plan):
    url = f"/api/plans/{imported_plan.pk}/tasks"
    customs = Organisation.objects.get(name="岳阳海关").pk
    led = office_client.get(url, {"organisation": customs, "role": "lead", "limit": 200}).json()
    numbers = [t["number"] for t in led["items"]]
    assert 83 in numbers and 69 in numbers and led["count"] == len(numbers)
    ongoing = office_client.get(url, {"ongoing": True}).json()
    assert ongoing["count"] == 13
    early = office_client.get(url, {"due_before": "2021-12-31"}).json()
    assert early["count"] == 49
    assert office_client.get(url, {"due_after": "2023-01-01"}).json()["count"] == 10


def test_task_detail_has_measures_and_source(office_client, imported_plan):
    task = imported_plan.tasks.get(number=52)
    data = office_client.get(f"/api/tasks/{task.pk}").json()
    assert data["deadline_text"] == "持续推进" and data["due_date"] is None
    measure = data["measures"][2]
    assert measure["code"] == "52.3"
    assert [u["organisation"] for u in measure["units"] if u["role"] == "lead"] == [
        "市地方海事局",
        "岳阳海事局",
    ]
    assert data["source_text"].startswith("（五十二）")


def test_measures_filter_by_organisation(office_client, imported_plan):
    org = Organisation.objects.get(name="市人民银行").pk
    data = office_client.get(
        "/api/measures", {"organisation": org, "role": "lead", "limit": 300}
    ).json()
    assert data["count"] > 0
    assert all(
        any(u["organisation_id"] == org and u["role"] == "lead" for u in m["units"])
        for m in data["items"]
    )


def test_organisations_list_aliases(office_client, imported_plan):
    data = office_client.get("/api/organisations").json()
    by_name = {o["name"]: o for o in data}
    assert "市发改委" in by_name["市发展改革委"]["aliases"]
    assert by_name["省科技厅"]["level"] == "provincial"


def test_openapi_schema_lists_the_endpoints(office_client):
    schema = office_client.get("/api/openapi.json").json()
    assert {
        "/api/plans",
        "/api/plans/{plan_id}/tasks",
        "/api/tasks/{task_id}",
        "/api/measures",
    } <= set(schema["paths"])


@pytest.mark.parametrize(
    "url",
    [
        "/admin/plans/plan/",
        "/admin/plans/task/?q=单一窗口",
        "/admin/plans/task/?due_kind__exact=ongoing",
        "/admin/plans/measure/?q=岳阳海关",
        "/admin/plans/organisation/?q=市发改委",
        "/admin/plans/responsibility/?role__exact=lead",
    ],
)
def test_admin_lists_search_and_filter(admin_client, imported_plan, url):
    """The installing superuser's admin site (the office works in luoshi's own pages)."""
    response = admin_client.get(url)
    assert response.status_code == 200


def test_admin_search_finds_organisation_by_alias(admin_client, imported_plan):
    response = admin_client.get("/admin/plans/organisation/?q=市发改委")
    assert "市发展改革委" in response.content.decode()
    task = imported_plan.tasks.get(number=23)
    assert admin_client.get(f"/admin/plans/task/{task.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    ("headers", "anonymous", "refused", "too_early"),
    [
        ({}, "请先登录", "仅审计人员可查看审计记录", "日期应在 2000-01-01 至 2099-12-31 之间"),
        (
            {"HTTP_ACCEPT_LANGUAGE": "en"},
            "Please sign in first",
            "Only auditors may read the audit trail",
            "The date must be between 2000-01-01 and 2099-12-31",
        ),
    ],
)
def test_api_errors_are_in_the_requests_language(
    office_client, imported_plan, headers, anonymous, refused, too_early
):
    """The site's Chinese by default, the language of Accept-Language when asked; the fields that
    name what failed stay the same."""
    assert Client().get("/api/plans", **headers).json() == {"detail": anonymous}
    audit = office_client.get("/api/audit", **headers)
    assert audit.status_code == 403 and audit.json() == {"detail": refused}
    early = office_client.get("/api/metrics/overdue", {"as_of": "1999-12-31"}, **headers)
    assert early.status_code == 422
    assert early.json() == {"detail": too_early, "errors": {"as_of": [too_early]}}
