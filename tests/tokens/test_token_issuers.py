"""Issuer forms (original / updated, replicas) and one verifier for several pools or issuers."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from token_factory import (
    CLIENT_ID,
    KID,
    NOW,
    OTHER_CLIENT_ID,
    POOL_ID,
    Mint,
    claims_for,
    public_jwk,
)

from cognito_tokens import (
    CognitoJwtVerifier,
    JwksCache,
    MalformedTokenError,
    MultiIssuerVerifier,
    WrongAudienceError,
    WrongIssuerError,
    WrongTokenUseError,
    issuer_url,
    jwks_url,
)
from cognito_tokens.cli import main

ORIGINAL = f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
UPDATED = f"https://issuer-cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
REPLICA_REGION = "us-east-1"


def test_issuer_url_of_each_form() -> None:
    assert issuer_url(POOL_ID) == ORIGINAL
    assert issuer_url(POOL_ID, issuer_type="original") == ORIGINAL
    assert issuer_url(POOL_ID, issuer_type="updated") == UPDATED
    # An original issuer of a replica is hosted in the replica's Region.
    assert issuer_url(POOL_ID, region=REPLICA_REGION) == (
        f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
    )
    assert issuer_url("cn-north-1_AbC123", issuer_type="updated") == (
        "https://issuer-cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC123"
    )


def test_jwks_url_of_each_form_and_region() -> None:
    assert jwks_url(POOL_ID) == f"{ORIGINAL}/.well-known/jwks.json"
    assert jwks_url(POOL_ID, issuer_type="updated") == f"{UPDATED}/.well-known/jwks.json"
    assert jwks_url(POOL_ID, issuer_type="updated", region=REPLICA_REGION) == (
        f"https://issuer-cognito-idp.us-east-1.amazonaws.com/{POOL_ID}/.well-known/jwks.json"
    )


def test_fails_when_the_issuer_type_is_unknown() -> None:
    with pytest.raises(
        ValueError, match=r"^issuer_type must be 'original' or 'updated', got 'new'"
    ):
        issuer_url(POOL_ID, issuer_type="new")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"issuer_type must be 'original' or 'updated', got None"):
        CognitoJwtVerifier(
            user_pool_id=POOL_ID,
            token_use="id",
            client_id=CLIENT_ID,
            issuer_type=None,  # type: ignore[arg-type]
        )


def test_fails_when_an_updated_issuer_names_another_region() -> None:
    with pytest.raises(ValueError, match=r"an updated issuer always names the primary Region"):
        issuer_url(POOL_ID, issuer_type="updated", region=REPLICA_REGION)


def test_fails_when_the_region_is_not_a_region() -> None:
    with pytest.raises(
        ValueError, match=r"^region must be an AWS Region such as 'us-east-1', got 'x'"
    ):
        jwks_url(POOL_ID, region="x")


@pytest.fixture
def verifier_for(jwks: dict[str, Any]) -> Any:
    def _make(issuer_type: str, **options: Any) -> CognitoJwtVerifier:
        return CognitoJwtVerifier(
            user_pool_id=POOL_ID,
            token_use="id",
            client_id=CLIENT_ID,
            jwks=jwks,
            clock=lambda: NOW,
            issuer_type=issuer_type,  # type: ignore[arg-type]
            **options,
        )

    return _make


def test_updated_issuer_verifier_accepts_updated_tokens_and_refuses_original_ones(
    verifier_for: Any, mint: Mint
) -> None:
    verifier = verifier_for("updated")
    assert verifier.issuer == UPDATED
    assert verifier.jwks_uri == f"{UPDATED}/.well-known/jwks.json"
    assert verifier.verify(mint(claims_for("id", iss=UPDATED)))["iss"] == UPDATED
    with pytest.raises(WrongIssuerError) as caught:
        verifier.verify(mint(claims_for("id", iss=ORIGINAL)))
    assert (caught.value.actual, caught.value.expected) == (ORIGINAL, UPDATED)


def test_original_issuer_verifier_accepts_original_tokens_and_refuses_updated_ones(
    verifier_for: Any, mint: Mint
) -> None:
    verifier = verifier_for("original")
    assert verifier.verify(mint(claims_for("id", iss=ORIGINAL)))["iss"] == ORIGINAL
    with pytest.raises(WrongIssuerError) as caught:
        verifier.verify(mint(claims_for("id", iss=UPDATED)))
    assert (caught.value.actual, caught.value.expected) == (UPDATED, ORIGINAL)


def test_a_replica_region_fetches_the_updated_issuers_jwks_there(
    jwks: dict[str, Any], mint: Mint
) -> None:
    fetched: list[str] = []

    def fetcher(uri: str) -> object:
        fetched.append(uri)
        return jwks

    verifier = CognitoJwtVerifier(
        user_pool_id=POOL_ID,
        token_use="id",
        client_id=CLIENT_ID,
        issuer_type="updated",
        region=REPLICA_REGION,
        cache=JwksCache(fetcher=fetcher),
        clock=lambda: NOW,
    )
    # Tokens of either Region carry the primary's updated issuer.
    assert verifier.issuer == UPDATED
    assert verifier.verify(mint(claims_for("id", iss=UPDATED)))["sub"]
    assert fetched == [
        f"https://issuer-cognito-idp.us-east-1.amazonaws.com/{POOL_ID}/.well-known/jwks.json"
    ]


# --- several pools and issuers ------------------------------------------------------------------

TENANT_B = "us-east-1_TenantB2"
TENANT_B_ISSUER = f"https://issuer-cognito-idp.us-east-1.amazonaws.com/{TENANT_B}"


@pytest.fixture(scope="module")
def tenant_b_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def multi(jwks: dict[str, Any], tenant_b_key: rsa.RSAPrivateKey) -> MultiIssuerVerifier:
    common: dict[str, Any] = {"clock": lambda: NOW}
    return MultiIssuerVerifier(
        [
            CognitoJwtVerifier(
                user_pool_id=POOL_ID, token_use="id", client_id=CLIENT_ID, jwks=jwks, **common
            ),
            CognitoJwtVerifier(
                user_pool_id=POOL_ID,
                token_use="access",
                client_id=OTHER_CLIENT_ID,
                jwks=jwks,
                **common,
            ),
            CognitoJwtVerifier(
                user_pool_id=TENANT_B,
                token_use="access",
                client_id="tenantbclient",
                issuer_type="updated",
                jwks={"keys": [public_jwk(tenant_b_key, KID)]},
                **common,
            ),
        ]
    )


def test_multi_issuer_accepts_each_configured_issuer_and_token_use(
    multi: MultiIssuerVerifier, mint: Mint, tenant_b_key: rsa.RSAPrivateKey
) -> None:
    assert multi.verify(mint(claims_for("id")))["aud"] == CLIENT_ID
    access = claims_for("access", client_id=OTHER_CLIENT_ID)
    assert multi.verify(mint(access))["client_id"] == OTHER_CLIENT_ID
    tenant_b = claims_for("access", iss=TENANT_B_ISSUER, client_id="tenantbclient")
    assert multi.verify(mint(tenant_b, key=tenant_b_key))["iss"] == TENANT_B_ISSUER
    assert multi.issuers == (ORIGINAL, TENANT_B_ISSUER)


def test_multi_issuer_applies_each_issuers_own_clients(
    multi: MultiIssuerVerifier, mint: Mint
) -> None:
    # The ID verifier of the first pool allows CLIENT_ID only, the access verifier OTHER only.
    with pytest.raises(WrongAudienceError):
        multi.verify(mint(claims_for("access", client_id=CLIENT_ID)))


def test_multi_issuer_refuses_an_issuer_it_was_not_given(
    multi: MultiIssuerVerifier, mint: Mint
) -> None:
    other = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Stranger"
    with pytest.raises(WrongIssuerError) as caught:
        multi.verify(mint(claims_for("id", iss=other)))
    assert caught.value.expected == [ORIGINAL, TENANT_B_ISSUER]
    assert str(caught.value).startswith(f"iss: {other!r} is not one of the 2 accepted issuers")


def test_multi_issuer_refuses_a_token_signed_by_another_pools_key(
    multi: MultiIssuerVerifier, mint: Mint, tenant_b_key: rsa.RSAPrivateKey
) -> None:
    # Claiming the first pool's issuer with tenant B's key: the first pool's JWKS decides.
    from cognito_tokens import InvalidSignatureError

    with pytest.raises(InvalidSignatureError):
        multi.verify(mint(claims_for("id"), key=tenant_b_key))


def test_multi_issuer_refuses_a_token_use_it_was_not_given(
    multi: MultiIssuerVerifier, mint: Mint, tenant_b_key: rsa.RSAPrivateKey
) -> None:
    token = mint(claims_for("id", iss=TENANT_B_ISSUER, aud="tenantbclient"), key=tenant_b_key)
    with pytest.raises(WrongTokenUseError):
        multi.verify(token)
    with pytest.raises(WrongTokenUseError) as caught:
        multi.verify(mint(claims_for("id", token_use="refresh")))
    assert caught.value.expected == ["access", "id"]


def test_multi_issuer_refuses_malformed_tokens(multi: MultiIssuerVerifier) -> None:
    with pytest.raises(MalformedTokenError, match="expected 3 dot-separated parts"):
        multi.verify("a.b")
    with pytest.raises(MalformedTokenError, match="payload: not base64url-encoded JSON"):
        multi.verify("a.!!!.c")


def test_fails_when_two_verifiers_share_an_issuer_and_token_use(jwks: dict[str, Any]) -> None:
    one = CognitoJwtVerifier(user_pool_id=POOL_ID, token_use="id", client_id="a", jwks=jwks)
    two = CognitoJwtVerifier(user_pool_id=POOL_ID, token_use="id", client_id="b", jwks=jwks)
    with pytest.raises(ValueError, match=r"two verifiers for issuer .* and token_use 'id'"):
        MultiIssuerVerifier([one, two])
    with pytest.raises(ValueError, match="at least one"):
        MultiIssuerVerifier([])


def test_multi_issuer_takes_both_issuers_of_a_replicated_pool_with_original_issuers(
    jwks: dict[str, Any], mint: Mint
) -> None:
    replica_issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"
    multi = MultiIssuerVerifier(
        CognitoJwtVerifier(
            user_pool_id=POOL_ID,
            token_use="id",
            client_id=CLIENT_ID,
            region=region,
            jwks=jwks,
            clock=lambda: NOW,
        )
        for region in ("eu-west-1", REPLICA_REGION)
    )
    assert multi.verify(mint(claims_for("id")))["iss"] == ORIGINAL
    assert multi.verify(mint(claims_for("id", iss=replica_issuer)))["iss"] == replica_issuer


# --- the CLI ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issuer_type", "accepted", "refused"),
    [("updated", UPDATED, ORIGINAL), ("original", ORIGINAL, UPDATED)],
)
def test_cli_takes_the_issuer_type(
    tmp_path: Path,
    jwks: dict[str, Any],
    mint: Mint,
    issuer_type: str,
    accepted: str,
    refused: str,
) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks))
    args = ["--user-pool-id", POOL_ID, "--token-use", "id", "--any-client", "--jwks", str(path)]
    args += ["--issuer-type", issuer_type, "--leeway", "1e12"]  # fixed NOW in the past
    stdout, stderr = io.StringIO(), io.StringIO()
    good = mint(claims_for("id", iss=accepted))
    assert main(["verify", good, *args], stdout=stdout, stderr=stderr) == 0, stderr.getvalue()
    assert json.loads(stdout.getvalue())["iss"] == accepted
    stderr = io.StringIO()
    bad = mint(claims_for("id", iss=refused))
    assert main(["verify", bad, *args], stdout=io.StringIO(), stderr=stderr) == 1
    assert stderr.getvalue().startswith("cognito-token: refused: WrongIssuerError: iss: expected")


def test_cli_refuses_a_bad_issuer_type_as_usage() -> None:
    stderr = io.StringIO()
    args = ["verify", "a.b.c", "--user-pool-id", POOL_ID, "--token-use", "id", "--any-client"]
    assert main([*args, "--issuer-type", "new"], stderr=stderr) == 2
