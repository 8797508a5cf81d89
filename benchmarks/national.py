"""The national-scale dataset of issue 18: 50 plans (4,400 tasks, 12,000 measures), ~400,000
reports with their review events, 2,000 users — built into the database that the environment
names (`DATABASE_URL`), for `serve.py` to serve.

    DATABASE_URL=postgres://… LUOSHI_DEBUG=1 .venv/bin/python benchmarks/national.py [--plans 50]

Plans are copies of the bundled one (distinct titles), each in force and public. Every measure's
lead unit reports in each monthly cycle from March 2021 to August 2024 (3% of cycles missed) until
the measure is completed — a third of the measures are, at a random month; one report in ten is
returned once before it is accepted; the last cycle is still in review (drafts, submitted,
approved). Written in bulk, like a fixture: benchmark data, not anybody's actions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
BUNDLED = ROOT / "data" / "plans" / "yueyang-ftz-implementation-plan-2021.txt"
PASSWORD = "bench-password-2026"  # the throw-away benchmark database's logins
FIRST, LAST = dt.date(2021, 3, 1), dt.date(2024, 8, 1)
CHINA = dt.timezone(dt.timedelta(hours=8))
USERS = 2000


def months() -> list[dt.date]:
    found, month = [], FIRST
    while month <= LAST:
        found.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return found


def build(plans: int) -> dict[str, int]:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import transaction

    from luoshi.accounts.demo import DEMO_ACCOUNTS, demo_accounts_ensure
    from luoshi.ingest import parse_bytes
    from luoshi.plans.models import Plan
    from luoshi.plans.services import plan_import, plan_make_public, plan_put_in_force

    call_command("migrate", verbosity=0)
    if Plan.objects.count() >= plans:
        return counts()
    text = BUNDLED.read_text(encoding="utf-8")
    made = []
    for index in range(plans):
        copy = (
            text
            if index == 0
            else text.replace("岳阳片区实施方案", f"第{index + 1}片区实施方案", 1)
        )
        plan = plan_import(parsed=parse_bytes(copy.encode(), f"plan-{index}.txt")).plan
        start = plan.published_at.date() if plan.published_at else None
        plan_put_in_force(plan=plan, actor=None, effective_from=start)
        plan_make_public(plan=plan, actor=None)
        made.append(plan)
    demo_accounts_ensure(Path(os.environ["LUOSHI_DATA_DIR"]) / "demo-accounts.json")
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        user.set_password(PASSWORD)
        user.save()
    office = User.objects.get(username="office")
    for index, plan in enumerate(made):
        with transaction.atomic():
            history(plan, office, random.Random(index))
        print(f"  plan {index + 1}/{plans}: history written", flush=True)
    with transaction.atomic():
        more_users()
    return counts()


def history(plan, office, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Monthly reports on every measure until it is completed, in bulk."""
    from luoshi.plans.models import Duty, Measure
    from luoshi.progress.models import CycleStatus, Report, ReportEvent, ReportingCycle

    measures = list(Measure.objects.filter(task__plan=plan).prefetch_related("responsibilities"))
    lead = {
        m.pk: next(d.organisation_id for d in m.responsibilities.all() if d.role == Duty.LEAD)
        for m in measures
    }
    people = unit_people(set(lead.values()))
    cycles = ReportingCycle.objects.bulk_create(
        ReportingCycle(
            plan=plan,
            name=f"{month:%Y年%m月}",
            starts_on=month,
            ends_on=end_of_month(month),
            due_on=end_of_month(month),
            opened_by=office,
            status=CycleStatus.OPEN if month == LAST else CycleStatus.CLOSED,
        )
        for month in months()
    )
    done_in = {
        m.pk: rng.choice(cycles).starts_on if rng.random() < 0.33 else None for m in measures
    }
    reports, steps = [], []
    for cycle in cycles:
        for measure in measures:
            finish = done_in[measure.pk]
            if (finish and finish < cycle.starts_on) or rng.random() < 0.03:
                continue
            reporter, head = people[lead[measure.pk]]
            completed = finish == cycle.starts_on
            stage = "accepted" if cycle.starts_on < LAST else rng.choice(STAGES)
            report = Report(
                measure=measure,
                cycle=cycle,
                organisation_id=lead[measure.pk],
                state=stage,
                progress_status="completed" if completed else "in_progress",
                percent=100 if completed else rng.randint(10, 90),
                work_done="完成阶段性工作，按计划推进",
                created_by=reporter,
                return_count=1 if rng.random() < 0.1 and stage == "accepted" else 0,
            )
            at = dt.datetime.combine(cycle.due_on, dt.time(9), CHINA) - dt.timedelta(days=3)
            report.created_at = report.updated_at = at
            if stage != "draft":
                report.submitted_at = at
            if stage in ("approved", "accepted"):
                report.approved_at = at + dt.timedelta(hours=2)
            if stage == "accepted":
                report.accepted_at = at + dt.timedelta(days=1)
            reports.append(report)
            steps.append(events(report, reporter, head, office, at))
    Report.objects.bulk_create(reports, batch_size=2000)
    for report, made in zip(reports, steps, strict=True):
        for event in made:
            event.report = report
    ReportEvent.objects.bulk_create([e for made in steps for e in made], batch_size=5000)


