"""The API tells what the pages tell: programmes with their versions (status, in force, public,
effective date), a revision's lineage, linked plans and the roll-up as of a date; the office imports
a revision as the command does."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from luoshi.audit.models import AuditEvent, Outcome
from luoshi.ingest import parse_bytes
from luoshi.plans.models import Measure, Plan, Task
from luoshi.versions.services import plan_link, plan_revise
from tests.conftest import ONCE, client_for
from tests.metrics.history import report
from tests.plans.revision import EXPECTED, revised_text
from tests.plans.test_revisions import named
from tests.security.test_inputs import bomb
from tests.versions.links import CONFIRMED_ON, confirm_on, import_parent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


def test_programmes_and_plans_say_which_version_is_in_force_and_public(imported_plan, people):
    new = plan_revise(
        parsed=parse_bytes(revised_text().encode(), "final.txt"),
        revises=imported_plan,
        actor=people.office,
    ).plan
    api = client_for(people.province)
    (programme,) = api.get("/api/programmes").json()
    assert programme["in_force_id"] == programme["public_id"] == imported_plan.pk
    assert [(v["id"], v["status"], v["revises_id"]) for v in programme["versions"]] == [
        (imported_plan.pk, "draft", None),
        (new.pk, "final", imported_plan.pk),
    ]
    plans = {p["id"]: p for p in api.get("/api/plans").json()}
    assert plans[imported_plan.pk]["in_force"] and plans[imported_plan.pk]["public"]
    assert not plans[new.pk]["in_force"] and not plans[new.pk]["public"]
    lineage = api.get(f"/api/plans/{new.pk}/lineage").json()
    measures = {m["code"]: m["carried_from_id"] for m in lineage["measures"]}
    old = Measure.objects.get(task__plan=imported_plan, task__number=12, number=1)
    assert measures["11.1"] == old.pk and measures["2.3"] is None  # renumbered; added
    assert lineage["revises_id"] == imported_plan.pk


def test_links_and_the_rollup_as_of_a_date(imported_plan, people):
    parent = import_parent()
    link = plan_link(plan=imported_plan, parent=parent, actor=people.office)
    child_ten = Task.objects.get(plan=imported_plan, number=10)
    confirm_on(
        CONFIRMED_ON,
        link=link,
        choices={child_ten.pk: Task.objects.get(plan=parent, number=10).pk},
        actor=people.office,
    )
    for measure in child_ten.measures.all():
        report(measure, dt.date(2021, 5, 20), accepted=True, status="completed")
    api = client_for(people.leader)
    links = api.get(f"/api/plans/{imported_plan.pk}/links").json()
    (up,) = links["implements"]
    assert up["parent_id"] == parent.pk and not links["implemented_by"]
    confirmed = [x for x in up["task_links"] if x["state"] == "confirmed"]
    assert [x["task_id"] for x in confirmed] == [child_ten.pk]  # the rest stay proposals
    ten_one = child_ten.measures.get(number=1).pk
    (measure_link,) = [x for x in up["measure_links"] if x["measure_id"] == ten_one]
    assert measure_link["state"] == "proposed"
    after = api.get(f"/api/plans/{parent.pk}/rollup?as_of=2021-06-01").json()
    row = next(r for r in after["rows"] if r["number"] == 10)
    assert row["linked"][0]["done"] and row["linked"][0]["task_id"] == child_ten.pk
    assert row["measures_linked"] == []  # a proposed measure link does not count
    assert after["children"][0]["plan_id"] == imported_plan.pk
    before = api.get(f"/api/plans/{parent.pk}/rollup?as_of=2021-05-19").json()
    assert not next(r for r in before["rows"] if r["number"] == 10)["linked"][0]["done"]
    assert api.get(f"/api/plans/{parent.pk}/rollup?as_of=1800-01-01").status_code == 422
    assert client_for(people.auditor).get("/api/programmes").status_code == 403


def test_the_office_imports_a_revision_through_the_api_as_the_command_does(
    imported_plan, people, tmp_path
):
    """Dry run: the same JSON as `import-plan FILE --revises ID --dry-run --format json`, nothing
    stored; a corrected match is applied; confirmed, the revision is stored, not in force."""
    path = tmp_path / "final.txt"
    path.write_text(revised_text(), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_plan", str(path), "--revises", str(imported_plan.pk), "--dry-run",
        "--format", "json", stdout=out,
    )  # fmt: skip
    office = client_for(people.office)
    url = f"/api/plans/{imported_plan.pk}/revisions"

    def upload(query: str) -> Any:
        document = SimpleUploadedFile("final.txt", revised_text().encode())
        return office.post(url + query, {"file": document})

    answer = upload("?dry_run=true")
    assert answer.status_code == 200 and answer.json() == json.loads(out.getvalue())[0]
    assert named(answer.json()) == EXPECTED
    assert Plan.objects.count() == 1
    corrected = upload("?dry_run=true&match=2.3=3.3").json()
    assert not corrected["added"] and not corrected["removed"]

    stored = upload("?match=2.3=3.3").json()
    new = Plan.objects.get(pk=stored["plan_id"])
    assert stored["stored"] == "created" and new.revises == imported_plan
    assert new.programme.in_force == imported_plan  # stored, neither in force nor public
    old = Measure.objects.get(task__plan=imported_plan, task__number=3, number=3)
    assert Measure.objects.get(task__plan=new, task__number=2, number=3).carried_from == old
    assert upload("").json()["stored"] == "unchanged (already imported)"


def test_an_api_revision_is_refused_whole_and_audited(imported_plan, people, settings):
    url = f"/api/plans/{imported_plan.pk}/revisions?dry_run=true"

    def send(user: Any, name: str, data: bytes, query: str = "") -> Any:
        return client_for(user).post(url + query, {"file": SimpleUploadedFile(name, data)})

    text = revised_text().encode()
    assert send(people.leader, "final.txt", text).status_code == 403
    wrong = send(people.office, "final.pdf", b"%PDF-1.4")
    assert wrong.status_code == 422 and "请上传 .txt、.html 或 .docx" in wrong.json()["detail"]
    assert send(people.office, "final.txt", text, "&match=2.3").status_code == 422
    settings.LUOSHI_MAX_IMPORT_BYTES = 100
    assert "文件超过" in send(people.office, "final.txt", text).json()["detail"]
    refused = AuditEvent.objects.filter(action="plan_import", outcome=Outcome.REFUSED)
    assert refused.count() == 4 and Plan.objects.count() == 1


def test_a_match_naming_a_code_of_neither_plan_is_refused_not_dropped(imported_plan, people):
    office = client_for(people.office)
    url = f"/api/plans/{imported_plan.pk}/revisions"

    def upload(query: str) -> Any:
        return office.post(
            url + query, {"file": SimpleUploadedFile("final.txt", revised_text().encode())}
        )

    for wrong in (
        "2.3=9.9",
        "99.1=3.3",
        "2=3.3",
        "2.3=3",
    ):  # unknown old, unknown new, task↔measure
        answer = upload(f"?match={wrong}")
        assert answer.status_code == 422 and wrong in answer.json()["detail"]
    refused = AuditEvent.objects.filter(action="plan_import", outcome=Outcome.REFUSED)
    assert refused.count() == 4 and Plan.objects.count() == 1
    assert upload("?dry_run=true&match=2.3=").status_code == 200  # "no match" stays allowed


def test_a_docx_bomb_sent_as_a_revision_is_refused(imported_plan, people):
    response = client_for(people.office).post(
        f"/api/plans/{imported_plan.pk}/revisions",
        {"file": SimpleUploadedFile("final.docx", bomb("word/document.xml"))},
    )
    assert response.status_code == 422 and "64 MB" in response.json()["detail"]
