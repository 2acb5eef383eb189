"""Proof that the user files policies do what they say, for two concrete users.

The policies are taken from the synthesized template (not from the Python that wrote them),
the bucket ARN is made concrete, and each request is evaluated with the caller's policy
variables substituted (``tests/access/iam_statement_eval.py`` says why not moto).
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from constructs_lib import CognitoAuth, Group, UserPoolSettings
from constructs_lib.identity_pool import IdentityPoolSettings
from constructs_lib.user_files import FileOwner, UserFilesSettings
from tests.access.iam_statement_eval import Request, is_allowed
from tests.conftest import TEST_ENV, new_app

BUCKET = "arn:aws:s3:::user-files"
POOL_ID = "eu-west-1:11111111-2222-3333-4444-555555555555"
A = {"identity": "eu-west-1:aaaaaaaa-0000-0000-0000-000000000001", "sub": "sub-a"}
B = {"identity": "eu-west-1:bbbbbbbb-0000-0000-0000-000000000002", "sub": "sub-b"}


def concrete(value: Any, refs: dict[str, str]) -> Any:
    """The template value with references replaced by concrete strings."""
    if isinstance(value, list):
        return [concrete(v, refs) for v in value]
    if isinstance(value, dict):
        if "Fn::Join" in value:
            delimiter, parts = value["Fn::Join"]
            return delimiter.join(concrete(p, refs) for p in parts)
        if "Fn::GetAtt" in value:
            return refs[".".join(value["Fn::GetAtt"])]
        if "Ref" in value:
            return refs[value["Ref"]]
        return {k: concrete(v, refs) for k, v in value.items()}
    return value


def synthesized(owner: FileOwner) -> tuple[Template, dict[str, str]]:
    stack = Stack(new_app(), "Files", env=TEST_ENV)
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(groups=[Group(name="admins", precedence=0)]),
        identity_pool=IdentityPoolSettings(group_roles=["admins"], principal_tags={"sub": "sub"}),
        user_files=UserFilesSettings(owner=owner),
    )
    template = Template.from_stack(stack)
    (bucket,) = template.find_resources(
        "AWS::S3::Bucket", {"Properties": {"VersioningConfiguration": {"Status": "Enabled"}}}
    )
    (pool,) = template.find_resources("AWS::Cognito::IdentityPool")
    return template, {f"{bucket}.Arn": BUCKET, bucket: "user-files", pool: POOL_ID}


def policies_of_role(template: Template, role_logical_id: str, refs: dict[str, str]) -> list[Any]:
    statements: list[Any] = []
    for policy in template.find_resources("AWS::IAM::Policy").values():
        if {"Ref": role_logical_id} in policy["Properties"]["Roles"]:
            statements += concrete(policy["Properties"]["PolicyDocument"]["Statement"], refs)
    return statements


def context_of(user: dict[str, str]) -> dict[str, str]:
    return {
        "cognito-identity.amazonaws.com:sub": user["identity"],
        "aws:PrincipalTag/sub": user["sub"],
    }


OWNERS = {
    "identity id": (FileOwner.identity_id(), "identity"),
    "user pool sub": (FileOwner.user_pool_sub(), "sub"),
}


@pytest.fixture(scope="module", params=list(OWNERS))
def setup(request: pytest.FixtureRequest) -> tuple[dict[str, list[Any]], str]:
    owner, key = OWNERS[request.param]
    template, refs = synthesized(owner)
    roles = {
        name: logical_id
        for logical_id, role in template.find_resources("AWS::IAM::Role").items()
        for name in ("AuthenticatedRole", "GroupRolesadmins")
        if name in logical_id
    }
    assert set(roles) == {"AuthenticatedRole", "GroupRolesadmins"}
    return {name: policies_of_role(template, lid, refs) for name, lid in roles.items()}, key


ROLES = ["AuthenticatedRole", "GroupRolesadmins"]


def can(statements: list[Any], user: dict[str, str], action: str, key: str) -> bool:
    return is_allowed(statements, Request(action, f"{BUCKET}/{key}", context_of(user)))


def can_list(statements: list[Any], user: dict[str, str], prefix: str | None) -> bool:
    context: dict[str, str] = context_of(user)
    if prefix is not None:
        context["s3:prefix"] = prefix
    return is_allowed(statements, Request("s3:ListBucket", BUCKET, context))


@pytest.mark.parametrize("role", ROLES)
def test_owner_reads_writes_deletes_and_lists_their_private_prefix(
    setup: tuple[dict[str, list[Any]], str], role: str
) -> None:
    policies, key = setup
    statements = policies[role]
    mine = f"private/{A[key]}/notes/today.txt"
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
        assert can(statements, A, action, mine), action
    assert can_list(statements, A, f"private/{A[key]}/")
    assert can_list(statements, A, f"private/{A[key]}/notes/")


@pytest.mark.parametrize("role", ROLES)
def test_no_cross_user_read_write_delete_or_list_on_private(
    setup: tuple[dict[str, list[Any]], str], role: str
) -> None:
    policies, key = setup
    statements = policies[role]
    theirs = f"private/{B[key]}/notes/today.txt"
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
        assert not can(statements, A, action, theirs), action
    assert not can_list(statements, A, f"private/{B[key]}/")
    assert not can_list(statements, A, "private/")  # would reveal every user's id
    assert not can_list(statements, A, None)  # the whole bucket
    # An id that merely starts with A's is someone else's.
    assert not can(statements, A, "s3:GetObject", f"private/{A[key]}x/secret")


@pytest.mark.parametrize("role", ROLES)
def test_protected_is_readable_by_all_and_writable_by_the_owner_only(
    setup: tuple[dict[str, list[Any]], str], role: str
) -> None:
    policies, key = setup
    statements = policies[role]
    bs_file = f"protected/{B[key]}/avatar.png"
    assert can(statements, A, "s3:GetObject", bs_file)
    assert not can(statements, A, "s3:PutObject", bs_file)
    assert not can(statements, A, "s3:DeleteObject", bs_file)
    assert can(statements, B, "s3:PutObject", bs_file)
    assert can(statements, B, "s3:DeleteObject", bs_file)
    assert can_list(statements, A, f"protected/{B[key]}/")
    # Nobody writes straight under protected/ (outside an id).
    assert not can(statements, A, "s3:PutObject", "protected/loose.txt")


@pytest.mark.parametrize("role", ROLES)
def test_public_is_shared_by_signed_in_users(
    setup: tuple[dict[str, list[Any]], str], role: str
) -> None:
    policies, _ = setup
    statements = policies[role]
    for user in (A, B):
        for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
            assert can(statements, user, action, "public/board/post.txt"), action
        assert can_list(statements, user, "public/")


@pytest.mark.parametrize("role", ROLES)
def test_nothing_outside_the_three_prefixes(
    setup: tuple[dict[str, list[Any]], str], role: str
) -> None:
    policies, _ = setup
    statements = policies[role]
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
        assert not can(statements, A, action, "other/file"), action
    assert not can_list(statements, A, "other/")
    assert not is_allowed(statements, Request("s3:DeleteBucket", BUCKET, context_of(A)))
    assert not is_allowed(statements, Request("s3:PutBucketPolicy", BUCKET, context_of(A)))


def assume(
    statements: list[Any], aud: str, amr: list[str], action: str = "sts:AssumeRoleWithWebIdentity"
) -> bool:
    context = {"cognito-identity.amazonaws.com:aud": aud, "cognito-identity.amazonaws.com:amr": amr}
    return is_allowed(statements, Request(action, "role", context))


def test_trust_admits_only_signed_in_users_of_this_pool() -> None:
    template, refs = synthesized(FileOwner.identity_id())
    roles = template.find_resources("AWS::IAM::Role")
    assert len(roles) == 2  # authenticated and admins; no guest role
    for role in roles.values():
        trust = concrete(role["Properties"]["AssumeRolePolicyDocument"]["Statement"], refs)
        s = [{**statement, "Resource": "*"} for statement in trust]  # trust has no Resource
        assert assume(s, POOL_ID, ["authenticated", "cognito-idp.eu-west-1.amazonaws.com/x"])
        assert assume(s, POOL_ID, ["authenticated"], "sts:TagSession")
        assert not assume(s, POOL_ID, ["unauthenticated"])
        assert not assume(s, "eu-west-1:another-pool", ["authenticated"])
        assert not assume(s, "eu-west-1:another-pool", ["authenticated"], "sts:TagSession")
        assert not assume(s, POOL_ID, ["authenticated"], "sts:AssumeRole")


KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
VIA_S3 = {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}


def test_a_kms_key_is_usable_through_s3_only_for_reads_and_writes() -> None:
    stack = Stack(new_app(), "Files", env=TEST_ENV)
    bucket = s3.Bucket.from_bucket_attributes(
        stack,
        "Existing",
        bucket_name="user-files",
        encryption_key=kms.Key.from_key_arn(stack, "Key", KEY),
    )
    CognitoAuth(
        stack,
        "Auth",
        identity_pool=IdentityPoolSettings(),
        user_files=UserFilesSettings(existing_bucket=bucket),
    )
    template = Template.from_stack(stack)
    (role,) = template.find_resources("AWS::IAM::Role")
    (pool,) = template.find_resources("AWS::Cognito::IdentityPool")
    refs = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", pool: POOL_ID}
    statements = policies_of_role(template, role, refs)

    def use(action: str, key: str = KEY, context: dict[str, str] | None = None) -> bool:
        return is_allowed(statements, Request(action, key, {**context_of(A), **(context or {})}))

    # What S3 asks KMS for on the user's behalf: reads decrypt, writes generate a data key
    # (multipart uploads decrypt it again to finish).
    assert use("kms:Decrypt", context=VIA_S3)
    assert use("kms:GenerateDataKey", context=VIA_S3)
    # Not by calling KMS directly, nor through S3 in another Region, nor on another key.
    assert not use("kms:Decrypt")
    assert not use("kms:GenerateDataKey")
    assert not use("kms:Decrypt", context={"kms:ViaService": "s3.us-east-1.amazonaws.com"})
    assert not use("kms:Decrypt", context={"kms:ViaService": "dynamodb.eu-west-1.amazonaws.com"})
    assert not use("kms:Decrypt", KEY.replace("1234abcd", "99999999"), VIA_S3)
    # Nothing beyond the two actions.
    for action in (
        "kms:Encrypt",
        "kms:ReEncryptFrom",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:GenerateDataKeyPair",
        "kms:CreateGrant",
        "kms:DescribeKey",
        "kms:PutKeyPolicy",
    ):
        assert not use(action, context=VIA_S3), action
    # The files themselves follow the same per-user rules as on an SSE-S3 bucket.
    mine = f"{BUCKET}/private/{A['identity']}/a.txt"
    theirs = f"{BUCKET}/private/{B['identity']}/b.txt"
    assert is_allowed(statements, Request("s3:GetObject", mine, context_of(A)))
    assert not is_allowed(statements, Request("s3:GetObject", theirs, context_of(A)))
