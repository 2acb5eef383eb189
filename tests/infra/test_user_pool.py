"""What the user pool renders: each default, and each setting as it reaches the template."""

from __future__ import annotations

import pytest
from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match, Template

from constructs_lib import (
    AdaptiveAction,
    CognitoAuth,
    CompromisedCredentialsAction,
    Group,
    RiskAction,
    SesEmail,
    ThreatProtection,
    UserPoolSettings,
)

POOL = "AWS::Cognito::UserPool"


def pool_template(stack: Stack, **settings: object) -> Template:
    CognitoAuth(stack, "Auth", user_pool=UserPoolSettings(**settings))  # type: ignore[arg-type]
    return Template.from_stack(stack)


def test_no_arguments_defines_the_secure_default_pool(stack: Stack) -> None:
    CognitoAuth(stack, "Auth")
    template = Template.from_stack(stack)
    template.resource_count_is(POOL, 1)
    template.has_resource(
        POOL,
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "DeletionProtection": "ACTIVE",
                    "UsernameAttributes": ["email"],
                    "UsernameConfiguration": {"CaseSensitive": False},
                    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
                    "MfaConfiguration": "OPTIONAL",
                    "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
                    "UserPoolTier": "ESSENTIALS",
                    "AccountRecoverySetting": {
                        "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
                    },
                    "Policies": {
                        "PasswordPolicy": {
                            "MinimumLength": 12,
                            "RequireLowercase": True,
                            "RequireUppercase": True,
                            "RequireNumbers": True,
                            "RequireSymbols": True,
                            "TemporaryPasswordValidityDays": 3,
                            "PasswordHistorySize": 5,
                        }
                    },
                    "Schema": [{"Name": "email", "Required": True, "Mutable": True}],
                }
            ),
        },
    )
    # Nothing that costs extra or opens access: no threat protection, no SMS role, no groups.
    props = template.find_resources(POOL)
    (pool,) = props.values()
    assert "UserPoolAddOns" not in pool["Properties"]
    assert "SmsConfiguration" not in pool["Properties"]
    template.resource_count_is("AWS::IAM::Role", 0)
    template.resource_count_is("AWS::Cognito::UserPoolRiskConfigurationAttachment", 0)


def test_pool_logical_id_is_stable(stack: Stack) -> None:
    # The logical ID is public contract: a new one replaces the pool and every user with it.
    CognitoAuth(stack, "Auth")
    assert list(Template.from_stack(stack).find_resources(POOL)) == ["AuthUserPool8115E87F"]


def test_sign_in_aliases_and_case_sensitivity(stack: Stack) -> None:
    template = pool_template(
        stack,
        sign_in_aliases=cognito.SignInAliases(username=True, email=True, preferred_username=True),
        sign_in_case_sensitive=True,
    )
    template.has_resource_properties(
        POOL,
        {
            "AliasAttributes": ["email", "preferred_username"],
            "UsernameConfiguration": {"CaseSensitive": True},
        },
    )


def test_phone_sign_in_creates_an_sms_role(stack: Stack) -> None:
    template = pool_template(stack, sign_in_aliases=cognito.SignInAliases(phone=True))
    template.has_resource_properties(POOL, {"UsernameAttributes": ["phone_number"]})
    template.has_resource_properties(
        POOL, {"SmsConfiguration": Match.object_like({"SnsCallerArn": Match.any_value()})}
    )


def test_given_sms_role_is_used(stack: Stack) -> None:
    role = iam.Role.from_role_arn(stack, "Sms", "arn:aws:iam::123456789012:role/cognito-sms")
    template = pool_template(
        stack,
        mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=True),
        sms_role=role,
        sms_role_external_id="example-external-id",
    )
    template.has_resource_properties(
        POOL,
        {
            "EnabledMfas": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"],
            "SmsConfiguration": {
                "SnsCallerArn": "arn:aws:iam::123456789012:role/cognito-sms",
                "ExternalId": "example-external-id",
            },
        },
    )
    template.resource_count_is("AWS::IAM::Role", 0)


def test_standard_and_custom_attributes(stack: Stack) -> None:
    template = pool_template(
        stack,
        standard_attributes={
            "email": cognito.StandardAttribute(required=True, mutable=True),
            "name": cognito.StandardAttribute(required=True, mutable=False),
            "zoneinfo": cognito.StandardAttribute(mutable=True),
        },
        custom_attributes={
            "tenant_id": cognito.StringAttribute(min_len=1, max_len=64, mutable=False),
            "seats": cognito.NumberAttribute(min=0, max=1000),
            "beta": cognito.BooleanAttribute(mutable=True),
            "joined": cognito.DateTimeAttribute(),
        },
    )
    template.has_resource_properties(
        POOL,
        {
            "Schema": Match.array_with(
                [
                    {"Name": "name", "Required": True, "Mutable": False},
                    {"Name": "zoneinfo", "Required": False, "Mutable": True},
                    {
                        "Name": "tenant_id",
                        "AttributeDataType": "String",
                        "Mutable": False,
                        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"},
                    },
                    {
                        "Name": "seats",
                        "AttributeDataType": "Number",
                        "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "1000"},
                    },
                    {"Name": "beta", "AttributeDataType": "Boolean", "Mutable": True},
                    {"Name": "joined", "AttributeDataType": "DateTime"},
                ]
            )
        },
    )


