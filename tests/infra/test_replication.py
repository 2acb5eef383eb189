"""Multi-Region replication: the key, the pool's key and issuer configuration, the replicas, the
replica-Region stacks and what is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint
import pytest
from aws_cdk import App, Aws, Environment, SecretValue, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Annotations, Match, Template
from cfnlint.api import ManualArgs, lint
from constructs import Construct

from constructs_lib import (
    CognitoAuth,
    ConfigurationError,
    GoogleLogin,
    Group,
    HostedUiDomain,
    IdentityPoolSettings,
    SesEmail,
    UserPoolSettings,
)
from constructs_lib.replication import (
    RegionalSettings,
    Replication,
    UserPoolReplication,
    region_suffix,
    updated_issuer_url,
)
from constructs_lib.triggers import (
    INBOUND_FEDERATION,
    ClaimsTable,
    CustomMessages,
    InboundFederation,
    MessageTemplate,
    PoolMigration,
    PostConfirmation,
    PreSignUp,
    PreTokenGeneration,
    Triggers,
)
from constructs_lib.user_pool import SecureUserPool
from tests.conftest import TEST_ENV, new_app

ACCOUNT, PRIMARY, REPLICA = TEST_ENV.account, TEST_ENV.region, "us-west-2"
KEY_ARN = f"arn:aws:kms:{PRIMARY}:{ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab"


def build(
    replication: Replication | None = None, *, triggers: bool = True, **auth: Any
) -> tuple[App, CognitoAuth]:
    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    trigger_settings = None
    if triggers:
        trigger_settings = Triggers(
            pre_token_generation=PreTokenGeneration(claims_table=ClaimsTable(stack, "Claims")),
            post_confirmation=PostConfirmation(
                default_group="users", profile_table=ClaimsTable(stack, "Profiles")
            ),
        )
    if triggers:
        # post_confirmation's default group must be one of the pool's groups.
        auth.setdefault("user_pool", UserPoolSettings(groups=[Group(name="users")]))
    construct = CognitoAuth(
        stack,
        "Auth",
        triggers=trigger_settings,
        replication=replication or Replication(regions=[REPLICA]),
        **auth,
    )
    return app, construct


def template(app: App, stack_id: str) -> Template:
    stack = app.node.find_child(stack_id)
    assert isinstance(stack, Stack)
    return Template.from_stack(stack)


def inline_function(scope: Construct, construct_id: str) -> lambda_.Function:
    """A function of your own, for ``Triggers.own`` and ``RegionalSettings.own_triggers``."""
    return lambda_.Function(
        scope,
        construct_id,
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
    )


def the_only(tpl: Template, kind: str) -> dict[str, Any]:
    found = tpl.find_resources(kind)
    assert len(found) == 1, found
    return next(iter(found.values()))


@pytest.fixture(scope="module")
def replicated() -> tuple[App, CognitoAuth]:
    return build()


# The key ----------------------------------------------------------------------------------


def test_the_key_is_multi_region_rotated_and_retained(replicated: tuple[App, CognitoAuth]) -> None:
    key = the_only(template(replicated[0], "Auth"), "AWS::KMS::Key")
    assert key["DeletionPolicy"] == "Retain"
    assert key["UpdateReplacePolicy"] == "Retain"
    assert key["Properties"]["MultiRegion"] is True
    assert key["Properties"]["EnableKeyRotation"] is True


def arn(rest: str) -> dict[str, Any]:
    """``arn:<partition><rest>`` as the template has it (the partition is a token here)."""
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, rest]]}


def cognito_statement(regions: list[str]) -> dict[str, Any]:
    return {
        "Sid": "AllowCognitoUserPools",
        "Effect": "Allow",
        "Principal": {"Service": "cognito-idp.amazonaws.com"},
        "Action": [
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
        ],
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
            "ArnLike": {
                "aws:SourceArn": [
                    arn(f":cognito-idp:{region}:{ACCOUNT}:userpool/*") for region in regions
                ]
            },
        },
    }


ROOT_STATEMENT = {
    "Action": "kms:*",
    "Effect": "Allow",
    "Principal": {"AWS": arn(f":iam::{ACCOUNT}:root")},
    "Resource": "*",
}


def test_the_key_policy_lets_the_account_administer_and_cognito_use_the_key_only(
    replicated: tuple[App, CognitoAuth],
) -> None:
    key = the_only(template(replicated[0], "Auth"), "AWS::KMS::Key")
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    assert statements == [ROOT_STATEMENT, cognito_statement([PRIMARY, REPLICA])]


def test_the_replica_key_is_in_the_replica_region_with_the_same_policy_and_retained(
    replicated: tuple[App, CognitoAuth],
) -> None:
    app = replicated[0]
    stack = app.node.find_child(f"AuthReplicaKey{region_suffix(REPLICA)}")
    assert isinstance(stack, Stack) and stack.region == REPLICA
    replica = the_only(Template.from_stack(stack), "AWS::KMS::ReplicaKey")
    assert replica["DeletionPolicy"] == "Retain"
    assert replica["Properties"]["KeyPolicy"]["Statement"] == [
        ROOT_STATEMENT,
        cognito_statement([PRIMARY, REPLICA]),
    ]
    # The primary key's ARN, read through CDK's cross-region reference.
    arn = replica["Properties"]["PrimaryKeyArn"]["Fn::GetAtt"]
    assert arn[0].startswith("ExportsReader") and "Arn" in arn[1]


def test_a_key_of_your_own_is_used_and_no_key_is_created() -> None:
    key = kms.Key.from_key_arn(Stack(new_app(), "Other", env=TEST_ENV), "Key", KEY_ARN)
    app, _ = build(Replication(regions=[REPLICA], key=key))
    pool = template(app, "Auth")
    pool.resource_count_is("AWS::KMS::Key", 0)
    pool.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"KeyConfiguration": {"KeyType": "CUSTOMER_MANAGED_KEY", "KmsKeyArn": KEY_ARN}},
    )
    assert app.node.try_find_child(f"AuthReplicaKey{region_suffix(REPLICA)}") is None


# The pool ---------------------------------------------------------------------------------


def test_the_pool_gets_the_key_and_the_updated_issuer_and_stays_retained(
    replicated: tuple[App, CognitoAuth],
) -> None:
    tpl = template(replicated[0], "Auth")
    key_id = next(iter(tpl.find_resources("AWS::KMS::Key")))
    pool = the_only(tpl, "AWS::Cognito::UserPool")
    assert pool["DeletionPolicy"] == "Retain"
    assert pool["Properties"]["KeyConfiguration"] == {
        "KeyType": "CUSTOMER_MANAGED_KEY",
        "KmsKeyArn": {"Fn::GetAtt": [key_id, "Arn"]},
    }
    assert pool["Properties"]["IssuerConfiguration"] == {"Type": "UPDATED"}


def test_replication_off_leaves_the_pool_without_key_and_issuer_configuration() -> None:
    stack = Stack(new_app(), "Plain", env=TEST_ENV)
    CognitoAuth(stack, "Auth")
    pool = the_only(Template.from_stack(stack), "AWS::Cognito::UserPool")["Properties"]
    assert "KeyConfiguration" not in pool and "IssuerConfiguration" not in pool


def test_no_regions_keeps_key_and_issuer_but_defines_no_replica() -> None:
    app, auth = build(Replication(regions=[]), triggers=False)
    tpl = template(app, "Auth")
    tpl.has_resource_properties(
        "AWS::Cognito::UserPool", {"IssuerConfiguration": {"Type": "UPDATED"}}
    )
    assert [c.node.id for c in app.node.children if isinstance(c, Stack)] == ["Auth"]
    assert auth.replication is not None and auth.replication.replicas == {}


# Replicas and the replica-Region stack ------------------------------------------------------


def test_one_replica_per_region_in_the_pools_region(replicated: tuple[App, CognitoAuth]) -> None:
    app = replicated[0]
    stack = app.node.find_child("AuthReplicas")
    assert isinstance(stack, Stack) and stack.region == PRIMARY
    replica = the_only(Template.from_stack(stack), "AWS::Cognito::UserPoolReplica")
    assert replica["Properties"]["RegionName"] == REPLICA
    assert "Fn::ImportValue" in replica["Properties"]["UserPoolId"]


def test_stacks_deploy_in_the_order_replication_needs(replicated: tuple[App, CognitoAuth]) -> None:
    app = replicated[0]
    suffix = region_suffix(REPLICA)

    def needs(stack_id: str) -> set[str]:
        stack = app.node.find_child(stack_id)
        assert isinstance(stack, Stack)
        return {s.node.id for s in stack.dependencies}

    assert needs(f"AuthReplicaKey{suffix}") == {"Auth"}
    assert needs("AuthReplicas") == {"Auth", f"AuthReplicaKey{suffix}"}
    assert needs(f"AuthReplica{suffix}") == {"Auth", "AuthReplicas"}


def test_the_regional_configuration_wires_the_replica_regions_functions_and_activates(
    replicated: tuple[App, CognitoAuth],
) -> None:
    tpl = template(replicated[0], f"AuthReplica{region_suffix(REPLICA)}")
    functions = tpl.find_resources(
        "AWS::Lambda::Function", {"Properties": {"Handler": Match.any_value()}}
    )
    by_handler = {f["Properties"]["Handler"]: name for name, f in functions.items()}
    token_fn = by_handler["pre_token_generation.handler"]
    confirm_fn = by_handler["post_confirmation.handler"]
    attachment = the_only(tpl, "AWS::Cognito::UserPoolRegionalConfigurationAttachment")
    assert attachment["Properties"]["Status"] == "ACTIVE"
    assert attachment["Properties"]["LambdaConfig"] == {
        "PostConfirmation": {"Fn::GetAtt": [confirm_fn, "Arn"]},
        "PreTokenGenerationConfig": {
            "LambdaArn": {"Fn::GetAtt": [token_fn, "Arn"]},
            "LambdaVersion": "V2_0",
        },
    }
    assert attachment["Properties"]["UserPoolId"]["Fn::GetAtt"][0].startswith("ExportsReader")
    # Cognito may invoke them for this pool in this Region only.
    tpl.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "FunctionName": {"Fn::GetAtt": [token_fn, "Arn"]},
            "Principal": "cognito-idp.amazonaws.com",
            "SourceArn": {
                "Fn::Join": [
                    "",
                    Match.array_with(
                        [Match.string_like_regexp(f":cognito-idp:{REPLICA}:{ACCOUNT}:userpool/")]
                    ),
                ]
            },
        },
    )


def test_the_tables_get_a_replica_and_the_functions_read_it_there(
    replicated: tuple[App, CognitoAuth],
) -> None:
    app = replicated[0]
    tables = template(app, "Auth").find_resources("AWS::DynamoDB::GlobalTable")
    assert len(tables) == 2
    for table in tables.values():
        assert [r["Region"] for r in table["Properties"]["Replicas"]] == [REPLICA, PRIMARY]
        assert table["DeletionPolicy"] == "Retain"
    tpl = template(app, f"AuthReplica{region_suffix(REPLICA)}")
    tpl.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "dynamodb:GetItem",
                        "Effect": "Allow",
                        "Resource": {
                            "Fn::Join": [
                                "",
                                Match.array_with([f":dynamodb:{REPLICA}:{ACCOUNT}:table/"]),
                            ]
                        },
                    }
                ]
            }
        },
    )
    tpl.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "pre_token_generation.handler",
            "Environment": {
                "Variables": Match.object_like(
                    {
                        "CLAIMS_TABLE_NAME": {
                            "Fn::GetAtt": [
                                Match.string_like_regexp("^ExportsReader"),
                                Match.any_value(),
                            ]
                        }
                    }
                )
            },
        },
    )


def test_regional_email_sms_and_own_functions() -> None:
    sms_role = iam.Role.from_role_arn(
        Stack(new_app(), "Roles", env=TEST_ENV), "Sms", f"arn:aws:iam::{ACCOUNT}:role/sms"
    )
    defined: list[str] = []

    def own(scope: Any) -> dict[cognito.UserPoolOperation, lambda_.IFunction]:
        defined.append(Stack.of(scope).region)
        fn = inline_function(scope, "PreAuth")
        return {cognito.UserPoolOperation.PRE_AUTHENTICATION: fn}

    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    existing_fn = inline_function(stack, "PreAuth")
    CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(own={cognito.UserPoolOperation.PRE_AUTHENTICATION: existing_fn}),
        replication=Replication(
            regions=[REPLICA],
            regional={
                REPLICA: RegionalSettings(
                    email=SesEmail(from_email="no-reply@example.com", from_name="Example"),
                    sms_role=sms_role,
                    sms_role_external_id="example-external-id",
                    own_triggers=own,
                    active=False,
                )
            },
        ),
    )
    assert defined == [REPLICA]
    tpl = template(app, f"AuthReplica{region_suffix(REPLICA)}")
    attachment = the_only(tpl, "AWS::Cognito::UserPoolRegionalConfigurationAttachment")[
        "Properties"
    ]
    assert attachment["Status"] == "INACTIVE"
    assert attachment["EmailConfiguration"] == {
        "EmailSendingAccount": "DEVELOPER",
        "From": "Example <no-reply@example.com>",
        "SourceArn": arn(f":ses:{REPLICA}:{ACCOUNT}:identity/no-reply@example.com"),
    }
    assert attachment["SmsConfiguration"] == {
        "ExternalId": "example-external-id",
        "SnsCallerArn": f"arn:aws:iam::{ACCOUNT}:role/sms",
        "SnsRegion": REPLICA,
    }
    fn_id = next(iter(tpl.find_resources("AWS::Lambda::Function")))
    assert attachment["LambdaConfig"] == {"PreAuthentication": {"Fn::GetAtt": [fn_id, "Arn"]}}


def test_standalone_on_a_secure_user_pool() -> None:
    app = new_app()
    stack = Stack(app, "Pool", env=TEST_ENV)
    pool = SecureUserPool(stack, "UserPool", settings=UserPoolSettings())
    replication = UserPoolReplication(
        stack, "Replication", user_pool=pool, replication=Replication(regions=[REPLICA])
    )
    assert set(replication.replicas) == {REPLICA}
    assert replication.regional_functions == {REPLICA: {}}
    Template.from_stack(stack).has_resource_properties(
        "AWS::Cognito::UserPool", {"IssuerConfiguration": {"Type": "UPDATED"}}
    )
    attachment = the_only(
        template(app, f"PoolReplica{region_suffix(REPLICA)}"),
        "AWS::Cognito::UserPoolRegionalConfigurationAttachment",
    )
    assert "LambdaConfig" not in attachment["Properties"]


def test_totp_leaves_a_warning_as_replicas_do_not_support_it(
    replicated: tuple[App, CognitoAuth],
) -> None:
    stack = replicated[0].node.find_child("Auth")
    assert isinstance(stack, Stack)
    Annotations.from_stack(stack).has_warning(
        "/Auth/Auth/Replication", Match.string_like_regexp("do not support TOTP MFA")
    )


def test_operations_with_replicas_leave_a_warning_that_they_watch_the_primary_only() -> None:
    from constructs_lib.operations import OperationsSettings

    app, _ = build(operations=OperationsSettings())
    stack = app.node.find_child("Auth")
    assert isinstance(stack, Stack)
    Annotations.from_stack(stack).has_warning(
        "/Auth/Auth",
        Match.string_like_regexp("operations watch and shield the pool in its own Region only"),
    )
    replica = app.node.find_child("AuthReplicaUsWest2")
    assert isinstance(replica, Stack)
    assert Template.from_stack(replica).find_resources("AWS::CloudWatch::Alarm") == {}


# "carried": the stacks with every bundled trigger replication carries (defined below).
@pytest.mark.parametrize("built", ["replicated", "carried"])
def test_every_replication_stack_passes_cfn_lint(
    built: str, request: pytest.FixtureRequest
) -> None:
    app: App = request.getfixturevalue(built)[0]
    for stack in app.node.children:
        if not isinstance(stack, Stack):
            continue
        body = json.dumps(Template.from_stack(stack).to_json())
        matches = lint(body, config=ManualArgs(regions=[stack.region], ignore_checks=["W3005"]))
        assert [str(m) for m in matches] == [], stack.node.id


# Outputs ----------------------------------------------------------------------------------


def test_consumer_config_gives_the_issuer_in_use_and_the_endpoints_per_region(
    replicated: tuple[App, CognitoAuth],
) -> None:
    auth = replicated[1]
    stack = Stack.of(auth)
    config = auth.consumer_config()
    pool_id = auth.user_pool.user_pool_id
    assert stack.resolve(config["IssuerUrl"]) == stack.resolve(
        updated_issuer_url(PRIMARY, pool_id, Aws.URL_SUFFIX)
    )
    resolved = json.dumps(stack.resolve(config["IssuerUrl"]))
    assert f"https://issuer-cognito-idp.{PRIMARY}." in resolved
    assert stack.resolve(config["JwksUrl"]) == stack.resolve(
        f"{auth.issuer_url}/.well-known/jwks.json"
    )
    # As cognito_tokens and CognitoLambdaAuthorizer take it (issuer_type="updated").
    assert config["IssuerType"] == "updated"
    assert config["ReplicaRegions"] == REPLICA
    assert stack.resolve(config["UserPoolEndpointEuWest1"]) == {
        "Fn::Join": ["", ["https://cognito-idp.eu-west-1.", {"Ref": "AWS::URLSuffix"}, "/"]]
    }
    assert "UserPoolEndpointUsWest2" in config


def test_with_no_replica_left_the_outputs_hold_no_empty_value() -> None:
    # Replication(regions=[]) is how replication is turned off; SSM refuses empty values, so
    # ReplicaRegions is left out rather than published as "".
    _, auth = build(Replication(regions=[]))
    config = auth.consumer_config()
    assert config["IssuerType"] == "updated"
    assert "ReplicaRegions" not in config
    assert all(value != "" for value in config.values())


def test_authorizers_of_a_replicated_pool_expect_the_updated_issuer() -> None:
    from constructs_lib.authorizers import http_api_jwt_authorizer
    from constructs_lib.lambda_authorizer import CognitoLambdaAuthorizer

    _, auth = build()
    stack = Stack.of(auth)
    client = auth.clients["web"]
    http = http_api_jwt_authorizer(
        user_pool=auth.user_pool, user_pool_clients=[client], authorization_scopes=["openid"]
    )
    assert stack.resolve(http.issuer) == stack.resolve(auth.issuer_url)
    assert "issuer-cognito-idp" in json.dumps(stack.resolve(http.issuer))
    CognitoLambdaAuthorizer(
        stack, "ApiAuthorizer", user_pool=auth.user_pool, user_pool_clients=[client]
    )
    functions = Template.from_stack(stack).find_resources("AWS::Lambda::Function")
    (environment,) = [
        f["Properties"]["Environment"]["Variables"]
        for f in functions.values()
        if "ISSUER_TYPE" in f["Properties"].get("Environment", {}).get("Variables", {})
    ]
    assert environment["ISSUER_TYPE"] == "updated"


def test_without_replication_the_issuer_is_the_original_one() -> None:
    stack = Stack(new_app(), "Plain", env=TEST_ENV)
    auth = CognitoAuth(stack, "Auth")
    # https://<provider name>, the provider name being cognito-idp.<region>.amazonaws.com/<id>
    assert '"ProviderName"' in json.dumps(stack.resolve(auth.issuer_url))
    assert "IssuerType" not in auth.consumer_config()


# A changed Region list ------------------------------------------------------------------------


def create_only(resource_type: str) -> set[str]:
    """The create-only properties of ``resource_type`` in cfn-lint's registry schema."""
    data = Path(cfnlint.__file__).parent / "data" / "schemas"
    providers = json.loads((data / "providers" / "us-east-1.json").read_text())
    schema = json.loads((data / "resources" / f"{providers[resource_type]}.json").read_text())
    return {p.removeprefix("/properties/") for p in schema["createOnlyProperties"]}


