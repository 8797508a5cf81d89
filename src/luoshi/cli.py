"""What every management command shares: texts in the language the command is run in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    """A command whose `help` is marked with gettext_noop: it is translated when the parser is
    built — inside `luoshi --lang …`, so in the language asked (argument help texts are
    translated in `add_arguments`, which runs then too)."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
