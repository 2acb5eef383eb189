"""CognitoJwtVerifier: valid tokens pass, every failure class is refused with its data."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from token_factory import (
    CLIENT_ID,
    ISSUER,
    JWKS_URI,
    KID,
    NOW,
    OTHER_CLIENT_ID,
    POOL_ID,
    ROTATED_KID,
    Mint,
    b64json,
    b64url,
    claims_for,
)

from cognito_tokens import (
    ANY_CLIENT,
    ClaimCheckError,
    CognitoJwtVerifier,
    ExpiredTokenError,
    InvalidSignatureError,
    JwksCache,
    MalformedTokenError,
    MissingGroupError,
    MissingScopeError,
    NotYetValidError,
    TokenError,
    UnknownKeyError,
    UnsupportedAlgorithmError,
    WrongAudienceError,
    WrongIssuerError,
    WrongTokenUseError,
    issuer_url,
    parse_user_pool_id,
)
from cognito_tokens.verifier import _HEADER_CACHE_SIZE

Make = Callable[..., CognitoJwtVerifier]
SignRaw = Callable[[str, bytes], str]


@pytest.fixture
def make(jwks: dict[str, Any]) -> Make:
    """A verifier for the test pool, offline (preloaded JWKS), its clock frozen at NOW."""

    def _make(**overrides: Any) -> CognitoJwtVerifier:
        options: dict[str, Any] = {
            "user_pool_id": POOL_ID,
            "token_use": "id",
            "client_id": CLIENT_ID,
            "jwks": jwks,
            "clock": lambda: NOW,
        }
        options.update(overrides)
        return CognitoJwtVerifier(**options)

    return _make


def refusal(verifier: CognitoJwtVerifier, token: str, error: type[TokenError]) -> TokenError:
    """Verify ``token``, expect ``error``, and check the message is one safe line."""
    with pytest.raises(error) as caught:
        verifier.verify(token)
    assert type(caught.value) is error
    message = str(caught.value)
    assert "\n" not in message
    assert len(token) < 8 or token not in message
    assert len(message) < 400
    return caught.value


# --- valid tokens -------------------------------------------------------------------------------


def test_valid_id_token_returns_its_claims(make: Make, mint: Mint) -> None:
    claims = claims_for("id")
    assert make().verify(mint(claims)) == claims


def test_valid_access_token_returns_its_claims(make: Make, mint: Mint) -> None:
    claims = claims_for("access")
    verifier = make(token_use="access", required_groups=["admins"], required_scopes=["orders/read"])
    assert verifier.verify(mint(claims)) == claims


def test_one_of_several_allowed_clients_passes(make: Make, mint: Mint) -> None:
    token = mint(claims_for("id", aud=OTHER_CLIENT_ID))
    assert make(client_id=[CLIENT_ID, OTHER_CLIENT_ID]).verify(token)["aud"] == OTHER_CLIENT_ID


def test_fails_when_aud_is_a_list_even_with_the_allowed_client(make: Make, mint: Mint) -> None:
    # RFC 7519 allows a list of audiences; Cognito never issues one, so it is refused.
    token = mint(claims_for("id", aud=["someone-else", CLIENT_ID]))
    error = refusal(make(), token, WrongAudienceError)
    assert (error.actual, error.expected) == (["someone-else", CLIENT_ID], [CLIENT_ID])
    assert str(error) == (
        "aud: must be one client id string (Cognito never issues a list), "
        f"got ['someone-else', {CLIENT_ID!r}]"
    )
    refusal(make(), mint(claims_for("id", aud=[CLIENT_ID])), WrongAudienceError)


@pytest.mark.parametrize("value", [[CLIENT_ID], 42, {"client": CLIENT_ID}, True])
def test_fails_when_the_client_claim_is_not_a_string(make: Make, mint: Mint, value: object) -> None:
    error = refusal(make(), mint(claims_for("id", aud=value)), WrongAudienceError)
    assert (error.actual, error.expected) == (value, [CLIENT_ID])
    token = mint(claims_for("access", client_id=value))
    error = refusal(make(token_use="access"), token, WrongAudienceError)
    assert str(error).startswith("client_id: must be one client id string (Cognito never issues")


def test_any_client_still_refuses_a_client_claim_that_is_not_a_string(
    make: Make, mint: Mint
) -> None:
    token = mint(claims_for("id", aud=["someone-else"]))
    error = refusal(make(client_id=ANY_CLIENT), token, WrongAudienceError)
    assert (error.actual, error.expected) == (["someone-else"], "a client id string")
    token = mint(claims_for("access", client_id=7))
    refusal(make(token_use="access", client_id=ANY_CLIENT), token, WrongAudienceError)


def test_any_client_is_an_explicit_opt_out(make: Make, mint: Mint) -> None:
    token = mint(claims_for("access", client_id="a-client-nobody-listed"))
    assert make(token_use="access", client_id=ANY_CLIENT).verify(token)["username"] == "alice"


def test_nbf_in_the_past_passes(make: Make, mint: Mint) -> None:
    assert make().verify(mint(claims_for("id", nbf=int(NOW) - 60)))["nbf"] == int(NOW) - 60


# --- time ---------------------------------------------------------------------------------------


def test_fails_when_expired(make: Make, mint: Mint) -> None:
    exp = int(NOW) - 3600
    error = refusal(make(), mint(claims_for("id", exp=exp)), ExpiredTokenError)
    assert error.actual == exp
    assert str(error).startswith("exp: token expired at 2027-01-15T07:00:00Z (3600 s ago")


def test_expiry_honours_the_leeway(make: Make, mint: Mint) -> None:
    verifier = make(leeway=5)
    assert verifier.verify(mint(claims_for("id", exp=int(NOW) - 4)))
    refusal(verifier, mint(claims_for("id", exp=int(NOW) - 5)), ExpiredTokenError)
    refusal(make(leeway=0), mint(claims_for("id", exp=int(NOW))), ExpiredTokenError)


def test_fails_when_nbf_is_in_the_future(make: Make, mint: Mint) -> None:
    nbf = int(NOW) + 600
    error = refusal(make(), mint(claims_for("id", nbf=nbf)), NotYetValidError)
    assert error.actual == nbf
    assert str(error).startswith("nbf: token not valid before")


def test_fails_when_issued_in_the_future(make: Make, mint: Mint) -> None:
    iat = int(NOW) + 600
    error = refusal(make(), mint(claims_for("id", iat=iat)), NotYetValidError)
    assert error.actual == iat
    assert str(error).startswith("iat: token issued in the future")
    assert make().verify(mint(claims_for("id", iat=int(NOW) + 4)))  # within the leeway


@pytest.mark.parametrize(
    ("claim", "value"),
    [("exp", "1900000000"), ("exp", True), ("exp", ...), ("iat", None), ("nbf", "soon")],
)
def test_fails_when_a_time_claim_is_not_a_number(
    make: Make, mint: Mint, claim: str, value: object
) -> None:
    error = refusal(make(), mint(claims_for("id", **{claim: value})), MalformedTokenError)
    assert error.expected == "NumericDate"
    assert str(error).startswith(f"{claim}: must be a number")


def test_fails_when_exp_is_infinity(make: Make, sign_raw: SignRaw) -> None:
    # Python's json accepts the non-JSON constant Infinity; "never expires" must not pass.
    token = sign_raw(b64json({"kid": KID, "alg": "RS256"}), b'{"exp":Infinity}')
    error = refusal(make(), token, MalformedTokenError)
    assert str(error) == "payload: not base64url-encoded JSON"


# --- issuer, token use, client ------------------------------------------------------------------


def test_fails_when_issuer_is_another_pool(make: Make, mint: Mint) -> None:
    other = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OtherPool"
    error = refusal(make(), mint(claims_for("id", iss=other)), WrongIssuerError)
    assert (error.actual, error.expected) == (other, ISSUER)
    assert str(error) == f"iss: expected {ISSUER!r}, got {other!r}"


def test_fails_when_issuer_is_missing(make: Make, mint: Mint) -> None:
    error = refusal(make(), mint(claims_for("id", iss=...)), WrongIssuerError)
    assert error.actual is None


def test_fails_when_an_id_token_is_used_as_access_token(make: Make, mint: Mint) -> None:
    error = refusal(make(token_use="access"), mint(claims_for("id")), WrongTokenUseError)
    assert (error.actual, error.expected) == ("id", "access")
    assert str(error) == "token_use: expected 'access', got 'id'"


def test_fails_when_an_access_token_is_used_as_id_token(make: Make, mint: Mint) -> None:
    error = refusal(make(), mint(claims_for("access")), WrongTokenUseError)
    assert (error.actual, error.expected) == ("access", "id")


def test_fails_when_aud_is_another_client(make: Make, mint: Mint) -> None:
    error = refusal(make(), mint(claims_for("id", aud=OTHER_CLIENT_ID)), WrongAudienceError)
    assert (error.actual, error.expected) == (OTHER_CLIENT_ID, [CLIENT_ID])
    assert str(error) == f"aud: {OTHER_CLIENT_ID!r} is not an allowed client ({CLIENT_ID})"


def test_fails_when_client_id_of_an_access_token_is_another_client(make: Make, mint: Mint) -> None:
    token = mint(claims_for("access", client_id=OTHER_CLIENT_ID))
    error = refusal(make(token_use="access"), token, WrongAudienceError)
    assert (error.actual, error.expected) == (OTHER_CLIENT_ID, [CLIENT_ID])
    assert str(error).startswith("client_id: ")


def test_access_token_client_is_read_from_client_id_not_aud(make: Make, mint: Mint) -> None:
    # An access token carrying the right client only in aud is not issued to that client.
    token = mint(claims_for("access", client_id=..., aud=CLIENT_ID))
    error = refusal(make(token_use="access"), token, WrongAudienceError)
    assert error.actual is None


def test_fails_when_aud_is_missing(make: Make, mint: Mint) -> None:
    error = refusal(make(), mint(claims_for("id", aud=...)), WrongAudienceError)
    assert error.actual is None


def test_client_id_is_required_or_explicitly_skipped() -> None:
    with pytest.raises(TypeError, match="client_id"):
        CognitoJwtVerifier(user_pool_id=POOL_ID, token_use="id")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match=r"client_id is None: .* client_id=ANY_CLIENT"):
        CognitoJwtVerifier(user_pool_id=POOL_ID, token_use="id", client_id=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one or more non-empty strings"):
        CognitoJwtVerifier(user_pool_id=POOL_ID, token_use="id", client_id=[])


# --- groups, scopes, custom checks --------------------------------------------------------------


def test_fails_when_a_required_group_is_missing(make: Make, mint: Mint) -> None:
    verifier = make(required_groups=["admins", "billing"])
    error = refusal(verifier, mint(claims_for("id")), MissingGroupError)
    assert (error.actual, error.expected) == (["admins", "staff"], ["admins", "billing"])
    assert str(error) == "cognito:groups: missing required group(s) billing"


def test_fails_when_the_token_has_no_groups(make: Make, mint: Mint) -> None:
    error = refusal(
        make(required_groups="admins"),
        mint(claims_for("id", **{"cognito:groups": ...})),
        MissingGroupError,
    )
    assert error.actual is None


def test_fails_when_a_required_scope_is_missing(make: Make, mint: Mint) -> None:
    verifier = make(token_use="access", required_scopes=["orders/read", "orders/write"])
    error = refusal(verifier, mint(claims_for("access")), MissingScopeError)
    assert (error.actual, error.expected) == (
        "orders/read profile",
        ["orders/read", "orders/write"],
    )
    assert str(error) == "scope: missing required scope(s) orders/write"


def test_scope_matching_is_by_whole_words(make: Make, mint: Mint) -> None:
    verifier = make(token_use="access", required_scopes=["orders"])
    refusal(verifier, mint(claims_for("access", scope="orders/read")), MissingScopeError)


def test_required_scopes_need_access_tokens(make: Make) -> None:
    with pytest.raises(ValueError, match="ID tokens carry no scope"):
        make(required_scopes=["orders/read"])


def test_custom_claim_check_passes_and_refuses(make: Make, mint: Mint) -> None:
    def is_example_mail(value: Any) -> bool:
        return str(value).endswith("@example.com")

    verifier = make(claim_checks={"email": is_example_mail})
    assert verifier.verify(mint(claims_for("id")))["email"] == "alice@example.com"
    error = refusal(verifier, mint(claims_for("id", email="eve@evil.test")), ClaimCheckError)
    assert (error.actual, error.expected) == ("eve@evil.test", "is_example_mail")
    assert str(error) == "email: check is_example_mail refused 'eve@evil.test'"


def test_custom_claim_check_fails_closed(make: Make, mint: Mint) -> None:
    def tenant_is_known(value: Any) -> bool:
        return {"acme": True}[value]

    verifier = make(claim_checks={"custom:tenant": tenant_is_known})
    error = refusal(verifier, mint(claims_for("id", **{"custom:tenant": "x"})), ClaimCheckError)
    assert str(error) == "custom:tenant: check tenant_is_known raised KeyError for 'x'"
    assert isinstance(error.__cause__, KeyError)
    error = refusal(verifier, mint(claims_for("id")), ClaimCheckError)
    assert str(error) == "custom:tenant: claim missing (required by check tenant_is_known)"


# --- signature and keys -------------------------------------------------------------------------


def test_fails_when_signed_by_another_key(
    make: Make, mint: Mint, rotated_key: rsa.RSAPrivateKey
) -> None:
    error = refusal(make(), mint(claims_for("id"), key=rotated_key), InvalidSignatureError)
    assert str(error) == f"signature: does not match the key {KID!r}"


def test_fails_when_the_payload_was_changed(make: Make, mint: Mint) -> None:
    header, _, signature = mint(claims_for("id")).split(".")
    tampered = b64json(claims_for("id", **{"cognito:groups": ["admins", "root"]}))
    refusal(make(), f"{header}.{tampered}.{signature}", InvalidSignatureError)


def test_fails_when_the_signature_is_truncated(make: Make, mint: Mint) -> None:
    token = mint(claims_for("id"))
    refusal(make(), token[:-10], InvalidSignatureError)


def test_fails_when_kid_is_unknown(make: Make, mint: Mint, rotated_key: rsa.RSAPrivateKey) -> None:
    token = mint(claims_for("id"), header={"kid": ROTATED_KID, "alg": "RS256"}, key=rotated_key)
    error = refusal(make(), token, UnknownKeyError)
    assert (error.actual, error.expected) == (ROTATED_KID, [KID])
    assert str(error) == (
        f"kid: {ROTATED_KID!r} is not a key of {JWKS_URI} (the JWKS was preloaded for offline use)"
    )


def test_a_rotated_key_is_fetched(
    mint: Mint, rotated_key: rsa.RSAPrivateKey, rotated_jwks: dict[str, Any]
) -> None:
    fetched: list[str] = []

    def fetcher(uri: str) -> object:
        fetched.append(uri)
        return rotated_jwks

    verifier = CognitoJwtVerifier(
        user_pool_id=POOL_ID,
        token_use="id",
        client_id=CLIENT_ID,
        cache=JwksCache(fetcher=fetcher),
        clock=lambda: NOW,
    )
    token = mint(claims_for("id"), header={"kid": ROTATED_KID, "alg": "RS256"}, key=rotated_key)
    assert verifier.verify(token)["aud"] == CLIENT_ID
    assert verifier.verify(mint(claims_for("id")))["aud"] == CLIENT_ID
    assert fetched == [JWKS_URI]


# --- algorithms and malformed input -------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "HS256", "RS384", "PS256", "ES256", None])
def test_fails_when_alg_is_not_rs256(make: Make, mint: Mint, alg: str | None) -> None:
    header = {"kid": KID, "alg": alg} if alg is not None else {"kid": KID}
    token = mint(claims_for("id"), header=header, signature=b"")
    error = refusal(make(), token, UnsupportedAlgorithmError)
    assert (error.actual, error.expected) == (alg, "RS256")
    assert str(error) == f"alg: only RS256 is accepted, got {alg!r}"


def test_fails_on_the_hs256_key_confusion_attack(
    make: Make, mint: Mint, signing_key: rsa.RSAPrivateKey
) -> None:
    # The classic forgery: HMAC over the token with the public key as the secret.
    public_pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = mint(claims_for("id"), header={"kid": KID, "alg": "HS256"}, hmac_secret=public_pem)
    refusal(make(), token, UnsupportedAlgorithmError)


def test_fails_on_a_critical_header_extension(make: Make, mint: Mint) -> None:
    token = mint(claims_for("id"), header={"kid": KID, "alg": "RS256", "crit": ["exp"]})
    error = refusal(make(), token, MalformedTokenError)
    assert str(error) == "crit: unsupported critical header parameters ['exp']"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "token: expected 3 dot-separated parts, got 1"),
        ("abc", "token: expected 3 dot-separated parts, got 1"),
        ("a.b", "token: expected 3 dot-separated parts, got 2"),
        ("a.b.c.d", "token: expected 3 dot-separated parts, got 4"),
        ("Bearer x.y.z", "header: not base64url-encoded JSON"),
        ("!!!.e30.e30", "header: not base64url-encoded JSON"),
        ("e30x.e30.e30", "header: not base64url-encoded JSON"),
        (f"{b64url(b'[1]')}.e30.e30", "header: not a JSON object"),
        (f"{b64url(bytes([0xFF, 0xFE]))}.e30.e30", "header: not base64url-encoded JSON"),
        (f"{b64json({'alg': 'RS256'})}.e30.e30", "kid: the header needs a key id, got None"),
        (f"{b64json({'alg': 'RS256', 'kid': 7})}.e30.e30", "kid: the header needs a key id, got 7"),
        ("x" * 70_000, "token: not a string of at most 64 KiB"),
        (f"{b64url(b'[' * 40_000)}.e30.e30", "header: not base64url-encoded JSON"),
    ],
)
def test_fails_when_malformed(make: Make, token: str, message: str) -> None:
    assert str(refusal(make(), token, MalformedTokenError)) == message


def test_fails_when_not_a_string(make: Make, mint: Mint) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        make().verify(mint(claims_for("id")).encode())  # type: ignore[arg-type]
    assert caught.value.actual == "bytes"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"[]", "payload: not a JSON object"),
        (b"{", "payload: not base64url-encoded JSON"),
        (b"\xff\xfe", "payload: not base64url-encoded JSON"),
    ],
)
def test_fails_when_the_signed_payload_is_not_an_object(
    make: Make, sign_raw: SignRaw, payload: bytes, message: str
) -> None:
    token = sign_raw(b64json({"kid": KID, "alg": "RS256"}), payload)
    assert str(refusal(make(), token, MalformedTokenError)) == message


def test_fails_when_the_signature_is_not_base64url(make: Make, mint: Mint) -> None:
    header, payload, _ = mint(claims_for("id")).split(".")
    error = refusal(make(), f"{header}.{payload}.abcde", MalformedTokenError)
    assert str(error) == "signature: not base64url (or the token is not ASCII)"


def test_long_untrusted_values_are_shortened_in_messages(make: Make, mint: Mint) -> None:
    error = refusal(make(), mint(claims_for("id", iss="https://x/" + "a" * 500)), WrongIssuerError)
    assert len(str(error)) < 250
    assert str(error).endswith("...")
    assert error.actual == "https://x/" + "a" * 500


def test_the_header_cache_stays_bounded(make: Make, mint: Mint) -> None:
    verifier = make()
    for i in range(100):
        token = mint(claims_for("id"), header={"kid": KID, "alg": "RS256", "n": i})
        assert verifier.verify(token)["aud"] == CLIENT_ID
    assert len(verifier._header_kids) <= 32


def test_the_header_cache_never_exceeds_its_bound_and_keeps_verifying(
    make: Make, mint: Mint
) -> None:
    verifier = make()
    for i in range(3 * _HEADER_CACHE_SIZE):
        token = mint(claims_for("id"), header={"kid": KID, "alg": "RS256", "n": i})
        assert verifier.verify(token)["aud"] == CLIENT_ID
        assert 1 <= len(verifier._header_kids) <= _HEADER_CACHE_SIZE
        assert verifier._header_kids[token.split(".")[0]] == KID


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ({"kid": KID, "alg": "none"}, UnsupportedAlgorithmError),
        ({"kid": KID, "alg": "HS256"}, UnsupportedAlgorithmError),
        ({"kid": KID}, UnsupportedAlgorithmError),
        ({"kid": KID, "alg": "RS256", "crit": ["exp"]}, MalformedTokenError),
        ({"alg": "RS256"}, MalformedTokenError),
        ({"kid": "", "alg": "RS256"}, MalformedTokenError),
        ([KID, "RS256"], MalformedTokenError),
    ],
)
def test_a_header_that_fails_validation_is_never_cached(
    make: Make, mint: Mint, header: Any, error: type[TokenError]
) -> None:
    verifier = make()
    token = mint(claims_for("id"), header={"kid": KID, "alg": "RS256"})
    assert verifier.verify(token)["aud"] == CLIENT_ID
    cached = dict(verifier._header_kids)
    head = b64json(header)
    _, payload, signature = token.split(".")
    for _ in range(3):  # refused every time, never remembered
        refusal(verifier, f"{head}.{payload}.{signature}", error)
        assert verifier._header_kids == cached


def test_a_non_canonical_header_is_never_cached(make: Make, sign_raw: SignRaw) -> None:
    verifier = make()
    head = b64json({"kid": KID, "alg": "RS256"})
    payload = json.dumps(claims_for("id")).encode()
    assert verifier.verify(sign_raw(head, payload))["aud"] == CLIENT_ID
    # The same header bytes, spelled with non-zero unused bits in the last character.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    assert len(head) % 4 in (2, 3)
    other = head[:-1] + alphabet[alphabet.index(head[-1]) + 1]
    assert base64.urlsafe_b64decode(other + "==") == base64.urlsafe_b64decode(head + "==")
    for _ in range(2):
        error = refusal(verifier, sign_raw(other, payload), MalformedTokenError)
        assert str(error) == "header: not base64url-encoded JSON"
    assert list(verifier._header_kids) == [head]


def test_a_different_header_segment_is_parsed_afresh(
    make: Make, mint: Mint, rotated_key: rsa.RSAPrivateKey
) -> None:
    verifier = make()
    first = mint(claims_for("id"), header={"kid": KID, "alg": "RS256"})
    assert verifier.verify(first)["aud"] == CLIENT_ID
    # Same kid, other algorithm: refused although a header with this kid is cached.
    refusal(
        verifier,
        mint(claims_for("id"), header={"kid": KID, "alg": "RS384"}),
        UnsupportedAlgorithmError,
    )
    # Same content in another order: a new segment, parsed and cached on its own.
    reordered = mint(claims_for("id"), header={"alg": "RS256", "kid": KID})
    assert reordered.split(".")[0] != first.split(".")[0]
    assert verifier.verify(reordered)["aud"] == CLIENT_ID
    assert set(verifier._header_kids) == {first.split(".")[0], reordered.split(".")[0]}
    # Another kid is looked up as that kid, never as the cached one.
    rotated = mint(claims_for("id"), header={"kid": ROTATED_KID, "alg": "RS256"}, key=rotated_key)
    assert refusal(verifier, rotated, UnknownKeyError).actual == ROTATED_KID


def test_a_cached_header_does_not_spare_the_signature_or_claims(make: Make, mint: Mint) -> None:
    verifier = make()
    token = mint(claims_for("id"))
    assert verifier.verify(token)["aud"] == CLIENT_ID
    header, _, signature = token.split(".")
    tampered = b64json(claims_for("id", **{"cognito:groups": ["admins", "root"]}))
    refusal(verifier, f"{header}.{tampered}.{signature}", InvalidSignatureError)
    refusal(verifier, mint(claims_for("id", exp=int(NOW) - 3600)), ExpiredTokenError)
    refusal(verifier, mint(claims_for("id", aud=OTHER_CLIENT_ID)), WrongAudienceError)


def test_an_undecodable_payload_is_reported_only_after_the_signature(
    make: Make, signing_key: rsa.RSAPrivateKey, rotated_key: rsa.RSAPrivateKey
) -> None:
    head = b64json({"kid": KID, "alg": "RS256"})
    payload = "e30xx"  # 5 characters: not base64 at all
    signing_input = f"{head}.{payload}".encode()
    forged = rotated_key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    refusal(make(), f"{head}.{payload}.{b64url(forged)}", InvalidSignatureError)
    signed = signing_key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    error = refusal(make(), f"{head}.{payload}.{b64url(signed)}", MalformedTokenError)
    assert str(error) == "payload: not base64url-encoded JSON"


@pytest.mark.parametrize(
    ("pad", "hash_algorithm"),
    [
        (padding.PKCS1v15(), hashes.SHA384()),
        (padding.PKCS1v15(), hashes.SHA1()),
        (padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256()),
    ],
)
def test_fails_when_signed_with_another_rsa_scheme(
    make: Make,
    signing_key: rsa.RSAPrivateKey,
    pad: padding.AsymmetricPadding,
    hash_algorithm: hashes.HashAlgorithm,
) -> None:
    head = b64json({"kid": KID, "alg": "RS256"})
    signing_input = f"{head}.{b64json(claims_for('id'))}"
    signature = signing_key.sign(signing_input.encode(), pad, hash_algorithm)
    refusal(make(), f"{signing_input}.{b64url(signature)}", InvalidSignatureError)


# --- configuration ------------------------------------------------------------------------------


def test_region_and_issuer_come_from_the_pool_id() -> None:
    assert parse_user_pool_id("us-gov-west-1_AbC123") == "us-gov-west-1"
    assert issuer_url("ap-southeast-2_x9") == (
        "https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_x9"
    )
    assert issuer_url("us-gov-west-1_AbC123") == (
        "https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbC123"
    )


@pytest.mark.parametrize("region", ["cn-north-1", "cn-northwest-1"])
def test_the_china_regions_issue_tokens_under_amazonaws_com_cn(
    region: str, jwks: dict[str, Any], mint: Mint
) -> None:
    pool_id = f"{region}_AbC123"
    issuer = f"https://cognito-idp.{region}.amazonaws.com.cn/{pool_id}"
    assert issuer_url(pool_id) == issuer
    verifier = CognitoJwtVerifier(
        user_pool_id=pool_id, token_use="id", client_id=CLIENT_ID, jwks=jwks, clock=lambda: NOW
    )
    assert (verifier.issuer, verifier.jwks_uri) == (issuer, f"{issuer}/.well-known/jwks.json")
    assert verifier.verify(mint(claims_for("id", iss=issuer)))["iss"] == issuer
    global_issuer = f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
    error = refusal(verifier, mint(claims_for("id", iss=global_issuer)), WrongIssuerError)
    assert (error.actual, error.expected) == (global_issuer, issuer)


def test_an_explicit_issuer_replaces_the_derived_one(make: Make, mint: Mint) -> None:
    issuer = "https://auth.example.test/eu-west-1_TestPool1"
    verifier = make(issuer=issuer, jwks=None, cache=JwksCache(fetcher=lambda uri: {"keys": []}))
    assert (verifier.issuer, verifier.jwks_uri) == (issuer, f"{issuer}/.well-known/jwks.json")
    verifier = make(issuer=issuer)
    assert verifier.verify(mint(claims_for("id", iss=issuer)))["iss"] == issuer
    error = refusal(verifier, mint(claims_for("id")), WrongIssuerError)
    assert (error.actual, error.expected) == (ISSUER, issuer)
    both = make(issuer=issuer, jwks_uri="https://keys.example.test/jwks.json", jwks=None)
    assert both.jwks_uri == "https://keys.example.test/jwks.json"


@pytest.mark.parametrize("issuer", ["", "  ", 42])
def test_fails_when_the_issuer_is_empty_or_not_a_string(issuer: object) -> None:
    with pytest.raises(ValueError, match="issuer must be a non-empty URL string, got "):
        CognitoJwtVerifier(
            user_pool_id=POOL_ID,
            token_use="id",
            client_id=CLIENT_ID,
            issuer=issuer,  # type: ignore[arg-type]
        )


def test_a_plain_http_issuer_is_refused_at_start_up_unless_keys_are_given(
    jwks: dict[str, Any],
) -> None:
    with pytest.raises(TokenError, match=r"refusing to fetch 'http://example\.com/p/\.well-known"):
        CognitoJwtVerifier(
            user_pool_id=POOL_ID, token_use="id", client_id=CLIENT_ID, issuer="http://example.com/p"
        )
    verifier = CognitoJwtVerifier(
        user_pool_id=POOL_ID,
        token_use="id",
        client_id=CLIENT_ID,
        issuer="http://example.com/p",
        jwks=jwks,
    )
    assert verifier.issuer == "http://example.com/p"


@pytest.mark.parametrize(
    "pool_id", ["", "AbC123", "eu-west-1", "eu-west-1_", "EU-WEST-1_a", "eu_1"]
)
def test_fails_when_the_pool_id_is_invalid(pool_id: str) -> None:
    with pytest.raises(ValueError, match=f"user_pool_id must look like .* got {pool_id!r}"):
        CognitoJwtVerifier(user_pool_id=pool_id, token_use="id", client_id=CLIENT_ID)


def test_fails_when_token_use_or_leeway_is_invalid() -> None:
    with pytest.raises(ValueError, match="token_use must be 'id' or 'access', got 'refresh'"):
        CognitoJwtVerifier(user_pool_id=POOL_ID, token_use="refresh", client_id=CLIENT_ID)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="leeway must be"):
        CognitoJwtVerifier(user_pool_id=POOL_ID, token_use="id", client_id=CLIENT_ID, leeway=-1)


def test_a_plain_http_jwks_uri_is_refused_at_start_up() -> None:
    with pytest.raises(TokenError, match=r"refusing to fetch 'http://example\.com/jwks\.json'"):
        CognitoJwtVerifier(
            user_pool_id=POOL_ID,
            token_use="id",
            client_id=CLIENT_ID,
            jwks_uri="http://example.com/jwks.json",
        )


def test_every_error_is_a_token_error() -> None:
    import cognito_tokens

    classes = [getattr(cognito_tokens, n) for n in cognito_tokens.__all__ if n.endswith("Error")]
    assert len(classes) == 16  # MissingTokenError: no bearer token (framework integrations)
    assert all(issubclass(c, TokenError) for c in classes)
