"""Constants and helpers to mint Cognito-shaped tokens in the token verifier tests.

A plain module with a unique name (not ``conftest``), so test modules can import it by name.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

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
