"""The JSON API: one NinjaAPI, one router module per domain; schema at /api/openapi.json."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext, gettext_lazy
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from luoshi.api import errors
from luoshi.api.audit import router as audit_router
from luoshi.api.auth import RoleGate, TokenRateThrottle, signed_in
from luoshi.api.cases import router as cases_router
from luoshi.api.documents import router as documents_router
from luoshi.api.metrics import router as metrics_router
from luoshi.api.plans import router as plans_router
from luoshi.api.progress import me_router
from luoshi.api.progress import router as progress_router
from luoshi.api.supervision import messages_router
from luoshi.api.supervision import router as supervision_router
from luoshi.api.versions import router as versions_router
from luoshi.api.workplans import router as workplans_router


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and docs page for signed-in users (LUOSHI_API_SCHEMA_PUBLIC opens them)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (settings.LUOSHI_API_SCHEMA_PUBLIC or request.user.is_authenticated):
            return JsonResponse({"detail": gettext("请先登录")}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


class LuoshiAPI(NinjaAPI):
    """The schema also names the bearer scheme, on each operation a token may call, with the scope
    it needs (RoleGate handles both ways in; django-ninja would list only the session cookie)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        scopes = {
            operation.operation_id or self.get_openapi_operation_id(operation): gate.scope.value
            for _, router in self._routers
            for path_view in router.path_operations.values()
            for operation in path_view.operations
            for gate in operation.auth_callbacks
            if isinstance(gate, RoleGate) and gate.scope is not None
        }
        schema["components"].setdefault("securitySchemes", {})["ApiToken"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "Another system's API token (lsk_…), issued by the security administrator; "
            "the scope each operation needs is named in its security requirement.",
        }
        for methods in schema["paths"].values():
            for operation in methods.values():
                scope = scopes.get(operation.get("operationId"))
                if scope:
                    operation.setdefault("security", []).append({"ApiToken": [scope]})
        return schema


api = LuoshiAPI(
    title="luoshi API",
    version="1",
    description=(
        "luoshi — plans, progress reports and their review, evidence, audit. A signed-in session, or "
        "another system's API token (`Authorization: Bearer lsk_…`) on the endpoints its scopes "
        "open (status:read, reports:read, reports:write; see docs/api-tokens.md)."
    ),
    # Routers narrow it; a token needs a scope that an endpoint names.
    auth=RoleGate(signed_in, gettext_lazy("请先登录")),
    throttle=TokenRateThrottle(),
    urls_namespace="api",
    docs_decorator=signed_in_only,
)
api.add_router("/", plans_router)
api.add_router("/", me_router)
api.add_router("/", progress_router)
api.add_router("/", metrics_router)
api.add_router("/", cases_router)
api.add_router("/", documents_router)
api.add_router("/", audit_router)
api.add_router("/", supervision_router)
api.add_router("/", messages_router)
api.add_router("/", versions_router)
api.add_router("/", workplans_router)
errors.install(api)
