"""The backup drill: the demo database with evidence → `luoshi backup` → `luoshi restore` into a
new, empty database and data directory → every table's rows and every file identical. On
PostgreSQL too when the suite runs there (pg_dump / pg_restore)."""

from __future__ import annotations

import os
import tarfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.serving.servers import luoshi, production_env, run_python

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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_urls(request, tmp_path):
    if request.param == "sqlite":
        yield [f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"]
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the PostgreSQL drill runs when DATABASE_URL points at PostgreSQL")
    else:
        yield from _postgres_databases()


def test_backup_restores_every_row_and_file(tmp_path, database_urls):
    source = production_env(tmp_path / "a", database_urls[0], LUOSHI_DEBUG="true")
    target = production_env(tmp_path / "b", database_urls[1])
    luoshi(source, "bootstrap")
    assert run_python(source, EVIDENCE_CODE) == 3
    backups = tmp_path / "backups"
    backups.mkdir()

    done = luoshi(source, "backup", str(backups), "--keep", "2")
    archive = next(backups.glob("luoshi-*.tar.gz"))
    assert "3 个文件" in done.stdout  # Chinese by default, like every command
    restored = luoshi(target, "restore", str(archive))
    assert "校验值和行数全部核对无误" in restored.stdout

    before, after = run_python(source, FINGERPRINT_CODE), run_python(target, FINGERPRINT_CODE)
    assert isinstance(before, dict) and isinstance(after, dict)
    assert len(before["files"]) == 3
    assert before["tables"]["progress_report"][0] > 2000  # the demo history came along
    assert after == before

    # A restore never lands on data: the restored database is no longer empty.
    again = luoshi(target, "restore", str(archive), check=False)
    assert again.returncode != 0 and "数据库不是空的" in again.stderr


def test_tampered_archive_is_refused_before_loading(tmp_path):
    source = production_env(tmp_path / "a")
    luoshi(source, "migrate", "-v0")
    (tmp_path / "a" / "evidence" / "ab").mkdir(parents=True)
    (tmp_path / "a" / "evidence" / "ab" / "abcdef").write_bytes(b"evidence")
    archive = tmp_path / "backup.tar.gz"
    luoshi(source, "backup", str(archive))

    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as out:
        original.extractall(tmp_path / "x", filter="data")
        (tmp_path / "x" / "files" / "ab" / "abcdef").write_bytes(b"altered!")
        for entry in sorted(Path(tmp_path / "x").iterdir()):
            out.add(entry, arcname=entry.name)
    target = production_env(tmp_path / "b")
    result = luoshi(target, "restore", str(tampered), check=False)
    assert result.returncode != 0
    assert "归档与其清单不符：files/ab/abcdef" in result.stderr
    english = luoshi(target, "--lang", "en", "restore", str(tampered), check=False)
    assert "does not match its manifest: files/ab/abcdef" in english.stderr
    assert not (tmp_path / "b" / "evidence").exists()  # nothing stored
    tables = run_python(target, "from django.db import connection\n"
                        "print(json.dumps(connection.introspection.table_names()))")  # fmt: skip
    assert tables == []


def test_retention_keeps_the_newest(tmp_path):
    env = production_env(tmp_path / "a")
    luoshi(env, "migrate", "-v0")
    backups = tmp_path / "backups"
    backups.mkdir()
    old = [backups / f"luoshi-2020010{i}-000000.tar.gz" for i in range(1, 4)]
    for path in old:
        path.write_bytes(b"")
    luoshi(env, "backup", str(backups), "--keep", "2")
    kept = sorted(p.name for p in backups.iterdir())
    assert len(kept) == 2 and kept[0] == old[-1].name and kept[1] != old[-1].name
