"""The example app's context object: each key reaches the construct; mistakes are refused."""

from __future__ import annotations

import json
import re

import pytest
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito

from app import build_app
from constructs_lib import ConfigurationError, RiskAction
from constructs_lib.app_config import DEFAULT_STACK_NAME, merge_context, parse_app_config


def test_empty_context_gives_the_library_defaults() -> None:
    config = parse_app_config({})
    assert config.stack_name == DEFAULT_STACK_NAME
    assert config.user_pool.given() == []


def test_every_user_pool_key_is_translated() -> None:
    config = parse_app_config(
        {
            "stack_name": "Auth",
            "user_pool": {
                "user_pool_name": "example-users",
                "self_sign_up_enabled": True,
                "sign_in_aliases": ["email", "preferred_username"],
                "sign_in_case_sensitive": False,
                "standard_attributes": {"name": {"required": True, "mutable": True}},
                "custom_attributes": {
                    "tenant_id": {"type": "string", "min_len": 1, "max_len": 36, "mutable": False},
                    "seats": {"type": "number", "min": 1, "max": 500},
                    "beta": {"type": "boolean"},
                    "joined": {"type": "datetime"},
                },
                "password_policy": {"min_length": 14, "temp_password_validity_days": 2},
                "mfa": "required",
                "mfa_second_factor": {"otp": True, "email": True},
                "allowed_first_auth_factors": ["password", "passkey"],
                "feature_plan": "plus",
                "threat_protection": {
                    "mode": "full_function",
                    "high_risk": {"action": "block", "notify": False},
                },
                "account_recovery": "email_only",
                "email": {"from_email": "no-reply@example.com", "reply_to": "help@example.com"},
                "user_verification": {"email_subject": "Verify", "email_body": "Code {####}"},
                "groups": [{"name": "admins", "precedence": 1}],
                "deletion_protection": True,
                "removal_policy": "retain",
            },
        }
    )
    pool = config.user_pool
    assert config.stack_name == "Auth"
    assert pool.user_pool_name == "example-users"
    assert pool.sign_in_aliases is not None and pool.sign_in_aliases.preferred_username
    assert pool.standard_attributes is not None and pool.standard_attributes["name"].required
    assert pool.custom_attributes is not None
    assert set(pool.custom_attributes) == {"tenant_id", "seats", "beta", "joined"}
    tenant = pool.custom_attributes["tenant_id"].bind()
    assert tenant.string_constraints is not None and tenant.string_constraints.max_len == 36
    assert pool.password_policy is not None and pool.password_policy.min_length == 14
    validity = pool.password_policy.temp_password_validity
    assert isinstance(validity, Duration) and validity.to_days() == 2
    assert pool.mfa == cognito.Mfa.REQUIRED
    assert pool.mfa_second_factor is not None
    assert (pool.mfa_second_factor.otp, pool.mfa_second_factor.sms) == (True, False)
    assert pool.allowed_first_auth_factors is not None and pool.allowed_first_auth_factors.passkey
    assert pool.feature_plan == cognito.FeaturePlan.PLUS
    assert pool.threat_protection is not None
    assert pool.threat_protection.high_risk.action == RiskAction.BLOCK
    assert pool.threat_protection.medium_risk.action == RiskAction.MFA_IF_CONFIGURED
    assert pool.account_recovery == cognito.AccountRecovery.EMAIL_ONLY
    assert pool.email is not None and pool.email.reply_to == "help@example.com"
    assert pool.groups is not None and pool.groups[0].precedence == 1
    assert pool.removal_policy == RemovalPolicy.RETAIN


