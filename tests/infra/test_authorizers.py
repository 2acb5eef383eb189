"""API Gateway authorizers bound to a user pool: rendered issuer, audience, providers and scopes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from aws_cdk import Stack, Token
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigatewayv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Annotations, Capture, Match, Template

from constructs_lib.authorizers import (
    ID_TOKENS_WARNING,
    http_api_jwt_authorizer,
    rest_api_user_pool_authorizer,
)
from constructs_lib.errors import ConfigurationError

TemplateOf = Callable[[Stack], Template]
INTEGRATION_URL = "https://backend.example.com"


def pool_and_clients(
    stack: Stack,
) -> tuple[cognito.UserPool, cognito.UserPoolClient, cognito.UserPoolClient]:
    pool = cognito.UserPool(stack, "Pool")
    # Both may ask for the scope the tests require (else the unreachable-scopes warning).
    o_auth = cognito.OAuthSettings(
        scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.custom("orders/read")]
    )
    return pool, pool.add_client("Web", o_auth=o_auth), pool.add_client("Mobile", o_auth=o_auth)


def logical_id(stack: Stack, construct: object) -> str:
    return stack.get_logical_id(construct.node.default_child)  # type: ignore[attr-defined]


def warnings_of(stack: Stack) -> list[object]:
    return list(Annotations.from_stack(stack).find_warning("*", Match.any_value()))


HTTP_NO_SCOPES = (
    "http_api_jwt_authorizer: authorization_scopes is empty (got []), so every route would "
    "accept ID tokens as API credentials (API Gateway does not check token_use): pass at least "
    "one scope, e.g. authorization_scopes=['orders/read'], or allow_id_tokens=True to accept "
    "ID tokens on purpose"
)


# --- HTTP API -----------------------------------------------------------------------------------


def test_http_jwt_authorizer_has_the_pool_issuer_and_the_clients_as_audience(
    stack: Stack, template_of: TemplateOf
) -> None:
    pool, web, mobile = pool_and_clients(stack)
    auth = http_api_jwt_authorizer(
        user_pool=pool, user_pool_clients=[web, mobile], authorization_scopes=["orders/read"]
    )
    api = apigatewayv2.HttpApi(stack, "Api")
    api.add_routes(
        path="/me",
        integration=integrations.HttpUrlIntegration("Backend", INTEGRATION_URL),
        **auth.route_options(),
    )
    template = template_of(stack)
    pool_id = logical_id(stack, pool)
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Authorizer",
        {
            "AuthorizerType": "JWT",
            "Name": "CognitoJwtAuthorizer",
            "IdentitySource": ["$request.header.Authorization"],
            "JwtConfiguration": {
                "Issuer": {
                    "Fn::Join": ["", ["https://", {"Fn::GetAtt": [pool_id, "ProviderName"]}]]
                },
                "Audience": [
                    {"Ref": logical_id(stack, web)},
                    {"Ref": logical_id(stack, mobile)},
                ],
            },
        },
    )
    authorizer_id = Capture()
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Route",
        {
            "RouteKey": "ANY /me",
            "AuthorizationType": "JWT",
            "AuthorizerId": {"Ref": authorizer_id},
            "AuthorizationScopes": ["orders/read"],
        },
    )
    assert authorizer_id.as_string() in template.find_resources("AWS::ApiGatewayV2::Authorizer")
    assert auth.audience == (web.user_pool_client_id, mobile.user_pool_client_id)
    assert warnings_of(stack) == []


def test_fails_when_an_http_authorizer_has_no_scope_and_no_opt_in(stack: Stack) -> None:
    pool, web, _ = pool_and_clients(stack)
    with pytest.raises(ConfigurationError) as caught:
        http_api_jwt_authorizer(user_pool=pool, user_pool_clients=[web])
    assert caught.value.problems == (HTTP_NO_SCOPES,)


def test_http_allow_id_tokens_leaves_routes_without_scopes_and_a_warning(
    stack: Stack, template_of: TemplateOf
) -> None:
    pool, web, _ = pool_and_clients(stack)
    auth = http_api_jwt_authorizer(user_pool=pool, user_pool_clients=[web], allow_id_tokens=True)
    api = apigatewayv2.HttpApi(stack, "Api")
    api.add_routes(
        path="/me",
        integration=integrations.HttpUrlIntegration("Backend", INTEGRATION_URL),
        **auth.route_options(),
    )
    template_of(stack).has_resource_properties(
        "AWS::ApiGatewayV2::Route",
        {"RouteKey": "ANY /me", "AuthorizationType": "JWT", "AuthorizationScopes": Match.absent()},
    )
    assert auth.allow_id_tokens
    # The HTTP authorizer is no construct until a route binds it: the warning sits on the pool.
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Pool",
        "http_api_jwt_authorizer('CognitoJwtAuthorizer'): allow_id_tokens=True: routes without "
        "authorization_scopes accept ID tokens of the listed clients as API credentials (API "
        "Gateway does not check token_use); require a scope, or check token_use in the backend. "
        f"[ack: {ID_TOKENS_WARNING}]",
    )


def test_fails_when_a_route_drops_the_scopes_without_the_opt_in(stack: Stack) -> None:
    pool, web, _ = pool_and_clients(stack)
    auth = http_api_jwt_authorizer(
        user_pool=pool, user_pool_clients=[web], authorization_scopes=["orders/read"]
    )
    with pytest.raises(ConfigurationError) as caught:
        auth.route_options(authorization_scopes=[])
    assert caught.value.problems == (
        HTTP_NO_SCOPES.replace("http_api_jwt_authorizer:", "route_options:"),
    )
    opted_in = http_api_jwt_authorizer(
        user_pool=pool,
        user_pool_clients=[web],
        authorization_scopes=["orders/read"],
        allow_id_tokens=True,
        authorizer_id="OptedIn",
    )
    assert opted_in.route_options(authorization_scopes=[])["authorization_scopes"] is None
    assert opted_in.route_options()["authorization_scopes"] == ["orders/read"]


def test_http_route_requires_the_given_scopes(stack: Stack, template_of: TemplateOf) -> None:
    pool, web, _ = pool_and_clients(stack)
    read = cognito.OAuthScope.custom("orders/read")
    auth = http_api_jwt_authorizer(
        user_pool=pool, user_pool_clients=[web], authorization_scopes=[read, "orders/admin"]
    )
    api = apigatewayv2.HttpApi(stack, "Api")
    backend = integrations.HttpUrlIntegration("Backend", INTEGRATION_URL)
    api.add_routes(path="/orders", integration=backend, **auth.route_options())
    api.add_routes(
        path="/profile",
        integration=backend,
        **auth.route_options(authorization_scopes=[cognito.OAuthScope.OPENID]),
    )
    template = template_of(stack)
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Route",
        {"RouteKey": "ANY /orders", "AuthorizationScopes": ["orders/read", "orders/admin"]},
    )
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Route", {"RouteKey": "ANY /profile", "AuthorizationScopes": ["openid"]}
    )
    template.resource_count_is("AWS::ApiGatewayV2::Authorizer", 1)  # shared by both routes


def test_http_issuer_follows_the_region_of_an_imported_pool(
    stack: Stack, template_of: TemplateOf
) -> None:
    pool = cognito.UserPool.from_user_pool_arn(
        stack, "Imported", "arn:aws:cognito-idp:us-east-2:123456789012:userpool/us-east-2_AbC123"
    )
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "1example23456789")
    auth = http_api_jwt_authorizer(
        user_pool=pool,
        user_pool_clients=[client],
        authorization_scopes=["orders/read"],
        authorizer_name="orders",
    )
    apigatewayv2.HttpApi(stack, "Api").add_routes(
        path="/x",
        integration=integrations.HttpUrlIntegration("Backend", INTEGRATION_URL),
        **auth.route_options(),
    )
    template_of(stack).has_resource_properties(
        "AWS::ApiGatewayV2::Authorizer",
        {
            "Name": "orders",
            "JwtConfiguration": {
                "Issuer": {
                    "Fn::Join": [
                        "",
                        [
                            "https://cognito-idp.us-east-2.",
                            {"Ref": "AWS::URLSuffix"},
                            "/us-east-2_AbC123",
                        ],
                    ]
                },
                "Audience": ["1example23456789"],
            },
        },
    )


def test_fails_when_no_client_is_given(stack: Stack) -> None:
    pool, _, _ = pool_and_clients(stack)
    with pytest.raises(ConfigurationError) as caught:
        http_api_jwt_authorizer(user_pool=pool, user_pool_clients=[], authorization_scopes=["a/b"])
    assert caught.value.problems == (
        "http_api_jwt_authorizer: user_pool_clients must name at least one app client: "
        "API Gateway checks the token's aud / client_id against them (got [])",
    )


def test_fails_with_every_problem_of_one_call_together(stack: Stack) -> None:
    pool, _, _ = pool_and_clients(stack)
    with pytest.raises(ConfigurationError) as caught:
        http_api_jwt_authorizer(
            user_pool=pool,
            user_pool_clients=[],
            authorization_scopes=["orders/read orders/write", ""],
            authorizer_id="",
        )
    assert caught.value.problems == (
        "http_api_jwt_authorizer: user_pool_clients must name at least one app client: "
        "API Gateway checks the token's aud / client_id against them (got [])",
        "http_api_jwt_authorizer: authorization_scopes must be scope names without spaces, got "
        "'orders/read orders/write' (a token's scope claim is space-separated)",
        "http_api_jwt_authorizer: authorization_scopes must be scope names without spaces, got '' "
        "(a token's scope claim is space-separated)",
        "http_api_jwt_authorizer: authorizer_id must not be empty, got ''",
    )
    assert str(caught.value).startswith("4 configuration problems:\n")


def test_fails_when_scopes_are_one_string(stack: Stack) -> None:
    pool, web, _ = pool_and_clients(stack)
    with pytest.raises(ConfigurationError, match="must be a list of scopes, got the string 'a/b'"):
        http_api_jwt_authorizer(
            user_pool=pool,
            user_pool_clients=[web],
            authorization_scopes="a/b",  # type: ignore[arg-type]
        )


def test_does_not_fail_when_a_scope_is_a_token(stack: Stack) -> None:
    pool, web, _ = pool_and_clients(stack)
    scope = Token.as_string({"Ref": "ScopeParameter"})
    auth = http_api_jwt_authorizer(
        user_pool=pool, user_pool_clients=[web], authorization_scopes=[scope]
    )
    assert auth.authorization_scopes == (scope,)


# --- REST API -----------------------------------------------------------------------------------


def test_rest_authorizer_lists_the_pool_as_provider(stack: Stack, template_of: TemplateOf) -> None:
    pool, _, _ = pool_and_clients(stack)
    auth = rest_api_user_pool_authorizer(
        stack, "Authorizer", user_pool=pool, authorization_scopes=["orders/read"]
    )
    api = apigateway.RestApi(stack, "Api")
    api.root.add_method("GET", apigateway.MockIntegration(), **auth.method_options())
    template = template_of(stack)
    template.has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        {
            "Type": "COGNITO_USER_POOLS",
            "IdentitySource": "method.request.header.Authorization",
            "ProviderARNs": [{"Fn::GetAtt": [logical_id(stack, pool), "Arn"]}],
        },
    )
    template.has_resource_properties(
        "AWS::ApiGateway::Method",
        {
            "HttpMethod": "GET",
            "AuthorizationType": "COGNITO_USER_POOLS",
            "AuthorizerId": {"Ref": logical_id(stack, auth.authorizer)},
            "AuthorizationScopes": ["orders/read"],
        },
    )
    assert warnings_of(stack) == []


def test_fails_when_a_rest_authorizer_has_no_scope_and_no_opt_in(stack: Stack) -> None:
    pool, _, _ = pool_and_clients(stack)
    with pytest.raises(ConfigurationError) as caught:
        rest_api_user_pool_authorizer(stack, "Authorizer", user_pool=pool, authorization_scopes=())
    assert caught.value.problems == (
        "rest_api_user_pool_authorizer: authorization_scopes is empty (got []), so every method "
        "would accept ID tokens as API credentials (API Gateway does not check token_use): pass "
        "at least one scope, e.g. authorization_scopes=['orders/read'], or allow_id_tokens=True "
        "to accept ID tokens on purpose",
    )
    assert stack.node.try_find_child("Authorizer") is None  # raised before any child


def test_rest_allow_id_tokens_leaves_methods_without_scopes_and_a_warning(
    stack: Stack, template_of: TemplateOf
) -> None:
    pool, _, _ = pool_and_clients(stack)
    auth = rest_api_user_pool_authorizer(
        stack,
        "Authorizer",
        user_pool=pool,
        authorization_scopes=["orders/read"],
        allow_id_tokens=True,
    )
    api = apigateway.RestApi(stack, "Api")
    api.root.add_method("GET", apigateway.MockIntegration(), **auth.method_options())
    api.root.add_method(
        "HEAD", apigateway.MockIntegration(), **auth.method_options(authorization_scopes=[])
    )
    template = template_of(stack)
    for method, scopes in [("GET", ["orders/read"]), ("HEAD", Match.absent())]:
        template.has_resource_properties(
            "AWS::ApiGateway::Method", {"HttpMethod": method, "AuthorizationScopes": scopes}
        )
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Authorizer",
        "rest_api_user_pool_authorizer: allow_id_tokens=True: methods without "
        "authorization_scopes take ID tokens of every app client of the pool as API "
        "credentials; require a scope, or check token_use and the client in the backend. "
        f"[ack: {ID_TOKENS_WARNING}]",
    )


def test_a_rest_authorizer_without_scopes_needs_the_opt_in(
    stack: Stack, template_of: TemplateOf
) -> None:
    pool, _, _ = pool_and_clients(stack)
    auth = rest_api_user_pool_authorizer(stack, "Authorizer", user_pool=pool, allow_id_tokens=True)
    api = apigateway.RestApi(stack, "Api")
    api.root.add_method("GET", apigateway.MockIntegration(), **auth.method_options())
    template_of(stack).has_resource_properties(
        "AWS::ApiGateway::Method", {"HttpMethod": "GET", "AuthorizationScopes": Match.absent()}
    )
    assert auth.authorization_scopes == ()


def test_rest_method_requires_the_given_scopes(stack: Stack, template_of: TemplateOf) -> None:
    pool, _, _ = pool_and_clients(stack)
    auth = rest_api_user_pool_authorizer(
        stack, "Authorizer", user_pool=pool, authorization_scopes=["orders/read"]
    )
    api = apigateway.RestApi(stack, "Api")
    api.root.add_method("GET", apigateway.MockIntegration(), **auth.method_options())
    api.root.add_method(
        "DELETE",
        apigateway.MockIntegration(),
        **auth.method_options(authorization_scopes=["orders/read", "orders/admin"]),
    )
    with pytest.raises(ConfigurationError, match=r"^method_options: authorization_scopes is empty"):
        auth.method_options(authorization_scopes=[])  # would take ID tokens: needs the opt-in
    template = template_of(stack)
    for method, scopes in [
        ("GET", ["orders/read"]),
        ("DELETE", ["orders/read", "orders/admin"]),
    ]:
        template.has_resource_properties(
            "AWS::ApiGateway::Method", {"HttpMethod": method, "AuthorizationScopes": scopes}
        )


def test_rest_method_options_refuse_a_bad_scope(stack: Stack) -> None:
    pool, _, _ = pool_and_clients(stack)
    auth = rest_api_user_pool_authorizer(
        stack, "Authorizer", user_pool=pool, authorization_scopes=["orders/read"]
    )
    with pytest.raises(ConfigurationError) as caught:
        auth.method_options(authorization_scopes=["a b"])
    assert caught.value.problems == (
        "method_options: authorization_scopes must be scope names without spaces, got 'a b' "
        "(a token's scope claim is space-separated)",
    )
