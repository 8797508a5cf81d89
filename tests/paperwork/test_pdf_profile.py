"""LibreOffice's user profile is kept for the process: later conversions skip making it, a failed
one throws it away, and a conversion that finds it busy uses its own (LibreOffice locks a profile)."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading

import pytest
from pypdf import PdfReader

from luoshi.paperwork import pdf

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is missing")


def _document(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_profile_is_made_once_and_kept():
    assert "first" in _text(pdf.docx_to_pdf(_document("first")))
    kept = pdf._kept[0]
    assert kept.is_dir()  # made by the first conversion, still there
    made = {p.name for p in kept.iterdir()}
    assert "second" in _text(pdf.docx_to_pdf(_document("second")))
    assert pdf._kept == [kept] and {p.name for p in kept.iterdir()} == made


def test_a_failed_conversion_throws_the_profile_away(monkeypatch):
    pdf.docx_to_pdf(_document("before"))
    kept = pdf._kept[0]

    def failing(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], 1)

    with monkeypatch.context() as patched:
        patched.setattr(subprocess, "run", failing)
        with pytest.raises(subprocess.TimeoutExpired):
            pdf.docx_to_pdf(_document("killed"))
    assert not kept.exists()
    assert "after" in _text(pdf.docx_to_pdf(_document("after")))  # a fresh profile
    assert kept.is_dir()


def test_a_conversion_that_finds_the_profile_busy_uses_its_own():
    with pdf._kept_lock:  # another thread's conversion holds the kept profile
        done: list[str] = []
        worker = threading.Thread(
            target=lambda: done.append(_text(pdf.docx_to_pdf(_document("meanwhile"))))
        )
        worker.start()
        worker.join(120)
    assert done and "meanwhile" in done[0]
