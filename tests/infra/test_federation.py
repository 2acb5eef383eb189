"""Social and enterprise providers: rendered details and mappings, secrets only as references."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aws_cdk import SecretValue, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from constructs_lib.errors import ConfigurationError
from constructs_lib.federation import (
    AmazonLogin,
    AppleLogin,
    FacebookLogin,
    GoogleLogin,
    IdentityProvider,
    OidcEndpointUrls,
    OidcLogin,
    SamlLogin,
    define_identity_provider,
    federation_problems,
    provider_construct_id,
)
from constructs_lib.validation import Problems

METADATA = Path(__file__).parents[1] / "fixtures" / "saml-metadata.xml"
IDP = "AWS::Cognito::UserPoolIdentityProvider"


def secret(name: str) -> SecretValue:
    return SecretValue.secrets_manager(f"auth/{name}")


def render(stack: Stack, provider: IdentityProvider) -> dict[str, object]:
    pool = cognito.UserPool(
        stack, "Pool", custom_attributes={"tenant_id": cognito.StringAttribute()}
    )
    problems = Problems("test")
    federation_problems([provider], custom_attributes=["tenant_id"], stack=stack, problems=problems)
    problems.raise_if_any()
    define_identity_provider(stack, provider_construct_id(provider), pool, provider)
    (resource,) = Template.from_stack(stack).find_resources(IDP).values()
    properties: dict[str, object] = resource["Properties"]
    return properties


def problems_of(stack: Stack, *providers: IdentityProvider, custom: list[str] | None = None) -> str:
    problems = Problems("CognitoAuth")
    federation_problems(list(providers), custom_attributes=custom, stack=stack, problems=problems)
    with pytest.raises(ConfigurationError) as caught:
        problems.raise_if_any()
    return str(caught.value)


def test_google_renders_with_its_secret_as_a_reference(stack: Stack) -> None:
    props = render(
        stack,
        GoogleLogin(client_id="example.apps.googleusercontent.com", client_secret=secret("google")),
    )
    assert props["ProviderName"] == "Google"
    assert props["ProviderDetails"] == {
        "client_id": "example.apps.googleusercontent.com",
        "client_secret": "{{resolve:secretsmanager:auth/google:SecretString:::}}",
        "authorize_scopes": "openid email profile",
    }
    assert props["AttributeMapping"] == {
        "email": "email",
        "email_verified": "email_verified",
        "given_name": "given_name",
        "family_name": "family_name",
        "name": "name",
        "picture": "picture",
    }


def test_facebook_maps_no_email_verified(stack: Stack) -> None:
    props = render(
        stack,
        FacebookLogin(
            client_id="1234567890", client_secret=secret("facebook"), api_version="v19.0"
        ),
    )
    assert props["ProviderType"] == "Facebook"
    details = props["ProviderDetails"]
    assert details["client_secret"] == "{{resolve:secretsmanager:auth/facebook:SecretString:::}}"  # type: ignore[index]
    assert details["api_version"] == "v19.0"  # type: ignore[index]
    assert props["AttributeMapping"] == {
        "email": "email",
        "given_name": "first_name",
        "family_name": "last_name",
        "name": "name",
    }


def test_apple_takes_its_private_key_as_a_reference(stack: Stack) -> None:
    props = render(
        stack,
        AppleLogin(
            client_id="com.example.web",
            team_id="TEAM000000",
            key_id="KEY0000000",
            private_key=secret("apple"),
        ),
    )
    assert props["ProviderName"] == "SignInWithApple"
    assert props["ProviderDetails"] == {
        "client_id": "com.example.web",
        "team_id": "TEAM000000",
        "key_id": "KEY0000000",
        "private_key": "{{resolve:secretsmanager:auth/apple:SecretString:::}}",
        "authorize_scopes": "name email",
    }
    assert props["AttributeMapping"]["email_verified"] == "email_verified"  # type: ignore[index]


def test_amazon_renders(stack: Stack) -> None:
    props = render(
        stack,
        AmazonLogin(
            client_id="amzn1.application-oa2-client.example", client_secret=secret("amazon")
        ),
    )
    assert props["ProviderName"] == "LoginWithAmazon"
    assert props["AttributeMapping"] == {"email": "email", "name": "name"}


def test_saml_from_a_metadata_file_with_identifiers_and_signing(stack: Stack) -> None:
    props = render(
        stack,
        SamlLogin(
            provider_name="CorporateSSO",
            metadata_file=METADATA,
            identifiers=["example.com"],
            sign_requests=True,
            encrypted_assertions=True,
            attribute_mapping={"custom:tenant_id": "http://example.com/claims/tenant"},
        ),
    )
    assert props["ProviderType"] == "SAML"
    assert props["IdpIdentifiers"] == ["example.com"]
    details = props["ProviderDetails"]
    assert "https://idp.example.com/saml" in details["MetadataFile"]  # type: ignore[index]
    assert details["RequestSigningAlgorithm"] == "rsa-sha256"  # type: ignore[index]
    assert details["EncryptedResponses"] is True  # type: ignore[index]
    assert props["AttributeMapping"]["custom:tenant_id"] == "http://example.com/claims/tenant"  # type: ignore[index]
    assert props["AttributeMapping"]["email"].endswith("/claims/emailaddress")  # type: ignore[index]


def test_saml_from_a_metadata_url(stack: Stack) -> None:
    props = render(
        stack, SamlLogin(provider_name="Okta", metadata_url="https://example.okta.com/app/metadata")
    )
    assert props["ProviderDetails"]["MetadataURL"] == "https://example.okta.com/app/metadata"  # type: ignore[index]


def test_oidc_with_explicit_endpoints(stack: Stack) -> None:
    props = render(
        stack,
        OidcLogin(
            provider_name="Partner",
            issuer_url="https://login.example.org",
            client_id="cognito",
            client_secret=secret("partner"),
            attribute_request_method=cognito.OidcAttributeRequestMethod.POST,
            endpoints=OidcEndpointUrls(
                authorization="https://login.example.org/authorize",
                token="https://login.example.org/token",
                user_info="https://login.example.org/userinfo",
                jwks_uri="https://login.example.org/jwks",
            ),
            attribute_mapping={"name": "display_name"},
        ),
    )
    details = props["ProviderDetails"]
    assert details["oidc_issuer"] == "https://login.example.org"  # type: ignore[index]
    assert details["client_secret"] == "{{resolve:secretsmanager:auth/partner:SecretString:::}}"  # type: ignore[index]
    assert details["attributes_request_method"] == "POST"  # type: ignore[index]
    assert details["jwks_uri"] == "https://login.example.org/jwks"  # type: ignore[index]
    assert props["AttributeMapping"]["name"] == "display_name"  # type: ignore[index]


def test_fails_when_a_secret_is_plain_text(stack: Stack) -> None:
    message = problems_of(
        stack,
        GoogleLogin(client_id="id", client_secret="s3cr3t"),  # type: ignore[arg-type]
        OidcLogin(
            provider_name="Partner",
            issuer_url="https://login.example.org",
            client_id="id",
            client_secret=SecretValue.unsafe_plain_text("s3cr3t"),
        ),
    )
    assert "identity_providers['Google'].client_secret was given as plain text" in message
    assert "identity_providers['Partner'].client_secret resolves to plain text" in message
    assert "aws secretsmanager create-secret" in message
    assert "SecretValue.secrets_manager('<name>')" in message
    assert "s3cr3t" not in message  # the secret is never echoed back


def test_fails_when_a_secret_is_an_ssm_secure_string(stack: Stack) -> None:
    message = problems_of(
        stack, AmazonLogin(client_id="id", client_secret=SecretValue.ssm_secure("/auth/amazon"))
    )
    assert "is an SSM SecureString reference, which CloudFormation does not resolve" in message


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        (
            SamlLogin(provider_name="Google", metadata_url="https://idp.example.com/m"),
            "provider_name 'Google' is reserved",
        ),
        (
            SamlLogin(provider_name="_corp", metadata_url="https://idp.example.com/m"),
            "provider_name must be 3 to 32 characters",
        ),
        (
            SamlLogin(provider_name="x" * 33, metadata_url="https://idp.example.com/m"),
            "provider_name must be 3 to 32 characters",
        ),
        (
            SamlLogin(provider_name="Corp"),
            "needs exactly one of metadata_url or metadata_file, got 0",
        ),
        (
            SamlLogin(provider_name="Corp", metadata_url="http://idp.example.com/m"),
            "metadata_url must be https, got 'http://idp.example.com/m'",
        ),
        (
            SamlLogin(provider_name="Corp", metadata_file="missing.xml"),
            "metadata_file 'missing.xml' is not a file",
        ),
        (
            SamlLogin(
                provider_name="Corp",
                metadata_url="https://idp.example.com/m",
                identifiers=["bad/domain"],
            ),
            "identifiers must be 1 to 40 characters",
        ),
        (
            OidcLogin(
                provider_name="Partner",
                issuer_url="http://login.example.org",
                client_id="id",
                client_secret=secret("partner"),
            ),
            "issuer_url must be https",
        ),
        (
            GoogleLogin(
                client_id="id", client_secret=secret("g"), attribute_mapping={"tenant": "hd"}
            ),
            "maps to 'tenant', which is not a pool attribute",
        ),
        (
            GoogleLogin(
                client_id="id",
                client_secret=secret("g"),
                attribute_mapping={"custom:department": "hd"},
            ),
            "maps to 'custom:department', which the pool does not have; its custom attributes: "
            "tenant_id",
        ),
    ],
)
def test_fails_when_a_provider_breaks_a_rule(
    stack: Stack, provider: IdentityProvider, expected: str
) -> None:
    assert expected in problems_of(stack, provider, custom=["tenant_id"])


def test_fails_when_a_provider_is_given_twice(stack: Stack) -> None:
    google = GoogleLogin(client_id="id", client_secret=secret("g"))
    assert "'Google' is given twice" in problems_of(stack, google, google)


def test_custom_targets_are_not_judged_for_an_existing_pool(stack: Stack) -> None:
    problems = Problems("CognitoAuth")
    provider = GoogleLogin(
        client_id="id", client_secret=secret("g"), attribute_mapping={"custom:anything": "hd"}
    )
    federation_problems([provider], custom_attributes=None, stack=stack, problems=problems)
    assert not problems


def test_construct_ids_are_the_provider_names() -> None:
    assert provider_construct_id(GoogleLogin(client_id="i", client_secret=secret("g"))) == (
        "ProviderGoogle"
    )
    saml = SamlLogin(provider_name="Corp", metadata_url="https://idp.example.com/m")
    assert re.fullmatch(r"ProviderCorp", provider_construct_id(saml))


# Wiring inside CognitoAuth -------------------------------------------------------------------


def _auth_with_providers(stack: Stack, **kwargs: object) -> Template:
    from constructs_lib import CognitoAuth
    from constructs_lib.clients import WebClient
    from constructs_lib.domain import HostedUiDomain

    defaults: dict[str, object] = {
        "identity_providers": [
            GoogleLogin(client_id="g", client_secret=secret("google")),
            SamlLogin(provider_name="CorporateSSO", metadata_url="https://idp.example.com/m"),
        ],
        "clients": [
            WebClient(name="web", callback_urls=["https://app.example.com/cb"]),
            WebClient(
                name="google-only",
                callback_urls=["https://app.example.com/cb"],
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.GOOGLE],
            ),
        ],
        "domain": HostedUiDomain.cognito_prefix("example-login"),
    }
    CognitoAuth(stack, "Auth", **{**defaults, **kwargs})  # type: ignore[arg-type]
    return Template.from_stack(stack)


def test_every_client_offers_and_depends_on_the_providers_it_offers(stack: Stack) -> None:
    from constructs_lib.clients import WebClient, client_attributes

    # Native sign-in next to Google's email_verified needs the explicit write_attributes opt-in
    # (tests/infra/test_hardening_security.py).
    template = _auth_with_providers(
        stack,
        clients=[
            WebClient(
                name="web",
                callback_urls=["https://app.example.com/cb"],
                write_attributes=client_attributes(["email", "email_verified", "name"]),
            ),
            WebClient(
                name="google-only",
                callback_urls=["https://app.example.com/cb"],
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.GOOGLE],
            ),
        ],
    )
    providers = template.find_resources(IDP)
    google = next(k for k in providers if "ProviderGoogle" in k)
    saml = next(k for k in providers if "ProviderCorporateSSO" in k)
    clients = template.find_resources("AWS::Cognito::UserPoolClient")
    web = next(v for k, v in clients.items() if "Clientsweb" in k)
    only = next(v for k, v in clients.items() if "googleonly" in k)
    assert web["Properties"]["SupportedIdentityProviders"] == [
        {"Ref": google},
        {"Ref": saml},
        "COGNITO",
    ]
    assert sorted(web["DependsOn"]) == sorted([google, saml])
    assert only["Properties"]["SupportedIdentityProviders"] == ["Google"]
    assert only["DependsOn"] == [google]


def test_fails_when_providers_have_no_domain(stack: Stack) -> None:
    with pytest.raises(ConfigurationError, match="identity_providers need a hosted UI domain"):
        _auth_with_providers(stack, domain=None, clients=[])


def test_fails_when_a_client_offers_an_undefined_provider(stack: Stack) -> None:
    from constructs_lib.clients import WebClient

    with pytest.raises(
        ConfigurationError,
        match=re.escape("clients['web'].supported_identity_providers names ['Facebook']"),
    ):
        _auth_with_providers(
            stack,
            clients=[
                WebClient(
                    name="web",
                    callback_urls=["https://app.example.com/cb"],
                    supported_identity_providers=[cognito.UserPoolClientIdentityProvider.FACEBOOK],
                )
            ],
        )


def test_fails_before_anything_is_defined_when_a_secret_is_plain(stack: Stack) -> None:
    with pytest.raises(ConfigurationError, match="was given as plain text"):
        _auth_with_providers(
            stack,
            identity_providers=[GoogleLogin(client_id="g", client_secret="plain")],  # type: ignore[arg-type]
        )
    assert stack.node.try_find_child("Auth") is None
