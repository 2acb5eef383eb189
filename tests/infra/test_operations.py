"""Operations: every alarm, dashboard widget, WAF rule and log configuration, and the rules
that refuse what Cognito or WAF would refuse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import CfnParameter, Duration, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_wafv2 as wafv2
from aws_cdk.assertions import Annotations, Capture, Match, Template

from constructs_lib import CognitoAuth, ConfigurationError, ThreatProtection, UserPoolSettings
from constructs_lib.operations import (
    AlarmSettings,
    AuthEventsDestination,
    AuthOperations,
    DashboardSettings,
    LogDeliverySettings,
    OperationsSettings,
    WafSettings,
)
from constructs_lib.triggers import PostConfirmation, PreSignUp, Triggers
from tests.conftest import TEST_ENV, new_app

POOL_REF = {"Ref": "AuthUserPool8115E87F"}
POOL_ARN = {"Fn::GetAtt": ["AuthUserPool8115E87F", "Arn"]}
PLUS = {
    "feature_plan": cognito.FeaturePlan.PLUS,
    "threat_protection": ThreatProtection.audit_only(),
}


def auth(stack: Stack, operations: OperationsSettings, **pool: Any) -> CognitoAuth:
    return CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(**pool),
        triggers=Triggers(pre_sign_up=PreSignUp(), post_confirmation=PostConfirmation()),
        operations=operations,
    )


def template_with(stack: Stack, operations: OperationsSettings, **pool: Any) -> Template:
    auth(stack, operations, **pool)
    return Template.from_stack(stack)


def alarms(template: Template) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in template.find_resources("AWS::CloudWatch::Alarm").items()
    }


def alarm_named(template: Template, part: str) -> dict[str, Any]:
    found = [props for logical_id, props in alarms(template).items() if part in logical_id]
    assert len(found) == 1, f"{part}: {sorted(alarms(template))}"
    return found[0]


def insights_query(metric_name: str, function: str) -> dict[str, Any]:
    return {
        "Fn::Join": [
            "",
            [
                f'SELECT {function}({metric_name}) FROM SCHEMA("AWS/Cognito", UserPool, '
                "UserPoolClient) WHERE UserPool = '",
                POOL_REF,
                "'",
            ],
        ]
    }


def text_of(value: Any) -> str:
    """A template string with every intrinsic shown as a placeholder."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(text_of(p) for p in parts)
    return "<token>"


def dashboard_widgets(template: Template) -> list[dict[str, Any]]:
    dashboards = template.find_resources("AWS::CloudWatch::Dashboard")
    assert len(dashboards) == 1
    body = next(iter(dashboards.values()))["Properties"]["DashboardBody"]
    # Tokens sit inside JSON strings; a placeholder keeps the JSON valid.
    widgets: list[dict[str, Any]] = json.loads(text_of(body))["widgets"]
    return widgets


# Alarms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "metric_name",
    ["SignInThrottles", "SignUpThrottles", "TokenRefreshThrottles", "FederationThrottles"],
)
def test_a_throttle_alarm_sums_the_metric_over_every_client_of_the_pool(
    stack: Stack, metric_name: str
) -> None:
    template = template_with(stack, OperationsSettings())
    topic = Capture()
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Metrics": [
                {
                    "Expression": insights_query(metric_name, "SUM"),
                    "Period": 300,
                    "ReturnData": True,
                    "Id": Match.any_value(),
                    "Label": Match.any_value(),
                }
            ],
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "EvaluationPeriods": 1,
            "TreatMissingData": "notBreaching",
            "AlarmActions": [topic],
            "OKActions": [topic],
        },
    )
    assert topic.as_object()["Ref"].startswith("AuthOperationsAlarmTopic")


def test_the_quota_alarm_divides_calls_per_second_by_the_applied_quota(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    alarm = alarm_named(template, "UserAuthenticationQuota")
    expression, calls = alarm["Metrics"]
    assert expression["Expression"] == "(calls / PERIOD(calls)) / SERVICE_QUOTA(calls) * 100"
    assert expression["ReturnData"] is True
    assert calls["Id"] == "calls"
    assert calls["ReturnData"] is False
    assert calls["MetricStat"] == {
        "Metric": {
            "Namespace": "AWS/Usage",
            "MetricName": "CallCount",
            "Dimensions": [
                {"Name": "Class", "Value": "None"},
                {"Name": "Resource", "Value": "UserAuthentication"},
                {"Name": "Service", "Value": "Cognito User Pool"},
                {"Name": "Type", "Value": "API"},
            ],
        },
        "Period": 60,
        "Stat": "Sum",
    }
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (
        80,
        "GreaterThanOrEqualToThreshold",
    )
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 3)


