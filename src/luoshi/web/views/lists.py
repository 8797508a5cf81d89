"""Saved filters on lists: save the list's current filter under a name, open it, delete it.
Each is the person's own (savedviews.policies); the lists are named here, never taken from input."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import reads_plans
from luoshi.audit.actions import AuditAction
from luoshi.savedviews.models import QUERY_LIMIT
from luoshi.savedviews.services import saved_view_delete, saved_view_of, saved_view_save
from luoshi.web.access import requires, user_of
from luoshi.web.listing import NOT_SAVED

DENIED = gettext_lazy("无权使用清单")
# The lists that keep saved filters: key → the list page's URL name.
LISTS = {
    "tasks": "web:tasks",
    "measures": "web:measures",
    "reports": "web:reports",
    "notices": "supervision:register",
    "cases": "web:cases",
    "evaluations": "web:evaluations",
}


def _clean(query: str) -> str:
    """The filter part of a list's query string: no page, no export switch, no empty values."""
    params = QueryDict(query.lstrip("?"))
    return urlencode([(k, v) for k, v in params.items() if k not in NOT_SAVED and v])


def _list_url(key: str, query: str = "") -> str:
    """The list's page with `query`; without it when longer than a saved filter may be (refused as
    too long, and past 2048 characters Django refuses the redirect itself)."""
    url = reverse(LISTS.get(key, "web:tasks"))
    return f"{url}?{query}" if query and len(query) <= QUERY_LIMIT else url


@require_POST
@requires(reads_plans, DENIED)
def saved_save(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("list", "")
    query = _clean(request.POST.get("query", ""))
    if key not in LISTS:
        messages.error(request, _("没有这个清单"))
        return redirect("web:tasks")
    try:
        view = saved_view_save(
            actor=user_of(request), list_key=key, name=request.POST.get("name", ""), query=query
        )
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
        return redirect(_list_url(key, query))
    messages.success(request, _("已保存筛选条件“%(name)s”") % {"name": view.name})
    return redirect(_list_url(key, query))


@requires(reads_plans, DENIED)
def saved_open(request: HttpRequest, view_id: int) -> HttpResponse:
    view = saved_view_of(
        actor=user_of(request), view_id=view_id, action=AuditAction.SAVED_VIEW_OPEN
    )
    return redirect(_list_url(view.list_key, view.query))


@require_POST
@requires(reads_plans, DENIED)
def saved_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    try:
        view = saved_view_delete(actor=user_of(request), view_id=view_id)
    except Http404:  # already deleted (a second click, another tab): say so, not an error page
        messages.info(request, _("该筛选条件已删除"))
        return redirect(_list_url(request.POST.get("list", "")))
    messages.success(request, _("已删除筛选条件“%(name)s”") % {"name": view.name})
    return redirect(_list_url(view.list_key))
