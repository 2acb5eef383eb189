"""The bundled API Gateway Lambda authorizer, from the fixtures in tests/events/api_authorizer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from token_factory import CLIENT_ID, NOW, POOL_ID, Mint, claims_for

from cognito_tokens import CognitoJwtVerifier, JwksCache, JwksFetchError
from lambda_authorizer import api_authorizer
from lambda_authorizer.api_authorizer import ConfigurationError, Settings, authorize

EVENTS = Path(__file__).resolve().parent.parent / "events" / "api_authorizer"
REST_STAGE = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/*"
HTTP_STAGE = "arn:aws:execute-api:eu-west-1:123456789012:f9e8d7c6b5/$default/*"
ENV = {"USER_POOL_ID": POOL_ID, "CLIENT_IDS": f"{CLIENT_ID},another-client"}


def event(name: str, token: str | None) -> dict[str, Any]:
    text = (EVENTS / f"{name}.json").read_text()
    if token is None:
        text = text.replace("Bearer {token}", "")
    return dict(json.loads(text.replace("{token}", token or "")))


def settings(**env: str) -> Settings:
    return Settings({**ENV, **env})


@pytest.fixture
def verifier(jwks: dict[str, Any]) -> CognitoJwtVerifier:
    return CognitoJwtVerifier(
        user_pool_id=POOL_ID,
        token_use="access",
        client_id=[CLIENT_ID],
        jwks=jwks,
        clock=lambda: NOW,
    )


def allow(principal: str, resource: str, **context: str) -> dict[str, Any]:
    return {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": resource}
            ],
        },
        "context": context,
    }


def deny(principal: str, resource: str) -> dict[str, Any]:
    policy = allow(principal, resource)
    policy["policyDocument"]["Statement"][0]["Effect"] = "Deny"
    del policy["context"]
    return policy


SUB = claims_for("access")["sub"]
CONTEXT = {
    "sub": SUB,
    "username": "alice",
    "client_id": CLIENT_ID,
    "token_use": "access",
    "scope": "orders/read profile",
    "groups": "admins,staff",
}


@pytest.mark.parametrize("name", ["rest_token", "rest_request", "http_v1"])
def test_rest_style_events_allow_a_good_token_for_the_whole_stage(
    name: str, verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    answer = authorize(event(name, mint(claims_for("access"))), settings(), verifier)
    stage = REST_STAGE if name.startswith("rest") else HTTP_STAGE
    assert answer == allow(SUB, stage, **CONTEXT)


def test_http_v2_simple_response_allows_a_good_token(
    verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    answer = authorize(event("http_v2", mint(claims_for("access"))), settings(), verifier)
    assert answer == {"isAuthorized": True, "context": CONTEXT}


def test_http_v2_iam_response_allows_a_good_token(verifier: CognitoJwtVerifier, mint: Mint) -> None:
    answer = authorize(
        event("http_v2", mint(claims_for("access"))),
        settings(HTTP_RESPONSE_TYPE="iam"),
        verifier,
    )
    assert answer == allow(SUB, HTTP_STAGE, **CONTEXT)


BAD_TOKENS = {
    "missing": lambda mint: None,
    "expired": lambda mint: mint(claims_for("access", exp=int(NOW) - 60)),
    "garbage": lambda mint: "not.a.jwt",
    "id token": lambda mint: mint(claims_for("id")),
    "other client": lambda mint: mint(claims_for("access", client_id="stranger")),
    "forged": lambda mint: mint(claims_for("access"), signature=b"\0" * 256),
}


@pytest.mark.parametrize("bad", BAD_TOKENS)
@pytest.mark.parametrize("name", ["rest_token", "rest_request"])
def test_rest_api_events_answer_401_for_a_bad_token(
    name: str, bad: str, verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(event(name, BAD_TOKENS[bad](mint)), settings(), verifier)


@pytest.mark.parametrize("bad", BAD_TOKENS)
def test_http_v2_events_deny_a_bad_token(
    bad: str, verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    token = BAD_TOKENS[bad](mint)
    assert authorize(event("http_v2", token), settings(), verifier) == {"isAuthorized": False}
    iam = authorize(event("http_v2", token), settings(HTTP_RESPONSE_TYPE="iam"), verifier)
    assert iam == deny("anonymous", HTTP_STAGE)


@pytest.mark.parametrize(
    ("env", "claims"),
    [
        ({"REQUIRED_SCOPES": "orders/write"}, {}),
        ({"REQUIRED_SCOPES": "orders/read,orders/write"}, {}),
        ({"REQUIRED_GROUPS": "root"}, {}),
        ({"REQUIRED_CLAIMS": '{"custom:tenant": ["acme"]}'}, {"custom:tenant": "globex"}),
        ({"REQUIRED_CLAIMS": '{"custom:tenant": ["acme"]}'}, {}),
    ],
    ids=["scope", "one of two scopes", "group", "claim value", "claim missing"],
)
def test_a_valid_token_that_breaks_a_rule_is_denied(
    env: dict[str, str], claims: dict[str, Any], verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    token = mint(claims_for("access", **claims))
    assert authorize(event("rest_token", token), settings(**env), verifier) == deny(SUB, REST_STAGE)
    simple = authorize(event("http_v2", token), settings(**env), verifier)
    assert simple == {"isAuthorized": False}


def test_a_token_that_meets_every_rule_is_allowed(verifier: CognitoJwtVerifier, mint: Mint) -> None:
    env = {
        "REQUIRED_SCOPES": "orders/read profile",
        "REQUIRED_GROUPS": "admins",
        "REQUIRED_CLAIMS": '{"custom:tenant": ["acme", "globex"]}',
    }
    token = mint(claims_for("access", **{"custom:tenant": "globex"}))
    answer = authorize(event("rest_request", token), settings(**env), verifier)
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def test_an_unreachable_jwks_fails_the_call_instead_of_caching_a_deny(mint: Mint) -> None:
    def down(uri: str) -> object:
        raise JwksFetchError("jwks: GET failed: down")

    verifier = CognitoJwtVerifier(
        user_pool_id=POOL_ID, token_use="access", client_id=CLIENT_ID, cache=JwksCache(fetcher=down)
    )
    with pytest.raises(RuntimeError, match="keys cannot be fetched now"):
        authorize(event("http_v2", mint(claims_for("access"))), settings(), verifier)


def test_the_bare_token_without_bearer_is_accepted_and_other_schemes_are_not(
    verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    token = mint(claims_for("access"))
    bare = event("rest_token", token) | {"authorizationToken": token}
    assert authorize(bare, settings(), verifier)["principalId"] == SUB
    basic = event("rest_token", token) | {"authorizationToken": f"Basic {token}"}
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(basic, settings(), verifier)


def test_handler_builds_the_verifier_once_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, jwks: dict[str, Any], mint: Mint
) -> None:
    monkeypatch.setattr(api_authorizer, "_state", {})
    for name, value in (ENV | {"TOKEN_USE": "access", "ISSUER_TYPE": "updated"}).items():
        monkeypatch.setenv(name, value)
    built = api_authorizer.handler  # first call builds; prove it with the verifier's issuer
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        built(event("rest_token", None), None)
    verifier = api_authorizer._state["verifier"]
    assert verifier.issuer == f"https://issuer-cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
    assert verifier.client_ids == frozenset({CLIENT_ID, "another-client"})
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        built(event("rest_token", None), None)
    assert api_authorizer._state["verifier"] is verifier


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"USER_POOL_ID": ""}, "USER_POOL_ID is required"),
        ({"CLIENT_IDS": " "}, "CLIENT_IDS is required"),
        ({"TOKEN_USE": "refresh"}, "TOKEN_USE must be one of ('access', 'id'), got 'refresh'"),
        ({"ISSUER_TYPE": "new"}, "ISSUER_TYPE must be one of ('original', 'updated')"),
        ({"HTTP_RESPONSE_TYPE": "v1"}, "HTTP_RESPONSE_TYPE must be one of ('simple', 'iam')"),
        ({"REQUIRED_CLAIMS": '["acme"]'}, "REQUIRED_CLAIMS must be a JSON object"),
        ({"REQUIRED_CLAIMS": '{"t": []}'}, "REQUIRED_CLAIMS must be a JSON object"),
        ({"TOKEN_USE": "id", "REQUIRED_SCOPES": "a"}, "REQUIRED_SCOPES needs TOKEN_USE=access"),
    ],
)
def test_fails_when_the_environment_is_unusable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        settings(**env)


def test_fails_when_the_pool_id_is_unusable() -> None:
    with pytest.raises(ConfigurationError, match="user_pool_id must look like"):
        settings(USER_POOL_ID="not-a-pool").verifier()


def test_any_client_is_an_explicit_setting(jwks: dict[str, Any]) -> None:
    assert settings(CLIENT_IDS="ANY_CLIENT").client_ids is None


def test_a_jwks_fetch_ends_well_inside_the_functions_timeout() -> None:
    from constructs_lib import defaults

    verifier = settings().verifier()
    fetcher = verifier.cache._fetcher
    assert fetcher.timeout == api_authorizer.JWKS_TIMEOUT_SECONDS == 2.0  # type: ignore[attr-defined]
    # One fetch at most per call (one request at a time per execution environment).
    assert defaults.TRIGGER_TIMEOUT.to_seconds() / 2 >= api_authorizer.JWKS_TIMEOUT_SECONDS
