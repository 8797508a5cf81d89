"""`luoshi audit verify` walks the hash chain and reports the first broken link (exit status 1);
`luoshi audit checkpoint` signs the chain's current end (run it from cron, e.g. hourly);
`luoshi audit export --out FILE` writes the whole trail with its hashes (JSON Lines);
`luoshi audit purge --before DATE --archive FILE` exports, then removes, rows past retention."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.audit.actions import AuditAction
from luoshi.audit.chain import ALGORITHM, checkpoint, verify
from luoshi.audit.models import AuditEvent
from luoshi.audit.retention import RetentionError, purge, write_jsonl
from luoshi.audit.services import audit_record


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain, sign a checkpoint, export it or purge past retention."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint", "export", "purge"])
        parser.add_argument("--out", type=Path, help="export: file to write (default stdout)")
        parser.add_argument("--before", type=dt.date.fromisoformat, help="purge: rows before")
        parser.add_argument("--archive", type=Path, help="purge: archive file (must not exist)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _verify(self, **options: Any) -> None:
        count, broken = verify()
        if broken is not None:
            raise CommandError(f"audit chain broken at {broken} ({count} rows read)")
        self.stdout.write(f"audit chain intact: {count} rows ({ALGORITHM}), checkpoints valid")

    def _checkpoint(self, **options: Any) -> None:
        mark = checkpoint()
        self.stdout.write(f"checkpoint at row {mark.seq}" if mark else "no audit rows yet")

    def _export(self, *, out: Path | None, **options: Any) -> None:
        events = AuditEvent.objects.order_by("seq").iterator()
        if out is None:
            count = write_jsonl(events, sys.stdout)
        else:
            with out.open("w", encoding="utf-8") as file:
                count = write_jsonl(events, file)
            out.chmod(0o600)
        audit_record(actor=None, action=AuditAction.AUDIT_EXPORT, detail={"rows": count})
        self.stderr.write(f"{count} audit rows exported")

    def _purge(self, *, before: dt.date | None, archive: Path | None, **options: Any) -> None:
        if before is None or archive is None:
            raise CommandError("purge needs --before DATE and --archive FILE")
        try:
            count = purge(before=before, archive=archive)
        except (RetentionError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        audit_record(
            actor=None,
            action=AuditAction.AUDIT_PURGE,
            detail={"rows": count, "before": before.isoformat(), "archive": str(archive)},
        )
        self.stdout.write(f"{count} audit rows archived to {archive} and purged")
