"""Verify Cognito user pool ID and access tokens: RS256 signature against the JWKS, then claims.

Parsing uses ``binascii`` and ``json``, or the faster decoders of the ``speedups`` extra when
it is installed, with the same results (``cognito_tokens/_decoding.py``). The signature check is
OpenSSL's PKCS#1 v1.5 verification (through ``cryptography``, with a key object built once per
``kid``) of the ``hashlib`` SHA-256 digest. That keeps a whole verification close to the cost of
the RSA operation itself (see ``bench/token_verify.py``).

See https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import re
import time
from collections.abc import Callable, Iterable, Mapping
from copy import deepcopy
from typing import Any, Final, Literal, TypeGuard

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.hashes import SHA256

from cognito_tokens._decoding import DEFAULT, PADS, b64decode_strict, is_canonical, json_value
from cognito_tokens.errors import (
    ClaimCheckError,
    ExpiredTokenError,
    InvalidSignatureError,
    MalformedTokenError,
    MissingGroupError,
    MissingScopeError,
    NotYetValidError,
    TokenError,
    UnsupportedAlgorithmError,
    WrongAudienceError,
    WrongIssuerError,
    WrongTokenUseError,
    shown,
)
from cognito_tokens.jwks import JwksCache, check_jwks_uri, default_cache

TokenUse = Literal["id", "access"]
ClaimCheck = Callable[[Any], object]


class _AnyClient(enum.Enum):
    ANY_CLIENT = "ANY_CLIENT"

    def __repr__(self) -> str:
        return "ANY_CLIENT"


ANY_CLIENT: Final = _AnyClient.ANY_CLIENT
"""Pass as ``client_id`` to accept tokens of every app client of the pool (explicit opt-out)."""

DEFAULT_LEEWAY = 5.0
"""Seconds of clock skew allowed between Cognito and this host for ``exp``, ``nbf``, ``iat``."""

MAX_TOKEN_LENGTH = 64 * 1024
"""Cognito tokens are a few KiB even with many groups; longer input is refused before any work."""

_REGION_PATTERN = r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}"
_REGION = re.compile(_REGION_PATTERN)
_POOL_ID = re.compile(rf"(?P<region>{_REGION_PATTERN})_[0-9A-Za-z]+")
_HEADER_CACHE_SIZE = 32
_PAYLOAD_CACHE_SIZE = 1024
_SCALARS = (str, int, float, bool, type(None))


# Stateless, so one instance serves every call and thread.
_PADDING = PKCS1v15()
# The signing input is hashed with hashlib and handed to OpenSSL's own PKCS#1 v1.5 check as a
# prehashed SHA-256 digest: the padding and DigestInfo checks stay OpenSSL's, not ours.
_PREHASHED_SHA256 = Prehashed(SHA256())
_sha256 = hashlib.sha256
# The hot path's decoders: the speedups extra's when it is installed, else the stdlib's; the
# claims and the errors are the same (see cognito_tokens/_decoding.py).
_signature_bytes, _payload_bytes, _payload_value = DEFAULT.signature, DEFAULT.payload, DEFAULT.value


def _json_object(part: str, decode: Callable[[], bytes]) -> dict[str, Any]:
    """The JSON object of a token ``part`` (``decode()`` gives its bytes), or the
    ``MalformedTokenError`` that says why not; a ``ValueError`` of ``decode`` is one too."""
    try:
        value = json_value(decode())
    except ValueError as exc:
        raise MalformedTokenError(
            f"{part}: not base64url-encoded JSON", actual="invalid", expected="JSON object"
        ) from exc
    if type(value) is not dict:
        raise MalformedTokenError(
            f"{part}: not a JSON object", actual=type(value).__name__, expected="object"
        )
    return value


def _payload_claims(payload: bytes, error: ValueError | None) -> dict[str, Any]:
    """The claims of a signed payload, or the ``MalformedTokenError`` that says why not.

    ``error`` is the payload's base64 failure, if any: reported only now that the signature
    over the payload's text has held.
    """

    def signed() -> bytes:
        if error is not None:
            raise error
        return payload

    return _json_object("payload", signed)


_MAX_DATE = 2**53
"""Largest NumericDate magnitude accepted (about 285 million years): beyond it ``exp + leeway``
cannot be computed as a float (``10**400`` would raise ``OverflowError``)."""


def _numeric_date(value: object) -> float | None:
    """``value`` as a NumericDate, or ``None`` when it is not a finite number in range."""
    # bool is an int subclass: "exp": true is malformed, not 1970-01-01T00:00:01Z.
    if type(value) is int:
        return value if -_MAX_DATE <= value <= _MAX_DATE else None
    if type(value) is float and -_MAX_DATE <= value <= _MAX_DATE:  # False for NaN
        return value
    return None


class _Template:
    """Claims parsed once from a payload, and the claims that a copy must copy in turn."""

    __slots__ = ("claims", "lists", "nested")

    def __init__(self, claims: dict[str, Any]) -> None:
        self.claims = claims
        # Lists of strings (cognito:groups) copy cheaply; anything nested deeper is deep-copied.
        self.lists: tuple[str, ...] = ()
        self.nested: tuple[str, ...] = ()
        for name, value in claims.items():
            kind = type(value)
            if kind is list and all(type(v) is str for v in value):
                self.lists += (name,)
            elif kind not in _SCALARS:
                self.nested += (name,)

    def fresh(self) -> dict[str, Any]:
        """A copy the caller may change without touching the cached claims."""
        copy = self.claims.copy()
        for name in self.lists:
            copy[name] = copy[name].copy()
        for name in self.nested:
            copy[name] = deepcopy(copy[name])
        return copy


def _is_number(value: object) -> TypeGuard[float]:
    return _numeric_date(value) is not None


def _utc(seconds: float) -> str:
    try:
        moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return f"{seconds:g}"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_user_pool_id(user_pool_id: str) -> str:
    """The region of a user pool id such as ``eu-west-1_AbC123``.

    Raises:
        ValueError: ``user_pool_id`` is not ``<region>_<id>``.
    """
    match = _POOL_ID.fullmatch(user_pool_id) if isinstance(user_pool_id, str) else None
    if match is None:
        raise ValueError(
            f"user_pool_id must look like 'eu-west-1_AbC123' (region, underscore, id), "
            f"got {user_pool_id!r}"
        )
    return match.group("region")


def dns_suffix(region: str) -> str:
    """The DNS suffix of the AWS partition that ``region`` belongs to.

    The China Regions (``cn-north-1``, ``cn-northwest-1``) are in the ``aws-cn`` partition,
    served under ``amazonaws.com.cn``; every other Region with Cognito user pools, GovCloud
    included, is under ``amazonaws.com``. For any other endpoint, pass ``issuer=`` to the
    verifier. See https://docs.aws.amazon.com/general/latest/gr/cognito_identity.html
    """
    return "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"


IssuerType = Literal["original", "updated"]
"""The pool's issuer configuration (``IssuerConfiguration.Type``, in lower case):

