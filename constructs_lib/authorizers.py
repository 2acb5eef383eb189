"""API Gateway authorizers bound to a user pool, with the scopes each route or method requires.

Two helpers, one per API flavour, each returning the authorizer together with the keyword
arguments that attach it to a route (HTTP API) or a method (REST API):

    auth = http_api_jwt_authorizer(
        user_pool=pool, user_pool_clients=[web], authorization_scopes=["orders/read"]
    )
    http_api.add_routes(path="/orders", integration=integration, **auth.route_options())

    auth = rest_api_user_pool_authorizer(
        self, "Authorizer", user_pool=pool, authorization_scopes=["orders/read"]
    )
    rest_api.root.add_method("GET", integration, **auth.method_options())

Without scopes, both API Gateway authorizers take *ID tokens* as API credentials (see below), so
both helpers require at least one scope, or the explicit opt-in ``allow_id_tokens=True``, which
leaves a synth warning (``cognito-auth:authorizer-accepts-id-tokens``). The same applies to a
route or method that drops the scopes with ``authorization_scopes=[]``.

What API Gateway checks (and what it does not):

- HTTP API JWT authorizer: signature against the pool's JWKS, ``exp``/``nbf``/``iat``, ``iss``,
  and the audience: the token's ``aud`` must be one of the app client ids, or, when the token has
  no ``aud`` (a Cognito access token), its ``client_id``. It does not check ``token_use``: an ID
  token of a listed client passes too, unless the route requires scopes (ID tokens carry none).
  With scopes, a token needs at least one of them. See
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
- REST API Cognito user pools authorizer: signature and expiry of tokens from the pool, for any
  app client of the pool. A method without scopes takes the ID token; a method with scopes takes
  an access token carrying at least one of them. See
  https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html

Backends that must check more (a client of a REST API, ``token_use``, groups, all of several
scopes) verify the token themselves with ``cognito_tokens.CognitoJwtVerifier``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from aws_cdk import Annotations, Duration, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigatewayv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from constructs_lib.resource_servers import CustomScope
from constructs_lib.user_pool import issuer_url_of
from constructs_lib.validation import Problems, is_token

Scope = str | cognito.OAuthScope | CustomScope
"""A scope as a string (``"orders/read"``), an ``aws_cognito.OAuthScope`` or a resource server's
``CustomScope`` (``orders.scope("read")``)."""

DEFAULT_HTTP_AUTHORIZER_ID = "CognitoJwtAuthorizer"
"""Construct id of the HTTP API authorizer: part of the logical id, so it never changes."""

ID_TOKENS_WARNING = "cognito-auth:authorizer-accepts-id-tokens"
"""Id of the synth warning left by ``allow_id_tokens=True`` (acknowledge it with this id)."""

UNREACHABLE_SCOPES_WARNING = "cognito-auth:authorizer-scopes-unreachable"
"""Id of the synth warning left when no ``user_pool_clients`` may ask for a required scope."""


class HttpRouteAuthorization(TypedDict):
    """Keyword arguments for ``HttpApi.add_routes`` / ``HttpRoute``."""

    authorizer: apigatewayv2.IHttpRouteAuthorizer
    authorization_scopes: list[str] | None


class RestMethodAuthorization(TypedDict):
    """Keyword arguments for ``IResource.add_method`` / ``MethodOptions``."""

    authorizer: apigateway.IAuthorizer
    authorization_type: apigateway.AuthorizationType
    authorization_scopes: list[str] | None


def _require_scopes(
    scopes: Sequence[Scope], allow_id_tokens: bool, takes: str, problems: Problems
) -> None:
    """Refuse an empty scope list unless ID tokens are accepted on purpose."""
    if allow_id_tokens or isinstance(scopes, str) or len(scopes) > 0:
        return
    problems.add(
        f"authorization_scopes is empty (got {list(scopes)!r}), so every {takes} would accept "
        "ID tokens as API credentials (API Gateway does not check token_use): pass at least one "
        "scope, e.g. authorization_scopes=['orders/read'], or allow_id_tokens=True to accept "
        "ID tokens on purpose"
    )


def scope_name(scope: Scope) -> object:
    """The scope's name as a token carries it (``orders/read`` for a ``CustomScope``); anything
    that is not a scope comes back unchanged, for the caller to refuse."""
    if isinstance(scope, CustomScope):
        return scope.full_name
    return scope.scope_name if isinstance(scope, cognito.OAuthScope) else scope


def _scope_names(scopes: Sequence[Scope], argument: str, problems: Problems) -> tuple[str, ...]:
    names: list[str] = []
    if isinstance(scopes, str):
        problems.add(f"{argument} must be a list of scopes, got the string {scopes!r}")
        return ()
    for scope in scopes:
        name = scope_name(scope)
        if not isinstance(name, str):
            problems.add(f"{argument} must hold strings, OAuthScope or CustomScope, got {scope!r}")
        elif not is_token(name) and (not name or any(c.isspace() for c in name)):
            problems.add(
                f"{argument} must be scope names without spaces, got {name!r} "
                "(a token's scope claim is space-separated)"
            )
        else:
            names.append(name)
    return tuple(names)


@dataclass(frozen=True, kw_only=True)
class HttpApiAuthorization:
    """An HTTP API JWT authorizer for a user pool, and the route options that use it.

    Attributes:
        authorizer: The authorizer; it is rendered once a route uses it.
        issuer: The pool's issuer URL (``JwtConfiguration.Issuer``).
        audience: The app client ids (``JwtConfiguration.Audience``).
        authorization_scopes: Scopes a route requires by default; a token needs one of them.
        allow_id_tokens: Whether routes without scopes (accepting ID tokens) are allowed.
        client_scopes: The scopes the clients may ask for; None when unknown (imported
            clients). Routes requiring none of them leave a synth warning on ``user_pool``.
        user_pool: The pool the warnings go to.
    """

    authorizer: authorizers.HttpJwtAuthorizer
    issuer: str
    audience: tuple[str, ...]
    authorization_scopes: tuple[str, ...]
    allow_id_tokens: bool = False
    client_scopes: frozenset[str] | None = None
    user_pool: cognito.IUserPool | None = None

    def route_options(
        self, *, authorization_scopes: Sequence[Scope] | None = None
    ) -> HttpRouteAuthorization:
        """Keyword arguments that protect a route with this authorizer.

        Args:
            authorization_scopes: Scopes for this route instead of the default ones; ``[]``
                for none (the route then takes ID tokens too: only allowed when the helper was
                called with ``allow_id_tokens=True``). Default: the ``authorization_scopes``
                given to the helper.

        Raises:
            ConfigurationError: A scope is not a scope name, or ``[]`` without
                ``allow_id_tokens=True``.
        """
        scopes = self.authorization_scopes
        if authorization_scopes is not None:
            problems = Problems("route_options")
            _require_scopes(authorization_scopes, self.allow_id_tokens, "route", problems)
            scopes = _scope_names(authorization_scopes, "authorization_scopes", problems)
            problems.raise_if_any()
            if self.user_pool is not None:
                _warn_about_unreachable_scopes(
                    self.user_pool, "route_options", scopes, self.client_scopes
                )
        return {"authorizer": self.authorizer, "authorization_scopes": list(scopes) or None}


@dataclass(frozen=True, kw_only=True)
class RestApiAuthorization:
    """A REST API Cognito user pools authorizer, and the method options that use it.

    Attributes:
        authorizer: The authorizer construct.
        authorization_scopes: Scopes a method requires by default; a token needs one of them.
        allow_id_tokens: Whether methods without scopes (taking ID tokens) are allowed.
    """

    authorizer: apigateway.CognitoUserPoolsAuthorizer
    authorization_scopes: tuple[str, ...]
    allow_id_tokens: bool = False

    def method_options(
        self, *, authorization_scopes: Sequence[Scope] | None = None
    ) -> RestMethodAuthorization:
        """Keyword arguments that protect a method with this authorizer.

        Args:
            authorization_scopes: Scopes for this method instead of the default ones; ``[]``
                for none (the method then takes ID tokens: only allowed when the helper was
                called with ``allow_id_tokens=True``). Default: the ``authorization_scopes``
                given to the helper.

        Raises:
            ConfigurationError: A scope is not a scope name, or ``[]`` without
                ``allow_id_tokens=True``.
        """
        scopes = self.authorization_scopes
        if authorization_scopes is not None:
            problems = Problems("method_options")
            _require_scopes(authorization_scopes, self.allow_id_tokens, "method", problems)
            scopes = _scope_names(authorization_scopes, "authorization_scopes", problems)
            problems.raise_if_any()
        return {
            "authorizer": self.authorizer,
            "authorization_type": apigateway.AuthorizationType.COGNITO,
            "authorization_scopes": list(scopes) or None,
        }


def http_api_jwt_authorizer(
    *,
    user_pool: cognito.IUserPool,
    user_pool_clients: Sequence[cognito.IUserPoolClient],
    authorization_scopes: Sequence[Scope] = (),
    allow_id_tokens: bool = False,
    authorizer_id: str = DEFAULT_HTTP_AUTHORIZER_ID,
    authorizer_name: str | None = None,
    identity_source: Sequence[str] | None = None,
) -> HttpApiAuthorization:
    """An HTTP API JWT authorizer that accepts tokens of ``user_pool`` issued to its clients.

    The issuer is the pool's (``issuer_url_of``): ``https://`` + its provider name, so the
    region of an imported pool is right, or the updated issuer of a replicated pool. API Gateway
    matches the token's ``aud``, or ``client_id`` when there is no ``aud``, against the client
    ids: both Cognito ID and access tokens of those clients pass, unless the route requires
    scopes (ID tokens carry none). So scopes are required, or an explicit
    ``allow_id_tokens=True``.

    Args:
        user_pool: The pool that issues the tokens.
        user_pool_clients: The app clients whose tokens are accepted (the JWT audience).
        authorization_scopes: Scopes a route requires by default (a token needs one of them);
            requiring scopes also keeps ID tokens out. Required unless ``allow_id_tokens=True``.
            Default: none.
        allow_id_tokens: Accept routes without scopes, which take ID tokens of the clients as
            API credentials. Leaves a synth warning on ``user_pool`` (the HTTP authorizer is
            only a construct once a route uses it). Default: False.
        authorizer_id: Construct id of the authorizer. Default: ``"CognitoJwtAuthorizer"``.
        authorizer_name: Name of the authorizer in API Gateway. Default: the ``authorizer_id``.
        identity_source: Where the token is read. Default: ``["$request.header.Authorization"]``.

    Returns:
        The authorizer, its issuer and audience, and ``route_options()`` for routes.

    Raises:
        ConfigurationError: No clients, a scope that is not a scope name, or no scopes without
            ``allow_id_tokens=True``.
    """
    problems = Problems("http_api_jwt_authorizer")
    clients = list(user_pool_clients)
    problems.check(
        bool(clients),
        "user_pool_clients must name at least one app client: API Gateway checks the token's "
        f"aud / client_id against them (got {clients!r})",
    )
    _require_scopes(authorization_scopes, allow_id_tokens, "route", problems)
    scopes = _scope_names(authorization_scopes, "authorization_scopes", problems)
    problems.check(bool(authorizer_id), f"authorizer_id must not be empty, got {authorizer_id!r}")
    problems.raise_if_any()
    issuer = issuer_url_of(user_pool)
    audience = tuple(client.user_pool_client_id for client in clients)
    authorizer = authorizers.HttpJwtAuthorizer(
        authorizer_id,
        issuer,
        jwt_audience=list(audience),
        authorizer_name=authorizer_name,
        identity_source=list(identity_source) if identity_source is not None else None,
    )
    client_scopes = _scopes_of_clients(clients)
    _warn_about_unreachable_scopes(
        user_pool, f"http_api_jwt_authorizer({authorizer_id!r})", scopes, client_scopes
    )
    if allow_id_tokens:
        Annotations.of(user_pool).add_warning_v2(
            ID_TOKENS_WARNING,
            f"http_api_jwt_authorizer({authorizer_id!r}): allow_id_tokens=True: routes without "
            "authorization_scopes accept ID tokens of the listed clients as API credentials "
            "(API Gateway does not check token_use); require a scope, or check token_use in "
            "the backend.",
        )
    return HttpApiAuthorization(
        authorizer=authorizer,
        issuer=issuer,
        audience=audience,
        authorization_scopes=scopes,
        allow_id_tokens=allow_id_tokens,
        client_scopes=client_scopes,
        user_pool=user_pool,
    )


def _scopes_of_clients(clients: Sequence[cognito.IUserPoolClient]) -> frozenset[str] | None:
    """Every scope the clients may ask for; None when a client's scopes are unknown here."""
    allowed: set[str] = set()
    for client in clients:
        scopes = _allowed_scopes(client)
        if scopes is None:
            return None
        allowed |= scopes
    return frozenset(allowed)


