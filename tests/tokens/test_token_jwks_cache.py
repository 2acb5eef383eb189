"""JwksCache and UrllibFetcher: one fetch per unknown kid, cooldowns, shared fetches, HTTPS only."""

from __future__ import annotations

import http.server
import json
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from token_factory import JWKS_URI, KID, ROTATED_KID, public_jwk

from cognito_tokens import (
    JwksCache,
    JwksError,
    JwksFetchError,
    KeySet,
    UnknownKeyError,
    UrllibFetcher,
    check_jwks_uri,
)
from cognito_tokens.jwks import DEFAULT_FAILURE_COOLDOWN


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeFetcher:
    """Serves ``documents`` in turn (the last one repeats), counting calls; can block or fail."""

    def __init__(self, *documents: object, error: Exception | None = None) -> None:
        self.documents = list(documents)
        self.error = error
        self.calls: list[str] = []
        self.release = threading.Event()
        self.release.set()
        self.entered = threading.Event()

    def __call__(self, uri: str) -> object:
        self.calls.append(uri)
        self.entered.set()
        assert self.release.wait(5)
        if self.error is not None:
            raise self.error
        return self.documents[min(len(self.calls), len(self.documents)) - 1]


def root_cause(error: BaseException) -> BaseException:
    while error.__cause__ is not None:
        error = error.__cause__
    return error


def test_a_known_kid_is_fetched_once_and_then_served_from_memory(jwks: dict[str, Any]) -> None:
    fetcher = FakeFetcher(jwks)
    cache = JwksCache(fetcher=fetcher)
    first = cache.get_key(JWKS_URI, KID)
    assert cache.get_key(JWKS_URI, KID) is first
    assert fetcher.calls == [JWKS_URI]


def test_many_threads_with_one_unknown_kid_cause_exactly_one_fetch(
    jwks: dict[str, Any], rotated_jwks: dict[str, Any]
) -> None:
    fetcher = FakeFetcher(jwks, rotated_jwks)
    clock = FakeClock()
    cache = JwksCache(fetcher=fetcher, clock=clock, cooldown=60)
    cache.get_key(JWKS_URI, KID)
    clock.now += 61  # past the cooldown of the first fetch
    fetcher.release.clear()
    fetcher.entered.clear()
    results: list[object] = []
    start = threading.Barrier(24)

    def worker() -> None:
        start.wait()
        try:
            results.append(cache.get_key(JWKS_URI, ROTATED_KID))
        except Exception as exc:  # collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(24)]
    for thread in threads:
        thread.start()
    assert fetcher.entered.wait(5)
    fetcher.release.set()  # every other thread is waiting on this one fetch (or hits the key)
    for thread in threads:
        thread.join(5)
    assert len(fetcher.calls) == 2  # the initial fetch and exactly one refetch
    assert len(results) == 24
    assert all(isinstance(r, rsa.RSAPublicKey) for r in results), results
    assert len({id(r) for r in results}) == 1


def test_an_unknown_kid_waits_for_the_cooldown_before_the_next_refetch(
    jwks: dict[str, Any],
) -> None:
    fetcher = FakeFetcher(jwks)
    clock = FakeClock()
    cache = JwksCache(fetcher=fetcher, clock=clock, cooldown=60)
    with pytest.raises(UnknownKeyError) as caught:
        cache.get_key(JWKS_URI, "forged-1")  # first fetch: the kid is not in it
    assert str(caught.value) == (
        f"kid: 'forged-1' is not a key of {JWKS_URI} (not in the JWKS, even after a refetch)"
    )
    assert (caught.value.actual, caught.value.expected) == ("forged-1", [KID])
    for forged in range(50):
        clock.now += 1
        with pytest.raises(UnknownKeyError, match=r"next refetch in \d+ s"):
            cache.get_key(JWKS_URI, f"forged-{forged}")
    assert len(fetcher.calls) == 1  # 50 forged kids within the cooldown: no request at all
    clock.now += 10  # 60 s after the fetch
    with pytest.raises(UnknownKeyError, match="even after a refetch"):
        cache.get_key(JWKS_URI, "forged-again")
    assert len(fetcher.calls) == 2


