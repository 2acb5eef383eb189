"""Operations under load: alarms, a dashboard, a WAF web ACL and log delivery for a user pool.

``AuthOperations`` works on any ``cognito.IUserPool`` and the trigger functions it is given;
``CognitoAuth(operations=OperationsSettings(...))`` adds it to the pool it defines. Each part is
switchable (``enabled=False``) and works without the others.

Facts this module relies on (public AWS documentation):

- Cognito publishes ``SignInThrottles``, ``SignUpThrottles``, ``TokenRefreshThrottles``,
  ``FederationThrottles`` and the matching ``*Successes`` in ``AWS/Cognito`` per user pool *and*
  app client (dimensions ``UserPool``, ``UserPoolClient``; admin calls as client ``Admin``);
  ``*Successes`` Average is the success ratio.
  https://docs.aws.amazon.com/cognito/latest/developerguide/metrics-for-cognito-user-pools.html
- Quota use is in ``AWS/Usage`` ``CallCount`` with ``Service`` ``Cognito User Pool``, ``Type``
  ``API``, ``Resource`` the category name (``UserAuthentication``) and ``Class`` ``None``
  (``defaults.USER_AUTHENTICATION_USAGE_DIMENSIONS`` says where each comes from).
  https://docs.aws.amazon.com/cognito/latest/developerguide/dimensions-for-cognito-user-pools.html
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Quotas-Visualize-Alarms.html
- An alarm cannot use a ``SEARCH`` expression, and metric math in an alarm takes at most 10
  metrics; a Metrics Insights query (``SELECT SUM(...) FROM SCHEMA(...) WHERE UserPool = ...``)
  can be alarmed on and takes in every client, including ones added later and ``Admin``. So the
  pool-wide alarms use Metrics Insights queries.
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html
- One web ACL per user pool; it covers the classic hosted UI, managed login and the Cognito API
  endpoints; rules cannot see PII (usernames, passwords, emails); a web ACL with the account
  takeover prevention group (``AWSManagedRulesATPRuleSet``) cannot be associated; requests WAF
  blocks do not count against the request rate quotas.
  https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-waf.html
- Log delivery: ``userNotification`` at ``ERROR`` to CloudWatch Logs; ``userAuthEvents`` at
  ``INFO`` to CloudWatch Logs, S3 or Firehose, for pools on the Plus plan with threat
  protection; at most 2 configurations; the log group must not be encrypted with KMS.
  https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_LogConfigurationType.html
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cognito-logdeliveryconfiguration-cloudwatchlogsconfiguration.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct, IConstruct

from constructs_lib import defaults
from constructs_lib.user_pool import SecureUserPool
from constructs_lib.validation import Problems, is_token

#: The AWS/Cognito metrics of throttled requests, by what a user was doing.
THROTTLE_METRICS = {
    "SignInThrottles": "sign-ins",
    "SignUpThrottles": "sign-ups",
    "TokenRefreshThrottles": "token refreshes",
    "FederationThrottles": "federated sign-ins",
}

#: Managed rule groups Cognito refuses, and why.
REFUSED_RULE_GROUPS = {
    # https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-waf.html
    "AWSManagedRulesATPRuleSet": (
        "Cognito cannot be associated with a web ACL that uses account takeover prevention "
        "(use the pool's own threat protection on the Plus plan instead)"
    ),
    # ACFP inspects the username, password and email of a registration request; Cognito never
    # forwards PII to WAF (same page), so the group cannot work on a user pool.
    "AWSManagedRulesACFPRuleSet": (
        "account creation fraud prevention inspects usernames, passwords and emails, which "
        "Cognito never forwards to WAF"
    ),
}

_LogDelivery = cognito.CfnLogDeliveryConfiguration

_WAF_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


class AuthEventsDestination:
    """Where user authentication events (``userAuthEvents``, INFO) go. Plus plan with threat
    protection only.

    Use ``AuthEventsDestination.cloudwatch_logs()``, ``.s3_bucket(bucket)`` or
    ``.firehose(stream_arn)``.
    """

    def __init__(
        self, kind: str, *, bucket: s3.IBucket | None = None, stream_arn: str | None = None
    ) -> None:
        self.kind = kind
        self.bucket = bucket
        self.stream_arn = stream_arn

    @classmethod
    def cloudwatch_logs(cls) -> AuthEventsDestination:
        """A log group this construct creates, retained, with the trigger logs' retention."""
        return cls("cloudwatch_logs")

    @classmethod
    def s3_bucket(cls, bucket: s3.IBucket) -> AuthEventsDestination:
        """An S3 bucket of the same account."""
        return cls("s3", bucket=bucket)

    @classmethod
    def firehose(cls, stream_arn: str) -> AuthEventsDestination:
        """An Amazon Data Firehose stream of the same account, by ARN."""
        return cls("firehose", stream_arn=stream_arn)


