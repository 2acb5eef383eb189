"""API Gateway Lambda authorizer for Cognito user pool tokens (REST and HTTP APIs).

Standard library plus ``cognito_tokens`` (and its ``cryptography``); no boto3. Deployed by
``constructs_lib.lambda_authorizer.CognitoLambdaAuthorizer``, which packages this module with
``cognito_tokens`` and a ``cryptography`` wheel for the Lambda platform. Nothing runs at import
time: the verifier is built on the first call and kept for the life of the execution
environment, with its JWKS cache.

Events (the format is read from the event itself):

- REST API, ``TOKEN`` authorizer: ``authorizationToken`` and ``methodArn``.
- REST API, ``REQUEST`` authorizer: the ``Authorization`` header and ``methodArn``.
- HTTP API payload format 1.0 (IAM policy responses): the same fields, and a ``version``.
- HTTP API payload format 2.0: the ``Authorization`` header and ``routeArn``; the answer is a
  simple response (``{"isAuthorized": ...}``) or an IAM policy, as ``HTTP_RESPONSE_TYPE`` says
  (it must match the authorizer's "enable simple responses" setting, which the event does not
  show).

Decisions:

- Token missing, malformed, forged, expired, of another pool, client or token use: REST answers
  401 (the function raises ``Exception("Unauthorized")``, API Gateway's convention); HTTP APIs
  answer 403 (``isAuthorized: false`` or a Deny policy; an HTTP API has no 401 from a Lambda).
- A valid token without every required scope and group, or failing a claim rule: a Deny
  (403 on both).
- The JWKS cannot be fetched: the function fails (500), so that the outage is not cached as
  a decision for the token.

Caching (``results_cache_ttl``): API Gateway caches the answer under the identity source, which
is the ``Authorization`` header alone, so the key is the token itself. That is correct only
because the decision depends on nothing but the token: the rules are the same for every route,
and the Allow policy names the whole stage (``<api>/<stage>/*``) rather than the method that
happened to come first; a cached Allow for one method would otherwise deny the next method with
the same token. A cached Allow can outlive the token's ``exp`` by up to the TTL.
See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-output.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html and
https://repost.aws/knowledge-center/api-gateway-lambda-authorization-errors

Environment:

- ``USER_POOL_ID`` (required): ``<region>_<id>``.
- ``CLIENT_IDS`` (required): comma-separated app client ids, or ``ANY_CLIENT`` to accept every
  client of the pool on purpose.
- ``TOKEN_USE``: ``access`` (default) or ``id``.
- ``ISSUER_TYPE``: ``original`` (default) or ``updated`` (multi-Region replication).
- ``JWKS_REGION``: the Region to fetch the JWKS from (a replica's). Default: the pool's.
- ``REQUIRED_SCOPES`` / ``REQUIRED_GROUPS``: space- or comma-separated; all are required.
- ``REQUIRED_CLAIMS``: a JSON object, claim name to the list of values allowed
  (``{"custom:tenant": ["acme"]}``).
- ``HTTP_RESPONSE_TYPE``: ``simple`` (default) or ``iam``.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from cognito_tokens import CognitoJwtVerifier

JWKS_TIMEOUT_SECONDS = 2.0
"""One JWKS request may take this long: well inside the function's 4 s timeout, so a stuck
endpoint ends in a clear failure of this call rather than a Lambda timeout."""

UNAUTHORIZED = "Unauthorized"
"""The exception message that makes a REST API answer 401."""


class ConfigurationError(ValueError):
    """An environment variable has a value the authorizer cannot use (logged, never shown)."""


def _log(level: str, message: str, **fields: object) -> None:
    import json

    print(json.dumps({"level": level, "message": message, **fields}, default=str), flush=True)


def _names(value: str) -> tuple[str, ...]:
    return tuple(value.replace(",", " ").split())


class Settings:
    """The authorizer's rules, read from the environment.

    Raises:
        ConfigurationError: A variable is missing or has a value the authorizer cannot use.
    """

    __slots__ = (
        "client_ids",
        "http_response_type",
        "issuer_type",
        "jwks_region",
        "required_claims",
        "required_groups",
        "required_scopes",
        "token_use",
        "user_pool_id",
    )

    def __init__(self, env: Mapping[str, str]) -> None:
        import json

        def choice(name: str, allowed: tuple[str, ...]) -> str:
            value = env.get(name, allowed[0]) or allowed[0]
            if value not in allowed:
                raise ConfigurationError(f"{name} must be one of {allowed!r}, got {value!r}")
            return value

        self.user_pool_id = env.get("USER_POOL_ID", "")
        if not self.user_pool_id:
            raise ConfigurationError("USER_POOL_ID is required, got ''")
        clients = env.get("CLIENT_IDS", "")
        if not clients.strip():
            raise ConfigurationError(
                "CLIENT_IDS is required: the app client ids, comma-separated, or ANY_CLIENT"
            )
        self.client_ids: tuple[str, ...] | None = (
            None if clients.strip() == "ANY_CLIENT" else _names(clients)
        )
        self.token_use = choice("TOKEN_USE", ("access", "id"))
        self.issuer_type = choice("ISSUER_TYPE", ("original", "updated"))
        self.jwks_region = env.get("JWKS_REGION") or None
        self.required_scopes = _names(env.get("REQUIRED_SCOPES", ""))
        self.required_groups = _names(env.get("REQUIRED_GROUPS", ""))
        if self.required_scopes and self.token_use == "id":
            raise ConfigurationError("REQUIRED_SCOPES needs TOKEN_USE=access: ID tokens carry none")
        raw = env.get("REQUIRED_CLAIMS", "") or "{}"
        try:
            claims = json.loads(raw)
        except ValueError:
            claims = None
        if not isinstance(claims, dict) or not all(
            isinstance(v, list) and v for v in claims.values()
        ):
            raise ConfigurationError(
                "REQUIRED_CLAIMS must be a JSON object of claim name to a non-empty list of "
                f'allowed values, e.g. {{"custom:tenant": ["acme"]}}, got {raw!r}'
            )
        self.required_claims: dict[str, list[Any]] = claims
        self.http_response_type = choice("HTTP_RESPONSE_TYPE", ("simple", "iam"))

    def verifier(self) -> CognitoJwtVerifier:
        """The verifier for these settings (imports ``cognito_tokens`` on first use)."""
        from cognito_tokens import ANY_CLIENT, CognitoJwtVerifier, JwksCache, UrllibFetcher

        try:
            return CognitoJwtVerifier(
                cache=JwksCache(fetcher=UrllibFetcher(timeout=JWKS_TIMEOUT_SECONDS)),
                user_pool_id=self.user_pool_id,
                token_use="id" if self.token_use == "id" else "access",
                client_id=ANY_CLIENT if self.client_ids is None else self.client_ids,
                issuer_type="updated" if self.issuer_type == "updated" else "original",
                region=self.jwks_region,
            )
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from exc


def _header(headers: object, name: str) -> str | None:
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name and isinstance(value, str):
            return value
    return None


def _token(value: str | None) -> str | None:
    """The JWT of an ``Authorization`` value: ``Bearer <jwt>``, or the bare JWT."""
    if not value:
        return None
    scheme, _, rest = value.strip().partition(" ")
    if not rest:
        return scheme or None
    if scheme.lower() != "bearer":
        return None
    return rest.strip() or None


def _stage_arn(arn: object) -> str:
    """``arn:...:<api>/<stage>/*`` of a method or route ARN (see the module docstring)."""
    if not isinstance(arn, str) or arn.count("/") < 2:
        return "*"  # pragma: no cover - API Gateway always sends one; never widen past it
    api, stage = arn.split("/", 2)[:2]
    return f"{api}/{stage}/*"


def _policy(principal: str, effect: str, resource: str, context: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }
    if context:
        response["context"] = context
    return response


def _broken_rule(settings: Settings, claims: Mapping[str, Any]) -> str | None:
    """Why a verified token is not allowed, or ``None`` when every rule holds."""
    scope = claims.get("scope")
    scopes = scope.split() if isinstance(scope, str) else []
    missing = [s for s in settings.required_scopes if s not in scopes]
    if missing:
        return f"missing scope(s) {' '.join(missing)}"
    groups = claims.get("cognito:groups")
    groups = groups if isinstance(groups, list) else []
    missing = [g for g in settings.required_groups if g not in groups]
    if missing:
        return f"missing group(s) {' '.join(missing)}"
    for name, allowed in settings.required_claims.items():
        if name not in claims or claims[name] not in allowed:
            return f"claim {name} is not an allowed value"
    return None


def _context(claims: Mapping[str, Any]) -> dict[str, Any]:
    """What the integration receives (``$context.authorizer.*``): strings only."""
    groups = claims.get("cognito:groups")
    context = {
        "sub": claims.get("sub"),
        "username": claims.get("username", claims.get("cognito:username")),
        "client_id": claims.get("client_id", claims.get("aud")),
        "token_use": claims.get("token_use"),
        "scope": claims.get("scope"),
        "groups": ",".join(g for g in groups if isinstance(g, str))
        if isinstance(groups, list)
        else None,
    }
    return {k: v for k, v in context.items() if isinstance(v, str)}


def authorize(event: Mapping[str, Any], settings: Settings, verifier: Any) -> dict[str, Any]:
    """The authorizer's answer to ``event`` (pure but for the JWKS fetch in ``verifier``).

    Raises:
        Exception: ``"Unauthorized"`` for a REST API and a token that is not valid (401).
        RuntimeError: The JWKS cannot be fetched (500, never cached).
    """
    from cognito_tokens import JwksFetchError, TokenError

    # HTTP APIs send a payload version ("1.0" for IAM responses, "2.0"); REST APIs send none.
    http_api = event.get("version") in ("1.0", "2.0")
    http_v2 = event.get("version") == "2.0"
    if http_v2:
        arn = event.get("routeArn")
        raw = _header(event.get("headers"), "authorization")
    else:
        arn = event.get("methodArn")
        raw = (
            event.get("authorizationToken")
            if event.get("type") == "TOKEN"
            else _header(event.get("headers"), "authorization")
        )
    resource = _stage_arn(arn)
    token = _token(raw if isinstance(raw, str) else None)
    claims: dict[str, Any] | None = None
    reason = "no bearer token"
    try:
        if token is not None:
            claims = verifier.verify(token)
    except JwksFetchError as exc:
        _log("error", "jwks unavailable", error=str(exc))
        raise RuntimeError("the user pool's keys cannot be fetched now") from exc
    except TokenError as exc:
        reason = f"{type(exc).__name__}: {exc}"
    if claims is None:
        _log("info", "token refused", reason=reason)
        if http_v2 and settings.http_response_type == "simple":
            return {"isAuthorized": False}
        if http_api:  # an HTTP API answers 500 to a failed function: deny instead (403)
            return _policy("anonymous", "Deny", resource, {})
        raise Exception(UNAUTHORIZED)
    broken = _broken_rule(settings, claims)
    principal = claims.get("sub") if isinstance(claims.get("sub"), str) else "unknown"
    context = _context(claims)
    if broken is not None:
        _log("info", "rule refused", reason=broken, sub=principal)
        if http_v2 and settings.http_response_type == "simple":
            return {"isAuthorized": False}
        return _policy(str(principal), "Deny", resource, {})
    if http_v2 and settings.http_response_type == "simple":
        return {"isAuthorized": True, "context": context}
    return _policy(str(principal), "Allow", resource, context)


_state: dict[str, Any] = {}


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """The Lambda entry point: settings and verifier are built once per execution environment."""
    if "verifier" not in _state:
        settings = Settings(os.environ)
        _state["settings"], _state["verifier"] = settings, settings.verifier()
    return authorize(event, _state["settings"], _state["verifier"])