def replaced(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """Logical IDs that CloudFormation would replace or delete going from ``old`` to ``new``."""
    out = set()
    for logical_id, before in old["Resources"].items():
        after = new["Resources"].get(logical_id)
        if after is None or after["Type"] != before["Type"]:
            out.add(logical_id)
            continue
        fixed = create_only(before["Type"]) if before["Type"].startswith("AWS::Cognito") else set()
        if any(before["Properties"].get(p) != after["Properties"].get(p) for p in fixed):
            out.add(logical_id)
    return out


def test_the_registry_schema_marks_region_name_create_only() -> None:
    assert "RegionName" in create_only("AWS::Cognito::UserPoolReplica")


def test_a_changed_region_list_replaces_the_replica() -> None:
    old = template(build(Replication(regions=["us-west-2"]), triggers=False)[0], "AuthReplicas")
    new = template(build(Replication(regions=["us-east-2"]), triggers=False)[0], "AuthReplicas")
    assert replaced(old.to_json(), new.to_json()) == {"ReplicaUsWest2"}
    # Even with a constant logical ID, the create-only RegionName would replace it.
    renamed = json.loads(json.dumps(new.to_json()).replace("ReplicaUsEast2", "ReplicaUsWest2"))
    assert replaced(old.to_json(), renamed) == {"ReplicaUsWest2"}
    assert replaced(old.to_json(), old.to_json()) == set()


# Validation -------------------------------------------------------------------------------


def fails(match: str, replication: Replication | None = None, **kwargs: Any) -> None:
    with pytest.raises(ConfigurationError, match=match):
        build(replication, **kwargs)


def test_fails_when_the_plan_is_lite() -> None:
    fails(
        "replication needs feature_plan ESSENTIALS or PLUS, got LITE",
        triggers=False,
        user_pool=UserPoolSettings(feature_plan=cognito.FeaturePlan.LITE),
    )


def test_fails_when_a_replica_region_is_the_primary() -> None:
    fails(
        r"replication.regions: 'eu-west-1' is the pool's own Region", Replication(regions=[PRIMARY])
    )


def test_fails_when_a_region_is_repeated() -> None:
    fails(
        r"replication.regions names 'us-west-2' more than once",
        Replication(regions=[REPLICA, REPLICA]),
    )


def test_fails_when_a_region_is_malformed() -> None:
    fails(
        r"replication.regions: 'US West 2' is not a Region name", Replication(regions=["US West 2"])
    )


def test_fails_when_more_than_one_region_is_named() -> None:
    fails(
        r"replication.regions may name at most 1 Region .*got \['us-west-2', 'us-east-2'\]",
        Replication(regions=[REPLICA, "us-east-2"]),
    )


def test_fails_when_a_region_is_a_token() -> None:
    fails("replication.regions may not hold tokens", Replication(regions=[Aws.REGION]))


def test_fails_when_the_stack_has_no_explicit_env() -> None:
    stack = Stack(new_app(), "NoEnv")
    with pytest.raises(
        ConfigurationError, match="needs the pool's stack 'NoEnv' to have an explicit account"
    ):
        CognitoAuth(stack, "Auth", replication=Replication(regions=[REPLICA]))


def test_fails_when_only_the_region_is_explicit() -> None:
    stack = Stack(new_app(), "RegionOnly", env=Environment(region=PRIMARY))
    with pytest.raises(ConfigurationError, match="explicit account and Region"):
        CognitoAuth(stack, "Auth", replication=Replication(regions=[REPLICA]))


def test_fails_when_the_pool_is_imported() -> None:
    stack = Stack(new_app(), "Imported", env=TEST_ENV)
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_example")
    with pytest.raises(ConfigurationError, match="an imported existing_user_pool cannot take"):
        CognitoAuth(
            stack, "Auth", existing_user_pool=pool, replication=Replication(regions=[REPLICA])
        )
    with pytest.raises(ConfigurationError, match="replication needs a SecureUserPool"):
        UserPoolReplication(
            stack, "Replication", user_pool=pool, replication=Replication(regions=[REPLICA])
        )


def test_fails_when_the_key_is_not_multi_region_or_not_in_the_pools_region() -> None:
    other = Stack(new_app(), "Keys", env=TEST_ENV)
    single = kms.Key.from_key_arn(
        other, "Single", f"arn:aws:kms:{PRIMARY}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    fails("replication.key must be a multi-Region key", Replication(regions=[REPLICA], key=single))
    elsewhere = kms.Key.from_key_arn(other, "Elsewhere", KEY_ARN.replace(PRIMARY, REPLICA))
    fails(
        "replication.key must be in the pool's Region 'eu-west-1'.*got one in 'us-west-2'",
        Replication(regions=[REPLICA], key=elsewhere),
    )


def test_does_not_fail_when_the_key_arn_is_a_token() -> None:
    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    key = kms.Key(stack, "Mine", multi_region=True)
    CognitoAuth(stack, "Auth", replication=Replication(regions=[REPLICA], key=key))
    Template.from_stack(stack).has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "KeyConfiguration": {
                "KmsKeyArn": {"Fn::GetAtt": [Match.string_like_regexp("^Mine"), "Arn"]}
            }
        },
    )


