"""Page access: the same policies as the API, a 403 page in the user's language, refusals audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from luoshi.accounts.policies import AnyUser, organisation_of
from luoshi.audit.services import refuse
from luoshi.metrics.cache import cached
from luoshi.plans.limits import EARLIEST, LATEST, date_errors
from luoshi.plans.models import Organisation, Plan
from luoshi.plans.selectors import plan_or_default, version_on, working_plans

View = Callable[..., HttpResponse]


def requires(check: Callable[[AnyUser], bool], message: str | Promise) -> Callable[[View], View]:
    """Logged in (else the login page) and allowed by `check` (else 403, audited)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise refuse(actor=request.user, message=_(str(message)))  # gettext_noop or lazy
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def back_to(request: HttpRequest) -> str | None:
    """A `next` URL posted by a form, if it stays on this site."""
    target = request.POST.get("next", "")
    return (
        target
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        else None
    )


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def as_of(request: HttpRequest) -> dt.date:
    """The date every dated page is computed at: ?as_of=YYYY-MM-DD, today by default."""
    return query_date(request, "as_of") or timezone.localdate()


def query_date(request: HttpRequest, name: str) -> dt.date | None:
    """?name=YYYY-MM-DD within the years luoshi tracks, None when absent, 400 when malformed."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or date_errors(day=day):
        raise BadRequest(
            _("参数 %(name)s 应为 %(first)s 至 %(last)s 之间的日期（YYYY-MM-DD）")
            % {"name": name, "first": EARLIEST, "last": LATEST}
        )
    return day


def current_plan(request: HttpRequest) -> Plan:
    """?plan=ID (remembered for the session), else the one remembered, else the user's default: the
    first plan in force where their organisation has duties. Never the newest import by itself."""
    chosen = request.GET.get("plan")
    asked = chosen or request.session.get("plan")
    found = plan_or_default(asked) if asked else None
    if found is None:  # nothing chosen, or the remembered plan is gone (default_plan's rule)
        mine = plans_of(request, organisation_of(request.user)) or plans_of(request, None)
        found = mine[0] if mine else None
    if found is None:
        raise PermissionDenied(_("还没有导入方案"))
    if chosen:
        request.session["plan"] = found.pk
    found = _version_as_of(request, found)
    request.shown_plan = found  # type: ignore[attr-defined]  # named in the layout (context.py)
    return found


def plans_of(request: HttpRequest, organisation: Organisation | None) -> list[Plan]:
    """`working_plans(organisation)`, read once per request: the default plan, the layout's plan
    switcher and 我的任务 all ask for them."""
    found: dict[int | None, list[Plan]] = request.__dict__.setdefault("_working_plans", {})
    key = organisation.pk if organisation else None
    if key not in found:  # kept until the next write (metrics/cache.py): every page's layout asks
        found[key] = cached(
            "working_plans", (key,), lambda: working_plans(organisation), local=False
        )
    return found[key]


def _version_as_of(request: HttpRequest, plan: Plan) -> Plan:
    """A page dated before the version in force took effect shows the version that applied then."""
    if "as_of" not in request.GET or plan.programme.in_force_id != plan.pk:
        return plan
    day = as_of(request)
    if plan.effective_from is None or day >= plan.effective_from:
        return plan
    return version_on(plan.programme, day) or plan
