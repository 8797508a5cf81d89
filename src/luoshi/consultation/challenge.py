"""The small sum a public comment form asks, against scripted spam. The question travels with the
page, signed, instead of in a session: opening the public draft writes nothing (a crawler or a flood
of requests makes no session rows and takes no database write lock), every page (every tab) asks its
own question, and each answer brings one comment (the nonce is stored with it, unique)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "luoshi.consultation.challenge"
MAX_AGE = 24 * 3600  # a page left open over a day asks again


@dataclass(frozen=True)
class Challenge:
    question: str  # "3 + 4 = ?"
    token: str  # sent back with the answer: names the question without telling its answer


def challenge_new() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, str(a + b))}, salt=SALT)
    return Challenge(f"{a} + {b} = ?", token)


def challenge_answered(token: str, answer: str) -> str | None:
    """The question's nonce when the answer is the sum the token's page asked, within a day; None
    otherwise (a wrong answer, a forged or expired token)."""
    try:
        signed = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        nonce, digest = str(signed["n"]), str(signed["h"])
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return nonce if constant_time_compare(digest, _digest(nonce, answer.strip())) else None


def _digest(nonce: str, answer: str) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()
