"""Pins every default: a change to a security default must show up here as a reviewed diff."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito

from constructs_lib import defaults


def test_sign_in_defaults() -> None:
    assert defaults.SIGN_IN_ALIASES.email is True
    assert not (
        defaults.SIGN_IN_ALIASES.phone
        or defaults.SIGN_IN_ALIASES.username
        or defaults.SIGN_IN_ALIASES.preferred_username
    )
    assert defaults.SIGN_IN_CASE_SENSITIVE is False
    assert defaults.SELF_SIGN_UP_ENABLED is False
    assert set(defaults.STANDARD_ATTRIBUTES) == {"email"}
    email = defaults.STANDARD_ATTRIBUTES["email"]
    assert (email.required, email.mutable) == (True, True)


def test_password_defaults() -> None:
    assert defaults.PASSWORD_MIN_LENGTH == 12
    assert all(
        (
            defaults.PASSWORD_REQUIRE_LOWERCASE,
            defaults.PASSWORD_REQUIRE_UPPERCASE,
            defaults.PASSWORD_REQUIRE_DIGITS,
            defaults.PASSWORD_REQUIRE_SYMBOLS,
        )
    )
    assert defaults.TEMP_PASSWORD_VALIDITY.to_days() == 3
    assert defaults.PASSWORD_HISTORY_SIZE == 5


def test_mfa_defaults() -> None:
    assert defaults.MFA == cognito.Mfa.OPTIONAL
    assert defaults.MFA_SECOND_FACTOR_OTP is True
    assert defaults.MFA_SECOND_FACTOR_SMS is False
    assert defaults.MFA_SECOND_FACTOR_EMAIL is False


def test_plan_recovery_and_retention_defaults() -> None:
    assert defaults.FEATURE_PLAN == cognito.FeaturePlan.ESSENTIALS
    assert defaults.ACCOUNT_RECOVERY == cognito.AccountRecovery.EMAIL_ONLY
    assert defaults.DELETION_PROTECTION is True
    assert defaults.REMOVAL_POLICY == RemovalPolicy.RETAIN
    assert defaults.PREVENT_USER_EXISTENCE_ERRORS is True


def test_service_limits_match_cognito() -> None:
    assert defaults.PASSWORD_MIN_LENGTH_RANGE == (6, 99)
    assert defaults.PASSWORD_HISTORY_SIZE_RANGE == (0, 24)
    assert defaults.TEMP_PASSWORD_VALIDITY_DAYS_MAX == 365
    assert defaults.CUSTOM_ATTRIBUTES_MAX == 50
    assert defaults.CUSTOM_ATTRIBUTE_NAME_MAX_LENGTH == 20
    assert defaults.GROUP_NAME_MAX_LENGTH == 128


def test_trigger_defaults() -> None:
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_logs as logs

    assert defaults.TRIGGER_RUNTIME.name == lambda_.Runtime.PYTHON_3_14.name
    assert defaults.TRIGGER_ARCHITECTURE.name == lambda_.Architecture.ARM_64.name
    assert defaults.TRIGGER_MEMORY_MB == 256
    # Below Cognito's 5 s limit, above the handlers' 3.5 s worst case (lambda_triggers/_aws.py).
    assert defaults.TRIGGER_TIMEOUT.to_seconds() == 4
    assert defaults.TRIGGER_LOG_RETENTION == logs.RetentionDays.ONE_MONTH
    assert defaults.PRE_TOKEN_GENERATION_VERSION == cognito.LambdaVersion.V2_0
    assert defaults.CLAIMS_CACHE_TTL.to_seconds() == 60
    assert defaults.AUTHORIZER_RESULTS_CACHE_TTL.to_seconds() == 300


def test_app_client_and_hosted_ui_defaults() -> None:
    assert defaults.ID_TOKEN_VALIDITY.to_minutes() == 60
    assert defaults.ACCESS_TOKEN_VALIDITY.to_minutes() == 60
    assert defaults.REFRESH_TOKEN_VALIDITY.to_days() == 30
    assert defaults.AUTH_SESSION_VALIDITY.to_minutes() == 3
    assert defaults.ENABLE_TOKEN_REVOCATION is True
    assert defaults.WEB_CLIENT_REFRESH_TOKEN_ROTATION is True
    assert defaults.SERVER_CLIENT_REFRESH_TOKEN_ROTATION is False
    assert defaults.REFRESH_TOKEN_ROTATION_GRACE_PERIOD.to_seconds() == 10
    assert [s.scope_name for s in defaults.WEB_CLIENT_SCOPES] == ["openid", "email", "profile"]
    flows = defaults.WEB_CLIENT_O_AUTH_FLOWS
    assert flows.authorization_code_grant is True
    assert not (flows.implicit_code_grant or flows.client_credentials)
    auth = defaults.WEB_CLIENT_AUTH_FLOWS
    assert auth.user_srp is True
    assert not (auth.user_password or auth.admin_user_password or auth.custom or auth.user)
    assert defaults.MANAGED_LOGIN_VERSION == cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN
    assert defaults.HOSTED_UI_CERTIFICATE_REGION == "us-east-1"


def test_clients_that_sign_users_in_write_standard_attributes_but_the_verified_flags() -> None:
    assert defaults.CLIENT_WRITE_ATTRIBUTES == (
        "address",
        "birthdate",
        "email",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "picture",
        "preferred_username",
        "profile",
        "updated_at",
        "website",
        "zoneinfo",
    )
    assert not any(a.startswith("custom:") for a in defaults.CLIENT_WRITE_ATTRIBUTES)


def test_app_client_and_domain_limits_match_cognito() -> None:
    def minutes(pair: tuple[Duration, Duration]) -> tuple[float, float]:
        return (pair[0].to_minutes(), pair[1].to_minutes())

    assert minutes(defaults.ID_TOKEN_VALIDITY_RANGE) == (5, 24 * 60)
    assert minutes(defaults.ACCESS_TOKEN_VALIDITY_RANGE) == (5, 24 * 60)
    assert minutes(defaults.REFRESH_TOKEN_VALIDITY_RANGE) == (60, 3650 * 24 * 60)
    assert minutes(defaults.AUTH_SESSION_VALIDITY_RANGE) == (3, 15)
    low, high = defaults.REFRESH_TOKEN_ROTATION_GRACE_PERIOD_RANGE
    assert (low.to_seconds(), high.to_seconds()) == (0, 60)
    assert defaults.DOMAIN_PREFIX_PATTERN == r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
    assert defaults.DOMAIN_PREFIX_RESERVED_WORDS == ("aws", "amazon", "cognito")


def test_identity_pool_and_user_files_defaults() -> None:
    assert defaults.ALLOW_UNAUTHENTICATED_IDENTITIES is False
    assert defaults.ALLOW_CLASSIC_FLOW is False
    assert defaults.SERVER_SIDE_TOKEN_CHECK is True
    assert defaults.AMBIGUOUS_ROLE_RESOLUTION == "AuthenticatedRole"
    assert defaults.IDENTITY_POOL_REMOVAL_POLICY == RemovalPolicy.RETAIN
    assert defaults.USER_FILES_REMOVAL_POLICY == RemovalPolicy.RETAIN
    assert defaults.USER_FILES_VERSIONED is True
    assert defaults.USER_FILES_ACCESS_LOGS is True
    assert (
        defaults.USER_FILES_PRIVATE,
        defaults.USER_FILES_PROTECTED,
        defaults.USER_FILES_PUBLIC,
    ) == (True, True, True)
    assert defaults.ROLE_MAPPING_RULES_MAX == 25
    assert defaults.PRINCIPAL_TAGS_MAX == 50


def test_replication_defaults() -> None:
    assert defaults.REPLICA_ACTIVE is True
    assert defaults.REPLICATION_MAX_REGIONS == 1
    assert defaults.REPLICATION_KEY_ACTIONS == (
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
    )


def test_user_migration_copies_groups_by_default() -> None:
    assert defaults.MIGRATION_COPIES_GROUPS is True


def test_operations_defaults() -> None:
    assert defaults.COGNITO_METRIC_PERIOD.to_minutes() == 5
    assert defaults.QUOTA_UTILIZATION_ALARM_PERCENT == 80
    assert defaults.SIGN_IN_SUCCESS_RATIO_MIN == 0.5
    assert defaults.TRIGGER_DURATION_ALARM.to_milliseconds() == 4000  # 80 % of Cognito's 5 s
    assert defaults.USER_AUTHENTICATION_DEFAULT_QUOTA_RPS == 120
    assert defaults.USER_AUTHENTICATION_REQUESTS_PER_SIGN_IN == 2
    assert dict(defaults.USER_AUTHENTICATION_USAGE_DIMENSIONS) == {
        "Service": "Cognito User Pool",
        "Type": "API",
        "Resource": "UserAuthentication",
        "Class": "None",
    }
    assert defaults.PURCHASED_CAPACITY_USD_PER_RPS_MONTH == 20
    assert defaults.WAF_RATE_LIMIT == 1000
    assert defaults.WAF_EVALUATION_WINDOW.to_seconds() == 300
    assert defaults.WAF_MANAGED_RULE_GROUPS == (
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
    )
    assert defaults.WAF_RATE_LIMIT_RANGE == (10, 2_000_000_000)
    assert defaults.WAF_EVALUATION_WINDOWS_SECONDS == (60, 120, 300, 600)


def test_default_client_defaults() -> None:
    assert defaults.DEFAULT_CLIENT_NAME == "web"
    assert defaults.DEFAULT_CLIENT_O_AUTH is False


def test_the_three_lists_of_standard_attributes_agree() -> None:
    """The CLI cannot import the constructs (no aws_cdk), so it keeps its own list: this keeps
    the lists from drifting apart."""
    from cognito_auth_tools.update_guard import STANDARD_ATTRIBUTES
    from constructs_lib.user_pool import STANDARD_ATTRIBUTE_NAMES

    writable = set(defaults.CLIENT_WRITE_ATTRIBUTES)
    assert writable == set(STANDARD_ATTRIBUTE_NAMES)
    # Cognito sets these itself: no client writes them.
    assert writable | {"sub", "email_verified", "phone_number_verified"} == STANDARD_ATTRIBUTES
