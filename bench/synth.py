"""Synth cost of the library against the same resources written directly with aws-cdk-lib L2s.

Both sides build and synthesize the example app's stack: the pool of ``cdk.json`` with its
groups, its four triggers (roles, log groups, policies), the two tables, the web client on a
prefix domain with its branding, the identity pool, the files and log buckets, the operations
(18 alarms to an encrypted topic, a dashboard, a web ACL with its logs, log delivery), and the
outputs. They
run in the same process, interleaved, after a warm-up, so that the jsii start-up and the
machine's noise fall on both alike; a second table times whole processes.
Run: ``.venv/bin/python -m bench.synth``.
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

from aws_cdk import App, Aws, CfnOutput, Duration, RemovalPolicy, Stack  # after the environment
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_cognito_identitypool as identitypool
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_wafv2 as wafv2

from app import define_example
from constructs_lib.triggers import handler_folder
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
    functions = _triggers_directly(stack, pool)
    outputs = _access_directly(stack, pool)
    _operations_directly(stack, pool, functions)
    issuer = f"https://{pool.user_pool_provider_name}"
    outputs.update(
        {
            "Region": stack.region,
            "UserPoolId": pool.user_pool_id,
            "UserPoolArn": pool.user_pool_arn,
            "IssuerUrl": issuer,
            "JwksUrl": f"{issuer}/.well-known/jwks.json",
        }
    )
    for name, value in outputs.items():
        CfnOutput(stack, name, value=value)


def _access_directly(stack: Stack, pool: cognito.UserPool) -> dict[str, str]:
    """The example's web client, prefix domain with branding, identity pool and files bucket."""
    client = pool.add_client(
        "web",
        auth_flows=cognito.AuthFlow(user_srp=True),
        o_auth=cognito.OAuthSettings(
            flows=cognito.OAuthFlows(authorization_code_grant=True),
            callback_urls=["http://localhost:3000/"],
            logout_urls=["http://localhost:3000/"],
            scopes=[
                cognito.OAuthScope.OPENID,
                cognito.OAuthScope.EMAIL,
                cognito.OAuthScope.PROFILE,
            ],
        ),
        prevent_user_existence_errors=True,
        enable_token_revocation=True,
    )
    domain = pool.add_domain(
        "Domain",
        cognito_domain=cognito.CognitoDomainOptions(domain_prefix=f"auth-{Aws.ACCOUNT_ID}"),
        managed_login_version=cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    )
    cognito.CfnManagedLoginBranding(
        stack,
        "Branding",
        user_pool_id=pool.user_pool_id,
        client_id=client.user_pool_client_id,
        use_cognito_provided_values=True,
    )
    identity_pool = identitypool.IdentityPool(
        stack,
        "IdentityPool",
        authentication_providers=identitypool.IdentityPoolAuthenticationProviders(
            user_pools=[
                identitypool.UserPoolAuthenticationProvider(user_pool=pool, user_pool_client=client)
            ]
        ),
    )
    logs_bucket = s3.Bucket(
        stack,
        "AccessLogs",
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        removal_policy=RemovalPolicy.RETAIN,
    )
    bucket = s3.Bucket(
        stack,
        "UserFiles",
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        versioned=True,
        server_access_logs_bucket=logs_bucket,
        cors=[
            s3.CorsRule(
                allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.PUT],
                allowed_origins=["http://localhost:3000"],
            )
        ],
        removal_policy=RemovalPolicy.RETAIN,
    )
    owner = "${cognito-identity.amazonaws.com:sub}"
    identity_pool.authenticated_role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            resources=[bucket.arn_for_objects(f"private/{owner}/*")],
        )
    )
    identity_pool.authenticated_role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["s3:ListBucket"],
            resources=[bucket.bucket_arn],
            conditions={"StringLike": {"s3:prefix": [f"private/{owner}/*"]}},
        )
    )
    base = domain.base_url()
    return {
        "ClientIdweb": client.user_pool_client_id,
        "HostedUiBaseUrl": base,
        "AuthorizeUrl": f"{base}/oauth2/authorize",
        "TokenUrl": f"{base}/oauth2/token",
        "LogoutUrl": f"{base}/logout",
        "UserInfoUrl": f"{base}/oauth2/userInfo",
        "IdentityPoolId": identity_pool.identity_pool_id,
        "UserFilesBucket": bucket.bucket_name,
    }


