"""What a new user tripped over with clients, authorizers and consumer outputs: typed scopes
everywhere, a warning for scopes no client may ask for, machine clients without user settings,
one output key convention, and reading the published parameters."""

from __future__ import annotations

import pytest
from aws_cdk import Duration, SecretValue, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigatewayv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match, Template

from constructs_lib import CognitoAuth, ConfigurationError
from constructs_lib.authorizers import (
    UNREACHABLE_SCOPES_WARNING,
    http_api_jwt_authorizer,
    rest_api_user_pool_authorizer,
)
from constructs_lib.clients import MachineClient, ServerClient, WebClient, output_key
from constructs_lib.domain import HostedUiDomain
from constructs_lib.federation import GoogleLogin
from constructs_lib.resource_servers import ResourceServer

ORDERS = ResourceServer(identifier="orders", scopes={"read": "Read", "write": "Write"})
PREFIX = HostedUiDomain.cognito_prefix("acme-shop")
CLIENT = "AWS::Cognito::UserPoolClient"
GOOGLE = GoogleLogin(
    client_id="google-client", client_secret=SecretValue.secrets_manager("cognito-auth/google")
)
CALLBACK = ["https://app.example.com/cb"]


def warnings(stack: Stack) -> list[str]:
    found = Annotations.from_stack(stack).find_warning("*", Match.any_value())
    return [str(message.entry.data) for message in found]


def route(stack: Stack, options: dict[str, object]) -> None:
    api = apigatewayv2.HttpApi(stack, "Api")
    api.add_routes(
        path="/orders",
        integration=integrations.HttpUrlIntegration("Backend", "https://backend.example.com"),
        **options,  # type: ignore[arg-type]
    )


# --- typed scopes in the authorizer helpers ---


def test_http_authorizer_takes_a_resource_server_scope(stack: Stack) -> None:
    auth = CognitoAuth(
        stack,
        "Auth",
        resource_servers=[ORDERS],
        clients=[MachineClient(name="reports", scopes=ORDERS.all_scopes)],
        domain=PREFIX,
    )
    authorization = http_api_jwt_authorizer(
        user_pool=auth.user_pool,
        user_pool_clients=[auth.clients["reports"]],
        authorization_scopes=[ORDERS.scope("read")],
    )
    route(stack, dict(authorization.route_options(authorization_scopes=[ORDERS.scope("write")])))
    assert authorization.authorization_scopes == ("orders/read",)
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApiGatewayV2::Route", {"AuthorizationScopes": ["orders/write"]}
    )
    # The client may ask for both scopes: nothing to warn about.
    assert not [w for w in warnings(stack) if UNREACHABLE_SCOPES_WARNING in w]


def test_rest_authorizer_takes_a_resource_server_scope(stack: Stack) -> None:
    pool = cognito.UserPool(stack, "Pool")
    authorization = rest_api_user_pool_authorizer(
        stack, "Authorizer", user_pool=pool, authorization_scopes=[ORDERS.scope("read")]
    )
    api = apigateway.RestApi(stack, "Rest")
    api.root.add_method(
        "GET",
        apigateway.MockIntegration(),
        **authorization.method_options(authorization_scopes=[ORDERS.scope("write")]),
    )
    assert authorization.authorization_scopes == ("orders/read",)
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApiGateway::Method", {"AuthorizationScopes": ["orders/write"]}
    )


# --- scopes that no client may ask for ---


def test_http_authorizer_warns_when_no_client_may_ask_for_a_required_scope(stack: Stack) -> None:
    auth = CognitoAuth(
        stack,
        "Auth",
        resource_servers=[ORDERS],
        clients=[
            WebClient(name="web", callback_urls=CALLBACK),
            MachineClient(name="reports", scopes=[ORDERS.scope("read")]),
        ],
        domain=PREFIX,
    )
    http_api_jwt_authorizer(
        user_pool=auth.user_pool,
        user_pool_clients=[auth.clients["web"], auth.clients["reports"]],
        authorization_scopes=["orders/write", "admin"],
    )
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Auth/UserPool",
        "http_api_jwt_authorizer('CognitoJwtAuthorizer') requires one of ['orders/write', "
        "'admin'], which none of user_pool_clients may ask for (they may ask for ['email', "
        "'openid', 'orders/read', 'profile']): every route with these scopes refuses every "
        "token; add the scopes to a client or require another scope. "
        f"[ack: {UNREACHABLE_SCOPES_WARNING}]",
    )


