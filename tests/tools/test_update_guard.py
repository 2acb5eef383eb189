"""The update guard on real synthesized templates: scenarios from tests/scenarios/builders.py
and CognitoAuth stacks that differ in one setting, old (deployed) against new."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import App, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from cognito_auth_tools import update_guard
from cognito_auth_tools.testing import UnsafeUpdateError, assert_safe_update
from cognito_auth_tools.update_guard import Finding, compare_templates, create_only_properties
from constructs_lib import CognitoAuth, Group, UserPoolSettings
from constructs_lib.domain import HostedUiDomain
from tests.conftest import TEST_ENV, new_app
from tests.scenarios.builders import SCENARIOS

POOL = "AWS::Cognito::UserPool"


def synth(
    settings: UserPoolSettings | None = None, *, construct_id: str = "Auth", **kw: Any
) -> dict[str, Any]:
    stack = Stack(new_app(), "AuthStack", env=TEST_ENV)
    CognitoAuth(stack, construct_id, user_pool=settings, **kw)
    template: dict[str, Any] = Template.from_stack(stack).to_json()
    return template


def scenario(name: str) -> dict[str, Any]:
    template: dict[str, Any] = Template.from_stack(SCENARIOS[name](new_app())).to_json()
    return template


def logical_id(template: dict[str, Any], resource_type: str) -> str:
    (found,) = [k for k, v in template["Resources"].items() if v["Type"] == resource_type]
    return found


def summary(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return sorted((f.resource_type, f.property, f.kind) for f in findings)


@pytest.fixture(scope="module")
def baseline() -> dict[str, Any]:
    return synth(UserPoolSettings(groups=[Group(name="admins")]))


# Safe changes ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_is_a_safe_update_of_itself(name: str) -> None:
    template = scenario(name)
    assert compare_templates(template, copy.deepcopy(template), stack=name) == []


def test_a_new_group_and_an_mfa_change_pass(baseline: dict[str, Any]) -> None:
    new = synth(
        UserPoolSettings(
            groups=[Group(name="admins"), Group(name="editors", precedence=5)],
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=True),
        )
    )
    assert new != baseline  # the templates really differ
    assert compare_templates(baseline, new) == []


def test_a_new_custom_attribute_passes() -> None:
    old = synth(
        UserPoolSettings(custom_attributes={"tenant_id": cognito.StringAttribute(max_len=36)})
    )
    new = synth(
        UserPoolSettings(
            custom_attributes={
                "tenant_id": cognito.StringAttribute(max_len=36),
                "plan": cognito.StringAttribute(max_len=20, mutable=True),
            }
        )
    )
    assert compare_templates(old, new) == []


# Harmful changes ------------------------------------------------------------------------


def test_fails_when_the_pool_gets_a_new_construct_id_and_says_it_is_a_rename(
    baseline: dict[str, Any],
) -> None:
    new = synth(UserPoolSettings(groups=[Group(name="admins")]), construct_id="Auth2")
    findings = compare_templates(baseline, new, stack="AuthStack")
    (pool,) = [f for f in findings if f.resource_type == POOL]
    new_pool = logical_id(new, POOL)
    assert (pool.logical_id, pool.kind, pool.property) == (
        logical_id(baseline, POOL),
        "renamed",
        "-",
    )
    assert pool.happens.startswith(f"renamed to {new_pool} (a new logical ID)")
    assert "every user and password" in pool.happens
    assert "retained but orphaned" in pool.happens
    assert "user-migration trigger" in pool.action
    # The group and the web client move with it: each a rename of its own.
    assert {f.resource_type for f in findings if f.kind == "renamed"} >= {
        POOL,
        "AWS::Cognito::UserPoolGroup",
        "AWS::Cognito::UserPoolClient",
    }
    assert pool.line().startswith(f"AuthStack {pool.logical_id} {POOL} -: renamed to {new_pool}")


def test_fails_when_a_group_is_removed(baseline: dict[str, Any]) -> None:
    findings = compare_templates(baseline, synth())
    assert summary(findings) == [("AWS::Cognito::UserPoolGroup", "-", "removed")]
    assert "every membership" in findings[0].happens


def test_fails_when_the_sign_in_aliases_change() -> None:
    old = synth(UserPoolSettings(sign_in_aliases=cognito.SignInAliases(email=True)))
    new = synth(UserPoolSettings(sign_in_aliases=cognito.SignInAliases(email=True, phone=True)))
    findings = compare_templates(old, new)
    assert summary(findings) == [(POOL, "UsernameAttributes", "update-fails")]
    assert findings[0].happens == (
        "Cognito cannot change sign-in attributes of an existing pool: the update fails and the "
        'stack rolls back (the pool is not replaced) (["email"] -> ["email", "phone_number"])'
    )


def test_fails_when_usernames_become_aliases() -> None:
    old = synth(UserPoolSettings(sign_in_aliases=cognito.SignInAliases(email=True)))
    new = synth(UserPoolSettings(sign_in_aliases=cognito.SignInAliases(username=True, email=True)))
    assert summary(compare_templates(old, new)) == [
        (POOL, "AliasAttributes", "update-fails"),
        (POOL, "UsernameAttributes", "update-fails"),
    ]


def test_fails_when_case_sensitivity_changes() -> None:
    findings = compare_templates(synth(), synth(UserPoolSettings(sign_in_case_sensitive=True)))
    assert summary(findings) == [(POOL, "UsernameConfiguration", "update-fails")]


def test_fails_when_a_custom_attribute_definition_changes_or_is_removed() -> None:
    old = synth(
        UserPoolSettings(
            custom_attributes={
                "tenant_id": cognito.StringAttribute(max_len=36, mutable=False),
                "seats": cognito.NumberAttribute(min=1, max=10, mutable=True),
            }
        )
    )
    new = synth(
        UserPoolSettings(
            custom_attributes={"tenant_id": cognito.StringAttribute(max_len=64, mutable=True)}
        )
    )
    findings = compare_templates(old, new)
    assert summary(findings) == [
        (POOL, "Schema[seats]", "update-fails"),
        (POOL, "Schema[tenant_id].Mutable", "update-fails"),
        (POOL, "Schema[tenant_id].StringAttributeConstraints", "update-fails"),
    ]
    (removed,) = [f for f in findings if f.property == "Schema[seats]"]
    assert removed.happens.startswith("custom attribute 'seats' removed: Cognito cannot change")


def test_fails_when_a_standard_attribute_becomes_required() -> None:
    new = synth(
        UserPoolSettings(
            standard_attributes={
                "email": cognito.StandardAttribute(required=True, mutable=True),
                "name": cognito.StandardAttribute(required=True, mutable=True),
            }
        )
    )
    findings = compare_templates(synth(), new)
    assert summary(findings) == [(POOL, "Schema[name].Required", "update-fails")]
    assert findings[0].happens.endswith("(false -> true)")


def test_fails_when_retention_and_deletion_protection_are_dropped() -> None:
    new = synth(UserPoolSettings(removal_policy=RemovalPolicy.DESTROY, deletion_protection=False))
    findings = compare_templates(synth(), new)
    assert summary(findings) == [
        (POOL, "DeletionPolicy", "retain-dropped"),
        (POOL, "DeletionProtection", "protection-dropped"),
        (POOL, "UpdateReplacePolicy", "retain-dropped"),
    ]


def test_fails_when_the_domain_prefix_changes() -> None:
    old = synth(domain=HostedUiDomain.cognito_prefix("example-auth-one"))
    new = synth(domain=HostedUiDomain.cognito_prefix("example-auth-two"))
    findings = compare_templates(old, new)
    assert summary(findings) == [("AWS::Cognito::UserPoolDomain", "Domain", "replaced")]
    assert findings[0].happens.startswith(
        'create-only property changed ("example-auth-one" -> "example-auth-two"): '
        "CloudFormation replaces the resource"
    )


def test_fails_when_a_client_starts_generating_a_secret(baseline: dict[str, Any]) -> None:
    new = copy.deepcopy(baseline)
    client = logical_id(new, "AWS::Cognito::UserPoolClient")
    new["Resources"][client]["Properties"]["GenerateSecret"] = True
    (finding,) = compare_templates(baseline, new)
    assert (finding.logical_id, finding.property, finding.kind) == (
        client,
        "GenerateSecret",
        "replaced",
    )
    assert "the client id" in finding.happens


def test_a_stack_missing_from_new_reports_its_stateful_resources(
    tmp_path: Any, baseline: dict[str, Any]
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    write_assembly(old, {"AuthStack": baseline, "Other": {"Resources": {}}})
    write_assembly(new, {"Other": {"Resources": {}}})
    findings, stacks = update_guard.compare(old, new)
    assert stacks == 2
    assert {f.stack for f in findings} == {"AuthStack"}
    assert POOL in {f.resource_type for f in findings}


def test_fails_when_a_table_loses_deletion_protection_in_the_example_app() -> None:
    old = scenario("example")
    new = copy.deepcopy(old)
    table = next(
        k for k, v in new["Resources"].items() if v["Type"] == "AWS::DynamoDB::GlobalTable"
    )
    new["Resources"][table]["Properties"]["Replicas"][0]["DeletionProtectionEnabled"] = False
    (finding,) = compare_templates(old, new, stack="Example")
    assert (finding.logical_id, finding.kind) == (table, "protection-dropped")
    assert finding.property == 'Replicas[{"Ref": "AWS::Region"}].DeletionProtectionEnabled'


def test_fails_when_the_example_app_drops_its_claims_table() -> None:
    old = scenario("example")
    new = copy.deepcopy(old)
    table = next(k for k in new["Resources"] if k.startswith("UserClaims"))
    del new["Resources"][table]
    (finding,) = compare_templates(old, new, stack="Example")
    assert (finding.logical_id, finding.resource_type, finding.kind) == (
        table,
        "AWS::DynamoDB::GlobalTable",
        "removed",
    )
    assert finding.happens == (
        "removed from the template: the old one is retained but orphaned: no longer managed, no "
        "longer used, with every item"
    )


def test_fails_when_a_log_group_of_the_example_app_gets_a_new_logical_id() -> None:
    old = scenario("example")
    new = copy.deepcopy(old)
    logs = next(k for k, v in new["Resources"].items() if v["Type"] == "AWS::Logs::LogGroup")
    new["Resources"]["Moved" + logs] = new["Resources"].pop(logs)
    (finding,) = compare_templates(old, new)
    assert (finding.logical_id, finding.kind) == (logs, "renamed")
    assert finding.happens.startswith(f"renamed to Moved{logs} (a new logical ID)")


# The registry schemas --------------------------------------------------------------------


def test_create_only_properties_come_from_the_registry_schemas() -> None:
    assert create_only_properties(POOL) == ()
    assert "GenerateSecret" in create_only_properties("AWS::Cognito::UserPoolClient")
    assert "Domain" in create_only_properties("AWS::Cognito::UserPoolDomain")
    assert "GroupName" in create_only_properties("AWS::Cognito::UserPoolGroup")
    assert create_only_properties("AWS::Not::AType") == ()


# The pytest helper -----------------------------------------------------------------------


def test_assert_safe_update_passes_a_safe_change(baseline: dict[str, Any]) -> None:
    assert_safe_update(baseline, synth(UserPoolSettings(groups=[Group(name="admins")])))


def test_assert_safe_update_fails_with_every_finding(baseline: dict[str, Any]) -> None:
    with pytest.raises(UnsafeUpdateError, match=r"1 harmful change\(s\):\n  template ") as caught:
        assert_safe_update(baseline, synth())
    assert isinstance(caught.value, AssertionError)
    assert [f.kind for f in caught.value.findings] == ["removed"]


# Helpers shared with the CLI tests -------------------------------------------------------


def write_assembly(folder: Any, stacks: dict[str, dict[str, Any]]) -> None:
    """A cdk.out folder: manifest.json naming each stack's template file."""
    import json

    folder.mkdir(parents=True)
    artifacts: dict[str, Any] = {}
    for name, template in stacks.items():
        file_name = f"{name}.template.json"
        (folder / file_name).write_text(json.dumps(template))
        artifacts[name] = {
            "type": "aws:cloudformation:stack",
            "displayName": name,
            "properties": {"templateFile": file_name},
        }
    (folder / "manifest.json").write_text(json.dumps({"version": "43.0.0", "artifacts": artifacts}))