STAGES = ["draft", "submitted", "approved"]


def events(report, reporter, head, office, at: dt.datetime) -> list:  # type: ignore[no-untyped-def]
    from luoshi.progress.models import ReportEvent

    content = {"progress_status": report.progress_status, "percent": report.percent}
    path = [("draft", "", "draft", reporter, {})]
    if report.state != "draft":
        path.append(("submit", "draft", "submitted", reporter, content))
    if report.return_count:
        path += [
            ("approve", "submitted", "approved", head, {}),
            ("return", "approved", "draft", office, {"comment": "请补充佐证材料"}),
            ("submit", "draft", "submitted", reporter, content),
        ]
    if report.state in ("approved", "accepted"):
        path.append(("approve", "submitted", "approved", head, {}))
    if report.state == "accepted":
        path.append(("accept", "approved", "accepted", office, {}))
    return [
        ReportEvent(
            actor=actor,
            action=action,
            from_state=source,
            to_state=target,
            at=at + dt.timedelta(hours=index),
            **extra,
        )
        for index, (action, source, target, actor, extra) in enumerate(path)
    ]


def unit_people(organisations: set[int]) -> dict[int, tuple[object, object]]:
    """A reporter and a head for every lead unit (the demo accounts where they exist)."""
    from django.contrib.auth.models import User

    from luoshi.accounts.models import Membership, Role

    found: dict[int, dict[str, User]] = {}
    for m in Membership.objects.filter(role__in=[Role.REPORTER, Role.HEAD]).select_related("user"):
        if m.organisation_id in organisations:
            found.setdefault(m.organisation_id, {}).setdefault(m.role, m.user)
    for org in organisations:
        for role, suffix in ((Role.REPORTER, "tb"), (Role.HEAD, "sh")):
            if role not in found.setdefault(org, {}):
                user = User.objects.create(username=f"unit{org}-{suffix}", password="!")
                Membership.objects.create(user=user, organisation_id=org, role=role)
                found[org][role] = user
    return {org: (roles[Role.REPORTER], roles[Role.HEAD]) for org, roles in found.items()}


def more_users() -> None:
    """More reporters per unit, up to USERS accounts in all."""
    from django.contrib.auth.models import User

    from luoshi.accounts.models import Membership, Role
    from luoshi.plans.models import Organisation

    units = list(Organisation.objects.filter(responsibilities__isnull=False).distinct())
    missing = USERS - User.objects.count()
    users = User.objects.bulk_create(
        User(username=f"staff{n:04d}", password="!", last_name=units[n % len(units)].name)
        for n in range(max(missing, 0))
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=units[n % len(units)], role=Role.REPORTER)
        for n, u in enumerate(users)
    )


def end_of_month(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def counts() -> dict[str, int]:
    from django.contrib.auth.models import User

    from luoshi.plans.models import Measure, Plan, Task
    from luoshi.progress.models import Report, ReportEvent

    return {
        "plans": Plan.objects.count(),
        "tasks": Task.objects.count(),
        "measures": Measure.objects.count(),
        "reports": Report.objects.count(),
        "report events": ReportEvent.objects.count(),
        "users": User.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("LUOSHI_DATA_DIR", str(ROOT / "var" / "bench"))
    Path(os.environ["LUOSHI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    started = time.perf_counter()
    found = build(args.plans)
    print(
        ", ".join(f"{v:,} {k}" for k, v in found.items()),
        f"({time.perf_counter() - started:.0f} s)",
    )


if __name__ == "__main__":
    main()
