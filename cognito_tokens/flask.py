"""Flask: ``@require_cognito(verifier, scopes=[...], groups=[...])`` on a view.

Install with the ``flask`` extra. The decorator reads ``Authorization: Bearer <token>``,
verifies it, checks that every listed scope and group is granted, and puts the typed claims in
``flask.g.cognito_claims`` (read them with ``current_claims()``):

    verifier = CognitoJwtVerifier(user_pool_id=..., token_use="access", client_id=...)

    @app.get("/orders")
    @require_cognito(verifier, scopes=["orders/read"])
    def orders():
        return {"user": current_claims().sub}

Refusals are JSON responses: 401 with ``WWW-Authenticate: Bearer error="invalid_token"`` for a
bad token (``Bearer`` alone when there is none), 403 with ``error="insufficient_scope"`` for a
missing scope or group, 503 when the JWKS cannot be fetched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from flask import g, jsonify, request

from cognito_tokens._http import Rules, bearer_token, refusal
from cognito_tokens.claims import Claims
from cognito_tokens.errors import TokenError
from cognito_tokens.multi import MultiIssuerVerifier
from cognito_tokens.verifier import CognitoJwtVerifier

__all__ = ["Claims", "current_claims", "require_cognito"]

View = TypeVar("View", bound=Callable[..., Any])


def require_cognito(
    verifier: CognitoJwtVerifier | MultiIssuerVerifier,
    *,
    scopes: Iterable[str] = (),
    groups: Iterable[str] = (),
) -> Callable[[View], View]:
    """A view decorator that lets only requests with a good bearer token through.

    Args:
        verifier: The verifier.
        scopes: Scopes that must all be granted (access tokens). Default: none.
        groups: Groups that must all be in ``cognito:groups``. Default: none.

    Raises:
        ValueError: A scope or group is empty or has white space.
    """
    rules = Rules(scopes=scopes, groups=groups)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                claims = verifier.verify(bearer_token(request.headers.get("Authorization")))
                g.cognito_claims = rules.apply(claims)
            except TokenError as exc:
                answer = refusal(exc)
                body = {"error": answer.error, "error_description": answer.description}
                return jsonify(body), answer.status, dict(answer.headers)
            return view(*args, **kwargs)

        return cast(View, guarded)

    return decorate


def current_claims() -> Claims:
    """The claims that ``require_cognito`` verified for this request.

    Raises:
        RuntimeError: The view is not decorated with ``require_cognito``.
    """
    claims = g.get("cognito_claims")
    if claims is None:
        raise RuntimeError("current_claims() needs a view decorated with @require_cognito")
    return cast(Claims, claims)