def test_fails_when_own_triggers_have_no_function_in_the_replica_region() -> None:
    stack = Stack(new_app(), "Own", env=TEST_ENV)
    fn = inline_function(stack, "Fn")
    with pytest.raises(ConfigurationError, match=r"own_triggers for \['us-west-2'\]"):
        CognitoAuth(
            stack,
            "Auth",
            triggers=Triggers(own={cognito.UserPoolOperation.PRE_AUTHENTICATION: fn}),
            replication=Replication(regions=[REPLICA]),
        )


def test_fails_when_a_custom_sender_is_to_be_replicated() -> None:
    stack = Stack(new_app(), "Sender", env=TEST_ENV)
    fn = inline_function(stack, "Fn")
    with pytest.raises(ConfigurationError, match=r"custom sender triggers \['customEmailSender'\]"):
        CognitoAuth(
            stack,
            "Auth",
            triggers=Triggers(own={cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER: fn}),
            replication=Replication(
                regions=[REPLICA], regional={REPLICA: RegionalSettings(own_triggers=lambda s: {})}
            ),
        )


def test_fails_when_a_trigger_table_is_not_a_global_table() -> None:
    stack = Stack(new_app(), "Table", env=TEST_ENV)
    table = dynamodb.Table.from_table_name(stack, "Claims", "claims")
    with pytest.raises(ConfigurationError, match=r"claims_table must be a dynamodb\.TableV2"):
        CognitoAuth(
            stack,
            "Auth",
            triggers=Triggers(pre_token_generation=PreTokenGeneration(claims_table=table)),
            replication=Replication(regions=[REPLICA]),
        )


