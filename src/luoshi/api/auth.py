"""Who calls the API: a signed-in session, or another system with an API token (`Authorization:
Bearer …`, luoshi.tokens). One gate per router, narrowed per endpoint to the token scope it needs."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, NoReturn

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import SessionAuth
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from luoshi.accounts.policies import AnyUser
from luoshi.audit.context import client_ip
from luoshi.audit.services import refuse
from luoshi.tokens.models import ApiToken, Scope
from luoshi.tokens.selectors import token_presented
from luoshi.tokens.services import token_touch

BEARER = "bearer "


class RoleGate(SessionAuth):
    """Signed in (else 401) and allowed by `check` (else 403 with `message`).

    A request with a bearer token is the token's alone (a session cookie beside it is ignored): the
    token must be usable and hold this gate's `scope` — a gate without one refuses every token — and
    then acts as its service account, so `check` and every policy after it apply as to a person.
    """

    def __init__(
        self, check: Callable[[AnyUser], bool], message: str | Promise, scope: Scope | None = None
    ) -> None:
        super().__init__()
        self.check = check
        self.message = message
        self.scope = scope

    def allowing(self, scope: Scope) -> RoleGate:
        """The same gate, open to tokens holding `scope` (for one endpoint: `auth=gate.allowing(…)`)."""
        return RoleGate(self.check, self.message, scope)

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header[: len(BEARER)].lower() == BEARER:
            return self._token(request, header[len(BEARER) :].strip())
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not self.check(user):
            raise refuse(actor=user, message=str(self.message))
        return user

    def _token(self, request: HttpRequest, secret: str) -> Any:
        token = token_presented(secret)
        if token is None or not token.usable_on(timezone.localdate()):
            _refuse_bad_token(request, token, secret)
        if self.scope is None or self.scope not in token.scopes:
            needed = self.scope.value if self.scope else "-"
            raise refuse(
                actor=token.account,
                message=_("此令牌无权调用该接口（需要权限范围 %(scope)s）") % {"scope": needed},
                detail={"token": token.prefix, "scope": needed},
            )
        request.user = token.account
        request.api_token = token  # type: ignore[attr-defined]  # for the rate limit
        if not self.check(token.account):
            raise refuse(actor=token.account, message=str(self.message))
        token_touch(token)
        return token.account


def _refuse_bad_token(request: HttpRequest, token: ApiToken | None, secret: str) -> NoReturn:
    """401 for an unknown, revoked or expired token, audited. Past LUOSHI_API_BAD_TOKEN_RATE such
    requests from one address in the window, 429 instead and one audit row for the rest of the
    window (so guessing floods neither the trail nor the token lookup's answers)."""
    detail = {"token": token.prefix if token else secret[:10], "state": _state(token)}
    rate = SimpleRateThrottle(settings.LUOSHI_API_BAD_TOKEN_RATE)
    limit, window = rate.num_requests, rate.duration
    key = f"api-bad-token-{client_ip(request) or '-'}"
    cache.add(key, 0, window)
    try:
        seen = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, seen := 1, window)
    actor = token.account if token else None
    if limit is not None and seen > limit:
        if seen == limit + 1:
            refuse(
                actor=actor,
                message=_("无效 API 令牌请求过多"),
                detail={**detail, "throttled": True},
            )
        raise HttpError(429, _("无效 API 令牌请求过多，请稍后再试"))
    refuse(actor=actor, message=_("API 令牌无效、已撤销或已过期"), detail=detail)
    raise HttpError(401, _("API 令牌无效、已撤销或已过期"))


def _state(token: ApiToken | None) -> str:
    """Why a presented token is refused, for the audit trail."""
    if token is None:
        return "unknown"
    if token.revoked_at:
        return "revoked"
    return "inactive" if not token.account.is_active else "expired"


def token_of(request: HttpRequest) -> ApiToken | None:
    found: ApiToken | None = getattr(request, "api_token", None)
    return found


RATE = "luoshi:api-token-rate:"


@functools.lru_cache(maxsize=8)
def _rate(rate: str) -> tuple[int | None, int | None]:
    return SimpleRateThrottle(rate).parse_rate(rate)


def token_rate_window() -> tuple[int | None, int, int]:
    """LUOSHI_API_TOKEN_RATE as (limit, window seconds, seconds left in the current window)."""
    limit, window = _rate(settings.LUOSHI_API_TOKEN_RATE)
    window = window or 60
    return limit, window, window - int(time.time()) % window


def token_rate_spend(token_pk: int) -> bool:
    """Count one request of the token; False once LUOSHI_API_TOKEN_RATE is spent in this window.

    Fixed windows on the clock, one counter per token and window in Django's cache: one atomic
    increment in Redis, shared by every worker and thread, and by the full path and the short one
    (api/token_reads.py) alike. The window is in the key, so no backend's timeout handling can
    stretch it."""
    limit, window, _ = token_rate_window()
    if limit is None:
        return True
    key = f"{RATE}{token_pk}:{int(time.time()) // window}"
    try:
        seen = cache.incr(key)
    except ValueError:  # the token's first request in this window
        cache.add(key, 0, window + 1)
        try:
            seen = cache.incr(key)
        except ValueError:  # expired at once (a window of a second): count it anew
            cache.set(key, seen := 1, window + 1)
    return seen <= limit


class TokenRateThrottle(BaseThrottle):
    """At most LUOSHI_API_TOKEN_RATE requests per token and window (`token_rate_spend`); 429 beyond,
    with the seconds left in the window. Sessions are not counted here. Stateless: one instance
    serves every thread."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = token_of(request)
        return token is None or token_rate_spend(token.pk)

    def wait(self) -> float | None:
        return float(token_rate_window()[2])


def signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated)
