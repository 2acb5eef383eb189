"""The ``speedups`` decoders (pybase64, msgspec) agree with the standard library's.

The verifier tries the native decoder first and falls back to the standard library for anything
it refuses, so the claims only stay the same if everything the native decoders accept, the
standard library accepts too, with the same bytes or the same value (types included). These
properties check exactly that over arbitrary input; every other token test runs with both
decoders (``decoders`` in conftest.py).
"""

from __future__ import annotations

import json
import math
import string
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from token_factory import CLIENT_ID, NOW, POOL_ID, Mint, b64url, claims_for

from cognito_tokens import CognitoJwtVerifier
from cognito_tokens._decoding import (
    DEFAULT,
    NATIVE,
    PADS,
    STDLIB,
    Decoders,
    is_canonical,
    json_value,
)

ROOT = Path(__file__).resolve().parents[2]
# Only the comparisons skip without the extra; the test that the dev extra installs it does not.
needs_native = pytest.mark.skipif(NATIVE is None, reason="the speedups extra is not installed")
# Characters of base64url, standard base64, its padding, and some that are neither.
B64ISH = string.ascii_letters + string.digits + "-_+/=" + "!. \n\té\x00"


@pytest.fixture(autouse=True)
def decoders() -> Decoders:
    """This module compares both decoders itself: the conftest's run-twice fixture is overridden."""
    return DEFAULT


def native() -> Decoders:
    assert NATIVE is not None
    return NATIVE


def outcome(decode: Callable[[Any], object], value: object) -> tuple[str, object]:
    """What ``decode`` does with ``value``: its result, or that it raised a ``ValueError``."""
    try:
        return "value", decode(value)
    except ValueError:
        return "ValueError", None