def _unused(_: Callable[[App], Stack]) -> None:  # keeps the App import meaningful to mypy
    return None


# Replication, issuer and key ------------------------------------------------------------


def replicated(regions: list[str] | None) -> dict[str, dict[str, Any]]:
    """Every stack of an app whose pool (with a claims table) is replicated to ``regions``
    (``None``: no replication at all), by stack name."""
    from constructs_lib import ClaimsTable, PreTokenGeneration, Triggers
    from constructs_lib.replication import Replication

    app = new_app()
    stack = Stack(app, "Replicated", env=TEST_ENV)
    claims = ClaimsTable(stack, "UserClaims")
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(groups=[Group(name="users")]),
        triggers=Triggers(pre_token_generation=PreTokenGeneration(claims_table=claims)),
        replication=None if regions is None else Replication(regions=regions),
    )
    stacks = [c for c in app.node.children if isinstance(c, Stack)]
    return {s.stack_name: Template.from_stack(s).to_json() for s in stacks}


@pytest.fixture(scope="module")
def west() -> dict[str, dict[str, Any]]:
    return replicated(["us-west-2"])


def test_fails_when_the_replica_region_changes_and_gives_the_replica_procedure(
    west: dict[str, dict[str, Any]],
) -> None:
    old, new = west["ReplicatedReplicas"], replicated(["us-east-2"])["ReplicatedReplicas"]
    findings = compare_templates(old, new, stack="ReplicatedReplicas")
    assert summary(findings) == [("AWS::Cognito::UserPoolReplica", "-", "replica-moved")]
    (moved,) = findings
    assert moved.happens.startswith('replica "us-west-2" replaced by ')
    assert moved.action == update_guard.REPLICA_MOVED
    assert "Replication(regions=[])" in moved.action
    assert "user-migration" not in moved.action and "construct ID" not in moved.action


