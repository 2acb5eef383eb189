"""Keys, a JWKS and a token minter for the token verifier tests (all generated per session)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

POOL_ID = "eu-west-1_TestPool1"
ISSUER = f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
JWKS_URI = f"{ISSUER}/.well-known/jwks.json"
CLIENT_ID = "testclient0123456789abcdef"
OTHER_CLIENT_ID = "otherclient0123456789abcde"
KID = "test-key-1"
ROTATED_KID = "test-key-2"
NOW = 1_800_000_000.0

Mint = Callable[..., str]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64json(value: object) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid, "n": b64url(n), "e": b64url(e)}


def claims_for(use: str, /, *, now: float = NOW, **overrides: Any) -> dict[str, Any]:
    """Claims shaped like Cognito's, valid at ``now`` for an hour."""
    claims: dict[str, Any] = {
        "sub": "7f1c2e4a-0000-4000-8000-000000000001",
        "iss": ISSUER,
        "token_use": use,
        "auth_time": int(now) - 10,
        "iat": int(now) - 10,
        "exp": int(now) + 3600,
        "jti": "5a0e7c2b-0000-4000-8000-000000000002",
        "origin_jti": "5a0e7c2b-0000-4000-8000-000000000003",
        "cognito:groups": ["admins", "staff"],
    }
    if use == "id":
        claims |= {"aud": CLIENT_ID, "cognito:username": "alice", "email": "alice@example.com"}
    else:
        claims |= {"client_id": CLIENT_ID, "username": "alice", "scope": "orders/read profile"}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not ...}


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def rotated_key() -> rsa.RSAPrivateKey:
    """A second pool key: not in ``jwks`` until a test "rotates" it in."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def jwks(signing_key: rsa.RSAPrivateKey) -> dict[str, Any]:
    return {"keys": [public_jwk(signing_key, KID)]}


@pytest.fixture(scope="session")
def rotated_jwks(signing_key: rsa.RSAPrivateKey, rotated_key: rsa.RSAPrivateKey) -> dict[str, Any]:
    return {"keys": [public_jwk(signing_key, KID), public_jwk(rotated_key, ROTATED_KID)]}


@pytest.fixture(scope="session")
def mint(signing_key: rsa.RSAPrivateKey) -> Mint:
    """``mint(claims, header=..., key=..., hmac_secret=..., signature=...)`` -> compact JWT."""

    def _mint(
        claims: Mapping[str, Any],
        *,
        header: Mapping[str, Any] | None = None,
        key: rsa.RSAPrivateKey | None = None,
        hmac_secret: bytes | None = None,
        signature: bytes | None = None,
    ) -> str:
        head = {"kid": KID, "alg": "RS256"} if header is None else dict(header)
        signing_input = f"{b64json(head)}.{b64json(dict(claims))}"
        if signature is None:
            if hmac_secret is not None:
                signature = hmac.new(hmac_secret, signing_input.encode(), hashlib.sha256).digest()
            else:
                signature = (key or signing_key).sign(
                    signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()
                )
        return f"{signing_input}.{b64url(signature)}"

    return _mint


@pytest.fixture(scope="session")
def sign_raw(signing_key: rsa.RSAPrivateKey) -> Callable[[str, bytes], str]:
    """``sign_raw(header_segment, payload_bytes)``: sign an arbitrary (even invalid) payload."""

    def _sign(header_segment: str, payload: bytes) -> str:
        signing_input = f"{header_segment}.{b64url(payload)}"
        signature = signing_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"

    return _sign
