"""``cognito-auth cost``: a monthly estimate from synthesized templates, usage and a pricing file.

It reads CloudFormation templates (files, or a cloud assembly folder such as ``cdk.out``), finds
what Amazon Cognito and its neighbours bill for, and prices it with a pricing file (the shipped
``pricing/aws-2026.json`` unless told otherwise):

* each user pool's feature plan (``UserPoolTier``; ESSENTIALS when absent, the default for new
  pools) and threat protection (``UserPoolAddOns.AdvancedSecurityMode``),
  https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
* SAML 2.0 and OIDC identity providers (their users are billed apart from the others; social
  providers are not),
* app clients with the client-credentials grant (machine-to-machine, per client and per token),
  https://docs.aws.amazon.com/cognito/latest/developerguide/tracking-cost.html
* user pool replicas (multi-Region replication, ESSENTIALS or PLUS only),
  https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-multi-region.html
* WAF web ACLs and their rules, CloudWatch alarms and dashboards.

Usage (MAU, federated MAU, token requests, web ACL requests) is the caller's figure: templates
say what is billed, not how much it is used. Nothing here imports ``aws_cdk``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from cognito_auth_tools.assembly import AssemblyError, stack_templates

PLANS = ("LITE", "ESSENTIALS", "PLUS")
DEFAULT_PLAN = "ESSENTIALS"  # AWS::Cognito::UserPool UserPoolTier default for new pools
PRICING_DIR = Path(__file__).resolve().parent / "pricing"
DEFAULT_PRICING = "aws-2026"
FEDERATED_BILLING = ("separate", "additional", "plan")
FEDERATED_PROVIDER_TYPES = ("SAML", "OIDC")
EXIT_USAGE = 2
_ZERO = Decimal(0)
_MILLION = Decimal(1_000_000)


class CostError(ValueError):
    """Base class: the estimate cannot be made from what was given."""


class PricingError(CostError):
    """A pricing file is unreadable or a key in it is missing or wrong.

    Attributes:
        key: the key as a path into the file (``mau.ESSENTIALS[1].per_mau``), or ``None`` when
            the file itself could not be read.
    """

    def __init__(self, source: str, key: str | None, problem: str) -> None:
        self.source = source
        self.key = key
        where = f"key {key!r} " if key else ""
        super().__init__(f"pricing file {source}: {where}{problem}")


class TemplateError(CostError):
    """A template file or folder cannot be read as CloudFormation JSON."""


class UsageError(CostError):
    """A usage figure is out of range."""


# --- pricing -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Tier:
    """One marginal band of a tiered price: units up to ``up_to`` (inclusive; ``None`` is
    unbounded) above the previous band cost ``per_unit`` each."""

    up_to: int | None
    per_unit: Decimal


@dataclass(frozen=True, kw_only=True)
class Pricing:
    """The prices of one pricing file. Load with :func:`load_pricing`."""

    source: str
    as_of: str
    currency: str
    name: str
    mau: Mapping[str, tuple[Tier, ...]]
    federated_mau: tuple[Tier, ...]
    federated_billing: Mapping[str, str]
    threat_protection_mau: tuple[Tier, ...]
    m2m_per_client_month: Decimal
    m2m_per_token_request: Decimal
    replica_per_mau: Mapping[str, Decimal]
    waf_per_web_acl_month: Decimal
    waf_per_rule_month: Decimal
    waf_per_million_requests: Decimal
    cloudwatch_per_alarm_month: Decimal
    cloudwatch_per_dashboard_month: Decimal


_PRICING_KEYS = {
    "source",
    "as_of",
    "currency",
    "region",
    "notes",
    "mau",
    "federated_mau",
    "federated_billing",
    "threat_protection_mau",
    "m2m",
    "replica_per_mau",
    "waf",
    "cloudwatch",
}


def shipped_pricing() -> list[str]:
    """Names of the pricing files shipped in the package (``--pricing NAME``)."""
    return sorted(p.stem for p in PRICING_DIR.glob("*.json"))


def load_pricing(file: str | Path | None = None) -> Pricing:
    """Read a pricing file: a path, or the name of a shipped file (``aws-2026``,
    ``aws-2024-mau-tiers``). Default: the shipped ``aws-2026``.

    Raises:
        PricingError: the file cannot be read, or a key is missing or holds a wrong value.
    """
    name = str(file) if file is not None else DEFAULT_PRICING
    path = Path(name)
    if not path.exists() and (PRICING_DIR / f"{name}.json").exists():
        path = PRICING_DIR / f"{name}.json"
    try:
        data = json.loads(path.read_text(), parse_float=Decimal, parse_int=Decimal)
    except FileNotFoundError:
        raise PricingError(
            name, None, f"not found (shipped: {', '.join(shipped_pricing())})"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PricingError(name, None, f"is not readable JSON ({exc})") from None
    return parse_pricing(data, name=path.name)


def parse_pricing(data: object, *, name: str = "<pricing>") -> Pricing:
    """Check and convert the parsed JSON of a pricing file (see :func:`load_pricing`)."""
    reader = _Reader(name)
    top = reader.object(data, "")
    unknown = sorted(set(top) - _PRICING_KEYS)
    if unknown:
        raise PricingError(
            name, unknown[0], f"is not a pricing key (allowed: {', '.join(sorted(_PRICING_KEYS))})"
        )
    mau = reader.object(reader.get(top, "mau"), "mau")
    billing_data = top.get("federated_billing", dict.fromkeys(PLANS, "separate"))
    billing = reader.object(billing_data, "federated_billing")
    replica = reader.object(reader.get(top, "replica_per_mau"), "replica_per_mau")
    m2m = reader.object(reader.get(top, "m2m"), "m2m")
    waf = reader.object(reader.get(top, "waf"), "waf")
    cloudwatch = reader.object(reader.get(top, "cloudwatch"), "cloudwatch")
    free = [{"up_to": None, "per_mau": _ZERO}]
    return Pricing(
        source=reader.text(reader.get(top, "source"), "source"),
        as_of=reader.text(reader.get(top, "as_of"), "as_of"),
        currency=reader.text(reader.get(top, "currency"), "currency"),
        name=name,
        mau={plan: reader.tiers(reader.get(mau, plan, "mau"), f"mau.{plan}") for plan in PLANS},
        federated_mau=reader.tiers(reader.get(top, "federated_mau"), "federated_mau"),
        federated_billing={
            plan: reader.choice(
                reader.get(billing, plan, "federated_billing"),
                f"federated_billing.{plan}",
                FEDERATED_BILLING,
            )
            for plan in PLANS
        },
        threat_protection_mau=reader.tiers(
            top.get("threat_protection_mau", free), "threat_protection_mau"
        ),
        m2m_per_client_month=reader.number(m2m, "per_client_month", "m2m"),
        m2m_per_token_request=reader.number(m2m, "per_token_request", "m2m"),
        # LITE pools cannot be replicated, so only the two plans that can are priced.
        replica_per_mau={
            plan: reader.number(replica, plan, "replica_per_mau") for plan in ("ESSENTIALS", "PLUS")
        },
        waf_per_web_acl_month=reader.number(waf, "per_web_acl_month", "waf"),
        waf_per_rule_month=reader.number(waf, "per_rule_month", "waf"),
        waf_per_million_requests=reader.number(waf, "per_million_requests", "waf"),
        cloudwatch_per_alarm_month=reader.number(cloudwatch, "per_alarm_month", "cloudwatch"),
        cloudwatch_per_dashboard_month=reader.number(
            cloudwatch, "per_dashboard_month", "cloudwatch"
        ),
    )


def _shown(value: Any) -> str:
    """A value from a pricing file as the file spells it (numbers are read as Decimal)."""
    if isinstance(value, Decimal):
        return str(value)
    return repr(value)


class _Reader:
    """Typed access to pricing JSON that names the key of every problem."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, key: str, problem: str) -> PricingError:
        return PricingError(self.name, key or None, problem)

    def get(self, obj: Mapping[str, Any], key: str, parent: str = "") -> Any:
        path = f"{parent}.{key}" if parent else key
        if key not in obj:
            raise self.fail(path, "is missing")
        return obj[key]

    def object(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a JSON object, got {_shown(value)}")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(key, f"must be a non-empty string, got {_shown(value)}")
        return value

    def choice(self, value: Any, key: str, allowed: Sequence[str]) -> str:
        if value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}, got {_shown(value)}")
        return str(value)

    def amount(self, value: Any, key: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
            raise self.fail(key, f"must be a number >= 0, got {_shown(value)}")
        number = Decimal(str(value))
        if number < 0:
            raise self.fail(key, f"must be a number >= 0, got {_shown(value)}")
        return number

    def number(self, obj: Mapping[str, Any], key: str, parent: str) -> Decimal:
        return self.amount(self.get(obj, key, parent), f"{parent}.{key}")

    def tiers(self, value: Any, key: str) -> tuple[Tier, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"must be a non-empty list of tiers, got {_shown(value)}")
        tiers: list[Tier] = []
        previous = -1
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            band = self.object(item, where)
            up_to = self.get(band, "up_to", where)
            per_unit = self.number(band, "per_mau", where)
            last = index == len(value) - 1
            if up_to is None:
                if not last:
                    raise self.fail(f"{where}.up_to", "may be null only in the last tier")
                tiers.append(Tier(up_to=None, per_unit=per_unit))
                continue
            if (
                isinstance(up_to, bool)
                or not isinstance(up_to, (Decimal, int))
                or Decimal(up_to) != int(up_to)
                or int(up_to) <= previous
            ):
                raise self.fail(
                    f"{where}.up_to",
                    f"must be a whole number above the previous tier's ({previous}), "
                    f"got {_shown(up_to)}",
                )
            previous = int(up_to)
            tiers.append(Tier(up_to=previous, per_unit=per_unit))
        if tiers[-1].up_to is not None:
            raise self.fail(f"{key}[{len(tiers) - 1}].up_to", "must be null in the last tier")
        return tuple(tiers)


def tiered(quantity: int, tiers: Sequence[Tier]) -> list[tuple[int, int, Tier]]:
    """Split ``quantity`` over marginal tiers: ``(first, last, tier)`` per band used (1-based,
    inclusive). 10,001 units on ``[10,000 free, then 0.015]`` are ``(1, 10000)`` free and
    ``(10001, 10001)`` at 0.015."""
    bands: list[tuple[int, int, Tier]] = []
    start = 1
    for tier in tiers:
        if start > quantity:
            break
        end = quantity if tier.up_to is None else min(quantity, tier.up_to)
        if end >= start:
            bands.append((start, end, tier))
        start = end + 1 if tier.up_to is None else tier.up_to + 1
    return bands


# --- usage and results -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Usage:
    """Expected monthly usage.

    Args:
        mau: monthly active users of all user pools together (an account-wide figure: free
            tiers are per account); with several pools they are split evenly among them.
        federated_mau: how many of ``mau`` sign in through a SAML 2.0 or OIDC provider.
            Default: 0.
        m2m_token_requests: token requests with the client-credentials grant. Default: 0.
        waf_requests: web requests inspected by the web ACLs. Default: 0.
    """

    mau: int
    federated_mau: int = 0
    m2m_token_requests: int = 0
    waf_requests: int = 0

    def __post_init__(self) -> None:
        for name in ("mau", "federated_mau", "m2m_token_requests", "waf_requests"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UsageError(f"Usage: {name} must be a whole number >= 0, got {value!r}")
        if self.federated_mau > self.mau:
            raise UsageError(
                f"Usage: federated_mau ({self.federated_mau!r}) is part of mau and cannot "
                f"exceed it ({self.mau!r})"
            )


@dataclass(frozen=True, kw_only=True)
class LineItem:
    """One charge: ``quantity`` units at ``unit_price`` make ``amount`` per month."""

    what: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    @classmethod
    def priced(cls, what: str, quantity: Decimal | int, unit_price: Decimal) -> LineItem:
        """``quantity`` units at ``unit_price``: the amount is their product."""
        quantity = Decimal(quantity)
        return cls(
            what=what, quantity=quantity, unit_price=unit_price, amount=quantity * unit_price
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "quantity": _number(self.quantity),
            "unit_price": _number(self.unit_price),
            "amount": _number(self.amount),
        }


@dataclass(frozen=True, kw_only=True)
class PlanOption:
    """The same usage with every user pool on ``plan``, and the features in use that the
    pools would lose on it."""

    plan: str
    total: Decimal
    loses: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class CostEstimate:
    """A monthly estimate: line items, their total, and the other feature plans."""

    currency: str
    usage: Usage
    pricing: Pricing
    lines: tuple[LineItem, ...]
    plans: Mapping[str, PlanOption]
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), _ZERO)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document (amounts per month, not rounded)."""
        return {
            "currency": self.currency,
            "total": _number(self.total),
            "lines": [line.to_json() for line in self.lines],
            "plans": {plan: _number(option.total) for plan, option in self.plans.items()},
            "notes": list(self.notes),
        }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --- what the templates define -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class UserPool:
    """A user pool found in a template, with what it uses that a plan decides."""

    name: str
    plan: str
    threat_protection: str | None
    federated_providers: tuple[str, ...] = ()
    m2m_clients: tuple[str, ...] = ()
    replicas: tuple[str, ...] = ()
    essentials_features: tuple[str, ...] = ()
    plus_features: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class WebAcl:
    name: str
    rules: int | None  # None: the rule list is not a literal


@dataclass(frozen=True, kw_only=True)
class Inventory:
    """What the templates define that costs money."""

    pools: tuple[UserPool, ...] = ()
    orphans: tuple[str, ...] = ()  # replicas, providers or clients of pools not in the templates
    web_acls: tuple[WebAcl, ...] = ()
    alarm_metrics: int = 0
    dashboards: int = 0
    notes: tuple[str, ...] = ()


def load_templates(paths: Iterable[str | Path]) -> list[tuple[str, dict[str, Any]]]:
    """Read templates: JSON files, or folders (a cloud assembly's ``manifest.json`` names its
    stack templates; otherwise every ``*.template.json`` in the folder).

    Raises:
        TemplateError: a path is missing or not CloudFormation JSON.
    """
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(_assembly_templates(path))
        elif path.is_file():
            files.append(path)
        else:
            raise TemplateError(f"template {str(given)!r} not found (run `make synth` first?)")
    templates = []
    for file in files:
        try:
            template = json.loads(file.read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TemplateError(f"template {str(file)!r} is not readable JSON ({exc})") from None
        if not isinstance(template, dict) or not isinstance(template.get("Resources", {}), dict):
            raise TemplateError(f"template {str(file)!r} is not a CloudFormation template")
        templates.append((str(file), template))
    return templates


def _assembly_templates(folder: Path) -> list[Path]:
    try:
        found = [file for _, file in stack_templates(folder)]
    except AssemblyError as error:
        raise TemplateError(str(error)) from None
    if not found:
        raise TemplateError(f"no templates in {str(folder)!r} (run `make synth` first?)")
    return found


def _resources(template: Mapping[str, Any], kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in template.get("Resources", {}).items():
        if isinstance(resource, dict) and resource.get("Type") == kind:
            props = resource.get("Properties")
            yield logical_id, props if isinstance(props, dict) else {}


def _literal(value: Any) -> str | None:
    """A plain string value, or ``None`` for an intrinsic function (Ref, Fn::GetAtt, Fn::If...)."""
    return value if isinstance(value, str) else None


def _pool_ref(value: Any) -> str | None:
    """The logical ID of the pool a ``UserPoolId`` property refers to, when it is a ``Ref``."""
    if isinstance(value, dict) and set(value) == {"Ref"} and isinstance(value["Ref"], str):
        return value["Ref"]
    return None


def inventory(templates: Iterable[tuple[str, Mapping[str, Any]]]) -> Inventory:
    """What the templates define that Cognito, WAF and CloudWatch bill for."""
    # Logical IDs are unique within one template only: pools are keyed by (file, logical ID).
    pools: dict[tuple[str, str], dict[str, Any]] = {}
    attachments: list[tuple[str, str, Any, str]] = []  # (file, kind, UserPoolId, description)
    web_acls: list[WebAcl] = []
    alarm_metrics = dashboards = 0
    notes: list[str] = []
    for file, template in templates:
        for logical_id, props in _resources(template, "AWS::Cognito::UserPool"):
            pools[(file, logical_id)] = _pool_facts(logical_id, props, notes)
        for logical_id, props in _resources(template, "AWS::Cognito::UserPoolIdentityProvider"):
            provider_type = _literal(props.get("ProviderType"))
            if provider_type in FEDERATED_PROVIDER_TYPES:
                name = _literal(props.get("ProviderName")) or logical_id
                attachments.append(
                    (file, "federated", props.get("UserPoolId"), f"{provider_type} {name}")
                )
        for logical_id, props in _resources(template, "AWS::Cognito::UserPoolClient"):
            flows = props.get("AllowedOAuthFlows")
            if isinstance(flows, list) and "client_credentials" in flows:
                name = _literal(props.get("ClientName")) or logical_id
                attachments.append((file, "m2m", props.get("UserPoolId"), name))
        for logical_id, props in _resources(template, "AWS::Cognito::UserPoolReplica"):
            region = _literal(props.get("RegionName")) or "a Region set at deploy"
            attachments.append(
                (file, "replica", props.get("UserPoolId"), f"{logical_id} in {region}")
            )
        for _id, props in _resources(template, "AWS::Cognito::LogDeliveryConfiguration"):
            for config in _list(props.get("LogConfigurations")):
                if isinstance(config, dict) and config.get("EventSource") == "userAuthEvents":
                    attachments.append(
                        (file, "plus", props.get("UserPoolId"), "auth event log export")
                    )
        for _id, props in _resources(template, "AWS::Cognito::ManagedLoginBranding"):
            attachments.append((file, "essentials", props.get("UserPoolId"), "managed login"))
        for _id, props in _resources(template, "AWS::Cognito::UserPoolDomain"):
            if props.get("ManagedLoginVersion") == 2:
                attachments.append((file, "essentials", props.get("UserPoolId"), "managed login"))
        for logical_id, props in _resources(template, "AWS::WAFv2::WebACL"):
            rules = props.get("Rules", [])
            count = len(rules) if isinstance(rules, list) else None
            if count is None:
                notes.append(f"web ACL {logical_id}: its rules are not a literal list, not priced")
            web_acls.append(WebAcl(name=_literal(props.get("Name")) or logical_id, rules=count))
        for _id, props in _resources(template, "AWS::CloudWatch::Alarm"):
            # An alarm is billed per metric it evaluates: metric math alarms list several.
            metrics = props.get("Metrics")
            if isinstance(metrics, list) and metrics:
                alarm_metrics += max(
                    1, sum(1 for m in metrics if isinstance(m, dict) and "MetricStat" in m)
                )
            else:
                alarm_metrics += 1
        dashboards += sum(1 for _ in _resources(template, "AWS::CloudWatch::Dashboard"))
        for logical_id, _props in _resources(template, "AWS::CloudWatch::CompositeAlarm"):
            notes.append(f"composite alarm {logical_id}: not priced (no price in the file)")

    orphans: list[str] = []
    for file, kind, pool_id, description in attachments:
        target = (file, _pool_ref(pool_id) or "")
        if target not in pools and len(pools) == 1:
            target = next(iter(pools))  # an imported or computed id: the only pool there is
        if target not in pools:
            orphans.append(f"{description} ({kind}) of a user pool not in these templates")
            continue
        key = {
            "federated": "federated_providers",
            "m2m": "m2m_clients",
            "replica": "replicas",
            "essentials": "essentials_features",
            "plus": "plus_features",
        }[kind]
        pools[target][key].append(description)
    notes.extend(f"not priced: {orphan}" for orphan in orphans)
    return Inventory(
        pools=tuple(
            UserPool(
                name=_pool_name(key, pools),
                plan=facts["plan"],
                threat_protection=facts["threat_protection"],
                federated_providers=tuple(facts["federated_providers"]),
                m2m_clients=tuple(facts["m2m_clients"]),
                replicas=tuple(facts["replicas"]),
                essentials_features=tuple(dict.fromkeys(facts["essentials_features"])),
                plus_features=tuple(dict.fromkeys(facts["plus_features"])),
            )
            for key, facts in pools.items()
        ),
        orphans=tuple(orphans),
        web_acls=tuple(web_acls),
        alarm_metrics=alarm_metrics,
        dashboards=dashboards,
        notes=tuple(notes),
    )


def _pool_name(key: tuple[str, str], pools: Mapping[tuple[str, str], Any]) -> str:
    """The pool's logical ID, with its template's name when another template has the same ID."""
    file, logical_id = key
    if sum(1 for _file, other in pools if other == logical_id) == 1:
        return logical_id
    return f"{Path(file).name.removesuffix('.template.json')}/{logical_id}"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _pool_facts(logical_id: str, props: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    tier = props.get("UserPoolTier", DEFAULT_PLAN)
    plan = _literal(tier)
    if plan not in PLANS:
        notes.append(
            f"user pool {logical_id}: feature plan {tier!r} not known, priced as {DEFAULT_PLAN}"
        )
        plan = DEFAULT_PLAN
    add_ons = props.get("UserPoolAddOns")
    mode = add_ons.get("AdvancedSecurityMode") if isinstance(add_ons, dict) else None
    threat = None if mode in (None, "OFF") else (_literal(mode) or "set at deploy")
    essentials: list[str] = []
    plus: list[str] = ["threat protection"] if threat else []
    mfas = props.get("EnabledMfas")
    if isinstance(mfas, list) and "EMAIL_OTP" in mfas:
        essentials.append("email MFA")
    policies = _dict(props.get("Policies"))
    factors = _dict(policies.get("SignInPolicy")).get("AllowedFirstAuthFactors")
    if isinstance(factors, list) and any(f != "PASSWORD" for f in factors):
        essentials.append("passwordless sign-in")
    if _dict(policies.get("PasswordPolicy")).get("PasswordHistorySize"):
        essentials.append("password reuse prevention")
    version = _dict(_dict(props.get("LambdaConfig")).get("PreTokenGenerationConfig")).get(
        "LambdaVersion"
    )
    if version in ("V2_0", "V3_0"):
        essentials.append(f"access token customization ({version} trigger)")
    return {
        "plan": plan,
        "threat_protection": threat,
        "federated_providers": [],
        "m2m_clients": [],
        "replicas": [],
        "essentials_features": essentials,
        "plus_features": plus,
    }


# --- the estimate ------------------------------------------------------------------------------


def estimate_cost(
    templates: Iterable[tuple[str, Mapping[str, Any]]] | Inventory,
    usage: Usage,
    pricing: Pricing | None = None,
) -> CostEstimate:
    """The monthly estimate of ``templates`` (as :func:`load_templates` returns them, or an
    :class:`Inventory`) at ``usage``, with ``pricing``. Default: the shipped ``aws-2026`` file.

    Every user pool is priced on its own plan; ``plans`` holds the same usage priced with every
    pool on LITE, ESSENTIALS and PLUS in turn.
    """
    pricing = pricing or load_pricing()
    found = templates if isinstance(templates, Inventory) else inventory(templates)
    lines, notes = _lines(found, usage, pricing)
    plans = {
        plan: PlanOption(
            plan=plan,
            total=sum(
                (line.amount for line in _lines(_on_plan(found, plan), usage, pricing)[0]), _ZERO
            ),
            loses=_losses(found, plan),
        )
        for plan in PLANS
    }
    return CostEstimate(
        currency=pricing.currency,
        usage=usage,
        pricing=pricing,
        lines=tuple(lines),
        plans=plans,
        notes=tuple(dict.fromkeys([*found.notes, *notes])),
    )


def _on_plan(found: Inventory, plan: str) -> Inventory:
    pools = []
    for pool in found.pools:
        moved = replace(pool, plan=plan)
        if plan != "PLUS":
            moved = replace(moved, threat_protection=None)
        if plan == "LITE":
            moved = replace(moved, replicas=())
        pools.append(moved)
    return replace(found, pools=tuple(pools), notes=())


def _losses(found: Inventory, plan: str) -> tuple[str, ...]:
    lost: list[str] = []
    for pool in found.pools:
        if plan != "PLUS":
            lost.extend(pool.plus_features)
        if plan == "LITE":
            lost.extend(pool.essentials_features)
            if pool.replicas:
                lost.append("replication")
    return tuple(dict.fromkeys(lost))


def _split(total: int, parts: int) -> list[int]:
    share, rest = divmod(total, parts)
    return [share + (1 if index < rest else 0) for index in range(parts)]


def _tier_lines(label: str, quantity: int, tiers: Sequence[Tier], names: str) -> list[LineItem]:
    lines = []
    for first, last, tier in tiered(quantity, tiers):
        count = Decimal(last - first + 1)
        free = " (free)" if tier.per_unit == 0 else ""
        lines.append(
            LineItem.priced(
                f"{label} {first:,}-{last:,}{free}, {names}",
                count,
                tier.per_unit,
            )
        )
    return lines


def _lines(found: Inventory, usage: Usage, pricing: Pricing) -> tuple[list[LineItem], list[str]]:
    lines: list[LineItem] = []
    notes: list[str] = []
    pools = found.pools
    if not pools and (usage.mau or usage.federated_mau or usage.m2m_token_requests):
        notes.append("no Cognito user pool in the templates: MAU and token requests not priced")
    mau_shares = _split(usage.mau, len(pools)) if pools else []
    federated_pools = [index for index, pool in enumerate(pools) if pool.federated_providers]
    federated_shares = dict.fromkeys(range(len(pools)), 0)
    if federated_pools:
        for index, share in zip(
            federated_pools, _split(usage.federated_mau, len(federated_pools)), strict=True
        ):
            federated_shares[index] = min(share, mau_shares[index])
    elif usage.federated_mau and pools:
        notes.append("no SAML or OIDC provider in the templates: federated MAU priced as plan MAU")

    # Plan MAU: free tiers are per account, so pools on one plan share one tier ladder.
    federated_total = 0
    for plan in PLANS:
        members = [index for index, pool in enumerate(pools) if pool.plan == plan]
        if not members:
            continue
        billing = pricing.federated_billing[plan]
        quantity = sum(
            mau_shares[i] - (federated_shares[i] if billing == "separate" else 0) for i in members
        )
        federated_total += sum(federated_shares[i] for i in members if billing != "plan")
        names = ", ".join(pools[i].name for i in members)
        lines.extend(_tier_lines(f"{plan} MAU", quantity, pricing.mau[plan], names))
    if federated_pools:
        providers = ", ".join(p for pool in pools for p in pool.federated_providers)
        lines.extend(
            _tier_lines(
                "SAML/OIDC federated MAU", federated_total, pricing.federated_mau, providers
            )
        )

    protected = [i for i, pool in enumerate(pools) if pool.threat_protection]
    if protected:
        quantity = sum(mau_shares[i] for i in protected)
        names = ", ".join(f"{pools[i].name} ({pools[i].threat_protection})" for i in protected)
        if all(t.per_unit == 0 for t in pricing.threat_protection_mau):
            lines.append(
                LineItem.priced(
                    f"threat protection MAU, {names}, included in the plan price",
                    Decimal(quantity),
                    _ZERO,
                )
            )
        else:
            lines.extend(
                _tier_lines("threat protection MAU", quantity, pricing.threat_protection_mau, names)
            )

    for index, pool in enumerate(pools):
        for replica in pool.replicas:
            if pool.plan == "LITE":
                notes.append(f"replica {replica}: LITE pools cannot be replicated, not priced")
                continue
            what = f"replica MAU, {replica} of {pool.name} ({pool.plan})"
            lines.append(
                LineItem.priced(what, mau_shares[index], pricing.replica_per_mau[pool.plan])
            )

    clients = [client for pool in pools for client in pool.m2m_clients]
    if clients:
        what = f"M2M app clients ({', '.join(clients)})"
        lines.append(LineItem.priced(what, len(clients), pricing.m2m_per_client_month))
        lines.append(
            LineItem.priced(
                "M2M token requests", usage.m2m_token_requests, pricing.m2m_per_token_request
            )
        )
    elif usage.m2m_token_requests:
        notes.append("no client-credentials app client in the templates: token requests not priced")

    for acl in found.web_acls:
        lines.append(LineItem.priced(f"WAF web ACL {acl.name}", 1, pricing.waf_per_web_acl_month))
        if acl.rules:
            what = f"WAF rules of {acl.name}"
            lines.append(LineItem.priced(what, acl.rules, pricing.waf_per_rule_month))
    if found.web_acls:
        millions = Decimal(usage.waf_requests) / _MILLION
        what = "WAF requests (millions)"
        lines.append(LineItem.priced(what, millions, pricing.waf_per_million_requests))
    elif usage.waf_requests:
        notes.append("no WAF web ACL in the templates: web ACL requests not priced")

    if found.alarm_metrics:
        what, price = "CloudWatch alarm metrics", pricing.cloudwatch_per_alarm_month
        lines.append(LineItem.priced(what, found.alarm_metrics, price))
    if found.dashboards:
        what, price = "CloudWatch dashboards", pricing.cloudwatch_per_dashboard_month
        lines.append(LineItem.priced(what, found.dashboards, price))
    return lines, notes


# --- text output -------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,.2f}"


def _quantity(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.6f}".rstrip("0")


def _current_plans(found: Inventory) -> str:
    return "/".join(dict.fromkeys(pool.plan for pool in found.pools)) or "no user pool"


def render(estimate: CostEstimate, found: Inventory) -> str:
    """The estimate as text: one line per charge, the total, the other plans, the notes."""
    pricing = estimate.pricing
    usage = estimate.usage
    head = f"Monthly estimate at {usage.mau:,} MAU"
    extras = [
        f"{usage.federated_mau:,} federated" if usage.federated_mau else "",
        f"{usage.m2m_token_requests:,} M2M token requests" if usage.m2m_token_requests else "",
        f"{usage.waf_requests:,} web ACL requests" if usage.waf_requests else "",
    ]
    extras = [e for e in extras if e]
    if extras:
        head += f" ({', '.join(extras)})"
    rows = [
        f"{head}, {pricing.currency}, pricing {pricing.name} as of {pricing.as_of}:",
    ]
    width = max([len(line.what) for line in estimate.lines] + [5])
    rows.append(f"  {'what':<{width}}  {'quantity':>12}  {'unit price':>10}  {'amount':>12}")
    for line in estimate.lines:
        rows.append(
            f"  {line.what:<{width}}  {_quantity(line.quantity):>12}  "
            f"{_quantity(line.unit_price):>10}  {_money(line.amount):>12}"
        )
    rows.append(f"  {'total':<{width}}  {'':>12}  {'':>10}  {_money(estimate.total):>12}")
    if found.pools:
        rows.append(f"The same usage on each feature plan (now {_current_plans(found)}):")
        for plan, option in estimate.plans.items():
            loses = f"  loses: {', '.join(option.loses)}" if option.loses else ""
            rows.append(f"  {plan:<10}  {_money(option.total):>12}{loses}")
    rows.extend(f"note: {note}" for note in estimate.notes)
    return "\n".join(rows)


def render_curve(estimates: Sequence[CostEstimate], found: Inventory) -> str:
    """A cost curve: one row per MAU value, the estimate and each plan's total."""
    currency = estimates[0].currency
    pricing = estimates[0].pricing
    rows = [
        f"Cost curve, {currency} per month, pricing {pricing.name} as of {pricing.as_of} "
        f"(now {_current_plans(found)}):",
        f"  {'MAU':>10}  {'estimate':>12}" + "".join(f"  {plan:>12}" for plan in PLANS),
    ]
    for estimate in estimates:
        rows.append(
            f"  {estimate.usage.mau:>10,}  {_money(estimate.total):>12}"
            + "".join(f"  {_money(estimate.plans[plan].total):>12}" for plan in PLANS)
        )
    losses = {plan: estimates[0].plans[plan].loses for plan in PLANS}
    whose = "the user pool" if len(found.pools) == 1 else "the user pools"
    rows.extend(
        f"  on {plan}, {whose} would lose: {', '.join(lost)}"
        for plan, lost in losses.items()
        if lost
    )
    rows.extend(f"note: {note}" for note in dict.fromkeys(n for e in estimates for n in e.notes))
    return "\n".join(rows)


