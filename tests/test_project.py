"""What a new user meets before writing any code: the install instructions, the package
metadata, the documentation that ships, the constructors' signatures, the module structure."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import tomllib
from pathlib import Path

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
