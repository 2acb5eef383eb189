"""Malformed input: ``verify`` raises only ``TokenError`` subclasses, the CLI one line and exit 1.

Two roots of escaping exceptions are pinned here: JSON that starts with white space and nests
deeper than the parser's recursion limit (``RecursionError`` from the full decoder, reachable in
the unsigned header), and NumericDates too large for a float (``OverflowError`` in
``exp + leeway``). A property-based test then throws arbitrary segments, JSON values and
strings at the verifier.
"""

from __future__ import annotations

import contextlib
import io
import json
import string
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from token_factory import CLIENT_ID, KID, NOW, POOL_ID, Mint, b64json, b64url, claims_for

from cognito_tokens import CognitoJwtVerifier, MalformedTokenError, TokenError
from cognito_tokens.cli import main

SignRaw = Callable[[str, bytes], str]
HEADER = b64json({"kid": KID, "alg": "RS256"})
DEEP = 5_000  # well past the interpreter's default recursion limit of 1000


@pytest.fixture(scope="module")
def verifier(jwks: dict[str, Any]) -> CognitoJwtVerifier:
    return CognitoJwtVerifier(
        user_pool_id=POOL_ID, token_use="id", client_id=CLIENT_ID, jwks=jwks, clock=lambda: NOW
    )


def _deep(prefix: str) -> bytes:
    return (prefix + "[" * DEEP + "]" * DEEP).encode()


@pytest.mark.parametrize("prefix", ["", " ", "\n\t ", "\r\n"])
def test_fails_when_the_header_nests_too_deeply(verifier: CognitoJwtVerifier, prefix: str) -> None:
    token = f"{b64url(_deep(prefix))}.{b64json({})}.{b64url(b'x' * 256)}"
    with pytest.raises(MalformedTokenError, match=r"^header: not base64url-encoded JSON$"):
        verifier.verify(token)


@pytest.mark.parametrize("prefix", ["", " ", "\n"])
def test_fails_when_the_signed_payload_nests_too_deeply(
    verifier: CognitoJwtVerifier, sign_raw: SignRaw, prefix: str
) -> None:
    with pytest.raises(MalformedTokenError, match=r"^payload: not base64url-encoded JSON$"):
        verifier.verify(sign_raw(HEADER, _deep(prefix)))


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("value", [10**400, -(10**400), 2**53 + 1, -(2**53) - 1, 1e300])
def test_fails_when_a_time_claim_is_out_of_range(
    verifier: CognitoJwtVerifier, mint: Mint, claim: str, value: float
) -> None:
    token = mint(claims_for("id", **{claim: value}))
    with pytest.raises(MalformedTokenError, match=rf"^{claim}: must be a number, got ") as caught:
        verifier.verify(token)
    assert caught.value.actual == value
    assert caught.value.expected == "NumericDate"


def test_a_far_future_float_expiry_in_range_passes(
    verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    assert verifier.verify(mint(claims_for("id", exp=4e15)))["exp"] == 4e15
    assert verifier.verify(mint(claims_for("id", exp=2**53)))["exp"] == 2**53


def test_a_refusal_of_a_huge_claim_stays_one_short_line(
    verifier: CognitoJwtVerifier, mint: Mint
) -> None:
    # repr() of an int past 4300 digits raises ValueError: the message must not.
    with pytest.raises(TokenError) as caught:
        verifier.verify(mint(claims_for("id", iss=10**399)))
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize(
    "token",
    [
        f"{b64url(_deep(' '))}.{b64json({})}.{b64url(b'x' * 256)}",
        f"{HEADER}.{b64json({})}.{b64url(b'x' * 256)}",
    ],
    ids=["deep-header", "forged"],
)
def test_cli_prints_one_line_and_exits_1(
    tmp_path: Any, jwks: dict[str, Any], token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks))
    stdout, stderr = io.StringIO(), io.StringIO()
    args = ["verify", "-", "--user-pool-id", POOL_ID, "--token-use", "id"]
    args += ["--client-id", CLIENT_ID, "--jwks", str(path)]
    code = main(args, stdin=io.StringIO(token), stdout=stdout, stderr=stderr)
    assert code == 1
    assert stdout.getvalue() == ""
    lines = stderr.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("cognito-token: refused: ")


def test_cli_refuses_an_out_of_range_exp_in_one_line(
    tmp_path: Any, jwks: dict[str, Any], mint: Mint
) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks))
    stderr = io.StringIO()
    token = mint(claims_for("id", exp=10**400, now=NOW))
    args = ["verify", token, "--user-pool-id", POOL_ID, "--token-use", "id", "--any-client"]
    assert main([*args, "--jwks", str(path)], stdout=io.StringIO(), stderr=stderr) == 1
    assert stderr.getvalue().startswith("cognito-token: refused: MalformedTokenError: exp: ")
    assert stderr.getvalue().count("\n") == 1


# --- property-based: nothing but TokenError, whatever comes in ----------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**420), max_value=10**420)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_claim_names = st.sampled_from(
    ["exp", "iat", "nbf", "iss", "aud", "client_id", "token_use", "cognito:groups", "scope"]
)
_segments = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "-_=+/. ", max_size=60),
    st.binary(max_size=60).map(b64url),
    _json_values.map(lambda v: b64url(json.dumps(v).encode())),
    st.sampled_from([" ", "\n", "\t"]).map(lambda w: b64url(_deep(w))),
)
_fuzz = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_fuzz
@given(header=_segments, payload=_segments, signature=_segments)
def test_any_three_segments_raise_only_token_errors(
    verifier: CognitoJwtVerifier, header: str, payload: str, signature: str
) -> None:
    with contextlib.suppress(TokenError):
        verifier.verify(f"{header}.{payload}.{signature}")


@_fuzz
@given(text=st.text(max_size=200))
def test_any_string_raises_only_token_errors(verifier: CognitoJwtVerifier, text: str) -> None:
    with contextlib.suppress(TokenError):
        verifier.verify(text)


@_fuzz
@given(overrides=st.dictionaries(_claim_names, _json_values, max_size=4))
def test_any_signed_claims_raise_only_token_errors_or_pass(
    verifier: CognitoJwtVerifier, mint: Mint, overrides: dict[str, Any]
) -> None:
    try:
        claims = verifier.verify(mint(claims_for("id", **overrides)))
    except TokenError:
        return
    assert claims["token_use"] == "id"
    assert claims["aud"] == CLIENT_ID


@_fuzz
@given(payload=st.binary(max_size=80) | _json_values.map(lambda v: json.dumps(v).encode()))
def test_any_signed_payload_bytes_raise_only_token_errors(
    verifier: CognitoJwtVerifier, sign_raw: SignRaw, payload: bytes
) -> None:
    with contextlib.suppress(TokenError):
        verifier.verify(sign_raw(HEADER, payload))


@_fuzz
@given(header=_segments, payload=_segments, signature=_segments)
def test_the_multi_issuer_verifier_raises_only_token_errors_too(
    verifier: CognitoJwtVerifier, header: str, payload: str, signature: str
) -> None:
    from cognito_tokens import MultiIssuerVerifier

    with contextlib.suppress(TokenError):
        MultiIssuerVerifier([verifier]).verify(f"{header}.{payload}.{signature}")
