"""`luoshi bootstrap`: what `make run` needs — database, bundled plan, a local administrator.

Safe to run again: migrations are idempotent, the plan import is keyed by content, and the
administrator's generated password is kept in the data directory (never in settings).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from luoshi.accounts.demo import (
    ADMIN_USERNAME,
    DEMO_ACCOUNTS,
    demo_accounts_ensure,
    demo_people_ensure,
)
from luoshi.cases.demo import demo_cases_ensure
from luoshi.funding.demo import demo_funding_ensure
from luoshi.ingest import parse_file
from luoshi.metrics.demo import demo_observations_ensure
from luoshi.plans.services import plan_import, plan_make_public, plan_put_in_force
from luoshi.progress.demo import demo_history_ensure
from luoshi.risks.demo import demo_risks_ensure
from luoshi.supervision.demo import demo_supervision_ensure
from luoshi.workplans.demo import YEAR, demo_work_plans_ensure


class Command(BaseCommand):
    help = (
        "Create the database, import the bundled plan and a local administrator (development only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "bootstrap creates demo credentials and runs only with LUOSHI_DEBUG on"
            )
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0)
        result = plan_import(parsed=parse_file(settings.LUOSHI_BUNDLED_PLAN))
        state = "imported" if result.created else "already present"
        if result.created:  # the demo's office has chosen it: the version in force, and public
            start = result.plan.published_at.date() if result.plan.published_at else None
            plan_put_in_force(plan=result.plan, actor=None, effective_from=start)
            plan_make_public(plan=result.plan, actor=None)
        self.stdout.write(f"plan {result.plan.pk} {state}: {result.plan.title}")
        password = self._administrator()
        demo = demo_accounts_ensure(settings.DATA_DIR / "demo-accounts.json")
        office = User.objects.get(username="office")
        reports = demo_history_ensure(result.plan, office)
        people = demo_people_ensure(result.plan)  # after the history: it made the units' accounts
        if people:
            self.stdout.write(
                f"demo responsible persons: {people} person records, named for every measure"
            )
        if reports:
            cases = demo_cases_ensure(result.plan, office)
            values = demo_observations_ensure(result.plan, office)
            notices = demo_supervision_ensure(result.plan, office)
            milestones = demo_work_plans_ensure(result.plan, office)
            self.stdout.write(f"demo work plans: {milestones} milestones of {YEAR} approved")
            self.stdout.write(f"demo risks: {demo_risks_ensure(result.plan, office)}")
            self.stdout.write(f"demo funding: {demo_funding_ensure(result.plan, office)} projects")
            self.stdout.write(
                f"demo supervision: {notices} supervision notices, the ladder run for today"
            )
            self.stdout.write(
                f"demo history: {reports} reports in cycles 2021-03 … 2023-12, {cases} cases, {values} KPI values"
            )
        self.stdout.write(
            "\nluoshi is at http://127.0.0.1:8000/  (log in: /accounts/login/, admin: /admin/, API: /api/docs)\n"
            f"  administrator      {ADMIN_USERNAME} / {password}\n"
        )
        for account in DEMO_ACCOUNTS:
            label = f"{account.role.label} {account.organisation or ''}".strip()
            self.stdout.write(f"  {label:<18} {account.username} / {demo[account.username]}")

    def _administrator(self) -> str:
        secret_file = settings.DATA_DIR / "local-admin-password.txt"
        users = get_user_model().objects
        if secret_file.exists() and users.filter(username=ADMIN_USERNAME).exists():
            return secret_file.read_text().strip()
        password = secrets.token_urlsafe(12)
        user = users.filter(username=ADMIN_USERNAME).first() or users.create_superuser(
            ADMIN_USERNAME, ""
        )
        user.set_password(password)
        user.save()
        secret_file.write_text(password + "\n")
        secret_file.chmod(0o600)
        return password