# --- the command -------------------------------------------------------------------------------


def _counts(text: str) -> list[int]:
    values = []
    for part in text.split(","):
        cleaned = part.strip().replace("_", "")
        if not cleaned.isdigit():
            raise argparse.ArgumentTypeError(
                f"expected whole numbers >= 0 separated by commas, got {text!r}"
            )
        values.append(int(cleaned))
    return values


def _count(text: str) -> int:
    values = _counts(text)
    if len(values) != 1:
        raise argparse.ArgumentTypeError(f"expected one whole number >= 0, got {text!r}")
    return values[0]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "examples:\n"
        "  cognito-auth cost cdk.out --mau 100000\n"
        "  cognito-auth cost cdk.out/*.template.json --mau 1000,10000,100000,1000000\n"
        "  cognito-auth cost cdk.out --mau 50000 --federated-mau 2000 --json\n"
        f"shipped pricing files: {', '.join(shipped_pricing())}"
    )
    parser.add_argument(
        "templates", nargs="+", metavar="TEMPLATE", help="template JSON files or cdk.out folders"
    )
    parser.add_argument(
        "--mau",
        type=_counts,
        required=True,
        help="monthly active users; several comma-separated values print the cost curve",
    )
    parser.add_argument(
        "--federated-mau", type=_count, default=0, help="of them, users of SAML/OIDC providers"
    )
    parser.add_argument(
        "--m2m-requests", type=_count, default=0, help="client-credentials token requests a month"
    )
    parser.add_argument("--waf-requests", type=_count, default=0, help="web ACL requests a month")
    parser.add_argument(
        "--pricing",
        metavar="FILE",
        default=None,
        help=f"pricing JSON file or shipped name (default: {DEFAULT_PRICING})",
    )
    parser.add_argument("--json", action="store_true", help="print JSON (one --mau value)")