def test_fails_when_regional_settings_name_another_region() -> None:
    fails(
        r"replication.regional names \['us-east-2'\], which are not among",
        Replication(regions=[REPLICA], regional={"us-east-2": RegionalSettings()}),
        triggers=False,
    )


def test_all_problems_are_reported_together() -> None:
    with pytest.raises(ConfigurationError) as error:
        build(
            Replication(regions=[PRIMARY, "bad"]),
            triggers=False,
            user_pool=UserPoolSettings(feature_plan=cognito.FeaturePlan.LITE),
        )
    text = str(error.value)
    assert "LITE" in text and "own Region" in text and "'bad' is not a Region name" in text


def test_pre_sign_up_is_deployed_in_the_replica_region_too() -> None:
    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(pre_sign_up=PreSignUp(denied_email_domains=["example.invalid"])),
        replication=Replication(regions=[REPLICA]),
    )
    tpl = template(app, f"AuthReplica{region_suffix(REPLICA)}")
    tpl.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "pre_sign_up.handler",
            "Environment": {
                "Variables": Match.object_like({"DENIED_EMAIL_DOMAINS": "example.invalid"})
            },
        },
    )


def test_the_hosted_ui_domain_fails_over_to_the_replica_region_on_the_health_check() -> None:
    app, _ = build(
        Replication(
            regions=[REPLICA], failover_health_check_id="abcdef01-2345-6789-abcd-ef0123456789"
        ),
        triggers=False,
        domain=HostedUiDomain.cognito_prefix("example-replicated"),
    )
    template(app, "Auth").has_resource_properties(
        "AWS::Cognito::UserPoolDomain",
        {
            "Routing": {
                "Failover": {
                    "SecondaryRegion": REPLICA,
                    "PrimaryRoute53HealthCheckId": "abcdef01-2345-6789-abcd-ef0123456789",
                }
            }
        },
    )


