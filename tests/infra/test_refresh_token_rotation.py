"""Refresh token rotation per client kind: the defaults, overrides and what Cognito refuses.

Cognito: with rotation on, refreshes go through the token endpoint or
``GetTokensFromRefreshToken`` and ``REFRESH_TOKEN_AUTH`` is refused; the grace period is 0 to
60 seconds. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html
"""

from __future__ import annotations

import pytest
from aws_cdk import Duration, Stack, Token
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Match, Template

from constructs_lib.clients import AppClients, MachineClient, ServerClient, WebClient
from constructs_lib.errors import ConfigurationError
from constructs_lib.resource_servers import ResourceServer, ResourceServers

CLIENT = "AWS::Cognito::UserPoolClient"
CALLBACK = "https://app.example.com/callback"
ORDERS = ResourceServer(identifier="orders", scopes={"read": "Read"})


def props_of(template: Template, name: str) -> dict[str, object]:
    (found,) = template.find_resources(CLIENT, {"Properties": {"ClientName": name}}).values()
    props: dict[str, object] = found["Properties"]
    return props


def define(stack: Stack, *clients: WebClient | ServerClient | MachineClient) -> Template:
    pool = cognito.UserPool(stack, "Pool")
    servers = ResourceServers(stack, "Servers", user_pool=pool, resource_servers=[ORDERS])
    AppClients(stack, "Clients", user_pool=pool, clients=clients, resource_servers=servers)
    return Template.from_stack(stack)


def test_web_clients_rotate_with_a_ten_second_grace_and_no_refresh_token_auth(
    stack: Stack,
) -> None:
    template = define(stack, WebClient(name="web", callback_urls=[CALLBACK]))
    props = props_of(template, "web")
    assert props["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    assert props["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH"]


def test_server_and_machine_clients_do_not_rotate_and_keep_refresh_token_auth(
    stack: Stack,
) -> None:
    template = define(
        stack,
        ServerClient(name="backend", callback_urls=[CALLBACK]),
        MachineClient(name="reports", scopes=[ORDERS.scope("read")]),
    )
    for name in ("backend", "reports"):
        props = props_of(template, name)
        assert "RefreshTokenRotation" not in props
        assert "ALLOW_REFRESH_TOKEN_AUTH" in props["ExplicitAuthFlows"]  # type: ignore[operator]


def test_rotation_can_be_turned_off_for_a_web_client_and_on_for_a_server_client(
    stack: Stack,
) -> None:
    template = define(
        stack,
        WebClient(name="swift-app", o_auth=False, refresh_token_rotation=False),
        ServerClient(
            name="backend",
            callback_urls=[CALLBACK],
            refresh_token_rotation=True,
            refresh_token_rotation_grace_period=Duration.seconds(0),
        ),
    )
    web = props_of(template, "swift-app")
    assert "RefreshTokenRotation" not in web
    assert web["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    backend = props_of(template, "backend")
    assert backend["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    assert backend["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH"]


def test_the_longest_grace_period_is_a_minute(stack: Stack) -> None:
    template = define(
        stack,
        WebClient(
            name="web", o_auth=False, refresh_token_rotation_grace_period=Duration.minutes(1)
        ),
    )
    template.has_resource_properties(
        CLIENT, {"RefreshTokenRotation": Match.object_like({"RetryGracePeriodSeconds": 60})}
    )


@pytest.mark.parametrize(
    ("grace", "shown"),
    [(Duration.seconds(61), "1 minute 1 second"), (Duration.millis(1500), "1.5 seconds")],
)
def test_fails_when_the_grace_period_is_outside_cognitos_range(
    stack: Stack, grace: Duration, shown: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        define(
            stack, WebClient(name="web", o_auth=False, refresh_token_rotation_grace_period=grace)
        )
    assert (
        "clients['web'].refresh_token_rotation_grace_period must be whole seconds from 0 to 60 "
        "(Cognito's range), got "
    ) in str(raised.value)
    assert stack.node.try_find_child("Clients") is None


def test_fails_when_a_grace_period_is_given_with_rotation_off(stack: Stack) -> None:
    with pytest.raises(
        ConfigurationError,
        match=r"clients\['web'\]\.refresh_token_rotation_grace_period applies only with rotation",
    ):
        define(
            stack,
            WebClient(
                name="web",
                o_auth=False,
                refresh_token_rotation=False,
                refresh_token_rotation_grace_period=Duration.seconds(5),
            ),
        )


def test_fails_when_a_machine_client_asks_for_rotation(stack: Stack) -> None:
    with pytest.raises(
        ConfigurationError,
        match=r"clients\['reports'\]\.refresh_token_rotation=True: the client credentials grant "
        r"issues no refresh token",
    ):
        define(
            stack,
            MachineClient(
                name="reports", scopes=[ORDERS.scope("read")], refresh_token_rotation=True
            ),
        )


def test_fails_when_the_grace_period_is_a_token(stack: Stack) -> None:
    """Refused with a reason: the L2 converts and compares the period at synth time."""
    grace = Duration.seconds(Token.as_number({"Ref": "GracePeriod"}))
    with pytest.raises(
        ConfigurationError,
        match=r"refresh_token_rotation_grace_period must be known at synth time",
    ):
        define(
            stack, WebClient(name="web", o_auth=False, refresh_token_rotation_grace_period=grace)
        )
