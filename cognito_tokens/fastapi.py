"""FastAPI / Starlette: ``Depends(require_cognito(verifier, scopes=[...], groups=[...]))``.

Install with the ``fastapi`` extra. The dependency reads ``Authorization: Bearer <token>``,
verifies it without blocking the event loop (``AsyncCognitoJwtVerifier``), checks that every
listed scope and group is granted, and returns the typed claims:

    verifier = CognitoJwtVerifier(user_pool_id=..., token_use="access", client_id=...)
    orders_reader = require_cognito(verifier, scopes=["orders/read"])

    @app.get("/orders")
    async def orders(claims: Annotated[Claims, Depends(orders_reader)]) -> ...:
        ...

Refusals are ``HTTPException``: 401 with ``WWW-Authenticate: Bearer error="invalid_token"`` for
a bad token (``Bearer`` alone when there is none), 403 with ``error="insufficient_scope"`` for a
missing scope or group, 503 when the JWKS cannot be fetched. The route appears in the OpenAPI
document with an HTTP bearer security scheme.
"""

from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cognito_tokens._http import Rules, bearer_token, refusal
from cognito_tokens.aio import AsyncCognitoJwtVerifier
from cognito_tokens.claims import Claims
from cognito_tokens.errors import TokenError
from cognito_tokens.multi import MultiIssuerVerifier
from cognito_tokens.verifier import CognitoJwtVerifier

__all__ = ["Claims", "require_cognito"]

_bearer = HTTPBearer(auto_error=False, description="A Cognito user pool token")


def require_cognito(
    verifier: CognitoJwtVerifier | MultiIssuerVerifier | AsyncCognitoJwtVerifier,
    *,
    scopes: Iterable[str] = (),
    groups: Iterable[str] = (),
) -> Callable[..., Awaitable[Claims]]:
    """A FastAPI dependency that returns the verified claims of the request's bearer token.

    Args:
        verifier: The verifier (a sync one is wrapped in ``AsyncCognitoJwtVerifier``, sharing
            its key cache).
        scopes: Scopes that must all be granted (access tokens). Default: none.
        groups: Groups that must all be in ``cognito:groups``. Default: none.

    Raises:
        ValueError: A scope or group is empty or has white space.
    """
    checker = (
        verifier
        if isinstance(verifier, AsyncCognitoJwtVerifier)
        else AsyncCognitoJwtVerifier.wrap(verifier)
    )
    rules = Rules(scopes=scopes, groups=groups)

    async def cognito_claims(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Claims:
        try:
            header = f"Bearer {credentials.credentials}" if credentials is not None else None
            claims = await checker.verify(bearer_token(header))
            return rules.apply(claims)
        except TokenError as exc:
            answer = refusal(exc)
            raise HTTPException(
                status_code=answer.status,
                detail={"error": answer.error, "error_description": answer.description},
                headers=dict(answer.headers),
            ) from exc

    return cognito_claims
