"""Reading API tokens: the one a request presents, and the list the security administrator sees."""

from __future__ import annotations

from django.db.models import QuerySet

from luoshi.tokens.models import ApiToken
from luoshi.tokens.services import PREFIX, digest_of


def token_presented(secret: str) -> ApiToken | None:
    """The token whose secret this is (usable or not), found by the secret's hash."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("account__membership__organisation")
        .filter(digest=digest_of(secret))
        .first()
    )


def tokens_listed() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("organisation", "created_by", "revoked_by")
