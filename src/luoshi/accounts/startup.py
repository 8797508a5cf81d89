"""Production refuses to start while the development accounts exist (GB/T 22239-2019 8.1.4.2 b:
no default accounts or passwords): the demo accounts, the default-named administrator, or any
account whose password is still one `luoshi bootstrap` generated. Development (LUOSHI_DEBUG=1) is
exempt, which is how `make run` keeps its demo."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.checks import Error, register
from django.db import DatabaseError

from luoshi.accounts.demo import ADMIN_USERNAME, DEMO_ACCOUNTS


def _default_passwords() -> dict[str, str]:
    """Username → password from the files `luoshi bootstrap` wrote into the data directory."""
    found: dict[str, str] = {}
    demo = settings.DATA_DIR / "demo-accounts.json"
    if demo.exists():
        found.update(json.loads(demo.read_text()))
    admin = settings.DATA_DIR / "local-admin-password.txt"
    if admin.exists():
        found[ADMIN_USERNAME] = admin.read_text().strip()
    return found


def production_refusals() -> list[str]:
    """Why production may not start (empty when it may)."""
    if settings.DEBUG:
        return []
    names = {account.username for account in DEMO_ACCOUNTS} | {ADMIN_USERNAME}
    active = User.objects.filter(is_active=True)
    reasons = [
        f"demo or default-named account {name!r} exists: deactivate or rename it"
        for name in sorted(active.filter(username__in=names).values_list("username", flat=True))
    ]
    for name, password in _default_passwords().items():
        user = active.filter(username=name).first()
        if user is not None and user.check_password(password):
            reasons.append(f"account {name!r} still has the password luoshi bootstrap generated")
    return reasons


@register("database")
def demo_accounts_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """`luoshi check --database default` (and `migrate`) in production: the same refusals."""
    if settings.DEBUG or not kwargs.get("databases"):
        return []
    try:
        reasons = production_refusals()
    except DatabaseError:  # before the first migration there are no accounts to refuse
        return []
    return [Error(reason, id="luoshi.E001") for reason in reasons]
