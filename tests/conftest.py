from __future__ import annotations

import datetime as dt
import functools
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.ingest import ParsedPlan, parse_file
from luoshi.plans.models import Measure, Organisation, Plan
from luoshi.progress.services import cycle_open, cycle_open_month
from tests.variants import BUNDLED

pytest_plugins = ["tests.browser"]


# The modules that take longest, longest first (their durations with their worlds in a `-n 2` run of
# the whole suite on SQLite, 3 December 2026, on the shared machine at load 10-16). pytest-xdist hands
# modules out in the order the workers collected them (`--dist loadfile --no-loadscope-reorder`,
# Makefile): these go first, so the cheap modules fill the other worker meanwhile and no long module
# starts when the rest of the suite is done.
LONGEST_FIRST = (
    "tests/serving/test_backup_drill.py",
    "tests/test_action_walk.py",
    "tests/security/test_api_fuzz.py",
    "tests/web/test_walk.py",  # both languages' walks since 6d18752
    "tests/test_permission_matrix.py",
    "tests/web/test_walk_browser.py",
    "tests/test_query_counts.py",
    "tests/paperwork/test_upward_export.py",
    "tests/metrics/test_as_of_property.py",
    "tests/serving/test_concurrent_writers.py",
    "tests/metrics/test_demo_as_of.py",
    "tests/security/test_defaults.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that opens a browser is marked `browser`, so `make test-fast` can leave it out.
    In a pytest-xdist worker the longest modules come first (the same order in every worker)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    if hasattr(config, "workerinput"):
        rank = {path: place for place, path in enumerate(LONGEST_FIRST)}
        items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(scope="session", autouse=True)
def real_settings_for_luoshi_processes() -> None:
    """`luoshi` processes started by tests import the real settings (tests.settings is not on their
    path; they inherit LUOSHI_DEBUG from it). Set when the tests run, not when tests.settings is
    imported: see there."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site's language: a request made in English leaves English active
    in the thread (LocaleMiddleware does not reset it), and a later test would read English."""
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def cold_figures_cache():
    """A test's rolled-back writes must not leave figures cached for the next (metrics/cache.py)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def yueyang() -> ParsedPlan:
    return bundled_plan()


def run_queued_jobs() -> None:
    """Run the queued background jobs as `luoshi db_worker --batch` does, on the test's connection.

    The worker closes "old" connections between jobs; inside a test's transaction on PostgreSQL
    that closes the connection the test still holds, so the check is switched off here.
    """
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--interval", "0", verbosity=0)


@functools.cache
def _bundled_plan_read() -> bytes:
    return pickle.dumps(parse_file(BUNDLED))


def bundled_plan() -> ParsedPlan:
    """The bundled plan as the importer reads it: read once per test process (about 0.3 s each
    time, and hundreds of tests import it), a fresh copy for each caller."""
    plan: ParsedPlan = pickle.loads(_bundled_plan_read())
    return plan


def import_bundled_plan() -> Plan:
    """The bundled plan as the office runs it: in force from its publication, and public."""
    from luoshi.plans.services import plan_import, plan_make_public, plan_put_in_force

    plan = plan_import(parsed=bundled_plan()).plan
    start = plan.published_at.date() if plan.published_at else None
    plan_put_in_force(plan=plan, actor=None, effective_from=start)
    return plan_make_public(plan=plan, actor=None)


# A module whose tests all start from the bundled plan and the personas builds them once instead of
# once per test by adding `pytest.mark.usefixtures(ONCE)` to its pytestmark (not for transactional
# tests: their live server needs committed rows). Each test then meets them in a savepoint, and the
# fixtures below hand it fresh Python objects, so nothing a test changes reaches the next.
ONCE = "plan_and_people_once"


@pytest.fixture(scope="module")
def plan_and_people_once(
    django_db_setup, django_db_blocker
) -> Iterator[tuple[int, dict[str, int]]]:
    with shared_world(django_db_blocker):
        plan = import_bundled_plan()
        yield plan.pk, {name: user.pk for name, user in vars(make_people()).items()}


@pytest.fixture
def imported_plan(request: pytest.FixtureRequest, db: None) -> Plan:
    if ONCE in request.fixturenames:
        return Plan.objects.get(pk=request.getfixturevalue(ONCE)[0])
    return import_bundled_plan()


@pytest.fixture
def office_client(client, django_user_model):
    user = django_user_model.objects.create_user("office", "office@example.com")
    Organisation.objects.get_or_create(
        name="片区办", defaults={"kind": "institution", "level": "city"}
    )
    membership_set(
        user=user,
        role=Role.OFFICE,
        organisation=Organisation.objects.get(name="片区办"),
        actor=None,
    )
    client.force_login(user)
    return client


# Shared personas: the office, a leader, an evaluator, an auditor, reporter and head of 市市场监管局,
# reporter and head of 岳阳海关, and a reporter of 市财政局 (an outsider to most measures).
PERSONAS = {
    "office": (Role.OFFICE, "片区办"),
    "leader": (Role.LEADER, None),
    "evaluator": (Role.EVALUATOR, None),
    "auditor": (Role.AUDITOR, None),
    "sysadmin": (Role.SYSADMIN, None),
    "secadmin": (Role.SECADMIN, None),
    "market_reporter": (Role.REPORTER, "市市场监管局"),
    "market_head": (Role.HEAD, "市市场监管局"),
    "customs_reporter": (Role.REPORTER, "岳阳海关"),
    "customs_head": (Role.HEAD, "岳阳海关"),
    "finance_reporter": (Role.REPORTER, "市财政局"),
    "province": (Role.PROVINCE, None),  # 省级主管部门: reads every plan, read-only
}
PASSWORD = "Correct-horse-2021!"


@pytest.fixture
def people(request: pytest.FixtureRequest, imported_plan: Plan) -> SimpleNamespace:
    if ONCE in request.fixturenames:
        built = request.getfixturevalue(ONCE)[1]
        return SimpleNamespace(**{name: User.objects.get(pk=pk) for name, pk in built.items()})
    return make_people()


def make_people() -> SimpleNamespace:
    """The shared personas, created in the database (the bundled plan must be imported)."""
    Organisation.objects.get_or_create(
        name="片区办", defaults={"kind": "institution", "level": "city"}
    )
    found = {}
    for username, (role, organisation) in PERSONAS.items():
        user = User.objects.create_user(username, f"{username}@example.gov.cn", PASSWORD)
        org = Organisation.objects.get(name=organisation) if organisation else None
        membership_set(user=user, role=role, organisation=org, actor=None)
        found[username] = User.objects.get(pk=user.pk)
    return SimpleNamespace(**found)


@pytest.fixture
def cycle(imported_plan, people):
    return cycle_open_month(plan=imported_plan, year=2021, month=6, actor=people.office)


@pytest.fixture
def market_measure(imported_plan) -> Measure:
    """Task 10's only measure, led by 市市场监管局 alone: accepting it implements the task."""
    return Measure.objects.get(task__plan=imported_plan, task__number=10)


@pytest.fixture
def customs_supported_measure(imported_plan) -> Measure:
    """Measure 83.1: led by 市市场监管局 with 岳阳海关 supporting."""
    return Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)