def test_http_authorizer_does_not_warn_for_imported_clients(stack: Stack) -> None:
    pool = cognito.UserPool(stack, "Pool")
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Imported", "abc123")
    http_api_jwt_authorizer(
        user_pool=pool, user_pool_clients=[client], authorization_scopes=["orders/write"]
    )
    assert not [w for w in warnings(stack) if UNREACHABLE_SCOPES_WARNING in w]


# --- machine clients ---


def test_machine_client_offers_no_identity_provider_and_no_user_token_settings(
    stack: Stack,
) -> None:
    CognitoAuth(
        stack,
        "Auth",
        resource_servers=[ORDERS],
        identity_providers=[GOOGLE],
        clients=[
            WebClient(
                name="web",
                callback_urls=CALLBACK,
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.GOOGLE],
            ),
            MachineClient(name="reports", scopes=[ORDERS.scope("read")]),
        ],
        domain=PREFIX,
    )
    template = Template.from_stack(stack).to_json()["Resources"]
    (machine,) = [
        r
        for r in template.values()
        if r["Type"] == CLIENT and r["Properties"]["ClientName"] == "reports"
    ]
    (web,) = [
        r
        for r in template.values()
        if r["Type"] == CLIENT and r["Properties"]["ClientName"] == "web"
    ]
    properties = machine["Properties"]
    assert properties["SupportedIdentityProviders"] == ["COGNITO"]
    assert not any(
        template[d]["Type"] == "AWS::Cognito::UserPoolIdentityProvider"
        for d in machine.get("DependsOn", [])
    )
    for absent in ("IdTokenValidity", "RefreshTokenValidity", "AuthSessionValidity"):
        assert absent not in properties, absent
    assert properties["AccessTokenValidity"] == 60
    assert properties["TokenValidityUnits"] == {"AccessToken": "minutes"}
    assert "WriteAttributes" not in properties
    # The web client still offers the provider and depends on it.
    assert web["Properties"]["SupportedIdentityProviders"] == ["Google"]
    assert any(
        template[d]["Type"] == "AWS::Cognito::UserPoolIdentityProvider"
        for d in web.get("DependsOn", [])
    )


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("id_token_validity", Duration.minutes(30)),
        ("refresh_token_validity", Duration.days(1)),
        ("auth_session_validity", Duration.minutes(5)),
        ("write_attributes", cognito.ClientAttributes().with_custom_attributes("tenant_id")),
        ("supported_identity_providers", [cognito.UserPoolClientIdentityProvider.GOOGLE]),
    ],
)
def test_fails_when_a_machine_client_gets_a_user_setting(
    stack: Stack, setting: str, value: object
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        CognitoAuth(
            stack,
            "Auth",
            resource_servers=[ORDERS],
            clients=[
                MachineClient(name="reports", scopes=[ORDERS.scope("read")], **{setting: value})  # type: ignore[arg-type]
            ],
            domain=PREFIX,
        )
    assert (
        f"CognitoAuth: clients['reports']: {setting} do not apply to a MachineClient: the client "
        "credentials grant signs no user in and issues only an access token; drop them"
    ) in str(raised.value)
    assert stack.node.try_find_child("Auth") is None


# --- consumer outputs ---


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("web", "Web"),
        ("my-backend", "MyBackend"),
        ("reports_v2", "ReportsV2"),
        ("iOS app", "IOSApp"),
    ],
)
def test_output_keys_spell_client_names_in_pascal_case(name: str, key: str) -> None:
    assert output_key(name) == key


