"""`luoshi restore ARCHIVE`: into an empty database and data directory, every sum verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and file storage (a non-empty one is "
        "refused), verifying every file's SHA-256 and every table's row count."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["archive"].is_file():
            raise CommandError(f"{options['archive']}: no such archive")
        try:
            summary = restore(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {summary.archive}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.files} files, every sum and count verified"
        )
