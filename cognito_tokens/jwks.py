"""The pool's signing keys: fetched over HTTPS, parsed once, cached per JWKS URI.

Cognito publishes its keys at ``<issuer>/.well-known/jwks.json`` and rotates them rarely, so keys
are loaded into ``cryptography`` key objects once and looked up by ``kid`` on every verification.
A token with an unknown ``kid`` triggers at most one refetch; the next refetch waits for a
cooldown, so forged tokens cannot turn a backend into a JWKS flood. Concurrent refetches of one
URI share a single request. A failed fetch is remembered for a short failure cooldown: until it
passes, requests needing that URI fail at once with the same reason instead of each waiting for
the endpoint's timeout again; then one request may fetch again.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import math
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey, RSAPublicNumbers

from cognito_tokens.errors import JwksError, JwksFetchError, UnknownKeyError, shown

#: A fetcher takes a JWKS URI and returns the parsed JSON document.
Fetcher = Callable[[str], object]

DEFAULT_COOLDOWN = 60.0
"""Seconds between two refetches of one JWKS caused by unknown ``kid`` values."""

DEFAULT_FAILURE_COOLDOWN = 10.0
"""Seconds after a failed JWKS fetch during which requests for that URI fail without a fetch.

Short, so a brief outage heals quickly; long enough that forged tokens sent to a backend whose
JWKS endpoint fails (or hangs until the timeout) cause one request per period, not one each."""

DEFAULT_TIMEOUT = 5.0
"""Seconds for one JWKS request: a stuck endpoint must not hold requests for long."""

MAX_JWKS_BYTES = 256 * 1024
"""Cognito's JWKS is about 1 KiB; anything far larger is not a key set."""