def same(a: object, b: object) -> bool:
    """Equal values of identical types all the way down (``1 == 1.0 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        assert isinstance(b, float)
        return math.copysign(1, a) == math.copysign(1, b) and a == b
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def test_the_dev_extra_installs_the_speedups_and_the_verifier_uses_them() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    names = [requirement.split(">")[0] for requirement in extras["speedups"]]
    assert names == ["pybase64", "msgspec"]
    assert all(any(r.startswith(name + ">") for r in extras["dev"]) for name in names)
    assert DEFAULT is NATIVE and native().name == "native"


@needs_native
@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet=B64ISH, max_size=40), st.binary(max_size=40).map(b64url)))
def test_the_payload_decodes_to_the_same_bytes_or_fails_with_both(segment: str) -> None:
    assert outcome(native().payload, segment) == outcome(STDLIB.payload, segment)


@needs_native
@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet=B64ISH, max_size=40), st.binary(max_size=40).map(b64url)))
def test_a_canonical_signature_decodes_to_the_same_bytes_or_fails_with_both(segment: str) -> None:
    assume(is_canonical(segment))  # anything else is refused before either decoder runs
    padded = segment + PADS[len(segment) & 3]
    assert outcome(native().signature, padded) == outcome(STDLIB.signature, padded)


@needs_native
@given(st.binary(max_size=64))
def test_both_signature_decoders_round_trip_base64url(data: bytes) -> None:
    segment = b64url(data)
    assert is_canonical(segment)
    padded = segment + PADS[len(segment) & 3]
    assert native().signature(padded) == STDLIB.signature(padded) == data


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()  # unbounded: 10**30 must stay an int, not become a float
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@needs_native
@settings(max_examples=400, deadline=None)
@given(JSON_VALUES, st.booleans())
def test_json_decodes_to_the_same_value_and_types_with_both(value: object, ascii: bool) -> None:
    data = json.dumps(value, ensure_ascii=ascii).encode()
    decoded = native().value(data)
    assert same(decoded, json_value(data))
    assert same(decoded, STDLIB.value(data))


# JSON text from its grammar (RFC 8259), with what json.dumps never writes: white space between
# tokens, duplicate keys, exponents and long mantissas, escapes (lone surrogates among them),
# raw non-ASCII and control characters; then sometimes one character changed, to get near
# misses. Mostly valid JSON, so the comparison below compares values, not two refusals.
SPACE = st.text(alphabet=" \t\n\r", max_size=2)
NUMBER = st.from_regex(
    r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?", fullmatch=True
)
CHAR = st.one_of(
    # Raw control characters are not JSON: the near misses and st.binary() bring those.
    st.characters(codec="utf-8", exclude_categories=("Cc",), exclude_characters='"\\'),
    st.sampled_from(["\\n", "\\t", '\\"', "\\\\", "\\/", "\\u00e9", "\\ud800", "\\udc00"]),
    st.sampled_from(["\\ud83d\\ude00", "\\u0000", "\\u2028"]),
)
STRING = st.lists(CHAR, max_size=6).map(lambda chars: '"' + "".join(chars) + '"')
KEY = st.one_of(st.sampled_from(['"exp"', '"sub"', '"a"']), STRING)  # repeats make duplicates


def _join(items: list[str], space: str, open_: str, close: str) -> str:
    return open_ + space + f"{space},{space}".join(items) + space + close


JSON_TEXT = st.recursive(
    st.one_of(NUMBER, STRING, st.sampled_from(["true", "false", "null"])),
    lambda children: st.one_of(
        st.builds(_join, st.lists(children, max_size=4), SPACE, st.just("["), st.just("]")),
        st.builds(
            _join,
            st.lists(st.builds("{}{}:{}{}".format, KEY, SPACE, SPACE, children), max_size=4),
            SPACE,
            st.just("{"),
            st.just("}"),
        ),
    ),
    max_leaves=12,
)


@st.composite
def json_bytes(draw: st.DrawFn) -> bytes:
    text = draw(SPACE) + draw(JSON_TEXT) + draw(SPACE)
    data = text.encode("utf-8", "surrogatepass")
    if data and draw(st.integers(0, 4)) == 0:  # a near miss: one byte replaced
        i = draw(st.integers(0, len(data) - 1))
        data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 :]
    return data


@needs_native
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_bytes(), st.binary(max_size=30)))
def test_what_msgspec_accepts_the_standard_library_parses_to_the_same_value(
    data: bytes,
) -> None:
    try:
        decoded = native().value(data)
    except Exception:  # the verifier then parses with the standard library, which decides
        return  # (how often this happens is the next test's concern)
    assert same(decoded, json_value(data))


@needs_native
def test_the_json_grammar_strategy_mostly_gives_json_that_msgspec_accepts() -> None:
    """The property above compares values only for text msgspec accepts: a good share must be
    (the rest are near misses, lone surrogates and other refusals, which the stdlib decides)."""
    accepted = 0

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(json_bytes())
    def count(data: bytes) -> None:
        nonlocal accepted
        try:
            native().value(data)
            accepted += 1
        except Exception:
            pass

    count()
    assert accepted >= 100


@needs_native
@pytest.mark.parametrize(
    ("text", "stdlib"),
    [
        pytest.param(b'{"exp": NaN}', "ValueError", id="NaN is not JSON"),
        pytest.param(b'{"exp": Infinity}', "ValueError", id="Infinity is not JSON"),
        pytest.param(b'{"exp": 1e400}', "value", id="overflows a float"),
        pytest.param(b'{"a": "\\ud800"}', "value", id="a lone surrogate"),
        pytest.param(b'{"a": 1} x', "ValueError", id="text after the value"),
        pytest.param(b"\xff", "ValueError", id="not UTF-8"),
        pytest.param(b"[" * 5000 + b"]" * 5000, "ValueError", id="nested too deeply"),
    ],
)
def test_what_msgspec_refuses_the_standard_library_decides(text: bytes, stdlib: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - any exception: the verifier falls back
        native().value(text)
    assert outcome(json_value, text)[0] == stdlib


@needs_native
def test_large_integers_stay_exact_with_both() -> None:
    data = b'{"account": 123456789012345678901234567890, "neg": -9223372036854775809}'
    expected = {"account": 123456789012345678901234567890, "neg": -9223372036854775809}
    assert same(native().value(data), expected)
    assert same(STDLIB.value(data), expected)


@needs_native
def test_a_payload_only_the_stdlib_parses_gives_the_same_claims(
    mint: Mint, jwks: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lone surrogate is JSON to ``json`` but not to msgspec: the fallback decides."""
    import cognito_tokens.verifier as verifier_module

    claims = {**claims_for("id"), "nickname": "\ud800"}
    token = mint(claims)
    results = []
    for chosen in (native(), STDLIB):
        monkeypatch.setattr(verifier_module, "_payload_value", chosen.value)
        verifier = CognitoJwtVerifier(
            user_pool_id=POOL_ID, token_use="id", client_id=CLIENT_ID, jwks=jwks, clock=lambda: NOW
        )
        results.append(verifier.verify(token))
    assert results[0] == results[1] and results[0]["nickname"] == "\ud800"
