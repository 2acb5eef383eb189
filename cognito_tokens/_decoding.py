"""Base64url and JSON decoding of token segments.

The standard library decodes everything. With the ``speedups`` extra installed (``pybase64``, a
SIMD base64 decoder, and ``msgspec``, a JSON parser in C) the verifier decodes the signature and
the payload of each new token with those instead: about 3 us less of a 24 us verification
(``bench/token_verify.py``), for about 8 ms more at import (``msgspec``). The claims are the
same either way: whatever a native decoder refuses is decoded again by the standard library,
which returns what it always returns or raises what it always raises; what a native decoder
accepts, the standard library accepts too and decodes to the same value, types included
(``tests/tokens/test_token_decoding.py`` checks both). The one difference: JSON nested within
two levels of the interpreter's recursion limit (about 1,000 levels), which ``msgspec`` still
parses and ``json`` refuses.

The Lambda authorizer bundles neither: there a cold start's import costs more than it saves.
"""

from __future__ import annotations

import json
from binascii import a2b_base64
from collections.abc import Callable
from typing import Any, NamedTuple


def _refuse_constant(name: str) -> float:
    # NaN/Infinity are not JSON (RFC 8259); an "exp": Infinity must not mean "never expires".
    raise ValueError(f"{name} is not allowed in a JWT")


_JSON = json.JSONDecoder(parse_constant=_refuse_constant)
# The decoder's C scanner, called directly to skip decode()'s two whitespace regex passes.
_SCAN: Callable[[str, int], tuple[Any, int]] = _JSON.scan_once  # type: ignore[attr-defined]

# Padding to add, and the characters allowed last, by len % 4: the unused low bits of the last
# character must be zero, or several strings would decode to the same bytes.
PADS = ("", "", "==", "=")
LAST = ("", "", "AQgw", "AEIMQUYcgkosw048")


def b64decode(segment: str) -> bytes:
    """Decode unpadded base64url leniently, like ``base64.urlsafe_b64decode``.

    Used for the payload only, which the signature covers as the exact text received: a stray
    character there breaks the signature, so strictness would buy nothing but time.
    """
    # Surplus "=" after a complete group is ignored, so always appending two is safe.
    return a2b_base64(segment.replace("-", "+").replace("_", "/") + "==")


def is_canonical(segment: str) -> bool:
    """Whether ``segment`` can be the one base64url spelling of some bytes, as far as its length,
    its padding, ``+`` and ``/``, and its last character tell (the rest is the decoder's)."""
    n = len(segment) & 3
    return not (
        n == 1
        or "+" in segment
        or "/" in segment
        or "=" in segment
        or (n and segment[-1] not in LAST[n])
    )


def b64decode_strict(segment: str) -> bytes:
    """Decode base64url in its one canonical form; ``ValueError`` for anything else.

    For the signature and the header: the signature is not covered by itself, so a lenient
    decoder would let one token be spelled many ways (and slip past a deny list of tokens).
    """
    if not is_canonical(segment):
        raise ValueError("not canonical base64url")
    return _padded_strict(segment + PADS[len(segment) & 3])


def _padded_strict(padded: str) -> bytes:
    return a2b_base64(padded.replace("-", "+").replace("_", "/"), strict_mode=True)


def json_value(data: bytes) -> object:
    """Parse JSON; every failure is a ``ValueError``.

    That includes nesting too deep to parse (``RecursionError`` from either parser, whatever
    white space comes first) and text that is not UTF-8: callers turn one exception type into
    one ``TokenError``, so no malformed token can escape as another exception.
    """
    try:
        text = data.decode("utf-8")
        try:
            value, end = _SCAN(text, 0)
        except (ValueError, StopIteration):
            end = -1
        if end != len(text):
            # Whitespace around the value, or garbage: the full decoder accepts the one and
            # raises a precise ValueError for the other.
            value = _JSON.decode(text)
    except RecursionError as exc:  # '[[[[...' or ' [[[[...' in an (unsigned) header
        raise ValueError("JSON nested too deeply") from exc
    return value


def _scan_exactly(data: bytes) -> object:
    """The JSON value that is all of ``data``, straight from the C scanner; raises otherwise.

    The usual payload, UTF-8 JSON with nothing around it; anything else raises (which exception
    does not matter: the caller parses again with ``json_value`` to name the failure).
    """
    text = data.decode()
    value, end = _SCAN(text, 0)
    if end != len(text):
        raise ValueError("text around the JSON value")
    return value


class Decoders(NamedTuple):
    """The three decodings on the verifier's hot path, each with the standard library's result.

    ``signature`` takes a segment for which ``is_canonical`` holds, with its padding added (it
    raises ``ValueError`` for characters outside base64url, but the ``+``, ``/`` and padding
    rules are ``is_canonical``'s); ``payload`` is ``b64decode``; ``value`` returns the JSON
    value of the bytes or raises (any exception: the caller falls back to ``json_value``).
    """

    name: str
    signature: Callable[[str], bytes]
    payload: Callable[[str], bytes]
    value: Callable[[bytes], object]


STDLIB = Decoders("stdlib", _padded_strict, b64decode, _scan_exactly)


def _native() -> Decoders | None:
    try:
        import msgspec.json
        import pybase64
    except ImportError:
        return None
    b64 = pybase64.b64decode

    def signature(padded: str) -> bytes:
        # validate=True: only the alphabet and the padding, or binascii.Error (a ValueError).
        return b64(padded, b"-_", True)

    def payload(segment: str) -> bytes:
        # "+" and "/" are not base64url (pybase64 warns of them with altchars): the stdlib's.
        if "+" not in segment and "/" not in segment:
            try:
                return b64(segment + PADS[len(segment) & 3], b"-_", True)
            except ValueError:  # a stray character or a bad length
                pass
        return b64decode(segment)

    return Decoders("native", signature, payload, msgspec.json.Decoder().decode)


NATIVE = _native()
"""The ``speedups`` decoders, or ``None`` when ``pybase64`` or ``msgspec`` is not installed."""

DEFAULT = NATIVE or STDLIB
