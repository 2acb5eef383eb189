"""Security review findings: native users writing attributes that only a provider or an admin
should set, and developer-authenticated identities choosing whose files they reach."""

from __future__ import annotations

import re

import pytest
from aws_cdk import SecretValue, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from constructs_lib import (
    CognitoAuth,
    ConfigurationError,
    FileOwner,
    IdentityPoolSettings,
    SecureIdentityPool,
    UserFilesSettings,
    UserPoolSettings,
)
from constructs_lib.clients import WebClient, client_attributes
from constructs_lib.domain import HostedUiDomain
from constructs_lib.federation import FacebookLogin, GoogleLogin, SamlLogin

CALLBACK = ["https://app.example.com/cb"]
PREFIX = HostedUiDomain.cognito_prefix("acme-shop")
GOOGLE = GoogleLogin(
    client_id="google-client", client_secret=SecretValue.secrets_manager("cognito-auth/google")
)
CORP = SamlLogin(
    provider_name="Corp",
    metadata_url="https://idp.example.com/metadata.xml",
    attribute_mapping={"custom:tenant_id": "tenant"},
)
TENANT_POOL = UserPoolSettings(custom_attributes={"tenant_id": cognito.StringAttribute()})
NATIVE = cognito.UserPoolClientIdentityProvider.COGNITO


def refuse(stack: Stack, message: str, **kwargs: object) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        CognitoAuth(stack, "Auth", **kwargs)  # type: ignore[arg-type]
    assert stack.node.try_find_child("Auth") is None


def client(template: Template, name: str) -> dict[str, object]:
    (found,) = [
        r["Properties"]
        for r in template.find_resources("AWS::Cognito::UserPoolClient").values()
        if r["Properties"]["ClientName"] == name
    ]
    return found


# --- attributes that native users could write through a federated client's permission ---


def test_fails_when_a_client_offers_native_sign_in_and_google_by_default(stack: Stack) -> None:
    refuse(
        stack,
        "clients['web'] offers native sign-in (COGNITO) and identity providers ('Google') whose "
        "attribute mappings write ['email_verified']; the client must then let its users write "
        "them, so a native user could set them",
        identity_providers=[GOOGLE],
        clients=[WebClient(name="web", callback_urls=CALLBACK)],
        domain=PREFIX,
    )


def test_fails_when_a_native_client_also_offers_a_provider_mapping_a_custom_attribute(
    stack: Stack,
) -> None:
    refuse(
        stack,
        "clients['web'] offers native sign-in (COGNITO) and identity providers ('Corp') whose "
        "attribute mappings write ['custom:tenant_id']",
        user_pool=TENANT_POOL,
        identity_providers=[CORP],
        clients=[
            WebClient(
                name="web",
                callback_urls=CALLBACK,
                supported_identity_providers=[
                    NATIVE,
                    cognito.UserPoolClientIdentityProvider.custom("Corp"),
                ],
            )
        ],
        domain=PREFIX,
    )


def test_fails_when_a_federated_client_lets_native_users_sign_in_through_its_api(
    stack: Stack,
) -> None:
    refuse(
        stack,
        "clients['federated'] offers native sign-in (COGNITO) and identity providers ('Google')",
        identity_providers=[GOOGLE],
        clients=[
            WebClient(
                name="federated",
                callback_urls=CALLBACK,
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.GOOGLE],
                auth_flows=cognito.AuthFlow(user_srp=True),
            )
        ],
        domain=PREFIX,
    )