@dataclass(frozen=True, kw_only=True)
class AlarmSettings:
    """Alarms on the pool and its triggers; each tells in its description what it means and
    what to do.

    Args:
        enabled: Default: True.
        topic: Where every alarm (and its return to OK) is sent. Default: a new SNS topic
            encrypted with a new customer managed KMS key (rotated).
        throttles: Alarm on any throttled sign-in, sign-up, token refresh or federated sign-in
            in the pool. Default: True.
        quota_utilization_percent: Alarm when UserAuthentication requests of the account and
            Region reach this share of their quota; None for no alarm. Default: 80.
        sign_in_success_ratio_min: Alarm when the share of successful sign-ins stays below
            this (0 to 1) for 15 minutes; None for no alarm. Default: 0.5.
        triggers: Alarm on every trigger function's errors, throttles and p99 duration above
            80 % of Cognito's 5 s. Default: True.
    """

    enabled: bool = True
    topic: sns.ITopic | None = None
    throttles: bool = True
    quota_utilization_percent: float | None = defaults.QUOTA_UTILIZATION_ALARM_PERCENT
    sign_in_success_ratio_min: float | None = defaults.SIGN_IN_SUCCESS_RATIO_MIN
    triggers: bool = True


@dataclass(frozen=True, kw_only=True)
class DashboardSettings:
    """One CloudWatch dashboard for the pool.

    Args:
        enabled: Default: True.
        dashboard_name: Default: generated by CloudFormation.
    """

    enabled: bool = True
    dashboard_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class WafSettings:
    """A regional WAF web ACL associated with the user pool.

    Args:
        enabled: Default: True.
        rate_limit: Requests one client IP may make in ``evaluation_window`` before WAF blocks
            it (10 to 2,000,000,000). Default: ``defaults.WAF_RATE_LIMIT``.
        evaluation_window: 1, 2, 5 or 10 minutes. Default: 5 minutes.
        managed_rule_groups: AWS managed rule group names (vendor AWS). Default: common rules,
            known bad inputs and the Amazon IP reputation list.
        count_only: Count what the rules match instead of blocking, for a trial run.
            Default: False.
        logging: Log requests to a retained log group named ``aws-waf-logs-...``.
            Default: True.
    """

    enabled: bool = True
    rate_limit: int = defaults.WAF_RATE_LIMIT
    evaluation_window: Duration = field(default_factory=lambda: defaults.WAF_EVALUATION_WINDOW)
    managed_rule_groups: Sequence[str] = defaults.WAF_MANAGED_RULE_GROUPS
    count_only: bool = False
    logging: bool = True


@dataclass(frozen=True, kw_only=True)
class LogDeliverySettings:
    """Cognito's own logs of the pool.

    Args:
        enabled: Default: True.
        user_notification_errors: Email and SMS delivery errors (``userNotification``,
            ERROR) to a retained CloudWatch log group. Default: True.
        user_auth_events: User authentication events (``userAuthEvents``, INFO); needs the
            Plus plan with threat protection. Default: none.
    """

    enabled: bool = True
    user_notification_errors: bool = True
    user_auth_events: AuthEventsDestination | None = None


@dataclass(frozen=True, kw_only=True)
class OperationsSettings:
    """What ``AuthOperations`` defines. With no arguments: alarms, dashboard, WAF and
    notification error logs, all on.

    Args:
        alarms: Default: ``AlarmSettings()``.
        dashboard: Default: ``DashboardSettings()``.
        waf: Default: ``WafSettings()``.
        log_delivery: Default: ``LogDeliverySettings()``.
        expected_peak_sign_ins_per_second: Your expected peak; above what the default
            UserAuthentication quota carries, synth leaves a warning that says how to get
            more. Default: not judged.
    """

    alarms: AlarmSettings = field(default_factory=AlarmSettings)
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    waf: WafSettings = field(default_factory=WafSettings)
    log_delivery: LogDeliverySettings = field(default_factory=LogDeliverySettings)
    expected_peak_sign_ins_per_second: int | None = None


# Validation -------------------------------------------------------------------------------


