"""``cognito-auth cost`` must import and run in a process where the CDK cannot be imported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.tokens.test_token_import_isolation import BLOCKER, ROOT


def test_cost_command_runs_without_the_cdk(tmp_path: Path) -> None:
    template = tmp_path / "Auth.template.json"
    template.write_text(
        json.dumps({"Resources": {"Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {}}}})
    )
    script = BLOCKER + textwrap.dedent(
        f"""
        from cognito_auth_tools.cli import main

        code = main(["cost", {str(template)!r}, "--mau", "100000", "--json"])
        try:
            import aws_cdk  # noqa: F401
        except ImportError:
            print("aws_cdk blocked")
        print(sorted(m for m in sys.modules if m.split(".")[0] in BlockCdk.blocked))
        print(code)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    *document, blocked, loaded, code = result.stdout.splitlines()
    assert json.loads("\n".join(document))["total"] == 1350
    assert [blocked, loaded, code] == ["aws_cdk blocked", "[]", "0"]