def test_without_a_health_check_the_domain_has_no_routing() -> None:
    app, _ = build(
        Replication(regions=[REPLICA]),
        triggers=False,
        domain=HostedUiDomain.cognito_prefix("example-replicated"),
    )
    domain = the_only(template(app, "Auth"), "AWS::Cognito::UserPoolDomain")
    assert "Routing" not in domain["Properties"]


def test_fails_when_a_failover_health_check_has_no_domain() -> None:
    fails(
        "failover_health_check_id routes the hosted UI domain on failover, so it needs domain",
        Replication(regions=[REPLICA], failover_health_check_id="abc"),
        triggers=False,
    )


def test_fails_when_a_failover_health_check_has_no_region() -> None:
    fails(
        r"failover_health_check_id needs exactly one replica Region to fail over to, "
        r"got regions=\[\]",
        Replication(regions=[], failover_health_check_id="abc"),
        triggers=False,
        domain=HostedUiDomain.cognito_prefix("example-replicated"),
    )


def test_an_identity_pool_leaves_a_warning_as_it_is_not_replicated() -> None:
    app, _ = build(triggers=False, identity_pool=IdentityPoolSettings())
    stack = app.node.find_child("Auth")
    assert isinstance(stack, Stack)
    Annotations.from_stack(stack).has_warning(
        "/Auth/Auth", Match.string_like_regexp("the identity pool is not replicated")
    )


