"""A short, human summary of a synthesized cloud assembly: ``python -m constructs_lib.summary``.

``make synth`` ends with it so that a person sees what was defined (stacks, the user pool's
security settings, what is on and off, warnings) without reading the template.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def summarize(outdir: Path) -> str:
    """The summary of every stack in the cloud assembly at ``outdir``."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    lines: list[str] = []
    for name, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template_file = outdir / artifact["properties"]["templateFile"]
        template = json.loads(template_file.read_text())
        lines.append(f"Stack {name} ({artifact.get('environment', 'unknown environment')})")
        lines.append(f"  template: {template_file}")
        lines.extend(_resources_line(template))
        for pool_id, pool in _resources(template, "AWS::Cognito::UserPool"):
            lines.extend(_user_pool_lines(pool_id, pool, template))
        lines.extend(_access_lines(template))
        lines.extend(_operations_lines(template))
        outputs = sorted(template.get("Outputs", {}))
        if outputs:
            lines.append(f"  outputs: {', '.join(outputs)}")
        lines.extend(f"  warning: {w}" for w in _warnings(outdir, artifact))
    report = outdir / "validation-report.json"
    if report.exists():
        lines.extend(_validation_lines(json.loads(report.read_text())))
    return "\n".join(lines)


def _resources(template: dict[str, Any], kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") == kind:
            yield logical_id, resource


def _resources_line(template: dict[str, Any]) -> list[str]:
    counts: dict[str, int] = {}
    for resource in template.get("Resources", {}).values():
        counts[resource["Type"]] = counts.get(resource["Type"], 0) + 1
    listed = ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
    return [f"  resources: {listed or 'none'}"]


def _on(flag: bool) -> str:
    return "on" if flag else "off"


def _user_pool_lines(logical_id: str, pool: dict[str, Any], template: dict[str, Any]) -> list[str]:
    props = pool.get("Properties", {})
    password = props.get("Policies", {}).get("PasswordPolicy", {})
    classes = [
        name
        for key, name in (
            ("RequireLowercase", "lower"),
            ("RequireUppercase", "upper"),
            ("RequireNumbers", "digit"),
            ("RequireSymbols", "symbol"),
        )
        if password.get(key)
    ]
    history = password.get("PasswordHistorySize")
    mfas = props.get("EnabledMfas", [])
    recovery = [
        m["Name"] for m in props.get("AccountRecoverySetting", {}).get("RecoveryMechanisms", [])
    ]
    sign_in = props.get("UsernameAttributes") or ["username"]
    aliases = props.get("AliasAttributes") or []
    case_sensitive = props.get("UsernameConfiguration", {}).get("CaseSensitive", True)
    self_sign_up = not props.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly", False)
    email = props.get("EmailConfiguration", {}).get("EmailSendingAccount", "COGNITO_DEFAULT")
    groups = sorted(
        str(g["Properties"].get("GroupName"))
        for _, g in _resources(template, "AWS::Cognito::UserPoolGroup")
    )
    retained = (
        pool.get("DeletionPolicy") == "Retain" and pool.get("UpdateReplacePolicy") == "Retain"
    )
    threat = props.get("UserPoolAddOns", {}).get("AdvancedSecurityMode", "OFF")
    first_factors = (
        props.get("Policies", {})
        .get("SignInPolicy", {})
        .get("AllowedFirstAuthFactors", ["PASSWORD"])
    )
    return [
        f"  user pool {logical_id}:",
        f"    sign-in: {', '.join(sign_in + aliases)}; case-sensitive: {_on(case_sensitive)}; "
        f"self sign-up: {_on(self_sign_up)}",
        f"    feature plan: {props.get('UserPoolTier', 'ESSENTIALS')}; first factors: "
        f"{', '.join(first_factors)}",
        f"    password: min {password.get('MinimumLength', 8)}, "
        f"{', '.join(classes) or 'no classes'}; "
        f"temporary valid {password.get('TemporaryPasswordValidityDays', 7)} days; "
        f"history {history or 'off'}",
        f"    MFA: {props.get('MfaConfiguration', 'OFF')} with {', '.join(mfas) or 'no factor'}",
        f"    threat protection: {threat}; account recovery: {', '.join(recovery) or 'default'}; "
        f"email: {email}",
        f"    deletion protection: {_on(props.get('DeletionProtection') == 'ACTIVE')}; "
        f"retained on delete/replace: {_on(retained)}",
        f"    groups: {', '.join(groups) or 'none'}",
        f"    triggers: {_triggers(props.get('LambdaConfig', {}))}",
    ]


def _triggers(config: dict[str, Any]) -> str:
    names = []
    for name, value in sorted(config.items()):
        version = value.get("LambdaVersion") if isinstance(value, dict) else None
        names.append(f"{name} ({version})" if version else name)
    return ", ".join(names) or "none"


def _access_lines(template: dict[str, Any]) -> list[str]:
    """Clients, domain, identity providers and the identity pool, one line each."""
    clients = []
    for _, client in _resources(template, "AWS::Cognito::UserPoolClient"):
        props = client["Properties"]
        kind = "confidential" if props.get("GenerateSecret") else "public"
        flows = "/".join(props.get("AllowedOAuthFlows", [])) or "no OAuth"
        clients.append(f"{props.get('ClientName')} ({kind}, {flows})")
    lines = [f"  app clients: {', '.join(clients) or 'none'}"]
    domains = []
    for _, domain in _resources(template, "AWS::Cognito::UserPoolDomain"):
        props = domain["Properties"]
        name = props.get("Domain")
        kind = "custom domain" if "CustomDomainConfig" in props else "Cognito prefix"
        shown = name if isinstance(name, str) else "set at deploy"
        version = "managed login" if props.get("ManagedLoginVersion") == 2 else "classic UI"
        domains.append(f"{kind} {shown} ({version})")
    lines.append(f"  hosted UI domain: {', '.join(domains) or 'none'}")
    providers = sorted(
        str(p["Properties"].get("ProviderName"))
        for _, p in _resources(template, "AWS::Cognito::UserPoolIdentityProvider")
    )
    lines.append(f"  identity providers: {', '.join(providers) or 'none'}")
    for _, pool in _resources(template, "AWS::Cognito::IdentityPool"):
        guests = pool["Properties"].get("AllowUnauthenticatedIdentities")
        lines.append(f"  identity pool: guest access {_on(bool(guests))}")
    buckets = sum(1 for _ in _resources(template, "AWS::S3::Bucket"))
    if buckets:
        lines.append(f"  S3 buckets: {buckets}")
    return lines


def _operations_lines(template: dict[str, Any]) -> list[str]:
    """What is watched: alarms by kind, dashboards, the web ACL and Cognito log delivery."""
    throttles: list[str] = []
    watched: list[str] = []
    functions: set[str] = set()
    function_metrics: list[str] = []
    other = 0
    alarms = list(_resources(template, "AWS::CloudWatch::Alarm"))
    for _, alarm in alarms:
        props = alarm.get("Properties", {})
        expression = json.dumps([m.get("Expression") for m in props.get("Metrics", [])])
        throttled = re.search(r"SUM\((\w+)Throttles\)", expression)
        if throttled:
            throttles.append(throttled.group(1))
        elif "SERVICE_QUOTA" in expression:
            watched.append(f"UserAuthentication quota >= {props.get('Threshold')} %")
        elif "AVG(SignInSuccesses)" in expression:
            watched.append(f"sign-in success ratio < {props.get('Threshold')}")
        elif props.get("Namespace") == "AWS/Lambda":
            functions.add(json.dumps(props.get("Dimensions")))
            metric = props.get("ExtendedStatistic", "") + " " + props.get("MetricName", "")
            if metric.strip() not in function_metrics:
                function_metrics.append(metric.strip())
        else:
            other += 1
    if not alarms and not list(_resources(template, "AWS::WAFv2::WebACL")):
        return []
    parts = []
    if throttles:
        parts.append(f"throttles of {', '.join(throttles)}")
    parts.extend(watched)
    if functions:
        parts.append(f"{len(functions)} triggers' {', '.join(function_metrics)}")
    if other:
        parts.append(f"{other} other")
    dashboards = sum(1 for _ in _resources(template, "AWS::CloudWatch::Dashboard"))
    lines = [
        f"  watched: {len(alarms)} alarms ({'; '.join(parts) or 'none'}); dashboards: {dashboards}"
    ]
    for _, acl in _resources(template, "AWS::WAFv2::WebACL"):
        rules = []
        for rule in acl.get("Properties", {}).get("Rules", []):
            statement = rule.get("Statement", {})
            mode = (
                "count"
                if "Count" in (rule.get("Action") or rule.get("OverrideAction") or {})
                else "block"
            )
            rate = statement.get("RateBasedStatement")
            if rate:
                rules.append(
                    f"rate limit {rate.get('Limit')} per client IP per "
                    f"{rate.get('EvaluationWindowSec', 300)} s ({mode})"
                )
            else:
                group = statement.get("ManagedRuleGroupStatement", {}).get("Name", rule.get("Name"))
                rules.append(f"{group} ({mode})")
        logged = any(True for _ in _resources(template, "AWS::WAFv2::LoggingConfiguration"))
        lines.append(
            f"  web ACL on the user pool: {len(rules)} rules: {', '.join(rules)}; "
            f"request logs: {_on(logged)}"
        )
    deliveries = []
    for _, config in _resources(template, "AWS::Cognito::LogDeliveryConfiguration"):
        for entry in config.get("Properties", {}).get("LogConfigurations", []):
            target = next(
                (k.replace("Configuration", "") for k in entry if k.endswith("Configuration")), "?"
            )
            deliveries.append(f"{entry.get('EventSource')} {entry.get('LogLevel')} -> {target}")
    if deliveries:
        lines.append(f"  Cognito log delivery: {', '.join(deliveries)}")
    return lines


def _warnings(outdir: Path, artifact: dict[str, Any]) -> list[str]:
    metadata_file = artifact.get("additionalMetadataFile")
    entries = artifact.get("metadata", {})
    if metadata_file and (outdir / metadata_file).exists():
        entries = json.loads((outdir / metadata_file).read_text())
    return [
        f"{path}: {entry['data']}"
        for path, items in entries.items()
        for entry in items
        if entry.get("type") == "aws:cdk:warning"
    ]


def _validation_lines(report: dict[str, Any]) -> list[str]:
    plugins = report.get("pluginReports", [])
    if not plugins:
        return ["Validation (cdk-nag AwsSolutions): no unacknowledged findings"]
    lines = []
    for plugin in plugins:
        violations = plugin.get("violations", [])
        lines.append(f"Validation {plugin.get('pluginName')}: {plugin.get('conclusion')}")
        lines.extend(f"  {v['ruleName']}: {v['description']}" for v in violations)
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outdir = Path(args[0] if args else "cdk.out")
    if not (outdir / "manifest.json").exists():
        print(f"no cloud assembly at {outdir}: run `make synth` first", file=sys.stderr)
        return 1
    print(summarize(outdir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
