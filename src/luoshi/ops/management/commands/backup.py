"""`luoshi backup ARCHIVE|DIR [--keep N]`: database dump + every stored file + manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi import cli
from luoshi.ops.backup import BackupError, backup_write


class Command(cli.Command):
    help = gettext_noop(
        "写入备份归档（.tar.gz）：数据库转储、全部佐证材料文件，以及记录 SHA-256 校验值和行数的清单。"
        "给出目录时，在其中写入 luoshi-YYYYmmdd-HHMMSS.tar.gz。"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help=_("归档文件，或存放按日期命名归档的目录"))
        parser.add_argument("--keep", type=int, help=_("目录中只保留最新的 N 个按日期命名的归档"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] is not None and (options["keep"] < 1 or not options["archive"].is_dir()):
            raise CommandError(_("--keep 需要一个目录和至少为 1 的数量"))
        try:
            summary = backup_write(options["archive"], keep=options["keep"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("%(archive)s：%(tables)s 个表，%(rows)s 行，%(files)s 个文件") % vars(summary)
        )