def test_fails_when_a_replica_s_region_name_changes_in_place(
    west: dict[str, dict[str, Any]],
) -> None:
    old = west["ReplicatedReplicas"]
    new = copy.deepcopy(old)
    replica = logical_id(new, "AWS::Cognito::UserPoolReplica")
    new["Resources"][replica]["Properties"]["RegionName"] = "eu-west-1"
    (finding,) = compare_templates(old, new)
    assert (finding.logical_id, finding.property, finding.kind) == (
        replica,
        "RegionName",
        "replica-moved",
    )
    assert finding.happens.startswith('replica Region changed ("us-west-2" -> "eu-west-1")')
    assert finding.action == update_guard.REPLICA_MOVED


def test_fails_when_replication_is_turned_off_and_says_the_primary_keeps_the_users(
    west: dict[str, dict[str, Any]],
) -> None:
    old = west["ReplicatedReplicas"]
    (finding,) = compare_templates(old, {"Resources": {}})
    assert (finding.resource_type, finding.kind) == ("AWS::Cognito::UserPoolReplica", "removed")
    assert finding.happens == (
        'replica "us-west-2" removed from the template: CloudFormation deletes the secondary '
        "pool there (the primary keeps every user)"
    )
    assert finding.action == update_guard.REPLICA_REMOVED