def test_consumer_config_has_the_pool_arn_and_pascal_case_client_keys(stack: Stack) -> None:
    auth = CognitoAuth(
        stack,
        "Auth",
        clients=[
            WebClient(name="web", callback_urls=CALLBACK),
            ServerClient(name="my-backend", callback_urls=CALLBACK),
        ],
        domain=PREFIX,
    )
    config = auth.consumer_config()
    assert stack.resolve(config["UserPoolArn"]) == {"Fn::GetAtt": ["AuthUserPool8115E87F", "Arn"]}
    assert {"ClientIdWeb", "ScopesWeb", "ClientIdMyBackend", "ClientSecretArnMyBackend"} <= set(
        config
    )
    assert not [key for key in config if key.startswith(("ClientIdw", "Scopesw", "ClientIdm"))]


def test_fails_when_client_names_differ_only_in_case(stack: Stack) -> None:
    with pytest.raises(ConfigurationError, match="clients: name 'Web' and 'web' are alike"):
        CognitoAuth(
            stack,
            "Auth",
            clients=[WebClient(name="web", o_auth=False), WebClient(name="Web", o_auth=False)],
        )


def test_consumer_parameters_grant_read_to_a_backend(stack: Stack) -> None:
    auth = CognitoAuth(stack, "Auth")
    parameters = auth.add_consumer_parameters("/myapp/auth")
    role = iam.Role(stack, "Backend", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    grant = parameters.grant_read(role)
    assert grant.success
    statement = Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    (policy,) = statement.values()
    (only,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert sorted(only["Action"]) == [
        "ssm:GetParameter",
        "ssm:GetParameterHistory",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
    ]
    resources = [stack.resolve(r) for r in only["Resource"]]
    assert len(resources) == len(parameters.parameters) + 1
    path = resources[-1]
    assert path["Fn::Join"][1][-1] == ":ssm:eu-west-1:123456789012:parameter/myapp/auth"
    assert resources[:-1] == [
        stack.resolve(p.parameter_arn) for p in parameters.parameters.values()
    ]


def test_pre_token_generation_takes_a_resource_server_scope(stack: Stack) -> None:
    from constructs_lib.triggers import PreTokenGeneration, Triggers

    CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(
            pre_token_generation=PreTokenGeneration(
                scopes_to_add=[ORDERS.scope("read")], scopes_to_suppress=[ORDERS.scope("write")]
            )
        ),
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like(
                    {"SCOPES_TO_ADD": "orders/read", "SCOPES_TO_SUPPRESS": "orders/write"}
                )
            }
        },
    )


def test_consumer_parameters_grant_read_with_a_token_prefix(stack: Stack) -> None:
    from aws_cdk import CfnParameter

    prefix = CfnParameter(stack, "Prefix").value_as_string
    parameters = CognitoAuth(stack, "Auth").add_consumer_parameters(prefix)
    role = iam.Role(stack, "Backend", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    parameters.grant_read(role)
    (policy,) = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    (only,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert only["Resource"][-1] == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":ssm:eu-west-1:123456789012:parameter",
                {"Ref": "Prefix"},
            ],
        ]
    }


def test_a_route_requiring_a_scope_no_client_may_ask_for_warns(stack: Stack) -> None:
    auth = CognitoAuth(
        stack,
        "Auth",
        resource_servers=[ORDERS],
        clients=[MachineClient(name="reports", scopes=[ORDERS.scope("read")])],
        domain=PREFIX,
    )
    authorization = http_api_jwt_authorizer(
        user_pool=auth.user_pool,
        user_pool_clients=[auth.clients["reports"]],
        authorization_scopes=[ORDERS.scope("read")],
    )
    assert authorization.client_scopes == frozenset({"orders/read"})
    route(stack, dict(authorization.route_options(authorization_scopes=[ORDERS.scope("write")])))
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Auth/UserPool",
        "route_options requires one of ['orders/write'], which none of user_pool_clients may ask "
        "for (they may ask for ['orders/read']): every route with these scopes refuses every "
        f"token; add the scopes to a client or require another scope. "
        f"[ack: {UNREACHABLE_SCOPES_WARNING}]",
    )
