"""One verifier for several user pools or issuers, each with its own clients and token use.

A multi-tenant backend accepts tokens of several pools; a replicated pool with the original
issuer signs with one issuer per Region. Each accepted (issuer, token use) pair is configured as
its own ``CognitoJwtVerifier``; ``MultiIssuerVerifier`` picks the one whose ``iss`` and
``token_use`` the token claims, and that verifier then checks everything, the signature against
its own JWKS first. The pick reads the payload before the signature is checked, which is safe:
an issuer that is not configured is refused at once, and a configured one only ever trusts its
own keys, so naming another pool's issuer cannot borrow that pool's trust.

    verifier = MultiIssuerVerifier([
        CognitoJwtVerifier(user_pool_id="eu-west-1_TenantA1", token_use="access",
                           client_id="a-client"),
        CognitoJwtVerifier(user_pool_id="us-east-1_TenantB2", token_use="access",
                           client_id="b-client", issuer_type="updated"),
    ])
    claims = verifier.verify(token)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cognito_tokens._decoding import b64decode
from cognito_tokens.errors import (
    TokenError,
    WrongIssuerError,
    WrongTokenUseError,
    shown,
)
from cognito_tokens.jwks import JwksCache
from cognito_tokens.verifier import MAX_TOKEN_LENGTH, CognitoJwtVerifier, _json_object


class MultiIssuerVerifier:
    """Verifies tokens of any of several issuers (pools, Regions, issuer forms) and token uses.

    Args:
        verifiers: One ``CognitoJwtVerifier`` per accepted issuer and token use; two for one
            issuer when both its ID and access tokens are accepted.

    Raises:
        ValueError: No verifiers, something else than a ``CognitoJwtVerifier``, or two for the
            same issuer and token use (which of them applies would be a guess).
    """

    def __init__(self, verifiers: Iterable[CognitoJwtVerifier]) -> None:
        self.verifiers = tuple(verifiers)
        if not self.verifiers:
            raise ValueError("verifiers must hold at least one CognitoJwtVerifier, got none")
        self._by_issuer: dict[str, dict[str, CognitoJwtVerifier]] = {}
        for verifier in self.verifiers:
            if not isinstance(verifier, CognitoJwtVerifier):
                raise ValueError(f"verifiers must be CognitoJwtVerifier, got {verifier!r}")
            uses = self._by_issuer.setdefault(verifier.issuer, {})
            if verifier.token_use in uses:
                raise ValueError(
                    f"verifiers: two verifiers for issuer {verifier.issuer!r} and token_use "
                    f"{verifier.token_use!r}; merge their client ids into one"
                )
            uses[verifier.token_use] = verifier
        self.issuers = tuple(self._by_issuer)

    def verifier_for(self, token: object) -> CognitoJwtVerifier:
        """The configured verifier for the token's ``iss`` and ``token_use`` (nothing verified).

        Raises:
            MalformedTokenError: The token is not a JWT with a JSON object payload.
            WrongIssuerError: ``iss`` is none of the configured issuers.
            WrongTokenUseError: The issuer is configured, but not for this token use.
        """
        if type(token) is not str or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
            # The same refusal as the single verifier's, with the same message.
            return self.verifiers[0]
        payload_segment = token.split(".")[1]
        claims = _json_object("payload", lambda: b64decode(payload_segment))
        iss = claims.get("iss")
        uses = self._by_issuer.get(iss) if type(iss) is str else None
        if uses is None:
            raise WrongIssuerError(
                f"iss: {shown(iss)} is not one of the {len(self.issuers)} accepted issuers",
                actual=iss,
                expected=list(self.issuers),
            )
        token_use = claims.get("token_use")
        verifier = uses.get(token_use) if type(token_use) is str else None
        if verifier is None:
            if len(uses) == 1:
                return next(iter(uses.values()))  # it refuses with its own precise message
            raise WrongTokenUseError(
                f"token_use: {shown(token_use)} is not accepted for {iss}",
                actual=token_use,
                expected=sorted(uses),
            )
        return verifier

    def verify(self, token: str) -> dict[str, Any]:
        """Check ``token`` with the verifier of its issuer and token use; return its claims.

        Raises:
            TokenError: A subclass naming the failed check (``WrongIssuerError`` for an issuer
                that is not configured).
        """
        return self.verifier_for(token).verify(token)

    def pending_key(self, token: object) -> tuple[JwksCache, str, str] | None:
        """What ``verify(token)`` would fetch first (see ``CognitoJwtVerifier.pending_key``)."""
        try:
            verifier = self.verifier_for(token)
        except TokenError:
            return None
        return verifier.pending_key(token)
