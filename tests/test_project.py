"""What a new user meets before writing any code: the install instructions, the package
metadata, the documentation that ships, the constructors' signatures, the module structure."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from constructs import Construct

import constructs_lib

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["constructs_lib", "lambda_triggers", "cognito_tokens", "cognito_auth_tools"]


def test_the_license_is_an_spdx_expression_for_a_setuptools_that_reads_it() -> None:
    # A table ({text = ...}) makes setuptools print a deprecation warning on every build.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "Apache-2.0"
    assert project["build-system"]["requires"] == ["setuptools>=77"]


def test_the_readme_install_commands_have_no_placeholder() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "<owner>" not in readme and "<repo>" not in readme
    assert "pip install /path/to/clone" in readme
    assert "pip wheel . --no-deps -w dist" in readme
    assert "pip install dist/cognito_auth_constructs-*.whl" in readme


def test_no_shipped_file_cites_a_file_that_ships_in_neither_the_repository_nor_the_wheel() -> None:
    cited = re.compile(r"\b[A-Z][A-Z_]+\.md\b")
    citing = {
        f"{path.relative_to(ROOT)}: {match}"
        for package in SHIPPED
        for path in (ROOT / package).rglob("*.py")
        for match in cited.findall(path.read_text())
        if not (ROOT / match).exists()
    }
    assert citing == set()


def test_every_exported_construct_shows_its_real_arguments() -> None:
    constructs = [
        value
        for value in vars(constructs_lib).values()
        if isinstance(value, type) and issubclass(value, Construct)
    ]
    assert constructs_lib.CognitoAuth in constructs
    for construct in constructs:
        parameters = inspect.signature(construct).parameters
        assert list(parameters)[:2] == ["scope", "construct_id"], construct.__name__
        assert not any(p.kind is p.VAR_KEYWORD for p in parameters.values()), construct.__name__
    arguments = inspect.signature(constructs_lib.CognitoAuth).parameters
    assert {"user_pool", "clients", "triggers", "identity_providers"} <= set(arguments)
    assert arguments["user_pool"].kind is inspect.Parameter.KEYWORD_ONLY


def test_defaults_do_not_import_the_clients_module() -> None:
    # defaults.py and clients.py imported each other, the circle hidden by a lazy import.
    source = (ROOT / "constructs_lib" / "defaults.py").read_text()
    assert "constructs_lib.clients" not in source
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, importlib.util;"
            "spec = importlib.util.spec_from_file_location('d', 'constructs_lib/defaults.py');"
            "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module);"
            "print(sorted(m for m in sys.modules if m.startswith('constructs_lib')))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_the_readme_cdk_nag_example_synthesizes_with_its_acknowledgement(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### cdk-nag in your own app", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "Validations.of(app).add_plugins(AwsSolutionsChecks(app))" in code
    assert "acknowledge(\n    Acknowledgment(\n        id=" in code
    # The example as written, synthesized offline into a temporary folder.
    exec(compile(_into(code, tmp_path), "README.md", "exec"), {})  # raises on any finding
    report = tmp_path / "validation-report.json"
    assert json.loads(report.read_text())["pluginReports"] == []
    # Without the acknowledgement, the same app fails: the example's id is a real finding.
    failing = code.replace("Validations.of(api.role).acknowledge(", "print(")
    with pytest.raises(RuntimeError, match="AwsSolutions-IAM4"):
        exec(compile(_into(failing, tmp_path / "failing"), "README.md", "exec"), {})


def _into(code: str, outdir: Path) -> str:
    assert "app = App()" in code
    return code.replace("app = App()", f"app = App(outdir={str(outdir)!r})")