def operations_problems(
    settings: OperationsSettings, *, threat_protection_plus: bool | None, problems: Problems
) -> None:
    """Add every problem of ``settings`` to ``problems``. ``threat_protection_plus`` says
    whether the pool is on the Plus plan with threat protection (None: unknown, not judged)."""
    if not _types_ok(settings, problems):
        return
    _alarm_problems(settings.alarms, problems)
    if settings.waf.enabled:
        _waf_problems(settings.waf, problems)
    if settings.dashboard.enabled:
        name = settings.dashboard.dashboard_name
        if name is not None and not is_token(name) and not _dashboard_name_ok(name):
            problems.add(
                f"operations.dashboard.dashboard_name must be 1 to 255 letters, digits, - or _, "
                f"got {name!r}"
            )
    events = settings.log_delivery.user_auth_events
    if settings.log_delivery.enabled and events is not None and threat_protection_plus is False:
        problems.add(
            "operations.log_delivery.user_auth_events needs the PLUS feature plan with "
            "threat_protection (Cognito exports authentication events from threat protection "
            "only); set feature_plan=PLUS and threat_protection=ThreatProtection.audit_only() "
            "or .full_function(...), or drop user_auth_events"
        )
    if events is not None and events.kind == "firehose" and not events.stream_arn:
        problems.add("operations.log_delivery.user_auth_events: firehose needs a stream ARN")
    peak = settings.expected_peak_sign_ins_per_second
    bad_peak = isinstance(peak, bool) or not isinstance(peak, int) or peak < 1
    if peak is not None and not is_token(peak) and bad_peak:
        problems.add(
            "operations.expected_peak_sign_ins_per_second must be a whole number of at "
            f"least 1, got {peak!r}"
        )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _types_ok(settings: object, problems: Problems) -> bool:
    """Add a problem for every field of the wrong type; True when every field has its type
    (the value checks then run on values they can compare)."""
    found = Problems(problems.where)

    def check(name: str, value: object, ok: bool, allowed: str) -> bool:
        return found.check(ok, f"operations.{name} must be {allowed}, got {value!r}")

    def flag(name: str, value: object) -> None:
        check(name, value, isinstance(value, bool), "True or False")

    if not check(
        "operations",
        settings,
        isinstance(settings, OperationsSettings),
        "an OperationsSettings(...)",
    ):
        problems.extend(found)
        return False
    assert isinstance(settings, OperationsSettings)
    alarms, dashboard, waf, delivery = (
        settings.alarms,
        settings.dashboard,
        settings.waf,
        settings.log_delivery,
    )
    if check("alarms", alarms, isinstance(alarms, AlarmSettings), "an AlarmSettings(...)"):
        for name in ("enabled", "throttles", "triggers"):
            flag(f"alarms.{name}", getattr(alarms, name))
        topic = alarms.topic
        check(
            "alarms.topic",
            topic,
            topic is None or hasattr(topic, "topic_arn"),
            "an SNS topic (sns.ITopic) or None",
        )
        for name in ("quota_utilization_percent", "sign_in_success_ratio_min"):
            value = getattr(alarms, name)
            check(f"alarms.{name}", value, value is None or _is_number(value), "a number or None")
    if check(
        "dashboard", dashboard, isinstance(dashboard, DashboardSettings), "a DashboardSettings(...)"
    ):
        flag("dashboard.enabled", dashboard.enabled)
        title = dashboard.dashboard_name
        check(
            "dashboard.dashboard_name", title, title is None or isinstance(title, str), "a string"
        )
    if check("waf", waf, isinstance(waf, WafSettings), "a WafSettings(...)"):
        for name in ("enabled", "count_only", "logging"):
            flag(f"waf.{name}", getattr(waf, name))
        window = waf.evaluation_window
        check(
            "waf.evaluation_window",
            window,
            isinstance(window, Duration),
            "a Duration (Duration.minutes(1), 2, 5 or 10)",
        )
        groups = waf.managed_rule_groups
        check(
            "waf.managed_rule_groups",
            groups,
            isinstance(groups, Sequence)
            and not isinstance(groups, str)
            and all(isinstance(g, str) for g in groups),
            "a list of rule group names (strings)",
        )
    if check(
        "log_delivery",
        delivery,
        isinstance(delivery, LogDeliverySettings),
        "a LogDeliverySettings(...)",
    ):
        flag("log_delivery.enabled", delivery.enabled)
        flag("log_delivery.user_notification_errors", delivery.user_notification_errors)
        events = delivery.user_auth_events
        check(
            "log_delivery.user_auth_events",
            events,
            events is None or isinstance(events, AuthEventsDestination),
            "AuthEventsDestination.cloudwatch_logs(), .s3_bucket(bucket), "
            ".firehose(stream_arn) or None",
        )
    problems.extend(found)
    return not found


def _alarm_problems(alarms: AlarmSettings, problems: Problems) -> None:
    if not alarms.enabled:
        return
    percent = alarms.quota_utilization_percent
    if percent is not None and not is_token(percent) and not 0 < percent <= 100:
        problems.add(
            "operations.alarms.quota_utilization_percent must be above 0 and at most 100, "
            f"got {percent!r}"
        )
    ratio = alarms.sign_in_success_ratio_min
    if ratio is not None and not is_token(ratio) and not 0 < ratio < 1:
        problems.add(
            "operations.alarms.sign_in_success_ratio_min must be between 0 and 1 (a share of "
            f"sign-ins, e.g. 0.5), got {ratio!r}"
        )


