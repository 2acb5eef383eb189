"""Every input rule of the user pool: refused with a message naming the argument, the value
and what is allowed; tokens are not judged; nothing is defined when anything is refused."""

from __future__ import annotations

import re

import pytest
from aws_cdk import CfnParameter, Duration, Stack
from aws_cdk import aws_cognito as cognito

from constructs_lib import (
    AdaptiveAction,
    CognitoAuth,
    ConfigurationError,
    Group,
    RiskAction,
    SecureUserPool,
    SesEmail,
    ThreatProtection,
    UserPoolSettings,
)

SES = SesEmail(from_email="no-reply@example.com")
LITE = cognito.FeaturePlan.LITE
PLUS = cognito.FeaturePlan.PLUS


def refuse(stack: Stack, match: str, **settings: object) -> ConfigurationError:
    with pytest.raises(ConfigurationError, match=match) as caught:
        CognitoAuth(stack, "Auth", user_pool=UserPoolSettings(**settings))  # type: ignore[arg-type]
    # Nothing half-built: the failed call left no construct behind.
    assert stack.node.try_find_child("Auth") is None
    return caught.value


def accept(stack: Stack, **settings: object) -> None:
    CognitoAuth(stack, "Auth", user_pool=UserPoolSettings(**settings))  # type: ignore[arg-type]


@pytest.mark.parametrize("length", [5, 100, 0])
def test_fails_when_password_length_is_outside_6_to_99(stack: Stack, length: int) -> None:
    refuse(
        stack,
        rf"password_policy.min_length must be a whole number from 6 to 99 .*got {length}",
        password_policy=cognito.PasswordPolicy(min_length=length),
    )


@pytest.mark.parametrize("length", [6, 99])
def test_does_not_fail_at_the_password_length_bounds(stack: Stack, length: int) -> None:
    accept(stack, password_policy=cognito.PasswordPolicy(min_length=length))


def test_does_not_fail_when_a_message_is_a_token(stack: Stack) -> None:
    message = CfnParameter(stack, "MfaMessage").value_as_string
    accept(stack, mfa_message=message)


@pytest.mark.parametrize(
    ("validity", "shown"),
    [
        (Duration.hours(20), "20 hours"),
        (Duration.minutes(90), "1 hour 30 minutes"),
        (Duration.days(366), "366 days"),
        (Duration.hours(0), ""),
    ],
)
def test_fails_when_temporary_password_validity_is_not_whole_days_up_to_365(
    stack: Stack, validity: Duration, shown: str
) -> None:
    refuse(
        stack,
        rf"temp_password_validity must be whole days from 1 to 365, got '{shown}",
        password_policy=cognito.PasswordPolicy(temp_password_validity=validity),
    )


def test_does_not_fail_when_temporary_password_validity_is_48_hours(stack: Stack) -> None:
    accept(stack, password_policy=cognito.PasswordPolicy(temp_password_validity=Duration.hours(48)))


def test_fails_when_password_history_is_above_24(stack: Stack) -> None:
    refuse(
        stack,
        "password_history_size must be from 0 to 24, got 25",
        password_policy=cognito.PasswordPolicy(password_history_size=25),
    )


def test_fails_when_password_history_is_asked_for_on_lite(stack: Stack) -> None:
    refuse(
        stack,
        "password_history_size=3 is not available on feature_plan=LITE; "
        "allowed: ESSENTIALS or PLUS",
        feature_plan=LITE,
        password_policy=cognito.PasswordPolicy(password_history_size=3),
    )


@pytest.mark.parametrize("mfa", [cognito.Mfa.REQUIRED, cognito.Mfa.OPTIONAL])
def test_fails_when_mfa_is_on_with_no_factor(stack: Stack, mfa: cognito.Mfa) -> None:
    refuse(
        stack,
        f"mfa={mfa.name} needs at least one of mfa_second_factor otp, sms or email",
        mfa=mfa,
        mfa_second_factor=cognito.MfaSecondFactor(otp=False, sms=False),
    )


def test_fails_when_email_mfa_has_no_ses_email(stack: Stack) -> None:
    refuse(
        stack,
        r"mfa_second_factor email=True needs email=SesEmail\(...\)",
        mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False, email=True),
    )


