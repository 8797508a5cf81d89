"""The embedded SQLite default under real concurrency: 50 writers on one gunicorn lose nothing and
get no 500 (issue 18: before WAL, a busy timeout and IMMEDIATE transactions, most of them did)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.serving.servers import (
    SESSIONS_CODE,
    Client,
    luoshi,
    migrated_sqlite,
    production_env,
    run_python,
    served,
)
from tests.variants import BUNDLED

pytestmark = pytest.mark.slow

WRITERS = 50
OFFICES = 3  # office users racing to accept the same reports

WORLD_CODE = (
    SESSIONS_CODE
    + f"""
from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.plans.models import Organisation, Plan, Responsibility
from luoshi.progress.services import cycle_open_month
plan = Plan.objects.get()
office_org, _ = Organisation.objects.get_or_create(name="片区办", defaults={{"kind": "institution", "level": "city"}})
offices = []
for i in range({OFFICES}):
    user = User.objects.create_user(f"office{{i}}", password=None)
    membership_set(user=user, role=Role.OFFICE, organisation=office_org, actor=None)
    offices.append(user)
cycle = cycle_open_month(plan=plan, year=2021, month=6, actor=offices[0])
leads = {{}}
for r in Responsibility.objects.filter(measure__isnull=False, role="lead").order_by("measure_id"):
    leads.setdefault(r.measure_id, r.organisation)
people = {{}}
writers = []
for measure_id, org in list(leads.items())[:{WRITERS}]:
    if org.pk not in people:
        reporter = User.objects.create_user(f"r{{org.pk}}", password=None)
        membership_set(user=reporter, role=Role.REPORTER, organisation=org, actor=None)
        head = User.objects.create_user(f"h{{org.pk}}", password=None)
        membership_set(user=head, role=Role.HEAD, organisation=org, actor=None)
        people[org.pk] = (session_for(reporter), session_for(head))
    writers.append({{"measure": measure_id, "reporter": people[org.pk][0], "head": people[org.pk][1]}})
print(json.dumps({{"cycle": cycle.pk, "writers": writers, "offices": [session_for(u) for u in offices]}}))
"""
)

COUNT_CODE = """
from luoshi.progress.models import Report, ReportEvent
print(json.dumps({
    "accepted": Report.objects.filter(state="accepted").count(),
    "reports": Report.objects.count(),
    "events": dict(Counter(ReportEvent.objects.values_list("action", flat=True))),
}))
""".replace("print(", "from collections import Counter\nprint(", 1)


def _writer(port: int, cycle: int, w: dict[str, object], statuses: Counter[int]) -> int:
    reporter = Client(port, str(w["reporter"]))
    head = Client(port, str(w["head"]))
    created = reporter.send("POST", "/api/reports", {"measure_id": w["measure"], "cycle_id": cycle})
    statuses[created.status] += 1
    assert created.status == 201, created.body[:300]  # before WAL etc.: 500 "database is locked"
    report = created.json()
    assert isinstance(report, dict), report
    fields = {
        "version": report["version"],
        "progress_status": "in_progress",
        "percent": 60,
        "work_done": "已完成阶段性工作",
    }
    steps = [
        (reporter, "PATCH", f"/api/reports/{report['id']}", fields),
        (reporter, "POST", f"/api/reports/{report['id']}/transitions", {"action": "submit"}),
        (head, "POST", f"/api/reports/{report['id']}/transitions", {"action": "approve"}),
    ]  # fmt: skip
    for client, method, path, data in steps:
        statuses[client.send(method, path, data).status] += 1
    return int(report["id"])


def _accept(port: int, session: str, report_id: int) -> int:
    return (
        Client(port, session)
        .send("POST", f"/api/reports/{report_id}/transitions", {"action": "accept"})
        .status
    )


def test_fifty_concurrent_writers_lose_nothing(tmp_path):
    # The offices' sessions are made directly (session_for), not signed in with a second factor.
    database = migrated_sqlite(tmp_path / "luoshi.sqlite3")
    env = production_env(tmp_path, database, LUOSHI_TWO_FACTOR_ROLES="")
    luoshi(env, "import-plan", str(BUNDLED))
    world = run_python(env, WORLD_CODE)
    assert isinstance(world, dict) and len(world["writers"]) == WRITERS
    statuses: Counter[int] = Counter()
    with served(env, workers=4) as port, ThreadPoolExecutor(WRITERS) as pool:
        ids = list(pool.map(lambda w: _writer(port, world["cycle"], w, statuses), world["writers"]))
        # Every office user tries to accept every report at once: one wins each, the rest are told.
        races = [(s, r) for r in ids for s in world["offices"]]
        accepts = Counter(pool.map(lambda race: _accept(port, *race), races))

    assert statuses == Counter({201: WRITERS, 200: 3 * WRITERS}), statuses
    assert accepts == Counter({200: WRITERS, 409: (OFFICES - 1) * WRITERS}), accepts
    counts = run_python(env, COUNT_CODE)
    assert counts == {
        "accepted": WRITERS,
        "reports": WRITERS,
        "events": {"draft": WRITERS, "submit": WRITERS, "approve": WRITERS, "accept": WRITERS},
    }
    # The audit rows of four worker processes writing at once form one unbroken chain.
    assert "审计链完整" in luoshi(env, "audit", "verify").stdout
