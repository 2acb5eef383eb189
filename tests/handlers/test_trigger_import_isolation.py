"""Each trigger imports, and its pure paths run, with the CDK and boto3 out of reach.

A subprocess installs a meta-path finder that refuses ``aws_cdk``, ``constructs``,
``constructs_lib``, ``boto3`` and ``botocore``, then imports the trigger both ways it is loaded:
as ``lambda_triggers.<module>`` (wheel, tests) and as a top-level module with the folder as the
code root (the Lambda runtime). Importing must do no work that needs those packages; the cost in
milliseconds is measured in ``bench/handlers.py``, not asserted here.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "pre_token_generation",
    "pre_sign_up",
    "post_confirmation",
    "custom_message",
    "user_migration",
    "inbound_federation",
]

BLOCKER = textwrap.dedent(
    """
    import sys

    BLOCKED = ("aws_cdk", "constructs", "constructs_lib", "boto3", "botocore")

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked import of {name}")
            return None

    sys.meta_path.insert(0, Blocker())
    """
)


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("module", MODULES)
def test_imports_as_a_package_module_without_cdk_or_boto3(module: str) -> None:
    result = run(
        f"""
        sys.path.insert(0, {str(ROOT)!r})
        import lambda_triggers.{module} as m
        assert callable(m.handler)
        leaked = sorted(n for n in sys.modules if n.split(".")[0] in BLOCKED)
        assert not leaked, leaked
        """
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", MODULES)
def test_imports_with_the_folder_as_the_lambda_code_root(module: str) -> None:
    result = run(
        f"""
        sys.path.insert(0, {str(ROOT / "lambda_triggers")!r})
        import {module} as m
        assert m.__name__ == {module!r} and "lambda_triggers" not in sys.modules
        assert callable(m.handler)
        """
    )
    assert result.returncode == 0, result.stderr


def test_pure_paths_run_without_boto3() -> None:
    """Custom messages and a table-less pre token generation never touch boto3."""
    result = run(
        f"""
        import json, os
        sys.path.insert(0, {str(ROOT / "lambda_triggers")!r})
        os.environ["MESSAGE_SIGN_UP_EMAIL_MESSAGE"] = "Code ${{code}}"
        os.environ["ALLOWED_EMAIL_DOMAINS"] = "example.com"
        import custom_message, inbound_federation, pre_sign_up, pre_token_generation
        events = {str(ROOT / "tests" / "events")!r}
        def load(name):
            with open(os.path.join(events, name + ".json")) as f:
                return json.load(f)
        out = custom_message.handler(load("custom_message/CustomMessage_SignUp"), None)
        assert out["response"]["emailMessage"] == "Code {{####}}"
        pre_sign_up.handler(load("pre_sign_up/PreSignUp_SignUp"), None)
        ev = load("pre_token_generation/v2/TokenGeneration_Authentication")
        pre_token_generation.handler(ev, None)
        os.environ["GROUPS_ATTRIBUTE"] = "groups"
        ev = load("inbound_federation/InboundFederation_ExternalProvider_OIDC")
        out = inbound_federation.handler(ev, None)
        assert out["response"]["userAttributesToMap"]["groups"] == "readers,writers"
        """
    )
    assert result.returncode == 0, result.stderr