SESSION_BOOKKEEPING = (
    "django_session",
    "SAVEPOINT",
)  # its table, and the savepoint around its save


def page_queries(captured: CaptureQueriesContext) -> int:
    """The queries a request made for its page, without the session's own: a session is renewed at
    most once a minute (accounts.identity.renew_idle), so whether a request saves it depends on the
    clock, not on the page or its data."""
    return sum(
        not any(mark in query["sql"] for mark in SESSION_BOOKKEEPING)
        for query in captured.captured_queries
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@contextmanager
def shared_world(django_db_blocker, **settings: object) -> Iterator[None]:
    """For a module-scoped fixture: what it builds lives in one outer transaction, rolled back when the
    module ends; each test runs in a savepoint inside it, so it sees the world and cannot change it
    for the next. Pass settings the world needs (they hold for the whole module)."""
    with django_db_blocker.unblock(), override_settings(**settings), transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def undone() -> Iterator[None]:
    """What the block writes is undone after it, so the next request meets the same world.

    A plain savepoint, not an atomic block: figures are cached per transaction under the atomic
    blocks open (metrics/cache.py), so a savepoint block per request would make each request compute
    the plan's figures (and Word files) again, while under a plain savepoint every request of a test
    reads the ones the first made. If the block wrote a table the figures read, what it cached
    meanwhile came from writes now undone: `invalidate()` makes it unreachable."""
    from luoshi.metrics.cache import invalidate, stamp

    before = stamp()
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
        transaction.set_rollback(False)  # a failed inner block without a savepoint is undone too
        if stamp() != before:
            invalidate()


def open_july_cycle(plan: Plan, actor: User) -> None:
    """A write to the plan's data (a July 2021 reporting cycle): what cached reads must notice."""
    cycle_open(
        plan=plan,
        starts_on=dt.date(2021, 7, 1),
        ends_on=dt.date(2021, 7, 31),
        due_on=None,
        name="",
        actor=actor,
    )
