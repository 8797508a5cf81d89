"""Figures cached per (plan, as-of day) in the configured cache, invalidated by every write.

The facts of a plan as of D (and the headline computed from them) are the same for every viewer —
scopes are applied afterwards, by the pages and the API — so one entry per (plan, day) serves all.

Invalidation is a generation token in the cache, part of every key. Any INSERT, UPDATE or DELETE
on a table other than the bookkeeping ones below replaces the token: immediately (so the writing
transaction reads its own writes) and again after the commit (so a reader that cached the old
state between the two is left behind under a dead key). Catching the statements at the database
connection means no write path — services, admin, bulk updates, migrations — can forget it;
writes are rare next to reads, so throwing away every plan's figures on each one costs little.
A past day is invalidated too: a late acceptance or a corrected deadline can change it.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import translation

GENERATION = "luoshi:figures:generation"
TIMEOUT = 24 * 3600  # a day: an entry keyed by a day no one asks for again simply expires
# Tables written while serving reads (sessions, the audit trail, login throttling and last login,
# background jobs): figures never depend on them, so writing them must not throw the figures away.
IGNORED = re.compile(
    r"django_session|audit_\w+|axes_\w+|auth_user|django_admin_log|ops_\w+|django_tasks_db_\w+"
)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+"?(\w+)', re.IGNORECASE)

T = TypeVar("T")


def generation() -> str:
    token = cache.get(GENERATION)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(GENERATION, token, None)
        token = cache.get(GENERATION, token)
    return str(token)


def invalidate() -> None:
    """Every cached figure is stale from now on."""
    cache.set(GENERATION, uuid.uuid4().hex, None)


def cached(kind: str, parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`'s value under (kind, parts) for the current generation and language.

    The value is also kept, unpickled, in this process (the last few keys): unpickling a national
    plan's facts costs more than computing most pages. Callers treat the value as read-only."""
    key = ":".join(
        ["luoshi:figures", generation(), kind, translation.get_language() or "-", *map(str, parts)]
    )
    with _local_lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]  # type: ignore[no-any-return]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
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
    if match and not IGNORED.fullmatch(match.group(1)):
        invalidate()
        connection = context["connection"]
        if not any(func is invalidate for _, func, _ in connection.run_on_commit):
            transaction.on_commit(invalidate, using=connection.alias)  # once per transaction
    return result


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: watch this connection's writes."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)