def test_password_policy_overrides_keep_unset_defaults(stack: Stack) -> None:
    template = pool_template(
        stack,
        password_policy=cognito.PasswordPolicy(
            min_length=16,
            require_symbols=False,
            temp_password_validity=Duration.days(1),
            password_history_size=24,
        ),
    )
    template.has_resource_properties(
        POOL,
        {
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": 16,
                    "RequireSymbols": False,
                    "RequireLowercase": True,
                    "RequireUppercase": True,
                    "RequireNumbers": True,
                    "TemporaryPasswordValidityDays": 1,
                    "PasswordHistorySize": 24,
                }
            }
        },
    )


def test_lite_plan_sets_no_password_history(stack: Stack) -> None:
    template = pool_template(stack, feature_plan=cognito.FeaturePlan.LITE)
    (pool,) = template.find_resources(POOL).values()
    assert pool["Properties"]["UserPoolTier"] == "LITE"
    assert "PasswordHistorySize" not in pool["Properties"]["Policies"]["PasswordPolicy"]


@pytest.mark.parametrize(
    ("mfa", "factor", "rendered_mfa", "enabled"),
    [
        (cognito.Mfa.OFF, None, "OFF", None),
        (
            cognito.Mfa.REQUIRED,
            cognito.MfaSecondFactor(otp=True, sms=False),
            "ON",
            ["SOFTWARE_TOKEN_MFA"],
        ),
    ],
)
def test_mfa_modes(
    stack: Stack,
    mfa: cognito.Mfa,
    factor: cognito.MfaSecondFactor | None,
    rendered_mfa: str,
    enabled: list[str] | None,
) -> None:
    template = pool_template(stack, mfa=mfa, mfa_second_factor=factor)
    (pool,) = template.find_resources(POOL).values()
    assert pool["Properties"]["MfaConfiguration"] == rendered_mfa
    assert pool["Properties"].get("EnabledMfas") == enabled


def test_email_mfa_and_email_otp_with_ses(stack: Stack) -> None:
    template = pool_template(
        stack,
        mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False, email=True),
        allowed_first_auth_factors=cognito.AllowedFirstAuthFactors(
            password=True, email_otp=True, passkey=True
        ),
        passkey_relying_party_id="auth.example.com",
        email=SesEmail(
            from_email="no-reply@example.com",
            from_name="Example",
            reply_to="support@example.com",
            configuration_set_name="auth-events",
        ),
    )
    template.has_resource_properties(
        POOL,
        {
            "EnabledMfas": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
            "EmailConfiguration": Match.object_like(
                {
                    "EmailSendingAccount": "DEVELOPER",
                    "From": "Example <no-reply@example.com>",
                    "ReplyToEmailAddress": "support@example.com",
                    "ConfigurationSet": "auth-events",
                }
            ),
            "Policies": Match.object_like(
                {
                    "SignInPolicy": {
                        "AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]
                    }
                }
            ),
            "WebAuthnRelyingPartyID": "auth.example.com",
        },
    )


def test_account_recovery_and_messages(stack: Stack) -> None:
    template = pool_template(
        stack,
        account_recovery=cognito.AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
        user_verification=cognito.UserVerificationConfig(
            email_subject="Confirm your Example account",
            email_body="Your code is {####}",
            sms_message="Example code {####}",
        ),
        user_invitation=cognito.UserInvitationConfig(
            email_subject="Welcome to Example",
            email_body="Sign in as {username} with {####}",
            sms_message="Example: {username} / {####}",
        ),
    )
    template.has_resource_properties(
        POOL,
        {
            "AccountRecoverySetting": {
                "RecoveryMechanisms": [
                    {"Name": "verified_phone_number", "Priority": 1},
                    {"Name": "verified_email", "Priority": 2},
                ]
            },
            "VerificationMessageTemplate": Match.object_like(
                {
                    "EmailSubject": "Confirm your Example account",
                    "EmailMessage": "Your code is {####}",
                }
            ),
            "AdminCreateUserConfig": Match.object_like(
                {
                    "InviteMessageTemplate": {
                        "EmailSubject": "Welcome to Example",
                        "EmailMessage": "Sign in as {username} with {####}",
                        "SMSMessage": "Example: {username} / {####}",
                    }
                }
            ),
        },
    )


