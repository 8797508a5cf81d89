"""Who keeps API tokens.

The security administrator (安全管理员), not the office: issuing a credential and granting its scopes
is 对主体进行授权, which GB/T 22239-2019 (8.1.5.3) gives the security administrator, and a token that
writes a unit's reports must not come from the office that accepts those reports (it could report
and accept at once). The security administrator reads no business data through a token: the secret
is shown once, to be handed to the system that uses it.
"""

from __future__ import annotations

from luoshi.accounts.policies import AnyUser, is_security_admin


def can_keep_tokens(user: AnyUser | None) -> bool:
    """`None` is the command line (`luoshi token`), run by whoever administers the server."""
    return user is None or is_security_admin(user)