def run_threads(count: int, work: Callable[[], object]) -> list[object]:
    """Run ``work`` in ``count`` threads released together; results or exceptions, in any order."""
    results: list[object] = []
    start = threading.Barrier(count)

    def worker() -> None:
        start.wait()
        try:
            results.append(work())
        except Exception as exc:  # collected and asserted by the caller
            results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(results) == count
    return results


FAILED = f"jwks: fetching {JWKS_URI} failed: OSError: connection refused"


def test_a_failed_fetch_reaches_every_waiting_thread_then_cools_down(
    jwks: dict[str, Any],
) -> None:
    fetcher = FakeFetcher(jwks, error=OSError("connection refused"))
    fetcher.release.clear()
    clock = FakeClock()
    cache = JwksCache(fetcher=fetcher, clock=clock, failure_cooldown=10)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            cache.get_key(JWKS_URI, KID)
        except JwksFetchError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert fetcher.entered.wait(5)
    fetcher.release.set()
    for thread in threads:
        thread.join(5)
    assert len(fetcher.calls) == 1
    assert len(errors) == 8
    assert {str(e) for e in errors} == {FAILED}
    assert len({id(e) for e in errors}) == 8  # one exception object per thread
    assert all(isinstance(root_cause(e), OSError) for e in errors)
    fetcher.error = None  # the endpoint recovers, but the failure cooldown still holds
    clock.now += 3
    with pytest.raises(JwksFetchError) as caught:
        cache.get_key(JWKS_URI, KID)
    assert str(caught.value) == f"{FAILED} (failed 3 s ago; next attempt in 7 s)"
    assert isinstance(root_cause(caught.value), OSError)  # the original reason, as its cause
    assert len(fetcher.calls) == 1
    clock.now += 7  # the cooldown has passed: one new fetch
    assert isinstance(cache.get_key(JWKS_URI, KID), rsa.RSAPublicKey)
    assert len(fetcher.calls) == 2


def test_requests_during_the_failure_cooldown_fetch_nothing(jwks: dict[str, Any]) -> None:
    fetcher = FakeFetcher(jwks, error=JwksFetchError("jwks: GET x timed out", actual="timeout"))
    clock = FakeClock()
    cache = JwksCache(fetcher=fetcher, clock=clock, failure_cooldown=10)
    with pytest.raises(JwksFetchError, match=r"^jwks: GET x timed out$"):
        cache.get_key(JWKS_URI, KID)
    for forged in range(50):  # forged kids, or real ones: nothing to serve them from
        clock.now += 0.1
        with pytest.raises(JwksFetchError) as caught:
            cache.get_key(JWKS_URI, f"forged-{forged}")
        assert str(caught.value).startswith("jwks: GET x timed out (failed ")
        assert (caught.value.actual, caught.value.expected) == ("timeout", None)
    assert len(fetcher.calls) == 1  # 50 requests within the cooldown: 0 extra fetches
    clock.now = 1000.0 + 9.999
    with pytest.raises(JwksFetchError, match=r"next attempt in 1 s\)$"):
        cache.get_key(JWKS_URI, KID)
    assert len(fetcher.calls) == 1
    clock.now = 1000.0 + 10  # exactly 10 s after the failure: one new fetch, failing again
    with pytest.raises(JwksFetchError, match=r"^jwks: GET x timed out$"):
        cache.get_key(JWKS_URI, KID)
    assert len(fetcher.calls) == 2
    clock.now += 5  # and a new cooldown counts from that second failure
    with pytest.raises(JwksFetchError, match=r"failed 5 s ago; next attempt in 5 s"):
        cache.get_key(JWKS_URI, KID)
    assert len(fetcher.calls) == 2


