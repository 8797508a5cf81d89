"""Demo accounts for `make run`: generated passwords, kept in the data directory, never in settings."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.plans.models import Level, Organisation, OrganisationKind

OFFICE_NAME = "片区办"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: Role
    organisation: str | None


DEMO_ACCOUNTS = [
    DemoAccount("office", "片区办管理员", Role.OFFICE, OFFICE_NAME),
    DemoAccount("leader", "分管领导", Role.LEADER, None),
    DemoAccount("evaluator", "第三方评估机构", Role.EVALUATOR, None),
    DemoAccount("auditor", "审计人员", Role.AUDITOR, None),
    DemoAccount("scjg-tb", "市场监管局填报人", Role.REPORTER, "市市场监管局"),
    DemoAccount("scjg-sh", "市场监管局审核人", Role.HEAD, "市市场监管局"),
    DemoAccount("hg-tb", "岳阳海关填报人", Role.REPORTER, "岳阳海关"),
    DemoAccount("hg-sh", "岳阳海关审核人", Role.HEAD, "岳阳海关"),
    DemoAccount("rmyh-tb", "人民银行填报人", Role.REPORTER, "市人民银行"),
    DemoAccount("rmyh-sh", "人民银行审核人", Role.HEAD, "市人民银行"),
]


def demo_accounts_ensure(secret_file: Path) -> dict[str, str]:
    """Create the demo accounts once; later runs return the passwords kept in `secret_file`."""
    known: dict[str, str] = json.loads(secret_file.read_text()) if secret_file.exists() else {}
    with transaction.atomic():
        Organisation.objects.get_or_create(
            name=OFFICE_NAME, defaults={"kind": OrganisationKind.INSTITUTION, "level": Level.CITY}
        )
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is not None and account.username in known:
                continue
            password = secrets.token_urlsafe(9)
            user = user or User(username=account.username, last_name=account.name)
            user.email = f"{account.username}@example.gov.cn"
            user.set_password(password)
            user.save()
            organisation = (
                Organisation.objects.get(name=account.organisation)
                if account.organisation
                else None
            )
            membership_set(
                user=user, role=account.role, organisation=organisation or None, actor=None
            )
            known[account.username] = password
    secret_file.write_text(json.dumps(known, ensure_ascii=False, indent=1))
    secret_file.chmod(0o600)
    return known
