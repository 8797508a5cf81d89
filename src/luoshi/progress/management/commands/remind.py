"""`luoshi remind [--days N] [--as-of DATE]`: e-mail reminders; run daily by cron."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from luoshi.progress.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send reminders about reports due within N days or overdue, and items waiting for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.LUOSHI_REMIND_DAYS)
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["as_of"] or timezone.localdate()
        sent = send_reminders(today=today, days=options["days"])
        self.stdout.write(f"{today}: {sent} reminder mail(s) sent")
