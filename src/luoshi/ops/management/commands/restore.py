"""`luoshi restore ARCHIVE`: into an empty database and data directory, every sum verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi import cli
from luoshi.ops.backup import BackupError, restore


class Command(cli.Command):
    help = gettext_noop(
        "把备份归档恢复到空的数据库和文件存储中（非空的将被拒绝），"
        "并核对每个文件的 SHA-256 和每个表的行数。"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help=_("备份归档文件"))

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["archive"].is_file():
            raise CommandError(_("%(archive)s：没有这个归档") % {"archive": options["archive"]})
        try:
            summary = restore(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "已恢复 %(archive)s：%(tables)s 个表，%(rows)s 行，%(files)s 个文件，"
                "校验值和行数全部核对无误"
            )
            % vars(summary)
        )
