"""The signed-in user of a request, without a database query when nothing changed since the last one.

Django's AuthenticationMiddleware reads the user's row on every request, then checks the session's
hash against the password's. Here the user that check accepted is kept in the process under
(figures stamp, user id, backend, session hash): the stamp (metrics/cache.py) changes with every
write to auth_user other than a last-login note — a password change, is_active switched off,
is_superuser, a rename — and to memberships, so a kept user is the row as it stands now, and the
same session hash was accepted for it. Anything else (a new stamp, another session hash, no user in
the session) goes through Django's own get_user, with its checks and its session flush on a
mismatch. Each request gets its own copy: middleware (django-otp) sets attributes on it.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from typing import Any

from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from luoshi.metrics.cache import stamp

KEPT_USERS = 1000  # a few MB at most: one row per active user per process
_kept: OrderedDict[tuple[str, ...], Any] = OrderedDict()
_lock = threading.Lock()


def signed_in_user(request: HttpRequest) -> Any:
    session = request.session
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return auth.get_user(request)
    now = stamp()
    # read once per request: the early ETag uses it too (api/conditional.py)
    request.luoshi_stamp = now  # type: ignore[attr-defined]
    key = (
        now,
        str(user_id),
        session.get(BACKEND_SESSION_KEY, ""),
        session.get(HASH_SESSION_KEY, ""),
    )
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is not None:
        return copy.copy(kept)
    user = auth.get_user(request)
    # Kept only as accepted for exactly this session hash (not after a fallback key's re-hash).
    if user.is_authenticated and session.get(HASH_SESSION_KEY, "") == key[3]:
        with _lock:
            _kept[key] = copy.copy(user)
            while len(_kept) > KEPT_USERS:
                _kept.popitem(last=False)
    return user


class KeptUserAuthenticationMiddleware(AuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # its checks, and request.auser
        request.user = SimpleLazyObject(lambda: signed_in_user(request))  # type: ignore[assignment]
