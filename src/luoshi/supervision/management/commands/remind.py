"""`luoshi remind [--days N] [--as-of DATE]`: the daily job (cron or a systemd timer).

E-mails what is due soon or waits for review, then runs the 催办 → 督办 ladder (in-app messages,
e-mail, SMS and robot channels; proposed 督办单). Safe to run again the same day: nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from luoshi.progress.reminders import send_reminders
from luoshi.supervision.escalation import escalate


class Command(BaseCommand):
    help = "Send reminders and run the escalation ladder (催办 → 督办) for the day."
    # The system checks load every URL and view; `luoshi check` and deploys run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.LUOSHI_REMIND_DAYS)
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["as_of"] or timezone.localdate()
        sent = send_reminders(today=today, days=options["days"])
        self.stdout.write(f"{today}: {sent} reminder mail(s) sent")
        outcome = escalate(today=today)
        self.stdout.write(
            f"{today}: escalation {outcome.urgings} 催办 in {outcome.messages} message(s), "
            f"{outcome.proposals} 督办单 proposed; channels {outcome.sent} sent, {outcome.failed} failed"
        )