def _waf_problems(waf: WafSettings, problems: Problems) -> None:
    low, high = defaults.WAF_RATE_LIMIT_RANGE
    limit = waf.rate_limit
    if not is_token(limit) and (
        isinstance(limit, bool) or not isinstance(limit, int) or not low <= limit <= high
    ):
        problems.add(
            f"operations.waf.rate_limit must be a whole number from {low:,} to {high:,} "
            f"requests per client IP and window (WAF's range), got {limit!r}"
        )
    window = waf.evaluation_window
    if not window.is_unresolved():
        seconds = window.to_seconds()
        if seconds not in defaults.WAF_EVALUATION_WINDOWS_SECONDS:
            allowed = ", ".join(f"{s // 60} min" for s in defaults.WAF_EVALUATION_WINDOWS_SECONDS)
            problems.add(
                f"operations.waf.evaluation_window must be one of {allowed} (WAF's windows), "
                f"got {window.to_human_string()!r}"
            )
    seen: set[str] = set()
    for name in waf.managed_rule_groups:
        if is_token(name):
            continue
        if name in REFUSED_RULE_GROUPS:
            problems.add(
                f"operations.waf.managed_rule_groups may not contain {name!r}: "
                f"{REFUSED_RULE_GROUPS[name]}; remove it"
            )
        elif not name or len(name) > 128 or not set(name) <= _WAF_NAME_CHARS:
            problems.add(
                "operations.waf.managed_rule_groups: a rule group name is 1 to 128 letters, "
                f"digits, - or _, got {name!r}"
            )
        elif name in seen:
            problems.add(f"operations.waf.managed_rule_groups names {name!r} twice")
        seen.add(name)


def _dashboard_name_ok(name: str) -> bool:
    return 0 < len(name) <= 255 and set(name) <= _WAF_NAME_CHARS


def threat_protection_plus_of(pool: cognito.IUserPool) -> bool | None:
    """Whether ``pool`` is on the Plus plan with threat protection; None if it cannot be told
    (an imported pool)."""
    if isinstance(pool, SecureUserPool):
        return pool.settings.threat_protection_plus
    child = pool.node.default_child if isinstance(pool, cognito.UserPool) else None
    if isinstance(child, cognito.CfnUserPool):
        tier = Stack.of(pool).resolve(child.user_pool_tier)
        add_ons = Stack.of(pool).resolve(child.user_pool_add_ons) or {}
        mode = add_ons.get("advancedSecurityMode") or add_ons.get("AdvancedSecurityMode")
        return tier == "PLUS" and mode in ("AUDIT", "ENFORCED")
    return None


# Constructs -------------------------------------------------------------------------------


