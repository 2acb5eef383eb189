"""``cognito-auth cost``: how long the command takes, start to finish, and one estimate in process.

Run: ``.venv/bin/python -m bench.cost`` (or ``make bench`` for every benchmark).

1. The whole command in a fresh interpreter (``python -m cognito_auth_tools cost ... --json``)
   minus a bare ``python -c pass``: what a CI step pays. The command never imports the CDK.
2. One estimate in process (templates already loaded): inventory, line items and the three
   plan totals, for the cost curve's per-row cost.

The template is written here: a PLUS pool with a SAML provider, two machine clients, a replica,
a web ACL with 10 rules, 50 alarms and a dashboard. Figures are printed, never asserted.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
CALLS = 2_000


def _template() -> dict[str, Any]:
    def resource(kind: str, **props: Any) -> dict[str, Any]:
        return {"Type": kind, "Properties": props}

    ref = {"Ref": "Pool"}
    resources: dict[str, Any] = {
        "Pool": resource(
            "AWS::Cognito::UserPool",
            UserPoolTier="PLUS",
            UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"},
        ),
        "Saml": resource(
            "AWS::Cognito::UserPoolIdentityProvider",
            UserPoolId=ref,
            ProviderName="Corp",
            ProviderType="SAML",
        ),
        "Replica": resource(
            "AWS::Cognito::UserPoolReplica", UserPoolId=ref, RegionName="us-west-2"
        ),
        "Acl": resource("AWS::WAFv2::WebACL", Name="auth", Rules=[{}] * 10),
        "Board": resource("AWS::CloudWatch::Dashboard"),
    }
    for name in ("reports", "billing"):
        resources[name] = resource(
            "AWS::Cognito::UserPoolClient",
            UserPoolId=ref,
            ClientName=name,
            AllowedOAuthFlows=["client_credentials"],
        )
    for index in range(50):
        resources[f"Alarm{index}"] = resource("AWS::CloudWatch::Alarm")
    return {"Resources": resources}


def _wall(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=True, timeout=60, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    from cognito_auth_tools.cost import Usage, estimate_cost, inventory, load_pricing

    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "Bench.template.json"
        file.write_text(json.dumps(_template()))
        command = [sys.executable, "-m", "cognito_auth_tools", "cost", str(file)]
        command += ["--mau", "100000", "--federated-mau", "1000", "--json"]
        bare, whole = [], []
        for _ in range(RUNS):  # interleaved, so machine noise hits both alike
            bare.append(_wall([sys.executable, "-c", "pass"]))
            whole.append(_wall(command))
        print(
            f"command, fresh interpreter: {statistics.median(whole) * 1000:.0f} ms "
            f"({(statistics.median(whole) - statistics.median(bare)) * 1000:.0f} ms above a bare "
            f"interpreter), median of {RUNS}"
        )

    templates = [("Bench.template.json", _template())]
    pricing = load_pricing()
    usage = Usage(mau=100_000, federated_mau=1_000, m2m_token_requests=1_000_000)
    found = inventory(templates)
    per_call = timeit.timeit(lambda: estimate_cost(found, usage, pricing), number=CALLS) / CALLS
    print(f"one estimate in process (4 plan pricings): {per_call * 1e6:.0f} us")


if __name__ == "__main__":
    main()