def test_fails_when_the_replica_key_stack_is_removed(west: dict[str, dict[str, Any]]) -> None:
    old = west["ReplicatedReplicaKeyUsWest2"]
    findings = compare_templates(old, {"Resources": {}})
    assert summary(findings) == [("AWS::KMS::ReplicaKey", "-", "removed")]
    assert findings[0].happens == (
        "removed from the template: the old one is retained but orphaned: no longer managed, no "
        "longer used, with the key in its Region: the replica pool and tables there cannot "
        "decrypt their data without it"
    )


def test_fails_when_the_claims_table_loses_its_replica_region(
    west: dict[str, dict[str, Any]],
) -> None:
    old, new = west["Replicated"], replicated([])["Replicated"]
    findings = compare_templates(old, new, stack="Replicated")
    table = logical_id(old, "AWS::DynamoDB::GlobalTable")
    assert [(f.logical_id, f.property, f.kind) for f in findings] == [
        (table, "Replicas[us-west-2]", "removed")
    ]
    assert "deletes that Region's copy of the table" in findings[0].happens


def test_fails_when_replication_switches_the_pool_to_the_updated_issuer_and_its_own_key(
    west: dict[str, dict[str, Any]],
) -> None:
    findings = compare_templates(replicated(None)["Replicated"], west["Replicated"])
    pool = [f for f in findings if f.resource_type == POOL]
    assert summary(pool) == [
        (POOL, "IssuerConfiguration", "issuer-changed"),
        (POOL, "KeyConfiguration", "key-changed"),
    ]
    issuer, key = sorted(pool, key=lambda f: f.property)
    assert issuer.happens.startswith(
        'the iss claim of every new token changes ({"Type": "ORIGINAL"} -> {"Type": "UPDATED"}; '
    )
    assert "MultiIssuerVerifier" in issuer.action and "issuer_type" in issuer.action
    assert issuer.action.endswith(
        "the Cognito documentation does not say this can be switched back: plan it as one-way"
    )
    assert key.happens.startswith('the key that encrypts the pool\'s data changes ({"KeyType": ')
    assert '"CUSTOMER_MANAGED_KEY"' in key.happens


