"""Pricing files for ``cognito-auth cost``: tier arithmetic at the band edges, the shipped files,
and bad files refused with the key named."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cognito_auth_tools.cli import main
from cognito_auth_tools.cost import (
    PLANS,
    Inventory,
    PricingError,
    Tier,
    Usage,
    UsageError,
    UserPool,
    estimate_cost,
    load_pricing,
    parse_pricing,
    shipped_pricing,
    tiered,
)

SHIPPED = Path(__file__).resolve().parents[2] / "cognito_auth_tools" / "pricing"


def shipped(name: str = "aws-2026") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SHIPPED / f"{name}.json").read_text())
    return data


def pool(plan: str, **kwargs: Any) -> Inventory:
    return Inventory(pools=(UserPool(name="Pool", plan=plan, threat_protection=None, **kwargs),))


def total(plan: str, mau: int, pricing: str = "aws-2026") -> Decimal:
    return estimate_cost(pool(plan), Usage(mau=mau), load_pricing(pricing)).total


# --- tier arithmetic -----------------------------------------------------------------------


def test_tiers_split_a_quantity_into_marginal_bands() -> None:
    ladder = [
        Tier(up_to=10_000, per_unit=Decimal(0)),
        Tier(up_to=100_000, per_unit=Decimal("0.0055")),
        Tier(up_to=None, per_unit=Decimal("0.0046")),
    ]
    assert tiered(0, ladder) == []
    assert tiered(10_000, ladder) == [(1, 10_000, ladder[0])]
    assert tiered(10_001, ladder) == [(1, 10_000, ladder[0]), (10_001, 10_001, ladder[1])]
    assert tiered(100_001, ladder) == [
        (1, 10_000, ladder[0]),
        (10_001, 100_000, ladder[1]),
        (100_001, 100_001, ladder[2]),
    ]


@pytest.mark.parametrize(
    ("mau", "expected"),
    [
        (0, "0"),
        (10_000, "0"),  # the whole free tier, inclusive
        (10_001, "0.015"),  # the first paid MAU
        (100_000, "1350"),  # 90,000 x 0.015
        (1_000_000, "14850"),
    ],
)
def test_essentials_at_the_free_tier_boundary(mau: int, expected: str) -> None:
    assert total("ESSENTIALS", mau) == Decimal(expected)


@pytest.mark.parametrize(
    ("mau", "expected"),
    [
        (10_000, "0"),
        (10_001, "0.0055"),
        (100_000, "495"),  # 90,000 x 0.0055
        (100_001, "495.0046"),  # the next band starts at 100,001
        (1_000_000, "4635"),  # 495 + 900,000 x 0.0046
        (1_000_001, "4635.00325"),
        (10_000_000, "33885"),  # 4,635 + 9,000,000 x 0.00325
        (10_000_001, "33885.0025"),
    ],
)
def test_lite_bands_are_marginal(mau: int, expected: str) -> None:
    assert total("LITE", mau) == Decimal(expected)


@pytest.mark.parametrize(("mau", "expected"), [(1, "0.02"), (10_000, "200"), (100_000, "2000")])
def test_plus_has_no_free_tier(mau: int, expected: str) -> None:
    assert total("PLUS", mau) == Decimal(expected)


def test_older_model_charges_the_same_ladder_on_every_plan() -> None:
    assert [total(plan, 100_000, "aws-2024-mau-tiers") for plan in PLANS] == [Decimal(495)] * 3
    # Above 1,000,000: 0.0032 per MAU, as the older model was quoted.
    assert total("ESSENTIALS", 1_000_001, "aws-2024-mau-tiers") == Decimal("4635.0032")


def test_each_tier_band_is_its_own_line_with_its_unit_price() -> None:
    estimate = estimate_cost(pool("ESSENTIALS"), Usage(mau=10_001), load_pricing())
    assert [line.to_json() for line in estimate.lines] == [
        {
            "what": "ESSENTIALS MAU 1-10,000 (free), Pool",
            "quantity": 10_000,
            "unit_price": 0,
            "amount": 0,
        },
        {
            "what": "ESSENTIALS MAU 10,001-10,001, Pool",
            "quantity": 1,
            "unit_price": 0.015,
            "amount": 0.015,
        },
    ]


def test_federated_mau_are_billed_apart_from_plan_mau() -> None:
    inventory = pool("ESSENTIALS", federated_providers=("SAML CorporateSSO",))
    estimate = estimate_cost(inventory, Usage(mau=20_000, federated_mau=1_050), load_pricing())
    lines = {line.what: line for line in estimate.lines}
    # 18,950 plan MAU: 10,000 free + 8,950 x 0.015; 1,050 federated: 50 free + 1,000 x 0.015.
    assert lines["ESSENTIALS MAU 10,001-18,950, Pool"].amount == Decimal("134.25")
    assert lines["SAML/OIDC federated MAU 51-1,050, SAML CorporateSSO"].amount == Decimal(15)
    assert estimate.total == Decimal("149.25")


@pytest.mark.parametrize(
    ("billing", "expected"),
    [
        ("separate", "149.25"),  # 18,950 plan MAU + 1,050 federated
        ("additional", "165"),  # 20,000 plan MAU (150) + 1,050 federated on top (15)
        ("plan", "150"),  # 20,000 plan MAU, no federated price
    ],
)
def test_federated_billing_decides_where_federated_mau_count(billing: str, expected: str) -> None:
    data = shipped()
    data["federated_billing"] = dict.fromkeys(PLANS, billing)
    inventory = pool("ESSENTIALS", federated_providers=("OIDC Partner",))
    estimate = estimate_cost(inventory, Usage(mau=20_000, federated_mau=1_050), parse_pricing(data))
    assert estimate.total == Decimal(expected)


# --- the shipped files ---------------------------------------------------------------------


def test_both_pricing_models_are_shipped_with_source_and_date() -> None:
    assert shipped_pricing() == ["aws-2024-mau-tiers", "aws-2026"]
    for name in shipped_pricing():
        pricing = load_pricing(name)
        assert pricing.source.startswith("https://aws.amazon.com/cognito/pricing/")
        assert len(pricing.as_of) == 10
        assert pricing.currency == "USD"
        assert pricing.name == f"{name}.json"


def test_the_shipped_2026_prices() -> None:
    pricing = load_pricing()
    assert pricing.mau["ESSENTIALS"][0] == Tier(up_to=10_000, per_unit=Decimal(0))
    assert pricing.mau["ESSENTIALS"][1] == Tier(up_to=None, per_unit=Decimal("0.015"))
    assert pricing.mau["PLUS"] == (Tier(up_to=None, per_unit=Decimal("0.02")),)
    assert pricing.m2m_per_client_month == Decimal(6)
    assert pricing.m2m_per_token_request == Decimal("0.00225")
    assert pricing.federated_billing == dict.fromkeys(PLANS, "separate")


def test_a_file_in_exactly_the_documented_shape_loads(tmp_path: Path) -> None:
    """No optional key needed: federated_billing defaults to separate, threat protection to
    included in the plan price."""
    data = shipped()
    for optional in ("region", "notes", "federated_billing", "threat_protection_mau"):
        del data[optional]
    file = tmp_path / "negotiated.json"
    file.write_text(json.dumps(data))
    pricing = load_pricing(file)
    assert pricing.federated_billing == dict.fromkeys(PLANS, "separate")
    assert pricing.threat_protection_mau == (Tier(up_to=None, per_unit=Decimal(0)),)


# --- bad files -----------------------------------------------------------------------------


def broken(change: Any) -> dict[str, Any]:
    data = shipped()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("currency"), "key 'currency' is missing"),
        (lambda d: d["mau"].pop("PLUS"), "key 'mau.PLUS' is missing"),
        (
            lambda d: d["mau"]["ESSENTIALS"][1].update(per_mau="0.015"),
            "key 'mau.ESSENTIALS[1].per_mau' must be a number >= 0, got '0.015'",
        ),
        (
            lambda d: d["m2m"].update(per_token_request=-1),
            "key 'm2m.per_token_request' must be a number >= 0, got -1",
        ),
        (
            lambda d: d["mau"]["LITE"][2].update(up_to=50_000),
            "key 'mau.LITE[2].up_to' must be a whole number above the previous tier's (100000)",
        ),
        (
            lambda d: d["federated_mau"][0].update(up_to=None),
            "key 'federated_mau[0].up_to' may be null only in the last tier",
        ),
        (
            lambda d: d["mau"]["PLUS"][0].update(up_to=1_000),
            "key 'mau.PLUS[0].up_to' must be null in the last tier",
        ),
        (lambda d: d.update(mau=[]), "key 'mau' must be a JSON object, got []"),
        (
            lambda d: d["federated_billing"].update(PLUS="free"),
            "key 'federated_billing.PLUS' must be one of separate, additional, plan, got 'free'",
        ),
        (lambda d: d.update(federated_mua=[]), "key 'federated_mua' is not a pricing key"),
        (lambda d: d["waf"].pop("per_rule_month"), "key 'waf.per_rule_month' is missing"),
    ],
)
def test_fails_when_a_pricing_key_is_wrong(change: Any, message: str) -> None:
    with pytest.raises(PricingError, match=r"^pricing file bad\.json: ") as raised:
        parse_pricing(broken(change), name="bad.json")
    assert message in str(raised.value)
    assert raised.value.key is not None and raised.value.key in message


def test_values_are_shown_as_the_file_spells_them(tmp_path: Path) -> None:
    file = tmp_path / "rates.json"
    file.write_text(json.dumps(broken(lambda d: d["waf"].update(per_web_acl_month=-5.5))))
    with pytest.raises(PricingError) as raised:
        load_pricing(file)
    assert str(raised.value) == (
        "pricing file rates.json: key 'waf.per_web_acl_month' must be a number >= 0, got -5.5"
    )


def test_fails_when_the_pricing_file_is_not_json(tmp_path: Path) -> None:
    file = tmp_path / "rates.json"
    file.write_text("{not json")
    with pytest.raises(PricingError, match="is not readable JSON") as raised:
        load_pricing(file)
    assert raised.value.key is None


def test_fails_when_the_pricing_file_does_not_exist() -> None:
    with pytest.raises(PricingError, match=r"not found \(shipped: aws-2024-mau-tiers, aws-2026\)"):
        load_pricing("aws-1999")


def test_cli_refuses_a_bad_pricing_file_with_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rates = tmp_path / "rates.json"
    rates.write_text(json.dumps(broken(lambda d: d["cloudwatch"].pop("per_alarm_month"))))
    template = tmp_path / "t.template.json"
    template.write_text(json.dumps({"Resources": {}}))
    code = main(["cost", str(template), "--mau", "1000", "--pricing", str(rates)])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "cognito-auth cost: pricing file rates.json: key 'cloudwatch.per_alarm_month' is missing\n"
    )


# --- usage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mau": -1}, "Usage: mau must be a whole number >= 0, got -1"),
        ({"mau": 10.5}, "Usage: mau must be a whole number >= 0, got 10.5"),
        ({"mau": 10, "waf_requests": True}, "Usage: waf_requests must be a whole number"),
        (
            {"mau": 10, "federated_mau": 11},
            "Usage: federated_mau (11) is part of mau and cannot exceed it (10)",
        ),
    ],
)
def test_fails_when_usage_is_out_of_range(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as raised:
        Usage(**kwargs)
    assert message in str(raised.value)
