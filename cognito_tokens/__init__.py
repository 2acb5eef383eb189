"""Verify Amazon Cognito user pool tokens in a backend, without the AWS CDK.

Example:
    >>> from cognito_tokens import CognitoJwtVerifier
    >>> verifier = CognitoJwtVerifier(
    ...     user_pool_id="eu-west-1_AbC123", token_use="access", client_id="1example23456789"
    ... )
    >>> claims = verifier.verify(token)  # doctest: +SKIP

Every refusal is a ``TokenError`` subclass carrying ``actual`` and ``expected``. Also here:
``AsyncCognitoJwtVerifier`` (``await verifier.verify(token)``), ``MultiIssuerVerifier`` (several
pools or issuers), ``IdTokenClaims`` / ``AccessTokenClaims`` (typed claims); framework
integrations in ``cognito_tokens.fastapi`` and ``cognito_tokens.flask`` (optional extras).
"""

from cognito_tokens.aio import AsyncCognitoJwtVerifier
from cognito_tokens.claims import AccessTokenClaims, Claims, IdTokenClaims, typed_claims
from cognito_tokens.errors import (
    ClaimCheckError,
    ExpiredTokenError,
    InvalidSignatureError,
    JwksError,
    JwksFetchError,
    MalformedTokenError,
    MissingGroupError,
    MissingScopeError,
    MissingTokenError,
    NotYetValidError,
    TokenError,
    UnknownKeyError,
    UnsupportedAlgorithmError,
    WrongAudienceError,
    WrongIssuerError,
    WrongTokenUseError,
)
from cognito_tokens.jwks import JwksCache, KeySet, UrllibFetcher, check_jwks_uri, default_cache
from cognito_tokens.multi import MultiIssuerVerifier
from cognito_tokens.verifier import (
    ANY_CLIENT,
    CognitoJwtVerifier,
    IssuerType,
    TokenUse,
    issuer_url,
    jwks_url,
    parse_user_pool_id,
)

__all__ = [
    "ANY_CLIENT",
    "AccessTokenClaims",
    "AsyncCognitoJwtVerifier",
    "ClaimCheckError",
    "Claims",
    "CognitoJwtVerifier",
    "ExpiredTokenError",
    "IdTokenClaims",
    "InvalidSignatureError",
    "IssuerType",
    "JwksCache",
    "JwksError",
    "JwksFetchError",
    "KeySet",
    "MalformedTokenError",
    "MissingGroupError",
    "MissingScopeError",
    "MissingTokenError",
    "MultiIssuerVerifier",
    "NotYetValidError",
    "TokenError",
    "TokenUse",
    "UnknownKeyError",
    "UnsupportedAlgorithmError",
    "UrllibFetcher",
    "WrongAudienceError",
    "WrongIssuerError",
    "WrongTokenUseError",
    "check_jwks_uri",
    "default_cache",
    "issuer_url",
    "jwks_url",
    "parse_user_pool_id",
    "typed_claims",
]
