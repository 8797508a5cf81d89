"""Writes about API tokens: issue (the secret returned once), revoke, note a use. Each audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.models import Organisation
from luoshi.tokens.models import ApiToken, Scope
from luoshi.tokens.policies import can_keep_tokens

PREFIX = "lsk_"  # recognisable in a leaked file or a secret scanner
# A use is noted at most this often per token: a timestamp to see a token is alive, not a row per read.
TOUCH_EVERY = dt.timedelta(minutes=1)
NOTED = "luoshi:api-token-noted:"  # + digest: present while the last-use note is fresh
UNIT_ONLY = {Scope.REPORTS_WRITE}  # writes are a unit's own; a provincial platform only reads


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # shown once; only its hash is kept


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *,
    actor: User | None,
    name: str,
    organisation: Organisation | None,
    scopes: list[str],
    expires_on: dt.date | None = None,
) -> Issued:
    """Issue a token acting as the unit's 填报人 (or, without a unit, as 省级主管部门)."""
    if not can_keep_tokens(actor):
        raise refuse(
            actor=actor, message=_("仅安全管理员可签发 API 令牌"), action=AuditAction.TOKEN_CREATE
        )
    name, chosen = name.strip(), sorted(set(scopes))
    _check(name, organisation, chosen, expires_on)
    secret = PREFIX + secrets.token_urlsafe(32)
    try:
        token = _issue(actor, name, organisation, chosen, expires_on, secret)
    except IntegrityError as error:  # the same name issued at the same moment (a double submit)
        raise ValidationError({"name": [_taken(name)]}) from error
    return Issued(token, secret)


def _issue(
    actor: User | None,
    name: str,
    organisation: Organisation | None,
    chosen: list[str],
    expires_on: dt.date | None,
    secret: str,
) -> ApiToken:
    with transaction.atomic():
        account = User.objects.create_user(f"api:{name}", first_name=name[:150])
        account.set_unusable_password()  # never signs in with a password: only through the token
        account.save(update_fields=["password"])
        role = Role.REPORTER if organisation else Role.PROVINCE
        membership_set(user=account, role=role, organisation=organisation, actor=actor)
        token = ApiToken.objects.create(
            name=name,
            organisation=organisation,
            scopes=chosen,
            digest=digest_of(secret),
            prefix=secret[: len(PREFIX) + 6],
            account=account,
            expires_on=expires_on,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.TOKEN_CREATE,
            obj=token,
            detail={
                "scopes": chosen,
                "organisation": organisation.name if organisation else None,
                "expires_on": expires_on.isoformat() if expires_on else None,
            },
        )
    return token


def _taken(name: str) -> str:
    return _("已有名为“%(name)s”的令牌") % {"name": name}


def _check(
    name: str, organisation: Organisation | None, scopes: list[str], expires_on: dt.date | None
) -> None:
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 60:
        errors["name"] = [_("请填写名称（不超过 60 个字）")]
    elif (
        ApiToken.objects.filter(name=name).exists()
        or User.objects.filter(username=f"api:{name}").exists()
    ):
        errors["name"] = [_taken(name)]
    unknown = [s for s in scopes if s not in Scope.values]
    if not scopes or unknown:
        errors["scopes"] = [
            _("权限范围须从 %(scopes)s 中选择") % {"scopes": ", ".join(Scope.values)}
        ]
    elif organisation is None and UNIT_ONLY & set(scopes):
        errors["scopes"] = [_("reports:write 只能签发给责任单位（省级平台只读）")]
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = [_("有效期不能早于今天")]
    if errors:
        raise ValidationError(errors)


def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with it is refused. Revoking twice changes nothing."""
    if not can_keep_tokens(actor):
        raise refuse(
            actor=actor,
            message=_("仅安全管理员可撤销 API 令牌"),
            action=AuditAction.TOKEN_REVOKE,
            obj=token,
        )
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at, token.revoked_by = timezone.now(), actor
            token.save(update_fields=["revoked_at", "revoked_by"])
            User.objects.filter(pk=token.account_id).update(is_active=False)
            audit_record(actor=actor, action=AuditAction.TOKEN_REVOKE, obj=token)
    return token


def token_touch(token: ApiToken) -> None:
    """Note that the token was used (at most once per TOUCH_EVERY, one small UPDATE), and until
    the next note is due let the short path (api/token_reads.py) answer its repeated reads."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
        ).update(last_used_at=now)
        token.last_used_at = now
    due = token.last_used_at + TOUCH_EVERY - now
    cache.set(NOTED + token.digest, True, max(1, int(due.total_seconds())))
