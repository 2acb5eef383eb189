"""Pins every default: a change to a security default must show up here as a reviewed diff."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
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
