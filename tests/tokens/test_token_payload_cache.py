"""The payload cache: a token verified again skips base64 and JSON, never the signature or the
clock, and the caller's copy of the claims is its own."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from token_factory import CLIENT_ID, NOW, POOL_ID, Mint, b64url, claims_for

from cognito_tokens import CognitoJwtVerifier, ExpiredTokenError, InvalidSignatureError
from cognito_tokens.verifier import _PAYLOAD_CACHE_SIZE


@pytest.fixture
def clock() -> list[float]:
    return [NOW]


@pytest.fixture
def verifier(jwks: dict[str, Any], clock: list[float]) -> CognitoJwtVerifier:
    return CognitoJwtVerifier(
        user_pool_id=POOL_ID, token_use="id", client_id=CLIENT_ID, jwks=jwks, clock=lambda: clock[0]
    )


def test_a_cached_payload_still_needs_its_signature(
    verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    token = mint(claims_for("id"))
    for _ in range(2):  # cached as decoded bytes, then as a template
        assert verifier.verify(token)["aud"] == CLIENT_ID
    header, payload, _ = token.split(".")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = mint(claims_for("id"), key=stranger)
    assert forged.split(".")[1] == payload  # the same payload, now cached, another signature
    with pytest.raises(InvalidSignatureError):
        verifier.verify(forged)
    with pytest.raises(InvalidSignatureError):
        verifier.verify(f"{header}.{payload}.{b64url(bytes(256))}")


def test_a_cached_payload_is_checked_against_the_clock_every_time(
    verifier: CognitoJwtVerifier, mint: Mint, clock: list[float]
) -> None:
    token = mint(claims_for("id"))
    assert verifier.verify(token) and verifier.verify(token)
    clock[0] = NOW + 3600 + 10
    with pytest.raises(ExpiredTokenError):
        verifier.verify(token)


def test_changing_the_returned_claims_does_not_change_later_results(
    verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    claims = claims_for("id", nested={"roles": ["a"]})
    token = mint(claims)
    # First use (decoded bytes cached), second (a template), third (a copy of the template).
    for _ in range(3):
        result = verifier.verify(token)
        assert result == claims
        result["aud"] = "changed"
        result["cognito:groups"].append("root")
        result["nested"]["roles"].append("b")
    assert verifier.verify(token) == claims


def test_the_payload_cache_stays_bounded(verifier: CognitoJwtVerifier, mint: Mint) -> None:
    for i in range(_PAYLOAD_CACHE_SIZE + 5):
        assert verifier.verify(mint(claims_for("id", jti=f"jti-{i}")))["jti"] == f"jti-{i}"
        assert 1 <= len(verifier._payloads) <= _PAYLOAD_CACHE_SIZE
