"""Trigger handler costs: import time above a bare interpreter, and a warm pre-token call.

Run: ``.venv/bin/python -m bench.handlers`` (or ``make bench`` for every benchmark).

1. Import cost, the cold-start share the module adds: each trigger module imported the way the
   Lambda runtime does (the ``lambda_triggers`` folder as the code root), in a fresh interpreter,
   next to ``import boto3`` and the Powertools data classes for scale. Two figures, medians of
   ``RUNS`` interleaved runs: ``-X importtime`` cumulative milliseconds of the module, and the
   wall time of ``python -c "import x"`` minus a bare ``python -c`` with the same ``sys.path``.
   Twice: from source only (what a Lambda asset without ``__pycache__`` does on every cold start:
   ``/var/task`` is read-only, so nothing is cached) and from a compiled copy (a ``.pyc`` for the
   running Python). Budget: under 10 ms.
2. Warm pre token generation V2 on a cache hit (no I/O): the bundled handler next to the same
   logic written with Powertools' ``PreTokenGenerationV2TriggerEvent`` data class, side by side in
   one process. Both reset the event's response each call, as a fresh Lambda event would have it.

Figures are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TRIGGERS = ROOT / "lambda_triggers"
EVENT = (
    ROOT
    / "tests"
    / "events"
    / "pre_token_generation"
    / "v2"
    / "TokenGeneration_Authentication.json"
)
MODULES = [
    "pre_token_generation",
    "pre_sign_up",
    "post_confirmation",
    "custom_message",
    "user_migration",
    "inbound_federation",
]
FEDERATION_EVENT = (
    ROOT
    / "tests"
    / "events"
    / "inbound_federation"
    / "InboundFederation_ExternalProvider_SAML.json"
)
REFERENCES = {
    "boto3": "import boto3",
    "powertools data classes": (
        "import aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event"
    ),
}
RUNS = 7
CALLS = 50_000


def _python(code: str, *flags: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; return (wall seconds, stderr)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return time.perf_counter() - start, done.stderr


def _cumulative_us(stderr: str, module: str) -> int:
    """Read the cumulative microseconds of ``module`` from ``-X importtime`` output."""
    for line in stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise LookupError(module)


def import_costs(folder: Path, references: bool) -> list[tuple[str, float, float]]:
    """Return (name, importtime ms, wall delta ms) for each trigger module (and references)."""
    setup = f"import sys; sys.path.insert(0, {str(folder)!r})"
    cases = {name: (f"{setup}; import {name}", name) for name in MODULES}
    for label, statement in REFERENCES.items() if references else ():
        cases[label] = (f"{setup}; {statement}", statement.split()[-1])
    return measure_imports(setup, cases)


def measure_imports(
    setup: str, cases: dict[str, tuple[str, str]]
) -> list[tuple[str, float, float]]:
    """(name, importtime ms, wall delta ms) per case ``name: (code, module)``: the module's
    ``-X importtime`` cumulative time and the wall time of ``code`` minus that of ``setup``
    alone, medians of ``RUNS`` interleaved runs in fresh interpreters."""
    samples: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in cases}
    baseline: list[float] = []
    for _ in range(RUNS):  # interleaved, so drifts in machine load hit every case alike
        baseline.append(_python(setup)[0])
        for name, (code, module) in cases.items():
            wall, _ = _python(code)
            _, stderr = _python(code, "-X", "importtime")
            samples[name][0].append(_cumulative_us(stderr, module) / 1000)
            samples[name][1].append(wall)
    bare = statistics.median(baseline)
    return [
        (name, statistics.median(cum), (statistics.median(wall) - bare) * 1000)
        for name, (cum, wall) in samples.items()
    ]


def _bundled(event: dict[str, Any]) -> Callable[[], object]:
    from lambda_triggers import _aws
    from lambda_triggers import pre_token_generation as ptg

    os.environ["CLAIMS_TABLE_NAME"] = "claims"
    ptg.reset()
    item = {
        "sub": {"S": event["request"]["userAttributes"]["sub"]},
        "tenant": {"S": "acme"},
        "tier": {"N": "3"},
        "roles": {"SS": ["reader", "writer"]},
        "beta": {"BOOL": True},
    }

    class OneItem:
        def get_item(self, **_: Any) -> dict[str, Any]:
            return {"Item": item}

    _aws.set_client_factory(lambda service: OneItem())
    ptg.handler(json.loads(json.dumps(event)), None)  # fills the cache

    def call() -> object:
        event["response"] = {"claimsAndScopeOverrideDetails": None}
        return ptg.handler(event, None)

    return call


def _powertools(event: dict[str, Any]) -> Callable[[], object]:
    """The same answer written with Powertools' data classes, reading the same cache."""
    from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import (
        PreTokenGenerationV2TriggerEvent,
    )

    from lambda_triggers import pre_token_generation as ptg

    config = ptg.settings()

    def handler(raw: dict[str, Any]) -> dict[str, Any]:
        wrapped = PreTokenGenerationV2TriggerEvent(raw)
        sub = wrapped.request.user_attributes.get("sub")
        claims = ptg.load_claims(sub, config) if sub else ptg.NO_CLAIMS
        details = wrapped.response.claims_scope_override_details
        details.id_token_generation.claims_to_add_or_override = dict(claims.id_token)
        details.access_token_generation.claims_to_add_or_override = dict(claims.structured)
        groups = wrapped.request.group_configuration
        details.group_configuration = {
            "groupsToOverride": list(groups.groups_to_override),
            "iamRolesToOverride": list(groups.iam_roles_to_override),
            "preferredRole": groups.preferred_role,
        }
        return wrapped.raw_event

    def call() -> object:
        event["response"] = {"claimsAndScopeOverrideDetails": None}
        return handler(event)

    return call


