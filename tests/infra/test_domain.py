"""The hosted UI domain: prefix and custom domains, certificates, alias record, branding, and
the consumer configuration built on it."""

from __future__ import annotations

from aws_cdk import App, Environment, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Match, Template

from constructs_lib.clients import MachineClient, WebClient
from constructs_lib.cognito_auth import CognitoAuth
from constructs_lib.domain import HostedUi, HostedUiDomain
from constructs_lib.resource_servers import ResourceServer
from tests.conftest import new_app

DOMAIN = "AWS::Cognito::UserPoolDomain"
BRANDING = "AWS::Cognito::ManagedLoginBranding"
CERTIFICATE = "AWS::CertificateManager::Certificate"
WEB = WebClient(name="web", callback_urls=["https://app.example.com/callback"])
US_EAST_1_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"


def zone(stack: Stack) -> route53.IHostedZone:
    return route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789EXAMPLE", zone_name="example.com"
    )


def test_prefix_domain_uses_managed_login_with_a_branding_per_signing_in_client(
    stack: Stack,
) -> None:
    orders = ResourceServer(identifier="orders", scopes={"read": "Read"})
    auth = CognitoAuth(
        stack,
        "Auth",
        resource_servers=[orders],
        clients=[WEB, MachineClient(name="job", scopes=[orders.scope("read")])],
        domain=HostedUiDomain.cognito_prefix("example-app"),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(DOMAIN, {"Domain": "example-app", "ManagedLoginVersion": 2})
    # The web client signs users in and gets Cognito's default style; the machine never does.
    template.resource_count_is(BRANDING, 1)
    template.has_resource_properties(
        BRANDING,
        {
            "UseCognitoProvidedValues": True,
            "ClientId": {"Ref": Match.string_like_regexp("^AuthClientsweb")},
            "UserPoolId": {"Ref": "AuthUserPool8115E87F"},
        },
    )
    assert auth.domain is not None
    assert list(template.find_resources(DOMAIN)) == ["AuthHostedUiDomain11483AFD"]


def test_classic_hosted_ui_has_no_branding(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        clients=[WEB],
        domain=HostedUiDomain.cognito_prefix(
            "example-app", managed_login_version=cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI
        ),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(DOMAIN, {"ManagedLoginVersion": 1})
    template.resource_count_is(BRANDING, 0)


def test_custom_domain_with_a_given_certificate_and_zone_gets_an_alias_record(
    stack: Stack,
) -> None:
    certificate = acm.Certificate.from_certificate_arn(stack, "Cert", US_EAST_1_CERT)
    CognitoAuth(
        stack,
        "Auth",
        clients=[WEB],
        domain=HostedUiDomain.custom_domain(
            "auth.example.com", certificate=certificate, hosted_zone=zone(stack)
        ),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        DOMAIN,
        {"Domain": "auth.example.com", "CustomDomainConfig": {"CertificateArn": US_EAST_1_CERT}},
    )
    template.resource_count_is(CERTIFICATE, 0)
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "auth.example.com.",
            "Type": "A",
            "HostedZoneId": "Z0123456789EXAMPLE",
            "AliasTarget": {
                "DNSName": {"Fn::GetAtt": ["AuthHostedUiDomain11483AFD", "CloudFrontDistribution"]}
            },
        },
    )


def test_custom_domain_without_a_zone_has_no_record(stack: Stack) -> None:
    certificate = acm.Certificate.from_certificate_arn(stack, "Cert", US_EAST_1_CERT)
    CognitoAuth(
        stack,
        "Auth",
        clients=[WEB],
        domain=HostedUiDomain.custom_domain("auth.example.com", certificate=certificate),
    )
    Template.from_stack(stack).resource_count_is("AWS::Route53::RecordSet", 0)


def test_certificate_is_created_in_the_stack_when_it_is_in_us_east_1() -> None:
    stack = Stack(
        new_app(), "Virginia", env=Environment(account="123456789012", region="us-east-1")
    )
    CognitoAuth(
        stack,
        "Auth",
        clients=[WEB],
        domain=HostedUiDomain.custom_domain("auth.example.com", hosted_zone=zone(stack)),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        CERTIFICATE,
        {
            "DomainName": "auth.example.com",
            "ValidationMethod": "DNS",
            "DomainValidationOptions": [
                {"DomainName": "auth.example.com", "HostedZoneId": "Z0123456789EXAMPLE"}
            ],
        },
    )
    template.has_resource_properties(
        DOMAIN,
        {"CustomDomainConfig": {"CertificateArn": {"Ref": Match.string_like_regexp("Cert")}}},
    )


