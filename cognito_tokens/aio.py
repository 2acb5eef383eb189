"""``AsyncCognitoJwtVerifier``: ``await verifier.verify(token)`` without blocking the event loop.

A verification whose key is cached is pure CPU work of some tens of microseconds, done inline.
Only a JWKS fetch (first use of a pool, a new ``kid``) waits on the network: that one call runs
in a worker thread (``asyncio.to_thread``) against the very ``JwksCache`` the sync verifier
uses, so the cache, the refetch cooldown, the failure cooldown and the sharing of concurrent
fetches of one URI are the same rules, not a second implementation. No extra dependency.

    verifier = AsyncCognitoJwtVerifier(
        user_pool_id="eu-west-1_AbC123", token_use="access", client_id="1example23456789"
    )
    claims = await verifier.verify(token)
"""

from __future__ import annotations

from typing import Any

from cognito_tokens.multi import MultiIssuerVerifier
from cognito_tokens.verifier import CognitoJwtVerifier


class AsyncCognitoJwtVerifier:
    """The async face of a ``CognitoJwtVerifier`` (or a ``MultiIssuerVerifier``).

    Args:
        **options: The keyword arguments of ``CognitoJwtVerifier``; or use ``wrap`` for a
            verifier you already have.

    Raises:
        ValueError: As ``CognitoJwtVerifier``.
        JwksFetchError: As ``CognitoJwtVerifier``.
    """

    def __init__(self, **options: Any) -> None:
        self.verifier: CognitoJwtVerifier | MultiIssuerVerifier = CognitoJwtVerifier(**options)

    @classmethod
    def wrap(cls, verifier: CognitoJwtVerifier | MultiIssuerVerifier) -> AsyncCognitoJwtVerifier:
        """An async verifier over ``verifier``, sharing its settings and key cache."""
        if not isinstance(verifier, (CognitoJwtVerifier, MultiIssuerVerifier)):
            raise ValueError(
                f"verifier must be a CognitoJwtVerifier or MultiIssuerVerifier, got {verifier!r}"
            )
        self = cls.__new__(cls)
        self.verifier = verifier
        return self

    async def verify(self, token: str) -> dict[str, Any]:
        """Check ``token`` and return its claims, like ``CognitoJwtVerifier.verify``.

        Raises:
            TokenError: A subclass naming the failed check, exactly as the sync verifier.
        """
        pending = self.verifier.pending_key(token)
        if pending is not None:
            import asyncio  # here, not at import time: a Lambda authorizer never needs it

            cache, jwks_uri, kid = pending
            # Blocking I/O, off the loop. Errors are the cache's own (UnknownKeyError,
            # JwksFetchError) and reach the caller unchanged.
            await asyncio.to_thread(cache.get_key, jwks_uri, kid)
        return self.verifier.verify(token)
