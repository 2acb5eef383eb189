"""Your own handler folder as a trigger: requirements installed for Lambda by the local pip,
never Docker."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Template

from constructs_lib import CognitoAuth, ConfigurationError, Triggers
from constructs_lib.own_handler import LocalPipBundling, own_handler_code, own_handler_function
from tests.conftest import new_app


@pytest.fixture
def handler_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "sender"
    folder.mkdir()
    (folder / "app.py").write_text("def handler(event, context):\n    return event\n")
    (folder / "requirements.txt").write_text("# no third-party packages\n")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"stale")
    (folder / "tests").mkdir()
    (folder / "tests" / "test_app.py").write_text("def test(): pass\n")
    return folder


def test_pip_is_asked_for_lambda_wheels_only(handler_dir: Path, tmp_path: Path) -> None:
    commands: list[Sequence[str]] = []
    bundler = LocalPipBundling(
        handler_dir, platform="manylinux2014_aarch64", python="3.14", run=commands.append
    )
    out = tmp_path / "out"
    out.mkdir()
    assert bundler.try_bundle(str(out)) is True
    (command,) = commands
    assert list(command[:4]) == [sys.executable, "-m", "pip", "install"]
    for flag, value in [
        ("--requirement", str(handler_dir / "requirements.txt")),
        ("--target", str(out)),
        ("--platform", "manylinux2014_aarch64"),
        ("--python-version", "3.14"),
        ("--implementation", "cp"),
    ]:
        assert command[command.index(flag) + 1] == value
    assert "--only-binary=:all:" in command
    # The sources are copied beside the packages; bytecode and tests stay behind.
    assert sorted(p.name for p in out.iterdir()) == ["app.py", "requirements.txt"]


def test_no_requirements_file_means_no_pip(handler_dir: Path, tmp_path: Path) -> None:
    (handler_dir / "requirements.txt").unlink()
    commands: list[Sequence[str]] = []
    bundler = LocalPipBundling(handler_dir, platform="p", python="3.14", run=commands.append)
    assert bundler.try_bundle(str(tmp_path)) is True
    assert commands == []
    assert (tmp_path / "app.py").exists()


def test_synth_bundles_locally_without_docker(handler_dir: Path, tmp_path: Path) -> None:
    # Bundling on (no "aws:cdk:bundling-stacks" override): the real pip runs, no Docker.
    app = App(builtin_cloud_formation_validation=False, outdir=str(tmp_path / "cdk.out"))
    stack = Stack(app, "Own")
    own_handler_function(stack, "Sender", folder=handler_dir, handler="app.handler")
    app.synth()
    (asset,) = (tmp_path / "cdk.out").glob("asset.*")
    assert sorted(p.name for p in asset.iterdir()) == ["app.py", "requirements.txt"]


def test_target_platform_is_part_of_the_asset_hash(handler_dir: Path) -> None:
    stack = Stack(new_app(), "Own")
    arm = own_handler_code(handler_dir, architecture=lambda_.Architecture.ARM_64)
    x86 = own_handler_code(handler_dir, architecture=lambda_.Architecture.X86_64)
    hashes = {
        code.bind(Stack(stack, f"Bind{i}")).s3_location.object_key  # type: ignore[union-attr]
        for i, code in enumerate((arm, x86))
    }
    assert len(hashes) == 2


def test_own_handler_is_wired_as_a_trigger_with_its_own_role(
    handler_dir: Path, stack: Stack
) -> None:
    sender = own_handler_function(
        stack, "PreAuth", folder=handler_dir, handler="app.handler", environment={"MODE": "x"}
    )
    CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(own={cognito.UserPoolOperation.PRE_AUTHENTICATION: sender.function}),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "app.handler",
            "Runtime": "python3.14",
            "Architectures": ["arm64"],
            "Timeout": 4,
            "Environment": {"Variables": {"MODE": "x"}},
        },
    )
    (function_id,) = template.find_resources("AWS::Lambda::Function")
    assert function_id.startswith("PreAuthFunction")
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"LambdaConfig": {"PreAuthentication": {"Fn::GetAtt": [function_id, "Arn"]}}},
    )
    for role in template.find_resources("AWS::IAM::Role").values():
        assert "ManagedPolicyArns" not in role["Properties"]


def test_fails_when_the_folder_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="is not a folder"):
        own_handler_code(tmp_path / "missing")
