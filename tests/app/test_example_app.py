"""The example app as shipped in ``cdk.json``: the secure pool, and the outputs consumers need."""

from __future__ import annotations

import re

import pytest
from aws_cdk.assertions import Match, Template

from tests.conftest import new_app
from tests.scenarios.builders import example_stack


def test_shipped_example_defines_a_retained_protected_pool() -> None:
    template = Template.from_stack(example_stack(new_app()))
    template.has_resource(
        "AWS::Cognito::UserPool",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "DeletionProtection": "ACTIVE",
                    "UsernameConfiguration": {"CaseSensitive": False},
                    "MfaConfiguration": "OPTIONAL",
                    "EnabledMfas": Match.array_with(["SOFTWARE_TOKEN_MFA"]),
                    "Policies": {
                        "PasswordPolicy": Match.object_like({"MinimumLength": 12}),
                    },
                }
            ),
        },
    )


def test_shipped_example_emits_the_consumer_outputs() -> None:
    stack = example_stack(new_app())
    outputs = Template.from_stack(stack).to_json()["Outputs"]
    assert set(outputs) == {
        "Region",
        "UserPoolId",
        "UserPoolArn",
        "IssuerUrl",
        "JwksUrl",
        "ClientIdWeb",
        "ScopesWeb",
        "HostedUiBaseUrl",
        "AuthorizeUrl",
        "TokenUrl",
        "LogoutUrl",
        "UserInfoUrl",
        "IdentityPoolId",
        "UserFilesBucket",
    }
    # No output carries a secret: the web client is public and has none.
    assert not any("Secret" in key for key in outputs)
    pool_ref = {"Ref": "AuthUserPool8115E87F"}
    assert outputs["UserPoolId"]["Value"] == pool_ref
    assert outputs["UserPoolArn"]["Value"] == {"Fn::GetAtt": ["AuthUserPool8115E87F", "Arn"]}
    # The pool's provider name is cognito-idp.<region>.<suffix>/<pool id>: the token issuer.
    provider_name = {"Fn::GetAtt": ["AuthUserPool8115E87F", "ProviderName"]}
    assert outputs["IssuerUrl"]["Value"] == {"Fn::Join": ["", ["https://", provider_name]]}
    assert outputs["JwksUrl"]["Value"]["Fn::Join"][1][-1] == "/.well-known/jwks.json"


def test_shipped_example_wires_the_bundled_triggers() -> None:
    template = Template.from_stack(example_stack(new_app()))
    (pool,) = template.find_resources("AWS::Cognito::UserPool").values()
    config = pool["Properties"]["LambdaConfig"]
    assert set(config) == {
        "PreTokenGenerationConfig",
        "PreSignUp",
        "PostConfirmation",
        "CustomMessage",
    }
    assert config["PreTokenGenerationConfig"]["LambdaVersion"] == "V2_0"
    handlers = {
        f["Properties"]["Handler"]
        for f in template.find_resources("AWS::Lambda::Function").values()
    }
    assert handlers == {
        "pre_token_generation.handler",
        "pre_sign_up.handler",
        "post_confirmation.handler",
        "custom_message.handler",
    }
    # The two tables hold user data: retained.
    tables = template.find_resources("AWS::DynamoDB::GlobalTable")
    assert sorted(k[: -len("918B5626")] for k in tables) == ["UserClaims", "UserProfiles"]
    assert all(t["DeletionPolicy"] == "Retain" for t in tables.values())


def test_default_domain_prefix_is_unique_per_account_and_stack() -> None:
    from app import default_domain_prefix

    stack = example_stack(new_app())
    first = stack.resolve(default_domain_prefix("CognitoAuthExample"))
    other = stack.resolve(default_domain_prefix("CognitoAuthStaging"))
    assert first["Fn::Join"][1][0] == "auth-"
    assert first["Fn::Join"][1][1] == {"Ref": "AWS::AccountId"}
    suffix = first["Fn::Join"][1][2]
    assert re.fullmatch(r"-[0-9a-f]{6}", suffix)
    assert suffix != other["Fn::Join"][1][2]


def _example_with(**overrides: object) -> Template:
    """The shipped example with ``-c key=value`` overrides, as the CDK CLI passes them."""
    app = new_app()
    for key, value in overrides.items():
        app.node.set_context(key, value)
    return Template.from_stack(example_stack(app))


def _clients(template: Template) -> dict[str, dict[str, object]]:
    found = template.find_resources("AWS::Cognito::UserPoolClient")
    return {r["Properties"]["ClientName"]: r["Properties"] for r in found.values()}


@pytest.mark.parametrize("provider", ["google", "facebook", "apple", "amazon", "saml", "oidc"])
def test_enabling_a_shipped_provider_splits_native_and_federated_clients(provider: str) -> None:
    template = _example_with(**{f"cognito_auth.identity_providers.{provider}.enabled": "true"})
    clients = _clients(template)
    assert set(clients) == {"web", "web-federated"}
    web, federated = clients["web"], clients["web-federated"]
    assert web["SupportedIdentityProviders"] == ["COGNITO"]
    assert "COGNITO" not in federated["SupportedIdentityProviders"]  # type: ignore[operator]
    # The native client rotates as cdk.json asks; the federated-only one keeps its one flow,
    # ALLOW_REFRESH_TOKEN_AUTH, which Cognito refuses with rotation.
    assert web["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    assert "RefreshTokenRotation" not in federated
    assert federated["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]


def test_rotation_is_switched_off_with_its_enabled_flag_alone() -> None:
    template = _example_with(**{"cognito_auth.web_client.refresh_token_rotation.enabled": "false"})
    web = _clients(template)["web"]
    assert "RefreshTokenRotation" not in web
    assert web["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def test_terms_reach_every_client_users_sign_up_through() -> None:
    template = _example_with(
        **{
            "cognito_auth.terms.enabled": "true",
            "cognito_auth.identity_providers.google.enabled": "true",
        }
    )
    terms = template.find_resources("AWS::Cognito::Terms")
    names = sorted(
        (r["Properties"]["TermsName"], r["Properties"]["ClientId"]["Ref"]) for r in terms.values()
    )
    clients = template.find_resources("AWS::Cognito::UserPoolClient")
    ids = {r["Properties"]["ClientName"]: logical for logical, r in clients.items()}
    assert names == sorted(
        (kind, ids[client])
        for kind in ("privacy-policy", "terms-of-use")
        for client in ("web", "web-federated")
    )
