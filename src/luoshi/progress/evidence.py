"""Evidence files: size- and content-checked on upload, stored under random names outside the web
root, served only to those who may see the report, and checked against their digest on the way out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import filetype  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from luoshi.audit.actions import AuditAction
from luoshi.audit.models import Outcome
from luoshi.audit.services import audit_record, refuse
from luoshi.progress.models import Evidence, Report
from luoshi.progress.policies import can_edit, visible_reports

# Detected content type → file name extensions that may carry it.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
}


class EvidenceCorrupted(Exception):
    """The stored file no longer matches the digest taken at upload. Its text is the refusal every
    interface shows (page and API alike), in the user's language."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return _(
            "佐证材料“%(name)s”校验失败，可能已被篡改。"
            "系统已拒绝提供该文件并记录在审计日志中，请联系片区办核查。"
        ) % {"name": self.name}


@dataclass(frozen=True)
class Download:
    name: str
    content_type: str
    data: bytes


def storage_dir() -> Path:
    return Path(settings.LUOSHI_EVIDENCE_DIR)


def evidence_storage() -> Storage:
    """Object storage when configured (several app servers share it), else the local directory."""
    if "evidence" in settings.STORAGES:
        return storages["evidence"]
    return FileSystemStorage(location=storage_dir())


def stored_path(evidence: Evidence) -> str:
    return f"{evidence.stored_name[:2]}/{evidence.stored_name}"


def _check_name(name: str) -> str:
    if not name or "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise ValidationError({"file": gettext("文件名不能包含路径")})
    if len(name) > 200:
        raise ValidationError({"file": gettext("文件名过长")})
    return name


def checked_upload(upload: IO[bytes], name: str) -> tuple[str, bytes, str]:
    """(name, data, detected content type) of an acceptable upload, else a ValidationError."""
    name = _check_name(name)
    data = upload.read(settings.LUOSHI_MAX_UPLOAD_BYTES + 1)
    if len(data) > settings.LUOSHI_MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": gettext("文件超过 %(mb)d MB 上限")
                % {"mb": settings.LUOSHI_MAX_UPLOAD_BYTES >> 20}
            }
        )
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            {"file": gettext("仅支持 PDF、图片（PNG/JPEG）、Word 与 Excel 文件（按文件内容判断）")}
        )
    if PurePosixPath(name).suffix.lower() not in ALLOWED_TYPES[kind.mime]:
        mismatch = gettext("文件内容为 %(kind)s，与扩展名不符") % {"kind": kind.extension.upper()}
        raise ValidationError({"file": mismatch})
    return name, data, kind.mime


def evidence_add(*, report: Report, upload: IO[bytes], name: str, actor: User) -> Evidence:
    """Store an evidence file for a draft report the actor may edit."""
    if not can_edit(actor, report):
        raise refuse(
            actor=actor,
            action=AuditAction.EVIDENCE_UPLOAD,
            obj=report,
            message=gettext("只能由牵头单位为草稿报告上传佐证材料"),
        )
    name, data, mime = checked_upload(upload, name)
    stored_name = secrets.token_hex(20)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            report=report,
            original_name=name,
            stored_name=stored_name,
            content_type=mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_UPLOAD,
            obj=evidence,
            detail={"size": len(data)},
        )
        # Last: a failed write rolls the rows back.
        evidence_storage().save(stored_path(evidence), ContentFile(data))
    return evidence


def evidence_read(*, evidence_id: int, actor: User) -> Download:
    """The file, if the actor may see its report and its content is intact."""
    evidence = Evidence.objects.filter(pk=evidence_id, report__in=visible_reports(actor)).first()
    if evidence is None:
        # Not found and not visible look the same to the user (404); the refusal is still audited.
        refuse(
            actor=actor,
            action=AuditAction.EVIDENCE_DOWNLOAD,
            message=gettext("无权下载该佐证材料"),
            detail={"id": evidence_id},
        )
        raise Evidence.DoesNotExist
    with evidence_storage().open(stored_path(evidence), "rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        audit_record(
            actor=actor, action=AuditAction.EVIDENCE_DOWNLOAD, obj=evidence, outcome=Outcome.FAILED
        )
        raise EvidenceCorrupted(evidence.original_name)
    audit_record(actor=actor, action=AuditAction.EVIDENCE_DOWNLOAD, obj=evidence)
    return Download(evidence.original_name, evidence.content_type, data)
