"""`luoshi token create|revoke|list`: API tokens for other systems from the command line (docs/api-tokens.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi import cli
from luoshi.plans.models import Organisation
from luoshi.tokens.models import ApiToken, Scope
from luoshi.tokens.selectors import tokens_listed
from luoshi.tokens.services import token_create, token_revoke


class Command(cli.Command):
    help = gettext_noop("签发、吊销或列出 API 令牌（密钥只显示一次，系统只保存其哈希值）。")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help=_("签发令牌并显示一次密钥"))
        create.add_argument("name", help=_("使用令牌的系统（名称唯一）"))
        create.add_argument("--unit", help=_("使用该系统的单位（不填则为省级平台）"))
        create.add_argument(
            "--scope", action="append", required=True, choices=Scope.values, help=_("可重复")
        )
        create.add_argument(
            "--expires", type=dt.date.fromisoformat, help=_("有效期最后一天，YYYY-MM-DD")
        )
        revoke = sub.add_parser("revoke", help=_("按名称吊销令牌"))
        revoke.add_argument("name")
        sub.add_parser("list", help=_("列出每个令牌及其状态和最近使用时间"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        elif options["action"] == "revoke":
            token = ApiToken.objects.filter(name=options["name"]).first()
            if token is None:
                raise CommandError(_("没有名为“%(name)s”的令牌") % {"name": options["name"]})
            token_revoke(actor=None, token=token)
            self.stdout.write(_("已吊销 %(token)s") % {"token": token})
        else:
            for t in tokens_listed():
                state = (
                    _("已吊销")
                    if t.revoked_at
                    else _("有效至 %(day)s") % {"day": t.expires_on or "—"}
                )
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else _("从未使用")
                unit = t.organisation.name if t.organisation else _("省级平台")
                self.stdout.write(f"{t}\t{unit}\t{','.join(t.scopes)}\t{state}\t{used}")

    def _create(self, options: dict[str, Any]) -> None:
        organisation = None
        if options["unit"]:
            organisation = Organisation.objects.filter(name=options["unit"]).first()
            if organisation is None:
                raise CommandError(_("没有名为“%(name)s”的单位") % {"name": options["unit"]})
        try:
            issued = token_create(
                actor=None,
                name=options["name"],
                organisation=organisation,
                scopes=options["scope"],
                expires_on=options["expires"],
            )
        except ValidationError as error:
            raise CommandError(_("；").join(error.messages)) from error
        self.stdout.write(f"{issued.token}: {issued.secret}")
        self.stderr.write(_("密钥只在此时显示一次；luoshi 只保存其哈希值。"))
