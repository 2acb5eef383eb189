"""Invalid settings that used to be accepted, or refused with an error other than a
``ConfigurationError`` naming the argument: each is now refused before any child is created.
Values that must be literals (they name constructs, or aws-cdk-lib judges them while the app is
built) are refused as tokens, with the reason."""

from __future__ import annotations

import pytest
from aws_cdk import CfnParameter, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Template

from constructs_lib import (
    CognitoAuth,
    ConfigurationError,
    Group,
    SecureUserPool,
    SesEmail,
    UserPoolSettings,
)
from constructs_lib.clients import WebClient
from constructs_lib.domain import HostedUiDomain
from constructs_lib.federation import SamlLogin
from constructs_lib.resource_servers import ResourceServer

CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
METADATA_URL = "https://idp.example.com/metadata.xml"


def refuse(stack: Stack, match: str, **kwargs: object) -> ConfigurationError:
    with pytest.raises(ConfigurationError, match=match) as caught:
        CognitoAuth(stack, "Auth", **kwargs)  # type: ignore[arg-type]
    assert stack.node.try_find_child("Auth") is None
    return caught.value


# --- sign-in aliases ---


def test_fails_when_sign_in_aliases_enable_nothing(stack: Stack) -> None:
    refuse(
        stack,
        r"sign_in_aliases turns every alias off, got SignInAliases\(\) with none set",
        user_pool=UserPoolSettings(sign_in_aliases=cognito.SignInAliases()),
    )


def test_fails_when_preferred_username_comes_without_username(stack: Stack) -> None:
    # aws-cdk-lib raised its own RuntimeError here, halfway through building the pool.
    refuse(
        stack,
        r"sign_in_aliases: preferred_username=True needs username=True .*got email, "
        r"preferred_username",
        user_pool=UserPoolSettings(
            sign_in_aliases=cognito.SignInAliases(email=True, preferred_username=True)
        ),
    )


def test_fails_when_the_alias_problem_is_given_to_secure_user_pool(stack: Stack) -> None:
    with pytest.raises(ConfigurationError, match="preferred_username=True needs username=True"):
        SecureUserPool(
            stack,
            "Pool",
            settings=UserPoolSettings(
                sign_in_aliases=cognito.SignInAliases(preferred_username=True)
            ),
        )
    assert stack.node.try_find_child("Pool") is None


def test_does_not_fail_with_username_and_preferred_username(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            sign_in_aliases=cognito.SignInAliases(username=True, preferred_username=True)
        ),
    )


# --- SES email ---


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("from_email", "not-an-email"),
        ("from_email", "Acme <no-reply@example.com>"),
        ("from_email", "no reply@example.com"),
        ("reply_to", "support"),
        ("reply_to", "a@b"),
    ],
)
def test_fails_when_an_ses_address_is_not_an_email_address(
    stack: Stack, field: str, value: str
) -> None:
    email = {"from_email": "no-reply@example.com", field: value}
    refuse(
        stack,
        rf"email\.{field} must be one email address such as 'no-reply@example.com' .*"
        rf"got {value!r}",
        user_pool=UserPoolSettings(email=SesEmail(**email)),
    )


def test_does_not_fail_when_an_ses_address_is_a_token(stack: Stack) -> None:
    address = CfnParameter(stack, "From").value_as_string
    CognitoAuth(stack, "Auth", user_pool=UserPoolSettings(email=SesEmail(from_email=address)))


# --- callback and logout URLs ---


@pytest.mark.parametrize("field", ["callback_urls", "logout_urls"])
def test_fails_when_a_url_has_a_wildcard(stack: Stack, field: str) -> None:
    urls = {"callback_urls": ["https://app.example.com/cb"], field: ["https://*.example.com/cb"]}
    refuse(
        stack,
        rf"clients\['web'\]\.{field}: 'https://\*\.example\.com/cb' must not contain a wildcard "
        r"\('\*'\): Cognito matches each URL exactly",
        clients=[WebClient(name="web", **urls)],
        domain=HostedUiDomain.cognito_prefix("acme-shop"),
    )


# --- custom domain and its zone ---


def zone(stack: Stack, name: str) -> route53.IHostedZone:
    return route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789EXAMPLE", zone_name=name
    )


