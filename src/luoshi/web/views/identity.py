"""Signing in beyond the password: the second factor (verify, enrol with a QR code, backup codes),
the self-service password change, and the security administrator's locks and resets."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from luoshi.accounts.forms import PasswordChangeLimitedForm
from luoshi.accounts.identity import mark_password_set, two_factor_required
from luoshi.accounts.passwords import password_expired
from luoshi.accounts.policies import is_security_admin
from luoshi.accounts.security import (
    account_unlock,
    locked_attempts,
    otp_reset,
    totp_device_pending,
    totp_enrol,
)
from luoshi.audit.actions import AuditAction
from luoshi.audit.models import Outcome
from luoshi.audit.services import audit_record
from luoshi.web.access import requires, user_of


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if allowed else "/"


@requires(lambda user: True, "")
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator, or a backup code."""
    user = user_of(request)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"/accounts/2fa/setup/?next={_next(request)}")
    failed = False
    if request.method == "POST":
        device = match_token(user, request.POST.get("token", "").strip())
        if device is not None:
            otp_login(request, device)
            audit_record(actor=user, action=AuditAction.LOGIN, detail={"factor": device.name})
            return redirect(_next(request))
        failed = True
        audit_record(
            actor=user, action=AuditAction.LOGIN, outcome=Outcome.FAILED, detail={"factor": "otp"}
        )
    return render(
        request, "registration/otp_verify.html", {"failed": failed, "next": _next(request)}
    )


@requires(lambda user: True, "")
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with one code."""
    user = user_of(request)
    device = totp_device_pending(user)
    if request.method == "POST":
        codes = totp_enrol(user=user, device=device, token=request.POST.get("token", "").strip())
        if codes is not None:
            otp_login(request, device)
            return render(
                request, "registration/otp_codes.html", {"codes": codes, "next": _next(request)}
            )
        messages.error(request, _("验证码不正确，请按手机上当前显示的 6 位数字重新输入。"))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return render(
        request,
        "registration/otp_setup.html",
        {
            "qr": qr,
            "key": device.config_url.split("secret=")[1].split("&")[0],
            "required": two_factor_required(user),
            "next": _next(request),
        },
    )


@requires(lambda user: True, "")
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (forced once it is older than LUOSHI_PASSWORD_MAX_AGE_DAYS)."""
    user = user_of(request)
    form = PasswordChangeLimitedForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            form.save()  # recorded and audited by the history validator
            update_session_auth_hash(request, form.user)
            mark_password_set(request.session, form.user)
            messages.success(request, _("密码已修改。"))
            return redirect(_next(request))
        audit_record(
            actor=user,
            action=AuditAction.PASSWORD_CHANGE,
            outcome=Outcome.REFUSED,
            obj=user,
            detail={"errors": [e for errors in form.errors.values() for e in errors]},
        )
    return render(
        request,
        "registration/password_change.html",
        {
            "form": form,
            "expired": password_expired(user),
            "rules": password_validators_help_texts(),
            "max_age": settings.LUOSHI_PASSWORD_MAX_AGE_DAYS,
            "next": _next(request),
        },
    )


@requires(is_security_admin, gettext_noop("仅安全管理员可使用"))
def security(request: HttpRequest) -> HttpResponse:
    """Locked accounts and addresses, and the policy in force."""
    return render(
        request,
        "web/security.html",
        {
            "locked": locked_attempts()[:200],
            "users": User.objects.filter(is_active=True).order_by("username"),
            "policy": {
                "failures": settings.AXES_FAILURE_LIMIT,
                "lock_hours": settings.AXES_COOLOFF_TIME,
                "idle": settings.LUOSHI_IDLE_TIMEOUT_MINUTES,
                "max_hours": settings.LUOSHI_SESSION_MAX_HOURS,
                "two_factor": sorted(settings.LUOSHI_TWO_FACTOR_ROLES),
                "max_age": settings.LUOSHI_PASSWORD_MAX_AGE_DAYS,
                "history": settings.LUOSHI_PASSWORD_HISTORY,
            },
        },
    )


@require_POST
@requires(lambda user: True, "")
def unlock(request: HttpRequest) -> HttpResponse:
    cleared = account_unlock(
        actor=request.user,
        username=request.POST.get("username", "").strip(),
        ip=request.POST.get("ip", "").strip(),
    )
    messages.success(request, _("已解除锁定（清除 %(n)d 条失败记录）。") % {"n": cleared})
    return redirect("security")


@require_POST
@requires(lambda user: True, "")
def reset_second_factor(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("user", "")
    if not raw.isdigit():
        raise BadRequest(_("请选择用户"))
    target = get_object_or_404(User, pk=int(raw))
    otp_reset(actor=request.user, user=target)
    messages.success(request, _("已重置 %(user)s 的双因素认证。") % {"user": target.username})
    return redirect("security")