def _operations_directly(
    stack: Stack, pool: cognito.UserPool, functions: dict[str, lambda_.Function]
) -> None:
    """The example's operations: alarms, dashboard, web ACL with logs, log delivery."""
    key = kms.Key(stack, "AlarmKey", enable_key_rotation=True)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
        )
    )
    action = cw_actions.SnsAction(sns.Topic(stack, "AlarmTopic", master_key=key, enforce_ssl=True))

    def query(metric_name: str, function: str = "SUM") -> cloudwatch.MathExpression:
        return cloudwatch.MathExpression(
            expression=f'SELECT {function}({metric_name}) FROM SCHEMA("AWS/Cognito", UserPool, '
            f"UserPoolClient) WHERE UserPool = '{pool.user_pool_id}'",
            period=Duration.minutes(5),
        )

    calls = cloudwatch.Metric(
        namespace="AWS/Usage",
        metric_name="CallCount",
        dimensions_map={
            "Service": "Cognito User Pool",
            "Type": "API",
            "Resource": "UserAuthentication",
            "Class": "None",
        },
        statistic="Sum",
        period=Duration.minutes(1),
    )
    quota = cloudwatch.MathExpression(
        expression="(calls / PERIOD(calls)) / SERVICE_QUOTA(calls) * 100",
        using_metrics={"calls": calls},
        period=Duration.minutes(1),
    )
    metrics: dict[str, tuple[cloudwatch.IMetric, float]] = {
        name: (query(name), 1)
        for name in (
            "SignInThrottles",
            "SignUpThrottles",
            "TokenRefreshThrottles",
            "FederationThrottles",
        )
    }
    metrics["Quota"] = (quota, 80)
    metrics["Ratio"] = (query("SignInSuccesses", "AVG"), 0.5)
    for name, fn in functions.items():
        metrics[f"{name}Errors"] = (fn.metric_errors(period=Duration.minutes(5)), 1)
        metrics[f"{name}Throttles"] = (fn.metric_throttles(period=Duration.minutes(5)), 1)
        metrics[f"{name}Duration"] = (
            fn.metric_duration(period=Duration.minutes(5), statistic="p99"),
            4000,
        )
    for name, (metric, threshold) in metrics.items():
        alarm = metric.create_alarm(
            stack,
            f"{name}Alarm",
            threshold=threshold,
            evaluation_periods=1,
            alarm_description=f"{name}: what it means and what to do",
        )
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
    dashboard = cloudwatch.Dashboard(stack, "Dashboard")
    dashboard.add_widgets(
        *(
            cloudwatch.GraphWidget(title=name, left=[metric])
            for name, (metric, _) in metrics.items()
        )
    )
    visibility = {"cloudWatchMetricsEnabled": True, "sampledRequestsEnabled": True}
    groups = (
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
    )
    acl = wafv2.CfnWebACL(
        stack,
        "WebAcl",
        scope="REGIONAL",
        default_action={"allow": {}},
        visibility_config={"metricName": "Auth", **visibility},
        rules=[
            {
                "name": "RateLimitPerIp",
                "priority": 0,
                "action": {"block": {}},
                "statement": {
                    "rateBasedStatement": {
                        "aggregateKeyType": "IP",
                        "limit": 1000,
                        "evaluationWindowSec": 300,
                    }
                },
                "visibilityConfig": {
                    "metricName": "Rate",
                    "cloudWatchMetricsEnabled": True,
                    "sampledRequestsEnabled": True,
                },
            },
            *(
                {
                    "name": g,
                    "priority": i,
                    "overrideAction": {"none": {}},
                    "statement": {"managedRuleGroupStatement": {"vendorName": "AWS", "name": g}},
                    "visibilityConfig": {
                        "metricName": g,
                        "cloudWatchMetricsEnabled": True,
                        "sampledRequestsEnabled": True,
                    },
                }
                for i, g in enumerate(groups, start=1)
            ),
        ],
    )
    wafv2.CfnWebACLAssociation(
        stack, "WebAclAssociation", resource_arn=pool.user_pool_arn, web_acl_arn=acl.attr_arn
    )
    waf_logs = logs.LogGroup(
        stack,
        "WafLogs",
        log_group_name="aws-waf-logs-example",
        retention=logs.RetentionDays.ONE_MONTH,
    )
    wafv2.CfnLoggingConfiguration(
        stack,
        "WafLogging",
        resource_arn=acl.attr_arn,
        log_destination_configs=[waf_logs.log_group_arn],
    )
    notifications = logs.LogGroup(stack, "NotificationLogs", retention=logs.RetentionDays.ONE_MONTH)
    cognito.CfnLogDeliveryConfiguration(
        stack,
        "LogDelivery",
        user_pool_id=pool.user_pool_id,
        log_configurations=[
            {
                "eventSource": "userNotification",
                "logLevel": "ERROR",
                "cloudWatchLogsConfiguration": {"logGroupArn": notifications.log_group_arn},
            }
        ],
    )


