"""The importer's refusals in the reader's language: the same bad file is refused in Chinese by
default and in English when asked, on the import page, through the API and by `luoshi
import-plan`, naming the file and the line (or a Word file's paragraph) in that language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from luoshi.ingest import IngestError, parse_bytes
from luoshi.plans.ingest_text import describe
from luoshi.plans.models import Plan
from tests.variants import as_docx, bundled_text

pytestmark = pytest.mark.django_db

BLOB = b"line one\nline two\n\x00\x01\x02\xff"  # a NUL byte on line 3
CHINESE = "blob.txt，第 3 行：含二进制内容（NUL 字节）：不是文本、HTML 或 .docx 文件"
ENGLISH = "blob.txt, line 3: binary content (NUL byte): not a text, HTML or .docx file"


def upload(client, **headers):
    file = SimpleUploadedFile("blob.txt", BLOB)
    return client.post("/plans/upload/", {"file": file, "level": ""}, **headers)


def duplicated_number() -> tuple[bytes, int]:
    """The bundled plan as a Word file whose task （三） is numbered （二） again: its paragraph."""
    lines = bundled_text().splitlines()
    second = lines.index(next(line for line in lines if line.startswith("(三)")))
    lines[second] = lines[second].replace("(三)", "(二)", 1)
    return as_docx("\n".join(lines)), second + 1


def test_the_import_page_names_a_word_files_paragraph_in_the_readers_language(office):
    data, paragraph = duplicated_number()
    office.cookies["django_language"] = "en"
    english = office.post("/plans/upload/", {"file": SimpleUploadedFile("plan.docx", data)})
    page = english.content.decode()
    assert english.status_code == 422
    assert (
        f"plan.docx, paragraph {paragraph}: duplicate task number （二）, first at paragraph "
        in page
    )


def test_the_import_page_refuses_in_the_readers_language(office):
    chinese = upload(office)
    assert chinese.status_code == 422 and CHINESE in chinese.content.decode()
    office.cookies["django_language"] = "en"  # what the language menu sets
    english = upload(office)
    assert english.status_code == 422 and ENGLISH in english.content.decode()
    assert "二进制" not in english.content.decode()
    assert not Plan.objects.filter(source_name="blob.txt").exists()


@pytest.mark.parametrize(
    ("headers", "expected"), [({}, CHINESE), ({"HTTP_ACCEPT_LANGUAGE": "en"}, ENGLISH)]
)
def test_the_api_refuses_in_the_requests_language(office, headers, expected):
    refused = office.post(
        "/api/plans/import", {"file": SimpleUploadedFile("blob.txt", BLOB)}, **headers
    )
    assert refused.status_code == 422 and refused.json()["errors"] == {"file": [expected]}


def test_the_command_refuses_in_the_language_asked(tmp_path):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(BLOB)
    luoshi = Path(sys.executable).with_name("luoshi")
    for argv, expected in [([], CHINESE), (["--lang", "en"], ENGLISH)]:
        run = subprocess.run(
            [luoshi, *argv, "import-plan", str(blob), "--dry-run"], capture_output=True, text=True
        )
        assert run.returncode != 0 and expected in run.stderr


def test_a_word_file_is_refused_naming_the_paragraph_and_the_first_place_in_each_language():
    data, paragraph = duplicated_number()
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, "plan.docx")
    with translation.override("zh-hans"):
        chinese = describe(caught.value)
    with translation.override("en"):
        english = describe(caught.value)
    assert chinese.startswith(f"plan.docx，第 {paragraph} 段：任务编号 （二） 重复，首次出现于第 ")
    assert chinese.endswith(" 段") and str(caught.value) == chinese  # ingest alone: Chinese
    assert english.startswith(f"plan.docx, paragraph {paragraph}: duplicate task number （二）")
    assert ", first at paragraph " in english
