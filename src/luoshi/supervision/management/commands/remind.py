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
from django.utils.translation import gettext as _

from luoshi.progress.reminders import send_reminders
from luoshi.supervision.escalation import escalate


class Command(BaseCommand):
    help = "Send reminders and run the escalation ladder (urging → supervision notice) for the day."
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
        self.stdout.write(_("%(day)s：发送提醒邮件 %(n)s 封") % {"day": today, "n": sent})
        outcome = escalate(today=today)
        self.stdout.write(
            _(
                "%(day)s：催办 %(urgings)s 项（%(messages)s 条消息），提议督办单 %(proposals)s 件；"
                "外部渠道发送 %(sent)s 条，失败 %(failed)s 条"
            )
            % {
                "day": today,
                "urgings": outcome.urgings,
                "messages": outcome.messages,
                "proposals": outcome.proposals,
                "sent": outcome.sent,
                "failed": outcome.failed,
            }
        )
