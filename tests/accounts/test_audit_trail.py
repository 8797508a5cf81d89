"""The auditor searches and exports the trail; admin edits, imports and exports are in it."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command

from luoshi.audit.models import AuditEvent
from tests.conftest import client_for

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def test_the_import_is_audited(imported_plan):
    event = AuditEvent.objects.get(action="plan_import")
    assert event.object_id == str(imported_plan.pk) and event.detail["measures"] == 240


def test_admin_edits_of_tasks_and_roles_are_audited(people, imported_plan, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "admin", "a@example.gov.cn", "Admin-passw0rd-2021"
    )
    client = client_for(admin)
    task = imported_plan.tasks.get(number=3)
    page = client.get(f"/admin/plans/task/{task.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["deadline_text"] = "2021年12月底前"
    response = client.post(f"/admin/plans/task/{task.pk}/change/", _with_inlines(page, data))
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    event = AuditEvent.objects.get(action="admin_change", object_type="plans.task")
    assert (event.username, event.detail["fields"]) == ("admin", ["deadline_text"])


def _with_inlines(page: Response, data: dict[str, object]) -> dict[str, object]:
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
        )
        for index, form in enumerate(formset.forms):
            for name in form.fields:
                value = form[name].value()
                data[f"{formset.prefix}-{index}-{name}"] = (
                    "" if value is None else ("on" if value is True else value)
                )
                if value is False:
                    data.pop(f"{formset.prefix}-{index}-{name}")
    return data


def test_only_the_auditor_reads_the_trail(people, imported_plan):
    call_command("export_plan", str(imported_plan.pk), "--format", "json", "--output", "/dev/null")
    assert client_for(people.office).get("/api/audit").status_code == 403
    assert client_for(people.leader).get("/api/audit.csv").status_code == 403
    found = client_for(people.auditor).get("/api/audit", {"action": "export_plan"}).json()
    assert found["count"] == 1 and found["items"][0]["username"] == "cli"
    export = client_for(people.auditor).get("/api/audit.csv", {"action": "plan_import"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["at", "username", "ip", "action"] and [r[3] for r in rows[1:]] == [
        "plan_import"
    ]
    assert AuditEvent.objects.filter(action="audit_export", username="auditor").exists()


def test_a_refused_responsible_person_leaves_its_audit_row(people, customs_supported_measure):
    """The refusal is written before the change's transaction opens, so its rollback keeps the row."""
    from django.core.exceptions import PermissionDenied

    from luoshi.accounts.services import responsible_person_set
    from luoshi.audit.models import AuditEvent

    with pytest.raises(PermissionDenied):
        responsible_person_set(
            measure=customs_supported_measure, person=people.market_reporter, actor=people.leader
        )
    row = AuditEvent.objects.get(outcome="refused")
    assert (row.username, row.action) == ("leader", "responsible_person_set")
