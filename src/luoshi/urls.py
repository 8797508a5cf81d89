from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from luoshi.accounts.forms import LoginForm
from luoshi.api.urls import api
from luoshi.ops.health import healthz
from luoshi.web.views import identity, tokens

urlpatterns = [
    path("", include("luoshi.web.urls")),
    path("supervision/", include("luoshi.web.views.supervision")),
    path("consultation/", include("luoshi.web.views.consultation")),
    path("workplans/", include("luoshi.web.views.workplans")),
    path("risks/", include("luoshi.web.views.risks")),
    path("funding/", include("luoshi.web.views.funding")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", identity.password_change, name="password_change"),
    path("accounts/2fa/", identity.otp_verify, name="otp_verify"),
    path("accounts/2fa/setup/", identity.otp_setup, name="otp_setup"),
    path("security/", identity.security, name="security"),
    path("security/unlock/", identity.unlock, name="security_unlock"),
    path("security/otp-reset/", identity.reset_second_factor, name="security_otp_reset"),
    path("security/tokens/", tokens.token_list, name="security_tokens"),
    path("security/tokens/new/", tokens.token_new, name="security_token_new"),
    path(
        "security/tokens/<int:token_id>/revoke/",
        tokens.token_revoke_view,
        name="security_token_revoke",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
]

handler403 = "luoshi.web.views.errors.forbidden"
handler404 = "luoshi.web.views.errors.not_found"
handler500 = "luoshi.web.views.errors.server_error"
