"""Typed claims: IdTokenClaims / AccessTokenClaims read Cognito's claims; the raw mapping stays."""

from __future__ import annotations

import pytest
from token_factory import CLIENT_ID, ISSUER, NOW, claims_for

from cognito_tokens import (
    AccessTokenClaims,
    IdTokenClaims,
    MalformedTokenError,
    typed_claims,
)


def test_id_token_claims() -> None:
    raw = claims_for("id", **{"custom:tenant": "acme", "email_verified": "true"})
    claims = IdTokenClaims.from_claims(raw)
    assert claims.sub == raw["sub"]
    assert claims.iss == ISSUER
    assert claims.aud == CLIENT_ID
    assert claims.username == "alice"
    assert claims.email == "alice@example.com"
    assert claims.email_verified is True
    assert claims.groups == ("admins", "staff")
    assert claims.in_group("admins") and not claims.in_group("root")
    assert claims.origin_jti == raw["origin_jti"]
    assert claims.auth_time == int(NOW) - 10
    assert dict(claims.custom) == {"tenant": "acme"}
    assert claims.raw["custom:tenant"] == "acme"
    assert dict(claims.raw) == raw


def test_access_token_claims() -> None:
    raw = claims_for("access")
    claims = AccessTokenClaims.from_claims(raw)
    assert claims.client_id == CLIENT_ID
    assert claims.scopes == ("orders/read", "profile")
    assert claims.has_scope("profile") and not claims.has_scope("orders/write")
    assert claims.username == "alice"
    assert claims.token_use == "access"


def test_typed_claims_picks_by_token_use() -> None:
    assert isinstance(typed_claims(claims_for("id")), IdTokenClaims)
    assert isinstance(typed_claims(claims_for("access")), AccessTokenClaims)


def test_the_raw_mapping_is_read_only() -> None:
    claims = typed_claims(claims_for("id"))
    with pytest.raises(TypeError):
        claims.raw["sub"] = "someone-else"  # type: ignore[index]


def test_a_user_in_no_group_has_no_groups() -> None:
    assert typed_claims(claims_for("access", **{"cognito:groups": ...})).groups == ()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"token_use": "access"}, r"^token_use: IdTokenClaims needs 'id', got 'access'$"),
        ({"cognito:groups": "admins"}, r"^cognito:groups: must be a list of strings"),
        ({"sub": 7}, r"^sub: must be a string, got 7$"),
        ({"email_verified": "yes"}, r"^email_verified: must be a boolean, got 'yes'$"),
        ({"auth_time": "now"}, r"^auth_time: must be a number"),
    ],
)
def test_fails_when_a_claim_has_the_wrong_type(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(MalformedTokenError, match=message):
        IdTokenClaims.from_claims(claims_for("id", **overrides))


def test_fails_when_access_claims_are_read_from_an_id_token() -> None:
    with pytest.raises(MalformedTokenError, match="AccessTokenClaims needs 'access', got 'id'"):
        AccessTokenClaims.from_claims(claims_for("id"))