def _warn_about_unreachable_scopes(
    user_pool: cognito.IUserPool,
    where: str,
    required: Sequence[str],
    allowed: frozenset[str] | None,
) -> None:
    """Warn when no client may ever ask for any required scope: every route that requires them
    refuses every token. Clients whose scopes are unknown here (imported) keep it quiet."""
    if allowed is None or not required or any(is_token(name) for name in required):
        return
    if allowed.isdisjoint(required):
        Annotations.of(user_pool).add_warning_v2(
            UNREACHABLE_SCOPES_WARNING,
            f"{where} requires one of {list(required)!r}, which none of user_pool_clients may "
            f"ask for (they may ask for {sorted(allowed)!r}): every route with these scopes "
            "refuses every token; add the scopes to a client or require another scope.",
        )


def _allowed_scopes(client: cognito.IUserPoolClient) -> set[str] | None:
    """The scope names ``client`` may ask for, as they appear in tokens; None if unknown."""
    cfn = client.node.default_child
    if not isinstance(cfn, cognito.CfnUserPoolClient):
        return None
    stack = Stack.of(client)
    servers = {
        stack.resolve(found.logical_id): found.identifier
        for found in stack.node.find_all()
        if isinstance(found, cognito.CfnUserPoolResourceServer)
    }
    names: set[str] = set()
    for scope in cfn.allowed_o_auth_scopes or []:
        resolved = stack.resolve(scope)
        if isinstance(resolved, str):
            names.add(resolved)
            continue
        # ``identifier/name`` of a resource server in this stack: {"Fn::Join": ["", [Ref, "/n"]]}
        parts = resolved.get("Fn::Join", [None, None])[1] if isinstance(resolved, dict) else None
        if not (isinstance(parts, list) and len(parts) == 2 and isinstance(parts[1], str)):
            return None
        identifier = servers.get(parts[0].get("Ref")) if isinstance(parts[0], dict) else None
        if not isinstance(identifier, str) or is_token(identifier):
            return None
        names.add(f"{identifier}{parts[1]}")
    return names


