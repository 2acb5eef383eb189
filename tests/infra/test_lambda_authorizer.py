"""CognitoLambdaAuthorizer: the bundled authorizer wired to REST and HTTP APIs with the pool's
ids in its environment; its asset holds cognito_tokens and a cryptography wheel for Lambda."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigatewayv2
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Capture, Match, Template

from constructs_lib import ConfigurationError
from constructs_lib.lambda_authorizer import (
    AuthorizerBundling,
    CognitoLambdaAuthorizer,
    authorizer_code,
)
from tests.conftest import TEST_ENV, new_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pool_stack() -> tuple[Stack, cognito.UserPool, cognito.UserPoolClient]:
    stack = Stack(new_app(), "Api", env=TEST_ENV)
    pool = cognito.UserPool(stack, "Pool")
    return stack, pool, pool.add_client("Web")


def _mock_integration() -> apigateway.MockIntegration:
    return apigateway.MockIntegration(
        integration_responses=[apigateway.IntegrationResponse(status_code="200")],
        request_templates={"application/json": '{"statusCode": 200}'},
    )


def test_the_function_gets_the_pools_ids_and_rules(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
) -> None:
    stack, pool, web = pool_stack
    mobile = pool.add_client("Mobile")
    CognitoLambdaAuthorizer(
        stack,
        "Authorizer",
        user_pool=pool,
        user_pool_clients=[web, mobile],
        issuer_type="updated",
        jwks_region="us-east-1",
        required_scopes=["orders/read", "orders/write"],
        required_groups=["staff"],
        required_claims={"custom:tenant": ["acme"]},
    )
    template = Template.from_stack(stack)
    pool_ref, client_ref, mobile_ref = Capture(), Capture(), Capture()
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "api_authorizer.handler",
            "Runtime": "python3.14",
            "Architectures": ["arm64"],
            "Environment": {
                "Variables": {
                    "USER_POOL_ID": {"Ref": pool_ref},
                    "CLIENT_IDS": {"Fn::Join": [",", [{"Ref": client_ref}, {"Ref": mobile_ref}]]},
                    "TOKEN_USE": "access",
                    "ISSUER_TYPE": "updated",
                    "JWKS_REGION": "us-east-1",
                    "HTTP_RESPONSE_TYPE": "simple",
                    "REQUIRED_SCOPES": "orders/read orders/write",
                    "REQUIRED_GROUPS": "staff",
                    "REQUIRED_CLAIMS": '{"custom:tenant":["acme"]}',
                }
            },
        },
    )
    assert stack.resolve(pool.user_pool_id) == {"Ref": pool_ref.as_string()}
    assert stack.resolve(web.user_pool_client_id) == {"Ref": client_ref.as_string()}
    assert stack.resolve(mobile.user_pool_client_id) == {"Ref": mobile_ref.as_string()}
    # No AWS call at all: the role may write its logs, nothing else.
    template.resource_count_is("AWS::IAM::Policy", 1)
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    Match.object_like({"Action": ["logs:CreateLogStream", "logs:PutLogEvents"]})
                ]
            }
        },
    )


def test_a_rest_api_token_authorizer_keys_its_cache_on_the_authorization_header(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
) -> None:
    stack, pool, web = pool_stack
    auth = CognitoLambdaAuthorizer(stack, "Authorizer", user_pool=pool, user_pool_clients=[web])
    api = apigateway.RestApi(stack, "Rest", deploy=False)
    api.root.add_method("GET", _mock_integration(), authorizer=auth.rest_token_authorizer())
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        {
            "Type": "TOKEN",
            "IdentitySource": "method.request.header.Authorization",
            "AuthorizerResultTtlInSeconds": 300,
        },
    )
    template.has_resource_properties(
        "AWS::ApiGateway::Method", {"HttpMethod": "GET", "AuthorizationType": "CUSTOM"}
    )
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {"Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com"},
    )


def test_a_rest_api_request_authorizer_has_the_header_as_its_only_identity_source(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
) -> None:
    stack, pool, web = pool_stack
    auth = CognitoLambdaAuthorizer(
        stack,
        "Authorizer",
        user_pool=pool,
        user_pool_clients=[web],
        results_cache_ttl=Duration.seconds(0),
    )
    api = apigateway.RestApi(stack, "Rest", deploy=False)
    api.root.add_method("GET", _mock_integration(), authorizer=auth.rest_request_authorizer())
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        {
            "Type": "REQUEST",
            "IdentitySource": "method.request.header.Authorization",
            "AuthorizerResultTtlInSeconds": 0,
        },
    )


@pytest.mark.parametrize(("response", "simple"), [("simple", True), ("iam", False)])
def test_an_http_api_authorizer_matches_the_functions_response_type(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
    response: str,
    simple: bool,
) -> None:
    stack, pool, web = pool_stack
    auth = CognitoLambdaAuthorizer(
        stack,
        "Authorizer",
        user_pool=pool,
        user_pool_clients=[web],
        http_response_type=response,  # type: ignore[arg-type]
    )
    api = apigatewayv2.HttpApi(stack, "Http")
    api.add_routes(
        path="/orders",
        integration=_http_integration(stack),
        authorizer=auth.http_authorizer(),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Authorizer",
        {
            "AuthorizerType": "REQUEST",
            "IdentitySource": ["$request.header.Authorization"],
            # CDK picks payload 2.0 for simple responses, 1.0 for IAM policies: the handler
            # reads the format from the event.
            "AuthorizerPayloadFormatVersion": "2.0" if simple else "1.0",
            "AuthorizerResultTtlInSeconds": 300,
            "EnableSimpleResponses": True if simple else Match.absent(),
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Environment": {"Variables": Match.object_like({"HTTP_RESPONSE_TYPE": response})}},
    )


def _http_integration(stack: Stack) -> apigatewayv2.HttpRouteIntegration:
    from aws_cdk import aws_apigatewayv2_integrations as integrations

    backend = lambda_.Function(
        stack,
        "Backend",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(e, c): return {}"),
    )
    return integrations.HttpLambdaIntegration("Orders", backend)


def test_any_client_is_explicit(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
) -> None:
    stack, pool, _ = pool_stack
    CognitoLambdaAuthorizer(stack, "Authorizer", user_pool=pool, any_client=True, token_use="id")
    Template.from_stack(stack).has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like({"CLIENT_IDS": "ANY_CLIENT", "TOKEN_USE": "id"})
            }
        },
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "user_pool_clients must name at least one app client, or pass any_client=True"),
        ({"any_client": True, "clients": True}, "user_pool_clients must name at least one"),
        ({"token_use": "refresh"}, "token_use must be 'access' or 'id', got 'refresh'"),
        ({"issuer_type": "new"}, "issuer_type must be 'original' or 'updated', got 'new'"),
        ({"http_response_type": "v1"}, "http_response_type must be 'simple' or 'iam'"),
        ({"required_scopes": ["orders read"]}, "required_scopes must hold names without spaces"),
        ({"required_groups": "staff"}, "required_groups must be a list of names, got the string"),
        (
            {"token_use": "id", "required_scopes": ["a"]},
            r"required_scopes=\['a'\] needs token_use='access'",
        ),
        ({"required_claims": {"custom:tenant": []}}, r"required_claims\['custom:tenant'\] must"),
        ({"results_cache_ttl": Duration.hours(2)}, "results_cache_ttl must be 0 to 3600 seconds"),
    ],
    ids=[
        "no clients",
        "clients and any_client",
        "token use",
        "issuer type",
        "response type",
        "scope with space",
        "groups as a string",
        "scopes on ID tokens",
        "claim without values",
        "ttl",
    ],
)
def test_fails_when_an_argument_is_invalid(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
    kwargs: dict[str, object],
    message: str,
) -> None:
    stack, pool, web = pool_stack
    options = dict(kwargs)
    options.pop("clients", None)
    clients = [web] if kwargs else []  # every case but the first names a client
    with pytest.raises(ConfigurationError, match=message):
        CognitoLambdaAuthorizer(
            stack,
            "Authorizer",
            user_pool=pool,
            user_pool_clients=clients,
            **options,  # type: ignore[arg-type]
        )
    assert stack.node.try_find_child("Authorizer") is None  # refused before any child


def test_does_not_fail_when_a_scope_is_a_token(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
) -> None:
    from aws_cdk import Fn

    stack, pool, web = pool_stack
    scope = Fn.import_value("OrdersScope")
    CognitoLambdaAuthorizer(
        stack, "Authorizer", user_pool=pool, user_pool_clients=[web], required_scopes=[scope]
    )
    Template.from_stack(stack).resource_count_is("AWS::Lambda::Function", 1)


def test_the_bundle_holds_the_handler_cognito_tokens_and_a_lambda_cryptography_wheel(
    tmp_path: Path,
) -> None:
    commands: list[Sequence[str]] = []
    bundler = AuthorizerBundling(
        ROOT / "lambda_authorizer",
        tokens_folder=ROOT / "cognito_tokens",
        platform="manylinux2014_aarch64",
        python="3.14",
        run=commands.append,
    )
    assert bundler.try_bundle(str(tmp_path)) is True
    (command,) = commands
    assert list(command[:4]) == [sys.executable, "-m", "pip", "install"]
    requirements = Path(command[command.index("--requirement") + 1])
    assert requirements.read_text().split() == ["cryptography>=42"]
    assert command[command.index("--platform") + 1] == "manylinux2014_aarch64"
    assert "--only-binary=:all:" in command
    assert (tmp_path / "api_authorizer.py").is_file()
    bundled = sorted(p.name for p in (tmp_path / "cognito_tokens").iterdir())
    assert "verifier.py" in bundled and "jwks.py" in bundled and "py.typed" in bundled
    assert "fastapi.py" not in bundled and "flask.py" not in bundled
    assert not list(tmp_path.rglob("__pycache__"))


def test_the_asset_changes_with_cognito_tokens_and_the_platform() -> None:
    app = new_app()
    arm = authorizer_code(architecture=lambda_.Architecture.ARM_64).bind(Stack(app, "Arm"))
    x86 = authorizer_code(architecture=lambda_.Architecture.X86_64).bind(Stack(app, "X86"))
    assert arm.s3_location is not None and x86.s3_location is not None
    assert arm.s3_location.object_key != x86.s3_location.object_key


def test_scopes_may_be_a_resource_servers_custom_scopes_or_oauth_scopes(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
) -> None:
    from constructs_lib.resource_servers import CustomScope

    stack, pool, web = pool_stack
    CognitoLambdaAuthorizer(
        stack,
        "Authorizer",
        user_pool=pool,
        user_pool_clients=[web],
        required_scopes=[
            CustomScope(resource_server="orders", name="read"),
            cognito.OAuthScope.PROFILE,
        ],
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like({"REQUIRED_SCOPES": "orders/read profile"})
            }
        },
    )


def test_a_cache_ttl_from_a_parameter_is_left_to_api_gateway(
    pool_stack: tuple[Stack, cognito.UserPool, cognito.UserPoolClient],
) -> None:
    from aws_cdk import CfnParameter

    stack, pool, web = pool_stack
    seconds = CfnParameter(stack, "CacheSeconds", type="Number", default=60)
    authorizer = CognitoLambdaAuthorizer(
        stack,
        "Authorizer",
        user_pool=pool,
        user_pool_clients=[web],
        results_cache_ttl=Duration.seconds(seconds.value_as_number),
    )
    api = apigateway.RestApi(stack, "Api")
    api.root.add_method("GET", _mock_integration(), authorizer=authorizer.rest_token_authorizer())
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        {"AuthorizerResultTtlInSeconds": {"Ref": "CacheSeconds"}},
    )
