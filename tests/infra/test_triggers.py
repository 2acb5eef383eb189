"""The bundled triggers as deployed: functions, wiring, permissions, and the rules they enforce."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from aws_cdk import CfnParameter, Duration, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Match, Template

from constructs_lib import CognitoAuth, ConfigurationError, Group, UserPoolSettings
from constructs_lib.triggers import (
    NEVER_LINKABLE_PROVIDERS,
    ClaimsTable,
    CustomMessages,
    MessageTemplate,
    PostConfirmation,
    PreSignUp,
    PreTokenGeneration,
    Triggers,
    UserPoolTriggers,
    handler_folder,
)

POOL_REF = {"Ref": "AuthUserPool8115E87F"}


def auth_with(stack: Stack, triggers: Triggers, **settings: object) -> Template:
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(**settings),  # type: ignore[arg-type]
        triggers=triggers,
    )
    return Template.from_stack(stack)


def functions(template: Template) -> Iterator[dict[str, object]]:
    yield from (f["Properties"] for f in template.find_resources("AWS::Lambda::Function").values())


def statements_of_policies(template: Template, name_part: str) -> list[object]:
    found = template.find_resources("AWS::IAM::Policy")
    return [
        statement
        for logical_id, policy in found.items()
        if name_part in logical_id
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_pre_token_generation_reads_its_table_and_answers_v2(stack: Stack) -> None:
    table = ClaimsTable(stack, "Claims")
    template = auth_with(
        stack,
        Triggers(
            pre_token_generation=PreTokenGeneration(
                claims_table=table, groups_claim="roles", suppress_claims=["phone_number"]
            )
        ),
    )
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "LambdaConfig": {
                "PreTokenGenerationConfig": {
                    "LambdaArn": {
                        "Fn::GetAtt": [Match.string_like_regexp("PreTokenGeneration"), "Arn"]
                    },
                    "LambdaVersion": "V2_0",
                }
            }
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "pre_token_generation.handler",
            "Runtime": "python3.14",
            "Architectures": ["arm64"],
            "MemorySize": 256,
            "Timeout": 4,
            "Environment": {
                "Variables": {
                    "CLAIMS_TABLE_NAME": {"Ref": Match.string_like_regexp("Claims")},
                    "CLAIMS_PARTITION_KEY": "sub",
                    "CLAIMS_IN_ACCESS_TOKEN": "true",
                    "CLAIMS_CACHE_TTL_SECONDS": "60",
                    "CLAIMS_FAIL_MODE": "issue_without_claims",
                    "GROUPS_CLAIM": "roles",
                    "SUPPRESS_CLAIMS": "phone_number",
                }
            },
        },
    )
    (get_item,) = statements_of_policies(template, "ClaimsTablePolicy")
    table_id = get_item["Resource"]["Fn::GetAtt"][0]  # type: ignore[index]
    assert table_id.startswith("Claims")
    assert get_item == {
        "Action": "dynamodb:GetItem",
        "Effect": "Allow",
        "Resource": {"Fn::GetAtt": [table_id, "Arn"]},
    }


def test_trigger_permissions_are_exactly_what_each_handler_calls(stack: Stack) -> None:
    profiles = ClaimsTable(stack, "Profiles")
    template = auth_with(
        stack,
        Triggers(
            pre_sign_up=PreSignUp(
                link_federated_to_existing_user=True, link_trusted_providers=["Google"]
            ),
            post_confirmation=PostConfirmation(default_group="users", profile_table=profiles),
        ),
        groups=[Group(name="users")],
    )
    pool_arn = {"Fn::GetAtt": ["AuthUserPool8115E87F", "Arn"]}
    assert statements_of_policies(template, "PreSignUpLinkingPolicy") == [
        {
            "Action": ["cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"],
            "Effect": "Allow",
            "Resource": pool_arn,
        }
    ]
    assert statements_of_policies(template, "PostConfirmationGroupPolicy") == [
        {"Action": "cognito-idp:AdminAddUserToGroup", "Effect": "Allow", "Resource": pool_arn}
    ]
    (put_item,) = statements_of_policies(template, "PostConfirmationProfileTablePolicy")
    assert put_item["Action"] == "dynamodb:PutItem"  # type: ignore[index]
    assert put_item["Resource"]["Fn::GetAtt"][1] == "Arn"  # type: ignore[index]
    # No AWS managed policy anywhere; logs only into each function's own log group.
    for role in template.find_resources("AWS::IAM::Role").values():
        assert "ManagedPolicyArns" not in role["Properties"]
    for statement in statements_of_policies(template, "LogsPolicy"):
        assert statement["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]  # type: ignore[index]
        assert statement["Resource"]["Fn::GetAtt"][1] == "Arn"  # type: ignore[index]
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})


def test_no_pool_permission_without_the_feature_that_needs_it(stack: Stack) -> None:
    template = auth_with(
        stack,
        Triggers(pre_sign_up=PreSignUp(denied_email_domains=["example.net"])),
    )
    assert statements_of_policies(template, "LinkingPolicy") == []
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "pre_sign_up.handler",
            "Environment": {
                "Variables": {
                    "DENIED_EMAIL_DOMAINS": "example.net",
                    "LINK_FEDERATED_TO_EXISTING_USER": "false",
                }
            },
        },
    )


def test_custom_messages_become_environment_variables(stack: Stack) -> None:
    template = auth_with(
        stack,
        Triggers(
            custom_message=CustomMessages(
                app_name="Example",
                messages={
                    "CustomMessage_SignUp": MessageTemplate(
                        email_subject="Welcome to ${app_name}", email_message="Code: ${code}"
                    ),
                    "CustomMessage_AdminCreateUser": MessageTemplate(
                        sms_message="${username}: ${code}"
                    ),
                },
            )
        ),
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "custom_message.handler",
            "Environment": {
                "Variables": {
                    "MESSAGE_APP_NAME": "Example",
                    "MESSAGE_SIGN_UP_EMAIL_SUBJECT": "Welcome to ${app_name}",
                    "MESSAGE_SIGN_UP_EMAIL_MESSAGE": "Code: ${code}",
                    "MESSAGE_ADMIN_CREATE_USER_SMS_MESSAGE": "${username}: ${code}",
                }
            },
        },
    )
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"LambdaConfig": {"CustomMessage": {"Fn::GetAtt": [Match.any_value(), "Arn"]}}},
    )


def test_own_functions_are_wired_for_any_operation(stack: Stack) -> None:
    own = lambda_.Function.from_function_arn(
        stack, "Own", "arn:aws:lambda:eu-west-1:123456789012:function:pre-auth"
    )
    template = auth_with(stack, Triggers(own={cognito.UserPoolOperation.PRE_AUTHENTICATION: own}))
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "LambdaConfig": {
                "PreAuthentication": "arn:aws:lambda:eu-west-1:123456789012:function:pre-auth"
            }
        },
    )
    template.resource_count_is("AWS::Lambda::Function", 0)


def test_triggers_work_on_a_pool_defined_elsewhere_in_the_app(stack: Stack) -> None:
    pool = cognito.UserPool(stack, "Pool")
    UserPoolTriggers(
        stack,
        "Triggers",
        user_pool=pool,
        triggers=Triggers(pre_sign_up=PreSignUp(allowed_email_domains=["example.com"])),
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::Cognito::UserPool",
        {"LambdaConfig": {"PreSignUp": {"Fn::GetAtt": [Match.any_value(), "Arn"]}}},
    )


def test_the_asset_is_the_handler_folder() -> None:
    names = {entry.name for entry in handler_folder().iterdir()}
    assert {
        "pre_token_generation.py",
        "pre_sign_up.py",
        "post_confirmation.py",
        "custom_message.py",
    } <= names


@pytest.mark.parametrize(
    ("triggers", "settings", "message"),
    [
        (
            Triggers(pre_token_generation=PreTokenGeneration()),
            {"feature_plan": cognito.FeaturePlan.LITE},
            "triggers.pre_token_generation lambda_version=V2_0 needs feature_plan ESSENTIALS or "
            "PLUS, got LITE",
        ),
        (
            Triggers(
                pre_token_generation=PreTokenGeneration(lambda_version=cognito.LambdaVersion.V3_0)
            ),
            {"feature_plan": cognito.FeaturePlan.LITE},
            "lambda_version=V3_0 needs feature_plan ESSENTIALS or PLUS",
        ),
        (
            Triggers(pre_token_generation=PreTokenGeneration(suppress_claims=["sub"])),
            {},
            "triggers.pre_token_generation: suppress_claims may not name reserved claims",
        ),
        (
            Triggers(pre_token_generation=PreTokenGeneration(cache_ttl=Duration.hours(2))),
            {},
            "cache_ttl must be at most 1 hour",
        ),
        (
            Triggers(pre_sign_up=PreSignUp(link_federated_to_existing_user=True)),
            {},
            "link_federated_to_existing_user=True needs link_trusted_providers",
        ),
        (
            Triggers(
                pre_sign_up=PreSignUp(
                    link_federated_to_existing_user=True,
                    link_trusted_providers=["Google", "Facebook"],
                )
            ),
            {},
            "triggers.pre_sign_up link_trusted_providers may not name ['Facebook']: Facebook and "
            "Login with Amazon never say whether an email address is verified",
        ),
        (
            Triggers(
                pre_sign_up=PreSignUp(
                    link_federated_to_existing_user=True,
                    link_trusted_providers=["Google", "loginwithamazon"],
                    link_providers_trusted_without_email_verified=["loginwithamazon"],
                )
            ),
            {},
            "triggers.pre_sign_up link_providers_trusted_without_email_verified may not name "
            "['loginwithamazon']",
        ),
        (
            Triggers(
                pre_sign_up=PreSignUp(
                    link_federated_to_existing_user=True,
                    link_trusted_providers=["Google"],
                    link_providers_trusted_without_email_verified=["CorpSaml"],
                )
            ),
            {},
            "triggers.pre_sign_up link_providers_trusted_without_email_verified may only name "
            "providers of link_trusted_providers, got ['CorpSaml'] (trusted: ['Google'])",
        ),
        (
            Triggers(pre_sign_up=PreSignUp(allowed_email_domains=["user@example.com"])),
            {},
            "triggers.pre_sign_up: allowed_email_domains has invalid domains: ['user@example.com']",
        ),
        (
            Triggers(
                custom_message=CustomMessages(
                    messages={"CustomMessage_SignUp": MessageTemplate(email_message="Welcome!")}
                )
            ),
            {},
            "triggers.custom_message.messages: CustomMessage_SignUp email_message: must contain "
            "${code} (got 'Welcome!')",
        ),
        (
            Triggers(
                custom_message=CustomMessages(
                    messages={"CustomMessage_Welcome": MessageTemplate(email_message="${code}")}
                )
            ),
            {},
            "unknown trigger source 'CustomMessage_Welcome'; "
            "allowed: CustomMessage_AdminCreateUser",
        ),
    ],
)
def test_fails_when_a_trigger_setting_is_refused(
    stack: Stack, triggers: Triggers, settings: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        auth_with(stack, triggers, **settings)
    assert stack.node.try_find_child("Auth") is None


def test_each_refused_pre_sign_up_setting_is_reported_once(stack: Stack) -> None:
    settings = PreSignUp(
        link_federated_to_existing_user=True,
        link_trusted_providers=["Facebook"],
        link_providers_trusted_without_email_verified=["CorpSaml"],
    )
    with pytest.raises(ConfigurationError) as raised:
        auth_with(stack, Triggers(pre_sign_up=settings))
    message = str(raised.value)
    assert message.count("may not name ['Facebook']") == 1
    assert message.count("CorpSaml") == 1  # not repeated by the handler's own parser


def test_does_not_fail_when_a_trusted_provider_name_is_a_token(stack: Stack) -> None:
    name = CfnParameter(stack, "ProviderName").value_as_string
    template = auth_with(
        stack,
        Triggers(
            pre_sign_up=PreSignUp(
                link_federated_to_existing_user=True,
                link_trusted_providers=[name],
                link_providers_trusted_without_email_verified=["CorpSaml"],
            )
        ),
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": {"LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED": "CorpSaml"}
            }
        },
    )


def test_the_refused_provider_names_are_cognitos() -> None:
    assert (
        cognito.UserPoolClientIdentityProvider.FACEBOOK.name,
        cognito.UserPoolClientIdentityProvider.AMAZON.name,
    ) == NEVER_LINKABLE_PROVIDERS


def test_providers_trusted_without_email_verified_reach_the_handler(stack: Stack) -> None:
    template = auth_with(
        stack,
        Triggers(
            pre_sign_up=PreSignUp(
                link_federated_to_existing_user=True,
                link_trusted_providers=["Google", "CorpSaml"],
                link_providers_trusted_without_email_verified=["CorpSaml"],
            )
        ),
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "pre_sign_up.handler",
            "Environment": {
                "Variables": {
                    "LINK_FEDERATED_TO_EXISTING_USER": "true",
                    "LINK_TRUSTED_PROVIDERS": "Google,CorpSaml",
                    "LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED": "CorpSaml",
                }
            },
        },
    )


def test_no_opt_in_variable_by_default(stack: Stack) -> None:
    template = auth_with(
        stack,
        Triggers(
            pre_sign_up=PreSignUp(
                link_federated_to_existing_user=True, link_trusted_providers=["Google"]
            )
        ),
    )
    (variables,) = [
        f["Environment"]["Variables"]  # type: ignore[index]
        for f in functions(template)
        if f["Handler"] == "pre_sign_up.handler"
    ]
    assert "LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED" not in variables


def test_functions_are_keyed_by_cognito_operation_name(stack: Stack) -> None:
    own = lambda_.Function.from_function_arn(
        stack, "Own", "arn:aws:lambda:eu-west-1:123456789012:function:pre-auth"
    )
    triggers = UserPoolTriggers(
        stack,
        "Triggers",
        user_pool=cognito.UserPool(stack, "Pool"),
        triggers=Triggers(
            pre_token_generation=PreTokenGeneration(),
            pre_sign_up=PreSignUp(),
            post_confirmation=PostConfirmation(),
            custom_message=CustomMessages(messages={}),
            own={cognito.UserPoolOperation.PRE_AUTHENTICATION: own},
        ),
    )
    assert set(triggers.functions) == {
        "preTokenGenerationConfig",
        "preSignUp",
        "postConfirmation",
        "customMessage",
        "preAuthentication",
    }
    assert triggers.functions["preAuthentication"] is own
    template = Template.from_stack(stack)
    # Each key is the LambdaConfig entry its function is wired to.
    config = template.find_resources("AWS::Cognito::UserPool")
    (pool,) = config.values()
    lambda_config = pool["Properties"]["LambdaConfig"]
    assert {key[0].lower() + key[1:] for key in lambda_config} >= set(triggers.functions)
    token_fn = triggers.functions["preTokenGenerationConfig"]
    assert (
        stack.resolve(token_fn.function_arn)
        == lambda_config["PreTokenGenerationConfig"]["LambdaArn"]
    )


def test_fails_when_an_own_function_and_a_bundled_trigger_share_an_operation(stack: Stack) -> None:
    own = lambda_.Function.from_function_arn(
        stack, "Own", "arn:aws:lambda:eu-west-1:123456789012:function:tokens"
    )
    with pytest.raises(ConfigurationError, match="cannot both be set"):
        auth_with(
            stack,
            Triggers(
                pre_token_generation=PreTokenGeneration(),
                own={cognito.UserPoolOperation.PRE_TOKEN_GENERATION: own},
            ),
        )


def test_fails_when_triggers_are_given_for_an_imported_pool(stack: Stack) -> None:
    imported = cognito.UserPool.from_user_pool_id(stack, "Imported", "eu-west-1_EXAMPLE")
    with pytest.raises(ConfigurationError, match="triggers need a user pool defined in this app"):
        CognitoAuth(
            stack,
            "Auth",
            existing_user_pool=imported,
            triggers=Triggers(pre_sign_up=PreSignUp()),
        )


def test_v1_is_allowed_on_lite(stack: Stack) -> None:
    template = auth_with(
        stack,
        Triggers(
            pre_token_generation=PreTokenGeneration(lambda_version=cognito.LambdaVersion.V1_0)
        ),
        feature_plan=cognito.FeaturePlan.LITE,
    )
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "LambdaConfig": {
                "PreTokenGenerationConfig": Match.object_like({"LambdaVersion": "V1_0"})
            }
        },
    )


def test_function_timeout_sits_between_the_handlers_budget_and_cognitos_limit() -> None:
    from constructs_lib import defaults
    from lambda_triggers import _aws

    # Two sequential AWS calls is the most any bundled handler makes (pre sign-up linking,
    # post confirmation); the budget is computed from the real client configuration.
    budget = _aws.worst_case_seconds(2)
    assert budget < defaults.TRIGGER_TIMEOUT.to_seconds() < _aws.COGNITO_TRIGGER_LIMIT_SECONDS


def test_custom_senders_get_a_rotated_key_and_may_decrypt_with_it(stack: Stack) -> None:
    sender = lambda_.Function(
        stack,
        "Sender",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="sender.handler",
        code=lambda_.Code.from_inline("def handler(event, context): return event"),
    )
    template = auth_with(
        stack, Triggers(own={cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER: sender})
    )
    (key_id,) = template.find_resources(
        "AWS::KMS::Key", {"Properties": {"EnableKeyRotation": True}}
    )
    assert key_id.startswith("AuthCustomSenderKey")
    template.has_resource("AWS::KMS::Key", {"DeletionPolicy": "Retain"})
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "LambdaConfig": {
                "KMSKeyID": {"Fn::GetAtt": [key_id, "Arn"]},
                "CustomEmailSender": {
                    "LambdaArn": {"Fn::GetAtt": [Match.string_like_regexp("Sender"), "Arn"]},
                    "LambdaVersion": "V1_0",
                },
            }
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "kms:Decrypt",
                        "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": [key_id, "Arn"]},
                    }
                ]
            }
        },
    )


def test_fails_when_a_custom_sender_has_no_key_on_a_plain_pool(stack: Stack) -> None:
    pool = cognito.UserPool(stack, "Pool")
    sender = lambda_.Function.from_function_arn(
        stack, "Sender", "arn:aws:lambda:eu-west-1:123456789012:function:sms"
    )
    with pytest.raises(ConfigurationError, match="need the pool's custom_sender_kms_key"):
        UserPoolTriggers(
            stack,
            "Triggers",
            user_pool=pool,
            triggers=Triggers(own={cognito.UserPoolOperation.CUSTOM_SMS_SENDER: sender}),
        )