def test_unknown_keys_are_refused_with_the_known_ones() -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_app_config({"stack": "x", "user_pool": {"mfa_mode": "on", "mfa": "optional"}})
    problems = caught.value.problems
    assert any(
        p.startswith(
            "cdk.json: cognito_auth: unknown key(s) stack; known: branding, hosted_ui, "
            "identity_pool, identity_providers, operations, replication, stack_name, terms, "
            "triggers, user_files, "
            "user_pool, web_client"
        )
        for p in problems
    )
    assert any("cognito_auth.user_pool: unknown key(s) mfa_mode; known: " in p for p in problems)
    assert any(re.search(r"known: .*feature_plan.*mfa.*removal_policy", p) for p in problems)


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        (
            {"mfa": "sometimes"},
            "cognito_auth.user_pool.mfa: expected one of 'off', 'optional', "
            "'required', got 'sometimes'",
        ),
        (
            {"self_sign_up_enabled": "yes"},
            "self_sign_up_enabled: expected true or false, got 'yes'",
        ),
        (
            {"password_policy": {"min_length": "12"}},
            "min_length: expected a whole number, got '12'",
        ),
        (
            {"password_policy": {"min_length": True}},
            "min_length: expected a whole number, got True",
        ),
        (
            {"sign_in_aliases": ["email", "twitter"]},
            "expected items from 'email', 'phone', "
            "'username', 'preferred_username', got ['twitter']",
        ),
        (
            {"custom_attributes": {"x": {"type": "blob"}}},
            "custom_attributes.x.type: expected one of",
        ),
        ({"custom_attributes": {"x": {}}}, "custom_attributes.x.type: required, but missing"),
        ({"groups": [{"precedence": 1}]}, "cognito_auth.user_pool.groups[0].name: required"),
        ({"groups": {"name": "a"}}, "groups: expected a list"),
        ({"email": "no-reply@example.com"}, "user_pool.email: expected an object"),
    ],
)
def test_values_of_the_wrong_type_are_refused(pool: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        parse_app_config({"user_pool": pool})


def test_construct_rules_still_apply_to_context_values() -> None:
    # The context only translates; the construct's own validation judges the result.
    with pytest.raises(ConfigurationError, match=r"password_policy\.min_length must be a whole"):
        build_app({"cognito_auth.user_pool.password_policy.min_length": 4}, nag=False)


def test_dotted_overrides_replace_single_values() -> None:
    merged = merge_context(
        {
            "cognito_auth": {"user_pool": {"mfa": "optional", "feature_plan": "essentials"}},
            "cognito_auth.user_pool.mfa": "required",
            "cognito_auth.user_pool.password_policy.min_length": "16",
            "cognito_auth.stack_name": "Staging",
        }
    )
    assert merged == {
        "stack_name": "Staging",
        "user_pool": {
            "mfa": "required",
            "feature_plan": "essentials",
            "password_policy": {"min_length": 16},
        },
    }


def test_a_json_string_replaces_the_whole_object() -> None:
    given = {"user_pool": {"mfa": "required"}}
    assert merge_context({"cognito_auth": json.dumps(given)}) == given


def test_triggers_section_is_translated() -> None:
    from constructs_lib import ClaimsFailMode

    config = parse_app_config(
        {
            "triggers": {
                "pre_token_generation": {
                    "claims_table": True,
                    "groups_claim": "roles",
                    "lambda_version": "v3_0",
                    "fail_mode": "deny",
                    "cache_ttl_seconds": 30,
                    "suppress_claims": ["phone_number"],
                },
                "pre_sign_up": {
                    "allowed_email_domains": ["example.com", ".example.com"],
                    "link_federated_to_existing_user": True,
                    "link_trusted_providers": ["Google", "CorporateSSO"],
                    "link_providers_trusted_without_email_verified": ["CorporateSSO"],
                },
                "post_confirmation": {"default_group": "users", "profile_table": False},
                "custom_message": {
                    "app_name": "Example",
                    "messages": {"CustomMessage_SignUp": {"email_message": "Code ${code}"}},
                },
            }
        }
    )
    triggers = config.triggers
    assert triggers is not None
    token = triggers.pre_token_generation
    assert token is not None and triggers.claims_table is True
    assert token.lambda_version == cognito.LambdaVersion.V3_0
    assert token.fail_mode == ClaimsFailMode.DENY
    assert token.cache_ttl.to_seconds() == 30
    assert list(token.suppress_claims) == ["phone_number"]
    assert triggers.pre_sign_up is not None
    assert list(triggers.pre_sign_up.allowed_email_domains) == ["example.com", ".example.com"]
    assert triggers.pre_sign_up.link_federated_to_existing_user is True
    assert list(triggers.pre_sign_up.link_providers_trusted_without_email_verified) == [
        "CorporateSSO"
    ]
    assert triggers.post_confirmation is not None and triggers.profile_table is False
    assert triggers.custom_message is not None
    signup = triggers.custom_message.messages["CustomMessage_SignUp"]
    assert signup.email_message == "Code ${code}"


def test_unknown_trigger_keys_are_refused() -> None:
    with pytest.raises(
        ConfigurationError,
        match=re.escape("cognito_auth.triggers.pre_sign_up: unknown key(s) allow_domains"),
    ):
        parse_app_config({"triggers": {"pre_sign_up": {"allow_domains": ["example.com"]}}})


def test_access_sections_are_translated() -> None:
    from constructs_lib.federation import GoogleLogin, SamlLogin

    config = parse_app_config(
        {
            "web_client": {"callback_urls": ["https://app.example.com/"], "logout_urls": []},
            "hosted_ui": {"domain_prefix": "example-app"},
            "identity_providers": {
                "google": {
                    "enabled": True,
                    "client_id": "id.apps.googleusercontent.com",
                    "client_secret_name": "auth/google:client_secret",
                },
                "saml": {
                    "enabled": True,
                    "provider_name": "CorporateSSO",
                    "metadata_url": "https://idp.example.com/m",
                },
                "facebook": {"enabled": False, "client_id": "ignored"},
            },
            "identity_pool": {"allow_unauthenticated_identities": False, "principal_tags": {}},
            "user_files": {"owner": "user_pool_sub", "public": False},
        }
    )
    assert config.web_client.callback_urls == ("https://app.example.com/",)
    assert config.web_client.logout_urls == ()
    assert config.domain_prefix == "example-app"
    google, saml = config.identity_providers
    assert isinstance(google, GoogleLogin) and isinstance(saml, SamlLogin)
    # The secret is a reference by name (and JSON field), never a value from cdk.json.
    from aws_cdk import App, Stack

    resolved = Stack(App(), "S").resolve(google.client_secret)
    assert resolved == "{{resolve:secretsmanager:auth/google:SecretString:client_secret::}}"
    assert config.identity_pool is not None
    assert config.identity_pool.allow_unauthenticated_identities is False
    assert config.user_files is not None and config.user_files.public is False
    assert config.user_files.owner is not None and config.user_files.owner.principal_tag == "sub"


def test_shipped_identity_providers_are_all_off() -> None:
    import json
    from pathlib import Path

    shipped = json.loads((Path(__file__).parents[2] / "cdk.json").read_text())["context"]
    config = parse_app_config(merge_context(shipped))
    assert config.identity_providers == ()
    kinds = shipped["cognito_auth"]["identity_providers"]
    assert sorted(kinds) == ["amazon", "apple", "facebook", "google", "oidc", "saml"]
    assert not any(spec["enabled"] for spec in kinds.values())


def test_a_misspelt_key_in_a_disabled_provider_is_refused() -> None:
    with pytest.raises(
        ConfigurationError,
        match=re.escape("cognito_auth.identity_providers.google: unknown key(s) enabeld"),
    ):
        parse_app_config({"identity_providers": {"google": {"enabeld": True, "client_id": "x"}}})


def test_the_shipped_operations_section_turns_every_part_on() -> None:
    import json
    from pathlib import Path

    shipped = json.loads((Path(__file__).parents[2] / "cdk.json").read_text())["context"]
    operations = parse_app_config(merge_context(shipped)).operations
    assert operations is not None
    assert operations.alarms.enabled and operations.alarms.quota_utilization_percent == 80
    assert operations.alarms.sign_in_success_ratio_min == 0.5
    assert operations.dashboard.enabled
    assert operations.waf.enabled and operations.waf.rate_limit == 1000
    assert operations.waf.evaluation_window.to_seconds() == 300
    assert operations.waf.count_only is False and operations.waf.logging is True
    assert operations.log_delivery.user_notification_errors is True
    assert operations.log_delivery.user_auth_events is None


def test_each_operations_part_switches_off_and_takes_its_values() -> None:
    operations = parse_app_config(
        {
            "operations": {
                "alarms": {"enabled": False},
                "dashboard": {"enabled": False},
                "waf": {
                    "count_only": True,
                    "rate_limit": 200,
                    "evaluation_window_seconds": 60,
                    "managed_rule_groups": ["AWSManagedRulesCommonRuleSet"],
                },
                "log_delivery": {"user_auth_events": "cloudwatch_logs"},
                "expected_peak_sign_ins_per_second": 150,
            }
        }
    ).operations
    assert operations is not None
    assert not operations.alarms.enabled and not operations.dashboard.enabled
    assert (operations.waf.rate_limit, operations.waf.count_only) == (200, True)
    assert operations.waf.evaluation_window.to_seconds() == 60
    assert tuple(operations.waf.managed_rule_groups) == ("AWSManagedRulesCommonRuleSet",)
    events = operations.log_delivery.user_auth_events
    assert events is not None and events.kind == "cloudwatch_logs"
    assert operations.expected_peak_sign_ins_per_second == 150
    assert parse_app_config({}).operations is None


def test_fails_when_the_operations_section_has_unknown_keys_or_wrong_types() -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_app_config(
            {
                "operations": {
                    "alarm": {},
                    "waf": {"rate_limit": "fast", "window": 60},
                    "alarms": {"sign_in_success_ratio_min": "half"},
                    "log_delivery": {"user_auth_events": "s3"},
                }
            }
        )
    problems = caught.value.problems
    assert any(
        p.startswith("cdk.json: cognito_auth.operations: unknown key(s) alarm; known: ")
        for p in problems
    )
    assert (
        "cdk.json: cognito_auth.operations.waf.rate_limit: expected a whole number, got 'fast'"
        in problems
    )
    assert any(
        p.startswith("cdk.json: cognito_auth.operations.waf: unknown key(s) window")
        for p in problems
    )
    assert (
        "cdk.json: cognito_auth.operations.alarms.sign_in_success_ratio_min: expected a number, "
        "got 'half'"
    ) in problems
    assert (
        "cdk.json: cognito_auth.operations.log_delivery.user_auth_events: expected one of 'off', "
        "'cloudwatch_logs', got 's3'"
    ) in problems
