"""``cognito-auth cost`` on hand-written templates: each billed feature is found and priced,
intrinsic values are handled, and the text, curve and JSON outputs have their documented shape."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cognito_auth_tools.cli import main
from cognito_auth_tools.cost import (
    TemplateError,
    Usage,
    estimate_cost,
    inventory,
    load_pricing,
    load_templates,
)

POOL_REF = {"Ref": "Pool"}


def resource(kind: str, **props: Any) -> dict[str, Any]:
    return {"Type": kind, "Properties": props}


def pool(**props: Any) -> dict[str, Any]:
    return resource("AWS::Cognito::UserPool", **props)


def template(**resources: dict[str, Any]) -> dict[str, Any]:
    return {"Resources": resources}


def estimate(tmpl: dict[str, Any], pricing: str = "aws-2026", **usage: int) -> Any:
    return estimate_cost([("t.json", tmpl)], Usage(**usage), load_pricing(pricing))


def lines(tmpl: dict[str, Any], pricing: str = "aws-2026", **usage: int) -> dict[str, Any]:
    return {line.what: line.to_json() for line in estimate(tmpl, pricing, **usage).lines}


def write(folder: Path, name: str, tmpl: dict[str, Any]) -> Path:
    file = folder / name
    file.write_text(json.dumps(tmpl))
    return file


# --- user pools and plans ------------------------------------------------------------------


def test_a_pool_without_a_tier_is_priced_on_essentials() -> None:
    found = inventory([("t.json", template(Pool=pool()))])
    assert [(p.name, p.plan, p.threat_protection) for p in found.pools] == [
        ("Pool", "ESSENTIALS", None)
    ]
    assert estimate(template(Pool=pool()), mau=20_000).total == Decimal(150)


@pytest.mark.parametrize("plan", ["LITE", "ESSENTIALS", "PLUS"])
def test_the_pool_is_priced_on_its_tier(plan: str) -> None:
    result = estimate(template(Pool=pool(UserPoolTier=plan)), mau=100_000)
    expected = {"LITE": 495, "ESSENTIALS": 1350, "PLUS": 2000}[plan]
    assert result.total == Decimal(expected)
    assert {name: option.total for name, option in result.plans.items()} == {
        "LITE": Decimal(495),
        "ESSENTIALS": Decimal(1350),
        "PLUS": Decimal(2000),
    }


def test_does_not_fail_when_the_tier_is_a_token() -> None:
    tier = {"Fn::If": ["IsProd", "PLUS", "ESSENTIALS"]}
    result = estimate(template(Pool=pool(UserPoolTier=tier)), mau=20_000)
    assert result.total == Decimal(150)
    assert result.notes == (
        "user pool Pool: feature plan {'Fn::If': ['IsProd', 'PLUS', 'ESSENTIALS']} not known, "
        "priced as ESSENTIALS",
    )


def test_threat_protection_on_plus_is_a_line_included_in_the_plan_price() -> None:
    tmpl = template(
        Pool=pool(UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})
    )
    assert lines(tmpl, mau=1_000) == {
        "PLUS MAU 1-1,000, Pool": {
            "what": "PLUS MAU 1-1,000, Pool",
            "quantity": 1000,
            "unit_price": 0.02,
            "amount": 20,
        },
        "threat protection MAU, Pool (AUDIT), included in the plan price": {
            "what": "threat protection MAU, Pool (AUDIT), included in the plan price",
            "quantity": 1000,
            "unit_price": 0,
            "amount": 0,
        },
    }


def test_threat_protection_costs_extra_in_the_older_model() -> None:
    tmpl = template(
        Pool=pool(UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})
    )
    result = estimate(tmpl, "aws-2024-mau-tiers", mau=20_000)
    assert lines(tmpl, "aws-2024-mau-tiers", mau=20_000)[
        "threat protection MAU 1-20,000, Pool (ENFORCED)"
    ]["amount"] == pytest.approx(1000)  # 20,000 x 0.05
    assert result.total == Decimal("1055")  # + 10,000 x 0.0055


def test_threat_protection_off_adds_nothing() -> None:
    tmpl = template(Pool=pool(UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "OFF"}))
    assert inventory([("t.json", tmpl)]).pools[0].threat_protection is None


def test_other_plans_list_what_the_pool_would_lose() -> None:
    tmpl = template(
        Pool=pool(
            UserPoolTier="PLUS",
            UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"},
            EnabledMfas=["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
            LambdaConfig={"PreTokenGenerationConfig": {"LambdaVersion": "V2_0"}},
        ),
        Domain=resource("AWS::Cognito::UserPoolDomain", UserPoolId=POOL_REF, ManagedLoginVersion=2),
    )
    plans = estimate(tmpl, mau=1).plans
    assert plans["PLUS"].loses == ()
    assert plans["ESSENTIALS"].loses == ("threat protection",)
    assert plans["LITE"].loses == (
        "threat protection",
        "email MFA",
        "access token customization (V2_0 trigger)",
        "managed login",
    )


# --- federation, M2M, replicas -------------------------------------------------------------


def test_saml_and_oidc_providers_are_federation_social_providers_are_not() -> None:
    tmpl = template(
        Pool=pool(),
        Saml=resource(
            "AWS::Cognito::UserPoolIdentityProvider",
            UserPoolId=POOL_REF,
            ProviderName="CorporateSSO",
            ProviderType="SAML",
        ),
        Google=resource(
            "AWS::Cognito::UserPoolIdentityProvider",
            UserPoolId=POOL_REF,
            ProviderName="Google",
            ProviderType="Google",
        ),
    )
    assert inventory([("t.json", tmpl)]).pools[0].federated_providers == ("SAML CorporateSSO",)
    priced = lines(tmpl, mau=20_000, federated_mau=150)
    assert priced["SAML/OIDC federated MAU 51-150, SAML CorporateSSO"]["amount"] == 1.5
    assert priced["ESSENTIALS MAU 10,001-19,850, Pool"]["quantity"] == 9_850


def test_federated_mau_without_a_provider_are_plan_mau_with_a_note() -> None:
    result = estimate(template(Pool=pool()), mau=20_000, federated_mau=150)
    assert result.total == Decimal(150)
    assert "no SAML or OIDC provider in the templates: federated MAU priced as plan MAU" in (
        result.notes
    )


def test_client_credentials_clients_are_m2m() -> None:
    tmpl = template(
        Pool=pool(),
        Machine=resource(
            "AWS::Cognito::UserPoolClient",
            UserPoolId=POOL_REF,
            ClientName="reports",
            AllowedOAuthFlows=["client_credentials"],
        ),
        Web=resource(
            "AWS::Cognito::UserPoolClient", UserPoolId=POOL_REF, AllowedOAuthFlows=["code"]
        ),
    )
    priced = lines(tmpl, mau=0, m2m_token_requests=100_000)
    assert priced["M2M app clients (reports)"] == {
        "what": "M2M app clients (reports)",
        "quantity": 1,
        "unit_price": 6,
        "amount": 6,
    }
    assert priced["M2M token requests"]["quantity"] == 100_000
    assert priced["M2M token requests"]["amount"] == pytest.approx(225)


def test_a_replica_is_priced_per_mau_on_the_pool_plan() -> None:
    tmpl = template(
        Pool=pool(UserPoolTier="PLUS"),
        Replica=resource(
            "AWS::Cognito::UserPoolReplica", UserPoolId=POOL_REF, RegionName="us-west-2"
        ),
    )
    priced = lines(tmpl, mau=10_000)
    assert priced["replica MAU, Replica in us-west-2 of Pool (PLUS)"]["amount"] == pytest.approx(60)
    result = estimate(tmpl, mau=10_000)
    assert result.plans["LITE"].loses == ("replication",)


def test_does_not_fail_when_the_replica_region_and_pool_are_tokens() -> None:
    tmpl = template(
        Pool=pool(),
        Replica=resource(
            "AWS::Cognito::UserPoolReplica",
            UserPoolId={"Fn::ImportValue": "PoolId"},
            RegionName={"Ref": "ReplicaRegion"},
        ),
    )
    priced = lines(tmpl, mau=20_000)
    line = priced["replica MAU, Replica in a Region set at deploy of Pool (ESSENTIALS)"]
    assert line["amount"] == pytest.approx(90)  # 20,000 x 0.0045


def test_a_replica_of_a_lite_pool_is_not_priced() -> None:
    tmpl = template(
        Pool=pool(UserPoolTier="LITE"),
        Replica=resource("AWS::Cognito::UserPoolReplica", UserPoolId=POOL_REF, RegionName="x"),
    )
    result = estimate(tmpl, mau=5)
    assert result.total == 0
    assert result.notes == ("replica Replica in x: LITE pools cannot be replicated, not priced",)


def test_resources_of_a_pool_not_in_the_templates_are_named_not_priced() -> None:
    tmpl = template(
        Pool=pool(),
        Other=pool(),
        Machine=resource(
            "AWS::Cognito::UserPoolClient",
            UserPoolId="eu-west-1_Elsewhere",
            AllowedOAuthFlows=["client_credentials"],
        ),
    )
    result = estimate(tmpl, mau=0)
    assert not any(line.what.startswith("M2M") for line in result.lines)
    assert result.notes == ("not priced: Machine (m2m) of a user pool not in these templates",)


def test_mau_are_split_evenly_between_pools_that_share_the_free_tier() -> None:
    tmpl = template(A=pool(), B=pool(), C=pool(UserPoolTier="PLUS"))
    priced = lines(tmpl, mau=30_001)
    # 10,001 + 10,000 on ESSENTIALS share one ladder; 10,000 on PLUS.
    assert priced["ESSENTIALS MAU 10,001-20,001, A, B"]["quantity"] == 10_001
    assert priced["PLUS MAU 1-10,000, C"]["amount"] == 200


# --- WAF and CloudWatch --------------------------------------------------------------------


def test_web_acls_their_rules_and_requests() -> None:
    rules = [{"Name": f"r{i}", "Priority": i} for i in range(3)]
    tmpl = template(Acl=resource("AWS::WAFv2::WebACL", Name="auth", Scope="REGIONAL", Rules=rules))
    priced = lines(tmpl, mau=0, waf_requests=2_500_000)
    assert priced["WAF web ACL auth"]["amount"] == 5
    assert priced["WAF rules of auth"] == {
        "what": "WAF rules of auth",
        "quantity": 3,
        "unit_price": 1,
        "amount": 3,
    }
    assert priced["WAF requests (millions)"]["quantity"] == 2.5
    assert priced["WAF requests (millions)"]["amount"] == pytest.approx(1.5)


def test_does_not_fail_when_the_rules_are_a_token() -> None:
    tmpl = template(Acl=resource("AWS::WAFv2::WebACL", Rules={"Fn::If": ["C", [], []]}))
    result = estimate(tmpl, mau=0)
    assert [line.what for line in result.lines] == ["WAF web ACL Acl", "WAF requests (millions)"]
    assert "web ACL Acl: its rules are not a literal list, not priced" in result.notes


def test_alarms_are_billed_per_metric_and_dashboards_per_month() -> None:
    math_alarm = resource(
        "AWS::CloudWatch::Alarm",
        Metrics=[
            {"Id": "a", "MetricStat": {"Metric": {}, "Period": 60, "Stat": "Sum"}},
            {"Id": "b", "MetricStat": {"Metric": {}, "Period": 60, "Stat": "Sum"}},
            {"Id": "ratio", "Expression": "a / b"},
        ],
    )
    tmpl = template(
        Simple=resource("AWS::CloudWatch::Alarm", MetricName="SignInThrottles"),
        Ratio=math_alarm,
        Board=resource("AWS::CloudWatch::Dashboard", DashboardBody="{}"),
    )
    priced = lines(tmpl, mau=0)
    assert priced["CloudWatch alarm metrics"]["quantity"] == 3
    assert priced["CloudWatch alarm metrics"]["amount"] == pytest.approx(0.3)
    assert priced["CloudWatch dashboards"]["amount"] == 3


def test_a_template_without_cognito_prices_what_it_has() -> None:
    tmpl = template(Bucket=resource("AWS::S3::Bucket"))
    result = estimate(tmpl, mau=50_000, m2m_token_requests=10)
    assert result.lines == ()
    assert result.total == 0
    assert result.notes == (
        "no Cognito user pool in the templates: MAU and token requests not priced",
        "no client-credentials app client in the templates: token requests not priced",
    )


# --- reading templates ---------------------------------------------------------------------


def test_a_cloud_assembly_folder_is_read_through_its_manifest(tmp_path: Path) -> None:
    write(tmp_path, "Auth.template.json", template(Pool=pool()))
    write(tmp_path, "Ops.template.json", template(Board=resource("AWS::CloudWatch::Dashboard")))
    write(tmp_path, "Unlisted.template.json", template(X=pool()))
    manifest = {
        "artifacts": {
            "Auth": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "Auth.template.json"},
            },
            "Ops": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "Ops.template.json"},
            },
            "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
        }
    }
    write(tmp_path, "manifest.json", manifest)
    names = [Path(name).name for name, _ in load_templates([tmp_path])]
    assert names == ["Auth.template.json", "Ops.template.json"]


def test_a_folder_without_manifest_is_read_by_template_file_names(tmp_path: Path) -> None:
    write(tmp_path, "B.template.json", template())
    write(tmp_path, "A.template.json", template())
    write(tmp_path, "other.json", {"not": "a template"})
    assert [Path(n).name for n, _ in load_templates([tmp_path])] == [
        "A.template.json",
        "B.template.json",
    ]


def test_fails_when_a_template_is_missing_or_not_a_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"not found \(run `make synth` first\?\)"):
        load_templates([tmp_path / "nope.json"])
    with pytest.raises(TemplateError, match="no templates in"):
        load_templates([tmp_path])
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    with pytest.raises(TemplateError, match="is not readable JSON"):
        load_templates([bad])
    listed = write(tmp_path, "list.json", {"Resources": []})  # type: ignore[arg-type]
    with pytest.raises(TemplateError, match="is not a CloudFormation template"):
        load_templates([listed])


# --- the command's output ------------------------------------------------------------------


def full_template() -> dict[str, Any]:
    return template(
        Pool=pool(UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}),
        Saml=resource(
            "AWS::Cognito::UserPoolIdentityProvider",
            UserPoolId=POOL_REF,
            ProviderName="CorporateSSO",
            ProviderType="SAML",
        ),
        Machine=resource(
            "AWS::Cognito::UserPoolClient",
            UserPoolId=POOL_REF,
            ClientName="reports",
            AllowedOAuthFlows=["client_credentials"],
        ),
        Acl=resource("AWS::WAFv2::WebACL", Name="auth", Rules=[{"Name": "rate"}]),
        Alarm=resource("AWS::CloudWatch::Alarm"),
    )


def test_json_output_has_the_documented_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "full.template.json", full_template())
    args = ["cost", str(file), "--mau", "20000", "--federated-mau", "1050"]
    args += ["--m2m-requests", "1000", "--waf-requests", "1000000", "--json"]
    assert main(args) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"currency", "total", "lines", "plans", "notes"}
    assert document["currency"] == "USD"
    assert set(document["plans"]) == {"LITE", "ESSENTIALS", "PLUS"}
    for line in document["lines"]:
        assert set(line) == {"what", "quantity", "unit_price", "amount"}
        assert isinstance(line["what"], str)
        for key in ("quantity", "unit_price", "amount"):
            assert isinstance(line[key], int | float)
        assert line["amount"] == pytest.approx(line["quantity"] * line["unit_price"])
    assert document["total"] == pytest.approx(sum(line["amount"] for line in document["lines"]))
    # 18,950 PLUS MAU x 0.02 = 379; 1,000 federated x 0.015 = 15; M2M 6 + 2.25;
    # WAF 5 + 1 + 0.6; one alarm 0.1.
    assert document["total"] == pytest.approx(379 + 15 + 6 + 2.25 + 5 + 1 + 0.6 + 0.1)
    assert document["notes"] == []


def test_text_output_has_one_line_per_charge_the_total_and_the_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "full.template.json", full_template())
    assert main(["cost", str(file), "--mau", "20000", "--m2m-requests", "1000"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Monthly estimate at 20,000 MAU (1,000 M2M token requests), USD, "
        "pricing aws-2026.json as of 2026-12-01:"
    )
    assert out[1].split() == ["what", "quantity", "unit", "price", "amount"]
    rows = {line.split("  ")[1]: line.split() for line in out[2:10]}
    assert len(rows) == 8
    assert rows["PLUS MAU 1-20,000, Pool"][-3:] == ["20,000", "0.02", "400.00"]
    assert rows["M2M token requests"][-3:] == ["1,000", "0.00225", "2.25"]
    assert rows["threat protection MAU, Pool (ENFORCED), included in the plan price"][-3:] == [
        "20,000",
        "0",
        "0.00",
    ]
    assert out[10].split() == ["total", "414.35"]  # 400 + 6 + 2.25 + 5 + 1 + 0 + 0.1
    assert out[11] == "The same usage on each feature plan (now PLUS):"
    # LITE: 10,000 x 0.0055 = 55; ESSENTIALS: 10,000 x 0.015 = 150; the rest is the same 14.35.
    assert out[12].split() == ["LITE", "69.35", "loses:", "threat", "protection"]
    assert out[13].split() == ["ESSENTIALS", "164.35", "loses:", "threat", "protection"]
    assert out[14].split() == ["PLUS", "414.35"]
    assert len(out) == 15


def test_several_mau_values_print_the_cost_curve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "pool.template.json", template(Pool=pool()))
    assert main(["cost", str(file), "--mau", "1000,10000,100000,1000000"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Cost curve, USD per month, pricing aws-2026.json as of 2026-12-01 (now ESSENTIALS):"
    )
    assert [row.split() for row in out[1:]] == [
        ["MAU", "estimate", "LITE", "ESSENTIALS", "PLUS"],
        ["1,000", "0.00", "0.00", "0.00", "20.00"],
        ["10,000", "0.00", "0.00", "0.00", "200.00"],
        ["100,000", "1,350.00", "495.00", "1,350.00", "2,000.00"],
        ["1,000,000", "14,850.00", "4,635.00", "14,850.00", "20,000.00"],
    ]


def test_the_older_model_is_named_by_the_pricing_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "pool.template.json", template(Pool=pool()))
    assert main(["cost", str(file), "--mau", "100000", "--pricing", "aws-2024-mau-tiers"]) == 0
    out = capsys.readouterr().out
    assert "pricing aws-2024-mau-tiers.json as of 2024-11-21" in out
    assert out.splitlines()[4].split() == ["total", "495.00"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mau", "10,20", "--json"], "--json takes one --mau value"),
        (
            ["--mau", "100,1000", "--federated-mau", "200"],
            "--federated-mau 200 counts users that are part of --mau, so it cannot exceed it "
            "(got --mau 100)",
        ),
    ],
)
def test_cli_fails_with_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    file = write(tmp_path, "pool.template.json", template(Pool=pool()))
    assert main(["cost", str(file), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cognito-auth cost: ") and message in err
    assert err.count("\n") == 1


def test_cli_refuses_a_mau_that_is_not_a_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "pool.template.json", template(Pool=pool()))
    with pytest.raises(SystemExit) as raised:
        main(["cost", str(file), "--mau", "ten"])
    assert raised.value.code == 2
    assert "expected whole numbers >= 0 separated by commas, got 'ten'" in capsys.readouterr().err


# --- the README's worked examples ----------------------------------------------------------


def readme_example(size: str) -> tuple[dict[str, Any], Usage]:
    saml = resource(
        "AWS::Cognito::UserPoolIdentityProvider",
        UserPoolId=POOL_REF,
        ProviderName="CorporateSSO",
        ProviderType="SAML",
    )
    acl = resource("AWS::WAFv2::WebACL", Name="auth", Rules=[{}, {}, {}])
    board = resource("AWS::CloudWatch::Dashboard")
    if size == "medium":
        alarms = {f"Alarm{i}": resource("AWS::CloudWatch::Alarm") for i in range(4)}
        tmpl = template(Pool=pool(), Saml=saml, Acl=acl, Board=board, **alarms)
        return tmpl, Usage(mau=50_000, federated_mau=2_000, waf_requests=5_000_000)
    machines = {
        name: resource(
            "AWS::Cognito::UserPoolClient",
            UserPoolId=POOL_REF,
            ClientName=name,
            AllowedOAuthFlows=["client_credentials"],
        )
        for name in ("reports", "billing")
    }
    alarms = {f"Alarm{i}": resource("AWS::CloudWatch::Alarm") for i in range(8)}
    tmpl = template(
        Pool=pool(UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}),
        Saml=saml,
        Replica=resource(
            "AWS::Cognito::UserPoolReplica", UserPoolId=POOL_REF, RegionName="us-west-2"
        ),
        Acl=acl,
        Board=board,
        **machines,
        **alarms,
    )
    usage = Usage(
        mau=500_000, federated_mau=20_000, m2m_token_requests=1_000_000, waf_requests=50_000_000
    )
    return tmpl, usage


@pytest.mark.parametrize(
    ("size", "total", "plans", "older"),
    [
        ("medium", "613.65", ("252.65", "613.65", "1003.65"), "252.65"),
        ("large", "15203.05", ("4846.05", "11903.05", "15203.05"), "29846.05"),
    ],
)
def test_the_readme_worked_examples(
    size: str, total: str, plans: tuple[str, str, str], older: str
) -> None:
    tmpl, usage = readme_example(size)
    result = estimate_cost([("t.json", tmpl)], usage, load_pricing())
    assert result.total == Decimal(total)
    assert tuple(result.plans[plan].total for plan in ("LITE", "ESSENTIALS", "PLUS")) == tuple(
        Decimal(p) for p in plans
    )
    old = estimate_cost([("t.json", tmpl)], usage, load_pricing("aws-2024-mau-tiers"))
    assert old.total == Decimal(older)


def test_pools_with_the_same_logical_id_in_two_stacks_are_two_pools() -> None:
    saml = resource(
        "AWS::Cognito::UserPoolIdentityProvider",
        UserPoolId=POOL_REF,
        ProviderName="Corp",
        ProviderType="SAML",
    )
    found = inventory(
        [
            ("out/Eu.template.json", template(Pool=pool(), Saml=saml)),
            ("out/Us.template.json", template(Pool=pool(UserPoolTier="PLUS"))),
        ]
    )
    assert [(p.name, p.plan, p.federated_providers) for p in found.pools] == [
        ("Eu/Pool", "ESSENTIALS", ("SAML Corp",)),
        ("Us/Pool", "PLUS", ()),
    ]


def test_a_replica_in_another_stack_belongs_to_the_only_pool() -> None:
    replica = resource(
        "AWS::Cognito::UserPoolReplica",
        UserPoolId={"Fn::ImportValue": "Primary:PoolId"},
        RegionName="eu-central-1",
    )
    found = inventory(
        [
            ("Primary.template.json", template(Pool=pool())),
            ("Replica.template.json", template(Replica=replica)),
        ]
    )
    assert found.pools[0].replicas == ("Replica in eu-central-1",)


def test_an_alarm_on_a_query_alone_still_counts_once() -> None:
    alarm = resource("AWS::CloudWatch::Alarm", Metrics=[{"Id": "q", "Expression": "SELECT 1"}])
    assert inventory([("t.json", template(Alarm=alarm))]).alarm_metrics == 1


def test_does_not_fail_when_pool_properties_are_tokens() -> None:
    tmpl = template(
        Pool=pool(
            Policies={"Fn::If": ["Strict", {}, {}]},
            EnabledMfas={"Ref": "Mfas"},
            LambdaConfig={"Fn::If": ["Triggers", {}, {"Ref": "AWS::NoValue"}]},
            UserPoolAddOns={"AdvancedSecurityMode": {"Ref": "Mode"}},
        )
    )
    [found] = inventory([("t.json", tmpl)]).pools
    assert (found.plan, found.threat_protection, found.essentials_features) == (
        "ESSENTIALS",
        "set at deploy",
        (),
    )


def test_a_composite_alarm_is_named_as_not_priced() -> None:
    tmpl = template(Any=resource("AWS::CloudWatch::CompositeAlarm", AlarmRule="ALARM(a)"))
    result = estimate(tmpl, mau=0)
    assert (result.lines, result.notes) == (
        (),
        ("composite alarm Any: not priced (no price in the file)",),
    )
