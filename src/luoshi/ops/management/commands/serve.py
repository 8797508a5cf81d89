"""`luoshi serve`: the production WSGI server (gunicorn), workers from the core count."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi import cli
from luoshi.ops.gunicorn import THREADS, default_workers, gunicorn_argv


class Command(cli.Command):
    help = gettext_noop("用 gunicorn 和生产环境设置（LUOSHI_DEBUG=false）运行 luoshi。")
    requires_system_checks: list[str] = []  # gunicorn's workers load the app; checks ran at deploy

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help=_("主机:端口（默认 %(default)s）")
        )
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help=_("工作进程数（默认：CPU 核数）")
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=THREADS,
            help=_("每个工作进程的线程数（默认 %(default)s）"),
        )
        parser.add_argument("--timeout", type=int, default=60, help=_("工作进程无响应多少秒后重启"))

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError(
                _(
                    "luoshi serve 使用生产环境设置：请设置 LUOSHI_DEBUG=false 和 LUOSHI_SECRET_KEY"
                    "（见 docs/deploy.md）；开发服务器请用 `make run`"
                )
            )
        from luoshi.accounts.startup import production_refusals

        if refusals := production_refusals():
            raise CommandError(
                _("luoshi serve 拒绝启动：%(reasons)s") % {"reasons": _("；").join(refusals)}
            )
        argv = gunicorn_argv(
            options["bind"], options["workers"], options["timeout"], options["threads"]
        )
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # gunicorn takes over the process and its signals
