"""Typed views of verified Cognito claims: ``IdTokenClaims`` and ``AccessTokenClaims``.

Build them from what ``verify`` returned (the claims are already checked; these classes only
read them), or call ``typed_claims`` to get the right one by ``token_use``:

    claims = AccessTokenClaims.from_claims(verifier.verify(token))
    if claims.has_scope("orders/write"): ...
    claims.raw["custom:tenant"]          # the verified mapping, unchanged

Claim names are Cognito's; see
https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
and https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from cognito_tokens.errors import MalformedTokenError, shown

CUSTOM_PREFIX = "custom:"
"""Custom user attributes appear in ID tokens as ``custom:<name>``."""


def _str(claims: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = claims.get(name)
    if value is None and not required:
        return None
    if type(value) is not str:
        raise MalformedTokenError(
            f"{name}: must be a string, got {shown(value)}", actual=value, expected="str"
        )
    return value


def _number(claims: Mapping[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if type(value) not in (int, float):
        raise MalformedTokenError(
            f"{name}: must be a number, got {shown(value)}", actual=value, expected="NumericDate"
        )
    return float(value)


def _groups(claims: Mapping[str, Any]) -> tuple[str, ...]:
    value = claims.get("cognito:groups", [])
    if type(value) is not list or not all(type(g) is str for g in value):
        raise MalformedTokenError(
            f"cognito:groups: must be a list of strings, got {shown(value)}",
            actual=value,
            expected="list[str]",
        )
    return tuple(value)


def _bool(claims: Mapping[str, Any], name: str) -> bool | None:
    value = claims.get(name)
    # Cognito has sent email_verified both as a JSON boolean and as "true"/"false".
    if value is None or type(value) is bool:
        return value
    if value in ("true", "false"):
        return value == "true"
    raise MalformedTokenError(
        f"{name}: must be a boolean, got {shown(value)}", actual=value, expected="bool"
    )


@dataclass(frozen=True, kw_only=True)
class _CommonClaims:
    raw: Mapping[str, Any] = field(repr=False)
    sub: str
    iss: str
    token_use: str
    exp: float
    iat: float
    auth_time: float | None
    jti: str | None
    origin_jti: str | None
    event_id: str | None
    groups: tuple[str, ...]

    @classmethod
    def _common(cls, claims: Mapping[str, Any], token_use: str) -> dict[str, Any]:
        """The claims both token kinds carry, once ``token_use`` is the one ``cls`` reads."""
        if claims.get("token_use") != token_use:
            actual = claims.get("token_use")
            raise MalformedTokenError(
                f"token_use: {cls.__name__} needs {token_use!r}, got {shown(actual)}",
                actual=actual,
                expected=token_use,
            )
        exp, iat = _number(claims, "exp"), _number(claims, "iat")
        if exp is None or iat is None:
            raise MalformedTokenError("exp/iat: missing", actual=None, expected="NumericDate")
        return {
            "raw": MappingProxyType(dict(claims)),
            "sub": _str(claims, "sub", required=True),
            "iss": _str(claims, "iss", required=True),
            "token_use": _str(claims, "token_use", required=True),
            "exp": exp,
            "iat": iat,
            "auth_time": _number(claims, "auth_time"),
            "jti": _str(claims, "jti"),
            "origin_jti": _str(claims, "origin_jti"),
            "event_id": _str(claims, "event_id"),
            "groups": _groups(claims),
        }

    def in_group(self, group: str) -> bool:
        """Whether ``group`` is in ``cognito:groups``."""
        return group in self.groups


@dataclass(frozen=True, kw_only=True)
class IdTokenClaims(_CommonClaims):
    """The claims of a verified ID token.

    Attributes:
        raw: The verified claims as received (read-only).
        sub: The user's id in the pool.
        iss: The issuer URL.
        token_use: ``"id"``.
        exp: Expiry, seconds since the epoch.
        iat: Issue time.
        auth_time: When the user signed in (unchanged by refreshes).
        jti: The token's id.
        origin_jti: The id of the sign-in that this token descends from (revocation).
        event_id: The sign-in event.
        groups: ``cognito:groups``; empty when the user is in none.
        aud: The app client id.
        username: ``cognito:username``.
        email: ``email``, if the pool shares it. Default: ``None``.
        email_verified: ``email_verified``. Default: ``None``.
        phone_number: ``phone_number``. Default: ``None``.
        custom: The custom attributes, without the ``custom:`` prefix.
    """

    aud: str
    username: str | None
    email: str | None
    email_verified: bool | None
    phone_number: str | None
    custom: Mapping[str, Any]

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> IdTokenClaims:
        """Read the claims of a verified ID token.

        Raises:
            MalformedTokenError: ``token_use`` is not ``"id"``, or a claim has the wrong type.
        """
        common = cls._common(claims, "id")
        custom = {
            name.removeprefix(CUSTOM_PREFIX): value
            for name, value in claims.items()
            if name.startswith(CUSTOM_PREFIX)
        }
        return cls(
            **common,
            aud=_str(claims, "aud", required=True) or "",
            username=_str(claims, "cognito:username"),
            email=_str(claims, "email"),
            email_verified=_bool(claims, "email_verified"),
            phone_number=_str(claims, "phone_number"),
            custom=MappingProxyType(custom),
        )


@dataclass(frozen=True, kw_only=True)
class AccessTokenClaims(_CommonClaims):
    """The claims of a verified access token.

    Attributes:
        raw: The verified claims as received (read-only).
        sub: The user's id, or the client id for client-credentials tokens.
        iss: The issuer URL.
        token_use: ``"access"``.
        exp: Expiry, seconds since the epoch.
        iat: Issue time.
        auth_time: When the user signed in.
        jti: The token's id.
        origin_jti: The id of the sign-in that this token descends from.
        event_id: The sign-in event.
        groups: ``cognito:groups``.
        client_id: The app client id.
        username: ``username`` (absent in client-credentials tokens).
        scopes: ``scope`` split at spaces.
    """

    client_id: str
    username: str | None
    scopes: tuple[str, ...]

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> AccessTokenClaims:
        """Read the claims of a verified access token.

        Raises:
            MalformedTokenError: ``token_use`` is not ``"access"``, or a claim has the wrong
                type.
        """
        common = cls._common(claims, "access")
        return cls(
            **common,
            client_id=_str(claims, "client_id", required=True) or "",
            username=_str(claims, "username"),
            scopes=tuple((_str(claims, "scope") or "").split()),
        )

    def has_scope(self, scope: str) -> bool:
        """Whether ``scope`` was granted."""
        return scope in self.scopes


Claims = IdTokenClaims | AccessTokenClaims
"""Either typed view."""


def typed_claims(claims: Mapping[str, Any]) -> Claims:
    """``IdTokenClaims`` or ``AccessTokenClaims``, by the verified ``token_use``.

    Raises:
        MalformedTokenError: ``token_use`` is neither, or a claim has the wrong type.
    """
    if claims.get("token_use") == "id":
        return IdTokenClaims.from_claims(claims)
    return AccessTokenClaims.from_claims(claims)
