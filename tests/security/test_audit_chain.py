"""The audit trail is a hash chain: `luoshi audit verify` finds an UPDATE, a DELETE and a re-ordered
row (made behind the application's back — on PostgreSQL by the tables' owner switching the trigger
off), a forged checkpoint and a cut-off tail; on PostgreSQL the database itself refuses UPDATE and
DELETE. Rows past retention are exported with their hashes before they are purged."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from luoshi.audit.actions import AuditAction
from luoshi.audit.chain import ALGORITHM, checkpoint
from luoshi.audit.models import AuditCheckpoint, AuditEvent
from luoshi.audit.services import audit_record

pytestmark = pytest.mark.django_db
TABLES = ("audit_auditevent", "audit_auditcheckpoint")


@contextmanager
def behind_the_applications_back() -> Iterator[None]:
    """Tampering as a database owner could: on PostgreSQL the append-only triggers are off."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks block ALTER TABLE
        for table in TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def trail(django_user_model):
    user = django_user_model.objects.create_user("someone", password="Long-enough-pass-1")
    AuditEvent.objects.all()  # rows made by setting up the user, if any, stay in the chain
    for n in range(6):
        audit_record(actor=user, action=AuditAction.ACCESS, detail={"n": n, "ip": [1, 2]})
    return list(AuditEvent.objects.order_by("seq"))


def verify_output() -> str:
    try:
        call_command("audit", "verify", stdout=(out := _Out()))
    except CommandError as error:
        return f"BROKEN {error}"
    return out.text


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


def test_an_untouched_trail_verifies(trail):
    assert trail[0].algorithm == ALGORITHM == "sm3"  # SM3 through OpenSSL
    assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(trail))
    checkpoint()
    assert "审计链完整" in verify_output()


def test_an_update_is_found(trail):
    with behind_the_applications_back():
        AuditEvent.objects.filter(pk=trail[3].pk).update(username="someone-else")
    assert f"row seq {trail[3].seq} (id {trail[3].pk}): contents changed" in verify_output()


def test_a_delete_is_found(trail):
    with behind_the_applications_back():
        AuditEvent.objects.filter(pk=trail[2].pk)._raw_delete(connection.alias)
    assert f"rows {trail[2].seq}–{trail[2].seq} are missing" in verify_output()


def test_a_reordered_row_is_found(trail):
    a, b = trail[1], trail[4]
    with behind_the_applications_back(), transaction.atomic():
        AuditEvent.objects.filter(pk=a.pk).update(seq=-1)
        AuditEvent.objects.filter(pk=b.pk).update(seq=a.seq)
        AuditEvent.objects.filter(pk=a.pk).update(seq=b.seq)
    assert f"row seq {a.seq} (id {b.pk}): does not link" in verify_output()


def test_a_cut_tail_and_a_forged_checkpoint_are_found(trail):
    checkpoint()
    with behind_the_applications_back():
        AuditEvent.objects.filter(pk=trail[-1].pk)._raw_delete(connection.alias)
        assert "are missing: checkpoint" in verify_output()
        AuditCheckpoint.objects.all()._raw_delete(connection.alias)
    AuditCheckpoint.objects.create(seq=trail[-2].seq, hash=trail[-2].hash, signature="0" * 64)
    assert "wrong signature" in verify_output()