def test_the_failure_cooldown_is_thread_safe(
    jwks: dict[str, Any], rotated_jwks: dict[str, Any]
) -> None:
    fetcher = FakeFetcher(jwks, rotated_jwks, error=OSError("connection refused"))
    clock = FakeClock()
    cache = JwksCache(fetcher=fetcher, clock=clock, failure_cooldown=10)
    with pytest.raises(JwksFetchError):
        cache.get_key(JWKS_URI, KID)
    clock.now += 5
    during = run_threads(24, lambda: cache.get_key(JWKS_URI, KID))
    assert len(fetcher.calls) == 1  # 24 concurrent requests in the cooldown: no fetch
    assert all(isinstance(r, JwksFetchError) for r in during), during
    assert {str(r) for r in during} == {f"{FAILED} (failed 5 s ago; next attempt in 5 s)"}
    assert len({id(r) for r in during}) == 24  # one exception object per thread
    fetcher.error = None
    clock.now += 5  # the cooldown has passed: 24 concurrent requests share exactly one fetch
    fetcher.release.clear()
    fetcher.entered.clear()
    results: list[object] = []
    runner = threading.Thread(
        target=lambda: results.extend(run_threads(24, lambda: cache.get_key(JWKS_URI, KID)))
    )
    runner.start()
    assert fetcher.entered.wait(5)
    fetcher.release.set()  # every other thread is waiting on this one fetch
    runner.join(10)
    assert len(fetcher.calls) == 2
    assert len(results) == 24
    assert all(isinstance(r, rsa.RSAPublicKey) for r in results), results


def test_a_failed_refetch_cools_down_but_known_keys_keep_working(
    jwks: dict[str, Any],
) -> None:
    fetcher = FakeFetcher(jwks)
    clock = FakeClock()
    cache = JwksCache(fetcher=fetcher, clock=clock, cooldown=60, failure_cooldown=10)
    known = cache.get_key(JWKS_URI, KID)
    clock.now += 60
    fetcher.error = OSError("connection refused")
    with pytest.raises(JwksFetchError, match=f"^{re.escape(FAILED)}$"):
        cache.get_key(JWKS_URI, "rotated")  # an unknown kid refetches, and the fetch fails
    for forged in range(20):
        with pytest.raises(JwksFetchError, match="next attempt in 10 s"):
            cache.get_key(JWKS_URI, f"forged-{forged}")
        assert cache.get_key(JWKS_URI, KID) is known  # the cached keys still verify
    assert len(fetcher.calls) == 2


def test_preloading_ends_a_failure_cooldown(jwks: dict[str, Any]) -> None:
    fetcher = FakeFetcher(error=OSError("connection refused"))
    cache = JwksCache(fetcher=fetcher, clock=FakeClock())
    with pytest.raises(JwksFetchError):
        cache.get_key(JWKS_URI, KID)
    cache.preload(JWKS_URI, jwks)
    assert isinstance(cache.get_key(JWKS_URI, KID), rsa.RSAPublicKey)
    assert len(fetcher.calls) == 1


def test_a_zero_failure_cooldown_fetches_again_at_once(jwks: dict[str, Any]) -> None:
    fetcher = FakeFetcher(jwks, error=OSError("connection refused"))
    cache = JwksCache(fetcher=fetcher, clock=FakeClock(), failure_cooldown=0)
    for _ in range(3):
        with pytest.raises(JwksFetchError, match=f"^{re.escape(FAILED)}$"):
            cache.get_key(JWKS_URI, KID)
    assert len(fetcher.calls) == 3


def test_the_default_failure_cooldown_is_10_seconds(jwks: dict[str, Any]) -> None:
    assert DEFAULT_FAILURE_COOLDOWN == 10.0
    fetcher = FakeFetcher(jwks, error=OSError("connection refused"))
    clock = FakeClock()
    cache = JwksCache(fetcher=fetcher, clock=clock)
    with pytest.raises(JwksFetchError):
        cache.get_key(JWKS_URI, KID)
    clock.now += 9.5
    with pytest.raises(JwksFetchError, match="next attempt in 1 s"):
        cache.get_key(JWKS_URI, KID)
    assert len(fetcher.calls) == 1


