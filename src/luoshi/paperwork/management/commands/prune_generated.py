"""`luoshi prune-generated [--days N]`: remove generated documents (the briefing PDFs the job worker
made) older than LUOSHI_GENERATED_RETENTION_DAYS; run nightly by deploy/'s cleanup timer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.paperwork.jobs import generated_prune


class Command(BaseCommand):
    help = "Remove generated documents older than the retention (local directory or object store)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep files of the last N days (default LUOSHI_GENERATED_RETENTION_DAYS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = (
            options["days"]
            if options["days"] is not None
            else settings.LUOSHI_GENERATED_RETENTION_DAYS
        )
        if days < 0:
            raise CommandError("--days must be 0 or more")
        pruned = generated_prune(older_than=dt.timedelta(days=days))
        self.stdout.write(f"removed {pruned.removed} generated files, kept {pruned.kept}")
