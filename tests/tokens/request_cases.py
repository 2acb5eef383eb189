"""The request cases every integration must handle alike: good, missing, expired, forged,
wrong scope. A plain module with a unique name, imported by the async and framework tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa
from token_factory import NOW, Mint, claims_for

from cognito_tokens import (
    ExpiredTokenError,
    InvalidSignatureError,
    MissingScopeError,
    MissingTokenError,
    TokenError,
)

SCOPE = "orders/read"


@dataclass(frozen=True)
class Case:
    name: str
    token: Callable[[Mint], str | None]
    status: int
    www_authenticate: str | None
    error: type[TokenError] | None


def _forged(mint: Mint) -> str:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return mint(claims_for("access"), key=stranger)


CASES = [
    Case("good", lambda mint: mint(claims_for("access")), 200, None, None),
    Case("missing", lambda mint: None, 401, "Bearer", MissingTokenError),
    Case(
        "expired",
        lambda mint: mint(claims_for("access", exp=int(NOW) - 60)),
        401,
        'Bearer error="invalid_token"',
        ExpiredTokenError,
    ),
    Case("forged", _forged, 401, 'Bearer error="invalid_token"', InvalidSignatureError),
    Case(
        "wrong scope",
        lambda mint: mint(claims_for("access", scope="profile")),
        403,
        'Bearer error="insufficient_scope"',
        MissingScopeError,
    ),
]
