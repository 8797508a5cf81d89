"""`luoshi audit verify` walks the hash chain and reports the first broken link (exit status 1);
`luoshi audit checkpoint` signs the chain's current end (run it from cron, e.g. hourly);
`luoshi audit export --out FILE` writes the whole trail with its hashes (JSON Lines);
`luoshi audit purge --before DATE --archive FILE` exports, then removes, rows past retention."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi import cli
from luoshi.audit.actions import AuditAction
from luoshi.audit.chain import ALGORITHM, checkpoint, verify
from luoshi.audit.models import AuditEvent
from luoshi.audit.retention import RetentionError, purge, write_jsonl
from luoshi.audit.services import audit_record


class Command(cli.Command):
    help = gettext_noop("核验审计日志的哈希链，签署检查点，导出日志或清理超过保存期限的记录。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint", "export", "purge"])
        parser.add_argument("--out", type=Path, help=_("export：写入的文件（默认标准输出）"))
        parser.add_argument(
            "--before", type=dt.date.fromisoformat, help=_("purge：清理此日期之前的记录")
        )
        parser.add_argument("--archive", type=Path, help=_("purge：归档文件（不得已存在）"))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _verify(self, **options: Any) -> None:
        count, broken = verify()
        if broken is not None:
            raise CommandError(
                _("审计链断裂：%(place)s（已读 %(count)s 行）") % {"place": broken, "count": count}
            )
        self.stdout.write(
            _("审计链完整：%(count)s 行（%(algorithm)s），检查点均有效")
            % {"count": count, "algorithm": ALGORITHM}
        )

    def _checkpoint(self, **options: Any) -> None:
        mark = checkpoint()
        self.stdout.write(
            _("检查点位于第 %(seq)s 行") % {"seq": mark.seq} if mark else _("尚无审计记录")
        )

    def _export(self, *, out: Path | None, **options: Any) -> None:
        events = AuditEvent.objects.order_by("seq").iterator()
        if out is None:
            count = write_jsonl(events, sys.stdout)
        else:
            with out.open("w", encoding="utf-8") as file:
                count = write_jsonl(events, file)
            out.chmod(0o600)
        audit_record(actor=None, action=AuditAction.AUDIT_EXPORT, detail={"rows": count})
        self.stderr.write(_("已导出 %(count)s 行审计记录") % {"count": count})

    def _purge(self, *, before: dt.date | None, archive: Path | None, **options: Any) -> None:
        if before is None or archive is None:
            raise CommandError(_("purge 需要 --before 日期 和 --archive 文件"))
        try:
            count = purge(before=before, archive=archive)
        except (RetentionError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        audit_record(
            actor=None,
            action=AuditAction.AUDIT_PURGE,
            detail={"rows": count, "before": before.isoformat(), "archive": str(archive)},
        )
        self.stdout.write(
            _("已将 %(count)s 行审计记录归档到 %(archive)s 并从日志中清除")
            % {"count": count, "archive": archive}
        )
