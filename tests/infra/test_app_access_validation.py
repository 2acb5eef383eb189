"""Every input rule of clients, resource servers and the hosted UI domain: refused with a message
naming the argument, the value and what is allowed; tokens are not judged; nothing is defined
when anything is refused; the problems join the user pool's in one error."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import CfnParameter, Duration, Environment, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_route53 as route53

from constructs_lib.clients import (
    AppClients,
    MachineClient,
    ServerClient,
    WebClient,
    clients_problems,
)
from constructs_lib.cognito_auth import CognitoAuth
from constructs_lib.domain import HostedUiDomain, suggest_prefix
from constructs_lib.errors import ConfigurationError
from constructs_lib.resource_servers import ResourceServer
from constructs_lib.user_pool import UserPoolSettings
from constructs_lib.validation import Problems
from tests.conftest import new_app

CALLBACK = "https://app.example.com/callback"
PREFIX = HostedUiDomain.cognito_prefix("example-app")
ORDERS = ResourceServer(identifier="orders", scopes={"read": "Read orders"})


def refuse(stack: Stack, match: str, **arguments: Any) -> ConfigurationError:
    arguments.setdefault("domain", PREFIX)
    with pytest.raises(ConfigurationError, match=match) as caught:
        CognitoAuth(stack, "Auth", **arguments)
    assert stack.node.try_find_child("Auth") is None
    return caught.value


def accept(stack: Stack, **arguments: Any) -> CognitoAuth:
    arguments.setdefault("domain", PREFIX)
    return CognitoAuth(stack, "Auth", **arguments)


def web(**settings: Any) -> WebClient:
    settings.setdefault("callback_urls", [CALLBACK])
    return WebClient(name=settings.pop("name", "web"), **settings)


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://app.example.com/callback", "ftp://app.example.com/", "app.example.com/callback"],
)
def test_fails_when_a_callback_url_is_not_https(stack: Stack, url: str) -> None:
    refuse(
        stack,
        rf"clients\['web'\].callback_urls: '{url}' must be an https URL \(http only on "
        r"localhost or 127.0.0.1\)",
        clients=[web(callback_urls=[url])],
    )


def test_fails_when_a_logout_url_has_a_fragment(stack: Stack) -> None:
    refuse(
        stack,
        r"clients\['web'\].logout_urls: 'https://app.example.com/#/out' must not contain a "
        "fragment",
        clients=[web(logout_urls=["https://app.example.com/#/out"])],
    )


@pytest.mark.parametrize("url", ["http://localhost:3000/", "http://127.0.0.1:8080/cb"])
def test_does_not_fail_for_http_on_localhost(stack: Stack, url: str) -> None:
    accept(stack, clients=[web(callback_urls=[url], logout_urls=[url])])


def test_does_not_fail_when_a_url_is_a_token(stack: Stack) -> None:
    url = CfnParameter(stack, "Callback").value_as_string
    accept(stack, clients=[web(callback_urls=[url])])


def test_fails_when_oauth_has_no_callback_url(stack: Stack) -> None:
    refuse(
        stack,
        r"clients\['web'\].callback_urls: OAuth sign-in needs at least one callback URL",
        clients=[web(callback_urls=[])],
    )


# --- flows and scopes ---------------------------------------------------------------------------


def test_fails_when_the_implicit_grant_is_not_asked_for_by_name(stack: Stack) -> None:
    refuse(
        stack,
        r"implicit_code_grant=True returns tokens in the URL.*allow_implicit_grant=True",
        clients=[web(flows=cognito.OAuthFlows(implicit_code_grant=True))],
    )


def test_fails_when_a_web_client_asks_for_client_credentials(stack: Stack) -> None:
    refuse(
        stack,
        r"client_credentials needs a client secret, which a WebClient \(public\) cannot keep",
        clients=[
            web(flows=cognito.OAuthFlows(client_credentials=True), scopes=[ORDERS.scope("read")])
        ],
        resource_servers=[ORDERS],
    )


def test_fails_when_client_credentials_has_no_custom_scope(stack: Stack) -> None:
    refuse(
        stack,
        r"clients\['api'\].scopes: client_credentials needs at least one custom scope and only "
        r"custom scopes, got \['openid', 'email', 'profile'\]",
        clients=[ServerClient(name="api", flows=cognito.OAuthFlows(client_credentials=True))],
    )


def test_does_not_fail_for_a_server_client_with_client_credentials_and_custom_scopes(
    stack: Stack,
) -> None:
    accept(
        stack,
        resource_servers=[ORDERS],
        clients=[
            ServerClient(
                name="api",
                flows=cognito.OAuthFlows(client_credentials=True),
                scopes=[ORDERS.scope("read")],
            )
        ],
    )


def test_fails_when_a_machine_client_has_no_or_standard_scopes(stack: Stack) -> None:
    error = refuse(
        stack,
        "MachineClient needs at least one custom scope",
        clients=[
            MachineClient(name="a"),
            MachineClient(name="b", scopes=[cognito.OAuthScope.OPENID]),
        ],
    )
    assert any("allows only custom scopes, got 'openid'" in p for p in error.problems)


def test_fails_when_a_typed_scope_is_unknown(stack: Stack) -> None:
    error = refuse(
        stack,
        r"'orders/wrte' is not a scope of resource server 'orders'; its scopes: 'read'",
        resource_servers=[ORDERS],
        clients=[
            MachineClient(name="job", scopes=[ORDERS.scope("wrte")]),
            MachineClient(
                name="other", scopes=[ResourceServer(identifier="x", scopes={}).scope("y")]
            ),
        ],
    )
    assert any(
        "names resource server 'x', which is not in resource_servers" in p for p in error.problems
    )


def test_fails_when_oauth_flows_have_no_domain(stack: Stack) -> None:
    refuse(
        stack,
        r"clients\['web'\]: OAuth flows need a hosted UI domain",
        clients=[web()],
        domain=None,
    )


def test_does_not_require_a_domain_without_oauth(stack: Stack) -> None:
    accept(stack, clients=[WebClient(name="spa", o_auth=False)], domain=None)


def test_fails_when_o_auth_is_off_but_oauth_settings_are_given(stack: Stack) -> None:
    refuse(
        stack,
        r"clients\['web'\]: callback_urls apply only to OAuth, but o_auth=False",
        clients=[web(o_auth=False)],
    )


def test_fails_when_email_scope_comes_without_openid(stack: Stack) -> None:
    refuse(stack, r"'email' need 'openid' too", clients=[web(scopes=[cognito.OAuthScope.EMAIL])])


def test_fails_when_client_names_repeat(stack: Stack) -> None:
    error = refuse(
        stack,
        r"name 'web' is used twice",
        clients=[web(), web(), web(name="web-app"), web(name="webapp")],
    )
    assert any("'webapp' and 'web-app' are alike" in p for p in error.problems)


# --- token validity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("id_token_validity", Duration.minutes(4), "from 5 minutes to 1 day"),
        ("access_token_validity", Duration.hours(25), "from 5 minutes to 1 day"),
        ("refresh_token_validity", Duration.minutes(59), "from 1 hour to 3650 days"),
        ("refresh_token_validity", Duration.days(3651), "from 1 hour to 3650 days"),
        ("auth_session_validity", Duration.minutes(2), "from 3 minutes to 15 minutes"),
        ("auth_session_validity", Duration.minutes(16), "from 3 minutes to 15 minutes"),
        ("id_token_validity", Duration.seconds(330), "from 5 minutes to 1 day"),
    ],
)
def test_fails_when_a_validity_is_outside_cognitos_range(
    stack: Stack, field: str, value: Duration, allowed: str
) -> None:
    refuse(
        stack,
        rf"clients\['web'\].{field} must be whole minutes {allowed} \(Cognito's range\), "
        rf"got '{value.to_human_string()}'",
        clients=[web(**{field: value})],
    )


def test_fails_when_a_token_outlives_the_refresh_token(stack: Stack) -> None:
    refuse(
        stack,
        r"access_token_validity \('1 day'\) must not be longer than refresh_token_validity "
        r"\('1 hour'\)",
        clients=[
            web(access_token_validity=Duration.days(1), refresh_token_validity=Duration.minutes(60))
        ],
    )


def test_does_not_fail_when_a_validity_is_a_token(stack: Stack) -> None:
    # The validator leaves tokens alone (the aws_cdk L2 itself needs concrete durations here).
    minutes = CfnParameter(stack, "Minutes", type="Number").value_as_number
    problems = Problems("Test")
    clients_problems([web(access_token_validity=Duration.millis(minutes))], problems)
    assert not problems


# --- domain -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "suggestion"),
    [("my-cognito-app", "my-app-auth"), ("AwsShop", "shop-auth"), ("amazon", "my-app-auth")],
)
def test_fails_when_a_prefix_holds_a_reserved_word(
    stack: Stack, prefix: str, suggestion: str
) -> None:
    refuse(
        stack,
        rf"domain prefix may not contain .*got '{prefix}' \(try '{suggestion}'\)",
        domain=HostedUiDomain.cognito_prefix(prefix),
    )


@pytest.mark.parametrize("prefix", ["-app", "app-", "My_App", "a" * 64, ""])
def test_fails_when_a_prefix_breaks_the_pattern(stack: Stack, prefix: str) -> None:
    error = refuse(
        stack,
        "domain prefix must be 1 to 63 lowercase letters",
        domain=HostedUiDomain.cognito_prefix(prefix),
    )
    assert f"got {prefix!r} (try {suggest_prefix(prefix)!r})" in str(error)


def test_does_not_fail_when_a_prefix_is_a_token(stack: Stack) -> None:
    accept(
        stack, domain=HostedUiDomain.cognito_prefix(CfnParameter(stack, "Prefix").value_as_string)
    )


def test_fails_when_a_domain_is_both_or_neither(stack: Stack) -> None:
    refuse(
        stack,
        "give exactly one of a Cognito prefix and a custom domain name",
        domain=HostedUiDomain(),
    )


def test_fails_when_a_custom_domain_has_no_certificate_or_zone(stack: Stack) -> None:
    refuse(
        stack,
        r"custom domain 'auth.example.com' needs a certificate in us-east-1 \(certificate=\) or "
        r"a Route 53 hosted zone",
        domain=HostedUiDomain.custom_domain("auth.example.com"),
    )


def test_fails_when_a_custom_domain_is_not_a_host_name(stack: Stack) -> None:
    refuse(
        stack,
        r"custom domain name must be a lowercase host name .*got 'https://auth.example.com'",
        domain=HostedUiDomain.custom_domain(
            "https://auth.example.com",
            certificate=acm.Certificate.from_certificate_arn(
                stack, "C", "arn:aws:acm:us-east-1:123456789012:certificate/abc"
            ),
        ),
    )


def test_fails_when_the_certificate_is_not_in_us_east_1(stack: Stack) -> None:
    arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
    refuse(
        stack,
        r"the certificate of a custom domain must be in us-east-1 .*got one in 'eu-west-1'",
        domain=HostedUiDomain.custom_domain(
            "auth.example.com", certificate=acm.Certificate.from_certificate_arn(stack, "C", arn)
        ),
    )


def test_fails_when_a_certificate_must_be_created_for_a_stack_without_region() -> None:
    stack = Stack(new_app(), "Agnostic")
    zone = route53.HostedZone.from_hosted_zone_id(stack, "Zone", "Z0123")
    refuse(
        stack,
        r"needs a stack with an explicit Region",
        domain=HostedUiDomain.custom_domain("auth.example.com", hosted_zone=zone),
    )


def test_fails_when_the_zone_is_defined_in_a_stack_outside_us_east_1(stack: Stack) -> None:
    zone = route53.HostedZone(stack, "Zone", zone_name="example.com")
    refuse(
        stack,
        r"hosted_zone is defined in this app.*from_hosted_zone_attributes",
        domain=HostedUiDomain.custom_domain("auth.example.com", hosted_zone=zone),
    )


def test_does_not_fail_for_a_zone_defined_in_a_us_east_1_stack() -> None:
    stack = Stack(
        new_app(), "Virginia", env=Environment(account="123456789012", region="us-east-1")
    )
    zone = route53.HostedZone(stack, "Zone", zone_name="example.com")
    accept(stack, domain=HostedUiDomain.custom_domain("auth.example.com", hosted_zone=zone))


# --- resource servers ---------------------------------------------------------------------------


def test_fails_when_resource_servers_repeat_or_scopes_are_malformed(stack: Stack) -> None:
    error = refuse(
        stack,
        r"identifier 'orders' is used twice",
        resource_servers=[
            ORDERS,
            ResourceServer(identifier="orders", scopes={"a/b": "x", "ok": ""}),
        ],
    )
    assert any("scope name 'a/b' must be 1 to 256" in p for p in error.problems)
    assert any("the description must be 1 to 256 characters, got ''" in p for p in error.problems)


# --- together -----------------------------------------------------------------------------------


def test_problems_of_every_part_come_in_one_error(stack: Stack) -> None:
    error = refuse(
        stack,
        "configuration problems",
        user_pool=UserPoolSettings(password_policy=cognito.PasswordPolicy(min_length=4)),
        clients=[web(callback_urls=["http://app.example.com"])],
        domain=HostedUiDomain.cognito_prefix("my-cognito-app"),
    )
    assert len(error.problems) == 3
    assert all(p.startswith("CognitoAuth: ") for p in error.problems)


def test_standalone_clients_refuse_bad_input_too(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_EXAMPLE")
    with pytest.raises(ConfigurationError, match=r"AppClients: clients\['web'\].callback_urls"):
        AppClients(stack, "Clients", user_pool=pool, clients=[web(callback_urls=[])])


def test_existing_pool_does_not_require_a_domain_or_known_resource_servers(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_EXAMPLE")
    CognitoAuth(
        stack,
        "Auth",
        existing_user_pool=pool,
        clients=[web(), MachineClient(name="job", scopes=[ORDERS.scope("read")])],
    )


def test_fails_when_the_parameter_prefix_is_not_a_path(stack: Stack) -> None:
    auth = CognitoAuth(stack, "Auth")
    with pytest.raises(ConfigurationError, match=r"parameter_prefix must be a path .*got 'app/'"):
        auth.add_consumer_parameters("app/")
