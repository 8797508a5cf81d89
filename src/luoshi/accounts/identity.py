"""Who must prove more than a password, and for how long a sign-in holds (GB/T 22239-2019 8.1.4.1):
two factors for the roles in LUOSHI_TWO_FACTOR_ROLES, an absolute session lifetime, a password
that must be changed once past its age."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from luoshi.accounts.passwords import password_set_at
from luoshi.accounts.policies import AnyUser, role_of

SIGNED_IN_AT = "luoshi_signed_in_at"
PASSWORD_SET_AT = "luoshi_password_set_at"  # read per request without a query
RENEWED_AT = "luoshi_renewed_at"
RENEW_EVERY = 60  # seconds


def two_factor_required(user: AnyUser) -> bool:
    if not isinstance(user, User):
        return False
    if user.is_superuser:
        return bool(settings.LUOSHI_TWO_FACTOR_SUPERUSER)
    if not settings.LUOSHI_TWO_FACTOR_ROLES:
        return False
    role = role_of(user)
    return role is not None and role.value in settings.LUOSHI_TWO_FACTOR_ROLES


def mark_signed_in(session: SessionBase, user: User) -> None:
    session[SIGNED_IN_AT] = timezone.now().isoformat()
    session[RENEWED_AT] = int(time.time())  # saved with the sign-in: the next request need not
    mark_password_set(session, user)


def mark_password_set(session: SessionBase, user: User) -> None:
    session[PASSWORD_SET_AT] = password_set_at(user).isoformat()


def password_outlived(session: SessionBase, now: dt.datetime | None = None) -> bool:
    """True once the password (as of sign-in or its last change) is past its maximum age."""
    days = settings.LUOSHI_PASSWORD_MAX_AGE_DAYS
    set_at = session.get(PASSWORD_SET_AT)
    if not days or not set_at:
        return False
    age = (now or timezone.now()) - dt.datetime.fromisoformat(set_at)
    return age > dt.timedelta(days=days)


def session_outlived(session: SessionBase, now: dt.datetime | None = None) -> bool:
    """True once the session is older than LUOSHI_SESSION_MAX_HOURS since sign-in."""
    started = session.get(SIGNED_IN_AT)
    if not started or not settings.LUOSHI_SESSION_MAX_HOURS:
        return False
    age = (now or timezone.now()) - dt.datetime.fromisoformat(started)
    return age > dt.timedelta(hours=settings.LUOSHI_SESSION_MAX_HOURS)


def renew_idle(session: SessionBase) -> None:
    """Restart the idle timeout (SESSION_COOKIE_AGE) — at most once a minute: saving the session on
    every request cost two cache reads and a write each time. A session idle for the timeout still
    ends; one renewed less than a minute before its last request ends up to a minute sooner."""
    now = int(time.time())
    if now - int(session.get(RENEWED_AT, 0)) >= RENEW_EVERY:
        session[RENEWED_AT] = now  # modified: saved, with a new expiry and cookie
