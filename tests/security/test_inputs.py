"""Hostile input: oversized bodies, zip bombs, huge cells, out-of-range numbers and dates, malformed
parameters and formula-looking text. Each gets a 4xx with a message, never a server error."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc
import zipfile
from typing import TYPE_CHECKING, TypeVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from luoshi.audit.models import AuditEvent
from luoshi.cases.models import Evaluation
from luoshi.paperwork.ledger import SHEET, headers, ledger_xlsx
from luoshi.paperwork.opendata import open_csv
from luoshi.paperwork.workplan import workplan_xlsx
from luoshi.plans.models import Measure, Organisation
from luoshi.progress.models import ReportingCycle
from tests.conftest import ONCE, client_for

pytestmark = pytest.mark.usefixtures(ONCE)

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")

BOMB_BYTES = 100 * 1024 * 1024  # inflates to 100 MB; the limit is 64 MB


def bomb(member: str) -> bytes:
    """A small zip whose one member inflates to BOMB_BYTES (written in chunks, never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=True) as stream:
            chunk = b"A" * (1 << 20)
            for _ in range(BOMB_BYTES >> 20):
                stream.write(chunk)
    return out.getvalue()


@pytest.fixture(scope="module")
def xlsx_bomb() -> bytes:
    return bomb("xl/sharedStrings.xml")


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return bomb("word/document.xml")


def peak_mb(call: Callable[[], T]) -> tuple[T, float]:
    """The call's peak Python allocation, measured on a second run (the first imports modules)."""
    call()
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_an_xlsx_bomb_in_the_ledger_upload_is_refused_within_a_memory_bound(
    people, cycle, xlsx_bomb
):
    assert len(xlsx_bomb) < 1024 * 1024
    client = client_for(people.market_reporter)
    response, peak = peak_mb(
        lambda: client.post(
            "/api/ledger/preview", {"file": SimpleUploadedFile("b.xlsx", xlsx_bomb)}
        )
    )
    assert response.status_code == 422, response.content
    assert "100 MB" in response.json()["detail"] and "64 MB" in response.json()["detail"]
    assert peak < 40, f"{peak:.0f} MB allocated for a refused upload"
    page = client.post(
        "/documents/ledger/upload/", {"file": SimpleUploadedFile("b.xlsx", xlsx_bomb)}
    )
    assert page.status_code == 422 and "64 MB" in page.content.decode()


def test_a_docx_bomb_in_plan_import_is_refused_within_a_memory_bound(people, docx_bomb):
    client = client_for(people.office)
    response, peak = peak_mb(
        lambda: client.post("/api/plans/import", {"file": SimpleUploadedFile("p.docx", docx_bomb)})
    )
    assert response.status_code == 422 and "64 MB" in response.json()["detail"]
    assert peak < 40, f"{peak:.0f} MB allocated for a refused upload"


def test_a_body_announced_past_the_limit_is_refused_before_it_is_read(people, settings):
    client = client_for(people.office)
    settings.LUOSHI_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("p.txt", b"x" * (3 * 1024 * 1024))
    response = client.post("/api/plans/import", {"file": big})
    assert response.status_code == 413 and "MB 上限" in response.json()["detail"]
    page = client.post("/plans/upload/", {"file": SimpleUploadedFile("p.txt", b"x" * 3 * 2**20)})
    assert page.status_code == 413 and "上限" in page.content.decode()


def test_a_file_growing_past_the_limit_while_streaming_stops_the_upload(people, settings):
    """Within the announced-size slack, the upload handler counts the file's bytes and stops."""
    settings.LUOSHI_MAX_UPLOAD_BYTES = 100 * 1024
    response = client_for(people.office).post(
        "/api/plans/import", {"file": SimpleUploadedFile("p.txt", b"x" * 500 * 1024)}
    )
    assert response.status_code == 413


def test_a_huge_cell_is_never_echoed_whole(people, cycle):
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = str(SHEET)
    sheet.append(headers())
    sheet.append(["X" * 100_000] + [""] * (len(headers()) - 1))
    data = io.BytesIO()
    book.save(data)
    response = client_for(people.market_reporter).post(
        "/api/ledger/preview", {"file": SimpleUploadedFile("l.xlsx", data.getvalue())}
    )
    assert response.status_code == 422
    message = response.json()["detail"]
    assert len(message) < 200 and "X" * 40 + "…（共 32767 字）" in message  # Excel keeps 32767


