"""Zip-based uploads (.xlsx, .docx) checked before any parser opens them (zip bombs).

The zip directory declares every member's uncompressed size; Python's zipfile never inflates a
member past its declared size (it stops there and fails the CRC), so summing the declared sizes
bounds what a parser can be made to inflate, without inflating anything.
"""

from __future__ import annotations

import io
import zipfile

from luoshi.ingest.messages import Message, gettext_noop

MAX_ENTRIES = 2000
MAX_INFLATED_BYTES = 64 * 1024 * 1024


class ArchiveRefused(ValueError):
    """The archive has too many members or inflates beyond the limit; str() is the Chinese text,
    `message` the message id to translate where it is shown."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


def archive_check(
    data: bytes, *, max_entries: int = MAX_ENTRIES, max_inflated: int = MAX_INFLATED_BYTES
) -> None:
    """Raises ArchiveRefused past the limits; zipfile.BadZipFile if `data` is no zip at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if len(members) > max_entries:
        raise ArchiveRefused(
            Message(
                gettext_noop("压缩包内有 %(count)s 个文件，最多 %(max)s 个"),
                {"count": len(members), "max": max_entries},
            )
        )
    inflated = sum(m.file_size for m in members)
    if inflated > max_inflated:
        raise ArchiveRefused(
            Message(
                gettext_noop("解压后为 %(mb)s MB，超过 %(max)s MB 上限"),
                {"mb": inflated >> 20, "max": max_inflated >> 20},
            )
        )