def _triggers_directly(stack: Stack, pool: cognito.UserPool) -> dict[str, lambda_.Function]:
    """The example's four triggers and two tables, as plain L2s."""
    functions: dict[str, lambda_.Function] = {}
    tables = {
        name: dynamodb.TableV2(
            stack,
            name,
            partition_key=dynamodb.Attribute(name="sub", type=dynamodb.AttributeType.STRING),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for name in ("UserClaims", "UserProfiles")
    }
    code = lambda_.Code.from_asset(str(handler_folder()), exclude=["__pycache__", "*.pyc"])
    messages = {
        "MESSAGE_APP_NAME": "Example",
        "MESSAGE_SIGN_UP_EMAIL_SUBJECT": "Confirm your ${app_name} account",
        "MESSAGE_SIGN_UP_EMAIL_MESSAGE": "Your ${app_name} confirmation code is ${code}",
    }
    specs = {
        "pre_token_generation": (
            cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
            {"CLAIMS_TABLE_NAME": tables["UserClaims"].table_name, "GROUPS_CLAIM": "roles"},
        ),
        "pre_sign_up": (cognito.UserPoolOperation.PRE_SIGN_UP, {}),
        "post_confirmation": (
            cognito.UserPoolOperation.POST_CONFIRMATION,
            {"DEFAULT_GROUP": "users", "PROFILE_TABLE_NAME": tables["UserProfiles"].table_name},
        ),
        "custom_message": (cognito.UserPoolOperation.CUSTOM_MESSAGE, messages),
    }
    for module, (operation, environment) in specs.items():
        logs_group = logs.LogGroup(stack, f"{module}Logs", retention=logs.RetentionDays.ONE_MONTH)
        role = iam.Role(
            stack, f"{module}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")
        )
        logs_group.grant_write(role)
        function = lambda_.Function(
            stack,
            f"{module}Function",
            runtime=lambda_.Runtime.PYTHON_3_14,
            architecture=lambda_.Architecture.ARM_64,
            memory_size=256,
            timeout=Duration.seconds(4),
            handler=f"{module}.handler",
            code=code,
            environment=environment,
            role=role,
            log_group=logs_group,
        )
        version = cognito.LambdaVersion.V2_0 if module == "pre_token_generation" else None
        pool.add_trigger(operation, function, version)
        functions[module] = function
        grants = {
            "pre_token_generation": (["dynamodb:GetItem"], tables["UserClaims"].table_arn),
            "post_confirmation": (["dynamodb:PutItem"], tables["UserProfiles"].table_arn),
        }
        if module in grants:
            actions, resource = grants[module]
            role.attach_inline_policy(
                iam.Policy(
                    stack,
                    f"{module}Policy",
                    statements=[iam.PolicyStatement(actions=actions, resources=[resource])],
                )
            )
    return functions


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