class AuthOperations(Construct):
    """Watches, shields and explains a user pool at its sign-in quota.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable: the log groups' logical IDs derive from it.
        user_pool: Any user pool, defined here or imported.
        settings: What to define. Default: ``OperationsSettings()`` (everything on).
        trigger_functions: The pool's trigger functions by a stable name (the key of the
            pool's ``LambdaConfig``, e.g. ``"preSignUp"``): their alarms and dashboard
            widgets, one set per function however many names it is under (the alarms' IDs
            from its first name, their texts naming every one). Default: none.

    Attributes:
        alarm_topic: Where the alarms go (None with alarms off).
        alarms: Every alarm by a stable name.
        dashboard: The dashboard, if on.
        web_acl: The web ACL, if on.
        waf_log_group, notification_log_group, auth_events_log_group: The log groups defined.

    Raises:
        ConfigurationError: for every problem in ``settings``, and when the pool already has
            a web ACL in this app.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        settings: OperationsSettings | None = None,
        trigger_functions: Mapping[str, lambda_.IFunction] | None = None,
    ) -> None:
        settings = settings or OperationsSettings()
        functions = dict(trigger_functions or {})
        problems = Problems(type(self).__name__)
        plus = threat_protection_plus_of(user_pool)
        operations_problems(settings, threat_protection_plus=plus, problems=problems)
        if settings.waf.enabled and _web_acl_associations(scope, user_pool):
            problems.add(
                "operations.waf: the user pool already has a web ACL in this app, and Cognito "
                "associates one web ACL per user pool; add rules to that web ACL or set "
                "waf=WafSettings(enabled=False)"
            )
        for name in functions:
            if not name.isalnum():
                problems.add(
                    f"trigger_functions: the name {name!r} must be letters and digits only "
                    "(it names the alarms' construct IDs)"
                )
        problems.raise_if_any()
        super().__init__(scope, construct_id)
        self.user_pool = user_pool
        self.settings = settings
        self.trigger_functions = functions
        self._watched = _by_function(functions)
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        self.alarm_topic: sns.ITopic | None = None
        self.dashboard: cloudwatch.Dashboard | None = None
        self.web_acl: wafv2.CfnWebACL | None = None
        self.waf_log_group: logs.LogGroup | None = None
        self.notification_log_group: logs.LogGroup | None = None
        self.auth_events_log_group: logs.LogGroup | None = None
        self.log_delivery: cognito.CfnLogDeliveryConfiguration | None = None
        self._warn_about_capacity(settings.expected_peak_sign_ins_per_second)
        if plus is None and settings.log_delivery.user_auth_events is not None:
            Annotations.of(self).add_warning_v2(
                "cognito-auth:operations:auth-events-plan",
                "log_delivery.user_auth_events: the plan of this imported user pool cannot be "
                "told here; Cognito exports authentication events only from pools on the PLUS "
                "plan with threat protection, and the deploy fails otherwise",
            )
        if settings.waf.enabled:
            self._define_waf(settings.waf)
        if settings.log_delivery.enabled:
            self._define_log_delivery(settings.log_delivery)
        if settings.alarms.enabled:
            self._define_alarms(settings.alarms)
        if settings.dashboard.enabled:
            self._define_dashboard(settings.dashboard)

    # Metrics ------------------------------------------------------------------------------

    def pool_metric(self, metric_name: str, function: str, label: str) -> cloudwatch.IMetric:
        """``function`` (``SUM``, ``AVG``) of an ``AWS/Cognito`` metric over every app client of
        the pool, as a Metrics Insights query (alarms can use it; see the module docstring)."""
        pool_id = self.user_pool.user_pool_id
        return cloudwatch.MathExpression(
            expression=(
                f'SELECT {function}({metric_name}) FROM SCHEMA("AWS/Cognito", UserPool, '
                f"UserPoolClient) WHERE UserPool = '{pool_id}'"
            ),
            label=label,
            period=defaults.COGNITO_METRIC_PERIOD,
        )

    def quota_utilization(self) -> cloudwatch.IMetric:
        """UserAuthentication requests per second as a percentage of the applied quota
        (``SERVICE_QUOTA``), for the whole account and Region."""
        calls = cloudwatch.Metric(
            namespace="AWS/Usage",
            metric_name="CallCount",
            dimensions_map=dict(defaults.USER_AUTHENTICATION_USAGE_DIMENSIONS),
            statistic="Sum",
            period=Duration.minutes(1),
        )
        return cloudwatch.MathExpression(
            expression="(calls / PERIOD(calls)) / SERVICE_QUOTA(calls) * 100",
            using_metrics={"calls": calls},
            label="UserAuthentication quota used (%)",
            period=Duration.minutes(1),
        )

    # Steps --------------------------------------------------------------------------------

    def _warn_about_capacity(self, peak: int | None) -> None:
        if peak is None or is_token(peak):
            return
        per_sign_in = defaults.USER_AUTHENTICATION_REQUESTS_PER_SIGN_IN
        quota = defaults.USER_AUTHENTICATION_DEFAULT_QUOTA_RPS
        if peak * per_sign_in <= quota:
            return
        Annotations.of(self).add_warning_v2(
            "cognito-auth:operations:capacity",
            f"expected_peak_sign_ins_per_second={peak} needs about {peak * per_sign_in} "
            f"requests per second in Cognito's UserAuthentication category ({per_sign_in} per "
            f"SRP sign-in: InitiateAuth and RespondToAuthChallenge), above its default quota "
            f"of {quota} requests per second, shared by every user pool of the account in the "
            "Region. Above it users get TooManyRequestsException (HTTP 429 on the hosted UI). "
            "Before launch, request more in Service Quotas (Amazon Cognito User Pools, 'Rate of "
            "UserAuthentication requests'); capacity above the default is purchased, about "
            f"${defaults.PURCHASED_CAPACITY_USD_PER_RPS_MONTH} per RPS-month in US East for a "
            "full month (https://aws.amazon.com/about-aws/whats-new/2024/01/"
            "provisioned-capacity-api-limits-amazon-cognito/, https://aws.amazon.com/cognito/"
            "pricing/). See README, 'Running in production'.",
        )

    def _define_waf(self, waf: WafSettings) -> None:
        action = "count" if waf.count_only else "block"
        name = _waf_name(self, "Auth")
        rules: list[Any] = [
            wafv2.CfnWebACL.RuleProperty(
                name="RateLimitPerIp",
                priority=0,
                action=wafv2.CfnWebACL.RuleActionProperty(**{action: {}}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        aggregate_key_type="IP",
                        limit=waf.rate_limit,
                        evaluation_window_sec=_seconds(waf.evaluation_window),
                    )
                ),
                visibility_config=_visibility(f"{name}-RateLimitPerIp"),
            )
        ]
        for priority, group in enumerate(waf.managed_rule_groups, start=1):
            rules.append(
                wafv2.CfnWebACL.RuleProperty(
                    name=group,
                    priority=priority,
                    override_action=wafv2.CfnWebACL.OverrideActionProperty(
                        **({"count": {}} if waf.count_only else {"none": {}})
                    ),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                            vendor_name="AWS", name=group
                        )
                    ),
                    visibility_config=_visibility(f"{name}-{group}"),
                )
            )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=name,
            scope="REGIONAL",
            description="Shields the Cognito user pool: rate limit per client IP, managed rules",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            rules=rules,
            visibility_config=_visibility(name),
        )
        self.web_acl_name = name
        wafv2.CfnWebACLAssociation(
            self,
            "WebAclAssociation",
            resource_arn=self.user_pool.user_pool_arn,
            web_acl_arn=self.web_acl.attr_arn,
        )
        if not waf.logging:
            return
        # WAF logs only to log groups whose name starts with aws-waf-logs-.
        # https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html
        log_name = f"aws-waf-logs-{Names.unique_resource_name(self, max_length=100)}"
        self.waf_log_group = logs.LogGroup(
            self,
            "WafLogs",
            log_group_name=log_name,
            retention=defaults.TRIGGER_LOG_RETENTION,
            removal_policy=RemovalPolicy.RETAIN,
        )
        log_arn = _arn_without_star(self, self.waf_log_group)
        logging_config = wafv2.CfnLoggingConfiguration(
            self,
            "WafLogging",
            log_destination_configs=[log_arn],
            resource_arn=self.web_acl.attr_arn,
        )
        logging_config.node.add_dependency(self.waf_log_group)

    def _define_log_delivery(self, settings: LogDeliverySettings) -> None:
        configurations: list[Any] = []
        if settings.user_notification_errors:
            self.notification_log_group = _vended_log_group(self, "NotificationLogs")
            configurations.append(
                _LogDelivery.LogConfigurationProperty(
                    event_source="userNotification",
                    log_level="ERROR",
                    cloud_watch_logs_configuration=_LogDelivery.CloudWatchLogsConfigurationProperty(
                        log_group_arn=_arn_without_star(self, self.notification_log_group)
                    ),
                )
            )
        events = settings.user_auth_events
        if events is not None:
            if events.kind == "cloudwatch_logs":
                self.auth_events_log_group = _vended_log_group(self, "AuthEventLogs")
                arn = _arn_without_star(self, self.auth_events_log_group)
                destination: dict[str, Any] = {
                    "cloud_watch_logs_configuration": (
                        _LogDelivery.CloudWatchLogsConfigurationProperty(log_group_arn=arn)
                    )
                }
            elif events.kind == "s3" and events.bucket is not None:
                destination = {
                    "s3_configuration": _LogDelivery.S3ConfigurationProperty(
                        bucket_arn=events.bucket.bucket_arn
                    )
                }
            else:
                destination = {
                    "firehose_configuration": _LogDelivery.FirehoseConfigurationProperty(
                        stream_arn=events.stream_arn
                    )
                }
            configurations.append(
                _LogDelivery.LogConfigurationProperty(
                    event_source="userAuthEvents", log_level="INFO", **destination
                )
            )
        if configurations:
            self.log_delivery = cognito.CfnLogDeliveryConfiguration(
                self,
                "LogDelivery",
                user_pool_id=self.user_pool.user_pool_id,
                log_configurations=configurations,
            )

    def _define_alarms(self, settings: AlarmSettings) -> None:
        self.alarm_topic = settings.topic or self._alarm_topic()
        action = cw_actions.SnsAction(self.alarm_topic)
        parent = Construct(self, "Alarms")
        if settings.throttles:
            for metric_name, doing in THROTTLE_METRICS.items():
                self._alarm(
                    parent,
                    metric_name,
                    action,
                    metric=self.pool_metric(metric_name, "SUM", f"Throttled {doing}"),
                    threshold=1,
                    operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    description=(
                        f"Throttled {doing}. Means: Cognito refused {doing} of this user pool "
                        "with TooManyRequestsException (HTTP 429 at the hosted UI) because the "
                        "account's request rate quota for the Region was exceeded. Do: check "
                        "the quota dashboard widget and the WAF blocked requests; if it is real "
                        "traffic, request a quota increase in Service Quotas (purchased "
                        "capacity) and make clients back off and retry with jitter; if it is "
                        "abuse, lower the WAF rate limit. Runbook: README, 'Running in "
                        "production'."
                    ),
                )
        percent = settings.quota_utilization_percent
        if percent is not None:
            self._alarm(
                parent,
                "UserAuthenticationQuota",
                action,
                metric=self.quota_utilization(),
                threshold=percent,
                operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluation_periods=3,
                datapoints_to_alarm=3,
                description=(
                    f"Sign-in quota above {percent:g} %. Means: the account's "
                    "UserAuthentication requests in this Region (all user pools together) "
                    f"used {percent:g} % or more of their quota for 3 minutes; at 100 % "
                    "sign-ins are throttled. Do: find the pool or client that grew (dashboard), "
                    "stop abusive traffic with WAF, and request a quota increase in Service "
                    "Quotas before it is reached. Runbook: README, 'Running in production'."
                ),
            )
        ratio = settings.sign_in_success_ratio_min
        if ratio is not None:
            self._alarm(
                parent,
                "SignInSuccessRatio",
                action,
                metric=self.pool_metric("SignInSuccesses", "AVG", "Sign-in success ratio"),
                threshold=ratio,
                operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                evaluation_periods=3,
                datapoints_to_alarm=3,
                description=(
                    f"Sign-in success ratio below {ratio:g}. Means: fewer than {ratio:.0%} of "
                    "sign-in attempts to this pool succeeded for 15 minutes: a credential "
                    "stuffing attack, a broken client release, throttling or failing triggers. "
                    "Do: compare with the throttle and trigger alarms; look at WAF blocked "
                    "requests and sampled requests by IP; on the Plus plan, check threat "
                    "protection events. Runbook: README, 'Running in production'."
                ),
            )
        if settings.triggers:
            for name, label, function in self._watched:
                self._trigger_alarms(parent, name, label, function, action)

    def _trigger_alarms(
        self,
        parent: Construct,
        name: str,
        label: str,
        function: lambda_.IFunction,
        action: Any,
    ) -> None:
        """Errors, throttles and duration alarms of one function; ``name`` (its first
        operation) makes the construct IDs, ``label`` (every operation it serves) the text."""
        period = defaults.COGNITO_METRIC_PERIOD
        limit_ms = int(defaults.TRIGGER_DURATION_ALARM.to_milliseconds())
        self._alarm(
            parent,
            f"{name}Errors",
            action,
            metric=function.metric_errors(period=period, statistic="Sum"),
            threshold=1,
            operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            description=(
                f"Trigger {label} failed. Means: the {label} function raised or timed out; "
                "Cognito retries and then fails the user's request (sign-up, sign-in or token "
                "refresh) with an error. Do: read the function's log group for the error, roll "
                "back a bad release, check the tables or APIs it calls. Runbook: README, "
                "'Running in production'."
            ),
        )
        self._alarm(
            parent,
            f"{name}Throttles",
            action,
            metric=function.metric_throttles(period=period, statistic="Sum"),
            threshold=1,
            operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            description=(
                f"Trigger {label} throttled. Means: Lambda refused to run the {label} function "
                "(account or reserved concurrency reached), so Cognito failed users' requests. "
                "Do: raise the Lambda concurrency quota or the function's reserved "
                "concurrency; check what else uses the account's concurrency. Runbook: "
                "README, 'Running in production'."
            ),
        )
        self._alarm(
            parent,
            f"{name}Duration",
            action,
            metric=function.metric_duration(period=period, statistic="p99"),
            threshold=limit_ms,
            operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            description=(
                f"Trigger {label} slow. Means: the 99th percentile duration of the {label} "
                f"function was above {limit_ms} ms, 80 % of the 5 seconds Cognito waits for a "
                "trigger, in 2 of 3 periods of 5 minutes; past 5 s users' requests fail. Do: "
                "look for slow calls (DynamoDB, other APIs) in the logs, cold starts, memory; "
                "add timeouts or caching. Runbook: README, 'Running in production'."
            ),
        )

    def _alarm(
        self,
        parent: Construct,
        name: str,
        action: Any,
        *,
        metric: cloudwatch.IMetric,
        threshold: float,
        operator: cloudwatch.ComparisonOperator,
        description: str,
        evaluation_periods: int = 1,
        datapoints_to_alarm: int = 1,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            parent,
            name,
            metric=metric,
            threshold=threshold,
            comparison_operator=operator,
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=datapoints_to_alarm,
            # No data means no throttle, no error, no sign-in: nothing to page about.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
        self.alarms[name] = alarm
        return alarm

    def _alarm_topic(self) -> sns.Topic:
        key = kms.Key(
            self,
            "AlarmKey",
            description="Encrypts the Cognito operations alarm topic",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # CloudWatch publishes to an encrypted topic only if the key lets it.
        # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
            )
        )
        return sns.Topic(
            self,
            "AlarmTopic",
            display_name="Cognito operations alarms",
            master_key=key,
            enforce_ssl=True,
        )

    def _define_dashboard(self, settings: DashboardSettings) -> None:
        self.dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=settings.dashboard_name,
            default_interval=Duration.hours(3),
        )
        activity = [
            ("Sign-ins", "SignInSuccesses", "SignInThrottles"),
            ("Sign-ups", "SignUpSuccesses", "SignUpThrottles"),
            ("Token refreshes", "TokenRefreshSuccesses", "TokenRefreshThrottles"),
            ("Federated sign-ins", "FederationSuccesses", "FederationThrottles"),
        ]
        self.dashboard.add_widgets(
            *(
                cloudwatch.GraphWidget(
                    title=title,
                    left=[self.pool_metric(successes, "SUM", "Successful")],
                    right=[self.pool_metric(throttles, "SUM", "Throttled")],
                    width=6,
                )
                for title, successes, throttles in activity
            )
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Throttled requests (all kinds)",
                left=[
                    self.pool_metric(metric, "SUM", f"Throttled {doing}")
                    for metric, doing in THROTTLE_METRICS.items()
                ],
                stacked=True,
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="UserAuthentication quota used (%, account and Region)",
                left=[self.quota_utilization()],
                left_y_axis=cloudwatch.YAxisProps(min=0, max=100),
                left_annotations=[
                    cloudwatch.HorizontalAnnotation(
                        value=self.settings.alarms.quota_utilization_percent
                        or defaults.QUOTA_UTILIZATION_ALARM_PERCENT,
                        label="alarm",
                    )
                ],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="Sign-in success ratio",
                left=[self.pool_metric("SignInSuccesses", "AVG", "Success ratio")],
                left_y_axis=cloudwatch.YAxisProps(min=0, max=1),
                width=8,
            ),
        )
        if self.trigger_functions:
            period = defaults.COGNITO_METRIC_PERIOD
            self.dashboard.add_widgets(
                cloudwatch.GraphWidget(
                    title="Trigger duration p99 (ms; Cognito waits 5000)",
                    left=[
                        fn.metric_duration(period=period, statistic="p99", label=label)
                        for _, label, fn in self._watched
                    ],
                    left_annotations=[
                        cloudwatch.HorizontalAnnotation(
                            value=defaults.TRIGGER_DURATION_ALARM.to_milliseconds(),
                            label="alarm",
                        )
                    ],
                    width=12,
                ),
                cloudwatch.GraphWidget(
                    title="Trigger errors and throttles",
                    left=[
                        fn.metric_errors(period=period, statistic="Sum", label=f"{label} errors")
                        for _, label, fn in self._watched
                    ],
                    right=[
                        fn.metric_throttles(
                            period=period, statistic="Sum", label=f"{label} throttles"
                        )
                        for _, label, fn in self._watched
                    ],
                    width=12,
                ),
            )
        if self.web_acl is not None:
            self.dashboard.add_widgets(
                cloudwatch.GraphWidget(
                    title="WAF requests (web ACL on the user pool)",
                    left=[
                        self._waf_metric("AllowedRequests", "Allowed"),
                        self._waf_metric("BlockedRequests", "Blocked"),
                        self._waf_metric("CountedRequests", "Counted (count mode)"),
                    ],
                    width=24,
                )
            )

    def _waf_metric(self, metric_name: str, label: str) -> cloudwatch.Metric:
        # https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
        return cloudwatch.Metric(
            namespace="AWS/WAFV2",
            metric_name=metric_name,
            dimensions_map={
                "WebACL": self.web_acl_name,
                "Region": Stack.of(self).region,
                "Rule": "ALL",
            },
            statistic="Sum",
            period=defaults.COGNITO_METRIC_PERIOD,
            label=label,
        )


def _by_function(
    functions: Mapping[str, lambda_.IFunction],
) -> list[tuple[str, str, lambda_.IFunction]]:
    """One entry per function, however many operations it serves (the user-migration function
    is also ``postAuthentication``): its first operation's name, every name joined with "and"
    for the alarm texts and widget labels, and the function. Functions are told apart by
    construct path (two jsii proxies of one function do not compare equal)."""
    names: dict[str, list[str]] = {}
    by_path: dict[str, lambda_.IFunction] = {}
    for name, function in functions.items():
        path = function.node.path
        names.setdefault(path, []).append(name)
        by_path.setdefault(path, function)
    return [(n[0], " and ".join(n), by_path[path]) for path, n in names.items()]


def _seconds(duration: Duration) -> float:
    """Whole seconds, or the deploy-time value as it is."""
    seconds = duration.to_seconds()
    return seconds if duration.is_unresolved() else int(seconds)


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True,
        metric_name=metric_name[:128],
        sampled_requests_enabled=True,
    )


def _waf_name(scope: Construct, suffix: str) -> str:
    """A web ACL name unique per stack and path (WAF: 1 to 128 letters, digits, - and _)."""
    return f"{Names.unique_id(scope)[:120]}{suffix}"


def _vended_log_group(scope: Construct, construct_id: str) -> logs.LogGroup:
    """A log group for Cognito log delivery: retained, with the trigger logs' retention, and
    encrypted as they are (CloudWatch Logs' own encryption: Cognito refuses KMS-encrypted log
    groups). The /aws/vendedlogs/ prefix keeps the delivery's resource policy small."""
    return logs.LogGroup(
        scope,
        construct_id,
        log_group_name=f"/aws/vendedlogs/cognito/{Names.unique_resource_name(scope)}-{construct_id}",
        retention=defaults.TRIGGER_LOG_RETENTION,
        removal_policy=RemovalPolicy.RETAIN,
    )


