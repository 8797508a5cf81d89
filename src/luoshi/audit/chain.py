"""The audit trail as a hash chain: each row carries the hash of the row before it, so changing,
deleting or re-ordering any row breaks every link after it; signed checkpoints (HMAC with a key kept
outside the database) stop a rewrite of the whole chain from going unnoticed.

SM3 (GB/T 32905) through the system's OpenSSL when it has it, else SHA-256; each row records which.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from luoshi.audit.models import AuditCheckpoint, AuditEvent

GENESIS = "0" * 64
LOCK_KEY = 0x6C756F736869  # "luoshi": one writer at a time extends the chain (PostgreSQL)


def _algorithm() -> str:
    try:
        hashlib.new("sm3", b"")
        return "sm3"
    except ValueError:
        return "sha256"


ALGORITHM = _algorithm()


def canonical(event: AuditEvent) -> bytes:
    """The row's content as hashed: every field but its own hash, in one fixed JSON form."""
    fields = {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "username": event.username,
        "ip": event.ip,
        "action": str(event.action),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "outcome": str(event.outcome),
        "detail": event.detail,
        "algorithm": event.algorithm,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(event: AuditEvent) -> str:
    return hashlib.new(event.algorithm, canonical(event)).hexdigest()


def _end() -> tuple[int, str]:
    """The chain's last link: its last row, else the last purge anchor, else the genesis."""
    last = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    if last is None:
        last = AuditCheckpoint.objects.filter(purge=True).values_list("seq", "hash").last()
    return (last[0] or 0, last[1]) if last else (0, GENESIS)


def seal(event: AuditEvent) -> None:
    """Link a new row to the last one: call inside the transaction that inserts it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # held until the transaction ends
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    last_seq, event.prev_hash = _end()
    event.seq = last_seq + 1
    event.at = timezone.now()
    event.algorithm = ALGORITHM
    event.detail = json.loads(json.dumps(event.detail or {}, default=str))  # as stored
    if event.ip and ":" in event.ip:
        event.ip = clean_ipv6_address(event.ip)  # as GenericIPAddressField stores it
    event.hash = row_hash(event)


def _key() -> bytes:
    """The checkpoint key: LUOSHI_AUDIT_KEY, else a key file made once beside the data (0600)."""
    if settings.LUOSHI_AUDIT_KEY:
        return settings.LUOSHI_AUDIT_KEY.encode()
    return secret_file(settings.LUOSHI_AUDIT_KEY_FILE)


@cache
def secret_file(path: Path) -> bytes:
    """A key file's secret, made on first use (0600 from the start) and read once per process:
    verify signs every checkpoint, encrypted fields use theirs for every value."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it just now
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _signature(seq: int, hash_: str, purge: bool = False) -> str:
    message = f"{'purge:' if purge else ''}{seq}:{hash_}"
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def checkpoint() -> AuditCheckpoint | None:
    """Sign the chain's current end (run periodically; also every N rows by the writer)."""
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
    if last is None:
        return None
    seq = last.seq or 0
    return AuditCheckpoint.objects.create(
        seq=seq, hash=last.hash, signature=_signature(seq, last.hash)
    )


def purge_anchor(event: AuditEvent) -> AuditCheckpoint:
    """Sign the last row about to be purged: the chain then starts after it."""
    seq = event.seq or 0
    return AuditCheckpoint.objects.create(
        seq=seq, hash=event.hash, signature=_signature(seq, event.hash, purge=True), purge=True
    )


@dataclass(frozen=True)
class Break:
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        row = f"row seq {self.seq}" + (f" (id {self.event_id})" if self.event_id else "")
        return f"{row}: {self.reason}"


def verify() -> tuple[int, Break | None]:
    """(rows checked, the first broken link or None)."""
    anchors = list(AuditCheckpoint.objects.filter(purge=True).order_by("seq"))
    for mark in anchors:
        if not hmac.compare_digest(mark.signature, _signature(mark.seq, mark.hash, purge=True)):
            return 0, Break(mark.seq, None, f"purge anchor {mark.pk} has a wrong signature")
    # Rows up to the last purge anchor were exported and purged after the retention period.
    start = anchors[-1] if anchors else None
    previous_seq, previous_hash = (start.seq, start.hash) if start else (0, GENESIS)
    count = 0
    hashes: dict[int, str] = {}
    for event in AuditEvent.objects.order_by("seq", "id").iterator():
        count += 1
        if event.seq is None:  # written by something other than audit.services (no lock, no hash)
            return count, Break(
                0, event.pk, "inserted outside the audit trail (no sequence number)"
            )
        seq = event.seq
        if seq != previous_seq + 1:
            reason = (
                f"rows {previous_seq + 1}–{seq - 1} are missing (deleted)"
                if seq > previous_seq + 1
                else "sequence number repeated or out of order (re-ordered)"
            )
            return count, Break(seq, event.pk, reason)
        if event.prev_hash != previous_hash:
            return count, Break(
                seq, event.pk, "does not link to the row before (re-ordered or replaced)"
            )
        if event.hash != row_hash(event):
            return count, Break(seq, event.pk, "contents changed after it was written")
        previous_seq, previous_hash = seq, event.hash
        hashes[seq] = event.hash
    first_seq = start.seq if start else 0
    return count, _check_checkpoints(hashes, first_seq, previous_seq)


def _check_checkpoints(hashes: dict[int, str], first_seq: int, last_seq: int) -> Break | None:
    for mark in AuditCheckpoint.objects.filter(purge=False).order_by("seq"):
        if not hmac.compare_digest(mark.signature, _signature(mark.seq, mark.hash)):
            return Break(mark.seq, None, f"checkpoint {mark.pk} has a wrong signature (forged)")
        if mark.seq <= first_seq:
            continue  # its rows were purged after export
        if mark.seq > last_seq:
            return Break(
                mark.seq,
                None,
                f"rows after {last_seq} are missing: checkpoint {mark.pk} signed row {mark.seq}",
            )
        if hashes.get(mark.seq) != mark.hash:
            return Break(
                mark.seq, None, f"differs from checkpoint {mark.pk} (the chain was rewritten)"
            )
    return None