def rest_api_user_pool_authorizer(
    scope: Construct,
    id: str,
    *,
    user_pool: cognito.IUserPool,
    authorization_scopes: Sequence[Scope] = (),
    allow_id_tokens: bool = False,
    authorizer_name: str | None = None,
    identity_source: str | None = None,
    results_cache_ttl: Duration | None = None,
) -> RestApiAuthorization:
    """A REST API Cognito user pools authorizer for ``user_pool``.

    It accepts tokens of every app client of the pool (a REST API cannot restrict the client);
    without scopes a method takes ID tokens, with scopes an access token with one of them.

    Args:
        scope: The construct scope of the authorizer.
        id: The construct id of the authorizer.
        user_pool: The pool that issues the tokens.
        authorization_scopes: Scopes a method requires by default (a token needs one of them).
            Required unless ``allow_id_tokens=True``. Default: none.
        allow_id_tokens: Accept methods without scopes, which take ID tokens of every client of
            the pool as API credentials. Leaves a synth warning on the authorizer.
            Default: False.
        authorizer_name: Name of the authorizer in API Gateway. Default: the construct's
            unique id.
        identity_source: The request header with the token.
            Default: ``"method.request.header.Authorization"``.
        results_cache_ttl: How long API Gateway caches a decision.
            Default: ``Duration.minutes(5)``.

    Returns:
        The authorizer and ``method_options()`` for methods.

    Raises:
        ConfigurationError: A scope that is not a scope name, or no scopes without
            ``allow_id_tokens=True``.
    """
    problems = Problems("rest_api_user_pool_authorizer")
    _require_scopes(authorization_scopes, allow_id_tokens, "method", problems)
    scopes = _scope_names(authorization_scopes, "authorization_scopes", problems)
    problems.raise_if_any()
    authorizer = apigateway.CognitoUserPoolsAuthorizer(
        scope,
        id,
        cognito_user_pools=[user_pool],
        authorizer_name=authorizer_name,
        identity_source=identity_source,
        results_cache_ttl=results_cache_ttl,
    )
    if allow_id_tokens:
        Annotations.of(authorizer).add_warning_v2(
            ID_TOKENS_WARNING,
            "rest_api_user_pool_authorizer: allow_id_tokens=True: methods without "
            "authorization_scopes take ID tokens of every app client of the pool as API "
            "credentials; require a scope, or check token_use and the client in the backend.",
        )
    return RestApiAuthorization(
        authorizer=authorizer, authorization_scopes=scopes, allow_id_tokens=allow_id_tokens
    )
