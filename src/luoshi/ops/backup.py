"""Backup and restore: one archive holding the database dump, every stored file and a manifest.

The manifest lists every file's SHA-256 and every table's row count, taken from the same snapshot as
the dump, so a restore can prove it brought everything back. Restore goes only into an empty
database and an empty storage, and checks every sum before it loads anything."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.progress.evidence import evidence_storage

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_DUMP = "database.sqlite3"
PG_DUMP = "database.pgdump"
ARCHIVE_PATTERN = "luoshi-*.tar.gz"


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    archive: Path
    tables: int
    rows: int
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Every file name in a storage (local directory or object store)."""
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from _walk(storage, f"{prefix}{directory}/")


def _pg_env() -> dict[str, str]:
    params = connection.get_connection_params()
    return {
        **os.environ,
        "PGHOST": str(params.get("host") or ""),
        "PGPORT": str(params.get("port") or ""),
        "PGUSER": str(params.get("user") or ""),
        "PGPASSWORD": str(params.get("password") or ""),
        "PGDATABASE": str(params.get("dbname") or ""),
    }


def _count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _dump_database(work: Path) -> tuple[str, dict[str, int]]:
    """The dump file's name and the row counts of the same snapshot."""
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        target = work / SQLITE_DUMP
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # SQLite's online backup: a consistent copy
            tables = [
                row[0]
                for row in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            counts = _count_rows(copy.cursor(), sorted(tables), quote)
        copy.close()
        return SQLITE_DUMP, counts
    if connection.vendor == "postgresql":
        # pg_dump joins an exported snapshot, so the counts and the dump see the same rows.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                tables = sorted(connection.introspection.table_names(cursor))
                counts = _count_rows(cursor, tables, quote)
                subprocess.run(
                    ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                     f"--snapshot={snapshot}", f"--file={work / PG_DUMP}"],
                    env=_pg_env(), check=True, capture_output=True, text=True,
                )  # fmt: skip
            except subprocess.CalledProcessError as error:
                raise BackupError(
                    _("pg_dump 失败：%(error)s") % {"error": error.stderr.strip()}
                ) from error
            finally:
                cursor.execute("ROLLBACK")
        return PG_DUMP, counts
    raise BackupError(_("没有适用于 %(vendor)s 数据库的备份方法") % {"vendor": connection.vendor})


def backup_write(destination: Path, keep: int | None = None) -> Summary:
    """Write the archive (into `destination`, or a timestamped one inside it if it is a
    directory); with `keep`, older timestamped archives beyond the newest `keep` are deleted."""
    if destination.is_dir():
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        destination = destination / f"luoshi-{stamp}.tar.gz"
    if destination.exists():
        raise BackupError(_("%(path)s 已存在") % {"path": destination})
    storage = evidence_storage()
    with tempfile.TemporaryDirectory(prefix="luoshi-backup-") as tmp:
        work = Path(tmp)
        dump, counts = _dump_database(work)
        files = {}
        for name in _walk(storage):
            local = work / "files" / name
            local.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, local.open("wb") as out:
                shutil.copyfileobj(source, out)
            files[name] = _sha256(local)
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "file": dump, "sha256": _sha256(work / dump)},
            "tables": counts,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for entry in [MANIFEST, dump, "files"]:
                if (work / entry).exists():
                    archive.add(work / entry, arcname=entry)
        partial.chmod(0o600)  # personal data
        partial.rename(destination)  # a crash never leaves a half archive under the real name
    if keep is not None:
        _prune(destination.parent, keep)
    return Summary(destination, len(counts), sum(counts.values()), len(files))


def _prune(directory: Path, keep: int) -> None:
    archives = sorted(directory.glob(ARCHIVE_PATTERN))
    for old in archives[: max(len(archives) - keep, 0)]:
        old.unlink()


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _extract(archive: Path, work: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths and links out
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            _("%(archive)s 不是 luoshi 备份：%(error)s") % {"archive": archive, "error": error}
        ) from error
    manifest_path = work / MANIFEST
    if not manifest_path.exists():
        raise BackupError(
            _("%(archive)s 中没有 %(manifest)s") % {"archive": archive, "manifest": MANIFEST}
        )
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("%(archive)s：未知的备份格式 %(format)s")
            % {"archive": archive, "format": manifest.get("format")}
        )
    return manifest


def _verify_sums(work: Path, manifest: dict[str, Any]) -> None:
    wrong = []
    database = manifest["database"]
    if _sha256(work / database["file"]) != database["sha256"]:
        wrong.append(database["file"])
    present = {
        str(p.relative_to(work / "files")) for p in (work / "files").rglob("*") if p.is_file()
    }
    for name, digest in manifest["files"].items():
        if name not in present or _sha256(work / "files" / name) != digest:
            wrong.append(f"files/{name}")
    wrong += [f"files/{name} (not in the manifest)" for name in present - set(manifest["files"])]
    if wrong:
        raise BackupError(_("归档与其清单不符：%(names)s") % {"names": ", ".join(sorted(wrong))})


def _load_database(work: Path, manifest: dict[str, Any]) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("归档中是 %(theirs)s 数据库，本系统是 %(ours)s")
            % {"theirs": vendor, "ours": connection.vendor}
        )
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(work / SQLITE_DUMP) as source:
            source.backup(connection.connection)
        source.close()
        return
    result = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
         "--dbname", _pg_env()["PGDATABASE"], str(work / PG_DUMP)],
        env=_pg_env(), capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(_("pg_restore 失败：%(error)s") % {"error": result.stderr.strip()})


def _verify_rows(manifest: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = _count_rows(cursor, tables, connection.ops.quote_name)
    if counts != manifest["tables"]:
        differing = sorted(
            t
            for t in set(counts) | set(manifest["tables"])
            if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(_("以下表的行数与清单不符：%(names)s") % {"names": ", ".join(differing)})


def restore(archive: Path) -> Summary:
    """Load the archive into this (empty) database and (empty) storage, verifying every sum."""
    storage = evidence_storage()
    if not _database_is_empty():
        raise BackupError(_("数据库不是空的：只能恢复到新建的空数据库"))
    if next(_walk(storage), None) is not None:
        raise BackupError(_("文件存储不是空的：只能恢复到空的数据目录"))
    with tempfile.TemporaryDirectory(prefix="luoshi-restore-") as tmp:
        work = Path(tmp)
        manifest = _extract(archive, work)
        _verify_sums(work, manifest)
        _load_database(work, manifest)
        for name, digest in manifest["files"].items():
            with (work / "files" / name).open("rb") as source:
                saved = storage.save(name, File(source))
            if saved != name:
                raise BackupError(
                    _("文件存储把 %(name)s 改名为 %(saved)s") % {"name": name, "saved": saved}
                )
            with storage.open(name, "rb") as check:
                if hashlib.sha256(check.read()).hexdigest() != digest:
                    raise BackupError(_("%(name)s 存入后内容不一致") % {"name": name})
    _verify_rows(manifest)
    counts = manifest["tables"]
    return Summary(archive, len(counts), sum(counts.values()), len(manifest["files"]))