def test_fails_when_regions_is_a_string() -> None:
    fails(
        r"replication.regions must be a list of Region names, got the string 'us-west-2'; "
        r"write \['us-west-2'\]",
        Replication(regions="us-west-2"),
        triggers=False,
    )


def test_a_table_with_a_replica_already_or_serving_two_triggers_gets_one_replica() -> None:
    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    table = ClaimsTable(stack, "Users")
    table.add_replica(region=REPLICA)
    CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(
            pre_token_generation=PreTokenGeneration(claims_table=table),
            post_confirmation=PostConfirmation(profile_table=table),
        ),
        replication=Replication(regions=[REPLICA]),
    )
    replicas = the_only(Template.from_stack(stack), "AWS::DynamoDB::GlobalTable")["Properties"]
    assert [r["Region"] for r in replicas["Replicas"]] == [REPLICA, PRIMARY]
    regional = template(app, f"AuthReplica{region_suffix(REPLICA)}")
    handlers = {
        f["Properties"]["Handler"]
        for f in regional.find_resources("AWS::Lambda::Function").values()
        if "Handler" in f["Properties"]
    }
    assert {"pre_token_generation.handler", "post_confirmation.handler"} <= handlers


def test_fails_when_own_triggers_return_an_operation_the_regional_configuration_cannot_take() -> (
    None
):
    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)

    def own(scope: Any) -> dict[cognito.UserPoolOperation, lambda_.IFunction]:
        fn = inline_function(scope, "Sender")
        return {cognito.UserPoolOperation.CUSTOM_SMS_SENDER: fn}

    with pytest.raises(ConfigurationError, match=r"own_triggers returned \['customSmsSender'\]"):
        CognitoAuth(
            stack,
            "Auth",
            replication=Replication(
                regions=[REPLICA], regional={REPLICA: RegionalSettings(own_triggers=own)}
            ),
        )


# Every bundled trigger under replication ------------------------------------------------------
#
# Carried to the replica Region: pre token generation, pre sign-up, post confirmation, custom
# message, inbound federation (the regional LambdaConfig has a field for each). Refused: user
# migration (a secondary user pool cannot create users).


