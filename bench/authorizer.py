"""The bundled Lambda authorizer: import cost above a bare interpreter, and a warm call.

Run: ``.venv/bin/python -m bench.authorizer`` (or ``make bench`` for every benchmark).

1. Import, laid out as the Lambda asset is (handler and ``cognito_tokens`` side by side at the
   root, ``cryptography`` from this venv): ``import api_authorizer`` alone (nothing is imported
   at module level) and the first call's imports (``cognito_tokens`` and ``cryptography``),
   as ``-X importtime`` cumulative milliseconds and the wall time of ``python -c`` minus a bare
   one; medians of ``RUNS`` interleaved runs, from source only (a zip asset has no ``.pyc``).
   The ``speedups`` decoders are blocked, as the asset bundles none.
2. A warm call per event format (REST ``TOKEN``, HTTP API 2.0 simple response) with the key in
   the cache: the whole handler, verification included, next to the bare verification, with
   the standard library's decoders.

Figures are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sys
import tempfile
import time
import timeit
from pathlib import Path

from bench.handlers import RUNS, measure_imports

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from constructs_lib.lambda_authorizer import TOKENS_IGNORE  # after the environment

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "tests" / "events" / "api_authorizer"
CALLS = 5_000
POOL_ID = "eu-west-1_BenchPool1"
CLIENT_ID = "benchclient0123456789abcde"


def import_costs(folder: Path) -> list[tuple[str, float, float]]:
    """(name, importtime ms, wall delta ms) of the handler module and of its first call."""
    # As in the asset, which bundles neither of the speedups extra's decoders.
    blocked = "sys.modules.update(msgspec=None, pybase64=None)"
    setup = f"import sys; {blocked}; sys.path.insert(0, {str(folder)!r})"
    cases = {
        "import api_authorizer": (f"{setup}; import api_authorizer", "api_authorizer"),
        "+ first call's imports": (
            f"{setup}; import api_authorizer, cognito_tokens",
            "cognito_tokens",
        ),
    }
    return measure_imports(setup, cases)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def warm_costs() -> list[tuple[str, float]]:
    """(name, best-of-5 microseconds per call) for each event format and the bare verify."""
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.hashes import SHA256

    from bench.token_verify import use_decoders
    from cognito_tokens import CognitoJwtVerifier
    from cognito_tokens._decoding import STDLIB
    from lambda_authorizer.api_authorizer import Settings, authorize

    use_decoders(STDLIB)  # the asset's: it bundles no speedups

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwks = {
        "keys": [
            {
                "kty": "RSA",
                "kid": "k1",
                "n": _b64url(numbers.n.to_bytes(256, "big")),
                "e": _b64url(numbers.e.to_bytes(3, "big")),
            }
        ]
    }
    now = int(time.time())
    claims = {
        "sub": "7f1c2e4a-0000-4000-8000-000000000001",
        "iss": f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}",
        "client_id": CLIENT_ID,
        "token_use": "access",
        "scope": "orders/read profile",
        "cognito:groups": ["staff"],
        "auth_time": now,
        "iat": now,
        "exp": now + 3600,
        "jti": "5a0e7c2b-0000-4000-8000-000000000002",
        "username": "alice",
    }
    header = _b64url(json.dumps({"kid": "k1", "alg": "RS256"}).encode())
    signing_input = f"{header}.{_b64url(json.dumps(claims).encode())}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), SHA256())
    token = f"{signing_input}.{_b64url(signature)}"
    verifier = CognitoJwtVerifier(
        user_pool_id=POOL_ID, token_use="access", client_id=CLIENT_ID, jwks=jwks
    )
    settings = Settings(
        {
            "USER_POOL_ID": POOL_ID,
            "CLIENT_IDS": CLIENT_ID,
            "REQUIRED_SCOPES": "orders/read",
            "REQUIRED_GROUPS": "staff",
        }
    )
    calls = {"bare verify": lambda: verifier.verify(token)}
    for name in ("rest_token", "http_v2"):
        event = json.loads((EVENTS / f"{name}.json").read_text().replace("{token}", token))
        answer = authorize(event, settings, verifier)
        assert answer.get("isAuthorized", True) is True and "Deny" not in json.dumps(answer)
        calls[f"handler, {name}"] = lambda event=event: authorize(event, settings, verifier)
    return [
        (name, min(timeit.repeat(call, number=CALLS, repeat=5)) / CALLS * 1e6)
        for name, call in calls.items()
    ]


def main() -> None:
    print(f"python {sys.version.split()[0]}, {RUNS} interleaved runs, medians")
    with tempfile.TemporaryDirectory() as tmp:
        asset = Path(tmp)
        ignore = shutil.ignore_patterns(*TOKENS_IGNORE)
        shutil.copy(ROOT / "lambda_authorizer" / "api_authorizer.py", asset)
        shutil.copytree(ROOT / "cognito_tokens", asset / "cognito_tokens", ignore=ignore)
        print(f"{'import, source only':34} {'-X importtime ms':>17} {'wall delta ms':>14}")
        for name, cumulative, wall in import_costs(asset):
            print(f"{name:34} {cumulative:17.2f} {wall:14.1f}")
    print()
    print(f"{'warm call, key cached':34} {'us/call':>8}")
    for name, micros in warm_costs():
        print(f"{name:34} {micros:8.2f}")


if __name__ == "__main__":
    main()