def test_a_row_inserted_outside_the_audit_service_is_found(trail):
    """A row created straight through the ORM (no seq, no hash) breaks the chain, and the next
    row written the normal way still continues it after the highest sealed row."""
    stray = AuditEvent.objects.create(username="intruder", action=AuditAction.ACCESS)
    assert f"(id {stray.pk}): inserted outside the audit trail" in verify_output()
    user = trail[0].user
    later = audit_record(actor=user, action=AuditAction.ACCESS)
    assert later.seq == trail[-1].seq + 1 and later.prev_hash == trail[-1].hash
    assert "inserted outside the audit trail" in verify_output()  # still reported, not hidden


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_get_consecutive_seq():
    """The second writer waits for the first one's transaction (the chain's advisory lock) and
    links to its row; without the lock both would read the same end and one would fail."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writers queue on IMMEDIATE: tests/serving/test_concurrent_writers.py")
    inside, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer(n: int, hold: bool) -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action=AuditAction.ACCESS, detail={"writer": n})
                if hold:
                    inside.set()
                    release.wait(30)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=writer, args=(1, True))
    first.start()
    assert inside.wait(30)
    second = threading.Thread(target=writer, args=(2, False))
    second.start()
    second.join(1)
    assert second.is_alive()  # queued behind the first writer's transaction
    release.set()
    first.join(30)
    second.join(30)
    assert errors == []
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.detail["writer"] for r in rows] == [1, 2]
    assert rows[0].seq is not None
    assert rows[1].seq == rows[0].seq + 1 and rows[1].prev_hash == rows[0].hash
    assert "审计链完整" in verify_output()


def test_a_refused_change_to_a_row_through_the_model(trail):
    from luoshi.audit.models import ImmutableError

    with pytest.raises(ImmutableError):
        trail[0].save()
    with pytest.raises(ImmutableError):
        trail[0].delete()


def test_postgresql_refuses_update_and_delete(trail):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    for tamper in (
        lambda: AuditEvent.objects.filter(pk=trail[0].pk).update(username="x"),
        lambda: AuditEvent.objects.filter(pk=trail[0].pk)._raw_delete(connection.alias),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            tamper()


def test_deleting_a_user_never_rewrites_their_rows(trail, django_user_model):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        django_user_model.objects.get(username="someone").delete()
    assert "审计链完整" in verify_output()


def test_postgresql_refuses_update_and_delete_of_checkpoints(trail):
    mark = checkpoint()
    assert mark is not None
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.filter(pk=mark.pk).update(signature="0" * 64)


def _age(days: int) -> None:
    """Rows written `days` ago: the chain is re-sealed as if they had been written then."""
    from luoshi.audit.chain import row_hash

    with behind_the_applications_back():
        previous = None
        for event in AuditEvent.objects.order_by("seq"):
            event.at = event.at - dt.timedelta(days=days)
            if previous is not None:
                event.prev_hash = previous
            event.hash = row_hash(event)
            AuditEvent.objects.filter(pk=event.pk).update(
                at=event.at, prev_hash=event.prev_hash, hash=event.hash
            )
            previous = event.hash


def test_purge_inside_the_retention_period_is_refused(trail, tmp_path, settings):
    settings.LUOSHI_AUDIT_RETENTION_DAYS = 180
    with pytest.raises(CommandError, match="保存期限内"):
        call_command("audit", "purge", "--before", dt.date.today().isoformat(),
                     "--archive", str(tmp_path / "a.jsonl"))  # fmt: skip
    assert AuditEvent.objects.count() == len(trail)
    assert not (tmp_path / "a.jsonl").exists()


def test_purge_exports_old_rows_first_and_the_chain_still_verifies(trail, tmp_path, settings):
    settings.LUOSHI_AUDIT_RETENTION_DAYS = 180
    _age(400)
    trail = list(AuditEvent.objects.order_by("seq"))
    call_command("audit", "checkpoint")
    for n in range(2):  # recent rows, kept
        audit_record(actor=None, action=AuditAction.ACCESS, detail={"recent": n})
    before = dt.date.today() - dt.timedelta(days=200)
    archive = tmp_path / "audit-archive.jsonl"
    call_command("audit", "purge", "--before", before.isoformat(), "--archive", str(archive))

    rows = [json.loads(line) for line in archive.read_text().splitlines()]
    assert [r["seq"] for r in rows] == [e.seq for e in trail]
    assert rows[-1]["hash"] == trail[-1].hash
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    remaining = list(AuditEvent.objects.order_by("seq"))
    assert remaining[0].prev_hash == trail[-1].hash  # the chain goes on from the archive's end
    assert remaining[-1].action == AuditAction.AUDIT_PURGE
    assert "审计链完整" in verify_output()
    with pytest.raises(CommandError, match="已存在"):  # an archive is never overwritten
        call_command("audit", "purge", "--before", before.isoformat(), "--archive", str(archive))


def test_the_archive_verifies_offline(trail, tmp_path):
    """Each exported row's hash is the hash of its exported content: the archive stands alone."""
    import hashlib

    out = tmp_path / "all.jsonl"
    call_command("audit", "export", "--out", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    previous = "0" * 64
    for row in rows:
        digest = row.pop("hash")
        assert row["prev_hash"] == previous
        content = json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert hashlib.new(row["algorithm"], content.encode()).hexdigest() == digest
        previous = digest
    assert AuditEvent.objects.order_by("-seq")[0].action == AuditAction.AUDIT_EXPORT


def test_after_purging_every_row_the_next_row_links_to_the_archive(trail, tmp_path, settings):
    settings.LUOSHI_AUDIT_RETENTION_DAYS = 180
    _age(400)
    last = AuditEvent.objects.order_by("-seq").first()
    before = dt.date.today() - dt.timedelta(days=200)
    call_command("audit", "purge", "--before", before.isoformat(), "--archive", str(tmp_path / "a"))
    first = AuditEvent.objects.order_by("seq").first()
    assert first is not None and last is not None and last.seq is not None
    assert (first.seq, first.prev_hash) == (last.seq + 1, last.hash)
    assert "审计链完整" in verify_output()