def test_native_and_federated_clients_apart_keep_privileged_attributes_from_native_users(
    stack: Stack,
) -> None:
    CognitoAuth(
        stack,
        "Auth",
        user_pool=TENANT_POOL,
        identity_providers=[GOOGLE, CORP],
        clients=[
            WebClient(name="web", callback_urls=CALLBACK, supported_identity_providers=[NATIVE]),
            WebClient(
                name="federated",
                callback_urls=CALLBACK,
                supported_identity_providers=[
                    cognito.UserPoolClientIdentityProvider.GOOGLE,
                    cognito.UserPoolClientIdentityProvider.custom("Corp"),
                ],
            ),
        ],
        domain=PREFIX,
    )
    template = Template.from_stack(stack)
    native, federated = client(template, "web"), client(template, "federated")
    assert not {"email_verified", "custom:tenant_id"} & set(native["WriteAttributes"])  # type: ignore[arg-type]
    assert {"email_verified", "custom:tenant_id"} <= set(federated["WriteAttributes"])  # type: ignore[arg-type]
    # No pool password signs in through the federated client: it may only refresh.
    assert federated["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    # Cognito refuses ALLOW_REFRESH_TOKEN_AUTH with rotation, so only the native client rotates
    # (it refreshes with the token endpoint instead).
    assert "RefreshTokenRotation" not in federated
    assert native["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH"]
    assert native["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}


def test_fails_when_a_federated_only_client_asks_for_refresh_token_rotation(
    stack: Stack,
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        CognitoAuth(
            stack,
            "Auth",
            identity_providers=[GOOGLE],
            clients=[
                WebClient(
                    name="federated",
                    callback_urls=CALLBACK,
                    supported_identity_providers=[cognito.UserPoolClientIdentityProvider.GOOGLE],
                    refresh_token_rotation=True,
                )
            ],
            domain=PREFIX,
        )
    assert (
        "clients['federated'].refresh_token_rotation=True on a client that offers identity "
        "providers only: its one sign-in flow is ALLOW_REFRESH_TOKEN_AUTH"
    ) in str(raised.value)
    assert stack.node.try_find_child("Auth") is None


def test_does_not_fail_when_write_attributes_accept_it_by_name(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        identity_providers=[GOOGLE],
        clients=[
            WebClient(
                name="web",
                callback_urls=CALLBACK,
                write_attributes=client_attributes(["email", "email_verified"]),
            )
        ],
        domain=PREFIX,
    )
    written = client(Template.from_stack(stack), "web")["WriteAttributes"]
    assert written == ["email", "email_verified"]


def test_does_not_fail_for_providers_that_map_only_user_writable_attributes(
    stack: Stack,
) -> None:
    facebook = FacebookLogin(
        client_id="1234567890", client_secret=SecretValue.secrets_manager("cognito-auth/fb")
    )
    CognitoAuth(
        stack,
        "Auth",
        identity_providers=[facebook],
        clients=[WebClient(name="web", callback_urls=CALLBACK)],
        domain=PREFIX,
    )
    written = client(Template.from_stack(stack), "web")["WriteAttributes"]
    assert "email_verified" not in written  # type: ignore[operator]


def test_a_client_without_oauth_gets_nothing_the_providers_map(stack: Stack) -> None:
    # No federated sign-in goes through the pool's API: the default client stays as it is.
    CognitoAuth(stack, "Auth", user_pool=TENANT_POOL, identity_providers=[CORP], domain=PREFIX)
    written = client(Template.from_stack(stack), "web")["WriteAttributes"]
    assert "custom:tenant_id" not in written  # type: ignore[operator]


# --- developer-authenticated identities and files keyed on the user pool sub ---


def test_fails_when_developer_identities_could_tag_sessions_with_any_sub(stack: Stack) -> None:
    refuse(
        stack,
        "user_files.owner keys files on the principal tag 'sub', which only the user pool may "
        "set, but identity_pool.developer_provider_name accepts developer-authenticated "
        "identities, whose backend passes its own PrincipalTags "
        "(GetOpenIdTokenForDeveloperIdentity)",
        identity_pool=IdentityPoolSettings(
            principal_tags={"sub": "sub"}, developer_provider_name="login.example.app"
        ),
        user_files=UserFilesSettings(owner=FileOwner.user_pool_sub("sub")),
    )


def test_developer_identities_with_identity_id_owned_files_are_fine(stack: Stack) -> None:
    auth = CognitoAuth(
        stack,
        "Auth",
        identity_pool=IdentityPoolSettings(developer_provider_name="login.example.app"),
        user_files=UserFilesSettings(owner=FileOwner.identity_id()),
    )
    assert auth.user_files_bucket is not None


def test_fails_when_a_reserved_tag_meets_developer_identities_on_a_pool_alone(
    stack: Stack,
) -> None:
    pool = SecureIdentityPool(
        stack,
        "Pool",
        settings=IdentityPoolSettings(developer_provider_name="login.example.app"),
    )
    with pytest.raises(ConfigurationError, match="developer_provider_name accepts developer"):
        pool.reserve_tag_for_user_pools("sub")


def test_the_example_app_splits_native_and_federated_clients_when_providers_are_on() -> None:
    from app import AuthStack
    from constructs_lib.app_config import parse_app_config
    from tests.conftest import TEST_ENV, new_app

    config = parse_app_config(
        {
            "web_client": {"callback_urls": ["https://app.example.com/"], "logout_urls": []},
            "hosted_ui": {"domain_prefix": "example-app"},
            "identity_providers": {
                "google": {
                    "enabled": True,
                    "client_id": "id.apps.googleusercontent.com",
                    "client_secret_name": "auth/google:client_secret",
                }
            },
        }
    )
    stack = AuthStack(new_app(), "Example", config=config, env=TEST_ENV)
    template = Template.from_stack(stack)
    assert client(template, "web")["SupportedIdentityProviders"] == ["COGNITO"]
    federated = client(template, "web-federated")
    assert federated["SupportedIdentityProviders"] == ["Google"]
    assert "email_verified" in federated["WriteAttributes"]  # type: ignore[operator]
    assert "email_verified" not in client(template, "web")["WriteAttributes"]  # type: ignore[operator]
    assert {"ClientIdWeb", "ClientIdWebFederated"} <= set(template.to_json()["Outputs"])


# --- the custom sender key ---


def test_the_custom_sender_key_lets_only_this_accounts_user_pools_encrypt(stack: Stack) -> None:
    from aws_cdk import aws_lambda as lambda_

    from constructs_lib.triggers import Triggers

    sender = lambda_.Function(
        stack,
        "Sender",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="sender.handler",
        code=lambda_.Code.from_inline("def handler(event, context): return event"),
    )
    CognitoAuth(
        stack, "Auth", triggers=Triggers(own={cognito.UserPoolOperation.CUSTOM_SMS_SENDER: sender})
    )
    (key,) = Template.from_stack(stack).find_resources("AWS::KMS::Key").values()
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    cognito_statements = [s for s in statements if s["Principal"] != {"AWS": account_root()}]
    assert cognito_statements == [
        {
            "Sid": "AllowCognitoUserPoolsOfThisAccountToEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "cognito-idp.amazonaws.com"},
            "Action": "kms:Encrypt",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": "123456789012"},
                "ArnLike": {
                    "aws:SourceArn": {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                {"Ref": "AWS::Partition"},
                                ":cognito-idp:eu-west-1:123456789012:userpool/*",
                            ],
                        ]
                    }
                },
            },
        }
    ]
    # Besides it only the account's own administration statement (aws-cdk-lib's default).
    assert len(statements) == 2


def account_root() -> object:
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::123456789012:root"]]}
