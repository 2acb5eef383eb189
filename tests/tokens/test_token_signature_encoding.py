"""The RS256 check compares the whole PKCS#1 v1.5 encoded message (RFC 8017 section 8.2.2).

Signatures are made here with the raw RSA private operation over hand-built encoded messages,
so every near miss of the one valid encoding can be tried: each is refused by the verifier and,
as a cross-check, by ``cryptography``'s own ``verify``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from token_factory import CLIENT_ID, KID, NOW, POOL_ID, b64json, b64url, claims_for

from cognito_tokens import CognitoJwtVerifier, InvalidSignatureError, MalformedTokenError

SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
# The same DigestInfo without the NULL parameters, an encoding some verifiers once accepted.
SHA256_PREFIX_NO_NULL = bytes.fromhex("302f300b06096086480165030402010420")
K = 256  # bytes in a 2048-bit modulus


@pytest.fixture
def verifier(jwks: dict[str, Any]) -> CognitoJwtVerifier:
    return CognitoJwtVerifier(
        user_pool_id=POOL_ID, token_use="id", client_id=CLIENT_ID, jwks=jwks, clock=lambda: NOW
    )


@pytest.fixture(scope="module")
def signing_input() -> str:
    return f"{b64json({'kid': KID, 'alg': 'RS256'})}.{b64json(claims_for('id'))}"


def raw_sign(key: rsa.RSAPrivateKey, encoded: bytes) -> bytes:
    """The RSA private operation on ``encoded`` (RSASP1), with no padding of its own."""
    numbers = key.private_numbers()
    value = pow(int.from_bytes(encoded, "big"), numbers.d, numbers.public_numbers.n)
    return value.to_bytes(K, "big")


def encoded(t: bytes, *, ps: bytes | None = None, block_type: int = 1) -> bytes:
    """``0x00 || block_type || PS || 0x00 || T``, PS filling the rest with 0xFF unless given."""
    ps = b"\xff" * (K - 3 - len(t)) if ps is None else ps
    return bytes([0, block_type]) + ps + b"\x00" + t


Encoding = Callable[[bytes], bytes]

NEAR_MISSES: dict[str, Encoding] = {
    "SHA-256 DigestInfo without NULL parameters": lambda d: encoded(SHA256_PREFIX_NO_NULL + d),
    "bytes after the digest (short padding)": lambda d: encoded(
        SHA256_PREFIX + d + b"\x00" * 40, ps=b"\xff" * (K - 3 - len(SHA256_PREFIX) - 32 - 40)
    ),
    "garbage in the padding": lambda d: encoded(
        SHA256_PREFIX + d, ps=b"\xff" * 100 + b"\x01" + b"\xff" * (K - 3 - 51 - 101)
    ),
    "block type 2 (encryption padding)": lambda d: encoded(
        SHA256_PREFIX + d, ps=b"\x42" * (K - 3 - 51), block_type=2
    ),
    "the digest of other data": lambda d: encoded(SHA256_PREFIX + hashlib.sha256(d).digest()),
    "the DigestInfo of SHA-384 around the SHA-256 digest": lambda d: encoded(
        bytes.fromhex("3041300d060960864801650304020205000430") + d
    ),
    "no DigestInfo, the bare digest": lambda d: encoded(d),
}


def token_with(signing_input: str, signature: bytes) -> str:
    return f"{signing_input}.{b64url(signature)}"


def test_the_exact_encoding_is_accepted(
    verifier: CognitoJwtVerifier, signing_key: rsa.RSAPrivateKey, signing_input: str
) -> None:
    # Proves the hand-built signatures below are real ones: only the encoding differs.
    digest = hashlib.sha256(signing_input.encode()).digest()
    signature = raw_sign(signing_key, encoded(SHA256_PREFIX + digest))
    assert signature == signing_key.sign(
        signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    assert verifier.verify(token_with(signing_input, signature))["aud"] == CLIENT_ID


@pytest.mark.parametrize("encoding", list(NEAR_MISSES.values()), ids=list(NEAR_MISSES))
def test_fails_when_the_encoded_message_is_not_the_exact_pkcs1_v1_5_encoding(
    verifier: CognitoJwtVerifier,
    signing_key: rsa.RSAPrivateKey,
    signing_input: str,
    encoding: Encoding,
) -> None:
    digest = hashlib.sha256(signing_input.encode()).digest()
    signature = raw_sign(signing_key, encoding(digest))
    with pytest.raises(InvalidSignature):
        signing_key.public_key().verify(
            signature, signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    with pytest.raises(InvalidSignatureError, match=r"^signature: does not match the key"):
        verifier.verify(token_with(signing_input, signature))


def test_fails_when_the_token_is_signed_with_another_hash(
    verifier: CognitoJwtVerifier, signing_key: rsa.RSAPrivateKey, signing_input: str
) -> None:
    for algorithm in (hashes.SHA384(), hashes.SHA512(), hashes.SHA1()):
        signature = signing_key.sign(signing_input.encode(), padding.PKCS1v15(), algorithm)
        with pytest.raises(InvalidSignatureError):
            verifier.verify(token_with(signing_input, signature))


def test_fails_when_the_signature_value_is_not_below_the_modulus(
    verifier: CognitoJwtVerifier, signing_input: str
) -> None:
    with pytest.raises(InvalidSignatureError):
        verifier.verify(token_with(signing_input, b"\xff" * K))


def test_fails_when_the_signature_is_not_exactly_as_long_as_the_modulus(
    verifier: CognitoJwtVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    # A signature whose first byte is zero, spelled without it, has the same value: the raw
    # RSA operation would recover the right message from it, so the length check alone refuses.
    for i in range(5000):
        signing_input = (
            f"{b64json({'kid': KID, 'alg': 'RS256'})}.{b64json(claims_for('id', jti=str(i)))}"
        )
        signature = signing_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        if signature[0] == 0:
            break
    else:  # pragma: no cover - about one signature in 256 starts with a zero byte
        pytest.fail("no signature with a leading zero byte in 5000 tries")
    assert verifier.verify(token_with(signing_input, signature))["jti"] == str(i)
    for spelling in (signature[1:], b"\x00" + signature):
        with pytest.raises(InvalidSignatureError):
            verifier.verify(token_with(signing_input, spelling))


SPELLINGS: dict[str, Callable[[str], str]] = {
    "padded with '='": lambda s: s + "==",
    "'+' of standard base64": lambda s: "+" + s[1:],
    "'/' of standard base64": lambda s: "/" + s[1:],
    "a length of 4k + 1": lambda s: s + "AAA",
    "unused bits set in the last character": lambda s: s[:-1] + chr(ord(s[-1]) + 1),
    "white space inside": lambda s: s[:100] + " " + s[100:],
    "a non-ASCII character": lambda s: s[:-1] + "\u00e9",
}


@pytest.mark.parametrize("spell", list(SPELLINGS.values()), ids=list(SPELLINGS))
def test_fails_when_the_signature_is_not_canonical_base64url(
    verifier: CognitoJwtVerifier,
    signing_key: rsa.RSAPrivateKey,
    signing_input: str,
    spell: Callable[[str], str],
) -> None:
    signature = signing_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    segment = b64url(signature)
    assert len(segment) % 4 == 2 and verifier.verify(f"{signing_input}.{segment}")
    with pytest.raises(MalformedTokenError) as caught:
        verifier.verify(f"{signing_input}.{spell(segment)}")
    assert str(caught.value) == "signature: not base64url (or the token is not ASCII)"