def run(args: argparse.Namespace) -> int:
    """Print the estimate; exit 2 with one line on stderr for bad input."""
    try:
        if args.json and len(args.mau) != 1:
            raise UsageError("--json takes one --mau value; the cost curve is printed as text")
        if args.federated_mau > min(args.mau):
            raise UsageError(
                f"--federated-mau {args.federated_mau} counts users that are part of --mau, "
                f"so it cannot exceed it (got --mau {min(args.mau)})"
            )
        pricing = load_pricing(args.pricing)
        found = inventory(load_templates(args.templates))
        estimates = [
            estimate_cost(
                found,
                Usage(
                    mau=mau,
                    federated_mau=args.federated_mau,
                    m2m_token_requests=args.m2m_requests,
                    waf_requests=args.waf_requests,
                ),
                pricing,
            )
            for mau in args.mau
        ]
    except CostError as exc:
        print(f"cognito-auth cost: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(estimates[0].to_json(), indent=2))
    elif len(estimates) == 1:
        print(render(estimates[0], found))
    else:
        print(render_curve(estimates, found))
    return 0


__all__ = [
    "PLANS",
    "CostError",
    "CostEstimate",
    "Inventory",
    "LineItem",
    "PlanOption",
    "Pricing",
    "PricingError",
    "TemplateError",
    "Tier",
    "Usage",
    "UsageError",
    "UserPool",
    "WebAcl",
    "estimate_cost",
    "inventory",
    "load_pricing",
    "load_templates",
    "parse_pricing",
    "render",
    "render_curve",
    "shipped_pricing",
]
