"""Word → PDF with LibreOffice in headless mode (Debian's libreoffice-writer)."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext

FONTS = Path(__file__).with_name("fonts.conf")


class PdfUnavailable(RuntimeError):
    pass


def docx_to_pdf(data: bytes, timeout: int = 120) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable(
            gettext("PDF 需要 LibreOffice（Debian 软件包 libreoffice-writer-nogui）")
        )
    with tempfile.TemporaryDirectory() as work, _profile(work) as profile:
        source = Path(work) / "document.docx"
        source.write_bytes(data)
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
             "pdf", "--outdir", work, str(source)],
            check=True,
            capture_output=True,
            timeout=timeout,
            env={**os.environ, "FONTCONFIG_FILE": str(FONTS)},  # 公文 font names → free fonts
        )  # fmt: skip
        return (Path(work) / "document.pdf").read_bytes()


# LibreOffice makes its user profile on a start with an empty one: a profile kept for the process
# saves that on later conversions (~0.3 s of ~2.3 s each, measured). Concurrent conversions must
# not share a profile (LibreOffice locks it): one that finds the kept profile busy makes its own.
_kept_lock = threading.Lock()
_kept: list[Path] = []  # the process's profile directory, made at its first conversion


@contextlib.contextmanager
def _profile(work: str) -> Iterator[Path]:
    if not _kept_lock.acquire(blocking=False):
        yield Path(work) / "profile"
        return
    try:
        if not _kept:
            _kept.append(Path(tempfile.mkdtemp(prefix="luoshi-soffice-")) / "profile")
            atexit.register(shutil.rmtree, _kept[0].parent, True)
        yield _kept[0]
    except BaseException:
        # a failed or killed conversion may leave a broken profile: the next one starts afresh
        if _kept:
            shutil.rmtree(_kept[0], ignore_errors=True)
        raise
    finally:
        _kept_lock.release()
