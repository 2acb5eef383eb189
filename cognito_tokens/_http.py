"""What the framework integrations share: reading the bearer token, the scope and group rules,
and the HTTP answer for each refusal (RFC 6750, section 3).

- No token: 401, ``WWW-Authenticate: Bearer`` (no error code: the client did not try).
- A token that is not valid (forged, expired, another pool or client, malformed): 401,
  ``WWW-Authenticate: Bearer error="invalid_token"``.
- A valid token without a required scope or group: 403,
  ``WWW-Authenticate: Bearer error="insufficient_scope"``.
- The pool's JWKS cannot be fetched: 503, the token's fault is unknown.

The header never carries text from the token or the error message (no injection into a
response header); the reason goes to the log as the exception. See
https://www.rfc-editor.org/rfc/rfc6750#section-3
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cognito_tokens.claims import Claims, typed_claims
from cognito_tokens.errors import (
    JwksFetchError,
    MissingGroupError,
    MissingScopeError,
    MissingTokenError,
    TokenError,
)
from cognito_tokens.verifier import _names


@dataclass(frozen=True, kw_only=True)
class Refusal:
    """The HTTP answer to a refused request."""

    status: int
    headers: Mapping[str, str]
    error: str
    description: str


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header value.

    Raises:
        MissingTokenError: No header, another scheme, or an empty token.
    """
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() == "bearer" and token:
            return token
    raise MissingTokenError(
        "Authorization: no bearer token in the request", actual=None, expected="Bearer <JWT>"
    )


class Rules:
    """Scopes and groups a request needs, all of each, checked on verified claims.

    Raises:
        ValueError: A scope or group is empty or has white space.
    """

    def __init__(self, *, scopes: Iterable[str] = (), groups: Iterable[str] = ()) -> None:
        self.scopes = _names(scopes, "scopes")
        self.groups = _names(groups, "groups")

    def apply(self, claims: Mapping[str, Any]) -> Claims:
        """The typed claims, once every rule holds.

        Raises:
            MissingScopeError: A required scope is not in ``scope`` (ID tokens have none).
            MissingGroupError: A required group is not in ``cognito:groups``.
        """
        typed = typed_claims(claims)
        granted = getattr(typed, "scopes", ())
        missing = [s for s in self.scopes if s not in granted]
        if missing:
            raise MissingScopeError(
                f"scope: missing required scope(s) {', '.join(missing)}",
                actual=claims.get("scope"),
                expected=list(self.scopes),
            )
        missing = [g for g in self.groups if g not in typed.groups]
        if missing:
            raise MissingGroupError(
                f"cognito:groups: missing required group(s) {', '.join(missing)}",
                actual=claims.get("cognito:groups"),
                expected=list(self.groups),
            )
        return typed


def refusal(error: TokenError) -> Refusal:
    """The status and headers for ``error``."""
    if isinstance(error, MissingTokenError):
        return Refusal(
            status=401,
            headers={"WWW-Authenticate": "Bearer"},
            error="missing_token",
            description="A bearer token is required.",
        )
    if isinstance(error, (MissingScopeError, MissingGroupError)):
        return Refusal(
            status=403,
            headers={"WWW-Authenticate": 'Bearer error="insufficient_scope"'},
            error="insufficient_scope",
            description="The token lacks a required scope or group.",
        )
    if isinstance(error, JwksFetchError):
        return Refusal(
            status=503,
            headers={"Retry-After": "10"},
            error="temporarily_unavailable",
            description="The token cannot be checked right now.",
        )
    return Refusal(
        status=401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        error="invalid_token",
        description="The token is not valid.",
    )