@pytest.mark.parametrize("name", ["cooldown", "failure_cooldown", "wait_timeout"])
@pytest.mark.parametrize("value", [-1, float("nan"), "10", True])
def test_fails_when_a_duration_is_not_a_number_of_seconds(name: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"^{name} must be a number of seconds >= 0, got "):
        JwksCache(**{name: value})  # type: ignore[arg-type]


def test_a_preloaded_jwks_never_fetches(jwks: dict[str, Any]) -> None:
    fetcher = FakeFetcher(jwks)
    cache = JwksCache(fetcher=fetcher)
    cache.preload(JWKS_URI, jwks)
    assert isinstance(cache.get_key(JWKS_URI, KID), rsa.RSAPublicKey)
    with pytest.raises(UnknownKeyError, match="preloaded for offline use"):
        cache.get_key(JWKS_URI, ROTATED_KID)
    assert fetcher.calls == []


def test_a_preloaded_jwks_may_allow_refetches_after_the_cooldown(
    jwks: dict[str, Any], rotated_jwks: dict[str, Any]
) -> None:
    fetcher = FakeFetcher(rotated_jwks)
    clock = FakeClock()
    cache = JwksCache(fetcher=fetcher, clock=clock, cooldown=60)
    cache.preload(JWKS_URI, jwks, refetch=True)
    with pytest.raises(UnknownKeyError, match="next refetch in 60 s"):
        cache.get_key(JWKS_URI, ROTATED_KID)
    clock.now += 60
    assert isinstance(cache.get_key(JWKS_URI, ROTATED_KID), rsa.RSAPublicKey)
    assert fetcher.calls == [JWKS_URI]


def test_keys_that_cannot_verify_rs256_are_skipped_with_a_reason(
    signing_key: rsa.RSAPrivateKey,
) -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ec_key = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    document = {
        "keys": [
            public_jwk(signing_key, KID),
            public_jwk(small, "small"),
            {"kty": "EC", "kid": "ec", "crv": "P-256", "x": str(ec_key.x), "y": str(ec_key.y)},
            public_jwk(signing_key, "enc") | {"use": "enc"},
            public_jwk(signing_key, "ps") | {"alg": "PS256"},
            public_jwk(signing_key, "bad-n") | {"n": "A"},
            {"kty": "RSA", "n": "AQAB", "e": "AQAB"},  # no kid: ignored
            "not a key",
        ]
    }
    key_set = KeySet.parse(document)
    assert sorted(key_set.keys) == [KID]
    assert key_set.skipped == {
        "small": "the modulus has 1024 bits, fewer than 2048",
        "ec": "kty is 'EC', not 'RSA'",
        "enc": "use is 'enc', not 'sig'",
        "ps": "alg is 'PS256', not 'RS256'",
        "bad-n": "n is not valid base64url",
    }
    cache = JwksCache(fetcher=FakeFetcher())
    cache.preload(JWKS_URI, document)
    with pytest.raises(UnknownKeyError) as caught:
        cache.get_key(JWKS_URI, "small")
    assert str(caught.value) == (
        f"kid: 'small' is not a key of {JWKS_URI} (the JWKS lists it but it is not usable: "
        "the modulus has 1024 bits, fewer than 2048)"
    )


@pytest.mark.parametrize("document", [[], {"keys": {}}, {"key": []}, "jwks", None])
def test_fails_when_the_document_is_not_a_jwks(document: object) -> None:
    cache = JwksCache(fetcher=FakeFetcher(document))
    with pytest.raises(JwksError) as caught:
        cache.get_key(JWKS_URI, KID)
    assert type(caught.value) is JwksError
    assert str(caught.value) == f"jwks: {JWKS_URI} is not a JSON object with a 'keys' list"
    assert caught.value.expected == '{"keys": [...]}'


