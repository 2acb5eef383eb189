"""``cognito-auth check-update``: exit codes, one line per finding, JSON, usage errors, and no
``aws_cdk`` import."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from cognito_auth_tools import update_guard
from cognito_auth_tools.cli import main
from constructs_lib import CognitoAuth, Group, UserPoolSettings
from tests.conftest import TEST_ENV, new_app
from tests.tools.test_update_guard import write_assembly

ROOT = Path(__file__).resolve().parents[2]


def synth(groups: list[str]) -> dict[str, Any]:
    stack = Stack(new_app(), "AuthStack", env=TEST_ENV)
    CognitoAuth(stack, "Auth", user_pool=UserPoolSettings(groups=[Group(name=g) for g in groups]))
    template: dict[str, Any] = Template.from_stack(stack).to_json()
    return template


@pytest.fixture(scope="module")
def templates() -> tuple[dict[str, Any], dict[str, Any]]:
    return synth(["admins"]), synth([])


def write(path: Path, template: dict[str, Any]) -> str:
    path.write_text(json.dumps(template))
    return str(path)


def test_exits_0_with_a_one_line_summary_when_safe(
    tmp_path: Path, templates: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = templates
    code = main(["check-update", write(tmp_path / "a.json", old), write(tmp_path / "b.json", old)])
    assert code == 0
    assert capsys.readouterr().out == (
        "check-update: no change that loses users or fails in 1 stack\n"
    )


def test_exits_1_with_one_line_per_finding(
    tmp_path: Path, templates: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = templates
    code = main(
        ["check-update", write(tmp_path / "old.json", old), write(tmp_path / "AuthStack.json", new)]
    )
    (line,) = capsys.readouterr().out.splitlines()
    group = next(
        k for k, v in old["Resources"].items() if v["Type"] == "AWS::Cognito::UserPoolGroup"
    )
    assert code == 1
    assert line.startswith(
        f"AuthStack {group} AWS::Cognito::UserPoolGroup -: removed from the template"
    )
    assert line == (
        f"AuthStack {group} AWS::Cognito::UserPoolGroup -: removed from the template: "
        f"CloudFormation deletes the old one, with every membership. "
        f"Do: keep the resource in the app (logical ID {group}); to really start a new pool, move "
        f"users with the user-migration trigger (README, 'Moving users to a new pool')"
    )
    assert "((" not in line


def test_compares_cdk_out_folders_stack_by_stack_as_json(
    tmp_path: Path, templates: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = templates
    write_assembly(tmp_path / "old", {"AuthStack": old, "Api": {"Resources": {}}})
    write_assembly(tmp_path / "new", {"AuthStack": new, "Api": {"Resources": {}}})
    code = main(["check-update", str(tmp_path / "old"), str(tmp_path / "new"), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (document["ok"], document["stacks"]) == (False, 2)
    (finding,) = document["findings"]
    assert set(finding) == {
        "stack",
        "logical_id",
        "resource_type",
        "property",
        "kind",
        "happens",
        "action",
    }
    assert (finding["stack"], finding["resource_type"], finding["kind"]) == (
        "AuthStack",
        "AWS::Cognito::UserPoolGroup",
        "removed",
    )


def test_a_folder_without_manifest_is_read_as_its_template_files(
    tmp_path: Path, templates: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = templates
    for name in ("old", "new"):
        (tmp_path / name).mkdir()
        write(tmp_path / name / "AuthStack.template.json", old)
    assert main(["check-update", str(tmp_path / "old"), str(tmp_path / "new"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "stacks": 1, "findings": []}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: str(p / "missing.json"), "missing.json does not exist"),
        (lambda p: write_text(p / "bad.json", "{not json"), "bad.json is not JSON: "),
        (lambda p: write_text(p / "list.json", "[]"), "is not a CloudFormation template"),
        (lambda p: write_text(p / "empty.json", "{}"), "(no Resources object)"),
    ],
)
def test_fails_with_exit_2_and_one_line_when_old_cannot_be_read(
    tmp_path: Path, templates: Any, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    new = write(tmp_path / "new.json", templates[0])
    code = main(["check-update", make(tmp_path), new])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("cognito-auth check-update: ") and message in err


def test_fails_with_exit_2_and_one_line_when_new_is_missing(
    tmp_path: Path, templates: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check-update", write(tmp_path / "old.json", templates[0])])
    assert caught.value.code == 2
    assert capsys.readouterr().err == (
        "cognito-auth check-update: the following arguments are required: NEW (see --help)\n"
    )


def test_fails_with_exit_2_when_a_file_is_compared_with_a_folder(
    tmp_path: Path, templates: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    write_assembly(tmp_path / "new", {"AuthStack": templates[0]})
    code = main(["check-update", write(tmp_path / "old.json", templates[0]), str(tmp_path / "new")])
    assert code == 2
    assert capsys.readouterr().err == (
        "cognito-auth check-update: OLD and NEW must both be template files or both cdk.out "
        "folders\n"
    )


def test_fails_with_exit_2_and_the_install_command_without_cfn_lint(
    tmp_path: Path, templates: Any, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    real = update_guard.importlib.util.find_spec
    monkeypatch.setattr(
        update_guard.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "cfnlint" else real(name, *a),
    )
    update_guard.create_only_properties.cache_clear()
    update_guard._provider_index.cache_clear()
    try:
        old = write(tmp_path / "old.json", templates[0])
        code = main(["check-update", old, old])
    finally:
        update_guard.create_only_properties.cache_clear()
        update_guard._provider_index.cache_clear()
    assert code == 2
    assert capsys.readouterr().err == (
        "cognito-auth check-update: check-update reads create-only properties from cfn-lint's "
        "registry schemas, and cfn-lint is not installed: "
        "pip install 'cognito-auth-constructs[update-guard]'\n"
    )


def test_runs_without_aws_cdk_and_without_importing_cfn_lint(
    tmp_path: Path, templates: Any
) -> None:
    old, new = (
        write(tmp_path / "old.json", templates[0]),
        write(tmp_path / "new.json", templates[1]),
    )
    code = textwrap.dedent(
        f"""
        import sys

        class Blocker:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("aws_cdk", "constructs", "constructs_lib", "jsii"):
                    raise ImportError(f"blocked import of {{name}}")
                return None

        sys.meta_path.insert(0, Blocker())
        sys.path.insert(0, {str(ROOT)!r})
        from cognito_auth_tools.cli import main
        import cognito_auth_tools.testing  # the pytest helper needs no CDK either
        code = main(["check-update", {old!r}, {new!r}])
        assert "cfnlint" not in sys.modules, "only cfn-lint's data files are read"
        sys.exit(code)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1, result.stderr
    assert "AWS::Cognito::UserPoolGroup -: removed" in result.stdout


def write_text(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)
