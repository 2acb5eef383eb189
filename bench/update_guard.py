"""``cognito-auth check-update`` cost: the command's wall time on two copies of the example app's
synthesized template, in a fresh interpreter (what CI pays), next to a bare ``python -c``.

Run: ``.venv/bin/python -m bench.update_guard`` (or ``make bench`` for every benchmark).
Figures are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def _example_template() -> dict[str, object]:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from aws_cdk.assertions import Template

    from tests.conftest import new_app
    from tests.scenarios.builders import example_stack

    template: dict[str, object] = Template.from_stack(example_stack(new_app())).to_json()
    return template


def _wall(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    template = _example_template()
    with tempfile.TemporaryDirectory() as tmp:
        old, new = Path(tmp) / "old.json", Path(tmp) / "new.json"
        old.write_text(json.dumps(template))
        new.write_text(json.dumps(template))
        command = (
            "from cognito_auth_tools.cli import main; "
            f"main(['check-update', {str(old)!r}, {str(new)!r}])"
        )
        bare, guard = [], []
        for _ in range(RUNS):  # interleaved, so load drifts hit both alike
            bare.append(_wall("pass"))
            guard.append(_wall(command))
    resources = len(template["Resources"])  # type: ignore[arg-type]
    print(f"check-update on the example app ({resources} resources), {RUNS} runs, medians")
    print(f"{'bare python -c':34} {statistics.median(bare) * 1000:8.1f} ms")
    print(f"{'check-update':34} {statistics.median(guard) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
