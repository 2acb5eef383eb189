"""PoolMigration wired to a new pool: the trigger function, both operations, its environment and
exactly the permissions it needs, on the old pool only."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Annotations, Match, Template

from constructs_lib import CognitoAuth, ConfigurationError, PoolMigration, Triggers
from tests.conftest import TEST_ENV, new_app

OLD_POOL_ARN = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_OldPool1"
OLD_POOL_ID = "eu-west-1_OldPool1"
NEW_POOL_REF = {"Ref": "AuthUserPool8115E87F"}


def migration(stack: Stack, **kw: Any) -> PoolMigration:
    old = cognito.UserPool.from_user_pool_arn(stack, "OldPool", OLD_POOL_ARN)
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "OldClient", "oldclient123")
    return PoolMigration(from_user_pool=old, from_client=client, **kw)


def synth(stack: Stack, settings: PoolMigration) -> Template:
    CognitoAuth(stack, "Auth", triggers=Triggers(user_migration=settings))
    return Template.from_stack(stack)


def migration_policies(template: Template) -> dict[str, list[Any]]:
    return {
        logical_id: policy["Properties"]["PolicyDocument"]["Statement"]
        for logical_id, policy in template.find_resources("AWS::IAM::Policy").items()
        if "UserMigration" in logical_id and "LogsPolicy" not in logical_id
    }


def test_the_function_is_wired_for_migration_and_post_authentication(stack: Stack) -> None:
    template = synth(stack, migration(stack))
    function = {"Fn::GetAtt": [Match.string_like_regexp("UserMigrationFunction"), "Arn"]}
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"LambdaConfig": {"UserMigration": function, "PostAuthentication": function}},
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "user_migration.handler",
            "Timeout": 4,
            "Environment": {
                "Variables": {"OLD_USER_POOL_ID": OLD_POOL_ID, "OLD_CLIENT_ID": "oldclient123"}
            },
        },
    )


def test_a_synth_warning_says_apps_must_send_the_password(stack: Stack) -> None:
    synth(stack, migration(stack))
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Auth/Triggers/UserMigration",
        Match.string_like_regexp("must sign in with USER_PASSWORD_AUTH \\(not SRP\\)"),
    )


def test_permissions_are_exactly_the_old_pool_actions_and_group_adds_on_the_new_pool(
    stack: Stack,
) -> None:
    policies = migration_policies(synth(stack, migration(stack)))
    assert sorted(policies.values(), key=str) == sorted(
        [
            [
                {
                    "Action": [
                        "cognito-idp:AdminInitiateAuth",
                        "cognito-idp:AdminGetUser",
                        "cognito-idp:AdminListGroupsForUser",
                    ],
                    "Effect": "Allow",
                    "Resource": OLD_POOL_ARN,
                }
            ],
            [
                {
                    "Action": "cognito-idp:AdminAddUserToGroup",
                    "Effect": "Allow",
                    "Resource": {"Fn::GetAtt": ["AuthUserPool8115E87F", "Arn"]},
                }
            ],
        ],
        key=str,
    )


def test_without_group_copy_only_migration_is_wired_and_allowed(stack: Stack) -> None:
    template = synth(stack, migration(stack, copy_groups=False))
    config = template.find_resources("AWS::Cognito::UserPool")
    (pool,) = config.values()
    assert set(pool["Properties"]["LambdaConfig"]) == {"UserMigration"}
    assert list(migration_policies(template).values()) == [
        [
            {
                "Action": ["cognito-idp:AdminInitiateAuth", "cognito-idp:AdminGetUser"],
                "Effect": "Allow",
                "Resource": OLD_POOL_ARN,
            }
        ]
    ]


def test_an_old_pool_in_another_account_is_reached_by_assuming_a_role(stack: Stack) -> None:
    role = iam.Role.from_role_arn(
        stack, "OldPoolRole", "arn:aws:iam::210987654321:role/old-pool-migration"
    )
    settings = migration(stack, role_to_assume=role, attributes=["email", "email_verified"])
    template = synth(stack, settings)
    statements = list(migration_policies(template).values())
    assert [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Resource": "arn:aws:iam::210987654321:role/old-pool-migration",
        }
    ] in statements
    assert not any("AdminInitiateAuth" in str(s) for s in statements)
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like(
                    {
                        "OLD_POOL_ROLE_ARN": "arn:aws:iam::210987654321:role/old-pool-migration",
                        "MIGRATE_ATTRIBUTES": "email,email_verified",
                    }
                )
            }
        },
    )


def test_old_pool_statement_is_what_the_other_accounts_role_needs() -> None:
    stack = Stack(new_app(), "Old", env=TEST_ENV)
    statement = migration(stack).old_pool_statement()
    assert stack.resolve(statement.to_statement_json()) == {
        "Action": [
            "cognito-idp:AdminInitiateAuth",
            "cognito-idp:AdminGetUser",
            "cognito-idp:AdminListGroupsForUser",
        ],
        "Effect": "Allow",
        "Resource": OLD_POOL_ARN,
    }


def test_an_old_pool_of_the_same_app_works_as_well(stack: Stack) -> None:
    old = cognito.UserPool(stack, "OldUserPool")
    client = old.add_client("Migration", auth_flows=cognito.AuthFlow(admin_user_password=True))
    template = synth(stack, PoolMigration(from_user_pool=old, from_client=client))
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {"ExplicitAuthFlows": Match.array_with(["ALLOW_ADMIN_USER_PASSWORD_AUTH"])},
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like(
                    {"OLD_USER_POOL_ID": {"Ref": Match.string_like_regexp("OldUserPool")}}
                )
            }
        },
    )


def test_fails_when_an_own_function_takes_the_same_operation(stack: Stack) -> None:
    own = lambda_.Function.from_function_arn(
        stack, "Own", "arn:aws:lambda:eu-west-1:123456789012:function:own"
    )
    triggers = Triggers(
        user_migration=migration(stack),
        own={cognito.UserPoolOperation.POST_AUTHENTICATION: own},
    )
    with pytest.raises(ConfigurationError, match=r"triggers.own\['postAuthentication'\] and the "):
        CognitoAuth(stack, "Auth", triggers=triggers)


def test_fails_when_the_old_pool_id_is_malformed(stack: Stack) -> None:
    old = cognito.UserPool.from_user_pool_id(stack, "OldPool", "not-a-pool-id")
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "OldClient", "c")
    with pytest.raises(
        ConfigurationError,
        match=r"from_user_pool must have an id like 'eu-west-1_AbC123', got 'not-a-pool-id'",
    ):
        CognitoAuth(
            stack,
            "Auth",
            triggers=Triggers(user_migration=PoolMigration(from_user_pool=old, from_client=client)),
        )
    assert stack.node.try_find_child("Auth") is None  # refused before anything was defined


def test_does_not_fail_when_the_old_pool_id_is_a_token(stack: Stack) -> None:
    from aws_cdk import CfnParameter

    pool_id = CfnParameter(stack, "OldPoolId").value_as_string
    old = cognito.UserPool.from_user_pool_id(stack, "OldPool", pool_id)
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "OldClient", "c")
    template = synth(stack, PoolMigration(from_user_pool=old, from_client=client))
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like({"OLD_USER_POOL_ID": {"Ref": "OldPoolId"}})
            }
        },
    )