def test_groups_with_precedence_and_role(stack: Stack) -> None:
    role = iam.Role(stack, "AdminRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    template = pool_template(
        stack,
        groups=[
            Group(name="admins", precedence=0, description="Administrators", role=role),
            Group(name="readers", precedence=10),
        ],
    )
    template.has_resource_properties(
        "AWS::Cognito::UserPoolGroup",
        {
            "GroupName": "admins",
            "Precedence": 0,
            "Description": "Administrators",
            "RoleArn": {"Fn::GetAtt": [Match.string_like_regexp("AdminRole"), "Arn"]},
            "UserPoolId": {"Ref": "AuthUserPool8115E87F"},
        },
    )
    template.has_resource_properties(
        "AWS::Cognito::UserPoolGroup", {"GroupName": "readers", "Precedence": 10}
    )


def test_threat_protection_full_function_renders_the_risk_configuration(stack: Stack) -> None:
    template = pool_template(
        stack,
        feature_plan=cognito.FeaturePlan.PLUS,
        threat_protection=ThreatProtection.full_function(
            low_risk=AdaptiveAction(action=RiskAction.ALLOW, notify=True),
            high_risk=AdaptiveAction(action=RiskAction.BLOCK, notify=True),
            compromised_credentials=CompromisedCredentialsAction.BLOCK,
            notify_source_arn="arn:aws:ses:eu-west-1:123456789012:identity/example.com",
        ),
    )
    template.has_resource_properties(
        POOL,
        {"UserPoolTier": "PLUS", "UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"}},
    )
    template.has_resource_properties(
        "AWS::Cognito::UserPoolRiskConfigurationAttachment",
        {
            "ClientId": "ALL",
            "UserPoolId": {"Ref": "AuthUserPool8115E87F"},
            "AccountTakeoverRiskConfiguration": {
                "Actions": {
                    "LowAction": {"EventAction": "NO_ACTION", "Notify": True},
                    "MediumAction": {"EventAction": "MFA_IF_CONFIGURED", "Notify": False},
                    "HighAction": {"EventAction": "BLOCK", "Notify": True},
                },
                "NotifyConfiguration": {
                    "SourceArn": "arn:aws:ses:eu-west-1:123456789012:identity/example.com"
                },
            },
            "CompromisedCredentialsRiskConfiguration": {
                "Actions": {"EventAction": "BLOCK"},
                "EventFilter": ["SIGN_IN", "SIGN_UP", "PASSWORD_CHANGE"],
            },
        },
    )


def test_threat_protection_audit_only_has_no_risk_configuration(stack: Stack) -> None:
    template = pool_template(
        stack,
        feature_plan=cognito.FeaturePlan.PLUS,
        threat_protection=ThreatProtection.audit_only(),
    )
    template.has_resource_properties(POOL, {"UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"}})
    template.resource_count_is("AWS::Cognito::UserPoolRiskConfigurationAttachment", 0)


def test_destroy_and_no_deletion_protection_warn(stack: Stack) -> None:
    template = pool_template(stack, removal_policy=RemovalPolicy.DESTROY, deletion_protection=False)
    template.has_resource(POOL, {"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
    (pool,) = template.find_resources(POOL).values()
    assert pool["Properties"].get("DeletionProtection", "INACTIVE") == "INACTIVE"
    annotations = Annotations.from_stack(stack)
    annotations.has_warning("*", Match.string_like_regexp("removal_policy=DESTROY"))
    annotations.has_warning("*", Match.string_like_regexp("deletion_protection=False"))


def test_secure_defaults_leave_no_warning(stack: Stack) -> None:
    CognitoAuth(stack, "Auth")
    Annotations.from_stack(stack).has_no_warning("*", Match.any_value())


def test_existing_user_pool_is_used_as_is(stack: Stack) -> None:
    existing = cognito.UserPool.from_user_pool_id(stack, "Existing", "eu-west-1_EXAMPLE")
    auth = CognitoAuth(stack, "Auth", existing_user_pool=existing)
    template = Template.from_stack(stack)
    template.resource_count_is(POOL, 0)
    assert auth.user_pool is existing
    # The domain suffix stays a token, so the URL is right in every partition (amazonaws.com.cn).
    assert stack.resolve(auth.issuer_url) == {
        "Fn::Join": [
            "",
            ["https://cognito-idp.eu-west-1.", {"Ref": "AWS::URLSuffix"}, "/eu-west-1_EXAMPLE"],
        ]
    }
    assert stack.resolve(auth.jwks_url)["Fn::Join"][1][-1] == (
        "/eu-west-1_EXAMPLE/.well-known/jwks.json"
    )