def test_the_quota_threshold_can_be_set_and_the_alarm_turned_off(stack: Stack) -> None:
    template = template_with(
        stack, OperationsSettings(alarms=AlarmSettings(quota_utilization_percent=65))
    )
    assert alarm_named(template, "UserAuthenticationQuota")["Threshold"] == 65
    other = Stack(new_app(), "Other", env=TEST_ENV)
    template = template_with(
        other, OperationsSettings(alarms=AlarmSettings(quota_utilization_percent=None))
    )
    assert not [i for i in alarms(template) if "Quota" in i]


def test_the_success_ratio_alarm_fires_when_the_average_stays_low(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    alarm = alarm_named(template, "SignInSuccessRatio")
    assert alarm["Metrics"][0]["Expression"] == insights_query("SignInSuccesses", "AVG")
    assert alarm["Threshold"] == 0.5
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 3)


@pytest.mark.parametrize("trigger", ["preSignUp", "postConfirmation"])
def test_every_trigger_has_error_throttle_and_p99_duration_alarms(
    stack: Stack, trigger: str
) -> None:
    template = template_with(stack, OperationsSettings())
    function = (
        "AuthTriggersPreSignUpFunction" if trigger == "preSignUp" else "AuthTriggersPostConfirm"
    )
    errors = alarm_named(template, f"{trigger}Errors")
    throttles = alarm_named(template, f"{trigger}Throttles")
    duration = alarm_named(template, f"{trigger}Duration")
    for alarm, metric_name in ((errors, "Errors"), (throttles, "Throttles")):
        assert alarm["MetricName"] == metric_name
        assert alarm["Namespace"] == "AWS/Lambda"
        assert alarm["Statistic"] == "Sum"
        assert (alarm["Threshold"], alarm["Period"]) == (1, 300)
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["Dimensions"][0]["Value"]["Ref"].startswith(function)
    assert duration["MetricName"] == "Duration"
    assert duration["ExtendedStatistic"] == "p99"
    assert duration["Threshold"] == 4000  # 80 % of Cognito's 5 s
    assert duration["ComparisonOperator"] == "GreaterThanThreshold"
    assert (duration["EvaluationPeriods"], duration["DatapointsToAlarm"]) == (3, 2)


