"""A pytest helper for library users: fail a test when a template change would lose users.

    from cognito_auth_tools.testing import assert_safe_update

    def test_the_update_keeps_every_user():
        deployed = json.loads(Path("deployed/AuthStack.template.json").read_text())
        new = Template.from_stack(build_stack(App())).to_json()
        assert_safe_update(deployed, new)

The comparison is ``cognito-auth check-update``'s (``cognito_auth_tools.update_guard``); it
needs cfn-lint (the ``update-guard`` extra). Nothing here imports ``aws_cdk``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cognito_auth_tools.update_guard import Finding, compare_templates


class UnsafeUpdateError(AssertionError):
    """A template change would lose users or fail to deploy; ``findings`` lists each one."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = "\n".join(f"  {finding.line()}" for finding in findings)
        super().__init__(f"{len(findings)} harmful change(s):\n{lines}")


def assert_safe_update(
    old_template: Mapping[str, Any],
    new_template: Mapping[str, Any],
    *,
    stack: str = "template",
    region: str = "us-east-1",
) -> None:
    """Raise ``UnsafeUpdateError`` (an ``AssertionError``) when ``new_template`` would remove or
    replace a stateful resource of ``old_template``, change what Cognito cannot change in place,
    or drop retention or deletion protection.

    Args:
        old_template: The deployed template (``aws cloudformation get-template`` or a committed
            copy).
        new_template: The template about to be deployed (``Template.from_stack(s).to_json()``).
        stack: The name shown in the failure. Default: ``template``.
        region: Whose registry schemas to read. Default: ``us-east-1``.
    """
    findings = compare_templates(old_template, new_template, stack=stack, region=region)
    if findings:
        raise UnsafeUpdateError(findings)
