"""Synth cost of the library against the same resources written directly with aws-cdk-lib L2s.

Both sides build and synthesize the example app's stack (the pool of ``cdk.json``, its groups
and outputs) in the same process, interleaved, after a warm-up, so that the jsii start-up and the
machine's noise fall on both alike. Run: ``.venv/bin/python -m bench.synth``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App, CfnOutput, Duration, RemovalPolicy, Stack  # after the environment
from aws_cdk import aws_cognito as cognito

from app import define_example
from tests.scenarios.builders import shipped_context

ROUNDS = 15
PROCESS_ROUNDS = 5


def with_library(app: App) -> None:
    for key, value in shipped_context().items():
        app.node.set_context(key, value)
    define_example(app)


def with_l2s_directly(app: App) -> None:
    stack = Stack(app, "CognitoAuthExample")
    pool = cognito.UserPool(
        stack,
        "UserPool",
        self_sign_up_enabled=True,
        sign_in_aliases=cognito.SignInAliases(email=True),
        sign_in_case_sensitive=False,
        standard_attributes=cognito.StandardAttributes(
            email=cognito.StandardAttribute(required=True, mutable=True)
        ),
        password_policy=cognito.PasswordPolicy(
            min_length=12,
            temp_password_validity=Duration.days(3),
            password_history_size=5,
        ),
        mfa=cognito.Mfa.OPTIONAL,
        mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False, email=False),
        feature_plan=cognito.FeaturePlan.ESSENTIALS,
        account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
        deletion_protection=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    for name, precedence in (("admins", 0), ("users", 10)):
        pool.add_group(f"Group{name}", group_name=name, precedence=precedence)
    issuer = f"https://{pool.user_pool_provider_name}"
    for name, value in {
        "Region": stack.region,
        "UserPoolId": pool.user_pool_id,
        "UserPoolArn": pool.user_pool_arn,
        "IssuerUrl": issuer,
        "JwksUrl": f"{issuer}/.well-known/jwks.json",
    }.items():
        CfnOutput(stack, name, value=value)


def synth_seconds(define: Callable[[App], None]) -> float:
    with tempfile.TemporaryDirectory() as outdir:
        start = time.perf_counter()
        app = App(builtin_cloud_formation_validation=False, outdir=outdir)
        define(app)
        app.synth()
        return time.perf_counter() - start


SIDES: dict[str, Callable[[App], None]] = {
    "library (CognitoAuth)": with_library,
    "aws-cdk-lib L2s directly": with_l2s_directly,
}
BASE = "aws-cdk-lib L2s directly"


def process_seconds(side: str) -> float:
    """One whole ``python app.py``-like process: interpreter, imports, jsii start, synth."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.synth", "--once", side],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def report(title: str, times: dict[str, list[float]]) -> None:
    base = statistics.median(times[BASE])
    print(title)
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:28} {median * 1000:8.1f} ms   ratio {median / base:.2f}")


def main() -> None:
    for define in SIDES.values():  # warm-up: jsii kernel, imports, first synth
        synth_seconds(define)
    in_process: dict[str, list[float]] = {name: [] for name in SIDES}
    for _ in range(ROUNDS):
        for name, define in SIDES.items():
            in_process[name].append(synth_seconds(define))
    whole: dict[str, list[float]] = {name: [] for name in SIDES}
    for _ in range(PROCESS_ROUNDS):
        for name in SIDES:
            whole[name].append(process_seconds(name))
    report(f"Whole app process (what `cdk synth` waits for), median of {PROCESS_ROUNDS}:", whole)
    report(f"Construct + synth inside a warm process, median of {ROUNDS}:", in_process)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--once"]:
        synth_seconds(SIDES[sys.argv[2]])
    else:
        main()
