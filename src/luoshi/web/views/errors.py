"""Our own 403/404/500 pages: in the site layout and the user's language, with the reason and a
way back, instead of Django's bare English ones."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def error_page(request: HttpRequest, *, status: int, title: str, reason: str) -> HttpResponse:
    referer = request.headers.get("Referer", "")
    back = (
        referer
        if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
        else ""
    )
    context = {"title": title, "reason": reason, "back": back}
    return HttpResponse(render_to_string("web/error.html", context, request), status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception or "") or _("您的账号没有访问此页面的权限。")
    return error_page(request, status=403, title=_("无权访问"), reason=reason)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = _("您要找的页面不存在，或不在您可以查看的范围内（例如其他单位的报告）。")
    return error_page(request, status=404, title=_("页面不存在"), reason=reason)


def server_error(request: HttpRequest) -> HttpResponse:
    reason = _("系统出现了意外错误，已记录下来。您填写的内容仍保存在本机浏览器中，请稍后重试。")
    try:
        return error_page(request, status=500, title=_("系统错误"), reason=reason)
    except Exception:  # the layout itself failed: a plain page rather than nothing
        log.exception("the error page could not be rendered")
        return HttpResponse(f"<h1>500</h1><p>{reason}</p>", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted from a page older than the current sign-in (the token changed at login)."""
    text = _(
        "页面已过期（登录状态已变化），本次提交未被接受。请返回并刷新页面后重新提交；"
        "报告页面上填写的内容保存在本机浏览器中，刷新后会自动恢复。"
    )
    return error_page(request, status=403, title=_("页面已过期"), reason=text)
