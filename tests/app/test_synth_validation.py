"""The one test that keeps the CDK's built-in CloudFormation validation on: the example app
synthesizes cleanly with it, and to the same template as with it off (which every other test
relies on)."""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import App

from tests.scenarios.builders import example_stack


def synthesized_template(outdir: Path, *, validation: bool) -> dict[str, object]:
    app = App(builtin_cloud_formation_validation=validation, outdir=str(outdir))
    stack = example_stack(app)
    assembly = app.synth()
    template: dict[str, object] = assembly.get_stack_by_name(stack.stack_name).template
    return template


def test_builtin_validation_passes_and_changes_nothing(tmp_path: Path) -> None:
    checked = synthesized_template(tmp_path / "on", validation=True)
    unchecked = synthesized_template(tmp_path / "off", validation=False)
    assert json.dumps(checked, sort_keys=True) == json.dumps(unchecked, sort_keys=True)
