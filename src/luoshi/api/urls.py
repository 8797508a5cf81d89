"""The JSON API: one NinjaAPI, one router module per domain; schema at /api/openapi.json."""

from ninja import NinjaAPI
from ninja.security import django_auth

from luoshi.api.plans import router as plans_router

api = NinjaAPI(
    title="luoshi API",
    version="1",
    description="落实 — plans, tasks, measures and organisations. Session authentication.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", plans_router)
