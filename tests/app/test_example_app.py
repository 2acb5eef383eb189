"""The example app as shipped in ``cdk.json``: the secure pool, and the outputs consumers need."""

from __future__ import annotations

import re

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
