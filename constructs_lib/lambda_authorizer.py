"""The bundled Lambda authorizer (``lambda_authorizer/api_authorizer.py``) for a user pool, and
the API Gateway authorizers that use it.

Use it where API Gateway's own Cognito authorizers fall short (see ``authorizers.py``): a REST
API that must restrict the app client or the token use, all of several scopes instead of one,
groups, or claim values; an HTTP API that must check groups or ``token_use``.

    auth = CognitoLambdaAuthorizer(
        self, "ApiAuthorizer", user_pool=pool, user_pool_clients=[web],
        required_scopes=["orders/read"], required_groups=["staff"],
    )
    rest_api.root.add_method("GET", integration, authorizer=auth.rest_token_authorizer())
    http_api.add_routes(path="/orders", integration=integration,
                        authorizer=auth.http_authorizer())

The function's asset holds the handler, ``cognito_tokens`` and a ``cryptography`` wheel for the
Lambda platform, installed by the local pip exactly as ``own_handler`` does (no Docker). Results
are cached by API Gateway under the ``Authorization`` header, i.e. the token; the handler's
docstring explains why that key is right.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jsii
from aws_cdk import AssetHashType, BundlingOptions, Duration, Fn, ILocalBundling
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.authorizers import Scope, scope_name
from constructs_lib.own_handler import (
    COPY_IGNORE,
    LocalPipBundling,
    Runner,
    _run,
    pip_platform,
    python_version,
)
from constructs_lib.triggers import TriggerFunction
from constructs_lib.user_pool import issuer_type_of
from constructs_lib.validation import Problems, is_token

TOKENS_IGNORE = (*COPY_IGNORE, "fastapi.py", "flask.py")
"""What the asset leaves out of ``cognito_tokens``: the framework integrations need FastAPI or
Flask, which a Lambda never has."""

HANDLER = "api_authorizer.handler"
"""The handler inside the asset (the ``lambda_authorizer`` folder is the asset's root)."""

IDENTITY_HEADER = "Authorization"
"""The only identity source: the cache key is the token and nothing else."""

_JSON_SCALARS = (str, int, float, bool)


def _folder(package: str) -> Path:
    return Path(str(resources.files(package)))


def _source_hash(*folders: Path, extra: str) -> str:
    """A hash of the handler and ``cognito_tokens`` sources and the target platform: the asset
    changes when any of them does (the folder hash alone would miss ``cognito_tokens``)."""
    digest = hashlib.sha256(extra.encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(folder.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@jsii.implements(ILocalBundling)
class AuthorizerBundling(LocalPipBundling):
    """``own_handler``'s local pip bundling of the handler folder (its ``requirements.txt``:
    ``cryptography``, a compiled wheel for the Lambda platform), plus ``cognito_tokens`` beside
    it.

    Args:
        folder: The handler folder (``lambda_authorizer``).
        tokens_folder: The ``cognito_tokens`` package folder.
        platform: The pip platform tag.
        python: The Lambda Python version.
        run: Runs a command; replaced in tests.
    """

    def __init__(
        self,
        folder: Path,
        *,
        tokens_folder: Path,
        platform: str,
        python: str,
        run: Runner = _run,
    ) -> None:
        super().__init__(folder, platform=platform, python=python, run=run)
        self.tokens_folder = tokens_folder

    def try_bundle(self, output_dir: str, *options: Any, **keywords: Any) -> bool:
        """Bundle the handler, its wheels and ``cognito_tokens`` into ``output_dir``."""
        super().try_bundle(output_dir, *options, **keywords)
        shutil.copytree(
            self.tokens_folder,
            Path(output_dir) / "cognito_tokens",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(*TOKENS_IGNORE),
        )
        return True


def authorizer_code(
    *,
    runtime: lambda_.Runtime = defaults.TRIGGER_RUNTIME,
    architecture: lambda_.Architecture = defaults.TRIGGER_ARCHITECTURE,
    run: Runner = _run,
) -> lambda_.Code:
    """The authorizer's code asset: handler, ``cognito_tokens`` and ``cryptography``."""
    folder, tokens = _folder("lambda_authorizer"), _folder("cognito_tokens")
    platform, python = pip_platform(architecture), python_version(runtime)
    return lambda_.Code.from_asset(
        str(folder),
        exclude=list(COPY_IGNORE),
        asset_hash_type=AssetHashType.CUSTOM,
        asset_hash=_source_hash(folder, tokens, extra=f"{platform} {python}"),
        bundling=BundlingOptions(
            image=runtime.bundling_image,
            local=AuthorizerBundling(
                folder, tokens_folder=tokens, platform=platform, python=python, run=run
            ),
            environment={"PIP_PLATFORM": platform, "PIP_PYTHON_VERSION": python},
            # The container sees the handler folder only, not cognito_tokens: refuse clearly.
            command=["bash", "-c", "echo 'bundled with the local pip only' >&2; exit 1"],
        ),
    )


def _names(values: Sequence[Any], argument: str, problems: Problems) -> list[str]:
    if isinstance(values, str):
        problems.add(f"{argument} must be a list of names, got the string {values!r}")
        return []
    names: list[str] = []
    for value in values:
        name = scope_name(value)  # a group name stays as it is
        if not isinstance(name, str) or (
            not is_token(name) and (not name or any(c.isspace() or c == "," for c in name))
        ):
            problems.add(f"{argument} must hold names without spaces or commas, got {name!r}")
        else:
            names.append(name)
    return names


class CognitoLambdaAuthorizer(Construct):
    """The bundled Lambda authorizer for ``user_pool``, with REST and HTTP API authorizers.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        user_pool: The pool that issues the tokens; its id goes into the environment.
        user_pool_clients: App clients whose tokens are accepted. Required unless
            ``any_client=True``. Default: none.
        any_client: Accept tokens of every app client of the pool, on purpose.
            Default: False.
        token_use: ``"access"`` or ``"id"``. Default: ``"access"``.
        issuer_type: The pool's issuer configuration, ``"original"`` or ``"updated"``
            (multi-Region replication). Default: read from the pool (``issuer_type_of``):
            ``"updated"`` for a pool replicated by this library, else ``"original"``.
        jwks_region: The Region to fetch the JWKS from (a replica's, next to the API).
            Default: the pool's Region.
        required_scopes: Scopes that must all be granted: names, ``cognito.OAuthScope``s or a
            resource server's ``CustomScope``s. Default: none.
        required_groups: Groups that must all be in ``cognito:groups``. Default: none.
        required_claims: Claim name to the values allowed for it. Default: none.
        http_response_type: What the function answers HTTP APIs (payload 2.0): ``"simple"`` or
            ``"iam"``; ``http_authorizer()`` configures the same. Default: ``"simple"``.
        results_cache_ttl: How long API Gateway caches a decision, keyed by the token.
            ``Duration.seconds(0)`` turns caching off. Default: 5 minutes.
        runtime: Default: the bundled triggers' runtime.
        architecture: Default: arm64.

    Attributes:
        function: The authorizer function.
        role: Its execution role.

    Raises:
        ConfigurationError: No clients without ``any_client=True``, both, a name with white
            space, scopes for ID tokens, a claim rule without values, a cache TTL above an hour.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        user_pool_clients: Sequence[cognito.IUserPoolClient] = (),
        any_client: bool = False,
        token_use: Literal["access", "id"] = "access",
        issuer_type: Literal["original", "updated"] | None = None,
        jwks_region: str | None = None,
        required_scopes: Sequence[Scope] = (),
        required_groups: Sequence[str] = (),
        required_claims: Mapping[str, Sequence[str | int | float | bool]] | None = None,
        http_response_type: Literal["simple", "iam"] = "simple",
        results_cache_ttl: Duration = defaults.AUTHORIZER_RESULTS_CACHE_TTL,
        runtime: lambda_.Runtime = defaults.TRIGGER_RUNTIME,
        architecture: lambda_.Architecture = defaults.TRIGGER_ARCHITECTURE,
    ) -> None:
        problems = Problems("CognitoLambdaAuthorizer")
        clients = list(user_pool_clients)
        problems.check(
            bool(clients) != any_client,
            "user_pool_clients must name at least one app client, or pass any_client=True to "
            f"accept every client of the pool on purpose (got {clients!r}, any_client="
            f"{any_client!r})",
        )
        problems.check(
            token_use in ("access", "id"),
            f"token_use must be 'access' or 'id', got {token_use!r}",
        )
        if issuer_type is None:
            issuer_type = issuer_type_of(user_pool)
        problems.check(
            issuer_type in ("original", "updated"),
            f"issuer_type must be 'original' or 'updated', got {issuer_type!r}",
        )
        problems.check(
            http_response_type in ("simple", "iam"),
            f"http_response_type must be 'simple' or 'iam', got {http_response_type!r}",
        )
        scopes = _names(required_scopes, "required_scopes", problems)
        groups = _names(required_groups, "required_groups", problems)
        problems.check(
            not (scopes and token_use == "id"),
            f"required_scopes={scopes!r} needs token_use='access': ID tokens carry no scope",
        )
        claims: dict[str, list[Any]] = {}
        for name, allowed in (required_claims or {}).items():
            values = [allowed] if isinstance(allowed, str) else list(allowed)
            if not values or not all(isinstance(v, _JSON_SCALARS) for v in values):
                problems.add(
                    f"required_claims[{name!r}] must be a non-empty list of strings, numbers "
                    f"or booleans, got {allowed!r}"
                )
            claims[name] = values
        # A Duration from a parameter is a token: API Gateway checks its range at deploy time.
        ttl = 0 if results_cache_ttl.is_unresolved() else results_cache_ttl.to_seconds()
        problems.check(
            0 <= ttl <= 3600,
            f"results_cache_ttl must be 0 to 3600 seconds (API Gateway's range), got {ttl!r}",
        )
        problems.raise_if_any()
        super().__init__(scope, construct_id)
        environment = {
            "USER_POOL_ID": user_pool.user_pool_id,
            "CLIENT_IDS": "ANY_CLIENT"
            if any_client
            else Fn.join(",", [c.user_pool_client_id for c in clients]),
            "TOKEN_USE": token_use,
            "ISSUER_TYPE": issuer_type,
            "HTTP_RESPONSE_TYPE": http_response_type,
        }
        if jwks_region:
            environment["JWKS_REGION"] = jwks_region
        if scopes:
            environment["REQUIRED_SCOPES"] = " ".join(scopes)
        if groups:
            environment["REQUIRED_GROUPS"] = " ".join(groups)
        if claims:
            environment["REQUIRED_CLAIMS"] = json.dumps(claims, separators=(",", ":"))
        self.http_response_type = http_response_type
        self.results_cache_ttl = results_cache_ttl
        handler = TriggerFunction(
            self,
            "Handler",
            handler=HANDLER,
            environment=environment,
            description="API Gateway Lambda authorizer for Cognito user pool tokens",
            code=authorizer_code(runtime=runtime, architecture=architecture),
            runtime=runtime,
            architecture=architecture,
        )
        self.function = handler.function
        self.role = handler.role

    def rest_token_authorizer(
        self, construct_id: str = "TokenAuthorizer"
    ) -> apigateway.TokenAuthorizer:
        """A REST API ``TOKEN`` authorizer reading the ``Authorization`` header.

        Args:
            construct_id: Default: ``"TokenAuthorizer"`` (keep it stable).
        """
        return apigateway.TokenAuthorizer(
            self,
            construct_id,
            handler=self.function,
            identity_source=apigateway.IdentitySource.header(IDENTITY_HEADER),
            results_cache_ttl=self.results_cache_ttl,
        )

    def rest_request_authorizer(
        self, construct_id: str = "RequestAuthorizer"
    ) -> apigateway.RequestAuthorizer:
        """A REST API ``REQUEST`` authorizer whose only identity source is ``Authorization``.

        Args:
            construct_id: Default: ``"RequestAuthorizer"`` (keep it stable).
        """
        return apigateway.RequestAuthorizer(
            self,
            construct_id,
            handler=self.function,
            identity_sources=[apigateway.IdentitySource.header(IDENTITY_HEADER)],
            results_cache_ttl=self.results_cache_ttl,
        )

    def http_authorizer(
        self, authorizer_id: str = "CognitoLambdaAuthorizer"
    ) -> authorizers.HttpLambdaAuthorizer:
        """An HTTP API Lambda authorizer (payload 2.0) with the function's response type.

        Args:
            authorizer_id: Default: ``"CognitoLambdaAuthorizer"`` (keep it stable).
        """
        response = (
            authorizers.HttpLambdaResponseType.SIMPLE
            if self.http_response_type == "simple"
            else authorizers.HttpLambdaResponseType.IAM
        )
        return authorizers.HttpLambdaAuthorizer(
            authorizer_id,
            self.function,
            identity_source=[f"$request.header.{IDENTITY_HEADER}"],
            response_types=[response],
            results_cache_ttl=self.results_cache_ttl,
        )
