"""Evidence uploads: size and content checks, random storage names, guarded and verified downloads."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEvent
from luoshi.progress.evidence import evidence_add, storage_dir
from luoshi.progress.models import Evidence
from luoshi.progress.services import report_draft
from tests.conftest import ONCE, PDF, client_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

    from luoshi.progress.models import Report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.LUOSHI_EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def report(people, cycle, market_measure):
    return report_draft(measure=market_measure, cycle=cycle, actor=people.market_reporter)


def upload(user: User, report: Report, name: str, data: bytes) -> Response:
    return client_for(user).post(
        f"/api/reports/{report.pk}/evidence", {"file": SimpleUploadedFile(name, data)}
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_is_stored_under_a_random_name_with_its_digest(people, report):
    response = upload(people.market_reporter, report, "会议纪要.pdf", PDF)
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    assert evidence.original_name == "会议纪要.pdf" and evidence.content_type == "application/pdf"
    stored = list(storage_dir().rglob("*"))
    assert [p.name for p in stored if p.is_file()] == [evidence.stored_name]
    assert "会议纪要" not in evidence.stored_name and len(evidence.stored_name) == 40
    download = client_for(people.market_head).get(f"/api/evidence/{evidence.pk}")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"


def test_word_files_are_accepted(people, report):
    assert upload(people.market_reporter, report, "方案.docx", docx_bytes()).status_code == 201


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("报告.pdf", EXE, "仅支持"),
        ("截图.pdf", PNG, "与扩展名不符"),
    ],
)
def test_disguised_or_dangerous_files_are_refused(people, report, name, data, message):
    response = upload(people.market_reporter, report, name, data)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert Evidence.objects.count() == 0
    assert not storage_dir().exists() or not any(p.is_file() for p in storage_dir().rglob("*"))


def test_a_path_in_the_name_never_leaves_the_evidence_directory(people, report, tmp_path):
    # Django's upload parser already drops the directory part; whatever arrives is stored by a random name.
    response = upload(people.market_reporter, report, "../../escape.pdf", PDF)
    assert response.status_code == 201
    assert Evidence.objects.get().original_name == "escape.pdf"
    assert not (tmp_path / "escape.pdf").exists() and not list(tmp_path.parent.glob("escape.pdf"))


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\win.pdf", "a/b.pdf"])
def test_the_service_refuses_names_with_a_path(people, report, name):
    with pytest.raises(ValidationError, match="路径"):
        evidence_add(report=report, upload=io.BytesIO(PDF), name=name, actor=people.market_reporter)
    assert Evidence.objects.count() == 0


def test_oversize_files_are_refused(people, report, settings):
    settings.LUOSHI_MAX_UPLOAD_BYTES = 1024
    response = upload(people.market_reporter, report, "大文件.pdf", PDF + b"0" * 2048)
    # stopped while streaming, before the file reaches memory or disk (luoshi.web.uploads)
    assert response.status_code == 413 and "上限" in response.json()["detail"]
    assert Evidence.objects.count() == 0


def test_outsiders_cannot_upload_or_download(people, report):
    assert upload(people.customs_reporter, report, "x.pdf", PDF).status_code == 404
    assert upload(people.market_reporter, report, "x.pdf", PDF).status_code == 201
    evidence = Evidence.objects.get()
    assert (
        client_for(people.finance_reporter).get(f"/api/evidence/{evidence.pk}").status_code == 404
    )
    assert client_for(people.auditor).get(f"/api/evidence/{evidence.pk}").status_code == 403
    refused = AuditEvent.objects.filter(outcome="refused").values_list("username", "action")
    assert sorted(refused) == [
        ("auditor", "access"),
        ("customs_reporter", "access"),  # it cannot even see the report
        ("finance_reporter", "evidence_download"),
    ]


def test_a_tampered_file_is_not_served(people, report):
    upload(people.market_reporter, report, "x.pdf", PDF)
    evidence = Evidence.objects.get()
    path = storage_dir() / evidence.stored_name[:2] / evidence.stored_name
    path.write_bytes(PDF.replace(b"1.4", b"1.7"))
    # the report is a draft: its own unit reads it
    response = client_for(people.market_head).get(f"/api/evidence/{evidence.pk}")
    assert response.status_code == 409
    assert "“x.pdf”校验失败" in response.json()["detail"]
    assert "记录在审计日志" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="evidence_download", outcome="failed").exists()
