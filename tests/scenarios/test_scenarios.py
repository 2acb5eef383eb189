"""Whole-stack checks over every scenario: reviewed snapshots, cdk-nag, cfn-lint."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Validations
from aws_cdk.assertions import Template
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import ManualArgs, lint
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from tests.conftest import new_app
from tests.scenarios.builders import SCENARIOS

# Asset hashes change with any byte of a handler; the snapshot is about the template around them.
ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def mask_asset_hashes(template: Any) -> Any:
    return json.loads(ASSET_HASH.sub("<asset-hash>", json.dumps(template)))


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("name", SCENARIOS)
def test_template_matches_the_reviewed_snapshot(
    name: str, snapshot_json: SnapshotAssertion
) -> None:
    stack = SCENARIOS[name](new_app())
    assert mask_asset_hashes(Template.from_stack(stack).to_json()) == snapshot_json


@pytest.mark.parametrize("name", SCENARIOS)
def test_cdk_nag_finds_nothing_unacknowledged(name: str, tmp_path: Path) -> None:
    app = App(
        builtin_cloud_formation_validation=False,
        context={"aws:cdk:bundling-stacks": []},
        outdir=str(tmp_path),
    )
    SCENARIOS[name](app)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    try:
        app.synth()
    except RuntimeError as error:  # the report says which rule and which construct
        report = (tmp_path / "validation-report.json").read_text()
        pytest.fail(f"cdk-nag findings in {name}: {error}\n{report}")
    report = json.loads((tmp_path / "validation-report.json").read_text())
    assert report["pluginReports"] == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_acknowledgement_has_a_reason(name: str) -> None:
    stack = SCENARIOS[name](new_app())
    acknowledged = {
        rule: reason
        for construct in stack.node.find_all()
        for entry in construct.node.metadata
        if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for rule, reason in entry.data.items()
    }
    short = {rule: reason for rule, reason in acknowledged.items() if len(reason.split()) < 5}
    assert short == {}


@pytest.mark.parametrize("name", SCENARIOS)
def test_cfn_lint_reports_no_error(name: str) -> None:
    stack = SCENARIOS[name](new_app())
    template = json.dumps(Template.from_stack(stack).to_json())
    # W3005: CDK's own DependsOn next to an implicit Ref; harmless and not ours to change.
    matches = lint(template, config=ManualArgs(regions=["eu-west-1"], ignore_checks=["W3005"]))
    assert [str(m) for m in matches] == []


# Any property whose name says it holds a secret must be a dynamic reference or an intrinsic.
SECRET_KEY = re.compile(r"(secret|private_?key|password|secretstring)$", re.IGNORECASE)
NOT_SECRETS = {"GenerateSecret", "GenerateSecretString", "SecretStringTemplate", "SecretId"}


def plaintext_secrets(node: Any, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}/{key}"
            if isinstance(value, str) and SECRET_KEY.search(key) and key not in NOT_SECRETS:
                if not value.startswith("{{resolve:"):
                    found.append(here)
            else:
                found.extend(plaintext_secrets(value, here))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found.extend(plaintext_secrets(item, f"{path}[{index}]"))
    return found


def test_the_secret_scan_finds_a_plaintext_secret() -> None:
    template = {"Resources": {"Idp": {"Properties": {"ProviderDetails": {"client_secret": "x"}}}}}
    assert plaintext_secrets(template) == [
        "/Resources/Idp/Properties/ProviderDetails/client_secret"
    ]
    resolved = {"client_secret": "{{resolve:secretsmanager:auth/google:SecretString:::}}"}
    assert plaintext_secrets(resolved) == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_template_holds_a_secret_in_plain_text(name: str) -> None:
    template = Template.from_stack(SCENARIOS[name](new_app())).to_json()
    assert plaintext_secrets(template) == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_role_trusting_cognito_identity_is_bound_to_a_pool_and_amr(name: str) -> None:
    template = Template.from_stack(SCENARIOS[name](new_app())).to_json()
    for logical_id, role in template.get("Resources", {}).items():
        if role["Type"] != "AWS::IAM::Role":
            continue
        for statement in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            if statement.get("Principal", {}).get("Federated") != "cognito-identity.amazonaws.com":
                continue
            conditions = statement.get("Condition", {})
            aud = conditions.get("StringEquals", {}).get("cognito-identity.amazonaws.com:aud")
            amr = conditions.get("ForAnyValue:StringLike", {}).get(
                "cognito-identity.amazonaws.com:amr"
            )
            assert aud, f"{logical_id}: trust without an aud condition"
            assert amr in ("authenticated", "unauthenticated"), f"{logical_id}: amr is {amr!r}"