@pytest.mark.parametrize("zone_name", ["example.org", "other-example.com", "auth.example.com.eu"])
def test_fails_when_the_hosted_zone_does_not_contain_the_domain(
    stack: Stack, zone_name: str
) -> None:
    certificate = acm.Certificate.from_certificate_arn(stack, "Cert", CERTIFICATE_ARN)
    refuse(
        stack,
        rf"domain: hosted_zone {zone_name!r} does not contain the custom domain "
        r"'auth.example.com'",
        domain=HostedUiDomain.custom_domain(
            "auth.example.com", certificate=certificate, hosted_zone=zone(stack, zone_name)
        ),
    )


@pytest.mark.parametrize("zone_name", ["example.com", "auth.example.com", "Example.com."])
def test_does_not_fail_when_the_zone_is_the_domain_or_a_parent(
    stack: Stack, zone_name: str
) -> None:
    certificate = acm.Certificate.from_certificate_arn(stack, "Cert", CERTIFICATE_ARN)
    CognitoAuth(
        stack,
        "Auth",
        domain=HostedUiDomain.custom_domain(
            "auth.example.com", certificate=certificate, hosted_zone=zone(stack, zone_name)
        ),
    )


# --- values that must be literals ---


def test_fails_when_a_group_name_is_a_token(stack: Stack) -> None:
    name = CfnParameter(stack, "GroupName").value_as_string
    refuse(
        stack,
        "groups: a group name must be a literal string, got a token: the group's construct ID "
        "derives from its name",
        user_pool=UserPoolSettings(groups=[Group(name=name)]),
    )


def test_fails_when_a_resource_server_identifier_is_a_token(stack: Stack) -> None:
    identifier = CfnParameter(stack, "Api").value_as_string
    refuse(
        stack,
        "resource_servers: an identifier must be a literal string, got a token: the resource "
        "server's construct ID derives from it",
        resource_servers=[ResourceServer(identifier=identifier, scopes={"read": "Read"})],
    )


def test_fails_when_the_password_length_is_a_token(stack: Stack) -> None:
    # aws-cdk-lib's UserPool raised its own RuntimeError for a Number parameter.
    length = CfnParameter(stack, "Length", type="Number").value_as_number
    refuse(
        stack,
        "password_policy.min_length must be a literal number, got a token: aws-cdk-lib's "
        "UserPool checks the length",
        user_pool=UserPoolSettings(password_policy=cognito.PasswordPolicy(min_length=length)),
    )


def test_fails_when_a_client_name_is_a_token(stack: Stack) -> None:
    name = CfnParameter(stack, "ClientName").value_as_string
    refuse(
        stack,
        "clients: a client name must be a literal string, got a token: the client's construct "
        "ID and output keys derive from it",
        clients=[WebClient(name=name, o_auth=False)],
    )


def test_fails_when_a_saml_provider_name_is_a_token(stack: Stack) -> None:
    name = CfnParameter(stack, "ProviderName").value_as_string
    refuse(
        stack,
        r"identity_providers\[.*\]\.provider_name must be a literal string, got a token",
        identity_providers=[SamlLogin(provider_name=name, metadata_url=METADATA_URL)],
        domain=HostedUiDomain.cognito_prefix("acme-shop"),
    )


def test_fails_when_a_custom_domain_name_is_a_token_and_its_certificate_is_created(
    stack: Stack,
) -> None:
    name = CfnParameter(stack, "DomainName").value_as_string
    refuse(
        stack,
        "domain: a custom domain name must be a literal string when the us-east-1 certificate "
        "is created in its own stack, got a token",
        domain=HostedUiDomain.custom_domain(name, hosted_zone=zone(stack, "example.com")),
    )


def test_does_not_fail_when_a_custom_domain_name_is_a_token_with_a_certificate(
    stack: Stack,
) -> None:
    name = CfnParameter(stack, "DomainName").value_as_string
    certificate = acm.Certificate.from_certificate_arn(stack, "Cert", CERTIFICATE_ARN)
    CognitoAuth(
        stack,
        "Auth",
        domain=HostedUiDomain.custom_domain(
            name, certificate=certificate, hosted_zone=zone(stack, "example.com")
        ),
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::Cognito::UserPoolDomain", {"Domain": {"Ref": "DomainName"}}
    )
