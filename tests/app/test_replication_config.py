"""The example app's ``replication`` section: off as shipped, ``-c`` turns it on."""

from __future__ import annotations

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from app import build_app
from constructs_lib import ConfigurationError
from constructs_lib.app_config import merge_context, parse_app_config
from tests.scenarios.builders import shipped_context


def test_replication_is_off_as_shipped() -> None:
    config = parse_app_config(merge_context(shipped_context()))
    assert config.replication is None


def test_a_context_override_turns_it_on() -> None:
    context = {**shipped_context(), "cognito_auth.replication.enabled": "true"}
    config = parse_app_config(merge_context(context))
    assert config.replication is not None
    assert list(config.replication.regions) == ["us-west-2"]


def test_unknown_replication_keys_are_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"replication: unknown key\(s\) region; known"):
        parse_app_config({"replication": {"enabled": True, "region": "us-west-2"}})


def test_fails_when_enabled_without_regions() -> None:
    with pytest.raises(ConfigurationError, match="replication is enabled, so name the replica"):
        parse_app_config({"replication": {"enabled": True}})


def test_fails_when_regions_are_not_strings() -> None:
    with pytest.raises(ConfigurationError, match="regions: expected a list of strings"):
        parse_app_config({"replication": {"enabled": True, "regions": [2]}})


def test_the_example_app_with_replication_defines_the_replica_region_stacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CDK_DEFAULT_ACCOUNT", "123456789012")
    monkeypatch.setenv("CDK_DEFAULT_REGION", "eu-west-1")
    context = {
        **shipped_context(),
        "cognito_auth.replication.enabled": "true",
        "aws:cdk:bundling-stacks": [],
    }
    app = build_app(context, nag=False, builtin_cloud_formation_validation=False)
    stacks = {c.node.id: c.region for c in app.node.children if isinstance(c, Stack)}
    assert stacks == {
        "CognitoAuthExample": "eu-west-1",
        "CognitoAuthExampleReplicaKeyUsWest2": "us-west-2",
        "CognitoAuthExampleReplicas": "eu-west-1",
        "CognitoAuthExampleReplicaUsWest2": "us-west-2",
    }
    primary = app.node.find_child("CognitoAuthExample")
    assert isinstance(primary, Stack)
    outputs = Template.from_stack(primary).to_json()["Outputs"]
    assert outputs["IssuerType"]["Value"] == "updated"
    assert "UserPoolEndpointUsWest2" in outputs


def test_the_example_app_with_replication_needs_an_explicit_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CDK_DEFAULT_ACCOUNT", raising=False)
    monkeypatch.delenv("CDK_DEFAULT_REGION", raising=False)
    context = {**shipped_context(), "cognito_auth.replication.enabled": "true"}
    with pytest.raises(ConfigurationError, match="explicit account and Region"):
        build_app(context, nag=False, builtin_cloud_formation_validation=False)