MIN_RSA_BITS = 2048
"""Cognito signs with RSA-2048; shorter keys are not trusted even if a JWKS lists them."""


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_jwks_uri(uri: str, *, allow_http_loopback: bool = False) -> None:
    """Refuse any JWKS URI other than HTTPS (or plain HTTP to a loopback host when allowed).

    Args:
        uri: The JWKS URI.
        allow_http_loopback: Accept ``http://`` to ``localhost``/``127.0.0.1``/``::1``, for local
            emulators in tests. Default: False.

    Raises:
        JwksFetchError: The URI is not allowed.
    """
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and allow_http_loopback and _is_loopback(parts.hostname):
        return
    allowed = "https://" + (", or http:// to a loopback host" if allow_http_loopback else "")
    raise JwksFetchError(
        f"jwks: refusing to fetch {shown(uri)}: only {allowed} is allowed",
        actual=uri,
        expected=allowed,
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could downgrade to http or leave the issuer's host: refuse it (Cognito never
    # redirects its JWKS endpoint).
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibFetcher:
    """The default fetcher: one HTTPS GET with a timeout, a size cap and no redirects.

    Args:
        timeout: Seconds for the whole request. Default: 5.
        allow_http_loopback: Also accept ``http://`` to a loopback host (local emulators such as
            moto in server mode). Default: False.
        max_bytes: Largest accepted response body. Default: 256 KiB.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        allow_http_loopback: bool = False,
        max_bytes: int = MAX_JWKS_BYTES,
    ) -> None:
        self.timeout = timeout
        self.allow_http_loopback = allow_http_loopback
        self.max_bytes = max_bytes

    def __call__(self, uri: str) -> object:
        """Fetch and parse the JWKS at ``uri``.

        Raises:
            JwksFetchError: Refused URI, network error, HTTP error, oversized or non-JSON body.
        """
        check_jwks_uri(uri, allow_http_loopback=self.allow_http_loopback)
        opener = urllib.request.build_opener(_NoRedirect)
        request = urllib.request.Request(uri, headers={"Accept": "application/json"})
        try:
            with opener.open(request, timeout=self.timeout) as response:
                body = response.read(self.max_bytes + 1)
        except urllib.error.HTTPError as exc:
            raise JwksFetchError(
                f"jwks: GET {uri} returned HTTP {exc.code}", actual=exc.code, expected=200
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise JwksFetchError(
                f"jwks: GET {uri} failed: {reason}", actual=str(reason), expected="HTTP 200"
            ) from exc
        if len(body) > self.max_bytes:
            raise JwksFetchError(
                f"jwks: GET {uri} returned more than {self.max_bytes} bytes",
                actual=len(body),
                expected=f"<= {self.max_bytes} bytes",
            )
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise JwksFetchError(
                f"jwks: GET {uri} returned a body that is not JSON",
                actual=shown(body[:40]),
                expected="a JSON object",
            ) from exc


def _b64url_uint(value: object, name: str) -> int:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} is not a base64url string")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{name} is not valid base64url") from exc
    return int.from_bytes(raw, "big")


def _rsa_key(jwk: Mapping[str, Any]) -> RSAPublicKey:
    """Build the public key of one JWK; ``ValueError`` says why it is not usable for RS256."""
    if jwk.get("kty") != "RSA":
        raise ValueError(f"kty is {shown(jwk.get('kty'))}, not 'RSA'")
    if jwk.get("use", "sig") != "sig":
        raise ValueError(f"use is {shown(jwk.get('use'))}, not 'sig'")
    if jwk.get("alg", "RS256") != "RS256":
        raise ValueError(f"alg is {shown(jwk.get('alg'))}, not 'RS256'")
    n = _b64url_uint(jwk.get("n"), "n")
    e = _b64url_uint(jwk.get("e"), "e")
    if n.bit_length() < MIN_RSA_BITS:
        raise ValueError(f"the modulus has {n.bit_length()} bits, fewer than {MIN_RSA_BITS}")
    return RSAPublicNumbers(e, n).public_key()


@dataclass
class KeySet:
    """The usable keys of one JWKS document, and why the others were skipped.

    Attributes:
        keys: RS256 public keys by ``kid``.
        skipped: Reason per ``kid`` of a listed key that cannot verify RS256 tokens.
    """

    keys: dict[str, RSAPublicKey] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, document: object, *, source: str = "jwks") -> KeySet:
        """Load a JWKS document (``{"keys": [...]}``).

        Keys that are not RSA signing keys are skipped rather than refused: a JWKS may list other
        keys, and one odd entry must not lock everybody out.

        Raises:
            JwksError: The document is not an object with a ``keys`` list.
        """
        if not isinstance(document, Mapping) or not isinstance(document.get("keys"), list):
            raise JwksError(
                f"jwks: {source} is not a JSON object with a 'keys' list",
                actual=type(document).__name__,
                expected='{"keys": [...]}',
            )
        result = cls()
        for jwk in document["keys"]:
            if not isinstance(jwk, Mapping) or not isinstance(jwk.get("kid"), str):
                continue
            kid = jwk["kid"]
            try:
                result.keys[kid] = _rsa_key(jwk)
            except ValueError as exc:
                result.skipped[kid] = str(exc)
        return result


@dataclass
class _Entry:
    keys: KeySet
    fetched_at: float | None  # None: preloaded and never to be refetched


@dataclass
class _Failure:
    error: JwksError
    failed_at: float


@dataclass
class _Flight:
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class JwksCache:
    """Signing keys per JWKS URI, thread-safe, with a refetch cooldown and shared fetches.

    One cache can serve several verifiers and pools. Lookups of a known ``kid`` take no lock.

    Args:
        fetcher: Called with a JWKS URI, returns the parsed document; raise ``JwksFetchError`` on
            failure. Default: ``UrllibFetcher()`` (HTTPS only, 5 s timeout).
        cooldown: Seconds after a fetch before an unknown ``kid`` may cause the next one.
            Default: 60.
        failure_cooldown: Seconds after a failed fetch of a URI during which every request that
            needs that URI gets ``JwksFetchError`` at once (carrying the failure's reason) instead
            of fetching again; then one request fetches again. ``0`` disables it. Default: 10.
        clock: Monotonic seconds, for both cooldowns. Default: ``time.monotonic``.
        wait_timeout: Seconds a caller waits for another thread's fetch of the same URI.
            Default: 30.

    Raises:
        ValueError: A cooldown or the wait timeout is negative or not a number.
    """

    def __init__(
        self,
        *,
        fetcher: Fetcher | None = None,
        cooldown: float = DEFAULT_COOLDOWN,
        failure_cooldown: float = DEFAULT_FAILURE_COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
        wait_timeout: float = 30.0,
    ) -> None:
        for name, value in (
            ("cooldown", cooldown),
            ("failure_cooldown", failure_cooldown),
            ("wait_timeout", wait_timeout),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise ValueError(f"{name} must be a number of seconds >= 0, got {value!r}")
        self._fetcher: Fetcher = fetcher if fetcher is not None else UrllibFetcher()
        self._cooldown = cooldown
        self._failure_cooldown = failure_cooldown
        self._clock = clock
        self._wait_timeout = wait_timeout
        self._lock = threading.Lock()
        # Replaced as a whole, never mutated in place: readers take no lock.
        self._keys: dict[str, dict[str, RSAPublicKey]] = {}
        self._entries: dict[str, _Entry] = {}
        self._flights: dict[str, _Flight] = {}
        self._failures: dict[str, _Failure] = {}

    def preload(self, jwks_uri: str, jwks: object, *, refetch: bool = False) -> None:
        """Use ``jwks`` for ``jwks_uri`` instead of fetching it.

        Args:
            jwks_uri: The URI the document stands for.
            jwks: The parsed JWKS document.
            refetch: Allow an unknown ``kid`` to fetch the URI after all (once the cooldown has
                passed since this call). Default: False: offline, an unknown ``kid`` is refused.

        Raises:
            JwksError: ``jwks`` is not a JWKS document.
        """
        key_set = KeySet.parse(jwks, source=f"preloaded JWKS for {jwks_uri}")
        with self._lock:
            self._store(jwks_uri, key_set, self._clock() if refetch else None)

    def get_key(self, jwks_uri: str, kid: str) -> RSAPublicKey:
        """The public key for ``kid``, fetching the JWKS if it was never fetched or lacks ``kid``.

        Raises:
            UnknownKeyError: ``kid`` is not a usable key, even after a refetch, or the cooldown
                forbids a refetch now.
            JwksFetchError: The fetch failed, or failed less than ``failure_cooldown`` seconds
                ago (the message then starts with that failure's reason).
            JwksError: The fetched document is not a JWKS.
        """
        keys = self._keys.get(jwks_uri)
        if keys is not None:
            key = keys.get(kid)
            if key is not None:
                return key
        return self._get_key_slow(jwks_uri, kid)

    def cached_key(self, jwks_uri: str, kid: str) -> RSAPublicKey | None:
        """The key for ``kid`` if it is loaded already, else ``None``; never fetches or waits."""
        keys = self._keys.get(jwks_uri)
        return keys.get(kid) if keys is not None else None

    def _store(self, jwks_uri: str, key_set: KeySet, fetched_at: float | None) -> None:
        self._entries[jwks_uri] = _Entry(key_set, fetched_at)
        self._keys[jwks_uri] = dict(key_set.keys)
        self._failures.pop(jwks_uri, None)

    def _recent_failure(self, jwks_uri: str) -> JwksFetchError | None:
        """The error for a request that arrives within the failure cooldown, else ``None``."""
        failure = self._failures.get(jwks_uri)
        if failure is None:
            return None
        ago = self._clock() - failure.failed_at
        wait = self._failure_cooldown - ago
        if wait <= 0:
            del self._failures[jwks_uri]
            return None
        original = failure.error
        error = JwksFetchError(
            f"{original} (failed {ago:.0f} s ago; next attempt in {math.ceil(wait)} s)",
            actual=original.actual,
            expected=original.expected,
        )
        error.__cause__ = original
        return error

    def _unknown(self, jwks_uri: str, kid: str, why: str) -> UnknownKeyError:
        entry = self._entries.get(jwks_uri)
        skipped = entry.keys.skipped.get(kid) if entry else None
        known = sorted(entry.keys.keys) if entry else []
        if skipped is not None:
            why = f"the JWKS lists it but it is not usable: {skipped}"
        return UnknownKeyError(
            f"kid: {shown(kid)} is not a key of {jwks_uri} ({why})", actual=kid, expected=known
        )

    def _get_key_slow(self, jwks_uri: str, kid: str) -> RSAPublicKey:
        with self._lock:
            entry = self._entries.get(jwks_uri)
            if entry is not None and kid in entry.keys.keys:
                return entry.keys.keys[kid]
            flight = self._flights.get(jwks_uri)
            leader = flight is None
            if flight is None:
                if entry is not None:
                    if entry.fetched_at is None:
                        raise self._unknown(jwks_uri, kid, "the JWKS was preloaded for offline use")
                    wait = entry.fetched_at + self._cooldown - self._clock()
                    if wait > 0:
                        raise self._unknown(
                            jwks_uri, kid, f"fetched recently, next refetch in {wait:.0f} s"
                        )
                failed = self._recent_failure(jwks_uri)
                if failed is not None:
                    raise failed
                flight = self._flights[jwks_uri] = _Flight()
        if leader:
            self._fetch(jwks_uri, flight)
        elif not flight.done.wait(self._wait_timeout):
            raise JwksFetchError(
                f"jwks: timed out after {self._wait_timeout} s waiting for {jwks_uri}",
                actual="timeout",
                expected="a JWKS",
            )
        error = flight.error
        if error is not None:
            if leader or not isinstance(error, JwksError):
                raise error
            # Each waiting thread raises its own copy: one exception object raised in several
            # threads at once would get its traceback rewritten under the others.
            raise type(error)(str(error), actual=error.actual, expected=error.expected) from error
        # One fetch per caller at most: if the fresh JWKS lacks the kid, the token is refused.
        with self._lock:
            entry = self._entries.get(jwks_uri)
            if entry is not None and kid in entry.keys.keys:
                return entry.keys.keys[kid]
            raise self._unknown(jwks_uri, kid, "not in the JWKS, even after a refetch")

    def _fetch(self, jwks_uri: str, flight: _Flight) -> None:
        key_set: KeySet | None = None
        try:
            key_set = KeySet.parse(self._fetcher(jwks_uri), source=jwks_uri)
        except JwksError as exc:
            flight.error = exc
        except Exception as exc:  # an injected fetcher may raise anything: a fetch error
            error = JwksFetchError(
                f"jwks: fetching {jwks_uri} failed: {type(exc).__name__}: {exc}",
                actual=type(exc).__name__,
                expected="a JWKS",
            )
            error.__cause__ = exc
            flight.error = error
        finally:
            # Always end the flight, or waiting threads would hang until their timeout.
            with self._lock:
                if key_set is not None:
                    self._store(jwks_uri, key_set, self._clock())
                elif isinstance(flight.error, JwksError):
                    # Remembered before the flight ends: no request can slip in between and
                    # fetch again. Callers already waiting on this flight get the error itself.
                    self._failures[jwks_uri] = _Failure(flight.error, self._clock())
                del self._flights[jwks_uri]
            flight.done.set()


_default_cache: JwksCache | None = None
_default_cache_lock = threading.Lock()


def default_cache() -> JwksCache:
    """The process-wide cache that verifiers share unless given their own (created on first use)."""
    global _default_cache
    with _default_cache_lock:
        if _default_cache is None:
            _default_cache = JwksCache()
        return _default_cache
