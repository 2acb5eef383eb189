"""cognito_tokens must import (and verify) in a process where the CDK cannot be imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BLOCKER = textwrap.dedent(
    """
    import sys

    class BlockCdk:
        blocked = ("aws_cdk", "constructs", "jsii", "constructs_lib")

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in self.blocked:
                raise ImportError(f"blocked in this test: {name}")
            return None

    sys.meta_path.insert(0, BlockCdk())
    """
)


@pytest.fixture(autouse=True)
def decoders() -> None:
    """Each test runs in a fresh interpreter, which the conftest's decoder switch cannot reach:
    once is enough."""


def _run(script: str) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh interpreter at the repository root."""
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


def test_cognito_tokens_imports_and_runs_without_the_cdk() -> None:
    script = BLOCKER + textwrap.dedent(
        """
        import cognito_tokens
        from cognito_tokens import ANY_CLIENT, CognitoJwtVerifier, TokenError
        from cognito_tokens.cli import main

        verifier = CognitoJwtVerifier(
            user_pool_id="eu-west-1_Isolated1", token_use="id", client_id=ANY_CLIENT,
            jwks={"keys": []},
        )
        try:
            verifier.verify("a.b.c")
        except TokenError as exc:
            print(type(exc).__name__)
        try:
            import aws_cdk  # noqa: F401
        except ImportError:
            print("aws_cdk blocked")
        print(sorted(m for m in sys.modules if m.split(".")[0] in BlockCdk.blocked))
        """
    )
    result = _run(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["MalformedTokenError", "aws_cdk blocked", "[]"]


def test_the_lambda_authorizer_imports_without_the_cdk_or_boto3_and_does_no_work_at_import() -> (
    None
):
    script = BLOCKER.replace(
        '"constructs_lib")', '"constructs_lib", "boto3", "botocore", "lambda_triggers")'
    ) + textwrap.dedent(
        """
        import os
        sys.path.insert(0, os.path.join(os.getcwd(), "lambda_authorizer"))
        import api_authorizer  # as the Lambda runtime imports it: from the asset's root

        print("cognito_tokens" in sys.modules, "cryptography" in sys.modules)
        os.environ.update({"USER_POOL_ID": "eu-west-1_Isolated1", "CLIENT_IDS": "c"})
        try:
            api_authorizer.handler({"type": "TOKEN", "authorizationToken": "a.b.c",
                                    "methodArn": "arn:aws:execute-api:r:1:api/prod/GET/x"}, None)
        except Exception as exc:
            print(exc)
        print(sorted(m for m in sys.modules if m.split(".")[0] in BlockCdk.blocked))
        """
    )
    result = _run(script)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "False False"
    assert lines[-2:] == ["Unauthorized", "[]"]


def test_without_the_speedups_extra_the_stdlib_decodes_and_verifies() -> None:
    """pybase64 and msgspec are optional: blocked, the verifier imports and verifies with json."""
    script = BLOCKER.replace('"constructs_lib")', '"constructs_lib", "pybase64", "msgspec")')
    script += textwrap.dedent(
        """
        import base64, json, time
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
        from cryptography.hazmat.primitives.hashes import SHA256
        from cognito_tokens import CognitoJwtVerifier, _decoding

        def b64(data):
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        n = key.public_key().public_numbers().n.to_bytes(256, "big")
        jwks = {"keys": [{"kty": "RSA", "alg": "RS256", "kid": "k", "n": b64(n), "e": "AQAB"}]}
        pool = "eu-west-1_Isolated1"
        now = int(time.time())
        claims = {"sub": "s", "iss": f"https://cognito-idp.eu-west-1.amazonaws.com/{pool}",
                  "token_use": "id", "aud": "c", "iat": now, "exp": now + 60, "big": 10**30}
        signed = b64(json.dumps({"kid": "k", "alg": "RS256"}).encode()) + "."
        signed += b64(json.dumps(claims).encode())
        token = signed + "." + b64(key.sign(signed.encode(), padding.PKCS1v15(), SHA256()))
        verifier = CognitoJwtVerifier(user_pool_id=pool, token_use="id", client_id="c", jwks=jwks)
        print(_decoding.NATIVE, _decoding.DEFAULT.name, verifier.verify(token) == claims)
        print(sorted(m for m in sys.modules if m.split(".")[0] in BlockCdk.blocked))
        """
    )
    result = _run(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["None stdlib True", "[]"]
