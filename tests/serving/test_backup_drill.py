"""The backup drill: the demo database with evidence → `luoshi backup` → `luoshi restore` into a
new, empty database and data directory → every table's rows and every file identical. On
PostgreSQL too when the suite runs there (pg_dump / pg_restore). The demo is bootstrapped once per
database for the module: the tests only read it."""

from __future__ import annotations

import contextlib
import os
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.serving.servers import luoshi, migrated_sqlite, production_env, run_python

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow

EVIDENCE_CODE = """
import io
from django.contrib.auth.models import User
from luoshi.plans.models import Measure
from luoshi.progress.evidence import evidence_add
from luoshi.progress.models import Report, ReportingCycle
from luoshi.progress.services import report_draft
from luoshi.accounts.policies import leads
reporter = User.objects.get(username="scjg-tb")
cycle = ReportingCycle.objects.filter(status="open").order_by("-starts_on").first()
from django.core.exceptions import ValidationError
report = None
for m in Measure.objects.filter(task__plan=cycle.plan).exclude(reports__cycle=cycle):
    if leads(reporter, m):
        try:
            report = report_draft(measure=m, cycle=cycle, actor=reporter)
            break
        except ValidationError:  # already implemented
            continue
for i in range(3):
    data = b"%PDF-1.4\\n%" + bytes([i]) * 2000 + b"\\n%%EOF\\n"
    evidence_add(report=report, upload=io.BytesIO(data), name=f"佐证{i}.pdf", actor=reporter)
print(json.dumps(report.evidence.count()))
"""

# Every table's rows (sorted, so physical order does not matter) and every stored file, as digests.
FINGERPRINT_CODE = """
import hashlib
from django.db import connection
from luoshi.ops.backup import _walk
from luoshi.progress.evidence import evidence_storage
tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        tables[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
storage = evidence_storage()
files = {}
for name in _walk(storage):
    with storage.open(name, "rb") as f:
        files[name] = hashlib.sha256(f.read()).hexdigest()
print(json.dumps({"tables": tables, "files": files}))
"""


@contextlib.contextmanager
def _postgres_databases() -> Iterator[list[str]]:
    """Two fresh PostgreSQL databases on the suite's server, dropped afterwards."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    names = [f"luoshi_drill_{uuid.uuid4().hex[:8]}_{side}" for side in ("a", "b")]
    with psycopg.connect(url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    try:
        yield [f"{base}/{name}" for name in names]
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Drill:
    source: dict[str, str]  # the demo database with three evidence files
    target: dict[str, str]  # a new, empty database and data directory


@contextlib.contextmanager
def _drill(root: Path, databases: contextlib.AbstractContextManager[list[str]]) -> Iterator[Drill]:
    with databases as (source_url, target_url):
        source = production_env(root / "a", source_url, LUOSHI_DEBUG="true")
        luoshi(source, "bootstrap")
        assert run_python(source, EVIDENCE_CODE) == 3
        yield Drill(source, production_env(root / "b", target_url))


@pytest.fixture(scope="module")
def sqlite_drill(tmp_path_factory) -> Iterator[Drill]:
    root = tmp_path_factory.mktemp("drill")
    urls = [migrated_sqlite(root / "a.sqlite3"), f"sqlite:///{root / 'b.sqlite3'}"]
    with _drill(root, contextlib.nullcontext(urls)) as drill:
        yield drill


@pytest.fixture(scope="module")
def postgres_drill(tmp_path_factory) -> Iterator[Drill]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the PostgreSQL drill runs when DATABASE_URL points at PostgreSQL")
    with _drill(tmp_path_factory.mktemp("drill-pg"), _postgres_databases()) as drill:
        yield drill


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_backup_restores_every_row_and_file(request, tmp_path, database):
    drill: Drill = request.getfixturevalue(f"{database}_drill")
    done = luoshi(drill.source, "backup", str(tmp_path), "--keep", "2")
    archive = next(tmp_path.glob("luoshi-*.tar.gz"))
    assert "3 个文件" in done.stdout  # Chinese by default, like every command
    restored = luoshi(drill.target, "restore", str(archive))
    assert "校验值和行数全部核对无误" in restored.stdout

    before = run_python(drill.source, FINGERPRINT_CODE)
    after = run_python(drill.target, FINGERPRINT_CODE)
    assert isinstance(before, dict) and isinstance(after, dict)
    assert len(before["files"]) == 3
    assert before["tables"]["progress_report"][0] > 2000  # the demo history came along
    assert after == before

    # A restore never lands on data: the restored database is no longer empty.
    again = luoshi(drill.target, "restore", str(archive), check=False)
    assert again.returncode != 0 and "数据库不是空的" in again.stderr


def test_tampered_archive_is_refused_before_loading(sqlite_drill, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    luoshi(sqlite_drill.source, "backup", str(archive))

    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as out:
        original.extractall(tmp_path / "x", filter="data")
        altered = min(p for p in (tmp_path / "x" / "files").rglob("*") if p.is_file())
        altered.write_bytes(b"altered!")
        for entry in sorted(Path(tmp_path / "x").iterdir()):
            out.add(entry, arcname=entry.name)
    name = altered.relative_to(tmp_path / "x").as_posix()
    target = production_env(tmp_path / "b")
    result = luoshi(target, "restore", str(tampered), check=False)
    assert result.returncode != 0
    assert f"归档与其清单不符：{name}" in result.stderr
    english = luoshi(target, "--lang", "en", "restore", str(tampered), check=False)
    assert f"does not match its manifest: {name}" in english.stderr
    assert not (tmp_path / "b" / "evidence").exists()  # nothing stored
    tables = run_python(target, "from django.db import connection\n"
                        "print(json.dumps(connection.introspection.table_names()))")  # fmt: skip
    assert tables == []


def test_retention_keeps_the_newest(sqlite_drill, tmp_path):
    old = [tmp_path / f"luoshi-2020010{i}-000000.tar.gz" for i in range(1, 4)]
    for path in old:
        path.write_bytes(b"")
    luoshi(sqlite_drill.source, "backup", str(tmp_path), "--keep", "2")
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == 2 and kept[0] == old[-1].name and kept[1] != old[-1].name
