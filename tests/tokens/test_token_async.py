"""AsyncCognitoJwtVerifier: the sync verifier's cases, and JWKS fetches off the event loop with
the sync cache's de-duplication and cooldowns."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from request_cases import CASES, SCOPE, Case
from token_factory import CLIENT_ID, JWKS_URI, NOW, POOL_ID, ROTATED_KID, Mint, claims_for

from cognito_tokens import (
    AsyncCognitoJwtVerifier,
    CognitoJwtVerifier,
    JwksCache,
    JwksFetchError,
    MalformedTokenError,
    MultiIssuerVerifier,
    TokenError,
    UnknownKeyError,
)


class BlockingFetcher:
    """Serves ``jwks`` after ``release`` is set, counting calls and the threads they ran on."""

    def __init__(self, jwks: object, *, error: Exception | None = None) -> None:
        self.jwks = jwks
        self.error = error
        self.calls: list[str] = []
        self.threads: set[int] = set()
        self.release = threading.Event()

    def __call__(self, uri: str) -> object:
        self.calls.append(uri)
        self.threads.add(threading.get_ident())
        assert self.release.wait(5)
        if self.error is not None:
            raise self.error
        return self.jwks


def _options(**overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "user_pool_id": POOL_ID,
        "token_use": "access",
        "client_id": CLIENT_ID,
        "required_scopes": [SCOPE],
        "clock": lambda: NOW,
    }
    options.update(overrides)
    return options


@pytest.mark.parametrize("case", [c for c in CASES if c.name != "missing"], ids=lambda c: c.name)
def test_async_and_sync_verifiers_agree(case: Case, jwks: dict[str, Any], mint: Mint) -> None:
    token = case.token(mint)
    assert token is not None
    sync = CognitoJwtVerifier(**_options(jwks=jwks))
    asynchronous = AsyncCognitoJwtVerifier(**_options(jwks=jwks))
    if case.error is None:
        assert asyncio.run(asynchronous.verify(token)) == sync.verify(token)
        return
    with pytest.raises(case.error) as sync_error:
        sync.verify(token)
    with pytest.raises(case.error) as async_error:
        asyncio.run(asynchronous.verify(token))
    assert str(async_error.value) == str(sync_error.value)


def test_a_malformed_token_is_refused_like_the_sync_verifier(jwks: dict[str, Any]) -> None:
    verifier = AsyncCognitoJwtVerifier(**_options(jwks=jwks))
    with pytest.raises(MalformedTokenError, match="expected 3 dot-separated parts, got 1"):
        asyncio.run(verifier.verify("not-a-jwt"))


def test_the_fetch_runs_off_the_event_loop_and_concurrent_calls_share_it(
    jwks: dict[str, Any], mint: Mint
) -> None:
    fetcher = BlockingFetcher(jwks)
    verifier = AsyncCognitoJwtVerifier(**_options(cache=JwksCache(fetcher=fetcher)))
    token = mint(claims_for("access"))

    async def scenario() -> tuple[list[dict[str, Any]], int]:
        tasks = [asyncio.create_task(verifier.verify(token)) for _ in range(20)]
        ticks = 0
        while not fetcher.calls:  # the loop keeps running while the fetch is pending
            await asyncio.sleep(0.001)
            ticks += 1
        for _ in range(5):
            await asyncio.sleep(0.001)
            ticks += 1
        fetcher.release.set()
        return await asyncio.gather(*tasks), ticks

    results, ticks = asyncio.run(scenario())
    assert all(r["client_id"] == CLIENT_ID for r in results)
    assert fetcher.calls == [JWKS_URI]  # twenty callers, one fetch
    assert threading.get_ident() not in fetcher.threads
    assert ticks >= 5


def test_a_cached_key_verifies_without_a_thread(jwks: dict[str, Any], mint: Mint) -> None:
    fetcher = BlockingFetcher(jwks)
    fetcher.release.set()
    verifier = AsyncCognitoJwtVerifier(**_options(cache=JwksCache(fetcher=fetcher)))
    token = mint(claims_for("access"))
    asyncio.run(verifier.verify(token))
    assert verifier.verifier.pending_key(token) is None
    asyncio.run(verifier.verify(token))
    assert len(fetcher.calls) == 1


def test_an_unknown_kid_waits_for_the_sync_cooldown(jwks: dict[str, Any], mint: Mint) -> None:
    fetcher = BlockingFetcher(jwks)
    fetcher.release.set()
    clock = [1000.0]
    cache = JwksCache(fetcher=fetcher, clock=lambda: clock[0], cooldown=60)
    verifier = AsyncCognitoJwtVerifier(**_options(cache=cache))
    asyncio.run(verifier.verify(mint(claims_for("access"))))
    rotated = mint(claims_for("access"), header={"kid": ROTATED_KID, "alg": "RS256"})
    with pytest.raises(UnknownKeyError, match="next refetch in 60 s"):
        asyncio.run(verifier.verify(rotated))
    assert len(fetcher.calls) == 1
    clock[0] += 61
    with pytest.raises(UnknownKeyError, match="not in the JWKS, even after a refetch"):
        asyncio.run(verifier.verify(rotated))
    assert len(fetcher.calls) == 2


def test_a_failed_fetch_cools_down_as_in_the_sync_verifier(mint: Mint) -> None:
    fetcher = BlockingFetcher(None, error=JwksFetchError("jwks: GET failed: down"))
    fetcher.release.set()
    verifier = AsyncCognitoJwtVerifier(**_options(cache=JwksCache(fetcher=fetcher)))
    token = mint(claims_for("access"))
    with pytest.raises(JwksFetchError, match=r"^jwks: GET failed: down$"):
        asyncio.run(verifier.verify(token))
    with pytest.raises(JwksFetchError, match=r"failed 0 s ago; next attempt in 10 s"):
        asyncio.run(verifier.verify(token))
    assert len(fetcher.calls) == 1


def test_wrap_shares_the_sync_verifiers_cache(jwks: dict[str, Any], mint: Mint) -> None:
    sync = CognitoJwtVerifier(**_options(jwks=jwks))
    multi = MultiIssuerVerifier([sync])
    for verifier in (AsyncCognitoJwtVerifier.wrap(sync), AsyncCognitoJwtVerifier.wrap(multi)):
        assert asyncio.run(verifier.verify(mint(claims_for("access"))))["sub"]
    with pytest.raises(ValueError, match="must be a CognitoJwtVerifier or MultiIssuerVerifier"):
        AsyncCognitoJwtVerifier.wrap("verifier")  # type: ignore[arg-type]


def test_every_refusal_is_a_token_error(jwks: dict[str, Any]) -> None:
    verifier = AsyncCognitoJwtVerifier(**_options(jwks=jwks))
    for token in ["", "a.b.c", " " * 10, "x" * 70_000]:
        with pytest.raises(TokenError):
            asyncio.run(verifier.verify(token))
