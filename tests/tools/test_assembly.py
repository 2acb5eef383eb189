"""Both template-reading commands find the same stacks in a ``cdk.out``, stages included, and
refuse a broken manifest with exit 2 and one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cognito_auth_tools.assembly import AssemblyError, stack_templates
from cognito_auth_tools.cli import main
from cognito_auth_tools.cost import load_templates
from cognito_auth_tools.update_guard import load_stacks

POOL = {"Type": "AWS::Cognito::UserPool", "Properties": {"UserPoolTier": "ESSENTIALS"}}


def _write(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value))


def _stack(template_file: str, display_name: str) -> dict[str, Any]:
    return {
        "type": "aws:cloudformation:stack",
        "displayName": display_name,
        "properties": {"templateFile": template_file},
    }


@pytest.fixture
def staged_assembly(tmp_path: Path) -> Path:
    """An app stack at the top and a stage's stack in its nested assembly, as `cdk synth` lays
    them out."""
    out = tmp_path / "cdk.out"
    _write(out / "App.template.json", {"Resources": {}})
    _write(out / "assembly-Prod" / "ProdAuth.template.json", {"Resources": {"Pool": POOL}})
    _write(
        out / "assembly-Prod" / "manifest.json",
        {"artifacts": {"ProdAuth": _stack("ProdAuth.template.json", "Prod/Auth")}},
    )
    _write(
        out / "manifest.json",
        {
            "artifacts": {
                "App": _stack("App.template.json", "App"),
                "assembly-Prod": {
                    "type": "cdk:cloud-assembly",
                    "properties": {"directoryName": "assembly-Prod"},
                },
                "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
            }
        },
    )
    return out


def test_the_stacks_of_a_stage_are_found_by_both_commands(staged_assembly: Path) -> None:
    assert [name for name, _ in stack_templates(staged_assembly)] == ["App", "Prod/Auth"]
    assert list(load_stacks(staged_assembly)) == ["App", "Prod/Auth"]
    files = [Path(name).name for name, _ in load_templates([staged_assembly])]
    assert files == ["App.template.json", "ProdAuth.template.json"]


def test_the_cost_of_a_stage_pool_is_estimated(
    staged_assembly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cost", str(staged_assembly), "--mau", "20000", "--json"]) == 0
    estimate = json.loads(capsys.readouterr().out)
    assert estimate["total"] == 150  # the stage's pool: 10,000 MAU above the free 10,000


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("{not json", "manifest.json is not JSON: "),
        (json.dumps({"artifacts": {"S": {"type": "aws:cloudformation:stack"}}}), "names no file"),
    ],
)
@pytest.mark.parametrize("command", ["cost", "check-update"])
def test_a_broken_manifest_fails_with_exit_2_and_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    manifest: str,
    message: str,
    command: str,
) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "manifest.json").write_text(manifest)
    with pytest.raises(AssemblyError, match=message):
        stack_templates(out)
    second = [str(out)] if command == "check-update" else ["--mau", "1"]
    args = [command, str(out), *second]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err and message in err
