"""`luoshi backup ARCHIVE|DIR [--keep N]`: database dump + every stored file + manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.ops.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write a backup archive (.tar.gz): the database dump, every evidence file and a manifest "
        "of SHA-256 sums and row counts. Given a directory, writes luoshi-YYYYmmdd-HHMMSS.tar.gz in it."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive", type=Path, help="archive file, or a directory for dated archives"
        )
        parser.add_argument(
            "--keep", type=int, help="keep only the newest N dated archives in the directory"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] is not None and (options["keep"] < 1 or not options["archive"].is_dir()):
            raise CommandError("--keep needs a directory and a count of at least 1")
        try:
            summary = backup_write(options["archive"], keep=options["keep"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{summary.archive}: {summary.tables} tables, {summary.rows} rows, {summary.files} files"
        )
