"""Figures cached per (plan, as-of day) in the configured cache, invalidated by every write.

The facts of a plan as of D (and the headline computed from them) are the same for every viewer —
scopes are applied afterwards, by the pages and the API — so one entry per (plan, day) serves all.

Invalidation is a generation token in the cache, part of every key. Any INSERT, UPDATE or DELETE
on a table other than the bookkeeping ones below replaces the token once its transaction commits
(at once in autocommit): a reader that computed the old state meanwhile stored it under the old,
now dead token. Until then the writing transaction keeps its own figures under a token of its own
(`stamp()`), changed at each of its writes and by each savepoint, which nobody else ever sees: so it
reads its own writes, and a rollback leaves nothing behind — the shared token never changed and
the transaction's entries are unreachable. Catching the statements at the database connection
means no write path — services, admin, bulk updates, migrations — can forget it; writes are rare
next to reads, so throwing away every plan's figures on each one costs little. A past day is
invalidated too: a late acceptance or a corrected deadline can change it.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import translation

GENERATION = "luoshi:figures:generation"
TIMEOUT = 24 * 3600  # a day: an entry keyed by a day no one asks for again simply expires
# Tables written while serving reads (sessions, the audit trail, login throttling, background jobs):
# figures never depend on them, so writing them must not throw the figures away.
IGNORED = re.compile(
    r"django_session|audit_\w+|axes_\w+|django_admin_log|ops_\w+|django_tasks_db_\w+"
)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+"?(\w+)', re.IGNORECASE)
# A sign-in notes its time on the user's row (django.contrib.auth's update_last_login): that alone
# changes no answer. Every other write to auth_user does count — a rename shows in lists, and
# is_active/is_superuser change what the viewer may read (their scope), so cached answers and
# early ETags keyed by the viewer must not survive it.
LAST_LOGIN = re.compile(
    r'^\s*UPDATE\s+"?auth_user"?\s+SET\s+"?last_login"?\s*=\s*\S+\s+WHERE', re.I
)
# Likewise an API token's last-use note (tokens.services.token_touch). Every other write to a token
# (revoked, scopes or expiry edited) counts: the answers kept for a token's repeated reads
# (api/token_reads.py) are keyed by the stamp, so such a write takes effect at the next request.
LAST_USE = re.compile(
    r'^\s*UPDATE\s+"?tokens_apitoken"?\s+SET\s+"?last_used_at"?\s*=\s*\S+\s+WHERE', re.I
)

T = TypeVar("T")


def generation() -> str:
    token = cache.get(GENERATION)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(GENERATION, token, None)
        token = cache.get(GENERATION, token)
    return str(token)


def invalidate() -> None:
    """Every cached figure is stale from now on (the open transaction's own ones too)."""
    cache.set(GENERATION, uuid.uuid4().hex, None)
    pending = _pending(default_connection)
    if pending is not None:
        pending.token = uuid.uuid4().hex


class _Commit:
    """One transaction's invalidation at its commit, and the token its own reads are cached under."""

    def __init__(self) -> None:
        self.token = uuid.uuid4().hex

    def __call__(self) -> None:
        invalidate()


def _pending(connection: BaseDatabaseWrapper) -> _Commit | None:
    """The open transaction's `_Commit` if it has written figures' tables (gone after a rollback:
    Django drops the on-commit callbacks of a rolled-back transaction or savepoint)."""
    if not connection.in_atomic_block:
        return None
    for entry in connection.run_on_commit:  # (savepoint ids, function, robust)
        if isinstance(entry[1], _Commit):
            return entry[1]
    return None


def stamp() -> str:
    """What the figures read now depend on: everyone's generation, or, inside a transaction that has
    written, that transaction's own token at its current savepoint."""
    pending = _pending(default_connection)
    if pending is None:
        return generation()
    # A block opened with savepoint=False (Django's own deletes and multi-table saves) has id None.
    return f"tx{pending.token}:{'.'.join(map(str, default_connection.savepoint_ids))}"


def cached(
    kind: str, parts: tuple[object, ...], compute: Callable[[], T], *, local: bool = True
) -> T:
    """`compute()`'s value under (kind, parts) for the current generation and language.

    The value is also kept, unpickled, in this process (the last few keys) when `local`: unpickling
    a national plan's facts costs more than computing most pages. Small values kept per viewer
    (`local=False`) stay in the shared cache only, so they never push a plan's facts out of this
    process. Callers treat the value as read-only."""
    key = ":".join(
        ["luoshi:figures", stamp(), kind, translation.get_language() or "-", *map(str, parts)]
    )
    with _local_lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]  # type: ignore[no-any-return]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    if not local:
        return value  # type: ignore[no-any-return]
    with _local_lock:
        _local[key] = value
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value  # type: ignore[no-any-return]


LOCAL_ENTRIES = 4  # a worker's memory: a national plan's facts are ~10 MB once unpickled
_local: OrderedDict[str, Any] = OrderedDict()
_local_lock = threading.Lock()


def _watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    result = execute(sql, params, many, context)
    match = WRITE.match(sql)
    if match and not IGNORED.fullmatch(match.group(1)) and not _bookkeeping(sql):
        connection = context["connection"]
        pending = _pending(connection)
        if pending is None:  # the transaction's first write (in autocommit it runs at once)
            transaction.on_commit(_Commit(), using=connection.alias)
        else:  # what the transaction read before this write is stale for it now
            pending.token = uuid.uuid4().hex
    return result


def _bookkeeping(sql: str) -> bool:
    return bool(LAST_LOGIN.match(sql) or LAST_USE.match(sql))


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: watch this connection's writes."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)