def warm_costs() -> list[tuple[str, float]]:
    """Return (name, best-of-5 microseconds per call) for both implementations."""
    base = json.loads(EVENT.read_text())
    bundled = _bundled(json.loads(json.dumps(base)))
    powertools = _powertools(json.loads(json.dumps(base)))
    a = bundled()
    b = powertools()
    assert a == b, "both implementations must give the same answer"
    results = []
    for name, call in (("bundled handler", bundled), ("powertools data classes", powertools)):
        best = min(timeit.repeat(call, number=CALLS, repeat=5))
        results.append((name, best / CALLS * 1e6))
    return results


def inbound_federation_cost() -> float:
    """Best-of-5 microseconds per warm inbound federation call on the SAML fixture, with
    lower-cased email and a group claim joined (no I/O)."""
    from lambda_triggers import inbound_federation

    os.environ["GROUPS_ATTRIBUTE"] = (
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
    )
    os.environ["GROUPS_OUTPUT_ATTRIBUTE"] = "groups"
    inbound_federation.reset()
    base = json.loads(FEDERATION_EVENT.read_text())

    def call() -> object:
        event = dict(base, response={})
        return inbound_federation.handler(event, None)

    import contextlib

    # The handler writes one log line per call; the lines are not what is measured.
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        call()
        best = min(timeit.repeat(call, number=CALLS // 5, repeat=5))
    return best / (CALLS // 5) * 1e6


def main() -> None:
    from lambda_triggers import _aws

    print(f"python {sys.version.split()[0]}, {RUNS} interleaved runs, medians")
    with tempfile.TemporaryDirectory() as tmp:
        source_only = Path(tmp) / "source"
        compiled = Path(tmp) / "compiled"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(TRIGGERS, source_only, ignore=ignore)
        shutil.copytree(TRIGGERS, compiled, ignore=ignore)
        compileall.compile_dir(compiled, quiet=1)
        for title, folder, references in (
            ("import, source only", source_only, True),
            ("import, with .pyc", compiled, False),
        ):
            print(f"{title:34} {'-X importtime ms':>17} {'wall delta ms':>14}")
            for name, cumulative, wall in import_costs(folder, references):
                print(f"{name:34} {cumulative:17.2f} {wall:14.1f}")
            print()
    print(f"{'warm pre token generation V2, cache hit':42} {'us/call':>8}")
    for name, micros in warm_costs():
        print(f"{name:42} {micros:8.2f}")
    print(f"{'warm inbound federation, SAML fixture':42} {inbound_federation_cost():8.2f}")
    print()
    print(
        "worst case per invocation from the client config: "
        f"1 call {_aws.worst_case_seconds(1):.2f} s, 2 calls {_aws.worst_case_seconds(2):.2f} s "
        f"(Cognito allows {_aws.COGNITO_TRIGGER_LIMIT_SECONDS:.0f} s)"
    )


if __name__ == "__main__":
    main()
