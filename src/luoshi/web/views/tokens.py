"""The security administrator's API tokens: issue (the secret shown once), list, revoke."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.plans.models import Organisation
from luoshi.tokens.models import ApiToken, Scope
from luoshi.tokens.policies import can_keep_tokens
from luoshi.tokens.selectors import tokens_listed
from luoshi.tokens.services import token_create, token_revoke
from luoshi.web.access import requires, user_of

MESSAGE = gettext_lazy("仅安全管理员可管理 API 令牌")


def _page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    return render(
        request,
        "web/tokens.html",
        {
            "tokens": tokens_listed(),
            "scopes": Scope.choices,
            "units": Organisation.objects.filter(responsibilities__isnull=False)
            .distinct()
            .order_by("name"),
            "typed": {"scopes": []},
            "today": timezone.localdate(),
            **extra,
        },
        status=status,
    )


@requires(can_keep_tokens, MESSAGE)
def token_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@requires(can_keep_tokens, MESSAGE)
def token_new(request: HttpRequest) -> HttpResponse:
    """Issue a token; the page shows its secret this once. Refused input comes back as typed."""
    name, unit_id = request.POST.get("name", ""), request.POST.get("unit", "")
    scopes, expires_typed = request.POST.getlist("scopes"), request.POST.get("expires_on", "")
    typed = {"name": name, "unit": unit_id, "scopes": scopes, "expires_on": expires_typed}
    errors: dict[str, list[str]] = {}
    unit = (
        Organisation.objects.filter(pk=unit_id).first()
        if unit_id.isdigit() and len(unit_id) < 12
        else None
    )
    if unit_id and unit is None:
        errors["unit"] = [_("没有这个单位")]
    expires = None
    if expires_typed:
        try:
            expires = dt.date.fromisoformat(expires_typed)
        except ValueError:
            errors["expires_on"] = [_("日期格式应为 YYYY-MM-DD")]
    if not errors:
        try:
            issued = token_create(
                actor=user_of(request),
                name=name,
                organisation=unit,
                scopes=scopes,
                expires_on=expires,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            return _page(request, issued=issued)
    return _page(request, errors=errors, typed=typed, status=422)


@require_POST
@requires(can_keep_tokens, MESSAGE)
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_revoke(actor=user_of(request), token=get_object_or_404(ApiToken, pk=token_id))
    messages.success(request, _("已撤销令牌 %(name)s。") % {"name": token.name})
    return redirect("security_tokens")