def test_fails_when_the_issuer_is_switched_back_to_the_original(
    baseline: dict[str, Any],
) -> None:
    old = copy.deepcopy(baseline)
    pool = logical_id(old, POOL)
    old["Resources"][pool]["Properties"]["IssuerConfiguration"] = {"Type": "UPDATED"}
    (finding,) = compare_templates(old, baseline)
    assert (finding.property, finding.kind) == ("IssuerConfiguration", "issuer-changed")
    assert '({"Type": "UPDATED"} -> {"Type": "ORIGINAL"}' in finding.happens


def test_an_explicit_original_issuer_and_aws_owned_key_pass(baseline: dict[str, Any]) -> None:
    new = copy.deepcopy(baseline)
    properties = new["Resources"][logical_id(new, POOL)]["Properties"]
    properties["IssuerConfiguration"] = {"Type": "ORIGINAL"}
    properties["KeyConfiguration"] = {"KeyType": "AWS_OWNED_KEY"}
    assert compare_templates(baseline, new) == []


def test_every_type_the_library_retains_is_stateful(west: dict[str, dict[str, Any]]) -> None:
    retained = {
        resource["Type"]
        for stacks in (west, {n: scenario(n) for n in SCENARIOS})
        for template in stacks.values()
        for resource in template["Resources"].values()
        if resource.get("DeletionPolicy") == "Retain"
    }
    assert retained - update_guard.STATEFUL_TYPES == set()
    assert "AWS::KMS::ReplicaKey" in retained
