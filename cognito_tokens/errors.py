"""Why a token was refused: one base class, one narrow subclass per check.

Every error carries what was found (``actual``) and what was required (``expected``) as data, so a
caller can log or branch on them without parsing the message. Messages are one line and never
contain the token itself; values taken from an untrusted token are shown shortened.
"""

from __future__ import annotations

_MAX_SHOWN = 80


def shown(value: object) -> str:
    """``repr`` of ``value`` on one line, cut to a length that is safe to log.

    Claims of a refused token are attacker-controlled: a long or multi-line value must not flood
    or forge log lines.
    """
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int past 4300 digits, a list nested too deep
        text = f"<{type(value).__name__} too large to show>"
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return text


class TokenError(Exception):
    """Base class: the token was not accepted.

    Attributes:
        actual: The value found in the token (or ``None`` when it was absent).
        expected: The value, set or rule that was required.
    """

    def __init__(self, message: str, *, actual: object = None, expected: object = None) -> None:
        # One line, whatever the caller passed: these messages go to logs and to stderr.
        super().__init__(" ".join(message.split()))
        self.actual = actual
        self.expected = expected


class MalformedTokenError(TokenError):
    """Not a compact JWS with JSON header and object payload, or a claim of the wrong type."""


class UnsupportedAlgorithmError(TokenError):
    """The header names an algorithm other than RS256 (``none``, ``HS256``, ``ES256``, ...)."""


class UnknownKeyError(TokenError):
    """No usable RS256 key with the token's ``kid`` in the pool's JWKS, even after a refetch."""


class InvalidSignatureError(TokenError):
    """The signature does not match the header and payload under the pool's key."""


class ExpiredTokenError(TokenError):
    """``exp`` is in the past (beyond the leeway)."""


class NotYetValidError(TokenError):
    """``nbf`` or ``iat`` is in the future (beyond the leeway)."""


class WrongIssuerError(TokenError):
    """``iss`` is not the user pool's issuer URL."""


class WrongAudienceError(TokenError):
    """``aud`` (ID token) or ``client_id`` (access token) is not one of the allowed app clients.

    Also raised when that claim is not one string (a list of audiences, a number, ...): Cognito
    always issues exactly one client id as a string, so any other shape is refused, even a list
    that contains an allowed client, and even with ``ANY_CLIENT``.
    """


class WrongTokenUseError(TokenError):
    """``token_use`` is not the expected ``id`` or ``access``."""


class MissingGroupError(TokenError):
    """A required group is not in ``cognito:groups``."""


class MissingScopeError(TokenError):
    """A required scope is not in ``scope``."""


class ClaimCheckError(TokenError):
    """A custom claim check refused the claim, raised, or the claim is missing."""


class JwksError(TokenError):
    """The JWKS document is not a JSON object with a ``keys`` list."""


class JwksFetchError(JwksError):
    """The JWKS could not be fetched (network, HTTP status, size, timeout, or a refused URI)."""


class MissingTokenError(TokenError):
    """The request carries no ``Authorization: Bearer <token>`` (framework integrations)."""
