"""Word → PDF with LibreOffice in headless mode (Debian's libreoffice-writer)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
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
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "document.docx"
        source.write_bytes(data)
        # A private profile directory: concurrent conversions must not share LibreOffice's lock.
        profile = f"-env:UserInstallation=file://{work}/profile"
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", work, str(source)],
            check=True,
            capture_output=True,
            timeout=timeout,
            env={**os.environ, "FONTCONFIG_FILE": str(FONTS)},  # 公文 font names → free fonts
        )
        return (Path(work) / "document.pdf").read_bytes()
