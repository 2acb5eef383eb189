"""Synth cost of the library against the same resources written directly with aws-cdk-lib L2s.

Both sides build and synthesize the example app's stack: the pool of ``cdk.json`` with its
groups, its four triggers (roles, log groups, policies), the two tables, the web client on a
prefix domain with its branding, the identity pool, the files and log buckets, and the outputs. They
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
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_cognito_identitypool as identitypool
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3

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
    _triggers_directly(stack, pool)
    outputs = _access_directly(stack, pool)
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


def _triggers_directly(stack: Stack, pool: cognito.UserPool) -> None:
    """The example's four triggers and two tables, as plain L2s."""
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
