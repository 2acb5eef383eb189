"""Tokens issued by moto's Cognito (server mode, loopback) through the verifier and the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer
from token_factory import CLIENT_ID, KID, POOL_ID, Mint, claims_for

from cognito_tokens import (
    CognitoJwtVerifier,
    ExpiredTokenError,
    JwksCache,
    MissingGroupError,
    UrllibFetcher,
    WrongAudienceError,
    WrongTokenUseError,
    issuer_url,
)
from cognito_tokens.cli import main

REGION = "eu-west-1"
PASSWORD = "Correct-Horse-9-Battery"  # a throwaway password for the emulator's user


@dataclass(frozen=True)
class MotoPool:
    endpoint: str
    pool_id: str
    client_id: str
    other_client_id: str
    id_token: str
    access_token: str

    @property
    def jwks_uri(self) -> str:
        return f"{self.endpoint}/{self.pool_id}/.well-known/jwks.json"


@pytest.fixture(scope="module")
def moto_pool() -> Iterator[MotoPool]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        idp = boto3.client(
            "cognito-idp",
            region_name=REGION,
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        pool_id = idp.create_user_pool(PoolName="verifier-tests")["UserPool"]["Id"]
        clients = [
            idp.create_user_pool_client(
                UserPoolId=pool_id,
                ClientName=name,
                ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            )["UserPoolClient"]["ClientId"]
            for name in ("web", "other")
        ]
        idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True
        )
        idp.create_group(UserPoolId=pool_id, GroupName="admins")
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="admins")
        result = idp.initiate_auth(
            ClientId=clients[0],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        yield MotoPool(
            endpoint=endpoint,
            pool_id=pool_id,
            client_id=clients[0],
            other_client_id=clients[1],
            id_token=result["IdToken"],
            access_token=result["AccessToken"],
        )
    finally:
        server.stop()


@pytest.fixture(scope="module")
def moto_cache() -> JwksCache:
    """One cache for the module: the JWKS is fetched from moto once, over loopback HTTP."""
    return JwksCache(fetcher=UrllibFetcher(allow_http_loopback=True, timeout=5))


def moto_verifier(
    pool: MotoPool, cache: JwksCache, *, token_use: str = "id", **options: Any
) -> CognitoJwtVerifier:
    options.setdefault("client_id", pool.client_id)
    return CognitoJwtVerifier(
        user_pool_id=pool.pool_id,
        token_use=token_use,  # type: ignore[arg-type]
        jwks_uri=pool.jwks_uri,
        cache=cache,
        **options,
    )


def test_moto_id_token_verifies_with_the_real_issuer(
    moto_pool: MotoPool, moto_cache: JwksCache
) -> None:
    claims = moto_verifier(moto_pool, moto_cache, required_groups=["admins"]).verify(
        moto_pool.id_token
    )
    assert claims["iss"] == issuer_url(moto_pool.pool_id)
    assert claims["iss"] == f"https://cognito-idp.{REGION}.amazonaws.com/{moto_pool.pool_id}"
    assert (claims["aud"], claims["token_use"]) == (moto_pool.client_id, "id")
    assert claims["cognito:username"] == "alice"
    assert claims["cognito:groups"] == ["admins"]


def test_moto_access_token_verifies(moto_pool: MotoPool, moto_cache: JwksCache) -> None:
    verifier = moto_verifier(
        moto_pool,
        moto_cache,
        token_use="access",
        required_scopes=["aws.cognito.signin.user.admin"],
    )
    claims = verifier.verify(moto_pool.access_token)
    assert (claims["client_id"], claims["token_use"]) == (moto_pool.client_id, "access")
    assert "aud" not in claims


def test_moto_tokens_are_refused_for_the_wrong_use_client_group_or_time(
    moto_pool: MotoPool, moto_cache: JwksCache
) -> None:
    with pytest.raises(WrongTokenUseError):
        moto_verifier(moto_pool, moto_cache, token_use="access").verify(moto_pool.id_token)
    with pytest.raises(WrongAudienceError) as caught:
        moto_verifier(moto_pool, moto_cache, client_id=moto_pool.other_client_id).verify(
            moto_pool.id_token
        )
    assert caught.value.actual == moto_pool.client_id
    with pytest.raises(MissingGroupError):
        moto_verifier(moto_pool, moto_cache, required_groups=["billing"]).verify(moto_pool.id_token)
    later = moto_verifier(moto_pool, moto_cache, clock=lambda: time.time() + 2 * 3600)
    with pytest.raises(ExpiredTokenError):
        later.verify(moto_pool.id_token)


# --- the CLI ------------------------------------------------------------------------------------


def run_cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def moto_args(pool: MotoPool, token: str, *extra: str, token_use: str = "id") -> list[str]:
    return [
        "verify",
        token,
        "--user-pool-id",
        pool.pool_id,
        "--token-use",
        token_use,
        "--jwks-uri",
        pool.jwks_uri,
        "--allow-http-loopback",
        *extra,
    ]


def test_cli_prints_the_claims_of_a_valid_moto_token(moto_pool: MotoPool) -> None:
    code, out, err = run_cli(
        *moto_args(moto_pool, moto_pool.id_token, "--client-id", moto_pool.client_id)
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["aud"] == moto_pool.client_id


def test_cli_reads_the_token_from_stdin(moto_pool: MotoPool) -> None:
    args = moto_args(moto_pool, "-", "--client-id", moto_pool.client_id, token_use="access")
    code, out, _ = run_cli(*args, stdin=moto_pool.access_token + "\n")
    assert code == 0
    assert json.loads(out)["token_use"] == "access"


@pytest.mark.parametrize(
    ("extra", "token_use", "reason"),
    [
        (["--client-id", "someone-else"], "id", "WrongAudienceError: aud: "),
        (["--any-client"], "access", "WrongTokenUseError: token_use: expected 'access', got 'id'"),
        (["--any-client", "--group", "billing"], "id", "MissingGroupError: cognito:groups: "),
    ],
)
def test_cli_refuses_moto_tokens_with_the_failed_check(
    moto_pool: MotoPool, extra: list[str], token_use: str, reason: str
) -> None:
    code, out, err = run_cli(*moto_args(moto_pool, moto_pool.id_token, *extra, token_use=token_use))
    assert (code, out) == (1, "")
    assert err.startswith(f"cognito-token: refused: {reason}")
    assert err.count("\n") == 1
    assert moto_pool.id_token not in err


@pytest.fixture
def jwks_file(tmp_path: Path, jwks: dict[str, Any]) -> str:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks))
    return str(path)


def offline_args(token: str, jwks_file: str, *extra: str, token_use: str = "id") -> list[str]:
    return [
        "verify",
        token,
        "--user-pool-id",
        POOL_ID,
        "--client-id",
        CLIENT_ID,
        "--token-use",
        token_use,
        "--jwks",
        jwks_file,
        *extra,
    ]


def test_cli_refuses_a_moto_token_against_another_pools_keys(
    moto_pool: MotoPool, jwks_file: str
) -> None:
    code, _, err = run_cli(*offline_args(moto_pool.id_token, jwks_file))
    assert code == 1
    assert err.startswith("cognito-token: refused: UnknownKeyError: kid: 'dummy' is not a key of")


@pytest.mark.parametrize(
    ("claims", "header", "extra", "reason"),
    [
        ({"exp": 1_000_000_000}, None, [], "ExpiredTokenError: exp: token expired at 2001-09-09"),
        ({"nbf": 4_000_000_000}, None, [], "NotYetValidError: nbf: token not valid before"),
        ({"iss": "https://evil.test"}, None, [], "WrongIssuerError: iss: expected"),
        ({}, {"alg": "none", "kid": KID}, [], "UnsupportedAlgorithmError: alg: only RS256"),
        ({}, {"alg": "RS256", "kid": "k2"}, [], "UnknownKeyError: kid: 'k2' is not a key"),
        ({}, None, ["--scope", "admin"], "MissingScopeError: scope: missing required scope"),
    ],
)
def test_cli_refuses_each_failure_class_offline(
    mint: Mint,
    jwks_file: str,
    claims: dict[str, Any],
    header: dict[str, Any] | None,
    extra: list[str],
    reason: str,
) -> None:
    token_use = "access" if "--scope" in extra else "id"
    token = mint(claims_for(token_use, now=time.time(), **claims), header=header)
    code, out, err = run_cli(*offline_args(token, jwks_file, *extra, token_use=token_use))
    assert (code, out) == (1, "")
    assert err.startswith(f"cognito-token: refused: {reason}")
    assert err.count("\n") == 1


def test_cli_refuses_a_tampered_and_a_malformed_token(mint: Mint, jwks_file: str) -> None:
    header, _, signature = mint(claims_for("id", now=time.time())).split(".")
    forged = mint(claims_for("id", now=time.time(), **{"cognito:groups": ["root"]})).split(".")[1]
    code, _, err = run_cli(*offline_args(f"{header}.{forged}.{signature}", jwks_file))
    assert code == 1
    assert err.startswith("cognito-token: refused: InvalidSignatureError: signature: ")
    code, _, err = run_cli(*offline_args("not-a-jwt", jwks_file))
    assert (code, err) == (
        1,
        "cognito-token: refused: MalformedTokenError: token: expected 3 dot-separated parts, "
        "got 1\n",
    )


def test_cli_issuer_replaces_the_derived_issuer(mint: Mint, jwks_file: str) -> None:
    issuer = "https://auth.example.test/pool"
    token = mint(claims_for("id", now=time.time(), iss=issuer))
    code, out, _ = run_cli(*offline_args(token, jwks_file, "--issuer", issuer))
    assert (code, json.loads(out)["iss"]) == (0, issuer)
    code, _, err = run_cli(*offline_args(token, jwks_file))
    assert code == 1
    assert err.startswith("cognito-token: refused: WrongIssuerError: iss: expected ")


ANY_CLIENT_ARGS = ["verify", "t", "--user-pool-id", POOL_ID, "--token-use", "id", "--any-client"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["verify", "t", "--user-pool-id", POOL_ID, "--token-use", "id"], "one of the arguments"),
        (
            ["verify", "t", "--user-pool-id", "nope", "--token-use", "id", "--any-client"],
            "user_pool_id must look like",
        ),
        (
            [*ANY_CLIENT_ARGS, "--jwks", "/nonexistent/jwks.json"],
            "cannot read --jwks /nonexistent/jwks.json",
        ),
        (
            [*ANY_CLIENT_ARGS, "--jwks-uri", "http://example.com/jwks.json"],
            "error: --jwks-uri: jwks: refusing to fetch 'http://example.com/jwks.json'",
        ),
        (
            [*ANY_CLIENT_ARGS, "--issuer", "http://example.com/p"],
            "error: --issuer: jwks: refusing to fetch 'http://example.com/p/.well-known/jwks.json'",
        ),
    ],
)
def test_cli_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(*argv)
    assert code == 2
    assert message in err + capsys.readouterr().err


def test_cli_help_documents_reading_the_token_from_stdin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_cli("verify", "--help")[0] == 0
    help_text = capsys.readouterr().out
    assert "Pass - as TOKEN to read the token from standard input" in help_text
    assert "--any-client" in help_text


def test_cli_runs_as_a_program(moto_pool: MotoPool) -> None:
    command = [sys.executable, "-m", "cognito_tokens.cli"]
    root = Path(__file__).resolve().parents[2]
    accepted = subprocess.run(
        [*command, *moto_args(moto_pool, "-", "--client-id", moto_pool.client_id)],
        input=moto_pool.id_token,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=root,
        check=False,
    )
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(accepted.stdout)["cognito:username"] == "alice"
    refused = subprocess.run(
        [*command, *moto_args(moto_pool, "-", "--client-id", moto_pool.client_id)],
        input=moto_pool.access_token,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=root,
        check=False,
    )
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        "cognito-token: refused: WrongTokenUseError: token_use: expected 'id', got 'access'\n"
    )