def test_every_alarm_says_what_it_means_and_what_to_do(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    found = alarms(template)
    # 4 throttles, quota, success ratio, 3 per trigger function (2 functions).
    assert len(found) == 12
    for logical_id, props in found.items():
        description = props["AlarmDescription"]
        assert "Means: " in description and "Do: " in description, logical_id
        assert "Running in production" in description, logical_id


def test_the_alarm_topic_is_encrypted_with_a_rotated_key_cloudwatch_may_use(
    stack: Stack,
) -> None:
    template = template_with(stack, OperationsSettings())
    key = Capture()
    template.has_resource_properties(
        "AWS::SNS::Topic", {"KmsMasterKeyId": {"Fn::GetAtt": [key, "Arn"]}}
    )
    template.has_resource(
        "AWS::KMS::Key",
        {"Properties": {"EnableKeyRotation": True}, "DeletionPolicy": "Retain"},
    )
    keys = template.find_resources("AWS::KMS::Key")
    statements = keys[key.as_string()]["Properties"]["KeyPolicy"]["Statement"]
    assert {
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
    } in statements
    # enforce_ssl: publishing without TLS is denied.
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_a_given_topic_receives_the_alarms_and_none_is_created(stack: Stack) -> None:
    topic = sns.Topic.from_topic_arn(stack, "Pager", "arn:aws:sns:eu-west-1:123456789012:pager")
    template = template_with(stack, OperationsSettings(alarms=AlarmSettings(topic=topic)))
    template.resource_count_is("AWS::SNS::Topic", 0)
    template.resource_count_is("AWS::KMS::Key", 0)
    for props in alarms(template).values():
        assert props["AlarmActions"] == ["arn:aws:sns:eu-west-1:123456789012:pager"]


def test_alarm_parts_switch_off(stack: Stack) -> None:
    template = template_with(
        stack,
        OperationsSettings(
            alarms=AlarmSettings(throttles=False, triggers=False, sign_in_success_ratio_min=None)
        ),
    )
    [only] = alarms(template)
    assert "UserAuthenticationQuota" in only
    other = Stack(new_app(), "Off", env=TEST_ENV)
    template = template_with(other, OperationsSettings(alarms=AlarmSettings(enabled=False)))
    template.resource_count_is("AWS::CloudWatch::Alarm", 0)
    template.resource_count_is("AWS::SNS::Topic", 0)


# Dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_shows_activity_throttles_quota_triggers_and_waf(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    widgets = dashboard_widgets(template)
    titles = [w["properties"]["title"] for w in widgets]
    assert titles == [
        "Sign-ins",
        "Sign-ups",
        "Token refreshes",
        "Federated sign-ins",
        "Throttled requests (all kinds)",
        "UserAuthentication quota used (%, account and Region)",
        "Sign-in success ratio",
        "Trigger duration p99 (ms; Cognito waits 5000)",
        "Trigger errors and throttles",
        "WAF requests (web ACL on the user pool)",
    ]
    by_title = {w["properties"]["title"]: w["properties"] for w in widgets}
    sign_ins = json.dumps(by_title["Sign-ins"]["metrics"])
    assert "SUM(SignInSuccesses)" in sign_ins and "SUM(SignInThrottles)" in sign_ins
    assert "SERVICE_QUOTA" in json.dumps(by_title[titles[5]]["metrics"])
    waf = json.dumps(by_title[titles[-1]]["metrics"])
    for metric_name in ("AllowedRequests", "BlockedRequests", "CountedRequests"):
        assert metric_name in waf
    assert '"AWS/WAFV2"' in waf and '"Rule", "ALL"' in waf
    latency = json.dumps(by_title[titles[7]])
    assert '"p99"' in latency and '"value": 4000' in latency


def test_the_dashboard_leaves_out_what_is_not_there(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        operations=OperationsSettings(
            waf=WafSettings(enabled=False), dashboard=DashboardSettings(dashboard_name="auth-ops")
        ),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::CloudWatch::Dashboard", {"DashboardName": "auth-ops"})
    titles = [w["properties"]["title"] for w in dashboard_widgets(template)]
    assert not [t for t in titles if t.startswith(("Trigger", "WAF"))]
    assert len(titles) == 7


def test_the_dashboard_switches_off(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings(dashboard=DashboardSettings(enabled=False)))
    template.resource_count_is("AWS::CloudWatch::Dashboard", 0)


# WAF ---------------------------------------------------------------------------------------


def web_acl(template: Template) -> dict[str, Any]:
    acls = template.find_resources("AWS::WAFv2::WebACL")
    assert len(acls) == 1
    props: dict[str, Any] = next(iter(acls.values()))["Properties"]
    return props


def test_the_web_acl_is_associated_with_the_pool_arn(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    acl = Capture()
    template.has_resource_properties(
        "AWS::WAFv2::WebACLAssociation",
        {"ResourceArn": POOL_ARN, "WebACLArn": {"Fn::GetAtt": [acl, "Arn"]}},
    )
    assert acl.as_string().startswith("AuthOperationsWebAcl")
    props = web_acl(template)
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    assert props["VisibilityConfig"]["CloudWatchMetricsEnabled"] is True


def test_the_rate_rule_blocks_a_client_ip_above_the_limit(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    rate = web_acl(template)["Rules"][0]
    assert rate["Name"] == "RateLimitPerIp"
    assert rate["Action"] == {"Block": {}}
    assert rate["Statement"] == {
        "RateBasedStatement": {"AggregateKeyType": "IP", "Limit": 1000, "EvaluationWindowSec": 300}
    }
    assert rate["VisibilityConfig"]["SampledRequestsEnabled"] is True


def test_the_managed_rule_groups_are_the_ones_cognito_allows(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    rules = web_acl(template)["Rules"][1:]
    assert [(r["Priority"], r["Statement"]["ManagedRuleGroupStatement"]) for r in rules] == [
        (1, {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}),
        (2, {"VendorName": "AWS", "Name": "AWSManagedRulesKnownBadInputsRuleSet"}),
        (3, {"VendorName": "AWS", "Name": "AWSManagedRulesAmazonIpReputationList"}),
    ]
    assert all(r["OverrideAction"] == {"None": {}} for r in rules)
    assert all(r["VisibilityConfig"]["CloudWatchMetricsEnabled"] for r in rules)


def test_count_mode_counts_instead_of_blocking(stack: Stack) -> None:
    template = template_with(
        stack,
        OperationsSettings(
            waf=WafSettings(count_only=True, rate_limit=50, evaluation_window=Duration.minutes(10))
        ),
    )
    rules = web_acl(template)["Rules"]
    assert rules[0]["Action"] == {"Count": {}}
    assert rules[0]["Statement"]["RateBasedStatement"]["Limit"] == 50
    assert rules[0]["Statement"]["RateBasedStatement"]["EvaluationWindowSec"] == 600
    assert all(r["OverrideAction"] == {"Count": {}} for r in rules[1:])


def test_waf_logs_go_to_a_retained_aws_waf_logs_group(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    group = Capture()
    template.has_resource_properties(
        "AWS::WAFv2::LoggingConfiguration",
        {
            "ResourceArn": {"Fn::GetAtt": [Match.string_like_regexp("WebAcl"), "Arn"]},
            "LogDestinationConfigs": [
                {
                    "Fn::Join": [
                        "",
                        [
                            "arn:",
                            {"Ref": "AWS::Partition"},
                            ":logs:eu-west-1:123456789012:log-group:",
                            {"Ref": group},
                        ],
                    ]
                }
            ],
        },
    )
    resource = template.find_resources("AWS::Logs::LogGroup")[group.as_string()]
    assert resource["Properties"]["LogGroupName"].startswith("aws-waf-logs-")
    assert resource["Properties"]["RetentionInDays"] == 30
    assert resource["DeletionPolicy"] == "Retain"


def test_waf_logging_and_waf_switch_off(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings(waf=WafSettings(logging=False)))
    template.resource_count_is("AWS::WAFv2::WebACL", 1)
    template.resource_count_is("AWS::WAFv2::LoggingConfiguration", 0)
    other = Stack(new_app(), "NoWaf", env=TEST_ENV)
    template = template_with(other, OperationsSettings(waf=WafSettings(enabled=False)))
    template.resource_count_is("AWS::WAFv2::WebACL", 0)
    template.resource_count_is("AWS::WAFv2::WebACLAssociation", 0)


# Log delivery ------------------------------------------------------------------------------


def log_configurations(template: Template, pool: Any = POOL_REF) -> list[dict[str, Any]]:
    found = template.find_resources("AWS::Cognito::LogDeliveryConfiguration")
    assert len(found) == 1
    props = next(iter(found.values()))["Properties"]
    assert props["UserPoolId"] == pool
    configurations: list[dict[str, Any]] = props["LogConfigurations"]
    return configurations


def test_notification_errors_go_to_cloudwatch_logs_by_default(stack: Stack) -> None:
    template = template_with(stack, OperationsSettings())
    [notification] = log_configurations(template)
    assert (notification["EventSource"], notification["LogLevel"]) == ("userNotification", "ERROR")
    arn = notification["CloudWatchLogsConfiguration"]["LogGroupArn"]["Fn::Join"][1]
    group = template.find_resources("AWS::Logs::LogGroup")[arn[-1]["Ref"]]
    # Retention and encryption as the trigger logs: 30 days, no KMS key (Cognito refuses one).
    assert group["Properties"]["RetentionInDays"] == 30
    assert "KmsKeyId" not in group["Properties"]
    assert group["Properties"]["LogGroupName"].startswith("/aws/vendedlogs/")
    assert group["DeletionPolicy"] == "Retain"


def test_auth_events_go_to_cloudwatch_logs_on_plus_with_threat_protection(stack: Stack) -> None:
    template = template_with(
        stack,
        OperationsSettings(
            log_delivery=LogDeliverySettings(
                user_auth_events=AuthEventsDestination.cloudwatch_logs()
            )
        ),
        **PLUS,
    )
    notification, events = log_configurations(template)
    assert notification["EventSource"] == "userNotification"
    assert (events["EventSource"], events["LogLevel"]) == ("userAuthEvents", "INFO")
    assert "CloudWatchLogsConfiguration" in events


def test_auth_events_go_to_s3_or_firehose(stack: Stack) -> None:
    bucket = s3.Bucket.from_bucket_name(stack, "Events", "auth-events-example")
    template = template_with(
        stack,
        OperationsSettings(
            log_delivery=LogDeliverySettings(
                user_notification_errors=False,
                user_auth_events=AuthEventsDestination.s3_bucket(bucket),
            )
        ),
        **PLUS,
    )
    [events] = log_configurations(template)
    assert events["S3Configuration"]["BucketArn"] == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::auth-events-example"]]
    }
    other = Stack(new_app(), "Firehose", env=TEST_ENV)
    stream = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/auth-events"
    template = template_with(
        other,
        OperationsSettings(
            log_delivery=LogDeliverySettings(
                user_auth_events=AuthEventsDestination.firehose(stream)
            )
        ),
        **PLUS,
    )
    assert log_configurations(template)[1]["FirehoseConfiguration"] == {"StreamArn": stream}


def test_log_delivery_switches_off(stack: Stack) -> None:
    template = template_with(
        stack, OperationsSettings(log_delivery=LogDeliverySettings(enabled=False))
    )
    template.resource_count_is("AWS::Cognito::LogDeliveryConfiguration", 0)


# Capacity ----------------------------------------------------------------------------------


def test_a_peak_above_the_default_quota_leaves_a_warning_with_the_way_out(stack: Stack) -> None:
    auth(stack, OperationsSettings(expected_peak_sign_ins_per_second=100))
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Auth/Operations",
        Match.string_like_regexp(
            r"expected_peak_sign_ins_per_second=100 needs about 200 requests per second in "
            r"Cognito's UserAuthentication category .* default quota of 120 requests per "
            r"second.*Service Quotas.*\$20 per RPS-month.*cognito/pricing"
        ),
    )


def test_a_peak_within_the_default_quota_leaves_no_warning(stack: Stack) -> None:
    auth(stack, OperationsSettings(expected_peak_sign_ins_per_second=60))
    Annotations.from_stack(stack).has_no_warning("*", Match.string_like_regexp("quota"))


# On its own --------------------------------------------------------------------------------


def test_it_works_alone_on_an_imported_pool(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_EXAMPLE")
    operations = AuthOperations(stack, "Ops", user_pool=pool)
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::WAFv2::WebACLAssociation",
        {"ResourceArn": Match.object_like({"Fn::Join": Match.any_value()})},
    )
    assert "eu-west-1_EXAMPLE" in json.dumps(
        template.find_resources("AWS::WAFv2::WebACLAssociation")
    )
    assert len(operations.alarms) == 6  # no trigger functions given
    template.has_resource_properties(
        "AWS::Cognito::LogDeliveryConfiguration", {"UserPoolId": "eu-west-1_EXAMPLE"}
    )


def test_cognito_auth_without_operations_defines_none_of_it(stack: Stack) -> None:
    auth_construct = CognitoAuth(stack, "Auth")
    assert auth_construct.operations is None
    template = Template.from_stack(stack)
    for kind in (
        "AWS::CloudWatch::Alarm",
        "AWS::CloudWatch::Dashboard",
        "AWS::WAFv2::WebACL",
        "AWS::Cognito::LogDeliveryConfiguration",
        "AWS::SNS::Topic",
    ):
        template.resource_count_is(kind, 0)


# Validation --------------------------------------------------------------------------------


def fails(stack: Stack, operations: OperationsSettings, match: str, **pool: Any) -> None:
    with pytest.raises(ConfigurationError, match=match):
        auth(stack, operations, **pool)
    assert stack.node.try_find_child("Auth") is None  # nothing was defined


@pytest.mark.parametrize("limit", [9, 2_000_000_001, 0, 1.5, True])
def test_fails_when_the_rate_limit_is_outside_wafs_range(stack: Stack, limit: Any) -> None:
    fails(
        stack,
        OperationsSettings(waf=WafSettings(rate_limit=limit)),
        rf"operations.waf.rate_limit must be a whole number from 10 to 2,000,000,000 requests "
        rf"per client IP and window \(WAF's range\), got {limit!r}",
    )


def test_fails_when_the_window_is_not_one_of_wafs(stack: Stack) -> None:
    fails(
        stack,
        OperationsSettings(waf=WafSettings(evaluation_window=Duration.minutes(3))),
        r"operations.waf.evaluation_window must be one of 1 min, 2 min, 5 min, 10 min "
        r"\(WAF's windows\), got '3 minutes'",
    )


@pytest.mark.parametrize("group", ["AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet"])
def test_fails_when_a_rule_group_cognito_refuses_is_named(stack: Stack, group: str) -> None:
    fails(
        stack,
        OperationsSettings(
            waf=WafSettings(managed_rule_groups=("AWSManagedRulesCommonRuleSet", group))
        ),
        rf"operations.waf.managed_rule_groups may not contain '{group}': .*; remove it",
    )


def test_fails_when_a_rule_group_is_named_twice_or_badly(stack: Stack) -> None:
    fails(
        stack,
        OperationsSettings(
            waf=WafSettings(managed_rule_groups=("AWSManagedRulesCommonRuleSet",) * 2)
        ),
        "names 'AWSManagedRulesCommonRuleSet' twice",
    )
    fails(
        stack,
        OperationsSettings(waf=WafSettings(managed_rule_groups=("Common Rules",))),
        "a rule group name is 1 to 128 letters, digits, - or _, got 'Common Rules'",
    )


def test_fails_when_auth_events_are_asked_for_without_plus(stack: Stack) -> None:
    events = OperationsSettings(
        log_delivery=LogDeliverySettings(user_auth_events=AuthEventsDestination.cloudwatch_logs())
    )
    message = (
        r"operations.log_delivery.user_auth_events needs the PLUS feature plan with "
        r"threat_protection"
    )
    fails(stack, events, message)
    fails(stack, events, message, feature_plan=cognito.FeaturePlan.PLUS)


def test_fails_when_the_pool_already_has_a_web_acl(stack: Stack) -> None:
    created = auth(stack, OperationsSettings())
    with pytest.raises(ConfigurationError, match="already has a web ACL in this app"):
        AuthOperations(stack, "Again", user_pool=created.user_pool)
    assert stack.node.try_find_child("Again") is None
    # Without WAF a second set of alarms is fine.
    AuthOperations(
        stack,
        "AlarmsOnly",
        user_pool=created.user_pool,
        settings=OperationsSettings(
            waf=WafSettings(enabled=False), log_delivery=LogDeliverySettings(enabled=False)
        ),
    )


def test_fails_when_a_web_acl_of_your_own_is_associated(stack: Stack) -> None:
    pool = cognito.UserPool(stack, "Pool")
    wafv2.CfnWebACLAssociation(
        stack, "Mine", resource_arn=pool.user_pool_arn, web_acl_arn="arn:aws:wafv2:example"
    )
    with pytest.raises(ConfigurationError, match="already has a web ACL"):
        AuthOperations(stack, "Ops", user_pool=pool)


@pytest.mark.parametrize(
    ("alarm_settings", "match"),
    [
        (AlarmSettings(quota_utilization_percent=0), "quota_utilization_percent must be above 0"),
        (AlarmSettings(quota_utilization_percent=120), "at most 100, got 120"),
        (AlarmSettings(sign_in_success_ratio_min=50), "between 0 and 1 .*, got 50"),
    ],
)
def test_fails_when_an_alarm_threshold_is_out_of_range(
    stack: Stack, alarm_settings: AlarmSettings, match: str
) -> None:
    fails(stack, OperationsSettings(alarms=alarm_settings), match)


@pytest.mark.parametrize("peak", [0, -5, 2.5])
def test_fails_when_the_expected_peak_is_not_a_positive_whole_number(
    stack: Stack, peak: Any
) -> None:
    fails(
        stack,
        OperationsSettings(expected_peak_sign_ins_per_second=peak),
        rf"expected_peak_sign_ins_per_second must be a whole number of at least 1, got {peak}",
    )


def test_fails_when_the_dashboard_name_has_other_characters(stack: Stack) -> None:
    fails(
        stack,
        OperationsSettings(dashboard=DashboardSettings(dashboard_name="auth ops")),
        "dashboard_name must be 1 to 255 letters, digits, - or _, got 'auth ops'",
    )


WRONG_TYPES = [
    (
        OperationsSettings(log_delivery=LogDeliverySettings(user_auth_events="info")),  # type: ignore[arg-type]
        "operations.log_delivery.user_auth_events must be AuthEventsDestination.cloudwatch_logs(), "
        ".s3_bucket(bucket), .firehose(stream_arn) or None, got 'info'",
    ),
    (
        OperationsSettings(log_delivery=LogDeliverySettings(user_notification_errors="yes")),  # type: ignore[arg-type]
        "operations.log_delivery.user_notification_errors must be True or False, got 'yes'",
    ),
    (
        OperationsSettings(log_delivery=LogDeliverySettings(enabled=1)),  # type: ignore[arg-type]
        "operations.log_delivery.enabled must be True or False, got 1",
    ),
    (
        OperationsSettings(alarms=AlarmSettings(quota_utilization_percent="80")),  # type: ignore[arg-type]
        "operations.alarms.quota_utilization_percent must be a number or None, got '80'",
    ),
    (
        OperationsSettings(alarms=AlarmSettings(sign_in_success_ratio_min=True)),  # type: ignore[arg-type]
        "operations.alarms.sign_in_success_ratio_min must be a number or None, got True",
    ),
    (
        OperationsSettings(alarms=AlarmSettings(triggers="no")),  # type: ignore[arg-type]
        "operations.alarms.triggers must be True or False, got 'no'",
    ),
    (
        OperationsSettings(alarms=AlarmSettings(throttles=None)),  # type: ignore[arg-type]
        "operations.alarms.throttles must be True or False, got None",
    ),
    (
        OperationsSettings(alarms=AlarmSettings(topic="arn:aws:sns:us-east-1:1:t")),  # type: ignore[arg-type]
        "operations.alarms.topic must be an SNS topic (sns.ITopic) or None, "
        "got 'arn:aws:sns:us-east-1:1:t'",
    ),
    (
        OperationsSettings(dashboard=DashboardSettings(dashboard_name=7)),  # type: ignore[arg-type]
        "operations.dashboard.dashboard_name must be a string, got 7",
    ),
    (
        OperationsSettings(waf=WafSettings(count_only="true")),  # type: ignore[arg-type]
        "operations.waf.count_only must be True or False, got 'true'",
    ),
    (
        OperationsSettings(waf=WafSettings(evaluation_window=300)),  # type: ignore[arg-type]
        "operations.waf.evaluation_window must be a Duration (Duration.minutes(1), 2, 5 or 10), "
        "got 300",
    ),
    (
        OperationsSettings(waf=WafSettings(managed_rule_groups="AWSManagedRulesCommonRuleSet")),
        "operations.waf.managed_rule_groups must be a list of rule group names (strings), "
        "got 'AWSManagedRulesCommonRuleSet'",
    ),
    (
        OperationsSettings(waf="off"),  # type: ignore[arg-type]
        "operations.waf must be a WafSettings(...), got 'off'",
    ),
    (
        OperationsSettings(alarms=False),  # type: ignore[arg-type]
        "operations.alarms must be an AlarmSettings(...), got False",
    ),
]


@pytest.mark.parametrize(("operations", "message"), WRONG_TYPES)
def test_fails_when_a_setting_has_the_wrong_type(
    stack: Stack, operations: OperationsSettings, message: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        auth(stack, operations)
    assert list(raised.value.problems) == [f"CognitoAuth: {message}"]
    assert stack.node.try_find_child("Auth") is None  # nothing was defined


def test_fails_when_auth_operations_alone_gets_the_wrong_type(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "us-east-1_Example1")
    with pytest.raises(ConfigurationError) as raised:
        AuthOperations(
            stack,
            "Ops",
            user_pool=pool,
            settings=OperationsSettings(
                log_delivery=LogDeliverySettings(user_auth_events="info")  # type: ignore[arg-type]
            ),
        )
    assert list(raised.value.problems) == [
        "AuthOperations: operations.log_delivery.user_auth_events must be "
        "AuthEventsDestination.cloudwatch_logs(), .s3_bucket(bucket), .firehose(stream_arn) or "
        "None, got 'info'"
    ]
    assert stack.node.try_find_child("Ops") is None


def test_all_problems_are_reported_together(stack: Stack) -> None:
    with pytest.raises(ConfigurationError) as raised:
        auth(
            stack,
            OperationsSettings(
                waf=WafSettings(rate_limit=1, managed_rule_groups=("AWSManagedRulesATPRuleSet",)),
                expected_peak_sign_ins_per_second=0,
            ),
        )
    assert len(raised.value.problems) == 3
    assert all(p.startswith("CognitoAuth: operations.") for p in raised.value.problems)


def test_does_not_fail_when_values_are_tokens(stack: Stack) -> None:
    limit = CfnParameter(stack, "Limit", type="Number").value_as_number
    window = CfnParameter(stack, "Window", type="Number").value_as_number
    group = CfnParameter(stack, "Group").value_as_string
    name = CfnParameter(stack, "Name").value_as_string
    peak = CfnParameter(stack, "Peak", type="Number").value_as_number
    template = template_with(
        stack,
        OperationsSettings(
            waf=WafSettings(
                rate_limit=limit,  # type: ignore[arg-type]
                evaluation_window=Duration.seconds(window),
                managed_rule_groups=(group,),
            ),
            dashboard=DashboardSettings(dashboard_name=name),
            expected_peak_sign_ins_per_second=peak,  # type: ignore[arg-type]
        ),
    )
    rate = web_acl(template)["Rules"][0]["Statement"]["RateBasedStatement"]
    assert rate["Limit"] == {"Ref": "Limit"}
    assert rate["EvaluationWindowSec"] == {"Ref": "Window"}
    assert web_acl(template)["Rules"][1]["Statement"]["ManagedRuleGroupStatement"]["Name"] == {
        "Ref": "Group"
    }


def test_auth_events_on_a_plain_user_pool_are_judged_from_its_plan(stack: Stack) -> None:
    events = OperationsSettings(
        log_delivery=LogDeliverySettings(user_auth_events=AuthEventsDestination.cloudwatch_logs())
    )
    plus = cognito.UserPool(
        stack,
        "Plus",
        feature_plan=cognito.FeaturePlan.PLUS,
        standard_threat_protection_mode=cognito.StandardThreatProtectionMode.AUDIT_ONLY,
    )
    AuthOperations(stack, "PlusOps", user_pool=plus, settings=events)
    essentials = cognito.UserPool(stack, "Essentials")
    with pytest.raises(ConfigurationError, match="user_auth_events needs the PLUS feature plan"):
        AuthOperations(stack, "EssentialsOps", user_pool=essentials, settings=events)


def test_does_not_fail_when_an_imported_pools_plan_cannot_be_told(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_EXAMPLE")
    AuthOperations(
        stack,
        "Ops",
        user_pool=pool,
        settings=OperationsSettings(
            log_delivery=LogDeliverySettings(
                user_auth_events=AuthEventsDestination.cloudwatch_logs()
            )
        ),
    )
    configurations = log_configurations(Template.from_stack(stack), "eu-west-1_EXAMPLE")
    sources = [c["EventSource"] for c in configurations]
    assert sources == ["userNotification", "userAuthEvents"]
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Ops", Match.string_like_regexp("plan of this imported user pool cannot be told")
    )


# One function under two operations ------------------------------------------------------


def migration_template(stack: Stack) -> Template:
    """``user_migration_stack`` of the scenarios with operations: the migration function is
    both the userMigration and the postAuthentication trigger (copy_groups, the default)."""
    from aws_cdk import aws_iam as iam

    from constructs_lib.triggers import PoolMigration

    old_pool = cognito.UserPool.from_user_pool_arn(
        stack, "OldPool", "arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_OldPool1"
    )
    auth = CognitoAuth(
        stack,
        "Auth",
        triggers=Triggers(
            user_migration=PoolMigration(
                from_user_pool=old_pool,
                from_client=cognito.UserPoolClient.from_user_pool_client_id(
                    stack, "OldClient", "1example23456789oldclient"
                ),
                role_to_assume=iam.Role.from_role_arn(
                    stack, "OldPoolRole", "arn:aws:iam::210987654321:role/user-migration"
                ),
                old_username_attribute="email",
            )
        ),
        operations=OperationsSettings(waf=WafSettings(enabled=False)),
    )
    assert auth.triggers is not None
    assert set(auth.triggers.functions) == {"userMigration", "postAuthentication"}
    return Template.from_stack(stack)


def test_a_function_under_two_operations_gets_one_set_of_alarms(stack: Stack) -> None:
    template = migration_template(stack)
    lambda_alarms = {
        logical_id: props
        for logical_id, props in alarms(template).items()
        if props.get("Namespace") == "AWS/Lambda"
    }
    assert len(lambda_alarms) == 3  # errors, throttles, duration: not six
    assert sorted(props["MetricName"] for props in lambda_alarms.values()) == [
        "Duration",
        "Errors",
        "Throttles",
    ]
    (function,) = {props["Dimensions"][0]["Value"]["Ref"] for props in lambda_alarms.values()}
    assert function.startswith("AuthTriggersUserMigration")
    # Named after the first operation, described with both.
    errors = alarm_named(template, "userMigrationErrors")
    assert errors["AlarmDescription"].startswith(
        "Trigger userMigration and postAuthentication failed. Means: the userMigration and "
        "postAuthentication function raised or timed out;"
    )
    assert not any("postAuthentication" in logical_id for logical_id in alarms(template))


def test_a_function_under_two_operations_is_one_line_on_the_dashboard(stack: Stack) -> None:
    widgets = {w["properties"]["title"]: w for w in dashboard_widgets(migration_template(stack))}

    def labels(title: str) -> list[str]:
        metrics = widgets[title]["properties"]["metrics"]
        return sorted(m[-1]["label"] for m in metrics)

    both = "userMigration and postAuthentication"
    assert labels("Trigger duration p99 (ms; Cognito waits 5000)") == [both]
    assert labels("Trigger errors and throttles") == [f"{both} errors", f"{both} throttles"]
