"""`luoshi prune-generated [--days N]`: remove generated documents (the briefing PDFs the job worker
made) older than LUOSHI_GENERATED_RETENTION_DAYS; run nightly by deploy/'s cleanup timer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi import cli
from luoshi.paperwork.jobs import generated_prune


class Command(cli.Command):
    help = gettext_noop("删除超过保存期限的生成文档（本地目录或对象存储）。")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("保留最近 N 天的文件（默认 LUOSHI_GENERATED_RETENTION_DAYS）"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = (
            options["days"]
            if options["days"] is not None
            else settings.LUOSHI_GENERATED_RETENTION_DAYS
        )
        if days < 0:
            raise CommandError(_("--days 不能小于 0"))
        pruned = generated_prune(older_than=dt.timedelta(days=days))
        self.stdout.write(
            _("已删除 %(removed)s 个生成文件，保留 %(kept)s 个")
            % {"removed": pruned.removed, "kept": pruned.kept}
        )
