"""Keeping the audit trail: rows are kept at least `LUOSHI_AUDIT_RETENTION_DAYS` (never under 180,
GB/T 22239-2019 8.1.4.3); older rows may be purged only after they were exported in full, with their
hashes, so the archive can still be verified link by link. A signed purge anchor records where the
chain now starts."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.audit.chain import canonical, checkpoint, purge_anchor, verify
from luoshi.audit.models import AuditEvent


class RetentionError(ValueError):
    """A purge that would cut into the retention period or a broken chain."""


def as_record(event: AuditEvent) -> dict[str, Any]:
    """One row as exported: the hashed content (as `canonical` hashes it) and its hash."""
    record: dict[str, Any] = json.loads(canonical(event))
    record["hash"] = event.hash
    return record


def write_jsonl(events: Iterable[AuditEvent], out: IO[str]) -> int:
    """Rows as JSON Lines, in chain order; returns how many."""
    count = 0
    for event in events:
        out.write(json.dumps(as_record(event), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def retention_start(today: dt.date | None = None) -> dt.datetime:
    """The earliest moment whose rows must still be kept."""
    today = today or timezone.localdate()
    days = max(180, settings.LUOSHI_AUDIT_RETENTION_DAYS)
    start = dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min)
    return timezone.make_aware(start)


def purgeable(before: dt.date) -> QuerySet[AuditEvent]:
    """Rows written before `before`, refused when `before` falls inside the retention period."""
    cutoff = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    if cutoff > retention_start():
        raise RetentionError(
            _("%(before)s 在 %(days)s 天的保存期限内：%(kept)s 起的记录必须保留")
            % {
                "before": before,
                "days": settings.LUOSHI_AUDIT_RETENTION_DAYS,
                "kept": f"{retention_start():%Y-%m-%d}",
            }
        )
    last = (
        AuditEvent.objects.filter(at__lt=cutoff)
        .filter(seq__isnull=False)
        .order_by("-seq")
        .values("seq")
        .first()
    )
    return AuditEvent.objects.filter(seq__lte=last["seq"] if last else 0).order_by("seq")


def purge(*, before: dt.date, archive: Path) -> int:
    """Export every row written before `before` to `archive` (JSON Lines), then remove them.

    One transaction: the archive is written and flushed to disk before any row goes; a failure
    leaves every row in place. The chain must verify first (a broken chain is not archived away).
    """
    if archive.exists():
        raise RetentionError(_("%(archive)s 已存在：归档文件不会被覆盖") % {"archive": archive})
    _rows, broken = verify()
    if broken is not None:
        raise RetentionError(_("审计链断裂：%(place)s；未清理任何记录") % {"place": broken})
    with transaction.atomic():
        rows = purgeable(before)
        events = list(rows)
        if not events:
            return 0
        _write_archive(events, archive)
        purge_anchor(events[-1])
        _delete(rows)
        checkpoint()
    return len(events)


def _write_archive(events: list[AuditEvent], archive: Path) -> None:
    archive.parent.mkdir(parents=True, exist_ok=True)
    # Never overwrite an earlier archive; readable by the owner only from the first byte written.
    fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        write_jsonl(events, out)
        out.flush()
        os.fsync(out.fileno())  # on disk before any row is deleted


def _delete(rows: QuerySet[AuditEvent]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the trigger lets this transaction's purge through
            cursor.execute("SET LOCAL luoshi.audit_purge = 'on'")
    rows._raw_delete(rows.db)
