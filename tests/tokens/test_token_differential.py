"""Differential test: cognito_tokens and PyJWT, configured alike, agree on every token of a corpus.

PyJWT runs with the equivalent checks (RS256 only, the pool's issuer, the client as audience for
ID tokens, the same leeway, ``exp``/``iat``/``iss`` required) and, like the verifier, picks the key
by ``kid``; ``token_use`` and an access token's ``client_id`` are checked on PyJWT's claims. Both
sides map their refusal to a category, so agreement means the same *reason*, not only "refused".

Only where PyJWT's verdict legitimately differs from a Cognito-specific rule are the two allowed
to disagree, each listed in ``KNOWN_DIFFERENCES`` with the reason; every other token must agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from token_factory import (
    CLIENT_ID,
    ISSUER,
    KID,
    OTHER_CLIENT_ID,
    POOL_ID,
    ROTATED_KID,
    Mint,
    b64json,
    b64url,
    claims_for,
)

import cognito_tokens as ct

LEEWAY = 5
RS256_HEADER = {"kid": KID, "alg": "RS256"}
SignRaw = Callable[[str, bytes], str]

OURS: dict[type[ct.TokenError], str] = {
    ct.ExpiredTokenError: "exp",
    ct.NotYetValidError: "not yet valid",
    ct.WrongIssuerError: "iss",
    ct.WrongAudienceError: "client",
    ct.WrongTokenUseError: "token_use",
    ct.InvalidSignatureError: "signature",
    ct.UnsupportedAlgorithmError: "alg",
    ct.UnknownKeyError: "kid",
    ct.MalformedTokenError: "malformed",
}


KNOWN_DIFFERENCES: dict[str, tuple[str, str, str]] = {
    # name: (our verdict, PyJWT's verdict, why)
    "aud list with the client": (
        "client",
        "valid",
        "RFC 7519 lets aud be a list, and PyJWT accepts one that contains the audience; Cognito "
        "always issues one client id as a string, so cognito_tokens refuses any other shape",
    ),
    "aud list of only the client": ("client", "valid", "as above: a list is not Cognito's shape"),
}


def ours(token: str, token_use: str) -> str:
    verifier = ct.CognitoJwtVerifier(
        user_pool_id=POOL_ID,
        token_use=token_use,  # type: ignore[arg-type]
        client_id=CLIENT_ID,
        jwks=JWKS,
        leeway=LEEWAY,
    )
    try:
        verifier.verify(token)
    except ct.TokenError as exc:
        return OURS[type(exc)]
    return "valid"


def pyjwt(token: str, token_use: str) -> str:
    try:
        header = jwt.get_unverified_header(token)
        kid = header.get("kid")
        key = KEYS.get(kid) if isinstance(kid, str) else None
        if key is None:  # what PyJWKClient would do, without the network
            if header.get("alg") != "RS256":
                return "alg"
            return "kid" if isinstance(kid, str) else "malformed"
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience=CLIENT_ID if token_use == "id" else None,
            issuer=ISSUER,
            leeway=LEEWAY,
            options={
                "require": ["exp", "iat", "iss"] + (["aud"] if token_use == "id" else []),
                "verify_aud": token_use == "id",
            },
        )
    except jwt.InvalidSignatureError:
        return "signature"
    except jwt.InvalidAlgorithmError:
        return "alg"
    except jwt.ExpiredSignatureError:
        return "exp"
    except jwt.ImmatureSignatureError:
        return "not yet valid"
    except jwt.InvalidIssuerError:
        return "iss"
    except jwt.InvalidAudienceError:
        return "client"
    except jwt.MissingRequiredClaimError as exc:
        return {"iss": "iss", "aud": "client"}.get(exc.claim, "malformed")
    except jwt.InvalidTokenError:  # DecodeError, InvalidIssuedAtError, an unsupported "crit"
        return "malformed"
    if claims.get("token_use") != token_use:
        return "token_use"
    if token_use == "access" and claims.get("client_id") != CLIENT_ID:
        return "client"
    return "valid"


JWKS: dict[str, Any] = {}
KEYS: dict[str, rsa.RSAPublicKey] = {}


@pytest.fixture(scope="module", autouse=True)
def _keys(jwks: dict[str, Any], signing_key: rsa.RSAPrivateKey) -> None:
    JWKS.update(jwks)
    KEYS[KID] = signing_key.public_key()


def corpus(
    mint: Mint, sign_raw: SignRaw, signing_key: rsa.RSAPrivateKey, other: rsa.RSAPrivateKey
) -> list[tuple[str, str, str, str]]:
    """(name, token, token use to verify as, expected verdict) for single-defect tokens."""
    now = time.time()

    def token(use: str, header: dict[str, Any] | None = None, **claims: Any) -> str:
        return mint(claims_for(use, now=now, **claims), header=header)

    public_pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    valid_id, valid_access = token("id"), token("access")
    claims = claims_for("id", now=now)
    hs256 = mint(claims, header={"kid": KID, "alg": "HS256"}, hmac_secret=public_pem)
    unknown_kid = mint(claims, header={"kid": ROTATED_KID, "alg": "RS256"}, key=other)
    changed = b64json(claims_for("id", now=now, sub="x"))
    other_client = token("access", client_id=OTHER_CLIENT_ID)
    # Same signature bytes, spelled differently: the last character's unused bits set.
    noncanonical = valid_id[:-1] + chr(ord(valid_id[-1]) + 1)
    head, _, sig = valid_id.split(".")
    rs256 = b64json({"kid": KID, "alg": "RS256"})
    t = int(now)
    return [
        ("valid id", valid_id, "id", "valid"),
        ("valid access", valid_access, "access", "valid"),
        ("aud list with the client", token("id", aud=["x", CLIENT_ID]), "id", "client"),
        ("aud list of only the client", token("id", aud=[CLIENT_ID]), "id", "client"),
        ("nbf in the past", token("id", nbf=t - 60), "id", "valid"),
        ("exp within leeway", token("id", exp=t - 2), "id", "valid"),
        ("iat within leeway", token("id", iat=t + 2), "id", "valid"),
        ("float exp", token("id", exp=now + 600.5), "id", "valid"),
        ("expired", token("id", exp=t - 3600), "id", "exp"),
        ("expired beyond leeway", token("access", exp=t - 30), "access", "exp"),
        ("nbf in the future", token("id", nbf=t + 600), "id", "not yet valid"),
        ("iat in the future", token("id", iat=t + 600), "id", "not yet valid"),
        ("exp missing", token("id", exp=...), "id", "malformed"),
        ("exp not a number", token("id", exp="soon"), "id", "malformed"),
        ("iat not a number", token("access", iat="now"), "access", "malformed"),
        ("iss another pool", token("id", iss=ISSUER + "x"), "id", "iss"),
        ("iss missing", token("access", iss=...), "access", "iss"),
        ("aud another client", token("id", aud=OTHER_CLIENT_ID), "id", "client"),
        ("aud missing", token("id", aud=...), "id", "client"),
        ("aud list without the client", token("id", aud=[OTHER_CLIENT_ID]), "id", "client"),
        ("aud a number", token("id", aud=42), "id", "client"),
        ("client_id another client", other_client, "access", "client"),
        ("client_id missing", token("access", client_id=...), "access", "client"),
        ("id token as access token", valid_id, "access", "token_use"),
        ("token_use missing", token("access", token_use=...), "access", "token_use"),
        ("signed by another key", mint(claims_for("id", now=now), key=other), "id", "signature"),
        ("payload changed", f"{head}.{changed}.{sig}", "id", "signature"),
        ("signature truncated", valid_id[:-2], "id", "signature"),  # 340 chars: canonical
        ("signature non-canonical", noncanonical, "id", "malformed"),
        ("signature empty", f"{head}.{valid_id.split('.')[1]}.", "id", "signature"),
        ("alg none", token("id", header={"kid": KID, "alg": "none"})[: -len(sig)], "id", "alg"),
        ("alg HS256 with the public key", hs256, "id", "alg"),
        ("alg RS512", token("id", header={"kid": KID, "alg": "RS512"}), "id", "alg"),
        ("alg ES256", token("id", header={"kid": KID, "alg": "ES256"}), "id", "alg"),
        ("unknown kid", unknown_kid, "id", "kid"),
        ("crit extension", token("id", header={**RS256_HEADER, "crit": ["x"]}), "id", "malformed"),
        ("one part", "abc", "id", "malformed"),
        ("two parts", "abc.def", "id", "malformed"),
        ("four parts", valid_id + ".x", "id", "malformed"),
        ("header not JSON", f"{b64url(b'{')}.{valid_id.split('.', 1)[1]}", "id", "malformed"),
        ("payload a JSON array", sign_raw(rs256, b"[]"), "id", "malformed"),
        ("payload not JSON", sign_raw(rs256, b"{nope"), "id", "malformed"),
    ]  # fmt: skip


def test_cognito_tokens_and_pyjwt_agree_on_every_token(
    mint: Mint,
    sign_raw: SignRaw,
    signing_key: rsa.RSAPrivateKey,
    rotated_key: rsa.RSAPrivateKey,
) -> None:
    cases = corpus(mint, sign_raw, signing_key, rotated_key)
    verdicts = {name: (ours(tok, use), pyjwt(tok, use), want) for name, tok, use, want in cases}
    disagreements = {name: v[:2] for name, v in verdicts.items() if v[0] != v[1]}
    assert disagreements == {name: known[:2] for name, known in KNOWN_DIFFERENCES.items()}
    assert {name: v[0] for name, v in verdicts.items()} == {
        name: v[2] for name, v in verdicts.items()
    }
    assert sum(v[0] == "valid" for v in verdicts.values()) == 6
    assert len(verdicts) == len(cases) == 42


def test_a_token_with_two_defects_is_refused_by_both(mint: Mint) -> None:
    # An access token checked as an ID token lacks aud *and* has the wrong token_use: PyJWT
    # reports the audience first, we report token_use (the more useful reason).
    access = mint(claims_for("access", now=time.time()))
    assert (ours(access, "id"), pyjwt(access, "id")) == ("token_use", "client")
