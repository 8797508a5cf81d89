"""Password policy (GB/T 22239-2019 8.1.4.1 a): length, three character classes, no user, unit or
forbidden names, the last N passwords not reused, and a maximum age after which the user must change
it. Each rule is a Django password validator (settings.AUTH_PASSWORD_VALIDATORS), so the change page,
the admin site and `changepassword` all apply them; every change is recorded (hash only) and audited.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import PasswordRecord
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record

CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)


def classes_in(password: str) -> int:
    """Lower case, upper case, digits, anything else (symbols, Chinese): how many occur."""
    found = {i for ch in password for i, chars in enumerate(CLASSES) if ch in chars}
    others = any(not any(ch in chars for chars in CLASSES) for ch in password)
    return len(found) + others


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if classes_in(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {
            "n": self.min_classes
        }


class NoNamesValidator:
    """Not the user name, the unit's name, or a forbidden word (the city, the system) inside."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        for name in self._names(user):
            if len(name) >= 3 and name.lower() in lowered:
                raise ValidationError(
                    _("密码不能包含用户名、单位名称或“%(name)s”等常见词。") % {"name": name},
                    code="password_contains_name",
                )

    def _names(self, user: Any) -> list[str]:
        names = list(settings.LUOSHI_PASSWORD_FORBIDDEN_WORDS)
        if isinstance(user, User):
            names.append(user.username)
            membership = getattr(user, "membership", None) if user.pk else None
            if membership is not None and membership.organisation is not None:
                names.append(membership.organisation.name)
        return names

    def get_help_text(self) -> str:
        return _("密码不能包含用户名、单位名称或常见词。")


# Longer passwords are refused before anything hashes them: hashing a megabyte takes seconds of a
# worker (a cheap denial of service through the sign-in or password forms).
MAX_LENGTH = 1024


class MaximumLengthValidator:
    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("密码不能超过 %(n)d 个字符。") % {"n": self.max_length}, code="password_too_long"
            )

    def get_help_text(self) -> str:
        return _("密码不能超过 %(n)d 个字符。") % {"n": self.max_length}


class HistoryValidator:
    """The last `keep` passwords are not used again; each new one is recorded and audited."""

    def __init__(self, keep: int = 5) -> None:
        self.keep = keep

    def validate(self, password: str, user: Any = None) -> None:
        if not isinstance(user, User) or user.pk is None or len(password) > MAX_LENGTH:
            return  # too long: MaximumLengthValidator says so, and nothing hashes it
        records = user.password_records.values_list("encoded", flat=True)[: self.keep]
        if any(check_password(password, encoded) for encoded in [user.password, *records]):
            raise ValidationError(
                _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.keep}, code="password_reused"
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if not isinstance(user, User) or user.pk is None:
            return
        PasswordRecord.objects.create(user=user, encoded=user.password)
        audit_record(actor=None, action=AuditAction.PASSWORD_CHANGE, obj=user)

    def get_help_text(self) -> str:
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.keep}


def password_set_at(user: User) -> dt.datetime:
    """When the current password was set: its record, else when the account was made."""
    record = user.password_records.first()
    return record.set_at if record else user.date_joined


def password_expired(user: User, now: dt.datetime | None = None) -> bool:
    days = settings.LUOSHI_PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    return (now or timezone.now()) - password_set_at(user) > dt.timedelta(days=days)
