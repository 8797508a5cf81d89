"""Throw-away databases for the benchmarks: the bundled plan with its demo history, and a large
generated dataset (N copies of the plan, each with a full reporting history)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-"))
BUNDLED = ROOT / "data" / "plans" / "yueyang-ftz-implementation-plan-2021.txt"


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bundled_with_history():  # type: ignore[no-untyped-def]
    """The bundled plan, demo accounts and the demo history (as `make run` has them)."""
    from django.conf import settings
    from django.contrib.auth.models import User

    from luoshi.accounts.demo import demo_accounts_ensure
    from luoshi.ingest import parse_file
    from luoshi.plans.services import plan_import
    from luoshi.progress.demo import demo_history_ensure

    plan = plan_import(parsed=parse_file(BUNDLED)).plan
    demo_accounts_ensure(Path(settings.DATA_DIR) / "demo-accounts.json")
    demo_history_ensure(plan, User.objects.get(username="office"))
    return plan


def large_dataset(plans: int) -> tuple[list[object], float]:
    """`plans` more copies of the plan (distinct titles), each with its own seeded history."""
    from django.contrib.auth.models import User

    from luoshi.ingest import parse_bytes
    from luoshi.plans.services import plan_import
    from luoshi.progress.demo import demo_history_ensure

    text = BUNDLED.read_text(encoding="utf-8")
    office = User.objects.get(username="office")
    started = time.perf_counter()
    made = []
    for index in range(plans):
        copy = text.replace("岳阳片区实施方案", f"第{index + 1}片区实施方案", 1)
        plan = plan_import(parsed=parse_bytes(copy.encode(), f"copy-{index}.txt")).plan
        demo_history_ensure(plan, office, seed=index)
        made.append(plan)
    return made, time.perf_counter() - started
