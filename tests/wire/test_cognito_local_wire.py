"""Wire-level test: the real trigger handlers behind cognito-local, over HTTP, end to end.

cognito-local (npm, no Docker) plays the user pool. It invokes triggers through the AWS Lambda
Invoke API, which a small HTTP server in this process answers by calling the handlers. The
handlers reach DynamoDB on a moto server and the user pool (AdminAddUserToGroup) on
cognito-local itself, through the same client factory production code uses. The flow is
sign-up -> confirm -> sign-in -> refresh, and the ID tokens must carry the table's claims under
a valid RS256 signature from cognito-local's JWKS.

Everything listens on 127.0.0.1 on free ports and is stopped at the end. Skipped only when
``node_modules/.bin/cognito-local`` is missing (``npm ci`` installs it).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from lambda_triggers import (
    _aws,
    custom_message,
    post_confirmation,
    pre_sign_up,
    pre_token_generation,
)

ROOT = Path(__file__).resolve().parents[2]
COGNITO_LOCAL = ROOT / "node_modules" / ".bin" / "cognito-local"
CODE = "424242"  # cognito-local uses $CODE for every confirmation code
TABLE = "claims"
PROFILES = "profiles"
PASSWORD = "Correct-horse-9-battery"
CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "local",
    "aws_secret_access_key": "local",
}

HANDLERS: dict[str, Callable[[dict[str, Any], object], dict[str, Any]]] = {
    "pre-sign-up": pre_sign_up.handler,
    "post-confirmation": post_confirmation.handler,
    "pre-token-generation": pre_token_generation.handler,
    "custom-message": custom_message.handler,
}

pytestmark = pytest.mark.skipif(
    not COGNITO_LOCAL.exists(),
    reason="node_modules/.bin/cognito-local is missing: run `npm ci` to install it",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cognito-local exited with {process.returncode}")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"cognito-local did not listen on port {port} within {timeout} s")


class LambdaInvokeHandler(BaseHTTPRequestHandler):
    """``POST /2015-03-31/functions/<name>/invocations`` -> the handler, like Lambda would."""

    invocations: list[str]

    def do_POST(self) -> None:
        parts = self.path.strip("/").split("/")
        name = parts[2] if len(parts) == 4 and parts[3] == "invocations" else ""
        event = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.invocations.append(f"{name}:{event.get('triggerSource')}")
        headers = {"Content-Type": "application/json"}
        try:
            body: dict[str, Any] = HANDLERS[name](event, None)
        except Exception as exc:  # what Lambda reports for an unhandled error
            body = {"errorMessage": str(exc), "errorType": type(exc).__name__}
            headers["X-Amz-Function-Error"] = "Unhandled"
        payload = json.dumps(body).encode()
        self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass


@dataclass
class Stack:
    cognito: Any
    dynamodb: Any
    cognito_url: str
    invocations: list[str]
    log_path: Path


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    from moto.server import ThreadedMotoServer

    cognito_port, lambda_port, moto_port = free_port(), free_port(), free_port()
    cognito_url = f"http://127.0.0.1:{cognito_port}"

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    invocations: list[str] = []
    handler_class = type("Handler", (LambdaInvokeHandler,), {"invocations": invocations})
    lambda_server = ThreadingHTTPServer(("127.0.0.1", lambda_port), handler_class)
    threading.Thread(target=lambda_server.serve_forever, daemon=True).start()

    config_dir = tmp_path / ".cognito"
    config_dir.mkdir()
    (config_dir / "config.json").write_text(
        json.dumps(
            {
                "LambdaClient": {
                    "endpoint": f"http://127.0.0.1:{lambda_port}",
                    "region": "local",
                    "credentials": {"accessKeyId": "local", "secretAccessKey": "local"},
                },
                "TriggerFunctions": {
                    "PreSignUp": "pre-sign-up",
                    "PostConfirmation": "post-confirmation",
                    "PreTokenGeneration": "pre-token-generation",
                    "CustomMessage": "custom-message",
                },
                "TokenConfig": {"IssuerDomain": cognito_url},
            }
        )
    )
    log_path = tmp_path / "cognito-local.log"
    env = {**os.environ, "PORT": str(cognito_port), "HOST": "127.0.0.1", "CODE": CODE}
    env.pop("DEBUG", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(COGNITO_LOCAL)], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(cognito_port, process)

        dynamodb = boto3.client(
            "dynamodb", endpoint_url=f"http://127.0.0.1:{moto_port}", **CREDENTIALS
        )
        cognito = boto3.client("cognito-idp", endpoint_url=cognito_url, **CREDENTIALS)
        for name in (TABLE, PROFILES):
            dynamodb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": "sub", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "sub", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )

        # The handlers get clients through the production factory and timeouts, pointed here.
        endpoints = {"dynamodb": f"http://127.0.0.1:{moto_port}", "cognito-idp": cognito_url}
        _aws.set_client_factory(
            lambda service: boto3.client(
                service,  # type: ignore[call-overload]
                endpoint_url=endpoints[service],
                config=_aws.client_config(),
                **CREDENTIALS,
            )
        )
        for name, value in {
            "CLAIMS_TABLE_NAME": TABLE,
            "CLAIMS_ATTRIBUTES": "tenant,tier,roles",
            "ALLOWED_EMAIL_DOMAINS": "example.com",
            "DEFAULT_GROUP": "members",
            "PROFILE_TABLE_NAME": PROFILES,
            "MESSAGE_APP_NAME": "Example",
            "MESSAGE_SIGN_UP_EMAIL_SUBJECT": "Welcome to ${app_name}",
            "MESSAGE_SIGN_UP_EMAIL_MESSAGE": "Your ${app_name} code is ${code}.",
        }.items():
            monkeypatch.setenv(name, value)
        for module in (pre_token_generation, pre_sign_up, post_confirmation, custom_message):
            module.reset()

        yield Stack(cognito, dynamodb, cognito_url, invocations, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        lambda_server.shutdown()
        lambda_server.server_close()
        moto.stop()
        _aws.set_client_factory(None)
        for module in (pre_token_generation, pre_sign_up, post_confirmation, custom_message):
            module.reset()
        shutil.rmtree(config_dir, ignore_errors=True)


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verified_claims(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """Check an RS256 JWT signature against a JWKS with ``cryptography``; return its claims."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    assert header["alg"] == "RS256"
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    public_key = rsa.RSAPublicNumbers(
        int.from_bytes(b64url_decode(jwk["e"]), "big"),
        int.from_bytes(b64url_decode(jwk["n"]), "big"),
    ).public_key()
    public_key.verify(  # raises InvalidSignature
        b64url_decode(signature_b64),
        f"{header_b64}.{payload_b64}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    claims: dict[str, Any] = json.loads(b64url_decode(payload_b64))
    return claims


def test_sign_up_confirm_sign_in_refresh_through_the_real_handlers(stack: Stack) -> None:
    cognito = stack.cognito
    pool_id = cognito.create_user_pool(PoolName="wire", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito.create_group(UserPoolId=pool_id, GroupName="members")

    # Pre sign-up refuses a domain outside the allow list, with the handler's own message.
    with pytest.raises(ClientError) as refused:
        cognito.sign_up(
            ClientId=client_id,
            Username="mallory@evil.test",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "mallory@evil.test"}],
        )
    assert pre_sign_up.DOMAIN_MESSAGE in str(refused.value)

    sub = cognito.sign_up(
        ClientId=client_id,
        Username="jane.doe@example.com",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "jane.doe@example.com"}],
    )["UserSub"]
    stack.dynamodb.put_item(
        TableName=TABLE,
        Item={
            "sub": {"S": sub},
            "tenant": {"S": "acme"},
            "tier": {"N": "3"},
            "roles": {"SS": ["reader", "writer"]},
            "secret": {"S": "not in the allow-list"},
        },
    )
    cognito.confirm_sign_up(
        ClientId=client_id, Username="jane.doe@example.com", ConfirmationCode=CODE
    )

    # Post confirmation: default group (in cognito-local) and profile record (in moto).
    # (cognito-local's AdminListGroupsForUser misses members added by an email alias.)
    members = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="members")["Users"]
    assert [a["Value"] for a in members[0]["Attributes"] if a["Name"] == "email"] == [
        "jane.doe@example.com"
    ]
    profile = stack.dynamodb.get_item(TableName=PROFILES, Key={"sub": {"S": sub}})["Item"]
    assert profile["email"] == {"S": "jane.doe@example.com"}

    tokens = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "jane.doe@example.com", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    refreshed = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]

    jwks_url = f"{stack.cognito_url}/{pool_id}/.well-known/jwks.json"
    with urllib.request.urlopen(jwks_url, timeout=5) as answer:  # loopback only
        jwks = json.load(answer)
    for id_token in (tokens["IdToken"], refreshed["IdToken"]):
        claims = verified_claims(id_token, jwks)
        assert claims["iss"] == f"{stack.cognito_url}/{pool_id}"
        assert claims["aud"] == client_id
        assert claims["sub"] == sub
        # cognito-local sends version "0": the handler answers V1_0, so values are strings.
        assert claims["tenant"] == "acme"
        assert claims["tier"] == "3"
        assert claims["roles"] == "reader,writer"
        assert "secret" not in claims
        assert claims["cognito:groups"] == ["members"]

    assert stack.invocations == [
        "pre-sign-up:PreSignUp_SignUp",
        "pre-sign-up:PreSignUp_SignUp",
        "custom-message:CustomMessage_SignUp",
        "post-confirmation:PostConfirmation_ConfirmSignUp",
        "pre-token-generation:TokenGeneration_Authentication",
        "pre-token-generation:TokenGeneration_RefreshTokens",
    ]
    # Custom message: cognito-local prints the delivered email with the code filled in.
    delivered = stack.log_path.read_text(errors="replace")
    assert "Welcome to Example" in delivered
    assert f"Your Example code is {CODE}." in delivered
