"""What the identity pool and the user files render: trust, roles, mappings, tags, bucket, and
every input rule."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import CfnParameter, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_cognito_identitypool as identitypool
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Annotations, Match, Template

from constructs_lib import CognitoAuth, ConfigurationError, Group, UserPoolSettings
from constructs_lib.clients import MachineClient, WebClient, client_attributes
from constructs_lib.domain import HostedUiDomain
from constructs_lib.federation import SamlLogin
from constructs_lib.identity_pool import (
    AmbiguousRoles,
    ClaimRule,
    IdentityPoolSettings,
    RoleMapping,
    SecureIdentityPool,
)
from constructs_lib.resource_servers import ResourceServer
from constructs_lib.user_files import FileOwner, UserFiles, UserFilesAccess, UserFilesSettings

POOL = "AWS::Cognito::IdentityPool"
ROLE = "AWS::IAM::Role"
POOL_REF = {"Ref": "AuthIdentityPool659E7F64"}
ORDERS = ResourceServer(identifier="orders", scopes={"read": "Read orders"})


def trust(amr: str, *, tag_session: bool = False) -> list[dict[str, Any]]:
    """The exact trust statements every identity pool role must carry."""
    conditions = {
        "StringEquals": {"cognito-identity.amazonaws.com:aud": POOL_REF},
        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr},
    }
    principal = {"Federated": "cognito-identity.amazonaws.com"}
    statements = [
        {
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": conditions,
            "Effect": "Allow",
            "Principal": principal,
        }
    ]
    if tag_session:
        statements.append(
            {
                "Action": "sts:TagSession",
                "Condition": conditions,
                "Effect": "Allow",
                "Principal": principal,
            }
        )
    return statements


def trusts(template: Template) -> dict[str, list[Any]]:
    return {
        logical_id: role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        for logical_id, role in template.find_resources(ROLE).items()
    }


def auth_with(stack: Stack, **kwargs: Any) -> CognitoAuth:
    # CognitoAuth's default web client is linked to the identity pool on its own.
    return CognitoAuth(stack, "Auth", **kwargs)


def test_default_identity_pool_has_no_guests_no_classic_flow_and_one_conditioned_role(
    stack: Stack,
) -> None:
    auth = auth_with(stack, identity_pool=IdentityPoolSettings())
    template = Template.from_stack(stack)
    template.has_resource(
        POOL,
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "AllowUnauthenticatedIdentities": False,
                "AllowClassicFlow": False,
                "CognitoIdentityProviders": [
                    {
                        "ClientId": {"Ref": "AuthClientsweb0471110B"},
                        "ProviderName": {"Fn::GetAtt": ["AuthUserPool8115E87F", "ProviderName"]},
                        "ServerSideTokenCheck": True,
                    }
                ],
            },
        },
    )
    assert list(template.find_resources(POOL)) == ["AuthIdentityPool659E7F64"]
    assert list(trusts(template).values()) == [trust("authenticated")]
    assert auth.unauthenticated_role is None
    attachment = template.find_resources("AWS::Cognito::IdentityPoolRoleAttachment")
    (only,) = attachment.values()
    assert set(only["Properties"]["Roles"]) == {"authenticated"}
    assert "RoleMappings" not in only["Properties"]
    template.resource_count_is("AWS::IAM::Policy", 0)  # nothing granted by default


def guest_role_of(template: Template) -> str:
    """The logical ID of the role the pool hands to guests (from the role attachment)."""
    (attachment,) = template.find_resources("AWS::Cognito::IdentityPoolRoleAttachment").values()
    return str(attachment["Properties"]["Roles"]["unauthenticated"]["Fn::GetAtt"][0])


def policies_on(template: Template, role_logical_id: str) -> dict[str, Any]:
    return {
        logical_id: policy
        for logical_id, policy in template.find_resources("AWS::IAM::Policy").items()
        if {"Ref": role_logical_id} in policy["Properties"]["Roles"]
    }


def test_guests_need_a_named_opt_in_warn_and_get_nothing(stack: Stack) -> None:
    auth = auth_with(
        stack, identity_pool=IdentityPoolSettings(allow_unauthenticated_identities=True)
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(POOL, {"AllowUnauthenticatedIdentities": True})
    guest = guest_role_of(template)
    assert trusts(template) == {
        "AuthIdentityPoolAuthenticatedRole09311B20": trust("authenticated"),
        guest: trust("unauthenticated"),
    }
    role = template.find_resources(ROLE)[guest]["Properties"]
    assert set(role) == {"AssumeRolePolicyDocument", "Description"}  # no inline or managed policy
    assert policies_on(template, guest) == {}
    template.resource_count_is("AWS::IAM::Policy", 0)
    assert auth.identity_pool is not None
    assert auth.identity_pool.guest_policy is None
    assert auth.unauthenticated_role is auth.identity_pool.guest_role is not None
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Auth/IdentityPool",
        "allow_unauthenticated_identities=True: anyone can get AWS credentials for the guest "
        "role; grant it only what a stranger may do. [ack: cognito-auth:guest-identities]",
    )


GUEST_STATEMENT = iam.PolicyStatement(
    sid="GuestAnalytics",
    actions=["mobiletargeting:PutEvents"],
    resources=["arn:aws:mobiletargeting:eu-west-1:123456789012:apps/app-id/events"],
)


def test_guests_get_exactly_the_statements_granted_by_name(stack: Stack) -> None:
    auth = auth_with(
        stack,
        identity_pool=IdentityPoolSettings(
            allow_unauthenticated_identities=True, guest_statements=[GUEST_STATEMENT]
        ),
    )
    template = Template.from_stack(stack)
    guest = guest_role_of(template)
    assert trusts(template)[guest] == trust("unauthenticated")
    (policy,) = policies_on(template, guest).values()
    assert policy["Properties"]["Roles"] == [{"Ref": guest}]
    assert policy["Properties"]["PolicyDocument"]["Statement"] == [
        {
            "Sid": "GuestAnalytics",
            "Effect": "Allow",
            "Action": "mobiletargeting:PutEvents",
            "Resource": "arn:aws:mobiletargeting:eu-west-1:123456789012:apps/app-id/events",
        }
    ]
    # Nothing else anywhere: the authenticated role stays without permissions.
    template.resource_count_is("AWS::IAM::Policy", 1)
    assert set(template.find_resources(ROLE)[guest]["Properties"]) == {
        "AssumeRolePolicyDocument",
        "Description",
    }
    assert auth.identity_pool is not None
    assert auth.identity_pool.guest_policy is not None
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Auth/IdentityPool", Match.string_like_regexp("allow_unauthenticated_identities")
    )


def test_the_guest_role_attribute_takes_grants_of_its_own(stack: Stack) -> None:
    pool = SecureIdentityPool(
        stack, "Pool", settings=IdentityPoolSettings(allow_unauthenticated_identities=True)
    )
    assert pool.guest_role is not None
    bucket = s3.Bucket.from_bucket_name(stack, "Assets", "public-assets")
    bucket.grant_read(pool.guest_role, "guest/*")
    template = Template.from_stack(stack)
    guest = guest_role_of(template)
    (policy,) = policies_on(template, guest).values()
    assert policy["Properties"]["PolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"],
            "Resource": [
                {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::public-assets"]]},
                {
                    "Fn::Join": [
                        "",
                        ["arn:", {"Ref": "AWS::Partition"}, ":s3:::public-assets/guest/*"],
                    ]
                },
            ],
        }
    ]
    template.resource_count_is("AWS::IAM::Policy", 1)


def test_fails_when_guest_statements_come_without_guests(stack: Stack) -> None:
    with pytest.raises(ConfigurationError, match=r"guest_statements need allow_unauth"):
        SecureIdentityPool(
            stack, "Pool", settings=IdentityPoolSettings(guest_statements=[GUEST_STATEMENT])
        )
    assert stack.node.try_find_child("Pool") is None


def test_group_roles_trust_the_pool_and_are_mapped_from_the_token(stack: Stack) -> None:
    auth_with(
        stack,
        user_pool=UserPoolSettings(groups=[Group(name="admins", precedence=0)]),
        identity_pool=IdentityPoolSettings(group_roles=["admins"]),
    )
    template = Template.from_stack(stack)
    assert trusts(template) == {
        "AuthIdentityPoolAuthenticatedRole09311B20": trust("authenticated"),
        "AuthIdentityPoolGroupRolesadmins2A35E330": trust("authenticated"),
    }
    template.has_resource_properties(
        "AWS::Cognito::UserPoolGroup",
        {
            "GroupName": "admins",
            "RoleArn": {"Fn::GetAtt": ["AuthIdentityPoolGroupRolesadmins2A35E330", "Arn"]},
        },
    )
    template.has_resource_properties(
        "AWS::Cognito::IdentityPoolRoleAttachment",
        {
            "RoleMappings": {
                "TestStackAuthClientsweb": {
                    "Type": "Token",
                    "AmbiguousRoleResolution": "AuthenticatedRole",
                    "IdentityProvider": {
                        "Fn::Join": [
                            "",
                            [
                                {"Fn::GetAtt": ["AuthUserPool8115E87F", "ProviderName"]},
                                ":",
                                {"Ref": "AuthClientsweb0471110B"},
                            ],
                        ]
                    },
                }
            }
        },
    )


def test_rules_mapping_on_claims_and_deny_when_ambiguous(stack: Stack) -> None:
    auth_with(
        stack,
        user_pool=UserPoolSettings(groups=[Group(name="gold")]),
        identity_pool=IdentityPoolSettings(
            group_roles=["gold"],
            role_mapping=RoleMapping.from_rules(
                [ClaimRule(claim="custom:tier", value="gold", role="gold")],
                ambiguous=AmbiguousRoles.DENY,
            ),
        ),
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::Cognito::IdentityPoolRoleAttachment",
        {
            "RoleMappings": {
                "TestStackAuthClientsweb": Match.object_like(
                    {
                        "Type": "Rules",
                        "AmbiguousRoleResolution": "Deny",
                        "RulesConfiguration": {
                            "Rules": [
                                {
                                    "Claim": "custom:tier",
                                    "MatchType": "Equals",
                                    "Value": "gold",
                                    "RoleARN": {
                                        "Fn::GetAtt": [
                                            "AuthIdentityPoolGroupRolesgold64F627D1",
                                            "Arn",
                                        ]
                                    },
                                }
                            ]
                        },
                    }
                )
            }
        },
    )


def test_principal_tags_map_claims_and_allow_tag_session(stack: Stack) -> None:
    tags = {"sub": "sub", "client": "aud", "tenant": "custom:tenant_id"}
    auth_with(stack, identity_pool=IdentityPoolSettings(principal_tags=tags))
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Cognito::IdentityPoolPrincipalTag",
        {
            "IdentityPoolId": POOL_REF,
            "IdentityProviderName": {"Fn::GetAtt": ["AuthUserPool8115E87F", "ProviderName"]},
            "PrincipalTags": tags,
            "UseDefaults": False,
        },
    )
    assert list(trusts(template).values()) == [trust("authenticated", tag_session=True)]


def test_other_identity_sources_on_the_identity_pool(stack: Stack) -> None:
    oidc = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
        stack, "Oidc", "arn:aws:iam::123456789012:oidc-provider/id.example.com"
    )
    saml = iam.SamlProvider.from_saml_provider_arn(
        stack, "Saml", "arn:aws:iam::123456789012:saml-provider/corp"
    )
    CognitoAuth(
        stack,
        "Auth",
        identity_pool=IdentityPoolSettings(
            developer_provider_name="login.example.app",
            google=identitypool.IdentityPoolGoogleLoginProvider(client_id="g-client"),
            apple=identitypool.IdentityPoolAppleLoginProvider(services_id="com.example"),
            open_id_connect_providers=[oidc],
            saml_providers=[saml],
        ),
    )
    Template.from_stack(stack).has_resource_properties(
        POOL,
        {
            "DeveloperProviderName": "login.example.app",
            "SupportedLoginProviders": {
                "accounts.google.com": "g-client",
                "appleid.apple.com": "com.example",
            },
            "OpenIdConnectProviderARNs": ["arn:aws:iam::123456789012:oidc-provider/id.example.com"],
            "SamlProviderARNs": ["arn:aws:iam::123456789012:saml-provider/corp"],
        },
    )


def test_user_files_bucket_is_secure_and_retained(stack: Stack) -> None:
    auth = auth_with(stack, identity_pool=IdentityPoolSettings(), user_files=UserFilesSettings())
    assert auth.user_files_bucket is not None
    template = Template.from_stack(stack)
    template.has_resource(
        "AWS::S3::Bucket",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                },
                "LoggingConfiguration": {
                    "DestinationBucketName": {"Ref": "AuthUserFilesAccessLogs60034444"},
                    "LogFilePrefix": "user-files/",
                },
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "VersioningConfiguration": {"Status": "Enabled"},
            },
        },
    )
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": "AuthUserFilesBucket4CA0E38A"},
            "PolicyDocument": {
                "Statement": [
                    Match.object_like(
                        {
                            "Effect": "Deny",
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    )
                ]
            },
        },
    )


def test_user_files_access_alone_on_an_existing_role_and_bucket(stack: Stack) -> None:
    role = iam.Role.from_role_arn(stack, "Role", "arn:aws:iam::123456789012:role/authenticated")
    bucket = s3.Bucket.from_bucket_name(stack, "Files", "my-files")
    UserFilesAccess(stack, "FilesAccess", role=role, bucket=bucket, protected=False)
    arn = "arn:aws:s3:::my-files"
    me = "${cognito-identity.amazonaws.com:sub}"
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": ["authenticated"],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PrivateOwnObjects",
                        "Effect": "Allow",
                        "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        "Resource": {
                            "Fn::Join": [
                                "",
                                [
                                    "arn:",
                                    {"Ref": "AWS::Partition"},
                                    f":s3:::my-files/private/{me}/*",
                                ],
                            ]
                        },
                    },
                    {
                        "Sid": "PublicObjects",
                        "Effect": "Allow",
                        "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        "Resource": {
                            "Fn::Join": [
                                "",
                                ["arn:", {"Ref": "AWS::Partition"}, ":s3:::my-files/public/*"],
                            ]
                        },
                    },
                    {
                        "Sid": "ListOwnPrefixes",
                        "Effect": "Allow",
                        "Action": "s3:ListBucket",
                        "Resource": {
                            "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::my-files"]]
                        },
                        "Condition": {
                            "StringLike": {
                                "s3:prefix": [
                                    f"private/{me}/",
                                    f"private/{me}/*",
                                    "public/",
                                    "public/*",
                                ]
                            }
                        },
                    },
                ],
            },
        },
    )
    assert arn  # the literal ARN is rendered with the partition


def test_existing_bucket_is_granted_not_redefined(stack: Stack) -> None:
    bucket = s3.Bucket.from_bucket_name(stack, "Files", "my-files")
    auth = auth_with(
        stack,
        identity_pool=IdentityPoolSettings(),
        user_files=UserFilesSettings(existing_bucket=bucket),
    )
    assert auth.user_files_bucket is bucket
    Template.from_stack(stack).resource_count_is("AWS::S3::Bucket", 0)


def refuse(stack: Stack, match: str, **kwargs: Any) -> ConfigurationError:
    with pytest.raises(ConfigurationError, match=match) as caught:
        CognitoAuth(stack, "Auth", **kwargs)
    assert stack.node.try_find_child("Auth") is None
    return caught.value


def test_fails_when_user_files_come_without_an_identity_pool(stack: Stack) -> None:
    refuse(stack, "user_files needs identity_pool", user_files=UserFilesSettings())


def test_fails_when_files_are_keyed_on_an_unmapped_principal_tag(stack: Stack) -> None:
    refuse(
        stack,
        r"principal tag 'sub'.*maps it to None",
        identity_pool=IdentityPoolSettings(principal_tags={"tenant": "custom:tenant_id"}),
        user_files=UserFilesSettings(owner=FileOwner.user_pool_sub()),
    )


def test_fails_when_a_group_role_names_no_group(stack: Stack) -> None:
    refuse(
        stack,
        r"'admins' is not a user pool group",
        identity_pool=IdentityPoolSettings(group_roles=["admins"]),
    )


def test_collects_every_problem_of_one_call(stack: Stack) -> None:
    error = refuse(
        stack,
        "configuration problems",
        identity_pool=IdentityPoolSettings(
            identity_pool_name="bad/name",
            developer_provider_name="has space",
            principal_tags={"aws:sub": "sub"},
            role_mapping=RoleMapping.from_rules([ClaimRule(claim="c", value="v", role="nope")]),
        ),
        user_files=UserFilesSettings(
            existing_bucket=s3.Bucket.from_bucket_name(stack, "B", "bbb"),
            bucket_name="Bad_Name",
            private=False,
            protected=False,
            public=False,
        ),
    )
    text = "\n".join(error.problems)
    for expected in (
        "identity_pool_name",
        "developer_provider_name",
        "tag name 'aws:sub'",
        "role 'nope' is not one of identity_pool.group_roles",
        "existing_bucket and bucket settings (bucket_name)",
        "nothing would be granted",
        "user_files.bucket_name",
    ):
        assert expected in text


def test_does_not_fail_when_names_are_tokens(stack: Stack) -> None:
    name = CfnParameter(stack, "Name").value_as_string
    SecureIdentityPool(
        stack,
        "Pool",
        settings=IdentityPoolSettings(identity_pool_name=name, developer_provider_name=name),
    )


def test_linking_through_the_l2_method_is_refused(stack: Stack) -> None:
    pool = SecureIdentityPool(stack, "Pool")
    user_pool = cognito.UserPool(stack, "UserPool")
    with pytest.raises(TypeError, match="add_user_pool_client"):
        pool.add_user_pool_authentication(
            identitypool.UserPoolAuthenticationProvider(
                user_pool=user_pool, user_pool_client=user_pool.add_client("C")
            )
        )


KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
VIA_S3 = {"Fn::Join": ["", ["s3.eu-west-1.", {"Ref": "AWS::URLSuffix"}]]}


def kms_statements(template: Template) -> list[dict[str, Any]]:
    """Every identity-policy statement of the stack that names a KMS action."""
    found = []
    for policy in template.find_resources("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            actions = actions if isinstance(actions, list) else [actions]
            if any(action.lower().startswith("kms:") for action in actions):
                found.append(statement)
    return found


def test_an_existing_kms_bucket_gets_only_decrypt_and_generate_data_key_via_s3(
    stack: Stack,
) -> None:
    bucket = s3.Bucket.from_bucket_attributes(
        stack,
        "Files",
        bucket_name="my-files",
        encryption_key=kms.Key.from_key_arn(stack, "FilesKey", KEY_ARN),
    )
    auth_with(
        stack,
        identity_pool=IdentityPoolSettings(),
        user_files=UserFilesSettings(existing_bucket=bucket),
    )
    template = Template.from_stack(stack)
    assert kms_statements(template) == [
        {
            "Sid": "UserFilesKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": KEY_ARN,
            "Condition": {"StringEquals": {"kms:ViaService": VIA_S3}},
        }
    ]
    (policy,) = template.find_resources("AWS::IAM::Policy").values()
    assert policy["Properties"]["Roles"] == [{"Ref": "AuthIdentityPoolAuthenticatedRole09311B20"}]
    template.resource_count_is("AWS::KMS::Key", 0)


def test_a_kms_bucket_of_the_stack_is_granted_its_key_and_the_key_policy_is_untouched(
    stack: Stack,
) -> None:
    bucket = s3.Bucket(stack, "Files", encryption=s3.BucketEncryption.KMS, enforce_ssl=True)
    role = iam.Role.from_role_arn(stack, "Role", "arn:aws:iam::123456789012:role/authenticated")
    UserFilesAccess(stack, "FilesAccess", role=role, bucket=bucket)
    template = Template.from_stack(stack)
    (key_id,) = template.find_resources("AWS::KMS::Key")
    assert kms_statements(template) == [
        {
            "Sid": "UserFilesKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": {"Fn::GetAtt": [key_id, "Arn"]},
            "Condition": {"StringEquals": {"kms:ViaService": VIA_S3}},
        }
    ]
    # The grant is an identity policy only: the key policy keeps the account's default statement.
    key = template.find_resources("AWS::KMS::Key")[key_id]["Properties"]
    (statement,) = key["KeyPolicy"]["Statement"]
    assert statement["Action"] == "kms:*"
    assert statement["Principal"] == {
        "AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::123456789012:root"]]}
    }


def test_an_unencrypted_or_s3_managed_bucket_gets_no_kms_statement(stack: Stack) -> None:
    role = iam.Role.from_role_arn(stack, "Role", "arn:aws:iam::123456789012:role/authenticated")
    bucket = s3.Bucket(stack, "Files", encryption=s3.BucketEncryption.S3_MANAGED)
    UserFilesAccess(stack, "FilesAccess", role=role, bucket=bucket)
    assert kms_statements(Template.from_stack(stack)) == []


def oidc_and_saml(stack: Stack) -> tuple[iam.IOpenIdConnectProvider, iam.ISamlProvider]:
    return (
        iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
            stack, "Oidc", "arn:aws:iam::123456789012:oidc-provider/id.example.com"
        ),
        iam.SamlProvider.from_saml_provider_arn(
            stack, "Saml", "arn:aws:iam::123456789012:saml-provider/corp"
        ),
    )


def test_principal_tags_for_oidc_and_saml_providers(stack: Stack) -> None:
    oidc, saml = oidc_and_saml(stack)
    auth = auth_with(
        stack,
        user_pool=UserPoolSettings(groups=[Group(name="admins", precedence=0)]),
        identity_pool=IdentityPoolSettings(
            group_roles=["admins"], open_id_connect_providers=[oidc], saml_providers=[saml]
        ),
    )
    assert auth.identity_pool is not None
    department = "https://aws.amazon.com/SAML/Attributes/department"
    auth.identity_pool.add_principal_tags(oidc, {"email": "email"})
    auth.identity_pool.add_principal_tags(saml, {"department": department})
    template = Template.from_stack(stack)
    tags = template.find_resources("AWS::Cognito::IdentityPoolPrincipalTag")
    assert {logical_id: tag["Properties"] for logical_id, tag in tags.items()} == {
        "AuthIdentityPoolPrincipalTagsOfOidcB63F9E62": {
            "IdentityPoolId": POOL_REF,
            "IdentityProviderName": "id.example.com",
            "PrincipalTags": {"email": "email"},
            "UseDefaults": False,
        },
        "AuthIdentityPoolPrincipalTagsOfSamlFD9FB641": {
            "IdentityPoolId": POOL_REF,
            "IdentityProviderName": "arn:aws:iam::123456789012:saml-provider/corp",
            "PrincipalTags": {"department": department},
            "UseDefaults": False,
        },
    }
    # Both roles a signed-in user can get may now be tagged, under the same conditions, once.
    assert trusts(template) == {
        "AuthIdentityPoolAuthenticatedRole09311B20": trust("authenticated", tag_session=True),
        "AuthIdentityPoolGroupRolesadmins2A35E330": trust("authenticated", tag_session=True),
    }


def test_a_group_role_added_after_provider_tags_may_be_tagged_too(stack: Stack) -> None:
    oidc, _ = oidc_and_saml(stack)
    pool = SecureIdentityPool(
        stack, "Pool", settings=IdentityPoolSettings(open_id_connect_providers=[oidc])
    )
    pool.add_principal_tags(oidc, {"email": "email"})
    role = pool.add_group_role("late")
    assert pool.group_roles == {"late": role}
    statements = Template.from_stack(stack).to_json()["Resources"]
    (late,) = (r for k, r in statements.items() if k.startswith("PoolGroupRoleslate"))
    actions = [s["Action"] for s in late["Properties"]["AssumeRolePolicyDocument"]["Statement"]]
    assert actions == ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]


def test_fails_when_provider_tags_are_bad_foreign_or_given_twice(stack: Stack) -> None:
    oidc, saml = oidc_and_saml(stack)
    pool = SecureIdentityPool(
        stack, "Pool", settings=IdentityPoolSettings(open_id_connect_providers=[oidc])
    )
    with pytest.raises(ConfigurationError) as caught:
        pool.add_principal_tags(saml, {"aws:dept": "x" * 300})
    text = "\n".join(caught.value.problems)
    assert "tag name 'aws:dept'" in text
    assert "claim must be 1 to 256 characters" in text
    assert "'TestStack/Saml' is not one of identity_pool.saml_providers" in text
    pool.add_principal_tags(oidc, {"email": "email"})
    with pytest.raises(ConfigurationError, match="already has principal tags"):
        pool.add_principal_tags(oidc, {"name": "name"})
    Template.from_stack(stack).resource_count_is("AWS::Cognito::IdentityPoolPrincipalTag", 1)


# --- Claims users could write themselves ------------------------------------------------------

TENANT = {"tenant_id": cognito.StringAttribute(max_len=36, mutable=False)}
SELF_SIGN_UP = UserPoolSettings(self_sign_up_enabled=True, custom_attributes=TENANT)


def test_fails_when_a_principal_tag_reads_a_custom_claim_a_client_lets_users_write(
    stack: Stack,
) -> None:
    """Immutable custom attributes can still be set at sign-up: with self sign-up, a user would
    pick their own tenant tag."""
    writes_tenant = client_attributes(["email", "custom:tenant_id"])
    error = refuse(
        stack,
        r"principal_tags\['tenant'\] reads 'custom:tenant_id', which users of "
        r"clients\['web'\] may write \(its write_attributes\)",
        user_pool=SELF_SIGN_UP,
        clients=[WebClient(name="web", o_auth=False, write_attributes=writes_tenant)],
        identity_pool=IdentityPoolSettings(principal_tags={"tenant": "custom:tenant_id"}),
    )
    assert "set it only through admin APIs or a trigger" in str(error)


def test_fails_when_a_claim_rule_reads_a_custom_claim_an_identity_provider_maps(
    stack: Stack,
) -> None:
    """A client must be able to write what the providers it offers map, so its own users can
    write it too."""
    corp = SamlLogin(
        provider_name="Corp",
        metadata_url="https://idp.example.com/metadata",
        attribute_mapping={"custom:tier": "tier"},
    )
    refuse(
        stack,
        r"role_mapping.rules\[0\].claim reads 'custom:tier', which users of clients\['web'\] "
        r"may write \(identity provider 'Corp' maps it\)",
        user_pool=UserPoolSettings(
            custom_attributes={"tier": cognito.StringAttribute(mutable=True)}
        ),
        identity_providers=[corp],
        domain=HostedUiDomain.cognito_prefix("example-app"),
        clients=[WebClient(name="web", callback_urls=["https://app.example.com/callback"])],
        identity_pool=IdentityPoolSettings(
            role_mapping=RoleMapping.from_rules(
                [
                    ClaimRule(
                        claim="custom:tier",
                        value="gold",
                        role=iam.Role.from_role_name(stack, "R", "gold"),
                    )
                ]
            )
        ),
    )


def test_does_not_fail_when_custom_claims_are_not_writable_by_users(stack: Stack) -> None:
    """The default clients write standard attributes only; a machine client signs no user in;
    standard claims such as sub and aud are not judged."""
    auth = auth_with(
        stack,
        user_pool=SELF_SIGN_UP,
        resource_servers=[ORDERS],
        domain=HostedUiDomain.cognito_prefix("example-app"),
        clients=[
            WebClient(name="web", o_auth=False),
            # write_attributes on a MachineClient are refused (test_hardening_clients.py)
            MachineClient(name="machine", scopes=[ORDERS.scope("read")]),
        ],
        identity_pool=IdentityPoolSettings(
            principal_tags={"sub": "sub", "client": "aud", "tenant": "custom:tenant_id"},
            role_mapping=RoleMapping.from_rules(
                [
                    ClaimRule(
                        claim="custom:tenant_id",
                        value="t1",
                        role=iam.Role.from_role_name(stack, "R", "tenant1"),
                    )
                ]
            ),
        ),
    )
    assert auth.identity_pool is not None
    # Only the client that signs users in is linked: the machine client has no users.
    (pool,) = Template.from_stack(stack).find_resources(POOL).values()
    providers = pool["Properties"]["CognitoIdentityProviders"]
    web_id = stack.resolve(auth.clients["web"].user_pool_client_id)
    assert [p["ClientId"] for p in providers] == [web_id]


# --- The tag that keys per-user files -----------------------------------------------------------


def test_fails_when_a_provider_maps_the_tag_that_keys_user_files(stack: Stack) -> None:
    oidc, saml = oidc_and_saml(stack)
    auth = auth_with(
        stack,
        identity_pool=IdentityPoolSettings(
            principal_tags={"sub": "sub"}, open_id_connect_providers=[oidc], saml_providers=[saml]
        ),
        user_files=UserFilesSettings(owner=FileOwner.user_pool_sub("sub")),
    )
    assert auth.identity_pool is not None
    with pytest.raises(ConfigurationError, match=r"tag 'sub' keys per-user files"):
        auth.identity_pool.add_principal_tags(oidc, {"sub": "sub", "email": "email"})
    # Other tags stay possible, for the same provider too.
    auth.identity_pool.add_principal_tags(oidc, {"email": "email"})
    auth.identity_pool.add_principal_tags(saml, {"department": "department"})
    Template.from_stack(stack).resource_count_is("AWS::Cognito::IdentityPoolPrincipalTag", 3)


def test_does_not_reserve_a_tag_when_files_are_keyed_on_the_identity_id(stack: Stack) -> None:
    oidc, _ = oidc_and_saml(stack)
    auth = auth_with(
        stack,
        identity_pool=IdentityPoolSettings(open_id_connect_providers=[oidc]),
        user_files=UserFilesSettings(),
    )
    assert auth.identity_pool is not None
    auth.identity_pool.add_principal_tags(oidc, {"sub": "sub"})


def test_fails_when_a_tag_already_mapped_by_a_provider_is_reserved(stack: Stack) -> None:
    oidc, _ = oidc_and_saml(stack)
    pool = SecureIdentityPool(
        stack, "Pool", settings=IdentityPoolSettings(open_id_connect_providers=[oidc])
    )
    pool.add_principal_tags(oidc, {"owner": "sub"})
    with pytest.raises(ConfigurationError, match=r"already maps it for provider 'TestStack/Oidc'"):
        pool.reserve_tag_for_user_pools("owner")
    pool.reserve_tag_for_user_pools("sub")


def test_fails_when_user_files_alone_key_on_a_reserved_tag_name(stack: Stack) -> None:
    """UserFiles alone checks the owner tag with the identity pool's rule, 'aws:' included."""
    with pytest.raises(ConfigurationError, match=r"tag name 'aws:sub'.*may not start with 'aws:'"):
        UserFiles(
            stack, "Files", settings=UserFilesSettings(owner=FileOwner.user_pool_sub("aws:sub"))
        )
