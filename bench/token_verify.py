"""Token verification throughput, as a multiple of one raw RSA-2048 PKCS#1 v1.5 SHA-256 verify.

Run: ``.venv/bin/python -m bench.token_verify [--number N] [--rounds R]``

All contenders verify the same Cognito-shaped ID token with equivalent checks (RS256 only,
signature, ``exp``/``iat`` with 5 s leeway, ``iss``, ``aud``, ``token_use``), each with its key
loaded once up front. Rounds are interleaved, so a noisy neighbour slows every contender alike
instead of one of them; the best round of each is reported, and the median of each round's
ratio to the raw verify of the same round.

``cognito_tokens`` verifies the signature on every call but decodes a payload it has seen
before from a small cache (a client sends one token for many requests). So it is measured
twice: on the same token, as every other contender, and on a new token every call (cycling
through more tokens than the cache holds), which is the cost of a token's first use. Each is
compared with a raw verify of the same token(s): the raw verify of one token, and the raw verify
cycling through the same new tokens (a new message to hash each call costs a little more). The
new-token case runs with the decoders in use (the ``speedups`` extra's, when installed) and
with the standard library's. Last, the steps that no verifier can skip for a first-time token
(two base64 decodes, the JSON parse, the SHA-256 and the RSA operation) are timed alone, to
show what is left above their sum.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import cryptography
import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from joserfc import jwt as jose_jwt
from joserfc.jwk import RSAKey

import cognito_tokens.verifier as verifier_module
from cognito_tokens import CognitoJwtVerifier
from cognito_tokens._decoding import DEFAULT, STDLIB, Decoders
from cognito_tokens.verifier import _PAYLOAD_CACHE_SIZE

POOL_ID = "eu-west-1_BenchPool1"
ISSUER = f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
CLIENT_ID = "benchclient0123456789abcde"
KID = "bench-key-1"
LEEWAY = 5
TARGET = 1.25


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _fixture() -> tuple[rsa.RSAPrivateKey, dict[str, Any], str]:
    """A fresh key, its JWKS and an ID token shaped like Cognito's (valid for an hour)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "alg": "RS256",
        "use": "sig",
        "kid": KID,
        "n": _b64url(numbers.n.to_bytes(256, "big")),
        "e": _b64url(numbers.e.to_bytes(3, "big")),
    }
    now = int(time.time())
    claims = {
        "sub": "7f1c2e4a-0000-4000-8000-000000000001",
        "cognito:groups": ["admins"],
        "email_verified": True,
        "iss": ISSUER,
        "cognito:username": "alice",
        "origin_jti": "5a0e7c2b-0000-4000-8000-000000000003",
        "aud": CLIENT_ID,
        "event_id": "0b1c2d3e-0000-4000-8000-000000000004",
        "token_use": "id",
        "auth_time": now,
        "exp": now + 3600,
        "iat": now,
        "jti": "5a0e7c2b-0000-4000-8000-000000000002",
        "email": "alice@example.com",
    }
    header = _b64url(json.dumps({"kid": KID, "alg": "RS256"}).encode())
    payload = _b64url(json.dumps(claims).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), SHA256())
    return key, {"keys": [jwk]}, f"{header}.{payload}.{_b64url(signature)}"


def _fresh_tokens(key: rsa.RSAPrivateKey, token: str, count: int) -> list[str]:
    """``count`` tokens like ``token`` that differ in ``jti``: each payload is new to a cache."""
    header, payload, _ = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    tokens = []
    for i in range(count):
        claims["jti"] = f"5a0e7c2b-0000-4000-8000-{i:012d}"
        body = _b64url(json.dumps(claims).encode())
        signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), SHA256())
        tokens.append(f"{header}.{body}.{_b64url(signature)}")
    return tokens


def use_decoders(decoders: Decoders) -> None:
    """Make the verifier's hot path use ``decoders`` (switched between rounds, never in one)."""
    verifier_module._signature_bytes = decoders.signature
    verifier_module._payload_bytes = decoders.payload
    verifier_module._payload_value = decoders.value


class Contender:
    """One zero-argument call, the raw verify it is compared with, and the decoders it uses."""

    def __init__(
        self, call: Callable[[], object], baseline: str, decoders: Decoders = DEFAULT
    ) -> None:
        self.call, self.baseline, self.decoders = call, baseline, decoders