def every_carried_trigger(replicated: bool = True) -> tuple[App, CognitoAuth]:
    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    construct = CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(groups=[Group(name="users")]),
        domain=HostedUiDomain.cognito_prefix("example-carried"),
        identity_providers=[
            GoogleLogin(
                client_id="example-client.apps.googleusercontent.com",
                client_secret=SecretValue.secrets_manager("example/google"),
            )
        ],
        triggers=Triggers(
            pre_token_generation=PreTokenGeneration(
                claims_table=ClaimsTable(stack, "Claims"), groups_claim="roles"
            ),
            pre_sign_up=PreSignUp(
                auto_confirm_email_domains=["example.com"],
                link_federated_to_existing_user=True,
                link_trusted_providers=["Google"],
            ),
            post_confirmation=PostConfirmation(
                default_group="users", profile_table=ClaimsTable(stack, "Profiles")
            ),
            custom_message=CustomMessages(
                messages={
                    "CustomMessage_SignUp": MessageTemplate(
                        email_subject="Welcome", email_message="Your code is ${code}"
                    )
                },
                app_name="Example",
            ),
            inbound_federation=InboundFederation(
                groups_attribute="groups", drop_attributes=["employee_number"]
            ),
        ),
        replication=Replication(regions=[REPLICA]) if replicated else None,
    )
    return app, construct


@pytest.fixture(scope="module")
def carried() -> tuple[App, CognitoAuth]:
    return every_carried_trigger()


#: Each carried trigger: its handler, its regional LambdaConfig field, and the permissions its
#: role gets (as ``(policy id suffix, actions, resource service)``) beside writing its logs.
CARRIED = {
    "pre_token_generation": (
        "pre_token_generation.handler",
        "PreTokenGenerationConfig",
        [("ClaimsTablePolicy", "dynamodb:GetItem", "dynamodb")],
    ),
    "pre_sign_up": (
        "pre_sign_up.handler",
        "PreSignUp",
        [
            (
                "LinkingPolicy",
                ["cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"],
                "cognito-idp",
            )
        ],
    ),
    "post_confirmation": (
        "post_confirmation.handler",
        "PostConfirmation",
        [
            ("GroupPolicy", "cognito-idp:AdminAddUserToGroup", "cognito-idp"),
            ("ProfileTablePolicy", "dynamodb:PutItem", "dynamodb"),
        ],
    ),
    "custom_message": ("custom_message.handler", "CustomMessage", []),
    "inbound_federation": ("inbound_federation.handler", "InboundFederation", []),
}


def function_by_handler(tpl: Template, handler: str) -> tuple[str, dict[str, Any]]:
    found = tpl.find_resources("AWS::Lambda::Function", {"Properties": {"Handler": handler}})
    assert len(found) == 1, (handler, list(found))
    return next(iter(found.items()))


def test_every_bundled_trigger_but_user_migration_has_a_field_in_the_regional_lambda_config() -> (
    None
):
    # From the registry schema that cfn-lint ships (the CloudFormation resource's own schema).
    schema_dir = Path(cfnlint.__file__).parent / "data" / "schemas" / "resources"
    for path in schema_dir.glob("*.json"):
        schema = json.loads(path.read_text())
        if schema.get("typeName") == "AWS::Cognito::UserPoolRegionalConfigurationAttachment":
            break
    else:
        pytest.fail("no registry schema for UserPoolRegionalConfigurationAttachment")
    fields = schema["definitions"]["LambdaConfig"]["properties"]
    for _, field, _ in CARRIED.values():
        assert field in fields
    assert fields["InboundFederation"] == {"$ref": "#/definitions/InboundFederation"}
    assert set(schema["definitions"]["InboundFederation"]["properties"]) == {
        "LambdaArn",
        "LambdaVersion",
    }


@pytest.mark.parametrize("name", sorted(CARRIED))
def test_a_carried_trigger_is_defined_in_the_replica_region_as_on_the_primary(
    carried: tuple[App, CognitoAuth], name: str
) -> None:
    handler, field, policies = CARRIED[name]
    app = carried[0]
    primary, regional = template(app, "Auth"), template(app, f"AuthReplica{region_suffix(REPLICA)}")
    primary_id, primary_fn = function_by_handler(primary, handler)
    fn_id, fn = function_by_handler(regional, handler)
    # The same construct path below the triggers construct, so the same logical ID stem.
    assert fn_id.split("Function")[0].endswith(primary_id.split("Function")[0].removeprefix("Auth"))
    # The same environment, but for the tables: their replica in the replica Region.
    variables = fn["Properties"]["Environment"]["Variables"]
    expected = primary_fn["Properties"]["Environment"]["Variables"]
    assert set(variables) == set(expected)
    for key, value in variables.items():
        if key.endswith("_TABLE_NAME"):
            assert value["Fn::GetAtt"][0].startswith("ExportsReader"), key
        else:
            assert value == expected[key], key
    for prop in ("Runtime", "Architectures", "MemorySize", "Timeout", "Description"):
        assert fn["Properties"][prop] == primary_fn["Properties"][prop], prop
    # Listed in the regional configuration...
    config = the_only(regional, "AWS::Cognito::UserPoolRegionalConfigurationAttachment")
    entry = config["Properties"]["LambdaConfig"][field]
    arn_of = {"Fn::GetAtt": [fn_id, "Arn"]}
    if field == "PreTokenGenerationConfig":
        assert entry == {"LambdaArn": arn_of, "LambdaVersion": "V2_0"}
    elif field == "InboundFederation":
        assert entry == {"LambdaArn": arn_of, "LambdaVersion": "V1_0"}
    else:
        assert entry == arn_of
    # ...which may invoke it for the pool in that Region only...
    regional.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": arn_of,
            "Principal": "cognito-idp.amazonaws.com",
            "SourceArn": {
                "Fn::Join": [
                    "",
                    Match.array_with(
                        [Match.string_like_regexp(f":cognito-idp:{REPLICA}:{ACCOUNT}:userpool/")]
                    ),
                ]
            },
        },
    )
    # ...and it holds the primary's permissions, on that Region's pool and table replicas.
    role_id = fn["Properties"]["Role"]["Fn::GetAtt"][0]
    attached = regional.find_resources(
        "AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": role_id}]}}
    )
    granted = {
        policy_id.split(role_id.split("Role")[0])[-1][: -len("XXXXXXXX")]: policy["Properties"][
            "PolicyDocument"
        ]["Statement"]
        for policy_id, policy in attached.items()
    }
    assert set(granted) == {"LogsPolicy", *(p for p, _, _ in policies)}
    for policy_id, actions, service in policies:
        [statement] = granted[policy_id]
        assert statement["Action"] == actions
        assert f":{service}:{REPLICA}:{ACCOUNT}:" in json.dumps(statement["Resource"])


