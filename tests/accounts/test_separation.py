"""三权分立: the superuser installs, the system administrator keeps accounts, the security
administrator keeps locks and second factors, the auditor reads the trail — none acts in the
workflow or reads another's part, and each refusal leaves an audit row. Production refuses to start
while demo or default accounts exist. (Every URL × role is in tests/test_permission_matrix.py.)"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from luoshi.accounts.demo import ADMIN_USERNAME
from luoshi.accounts.startup import production_refusals
from luoshi.audit.models import AuditEvent, Outcome
from luoshi.progress.services import report_draft, report_transition
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(people, cycle, market_measure):
    report = report_draft(
        measure=market_measure, cycle=cycle, actor=people.market_reporter, work_done="推进中"
    )
    report_transition(report=report, action="submit", actor=people.market_reporter)
    return report_transition(report=report, action="approve", actor=people.market_head)


def _return(client, report):
    return client.post(
        f"/api/reports/{report.pk}/transitions",
        {"action": "return", "reason": "补充平台运行数据"},
        content_type="application/json",
    )


def test_the_superuser_cannot_act_as_the_office(approved, people):
    root = User.objects.create_superuser("root", "", "Root-passw0rd-2021!")
    refusals = AuditEvent.objects.filter(outcome=Outcome.REFUSED, username="root")
    assert _return(client_for(root), approved).status_code == 403
    assert client_for(root).get("/review/").status_code == 403
    assert refusals.count() == 2
    assert _return(client_for(people.office), approved).status_code == 200


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_no_administrative_role_acts_or_reads_in_the_workflow(approved, people, role):
    client = client_for(getattr(people, role))
    for response in (
        _return(client, approved),
        client.get("/api/reports"),
        client.get("/dashboard/"),
        client.get(f"/api/plans/{approved.measure.task.plan_id}"),
    ):
        assert response.status_code == 403
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, username=role).count() == 4


def test_the_system_administrator_keeps_accounts_but_not_business_data_or_the_trail(people):
    client = client_for(people.sysadmin)
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get(f"/admin/auth/user/{people.market_reporter.pk}/change/").status_code == 200
    assert client.get("/admin/plans/task/").status_code == 403
    assert client.get("/admin/audit/auditevent/").status_code == 403
    assert client.get("/audit/").status_code == 403
    assert client.get("/api/audit").status_code == 403
    page = client.get(f"/admin/auth/user/{people.sysadmin.pk}/change/")
    assert "is_superuser" not in page.context["adminform"].form.fields  # no escalation


def test_nobody_deletes_a_user_in_the_admin_site(people):
    assert (
        client_for(people.sysadmin)
        .post(f"/admin/auth/user/{people.market_reporter.pk}/delete/", {"post": "yes"})
        .status_code
        == 403
    )
    assert User.objects.filter(pk=people.market_reporter.pk).exists()


def test_the_audit_trail_is_read_by_the_auditor_alone(people):
    for role in ("sysadmin", "secadmin", "office", "leader"):
        assert client_for(getattr(people, role)).get("/api/audit").status_code == 403
    assert client_for(people.auditor).get("/api/audit").status_code == 200


def test_production_refuses_to_start_with_demo_or_default_accounts(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    User.objects.create_user("office", password="Whatever-passw0rd-1")
    settings.DEBUG = True
    assert production_refusals() == []  # development: the demo runs
    settings.DEBUG = False
    assert production_refusals() == [
        "demo or default-named account 'office' exists: deactivate or rename it"
    ]
    with pytest.raises(CommandError, match="拒绝启动"):
        call_command("serve")
    with pytest.raises(CommandError, match=r"luoshi\.E001"):
        call_command("check", "--database", "default")
    User.objects.filter(username="office").update(is_active=False)
    assert production_refusals() == []
    User.objects.create_superuser(ADMIN_USERNAME, "", "Admin-passw0rd-2021!")
    assert "'admin' exists" in production_refusals()[0]


def test_production_refuses_a_bootstrap_password_under_another_name(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "demo-accounts.json").write_text(json.dumps({"renamed": "gen3rated-Pass"}))
    User.objects.create_user("renamed", password="gen3rated-Pass")
    settings.DEBUG = False
    assert production_refusals() == [
        "account 'renamed' still has the password luoshi bootstrap generated"
    ]