def test_certificate_goes_to_a_us_east_1_stack_when_the_pool_is_elsewhere(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        clients=[WEB],
        domain=HostedUiDomain.custom_domain("auth.example.com", hosted_zone=zone(stack)),
    )
    app = stack.node.scope
    assert isinstance(app, App)
    certificate_stack = app.node.find_child("TestStackHostedUiCertificate")
    assert isinstance(certificate_stack, Stack) and certificate_stack.region == "us-east-1"
    assert certificate_stack.account == "123456789012"
    Template.from_stack(certificate_stack).has_resource_properties(
        CERTIFICATE,
        {
            "DomainName": "auth.example.com",
            "DomainValidationOptions": [
                {"DomainName": "auth.example.com", "HostedZoneId": "Z0123456789EXAMPLE"}
            ],
        },
    )
    # The ARN crosses Regions through CDK's export reader; the pool's stack deploys after.
    Template.from_stack(stack).has_resource_properties(
        DOMAIN,
        {
            "CustomDomainConfig": {
                "CertificateArn": {
                    "Fn::GetAtt": [Match.string_like_regexp("ExportsReader"), Match.any_value()]
                }
            }
        },
    )
    assert certificate_stack in stack.dependencies


def test_hosted_ui_works_alone_on_an_existing_pool(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_EXAMPLE")
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "abc123")
    hosted_ui = HostedUi(
        stack,
        "HostedUi",
        user_pool=pool,
        domain=HostedUiDomain.cognito_prefix("example-app"),
        clients={"web": client},
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        BRANDING, {"ClientId": "abc123", "UserPoolId": "eu-west-1_EXAMPLE"}
    )
    assert stack.resolve(hosted_ui.base_url) == {
        "Fn::Join": [
            "",
            ["https://", {"Ref": "HostedUiDomain0BCF3B87"}, ".auth.eu-west-1.amazoncognito.com"],
        ]
    }


def test_consumer_config_lists_what_frontends_and_backends_need(stack: Stack) -> None:
    auth = CognitoAuth(
        stack,
        "Auth",
        clients=[WEB, WebClient(name="no-oauth app", o_auth=False)],
        domain=HostedUiDomain.cognito_prefix("example-app"),
    )
    config = {key: stack.resolve(value) for key, value in auth.consumer_config().items()}
    base = ["https://", {"Ref": "AuthHostedUiDomain11483AFD"}, ".auth.eu-west-1.amazoncognito.com"]
    assert config == {
        "Region": "eu-west-1",
        "UserPoolId": {"Ref": "AuthUserPool8115E87F"},
        "UserPoolArn": {"Fn::GetAtt": ["AuthUserPool8115E87F", "Arn"]},
        "IssuerUrl": {
            "Fn::Join": ["", ["https://", {"Fn::GetAtt": ["AuthUserPool8115E87F", "ProviderName"]}]]
        },
        "JwksUrl": {
            "Fn::Join": [
                "",
                [
                    "https://",
                    {"Fn::GetAtt": ["AuthUserPool8115E87F", "ProviderName"]},
                    "/.well-known/jwks.json",
                ],
            ]
        },
        "ClientIdWeb": config["ClientIdWeb"],
        "ScopesWeb": "openid email profile",
        "ClientIdNoOauthApp": config["ClientIdNoOauthApp"],
        "HostedUiBaseUrl": {"Fn::Join": ["", base]},
        "AuthorizeUrl": {"Fn::Join": ["", [*base[:2], base[2] + "/oauth2/authorize"]]},
        "TokenUrl": {"Fn::Join": ["", [*base[:2], base[2] + "/oauth2/token"]]},
        "LogoutUrl": {"Fn::Join": ["", [*base[:2], base[2] + "/logout"]]},
        "UserInfoUrl": {"Fn::Join": ["", [*base[:2], base[2] + "/oauth2/userInfo"]]},
    }
    assert config["ClientIdWeb"]["Ref"].startswith("AuthClientsweb")


def test_consumer_parameters_publish_the_config_to_ssm(stack: Stack) -> None:
    auth = CognitoAuth(stack, "Auth")
    parameters = auth.add_consumer_parameters("/example/auth")
    # The default web client comes with CognitoAuth(): its id is published too.
    assert set(parameters.parameters) == {
        "Region",
        "UserPoolId",
        "UserPoolArn",
        "IssuerUrl",
        "JwksUrl",
        "ClientIdWeb",
    }
    Template.from_stack(stack).has_resource_properties(
        "AWS::SSM::Parameter",
        {
            "Name": "/example/auth/UserPoolId",
            "Type": "String",
            "Value": {"Ref": "AuthUserPool8115E87F"},
        },
    )


def test_fails_when_managed_login_is_asked_for_on_lite(stack: Stack) -> None:
    import pytest

    from constructs_lib import ConfigurationError, UserPoolSettings

    with pytest.raises(ConfigurationError, match="managed login, which needs feature_plan"):
        CognitoAuth(
            stack,
            "Auth",
            user_pool=UserPoolSettings(feature_plan=cognito.FeaturePlan.LITE),
            domain=HostedUiDomain.cognito_prefix("example-lite"),
        )


def test_lite_with_the_classic_hosted_ui_is_fine(stack: Stack) -> None:
    from constructs_lib import UserPoolSettings

    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(feature_plan=cognito.FeaturePlan.LITE),
        domain=HostedUiDomain.cognito_prefix(
            "example-lite", managed_login_version=cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI
        ),
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Cognito::ManagedLoginBranding", 0)
    template.has_resource_properties("AWS::Cognito::UserPoolDomain", {"ManagedLoginVersion": 1})