- ``"original"``: ``https://cognito-idp.<region>.<dns suffix>/<pool>``, hosted in one Region.
- ``"updated"``: ``https://issuer-cognito-idp.<primary region>.<dns suffix>/<pool>``, the issuer
  of multi-Region replication: every replica signs with the primary Region in ``iss`` and hosts
  the same JWKS.

See https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_IssuerConfigurationType.html
"""

_ISSUER_HOSTS: Final[dict[str, str]] = {"original": "cognito-idp", "updated": "issuer-cognito-idp"}


def _issuer_host(issuer_type: object) -> str:
    host = _ISSUER_HOSTS.get(issuer_type) if isinstance(issuer_type, str) else None
    if host is None:
        raise ValueError(f"issuer_type must be 'original' or 'updated', got {issuer_type!r}")
    return host


def _region(region: str | None, default: str) -> str:
    if region is None:
        return default
    if not isinstance(region, str) or _REGION.fullmatch(region) is None:
        raise ValueError(f"region must be an AWS Region such as 'us-east-1', got {region!r}")
    return region


def issuer_url(
    user_pool_id: str, *, issuer_type: IssuerType = "original", region: str | None = None
) -> str:
    """The ``iss`` of the pool's tokens.

    ``"original"``: ``https://cognito-idp.<region>.<dns suffix>/<pool>``. ``"updated"``:
    ``https://issuer-cognito-idp.<primary region>.<dns suffix>/<pool>``, the same for tokens of
    every replica. The DNS suffix follows the partition: ``amazonaws.com.cn`` for ``cn-``
    Regions, else ``amazonaws.com`` (see ``dns_suffix``).

    Args:
        user_pool_id: ``<region>_<id>``; a replicated pool keeps the primary's id everywhere.
        issuer_type: The pool's issuer configuration. Default: ``"original"``.
        region: For ``"original"`` only: the Region that issued the token, when it is not the
            Region in the pool id (a replica). An updated issuer always names the primary
            Region. Default: the Region in the pool id.

    Raises:
        ValueError: A bad pool id, issuer type or Region, or ``region`` with ``"updated"``.
    """
    primary = parse_user_pool_id(user_pool_id)
    host = _issuer_host(issuer_type)
    if issuer_type == "updated" and region is not None and region != primary:
        raise ValueError(
            f"region={region!r}: an updated issuer always names the primary Region "
            f"({primary!r}); give region to jwks_url() or the verifier, which fetch the keys "
            "there"
        )
    where = _region(region, primary)
    return f"https://{host}.{where}.{dns_suffix(where)}/{user_pool_id}"


def jwks_url(
    user_pool_id: str, *, issuer_type: IssuerType = "original", region: str | None = None
) -> str:
    """Where the issuer publishes its keys: ``https://<issuer host>/<pool>/.well-known/jwks.json``.

    An updated issuer hosts the same JWKS in every Region of a replicated pool, so ``region``
    picks the nearest copy; for an original issuer it is the Region that issued the tokens.

    Args:
        user_pool_id: ``<region>_<id>``.
        issuer_type: The pool's issuer configuration. Default: ``"original"``.
        region: The Region to fetch from. Default: the Region in the pool id.

    Raises:
        ValueError: A bad pool id, issuer type or Region.
    """
    where = _region(region, parse_user_pool_id(user_pool_id))
    host = _issuer_host(issuer_type)
    return f"https://{host}.{where}.{dns_suffix(where)}/{user_pool_id}/.well-known/jwks.json"


def _client_ids(client_id: str | Iterable[str] | _AnyClient | None) -> frozenset[str] | None:
    if client_id is ANY_CLIENT:
        return None
    if client_id is None:
        raise ValueError(
            "client_id is None: pass the app client id(s), or client_id=ANY_CLIENT to accept "
            "tokens of every client of the pool"
        )
    ids = (client_id,) if isinstance(client_id, str) else tuple(client_id)
    if not ids or not all(isinstance(i, str) and i for i in ids):
        raise ValueError(f"client_id must be one or more non-empty strings, got {client_id!r}")
    return frozenset(ids)


def _names(values: Iterable[str], what: str) -> tuple[str, ...]:
    names = (values,) if isinstance(values, str) else tuple(values)
    for name in names:
        if not isinstance(name, str) or not name or any(c.isspace() for c in name):
            raise ValueError(f"{what} must be non-empty strings without spaces, got {name!r}")
    return names


class CognitoJwtVerifier:
    """Verifies tokens of one user pool and one token use; safe to share between threads.

    Create one per pool and token use at start-up and call ``verify`` per request: keys are cached
    by ``kid`` in the ``JwksCache`` (the process-wide one by default).

    Args:
        user_pool_id: The pool id, ``<region>_<id>``; the region and the issuer come from it.
        token_use: ``"id"`` for ID tokens (client in ``aud``) or ``"access"`` for access tokens
            (client in ``client_id``).
        client_id: The app client id, or several, that tokens must be issued to. Required: pass
            ``ANY_CLIENT`` to explicitly accept every client of the pool.
        required_groups: Groups that must all be in ``cognito:groups``. Default: none.
        required_scopes: Scopes that must all be in ``scope`` (access tokens only; note API
            Gateway's route scopes need only one). Default: none.
        claim_checks: Claim name to predicate: the claim must be present and the predicate must
            return a true value for it; a predicate that raises refuses the token. Default: none.
        leeway: Seconds of clock skew allowed for ``exp``, ``nbf`` and ``iat``. Default: 5.
        jwks: A JWKS document to use instead of fetching (offline: an unknown ``kid`` is refused).
            The verifier then gets a private cache. Default: fetched from ``jwks_uri``.
        issuer_type: Which issuer the pool is configured with, stated by the caller, never
            guessed from a token: ``"original"`` (``https://cognito-idp.<region>...``) or
            ``"updated"`` (``https://issuer-cognito-idp.<primary region>...``, required for
            multi-Region replication). Tokens of the other form are refused with
            ``WrongIssuerError``. Default: ``"original"``.
        region: The Region of the endpoint, when it is not the Region in the pool id (a
            replica of a replicated pool). With ``"updated"`` only the JWKS is fetched there
            (``iss`` names the primary Region in every replica); with ``"original"`` it is the
            Region whose issuer signed the tokens. Default: the Region in the pool id.
        issuer: The exact ``iss`` tokens must carry, for endpoints ``issuer_url`` does not know.
            Default: ``issuer_url(user_pool_id, issuer_type=...)``, i.e.
            ``https://cognito-idp.<region>.amazonaws.com/<pool>``, or ``amazonaws.com.cn`` in the
            China Regions.
        jwks_uri: Where the keys are fetched. Default: ``jwks_url(user_pool_id, issuer_type=...,
            region=...)``, or ``<issuer>/.well-known/jwks.json`` when ``issuer`` is given.
        cache: The key cache (holds the fetcher and the refetch cooldown). Default: one cache
            shared by the process (a private one when ``jwks`` is given).
        clock: Wall-clock seconds since the epoch, for ``exp``/``nbf``/``iat``.
            Default: ``time.time``.

    Raises:
        ValueError: An argument is invalid (a bad pool id, ``client_id=None``, scopes on ID tokens,
            an empty ``issuer``).
        JwksFetchError: The JWKS URI (given, or derived from ``issuer``) is not HTTPS (plain
            HTTP is allowed to a loopback host only).
    """

    def __init__(
        self,
        *,
        user_pool_id: str,
        token_use: TokenUse,
        client_id: str | Iterable[str] | Literal[_AnyClient.ANY_CLIENT],
        required_groups: Iterable[str] = (),
        required_scopes: Iterable[str] = (),
        claim_checks: Mapping[str, ClaimCheck] | None = None,
        leeway: float = DEFAULT_LEEWAY,
        jwks: Mapping[str, Any] | None = None,
        issuer_type: IssuerType = "original",
        region: str | None = None,
        issuer: str | None = None,
        jwks_uri: str | None = None,
        cache: JwksCache | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if token_use not in ("id", "access"):
            raise ValueError(f"token_use must be 'id' or 'access', got {token_use!r}")
        self.user_pool_id = user_pool_id
        # Validates the pool id, the issuer type and the Region in every case.
        default_issuer = issuer_url(
            user_pool_id,
            issuer_type=issuer_type,
            region=region if issuer_type == "original" else None,
        )
        default_jwks_uri = jwks_url(user_pool_id, issuer_type=issuer_type, region=region)
        if issuer is not None and (not isinstance(issuer, str) or not issuer.strip()):
            raise ValueError(f"issuer must be a non-empty URL string, got {issuer!r}")
        self.issuer_type: IssuerType = issuer_type
        self.issuer = default_issuer if issuer is None else issuer
        self.token_use: TokenUse = token_use
        self.client_ids = _client_ids(client_id)
        self.required_groups = _names(required_groups, "required_groups")
        self.required_scopes = _names(required_scopes, "required_scopes")
        if self.required_scopes and token_use == "id":
            raise ValueError("required_scopes needs token_use='access': ID tokens carry no scope")
        self.claim_checks = dict(claim_checks or {})
        if not _is_number(leeway) or leeway < 0:
            raise ValueError(f"leeway must be a number of seconds >= 0, got {leeway!r}")
        self.leeway = float(leeway)
        if jwks_uri is None and issuer is not None:
            jwks_uri = f"{issuer.rstrip('/')}/.well-known/jwks.json"
        self.jwks_uri = jwks_uri or default_jwks_uri
        if jwks is not None:
            cache = cache or JwksCache()
            cache.preload(self.jwks_uri, jwks)
        else:
            # Fail at start-up, not on the first request; the fetcher enforces its own policy.
            check_jwks_uri(self.jwks_uri, allow_http_loopback=True)
        self.cache = cache or default_cache()
        self._clock = clock
        self._audience_claim = "aud" if token_use == "id" else "client_id"
        # Header segment -> kid, for headers already found to be RS256 with a kid: Cognito reuses
        # one header per key, so most calls skip a base64 and JSON decode.
        self._header_kids: dict[str, str] = {}
        # SHA-256 of the signed text (header and payload) -> the payload's decoded bytes, then
        # a template of its claims; filled only after a signature over that text held.
        self._payloads: dict[bytes, bytes | _Template] = {}

    def verify(self, token: str) -> dict[str, Any]:
        """Check ``token`` and return its claims.

        Args:
            token: The compact JWT (``header.payload.signature``), without a ``Bearer`` prefix.

        Returns:
            The verified claims.

        Raises:
            TokenError: A subclass naming the failed check, with ``actual`` and ``expected``.
        """
        if type(token) is not str or len(token) > MAX_TOKEN_LENGTH:
            raise MalformedTokenError(
                "token: not a string of at most 64 KiB",
                actual=len(token) if isinstance(token, str) else type(token).__name__,
                expected=f"str of <= {MAX_TOKEN_LENGTH} characters",
            )
        # Three segments without building them as a list: the header and the signature are
        # sliced out, the payload is decoded straight from its slice. (No dot at all leaves
        # both positions at -1.)
        first = token.find(".")
        second = token.find(".", first + 1)
        if second < 0 or token.find(".", second + 1) >= 0:
            count = token.count(".") + 1
            raise MalformedTokenError(
                f"token: expected 3 dot-separated parts, got {count}", actual=count, expected=3
            )
        header_segment = token[:first]
        kid = self._header_kids.get(header_segment) or self._read_header(header_segment)
        key = self.cache.get_key(self.jwks_uri, kid)
        # The signature in its one canonical base64url spelling, and the SHA-256 of the signed
        # text.
        signature_segment = token[second + 1 :]
        try:
            if not is_canonical(signature_segment):
                raise ValueError("not canonical base64url")
            signature = _signature_bytes(signature_segment + PADS[len(signature_segment) & 3])
            digest = _sha256(token[:second].encode("ascii")).digest()
        except ValueError as exc:
            raise MalformedTokenError(
                "signature: not base64url (or the token is not ASCII)",
                actual="invalid",
                expected="base64url",
            ) from exc
        # A payload seen before (a client sends one token for many requests until it expires)
        # is not decoded again. The cache is keyed by the SHA-256 digest of the signed text
        # (header and payload, exactly as received: the digest the signature is checked
        # against, so it costs no extra hashing) and filled only after a signature over that
        # text held; the signature and the clock are checked on every call. The first use
        # stores the decoded bytes (free); the second parses them into a template that later
        # calls copy cheaply.
        payloads = self._payloads
        cached = payloads.get(digest)
        # Otherwise the payload's base64 is decoded now, next to the signature's (markedly
        # cheaper than after the RSA operation), but a failure is only reported once the
        # signature holds, exactly as if it were decoded afterwards. Its JSON is parsed only
        # after the check.
        payload_error: ValueError | None = None
        if cached is None:
            try:
                payload = _payload_bytes(token[first + 1 : second])
            except ValueError as exc:
                payload, payload_error = b"", exc
        elif type(cached) is bytes:
            payload = cached
        # The signature must be exactly as long as the modulus (RFC 8017 section 8.2.2 step
        # 1), so that one token has one spelling.
        # https://www.rfc-editor.org/rfc/rfc8017#section-8.2.2
        try:
            if len(signature) != (key.key_size + 7) >> 3:
                raise InvalidSignature
            key.verify(signature, digest, _PADDING, _PREHASHED_SHA256)
        except InvalidSignature:
            raise InvalidSignatureError(
                f"signature: does not match the key {shown(kid)}",
                actual="mismatch",
                expected=f"RS256 signature by kid {kid}",
            ) from None
        if type(cached) is _Template:
            claims = cached.fresh()
        else:
            # Only a signed payload is parsed: an unsigned blob never reaches the JSON parser.
            # The usual payload, a UTF-8 JSON object with nothing around it, is parsed by the
            # fast decoder; anything else is parsed again by _payload_claims for its error.
            try:
                parsed = _payload_value(payload)
                if type(parsed) is not dict or payload_error is not None:
                    parsed = None
            except Exception:  # any failure: _payload_claims parses again and names it
                parsed = None
            claims = parsed if parsed is not None else _payload_claims(payload, payload_error)
            if cached is None:
                if len(payloads) >= _PAYLOAD_CACHE_SIZE:
                    payloads.clear()  # bounded, like the header cache
                payloads[digest] = payload
            else:  # the second use: keep a template, hand out a copy of it
                template = _Template(claims)
                payloads[digest] = template
                claims = template.fresh()
        now = self._clock()
        # The usual Cognito token, accepted with a few comparisons: integer dates in range, no
        # nbf, the expected iss, token_use and client. Anything else (and every refusal) goes
        # through _check_claims, which runs each check in order and names the first failure.
        exp = claims.get("exp")
        iat = claims.get("iat")
        leeway = self.leeway
        client_ids = self.client_ids
        if (
            type(exp) is int
            and type(iat) is int
            and -_MAX_DATE <= exp <= _MAX_DATE
            and -_MAX_DATE <= iat <= _MAX_DATE
            and now < exp + leeway
            and iat <= now + leeway
            and "nbf" not in claims
            and claims.get("iss") == self.issuer
            and claims.get("token_use") == self.token_use
            and client_ids is not None
            and type(client := claims.get(self._audience_claim)) is str
            and client in client_ids
        ):
            self._check_required(claims)
        else:
            self._check_claims(claims, now)
        return claims

    def pending_key(self, token: object) -> tuple[JwksCache, str, str] | None:
        """What ``verify(token)`` would have to fetch first: ``(cache, jwks_uri, kid)``.

        ``None`` when the key is cached, or when the token is refused before any key lookup
        (``verify`` then says why). The async verifier fetches in a thread when this is not
        ``None``, so ``verify`` itself never blocks the event loop.
        """
        if type(token) is not str or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
            return None
        header_segment = token[: token.index(".")]
        try:
            kid = self._header_kids.get(header_segment) or self._read_header(header_segment)
        except TokenError:
            return None
        if self.cache.cached_key(self.jwks_uri, kid) is not None:
            return None
        return self.cache, self.jwks_uri, kid

    def _read_header(self, segment: str) -> str:
        header = _json_object("header", lambda: b64decode_strict(segment))
        alg = header.get("alg")
        if alg != "RS256":
            raise UnsupportedAlgorithmError(
                f"alg: only RS256 is accepted, got {shown(alg)}", actual=alg, expected="RS256"
            )
        if "crit" in header:
            # RFC 7515 4.1.11: critical extensions we do not implement must fail the token.
            raise MalformedTokenError(
                f"crit: unsupported critical header parameters {shown(header['crit'])}",
                actual=header["crit"],
                expected=None,
            )
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise MalformedTokenError(
                f"kid: the header needs a key id, got {shown(kid)}", actual=kid, expected="str"
            )
        if len(self._header_kids) >= _HEADER_CACHE_SIZE:
            self._header_kids.clear()  # bounded: random headers must not grow memory
        self._header_kids[segment] = kid
        return kid

    def _check_claims(self, claims: dict[str, Any], now: float) -> None:
        leeway = self.leeway
        raw_exp = claims.get("exp")
        exp = _numeric_date(raw_exp)
        if exp is None:
            raise MalformedTokenError(
                f"exp: must be a number, got {shown(raw_exp)}",
                actual=raw_exp,
                expected="NumericDate",
            )
        if now >= exp + leeway:
            raise ExpiredTokenError(
                f"exp: token expired at {_utc(exp)} ({now - exp:.0f} s ago, leeway {leeway:g} s)",
                actual=raw_exp,
                expected=f"> {now - leeway:.0f}",
            )
        raw_iat = claims.get("iat")
        iat = _numeric_date(raw_iat)
        if iat is None:
            raise MalformedTokenError(
                f"iat: must be a number, got {shown(raw_iat)}",
                actual=raw_iat,
                expected="NumericDate",
            )
        if iat > now + leeway:
            raise NotYetValidError(
                f"iat: token issued in the future, at {_utc(iat)} ({iat - now:.0f} s ahead)",
                actual=raw_iat,
                expected=f"<= {now + leeway:.0f}",
            )
        raw_nbf = claims.get("nbf")
        if raw_nbf is not None:
            nbf = _numeric_date(raw_nbf)
            if nbf is None:
                raise MalformedTokenError(
                    f"nbf: must be a number, got {shown(raw_nbf)}",
                    actual=raw_nbf,
                    expected="NumericDate",
                )
            if nbf > now + leeway:
                raise NotYetValidError(
                    f"nbf: token not valid before {_utc(nbf)} ({nbf - now:.0f} s ahead)",
                    actual=raw_nbf,
                    expected=f"<= {now + leeway:.0f}",
                )
        iss = claims.get("iss")
        if iss != self.issuer:
            raise WrongIssuerError(
                f"iss: expected {shown(self.issuer)}, got {shown(iss)}",
                actual=iss,
                expected=self.issuer,
            )
        token_use = claims.get("token_use")
        if token_use != self.token_use:
            raise WrongTokenUseError(
                f"token_use: expected {self.token_use!r}, got {shown(token_use)}",
                actual=token_use,
                expected=self.token_use,
            )
        client_ids = self.client_ids
        if client_ids is not None:
            client = claims.get(self._audience_claim)
            if type(client) is not str or client not in client_ids:
                self._refuse_client(client, client_ids)
        elif self._audience_claim in claims and type(claims[self._audience_claim]) is not str:
            # ANY_CLIENT skips the client check, not the claim's shape.
            self._refuse_client(claims[self._audience_claim], None)
        self._check_required(claims)

    def _check_required(self, claims: dict[str, Any]) -> None:
        """The groups, scopes and claim checks the verifier was configured with, in order."""
        if self.required_groups:
            self._check_groups(claims.get("cognito:groups"))
        if self.required_scopes:
            self._check_scopes(claims.get("scope"))
        if self.claim_checks:
            for name, check in self.claim_checks.items():
                self._run_check(name, check, claims)

    def _refuse_client(self, value: object, allowed: frozenset[str] | None) -> None:
        """Raise ``WrongAudienceError`` for a client claim that is absent, not allowed, or not
        one string.

        Cognito puts exactly one client id, as a string, in an ID token's ``aud`` and an access
        token's ``client_id``. RFC 7519 also allows a list of audiences, but Cognito never issues
        one, so a list (or a number, ...) is refused even when it contains an allowed client:
        it can only come from some other issuer's conventions.
        """
        name = self._audience_claim
        expected: object = sorted(allowed) if allowed is not None else "a client id string"
        if value is None or type(value) is str:
            listed = ", ".join(sorted(allowed or ()))
            message = f"{name}: {shown(value)} is not an allowed client ({listed})"
        else:
            message = (
                f"{name}: must be one client id string (Cognito never issues a "
                f"{type(value).__name__}), got {shown(value)}"
            )
        raise WrongAudienceError(message, actual=value, expected=expected)

    def _check_groups(self, value: object) -> None:
        groups = value if isinstance(value, list) else []
        missing = [g for g in self.required_groups if g not in groups]
        if missing:
            raise MissingGroupError(
                f"cognito:groups: missing required group(s) {', '.join(missing)}",
                actual=value,
                expected=list(self.required_groups),
            )

    def _check_scopes(self, value: object) -> None:
        scopes = value.split() if isinstance(value, str) else []
        missing = [s for s in self.required_scopes if s not in scopes]
        if missing:
            raise MissingScopeError(
                f"scope: missing required scope(s) {', '.join(missing)}",
                actual=value,
                expected=list(self.required_scopes),
            )

    @staticmethod
    def _run_check(name: str, check: ClaimCheck, claims: Mapping[str, Any]) -> None:
        label = getattr(check, "__name__", type(check).__name__)
        if name not in claims:
            raise ClaimCheckError(
                f"{name}: claim missing (required by check {label})", actual=None, expected=label
            )
        value = claims[name]
        try:
            ok = check(value)
        except TokenError:
            raise
        except Exception as exc:  # fail closed: a buggy check must refuse, not accept
            raise ClaimCheckError(
                f"{name}: check {label} raised {type(exc).__name__} for {shown(value)}",
                actual=value,
                expected=label,
            ) from exc
        if not ok:
            raise ClaimCheckError(
                f"{name}: check {label} refused {shown(value)}", actual=value, expected=label
            )