def test_the_regional_lambda_config_holds_the_carried_triggers_and_nothing_else(
    carried: tuple[App, CognitoAuth],
) -> None:
    regional = template(carried[0], f"AuthReplica{region_suffix(REPLICA)}")
    config = the_only(regional, "AWS::Cognito::UserPoolRegionalConfigurationAttachment")
    assert set(config["Properties"]["LambdaConfig"]) == {f for _, f, _ in CARRIED.values()}
    assert set(carried[1].replication.regional_functions[REPLICA]) == {  # type: ignore[union-attr]
        "preTokenGenerationConfig",
        "preSignUp",
        "postConfirmation",
        "customMessage",
        "inboundFederation",
    }


def test_the_primary_trigger_resources_are_the_same_with_and_without_replication(
    carried: tuple[App, CognitoAuth],
) -> None:
    def trigger_resources(app: App) -> dict[str, Any]:
        resources = template(app, "Auth").to_json()["Resources"]
        return {rid: r for rid, r in resources.items() if rid.startswith("AuthTriggers")}

    replicated = trigger_resources(carried[0])
    assert replicated == trigger_resources(every_carried_trigger(replicated=False)[0])
    kinds = {r["Type"] for r in replicated.values()}
    assert {"AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::IAM::Policy"} <= kinds


def migration(**kwargs: Any) -> PoolMigration:
    old = Stack(new_app(), "Old", env=TEST_ENV)
    return PoolMigration(
        from_user_pool=cognito.UserPool.from_user_pool_id(old, "Pool", "eu-west-1_Old123"),
        from_client=cognito.UserPoolClient.from_user_pool_client_id(
            old, "Client", "example0client0id"
        ),
        **kwargs,
    )


USER_MIGRATION_REFUSED = (
    "replication to ['us-west-2'] cannot carry triggers.user_migration: a secondary user pool "
    "cannot create users, and the migration trigger creates each user at first sign-in; move "
    "the users first and then remove user_migration, or keep replication.regions=[] until then "
    "(the key and the updated issuer are set all the same)"
)


@pytest.mark.parametrize("copy_groups", [True, False])
def test_fails_when_user_migration_is_to_be_replicated(copy_groups: bool) -> None:
    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    with pytest.raises(ConfigurationError) as error:
        CognitoAuth(
            stack,
            "Auth",
            triggers=Triggers(user_migration=migration(copy_groups=copy_groups)),
            replication=Replication(regions=[REPLICA]),
        )
    assert str(error.value) == f"CognitoAuth: {USER_MIGRATION_REFUSED}"
    # Refused before anything is defined.
    assert stack.node.try_find_child("Auth") is None
    assert [c.node.id for c in app.node.children] == ["Auth"]


def test_fails_when_user_migration_is_to_be_replicated_by_the_construct_alone() -> None:
    stack = Stack(new_app(), "Pool", env=TEST_ENV)
    pool = SecureUserPool(stack, "UserPool", settings=UserPoolSettings())
    with pytest.raises(ConfigurationError) as error:
        UserPoolReplication(
            stack,
            "Replication",
            user_pool=pool,
            replication=Replication(regions=[REPLICA]),
            triggers=Triggers(user_migration=migration()),
        )
    assert str(error.value) == f"UserPoolReplication: {USER_MIGRATION_REFUSED}"


def test_does_not_fail_when_user_migration_meets_replication_without_regions() -> None:
    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(user_migration=migration()),
        replication=Replication(regions=[]),
    )
    tpl = Template.from_stack(stack)
    tpl.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "IssuerConfiguration": {"Type": "UPDATED"},
            "LambdaConfig": Match.object_like({"UserMigration": Match.any_value()}),
        },
    )


def test_own_inbound_federation_in_the_replica_region_takes_the_structured_field() -> None:
    def own(scope: Any) -> dict[cognito.UserPoolOperation, lambda_.IFunction]:
        fn = inline_function(scope, "Federation")
        return {INBOUND_FEDERATION: fn}

    app = new_app()
    stack = Stack(app, "Auth", env=TEST_ENV)
    primary_fn = inline_function(stack, "Federation")
    CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(own={INBOUND_FEDERATION: primary_fn}),
        replication=Replication(
            regions=[REPLICA], regional={REPLICA: RegionalSettings(own_triggers=own)}
        ),
    )
    regional = template(app, f"AuthReplica{region_suffix(REPLICA)}")
    fn_id = next(iter(regional.find_resources("AWS::Lambda::Function")))
    config = the_only(regional, "AWS::Cognito::UserPoolRegionalConfigurationAttachment")
    assert config["Properties"]["LambdaConfig"] == {
        "InboundFederation": {"LambdaArn": {"Fn::GetAtt": [fn_id, "Arn"]}, "LambdaVersion": "V1_0"}
    }