def test_fails_when_email_mfa_is_on_lite(stack: Stack) -> None:
    refuse(
        stack,
        "mfa_second_factor email=True is not available on feature_plan=LITE",
        feature_plan=LITE,
        email=SES,
        mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False, email=True),
    )


def test_fails_when_passwordless_is_on_lite(stack: Stack) -> None:
    refuse(
        stack,
        r"allowed_first_auth_factors sms_otp, passkey \(passwordless sign-in\) is not available "
        "on feature_plan=LITE",
        feature_plan=LITE,
        allowed_first_auth_factors=cognito.AllowedFirstAuthFactors(
            password=True, sms_otp=True, passkey=True
        ),
    )


def test_fails_when_email_otp_has_no_ses_email(stack: Stack) -> None:
    refuse(
        stack,
        "allowed_first_auth_factors email_otp=True needs email=SesEmail",
        allowed_first_auth_factors=cognito.AllowedFirstAuthFactors(password=True, email_otp=True),
    )


def test_fails_when_threat_protection_is_not_on_plus(stack: Stack) -> None:
    refuse(
        stack,
        "threat_protection needs feature_plan=PLUS, got feature_plan=ESSENTIALS",
        threat_protection=ThreatProtection.audit_only(),
    )


def test_fails_when_audit_only_threat_protection_has_actions(stack: Stack) -> None:
    refuse(
        stack,
        r"threat_protection actions apply only in FULL_FUNCTION mode, got mode=AUDIT_ONLY",
        feature_plan=PLUS,
        threat_protection=ThreatProtection(
            mode=cognito.StandardThreatProtectionMode.AUDIT_ONLY,
            high_risk=AdaptiveAction(action=RiskAction.BLOCK),
        ),
    )


def test_fails_when_a_risk_level_notifies_without_a_source(stack: Stack) -> None:
    refuse(
        stack,
        "threat_protection.high_risk notify=True needs threat_protection.notify_source_arn",
        feature_plan=PLUS,
        threat_protection=ThreatProtection.full_function(
            high_risk=AdaptiveAction(action=RiskAction.BLOCK, notify=True)
        ),
    )


def test_fails_when_a_risk_action_needs_mfa_but_mfa_is_off(stack: Stack) -> None:
    refuse(
        stack,
        "threat_protection.medium_risk action=MFA_IF_CONFIGURED needs MFA, but mfa=OFF",
        feature_plan=PLUS,
        mfa=cognito.Mfa.OFF,
        threat_protection=ThreatProtection.full_function(),
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a" * 21, "must be 1 to 20 characters without white space"),
        ("", "must be 1 to 20 characters without white space"),
        ("tenant id", "must be 1 to 20 characters without white space"),
        ("custom:tenant", r"must not include the 'custom:' prefix \(try 'tenant'\)"),
        ("email", "'email' is a standard attribute; set it in standard_attributes instead"),
    ],
)
def test_fails_when_a_custom_attribute_name_breaks_cognitos_rules(
    stack: Stack, name: str, message: str
) -> None:
    refuse(stack, message, custom_attributes={name: cognito.StringAttribute()})


def test_fails_when_there_are_more_than_50_custom_attributes(stack: Stack) -> None:
    many = {f"attr{i}": cognito.BooleanAttribute() for i in range(51)}
    refuse(stack, "custom_attributes: at most 50 per user pool, got 51", custom_attributes=many)


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        (cognito.StringAttribute(min_len=10, max_len=5), "min_len 10 is greater than max_len 5"),
        (cognito.NumberAttribute(min=100, max=1), "min 100 is greater than max 1"),
    ],
)
def test_fails_when_attribute_bounds_contradict(
    stack: Stack, attribute: cognito.ICustomAttribute, message: str
) -> None:
    refuse(
        stack,
        re.escape(f"custom_attributes['tenant']: {message}"),
        custom_attributes={"tenant": attribute},
    )


