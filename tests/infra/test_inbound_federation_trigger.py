"""The inbound federation trigger wired to a pool: bundled and own functions, one L1 override.

aws-cdk-lib 2.275 has no ``UserPoolOperation`` for it; CloudFormation takes
``LambdaConfig.InboundFederation`` ``{LambdaArn, LambdaVersion: V1_0}``.
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InboundFederationLambdaType.html
"""

from __future__ import annotations

import pytest
from aws_cdk import Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Capture, Match, Template

from constructs_lib import CognitoAuth, ConfigurationError
from constructs_lib.triggers import (
    INBOUND_FEDERATION,
    InboundFederation,
    PreSignUp,
    Triggers,
    UserPoolTriggers,
)

POOL = "AWS::Cognito::UserPool"


def test_the_bundled_trigger_is_wired_with_v1_and_may_be_invoked_by_this_pool_only(
    stack: Stack,
) -> None:
    auth = CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(
            inbound_federation=InboundFederation(
                groups_attribute="groups",
                groups_output_attribute="idp_groups",
                groups_allowed=["admins", "staff"],
                drop_attributes=["employee_number"],
            )
        ),
    )
    template = Template.from_stack(stack)
    arn = Capture()
    template.has_resource_properties(
        POOL,
        {"LambdaConfig": {"InboundFederation": {"LambdaArn": arn, "LambdaVersion": "V1_0"}}},
    )
    function_id = arn.as_object()["Fn::GetAtt"][0]
    function = template.to_json()["Resources"][function_id]["Properties"]
    assert function["Handler"] == "inbound_federation.handler"
    assert function["Environment"]["Variables"] == {
        "LOWERCASE_EMAIL": "true",
        "GROUPS_MAX_LENGTH": "2048",
        "GROUPS_ATTRIBUTE": "groups",
        "GROUPS_OUTPUT_ATTRIBUTE": "idp_groups",
        "GROUPS_ALLOWED": "admins,staff",
        "DROP_ATTRIBUTES": "employee_number",
    }
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": [function_id, "Arn"]},
            "Principal": "cognito-idp.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": ["AuthUserPool8115E87F", "Arn"]},
        },
    )
    assert auth.triggers is not None
    assert list(auth.triggers.functions) == ["inboundFederation"]


def test_an_own_function_is_wired_through_the_same_override_next_to_other_triggers(
    stack: Stack,
) -> None:
    pool = cognito.UserPool(stack, "Pool")
    own = lambda_.Function(
        stack,
        "Own",
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
    )
    UserPoolTriggers(
        stack,
        "Triggers",
        user_pool=pool,
        triggers=Triggers(pre_sign_up=PreSignUp(), own={INBOUND_FEDERATION: own}),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        POOL,
        {
            "LambdaConfig": {
                "PreSignUp": Match.any_value(),
                "InboundFederation": {
                    "LambdaArn": {
                        "Fn::GetAtt": [stack.get_logical_id(own.node.default_child), "Arn"]
                    },
                    "LambdaVersion": "V1_0",
                },
            }
        },
    )


def test_without_the_trigger_the_pool_has_no_inbound_federation(stack: Stack) -> None:
    CognitoAuth(stack, "Auth", triggers=Triggers(pre_sign_up=PreSignUp()))
    config = Template.from_stack(stack).find_resources(POOL)
    (pool,) = config.values()
    assert "InboundFederation" not in pool["Properties"]["LambdaConfig"]


def test_fails_when_an_own_function_and_the_bundled_trigger_both_take_inbound_federation(
    stack: Stack,
) -> None:
    own = lambda_.Function.from_function_arn(
        stack, "Own", "arn:aws:lambda:eu-west-1:123456789012:function:own"
    )
    with pytest.raises(
        ConfigurationError,
        match=r"triggers\.own\['inboundFederation'\] and the bundled trigger for the same "
        r"operation cannot both be set",
    ):
        CognitoAuth(
            stack,
            "Auth",
            triggers=Triggers(
                inbound_federation=InboundFederation(), own={INBOUND_FEDERATION: own}
            ),
        )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            InboundFederation(groups_allowed=["admins"]),
            "triggers.inbound_federation: groups_output_attribute and groups_allowed need "
            "groups_attribute",
        ),
        (
            InboundFederation(groups_attribute="groups", drop_attributes=["groups"]),
            "triggers.inbound_federation: drop_attributes names the group claim 'groups'",
        ),
        (
            InboundFederation(groups_max_length=0),
            "triggers.inbound_federation: groups_max_length must be at least 1, got '0'",
        ),
        (
            # A string user attribute holds at most 2048 characters.
            InboundFederation(groups_max_length=5000),
            "triggers.inbound_federation: groups_max_length must be at most 2048, got '5000'",
        ),
    ],
)
def test_fails_when_the_handler_would_refuse_its_settings(
    stack: Stack, settings: InboundFederation, message: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        CognitoAuth(stack, "Auth", triggers=Triggers(inbound_federation=settings))
    assert message in str(raised.value)
    assert stack.node.try_find_child("Auth") is None


def test_groups_that_no_provider_maps_leave_a_warning(stack: Stack) -> None:
    from aws_cdk.assertions import Annotations

    from constructs_lib import SamlLogin, UserPoolSettings
    from constructs_lib.clients import WebClient
    from constructs_lib.domain import HostedUiDomain

    metadata = "tests/fixtures/saml-metadata.xml"
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            custom_attributes={"groups": cognito.StringAttribute(max_len=2048, mutable=True)}
        ),
        triggers=Triggers(inbound_federation=InboundFederation(groups_attribute="memberOf")),
        identity_providers=[
            SamlLogin(
                provider_name="Mapped",
                metadata_file=metadata,
                attribute_mapping={"custom:groups": "memberOf"},
            ),
            SamlLogin(provider_name="Unmapped", metadata_file=metadata),
        ],
        clients=[
            WebClient(
                name="web",
                callback_urls=["https://app.example.com/callback"],
                supported_identity_providers=[
                    cognito.UserPoolClientIdentityProvider.custom("Mapped"),
                    cognito.UserPoolClientIdentityProvider.custom("Unmapped"),
                ],
            )
        ],
        domain=HostedUiDomain.cognito_prefix("example-app"),
    )
    warnings = Annotations.from_stack(stack).find_warning(
        "/TestStack/Auth/Triggers", Match.string_like_regexp("inbound-federation-groups-unmapped")
    )
    (warning,) = warnings
    text = warning.entry.data
    assert "passes the groups on as 'memberOf', which 'Unmapped' maps to no pool attribute" in text
    assert "'Mapped'" not in text
