"""Fixtures for the token verifier tests: keys and JWKS generated per session, a token minter.

Every test here runs twice: with the ``speedups`` extra's decoders (installed by the ``dev``
extra) and with the standard library's, which are what a process without the extra uses.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from token_factory import KID, ROTATED_KID, Mint, b64json, b64url, public_jwk

import cognito_tokens.verifier as verifier_module
from cognito_tokens._decoding import NATIVE, STDLIB, Decoders

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A deprecation warning from the verifier's path fails its test (pybase64, for one, warns
    before it refuses input in a later version)."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.filterwarnings("error::DeprecationWarning"))


@pytest.fixture(
    autouse=True,
    params=[d for d in (NATIVE, STDLIB) if d is not None],
    ids=lambda d: f"{d.name}-decoders",
)
def decoders(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Decoders:
    """The verifier's hot-path decoders for this test (test_token_decoding checks NATIVE loads)."""
    chosen: Decoders = request.param
    monkeypatch.setattr(verifier_module, "_signature_bytes", chosen.signature)
    monkeypatch.setattr(verifier_module, "_payload_bytes", chosen.payload)
    monkeypatch.setattr(verifier_module, "_payload_value", chosen.value)
    return chosen


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
