"""Session authentication with a role gate for whole routers."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth

from luoshi.accounts.policies import AnyUser
from luoshi.audit.services import refuse


class RoleGate(SessionAuth):
    """Logged in (else 401) and allowed by `check` (else 403 with `message`)."""

    def __init__(self, check: Callable[[AnyUser], bool], message: str) -> None:
        super().__init__()
        self.check = check
        self.message = message

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not self.check(user):
            raise refuse(actor=user, message=self.message)
        return user