RAW = "raw cryptography verify"
RAW_NEW = "raw verify, new token"
OURS = "cognito_tokens"
OURS_NEW = "cognito_tokens, new token"
OURS_NEW_STDLIB = "new token, stdlib decoders"


def contenders(key: rsa.RSAPrivateKey, jwks: dict[str, Any], token: str) -> dict[str, Contender]:
    """Every contender, each checked once to accept the token."""
    public_key = key.public_key()
    pkcs1, sha256 = padding.PKCS1v15(), SHA256()

    def raw_inputs(token: str) -> tuple[bytes, bytes]:
        signing_input, _, signature_b64 = token.rpartition(".")
        return base64.urlsafe_b64decode(signature_b64 + "=="), signing_input.encode()

    signature, message = raw_inputs(token)

    def raw() -> None:
        public_key.verify(signature, message, pkcs1, sha256)

    new_tokens = _fresh_tokens(key, token, 2 * _PAYLOAD_CACHE_SIZE)
    next_raw = itertools.cycle([raw_inputs(t) for t in new_tokens]).__next__

    def raw_new() -> None:
        signature, message = next_raw()
        public_key.verify(signature, message, pkcs1, sha256)

    def verifier() -> CognitoJwtVerifier:
        return CognitoJwtVerifier(
            user_pool_id=POOL_ID, token_use="id", client_id=CLIENT_ID, jwks=jwks, leeway=LEEWAY
        )

    def new_token_verify() -> Callable[[], object]:
        fresh, next_token = verifier(), itertools.cycle(new_tokens).__next__
        return lambda: fresh.verify(next_token())

    ours = verifier()

    def pyjwt_decode() -> dict[str, Any]:
        claims: dict[str, Any] = pyjwt.decode(
            token,
            public_key,
            algorithms=["RS256"],
            audience=CLIENT_ID,
            issuer=ISSUER,
            leeway=LEEWAY,
            options={"require": ["exp", "iat", "iss", "aud"]},
        )
        if claims.get("token_use") != "id":
            raise ValueError("token_use")
        return claims

    jose_key = RSAKey.import_key(jwks["keys"][0])
    registry = jose_jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": CLIENT_ID},
        token_use={"essential": True, "value": "id"},
        exp={"essential": True},
        iat={"essential": True},
    )

    def joserfc_decode() -> dict[str, Any]:
        decoded = jose_jwt.decode(token, jose_key, algorithms=["RS256"])
        registry.validate(decoded.claims)
        return decoded.claims

    calls = {
        RAW: Contender(raw, RAW),
        RAW_NEW: Contender(raw_new, RAW_NEW),
        OURS: Contender(lambda: ours.verify(token), RAW),
        OURS_NEW: Contender(new_token_verify(), RAW_NEW),
        "PyJWT (loaded key)": Contender(pyjwt_decode, RAW),
        "joserfc (loaded key)": Contender(joserfc_decode, RAW),
    }
    if DEFAULT is not STDLIB:
        calls[OURS_NEW_STDLIB] = Contender(new_token_verify(), RAW_NEW, STDLIB)
    for name, contender in calls.items():
        use_decoders(contender.decoders)
        result = contender.call()
        assert contender.baseline == name or result, name
    use_decoders(DEFAULT)
    return calls