# --- the HTTPS fetcher --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "loopback", "allowed"),
    [
        ("https://cognito-idp.eu-west-1.amazonaws.com/x/.well-known/jwks.json", False, True),
        ("http://cognito-idp.eu-west-1.amazonaws.com/x/.well-known/jwks.json", False, False),
        ("http://cognito-idp.eu-west-1.amazonaws.com/x/.well-known/jwks.json", True, False),
        ("http://127.0.0.1:5000/x/.well-known/jwks.json", False, False),
        ("http://127.0.0.1:5000/x/.well-known/jwks.json", True, True),
        ("http://[::1]:5000/jwks.json", True, True),
        ("http://localhost:5000/jwks.json", True, True),
        ("http://127.0.0.1.evil.test/jwks.json", True, False),
        ("file:///etc/passwd", True, False),
        ("https:///no-host", False, False),
    ],
)
def test_only_https_or_opted_in_loopback_http_is_fetched(
    uri: str, loopback: bool, allowed: bool
) -> None:
    if allowed:
        check_jwks_uri(uri, allow_http_loopback=loopback)
        return
    with pytest.raises(JwksFetchError) as caught:
        check_jwks_uri(uri, allow_http_loopback=loopback)
    assert caught.value.actual == uri
    assert str(caught.value).startswith(f"jwks: refusing to fetch {uri!r}: only https://")


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def do_GET(self) -> None:
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(jwks: dict[str, Any]) -> Iterator[str]:
    """A loopback HTTP server with a JWKS and a few bad answers."""
    _Handler.routes = {
        "/jwks.json": (200, {"Content-Type": "application/json"}, json.dumps(jwks).encode()),
        "/html": (200, {}, b"<html>"),
        "/big": (200, {}, b"[" + b" " * 300_000 + b"]"),
        "/moved": (302, {"Location": "http://127.0.0.1:1/jwks.json"}, b""),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    thread.join(5)
    httpd.server_close()


def test_the_fetcher_reads_a_jwks_over_loopback_http_when_opted_in(
    server: str, jwks: dict[str, Any]
) -> None:
    fetcher = UrllibFetcher(allow_http_loopback=True, timeout=2)
    assert fetcher(f"{server}/jwks.json") == jwks
    cache = JwksCache(fetcher=fetcher)
    assert isinstance(cache.get_key(f"{server}/jwks.json", KID), rsa.RSAPublicKey)


def test_the_default_fetcher_refuses_loopback_http(server: str) -> None:
    with pytest.raises(JwksFetchError, match="refusing to fetch"):
        JwksCache().get_key(f"{server}/jwks.json", KID)


@pytest.mark.parametrize(
    ("path", "message", "actual"),
    [
        ("/missing", "returned HTTP 404", 404),
        ("/moved", "returned HTTP 302", 302),  # redirects are not followed
        ("/html", "returned a body that is not JSON", "b'<html>'"),
        ("/big", "returned more than 262144 bytes", 262145),
    ],
)
def test_the_fetcher_fails_clearly(server: str, path: str, message: str, actual: object) -> None:
    with pytest.raises(JwksFetchError) as caught:
        UrllibFetcher(allow_http_loopback=True, timeout=2)(f"{server}{path}")
    assert str(caught.value) == f"jwks: GET {server}{path} {message}"
    assert caught.value.actual == actual


def test_the_fetcher_reports_an_unreachable_host() -> None:
    with pytest.raises(JwksFetchError) as caught:
        UrllibFetcher(allow_http_loopback=True, timeout=2)("http://127.0.0.1:1/jwks.json")
    assert str(caught.value).startswith("jwks: GET http://127.0.0.1:1/jwks.json failed: ")
    assert caught.value.expected == "HTTP 200"