def test_an_evaluation_score_out_of_range_is_refused_and_nothing_stored(people, imported_plan):
    task = imported_plan.tasks.get(number=10)
    client = client_for(people.evaluator)
    body = {"task_id": task.pk, "kind": "third_party", "evaluator": "评估机构"}
    for score, day in (
        ("123456789", "2021-06-30"),
        ("-1", "2021-06-30"),
        ("80.55", "2021-06-30"),
        ("80", "0001-01-01"),
    ):
        response = client.post(
            "/api/evaluations",
            {**body, "score": score, "evaluated_on": day},
            content_type="application/json",
        )
        assert response.status_code == 422, (score, response.content)
        assert response.json()["detail"]
    assert not Evaluation.objects.exists()
    ok = client.post(
        "/api/evaluations",
        {**body, "score": "80.5", "evaluated_on": "2021-06-30"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and client.get("/api/evaluations").status_code == 200


def test_a_second_cycle_on_the_same_start_date_is_refused(people, imported_plan, cycle):
    response = client_for(people.office).post(
        "/api/cycles",
        {"plan_id": imported_plan.pk, "starts_on": "2021-06-01", "ends_on": "2021-06-30"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"]
    assert ReportingCycle.objects.count() == 1


MALFORMED_API = [
    "/api/measures?organisation=abc",
    "/api/measures?organisation=99999999999999999999",
    "/api/measures?plan=9223372036854775808",
    "/api/plans/9223372036854775808",
    "/api/tasks/99999999999999999999999",
    "/api/metrics/status?as_of=0001-01-01",
    "/api/metrics/lights?as_of=9999-12-31",
    "/api/metrics/status?as_of=abc",
    "/api/documents/workplan/1?year=abc",
    "/api/documents/workplan/1?year=0",
    "/api/audit?since=0001-01-01",
]
MALFORMED_PAGES = [
    "/tasks/?organisation=abc",
    "/tasks/?as_of=0001-01-01",
    "/tasks/?as_of=2021-13-45",
    "/tasks/99999999999999999999999/",
    "/scores/?start=0001-01-01",
    "/documents/workplan/1/?year=abc",
    "/organisations/9223372036854775808/",
    "/reports/?page=" + "9" * 5000,  # past the digits int() reads from a string
]


@pytest.mark.parametrize("url", MALFORMED_API + MALFORMED_PAGES)
def test_a_malformed_parameter_is_a_4xx_with_a_message(people, url):
    user = people.auditor if url.startswith("/api/audit") else people.office
    response = client_for(user).get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    body = response.content.decode()
    assert (
        ("detail" in body)
        if url.startswith("/api/")
        else ("参数" in body or "404" in body or response.status_code == 404)
    )


def test_an_upload_without_multipart_is_a_4xx(people, cycle):
    response = client_for(people.market_reporter).post(
        "/api/ledger/preview", b"not a form", content_type="application/octet-stream"
    )
    assert response.status_code == 422


FORMULA = '=HYPERLINK("http://evil.example/","click")'


def test_formula_text_is_written_as_text_in_every_spreadsheet_and_csv(people, imported_plan):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=10)
    Measure.objects.filter(pk=measure.pk).update(text=FORMULA)
    ledger = load_workbook(io.BytesIO(ledger_xlsx(imported_plan, dt.date(2021, 6, 30))))
    workplan = load_workbook(
        io.BytesIO(
            workplan_xlsx(imported_plan, Organisation.objects.get(name="市市场监管局"), 2021)
        )
    )
    for book in (ledger, workplan):
        cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == FORMULA]
        assert cells and all(c.data_type == "s" for c in cells)
        assert not any(c.data_type == "f" for row in book.worksheets[0].iter_rows() for c in row)
    rows = list(csv.reader(io.StringIO(open_csv(imported_plan, dt.date(2021, 6, 30)))))
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_formula_username_is_neutralised_in_audit_csv(client, people):
    client.post("/accounts/login/", {"username": "@SUM(1+1)*cmd|' /C calc'!A0", "password": "x"})
    AuditEvent.objects.create(action="login", username="\tTAB", outcome="failed")
    body = client_for(people.auditor).get("/api/audit.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells and "'\tTAB" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
