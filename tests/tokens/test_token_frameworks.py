"""cognito_tokens.fastapi and cognito_tokens.flask, through each framework's test client."""

from collections.abc import Callable
from typing import Annotated, Any

import flask
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from request_cases import CASES, SCOPE, Case
from token_factory import CLIENT_ID, NOW, POOL_ID, Mint, claims_for

from cognito_tokens import (
    AccessTokenClaims,
    AsyncCognitoJwtVerifier,
    Claims,
    CognitoJwtVerifier,
    JwksCache,
    JwksFetchError,
)
from cognito_tokens import fastapi as cognito_fastapi
from cognito_tokens import flask as cognito_flask

Get = Callable[[str, dict[str, str]], tuple[int, dict[str, str], Any]]


def _verifier(jwks: dict[str, Any], **overrides: Any) -> CognitoJwtVerifier:
    options: dict[str, Any] = {
        "user_pool_id": POOL_ID,
        "token_use": "access",
        "client_id": CLIENT_ID,
        "jwks": jwks,
        "clock": lambda: NOW,
    }
    options.update(overrides)
    return CognitoJwtVerifier(**options)


def fastapi_app(verifier: Any) -> Get:
    app = FastAPI()
    orders = cognito_fastapi.require_cognito(verifier, scopes=[SCOPE])
    admins = cognito_fastapi.require_cognito(verifier, groups=["root"])

    @app.get("/orders")
    async def read_orders(claims: Annotated[Claims, Depends(orders)]) -> dict[str, Any]:
        assert isinstance(claims, AccessTokenClaims)
        return {"sub": claims.sub, "scopes": list(claims.scopes)}

    @app.get("/admin")
    async def admin(claims: Annotated[Claims, Depends(admins)]) -> dict[str, str]:
        return {"sub": claims.sub}

    client = TestClient(app)

    def get(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        response = client.get(path, headers=headers)
        return response.status_code, dict(response.headers), response.json()

    return get


def flask_app(verifier: Any) -> Get:
    app = flask.Flask(__name__)

    @app.get("/orders")
    @cognito_flask.require_cognito(verifier, scopes=[SCOPE])
    def read_orders() -> dict[str, Any]:
        claims = cognito_flask.current_claims()
        assert isinstance(claims, AccessTokenClaims)
        return {"sub": claims.sub, "scopes": list(claims.scopes)}

    @app.get("/admin")
    @cognito_flask.require_cognito(verifier, groups=["root"])
    def admin() -> dict[str, str]:
        return {"sub": cognito_flask.current_claims().sub}

    client = app.test_client()

    def get(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        response = client.get(path, headers=headers)
        return response.status_code, dict(response.headers), response.get_json()

    return get


APPS = {"fastapi": fastapi_app, "flask": flask_app}


def _headers(token: str | None) -> dict[str, str]:
    return {} if token is None else {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("framework", APPS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_request_case_gets_its_status(
    framework: str, case: Case, jwks: dict[str, Any], mint: Mint
) -> None:
    get = APPS[framework](_verifier(jwks))
    status, headers, body = get("/orders", _headers(case.token(mint)))
    assert status == case.status
    assert headers.get("www-authenticate", headers.get("WWW-Authenticate")) == (
        case.www_authenticate
    )
    if case.status == 200:
        assert body == {"sub": claims_for("access")["sub"], "scopes": ["orders/read", "profile"]}
    else:
        detail = body["detail"] if framework == "fastapi" else body
        assert detail["error"] in ("missing_token", "invalid_token", "insufficient_scope")
        assert "eyJ" not in str(body)  # no token text in the answer


@pytest.mark.parametrize("framework", APPS)
def test_a_missing_group_is_403(framework: str, jwks: dict[str, Any], mint: Mint) -> None:
    get = APPS[framework](_verifier(jwks))
    status, headers, _ = get("/admin", _headers(mint(claims_for("access"))))
    assert status == 403
    assert {k.lower(): v for k, v in headers.items()}["www-authenticate"] == (
        'Bearer error="insufficient_scope"'
    )
    good = mint(claims_for("access", **{"cognito:groups": ["root"]}))
    assert get("/admin", _headers(good))[0] == 200


@pytest.mark.parametrize("framework", APPS)
@pytest.mark.parametrize("authorization", ["Basic dXNlcjpwdw==", "Bearer", "Bearer   ", "token"])
def test_an_authorization_header_without_a_bearer_token_is_missing(
    framework: str, authorization: str, jwks: dict[str, Any]
) -> None:
    status, headers, _ = APPS[framework](_verifier(jwks))(
        "/orders", {"Authorization": authorization}
    )
    assert status == 401
    assert {k.lower(): v for k, v in headers.items()}["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("framework", APPS)
def test_an_id_token_for_an_access_route_is_invalid(
    framework: str, jwks: dict[str, Any], mint: Mint
) -> None:
    status, headers, _ = APPS[framework](_verifier(jwks))(
        "/orders", _headers(mint(claims_for("id")))
    )
    assert status == 401
    assert {k.lower(): v for k, v in headers.items()}["www-authenticate"] == (
        'Bearer error="invalid_token"'
    )


@pytest.mark.parametrize("framework", APPS)
def test_an_unreachable_jwks_is_503(framework: str, mint: Mint) -> None:
    def down(uri: str) -> object:
        raise JwksFetchError("jwks: GET failed: down")

    verifier = _verifier(None, cache=JwksCache(fetcher=down))
    status, headers, _ = APPS[framework](verifier)("/orders", _headers(mint(claims_for("access"))))
    assert status == 503
    assert headers.get("retry-after", headers.get("Retry-After")) == "10"


def test_fastapi_takes_an_async_verifier_and_documents_the_bearer_scheme(
    jwks: dict[str, Any], mint: Mint
) -> None:
    verifier = AsyncCognitoJwtVerifier.wrap(_verifier(jwks))
    app = FastAPI()
    dependency = cognito_fastapi.require_cognito(verifier)

    @app.get("/me")
    async def me(claims: Annotated[Claims, Depends(dependency)]) -> dict[str, str]:
        return {"sub": claims.sub}

    client = TestClient(app)
    assert client.get("/me", headers=_headers(mint(claims_for("access")))).status_code == 200
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes == {
        "HTTPBearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "A Cognito user pool token",
        }
    }


def test_flask_current_claims_needs_the_decorator() -> None:
    app = flask.Flask(__name__)
    with app.test_request_context("/"), pytest.raises(RuntimeError, match="@require_cognito"):
        cognito_flask.current_claims()


@pytest.mark.parametrize("module", [cognito_fastapi, cognito_flask])
def test_fails_when_a_scope_has_white_space(module: Any, jwks: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"^scopes must be non-empty strings without spaces"):
        module.require_cognito(_verifier(jwks), scopes=["orders read"])
