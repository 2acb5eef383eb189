"""Synth cost of multi-Region replication: the example app with ``replication`` off (one stack)
and on (four stacks: the pool's, the replica key, the replicas, the replica Region's), built and
synthesized in one process, interleaved, after a warm-up, medians of ``ROUNDS``.
Run: ``.venv/bin/python -m bench.replication``. Printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App  # after the environment

from app import define_example
from tests.scenarios.builders import shipped_context

ROUNDS = 7


def synth(replication: bool) -> float:
    os.environ.setdefault("CDK_DEFAULT_ACCOUNT", "123456789012")
    os.environ.setdefault("CDK_DEFAULT_REGION", "eu-west-1")
    context = {**shipped_context(), "aws:cdk:bundling-stacks": []}
    if replication:
        context["cognito_auth.replication.enabled"] = "true"
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        app = App(context=context, outdir=out, builtin_cloud_formation_validation=False)
        define_example(app)
        app.synth()
    return time.perf_counter() - start


def main() -> None:
    synth(False), synth(True)  # warm-up: jsii start-up and module loading
    off, on = [], []
    for _ in range(ROUNDS):
        off.append(synth(False))
        on.append(synth(True))
    m_off, m_on = statistics.median(off), statistics.median(on)
    print(f"example app synth, replication off: {m_off * 1000:7.0f} ms (median of {ROUNDS})")
    print(f"example app synth, replication on:  {m_on * 1000:7.0f} ms ({m_on / m_off:.2f}x)")


if __name__ == "__main__":
    main()