def measure(calls: dict[str, Contender], *, number: int, rounds: int) -> dict[str, list[float]]:
    """Seconds per call of each contender in each of the interleaved rounds."""
    for contender in calls.values():  # warm-up: caches, lazy imports, branch predictors
        use_decoders(contender.decoders)
        for _ in range(max(1, number // 10)):
            contender.call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, contender in calls.items():
            use_decoders(contender.decoders)
            call = contender.call
            start = time.perf_counter()
            for _ in range(number):
                call()
            times[name].append((time.perf_counter() - start) / number)
    use_decoders(DEFAULT)
    return times


def breakdown(token: str, jwks: dict[str, Any], *, number: int, rounds: int) -> dict[str, float]:
    """Best seconds per call of each step a first-time token needs, each timed on its own.

    Each step runs in a tight loop of its own (interleaved rounds, as ``measure``), so its
    code and data stay in the CPU caches: inside a verification the same steps cost more. The
    decoding steps are timed with the decoders in use and, when those are the ``speedups``
    extra's, with the standard library's.

    The floor under ``cognito_tokens``: no verifier can skip these steps, so their sum next to
    the raw verify shows how much of the rest is the verifier's own bookkeeping.
    """
    from cognito_tokens._decoding import PADS
    from cognito_tokens.jwks import KeySet
    from cognito_tokens.verifier import _PADDING

    key = KeySet.parse(jwks, source="bench").keys[KID]
    first, second = token.find("."), token.rfind(".")
    signature_b64 = token[second + 1 :]
    signature_b64 += PADS[len(signature_b64) & 3]
    payload_b64 = token[first + 1 : second]
    signature = STDLIB.signature(signature_b64)
    payload = STDLIB.payload(payload_b64)
    signing_input = token[:second].encode("ascii")
    steps: dict[str, Contender] = {}
    for decoders in dict.fromkeys((DEFAULT, STDLIB)):
        which = f" ({decoders.name})"
        steps["base64 of the signature" + which] = Contender(
            lambda d=decoders: d.signature(signature_b64), ""
        )
        steps["base64 of the payload" + which] = Contender(
            lambda d=decoders: d.payload(payload_b64), ""
        )
        steps["JSON of the payload" + which] = Contender(lambda d=decoders: d.value(payload), "")
    steps["SHA-256 of the signed text"] = Contender(
        lambda: hashlib.sha256(signing_input).digest(), ""
    )
    steps["RSA public operation"] = Contender(
        lambda: key.recover_data_from_signature(signature, _PADDING, None), ""
    )
    return {
        name: min(rounds) for name, rounds in measure(steps, number=number, rounds=rounds).items()
    }


def _decoder_versions() -> str:
    if DEFAULT is STDLIB:
        return "stdlib (the speedups extra is not installed)"
    from importlib.metadata import version

    return f"native (pybase64 {version('pybase64')}, msgspec {version('msgspec')}) and stdlib"


def main(argv: list[str] | None = None) -> int:
    """Print µs/op and the ratio to the raw verify for each contender (a report, never a gate)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--number", type=int, default=2000, help="calls per round")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds")
    args = parser.parse_args(argv)
    key, jwks, token = _fixture()
    calls = contenders(key, jwks, token)
    times = measure(calls, number=args.number, rounds=args.rounds)
    print(
        f"Python {platform.python_version()}, cryptography {cryptography.__version__}, "
        f"PyJWT {pyjwt.__version__}; decoders: {_decoder_versions()}; "
        f"{args.rounds} interleaved rounds x {args.number} calls"
    )
    print(
        "x raw: the fastest round over the fastest round of the raw verify of the same token(s);"
        "\nmedian: of each round's ratio to that round's raw verify"
    )
    print(f"{'contender':<28} {'µs/op':>8} {'x raw':>7} {'median':>7}  compared with")
    ratios: dict[str, float] = {}
    for name, rounds in times.items():
        baseline = calls[name].baseline
        raws = times[baseline]
        best = min(rounds)
        ratios[name] = best / min(raws)
        median = statistics.median(t / r for t, r in zip(rounds, raws, strict=True))
        print(f"{name:<28} {best * 1e6:>8.1f} {ratios[name]:>7.2f} {median:>7.2f}  {baseline}")
    print(f"{RAW_NEW} costs {min(times[RAW_NEW]) / min(times[RAW]):.2f}x {RAW}")
    for name in (OURS, OURS_NEW, OURS_NEW_STDLIB):
        if name in ratios:
            verdict = "meets" if ratios[name] <= TARGET else "misses"
            label = name if name.startswith(OURS) else f"{OURS}, {name}"
            line = f"{label} {verdict} the {TARGET}x target ({ratios[name]:.2f}x)"
            if calls[name].baseline == RAW_NEW:
                line += f"; {min(times[name]) / min(times[RAW]):.2f}x {RAW} of one token"
            print(line)
    steps = breakdown(token, jwks, number=args.number, rounds=args.rounds)
    print("\nSteps a first-time token needs, each timed alone (µs/op):")
    for name, seconds in steps.items():
        print(f"  {name:<40} {seconds * 1e6:>6.2f}")
    floor = sum(
        seconds
        for name, seconds in steps.items()
        if not name.endswith(")") or name.endswith(f"({DEFAULT.name})")
    )
    raw = min(times[RAW])
    above = min(times[OURS_NEW]) - floor
    print(f"  {f'sum with the {DEFAULT.name} decoders (the floor)':<40} {floor * 1e6:>6.2f}")
    print(f"  = {floor / raw:.2f}x {RAW}; {OURS_NEW} spends {above * 1e6:.1f} µs/op above it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
