"""`luoshi token create|revoke|list`: API tokens for other systems from the command line (docs/api-tokens.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.plans.models import Organisation
from luoshi.tokens.models import ApiToken, Scope
from luoshi.tokens.selectors import tokens_listed
from luoshi.tokens.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Issue, revoke or list API tokens (the secret is printed once; only its hash is kept)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token and print its secret once")
        create.add_argument("name", help="the system it is for (unique)")
        create.add_argument(
            "--unit", help="the unit whose system uses it (else a provincial platform)"
        )
        create.add_argument(
            "--scope", action="append", required=True, choices=Scope.values, help="repeatable"
        )
        create.add_argument(
            "--expires", type=dt.date.fromisoformat, help="last valid day, YYYY-MM-DD"
        )
        revoke = sub.add_parser("revoke", help="revoke a token by its name")
        revoke.add_argument("name")
        sub.add_parser("list", help="every token with its state and last use")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        elif options["action"] == "revoke":
            token = ApiToken.objects.filter(name=options["name"]).first()
            if token is None:
                raise CommandError(f"no token named {options['name']!r}")
            token_revoke(actor=None, token=token)
            self.stdout.write(f"revoked {token}")
        else:
            for t in tokens_listed():
                state = "revoked" if t.revoked_at else f"until {t.expires_on or '—'}"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
                unit = t.organisation.name if t.organisation else "province"
                self.stdout.write(f"{t}\t{unit}\t{','.join(t.scopes)}\t{state}\t{used}")

    def _create(self, options: dict[str, Any]) -> None:
        organisation = None
        if options["unit"]:
            organisation = Organisation.objects.filter(name=options["unit"]).first()
            if organisation is None:
                raise CommandError(f"no unit named {options['unit']!r}")
        try:
            issued = token_create(
                actor=None,
                name=options["name"],
                organisation=organisation,
                scopes=options["scope"],
                expires_on=options["expires"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{issued.token}: {issued.secret}")
        self.stderr.write("The secret is shown only now; luoshi keeps its hash only.")
