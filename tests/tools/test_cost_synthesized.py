"""``cognito-auth cost`` on synthesized cloud assemblies: the example app as ``make synth``
defines it, a PLUS pool with a SAML provider and a machine client, and operations and
replication resources written with aws-cdk-lib L1s."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_wafv2 as wafv2

from cognito_auth_tools.cli import main
from cognito_auth_tools.cost import Usage, estimate_cost, load_pricing, load_templates
from constructs_lib import CognitoAuth, ThreatProtection, UserPoolSettings
from constructs_lib.clients import MachineClient, WebClient
from constructs_lib.domain import HostedUiDomain
from constructs_lib.federation import SamlLogin
from constructs_lib.resource_servers import ResourceServer
from tests.conftest import TEST_ENV
from tests.scenarios.builders import ROOT, example_stack

PRICING = json.loads((ROOT / "cognito_auth_tools" / "pricing" / "aws-2026.json").read_text())


def synth(outdir: Path, build: Any) -> Path:
    app = App(
        builtin_cloud_formation_validation=False,
        outdir=str(outdir),
        context={"aws:cdk:bundling-stacks": []},
    )
    build(app)
    app.synth()
    return outdir


def cost_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["cost", *args, "--json"]) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def tier_price(tiers: list[dict[str, Any]], index: int) -> float:
    price: float = tiers[index]["per_mau"]
    return price


def test_example_app_at_100000_mau_matches_a_hand_calculation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = synth(tmp_path / "cdk.out", example_stack)
    templates = sorted(str(p) for p in outdir.glob("*.template.json"))
    document = cost_json(capsys, *templates, "--mau", "100000")
    # The example pool is on ESSENTIALS: the first 10,000 MAU free, the other 90,000 at the
    # ESSENTIALS price. Its operations (on as shipped) add one web ACL with 4 rules (the rate
    # rule and 3 managed rule groups), 18 single-metric alarms (5 pool-wide throttle and
    # success-ratio queries, the quota alarm, 3 for each of the 4 triggers) and one dashboard.
    # It defines no SAML/OIDC provider, machine client or replica.
    essentials = PRICING["mau"]["ESSENTIALS"]
    assert essentials[0] == {"up_to": 10000, "per_mau": 0}
    paid = 90_000 * tier_price(essentials, 1)
    waf, cloudwatch = PRICING["waf"], PRICING["cloudwatch"]
    fixed = (
        waf["per_web_acl_month"]
        + 4 * waf["per_rule_month"]
        + 18 * cloudwatch["per_alarm_month"]
        + cloudwatch["per_dashboard_month"]
    )
    acl = "CognitoAuthExampleAuthOperations2462760FAuth"
    assert document["lines"] == [
        {
            "what": "ESSENTIALS MAU 1-10,000 (free), AuthUserPool8115E87F",
            "quantity": 10_000,
            "unit_price": 0,
            "amount": 0,
        },
        {
            "what": "ESSENTIALS MAU 10,001-100,000, AuthUserPool8115E87F",
            "quantity": 90_000,
            "unit_price": tier_price(essentials, 1),
            "amount": pytest.approx(paid),
        },
        {"what": f"WAF web ACL {acl}", "quantity": 1, "unit_price": 5, "amount": 5},
        {"what": f"WAF rules of {acl}", "quantity": 4, "unit_price": 1, "amount": 4},
        {"what": "WAF requests (millions)", "quantity": 0, "unit_price": 0.6, "amount": 0},
        {
            "what": "CloudWatch alarm metrics",
            "quantity": 18,
            "unit_price": 0.1,
            "amount": pytest.approx(1.8),
        },
        {"what": "CloudWatch dashboards", "quantity": 1, "unit_price": 3, "amount": 3},
    ]
    assert document["total"] == pytest.approx(paid + fixed) == pytest.approx(1363.80)
    lite = PRICING["mau"]["LITE"]
    assert document["plans"] == {
        "LITE": pytest.approx(90_000 * tier_price(lite, 1) + fixed),
        "ESSENTIALS": pytest.approx(paid + fixed),
        "PLUS": pytest.approx(100_000 * tier_price(PRICING["mau"]["PLUS"], 0) + fixed),
    }
    # The README's small example: the MAU inside the free tier, PLUS 5,000 x 0.02 more.
    small = cost_json(capsys, str(outdir), "--mau", "5000")
    assert small["total"] == pytest.approx(fixed)
    assert small["plans"]["PLUS"] == pytest.approx(100 + fixed)
    # The folder form (what `make synth` runs) reads the same templates through manifest.json.
    assert cost_json(capsys, str(outdir), "--mau", "100000") == document


def test_make_synth_prints_the_example_at_10000_and_100000_mau(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "\t$(BIN)/cognito-auth cost cdk.out --mau 10000,100000\n" in makefile
    outdir = synth(tmp_path / "cdk.out", example_stack)
    assert main(["cost", str(outdir), "--mau", "10000,100000"]) == 0
    rows = [row.split() for row in capsys.readouterr().out.splitlines()[2:4]]
    assert rows == [
        ["10,000", "13.80", "13.80", "13.80", "213.80"],
        ["100,000", "1,363.80", "508.80", "1,363.80", "2,013.80"],
    ]


def plus_saml_machine_stack(app: App) -> Stack:
    stack = Stack(app, "PlusSamlMachine", env=TEST_ENV)
    orders = ResourceServer(identifier="orders", name="Orders", scopes={"read": "Read orders"})
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            feature_plan=cognito.FeaturePlan.PLUS,
            threat_protection=ThreatProtection.audit_only(),
        ),
        identity_providers=[
            SamlLogin(
                provider_name="CorporateSSO",
                metadata_file=ROOT / "tests" / "fixtures" / "saml-metadata.xml",
            )
        ],
        resource_servers=[orders],
        clients=[
            WebClient(name="web", callback_urls=["https://app.example.com/callback"]),
            MachineClient(name="reports", scopes=orders.all_scopes),
        ],
        domain=HostedUiDomain.cognito_prefix("example-plus-saml"),
    )
    return stack


def test_plus_pool_with_saml_and_a_machine_client_adds_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = synth(tmp_path / "cdk.out", plus_saml_machine_stack)
    args = [str(outdir), "--mau", "20000", "--federated-mau", "1050", "--m2m-requests", "40000"]
    document = cost_json(capsys, *args)
    lines = {line["what"].split(",")[0]: line for line in document["lines"]}
    assert set(lines) == {
        "PLUS MAU 1-18",
        "SAML/OIDC federated MAU 1-50 (free)",
        "SAML/OIDC federated MAU 51-1",
        "threat protection MAU",
        "M2M app clients (reports)",
        "M2M token requests",
    }
    assert lines["PLUS MAU 1-18"]["quantity"] == 18_950
    assert lines["SAML/OIDC federated MAU 51-1"]["what"].endswith("SAML CorporateSSO")
    assert lines["SAML/OIDC federated MAU 51-1"]["amount"] == pytest.approx(1_000 * 0.015)
    assert lines["threat protection MAU"]["what"] == (
        "threat protection MAU, AuthUserPool8115E87F (AUDIT), included in the plan price"
    )
    assert lines["M2M app clients (reports)"]["amount"] == 6
    assert lines["M2M token requests"]["amount"] == pytest.approx(40_000 * 0.00225)
    assert document["total"] == pytest.approx(18_950 * 0.02 + 15 + 6 + 90)


def test_the_older_model_prices_threat_protection_and_federation_on_top(
    tmp_path: Path,
) -> None:
    outdir = synth(tmp_path / "cdk.out", plus_saml_machine_stack)
    usage = Usage(mau=20_000, federated_mau=1_050)
    estimate = estimate_cost(load_templates([outdir]), usage, load_pricing("aws-2024-mau-tiers"))
    amounts = {line.what.split(",")[0]: line.amount for line in estimate.lines}
    assert amounts["threat protection MAU 1-20"] == Decimal("1000.00")  # 20,000 x 0.05
    assert amounts["SAML/OIDC federated MAU 51-1"] == Decimal("15.000")
    assert amounts["M2M app clients (reports)"] == Decimal("6.0")


def operations_stack(app: App) -> Stack:
    """A pool with the kinds of operations and replication resources, written as L1s."""
    stack = Stack(app, "Operations", env=TEST_ENV)
    pool = cognito.CfnUserPool(stack, "Pool", user_pool_tier="ESSENTIALS")
    cognito.CfnUserPoolReplica(stack, "Replica", user_pool_id=pool.ref, region_name="eu-central-1")
    wafv2.CfnWebACL(
        stack,
        "WebAcl",
        name="auth",
        scope="REGIONAL",
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True, metric_name="auth", sampled_requests_enabled=True
        ),
        rules=[
            wafv2.CfnWebACL.RuleProperty(
                name=name,
                priority=index,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS", name=name
                    )
                ),
                visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
                    cloud_watch_metrics_enabled=True,
                    metric_name=name,
                    sampled_requests_enabled=True,
                ),
            )
            for index, name in enumerate(
                ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesAmazonIpReputationList"]
            )
        ],
    )
    wafv2.CfnWebACLAssociation(
        stack, "WebAclAssociation", resource_arn=pool.attr_arn, web_acl_arn="arn:example"
    )
    for metric in ("SignInThrottles", "SignUpThrottles", "TokenRefreshThrottles"):
        cloudwatch.Alarm(
            stack,
            metric,
            metric=cloudwatch.Metric(
                namespace="AWS/Cognito", metric_name=metric, dimensions_map={"UserPool": pool.ref}
            ),
            threshold=1,
            evaluation_periods=1,
        )
    cloudwatch.Dashboard(stack, "Dashboard", dashboard_name="auth")
    return stack


def test_operations_and_replication_resources_are_priced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = synth(tmp_path / "cdk.out", operations_stack)
    document = cost_json(capsys, str(outdir), "--mau", "10000", "--waf-requests", "3000000")
    amounts = {line["what"]: line["amount"] for line in document["lines"]}
    assert amounts == {
        "ESSENTIALS MAU 1-10,000 (free), Pool": 0,
        "replica MAU, Replica in eu-central-1 of Pool (ESSENTIALS)": pytest.approx(45),
        "WAF web ACL auth": 5,
        "WAF rules of auth": 2,
        "WAF requests (millions)": pytest.approx(1.8),
        "CloudWatch alarm metrics": pytest.approx(0.3),
        "CloudWatch dashboards": 3,
    }
    assert document["total"] == pytest.approx(45 + 5 + 2 + 1.8 + 0.3 + 3)
    # Replication needs ESSENTIALS or PLUS: on LITE the replica goes, with the pool's MAU price.
    assert document["plans"]["LITE"] == pytest.approx(5 + 2 + 1.8 + 0.3 + 3)