def test_does_not_fail_when_attribute_bounds_are_tokens(stack: Stack) -> None:
    low = CfnParameter(stack, "Low", type="Number").value_as_number
    accept(stack, custom_attributes={"tenant": cognito.StringAttribute(min_len=low, max_len=5)})


def test_fails_when_a_required_attribute_is_not_standard(stack: Stack) -> None:
    refuse(
        stack,
        r"standard_attributes: 'tenant_id' is not a standard attribute \(custom attributes cannot "
        r"be required\); allowed: address, birthdate, email, .*; put your own attributes in "
        "custom_attributes",
        standard_attributes={"tenant_id": cognito.StandardAttribute(required=True)},
    )


@pytest.mark.parametrize(
    ("group", "message"),
    [
        (Group(name=""), "name '' must be 1 to 128 printable characters without white space"),
        (Group(name="team a"), "name 'team a' must be 1 to 128 printable"),
        (Group(name="g" * 129), "must be 1 to 128 printable"),
        (Group(name="admins", precedence=-1), r"groups\['admins'\].precedence must be from 0 to"),
    ],
)
def test_fails_when_a_group_is_invalid(stack: Stack, group: Group, message: str) -> None:
    refuse(stack, message, groups=[group])


def test_fails_when_a_group_name_is_used_twice(stack: Stack) -> None:
    refuse(
        stack,
        "groups: name 'admins' is used twice",
        groups=[Group(name="admins"), Group(name="admins", precedence=2)],
    )


def test_does_not_fail_when_a_group_precedence_is_a_token(stack: Stack) -> None:
    # A token group name is refused (tests/infra/test_hardening_input.py): it names constructs.
    precedence = CfnParameter(stack, "Precedence", type="Number").value_as_number
    accept(stack, groups=[Group(name="admins", precedence=precedence)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"mfa_message": "Your code"}, "mfa_message must contain the code placeholder '{####}'"),
        (
            {"user_verification": cognito.UserVerificationConfig(email_body="Welcome")},
            "user_verification.email_body must contain '{####}' for email_style=CODE",
        ),
        (
            {
                "user_verification": cognito.UserVerificationConfig(
                    email_style=cognito.VerificationEmailStyle.LINK, email_body="Click {####}"
                )
            },
            "user_verification.email_body must contain '{##Verify Email##}' for email_style=LINK",
        ),
        (
            {"user_invitation": cognito.UserInvitationConfig(email_body="Password {####}")},
            "user_invitation.email_body must contain '{username}'",
        ),
    ],
)
def test_fails_when_a_message_lacks_its_placeholder(
    stack: Stack, settings: dict[str, object], message: str
) -> None:
    refuse(stack, re.escape(message), **settings)


def test_fails_when_settings_come_with_an_existing_pool(stack: Stack) -> None:
    existing = cognito.UserPool.from_user_pool_id(stack, "Existing", "eu-west-1_EXAMPLE")
    with pytest.raises(
        ConfigurationError,
        match=r"existing_user_pool and user_pool settings \(mfa, feature_plan\) cannot be used "
        "together",
    ):
        CognitoAuth(
            stack,
            "Auth",
            existing_user_pool=existing,
            user_pool=UserPoolSettings(mfa=cognito.Mfa.REQUIRED, feature_plan=PLUS),
        )


def test_reports_every_problem_of_one_call_together(stack: Stack) -> None:
    error = refuse(
        stack,
        "3 configuration problems",
        password_policy=cognito.PasswordPolicy(min_length=4),
        groups=[Group(name="a b")],
        threat_protection=ThreatProtection.audit_only(),
    )
    assert len(error.problems) == 3
    assert all(p.startswith("CognitoAuth: ") for p in error.problems)
    assert "min_length" in error.problems[0]


def test_configuration_error_is_a_value_error() -> None:
    assert issubclass(ConfigurationError, ValueError)


def test_secure_user_pool_validates_on_its_own(stack: Stack) -> None:
    with pytest.raises(ConfigurationError, match=r"^SecureUserPool: password_policy.min_length"):
        SecureUserPool(
            stack,
            "Pool",
            settings=UserPoolSettings(password_policy=cognito.PasswordPolicy(min_length=3)),
        )