def _arn_without_star(scope: Construct, group: logs.ILogGroup) -> str:
    """``group``'s ARN without the ``:*`` that ``LogGroup.log_group_arn`` ends with: the form
    WAF logging and Cognito log delivery take."""
    return Stack.of(scope).format_arn(
        service="logs",
        resource="log-group",
        resource_name=group.log_group_name,
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )


def _web_acl_associations(scope: IConstruct, pool: cognito.IUserPool) -> list[str]:
    """The paths of web ACL associations in this app that already name ``pool``'s ARN."""
    stack = Stack.of(pool)
    wanted = stack.resolve(pool.user_pool_arn)
    found = []
    for construct in Stack.of(scope).node.root.node.find_all():
        if not isinstance(construct, wafv2.CfnWebACLAssociation):
            continue
        same_stack = Stack.of(construct).node.path == stack.node.path
        if construct.resource_arn == pool.user_pool_arn or (
            same_stack and stack.resolve(construct.resource_arn) == wanted
        ):
            found.append(construct.node.path)
    return found


__all__ = [
    "REFUSED_RULE_GROUPS",
    "THROTTLE_METRICS",
    "AlarmSettings",
    "AuthEventsDestination",
    "AuthOperations",
    "DashboardSettings",
    "LogDeliverySettings",
    "OperationsSettings",
    "WafSettings",
    "operations_problems",
    "threat_protection_plus_of",
]
