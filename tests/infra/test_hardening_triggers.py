"""Trigger settings that did nothing or failed at run time are refused while the app is built,
naming the argument (not the handler's environment variable) and what is allowed."""

from __future__ import annotations

import re

import pytest
from aws_cdk import SecretValue, Stack
from aws_cdk import aws_cognito as cognito

from constructs_lib import (
    CognitoAuth,
    ConfigurationError,
    FileOwner,
    Group,
    IdentityPoolSettings,
    UserFilesSettings,
    UserPoolSettings,
)
from constructs_lib.domain import HostedUiDomain
from constructs_lib.federation import GoogleLogin
from constructs_lib.triggers import PostConfirmation, PreSignUp, PreTokenGeneration, Triggers

V1 = cognito.LambdaVersion.V1_0
GOOGLE = GoogleLogin(
    client_id="google-client",
    client_secret=SecretValue.secrets_manager("cognito-auth/google"),
)


def refuse(stack: Stack, message: str, **kwargs: object) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        CognitoAuth(stack, "Auth", **kwargs)  # type: ignore[arg-type]
    assert stack.node.try_find_child("Auth") is None


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"scopes_to_add": ["orders/read"]}, "scopes_to_add"),
        ({"scopes_to_suppress": ["aws.cognito.signin.user.admin"]}, "scopes_to_suppress"),
        (
            {"scopes_to_add": ["orders/read"], "scopes_to_suppress": ["phone"]},
            "scopes_to_add and scopes_to_suppress",
        ),
    ],
)
def test_fails_when_scopes_are_changed_with_lambda_version_v1(
    stack: Stack, settings: dict[str, list[str]], named: str
) -> None:
    refuse(
        stack,
        f"triggers.pre_token_generation {named} need lambda_version V2_0 or V3_0: a V1_0 event "
        "customizes only the ID token, which has no scopes",
        triggers=Triggers(pre_token_generation=PreTokenGeneration(lambda_version=V1, **settings)),
    )


def test_fails_when_the_default_group_is_not_a_group_of_the_pool(stack: Stack) -> None:
    refuse(
        stack,
        "triggers.post_confirmation default_group 'user' is not a group of the pool "
        "(groups: 'admins', 'users'); add Group(name='user') to user_pool.groups",
        user_pool=UserPoolSettings(groups=[Group(name="users"), Group(name="admins")]),
        triggers=Triggers(post_confirmation=PostConfirmation(default_group="user")),
    )


def test_fails_when_the_default_group_is_given_without_any_group(stack: Stack) -> None:
    refuse(
        stack,
        "default_group 'users' is not a group of the pool (groups: none)",
        triggers=Triggers(post_confirmation=PostConfirmation(default_group="users")),
    )


def test_does_not_fail_when_the_default_group_exists(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(groups=[Group(name="users")]),
        triggers=Triggers(post_confirmation=PostConfirmation(default_group="users")),
    )


def test_fails_when_a_trusted_provider_is_not_an_identity_provider(stack: Stack) -> None:
    refuse(
        stack,
        "triggers.pre_sign_up link_trusted_providers names ['Gogle'], which are not among "
        "identity_providers (Google)",
        identity_providers=[GOOGLE],
        domain=HostedUiDomain.cognito_prefix("acme-shop"),
        triggers=Triggers(
            pre_sign_up=PreSignUp(
                link_federated_to_existing_user=True, link_trusted_providers=["Gogle"]
            )
        ),
    )


def test_does_not_fail_when_a_trusted_provider_is_an_identity_provider(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        identity_providers=[GOOGLE],
        domain=HostedUiDomain.cognito_prefix("acme-shop"),
        triggers=Triggers(
            pre_sign_up=PreSignUp(
                link_federated_to_existing_user=True, link_trusted_providers=["google"]
            )
        ),
    )


@pytest.mark.parametrize(
    ("triggers", "message"),
    [
        (
            Triggers(pre_token_generation=PreTokenGeneration(suppress_claims=["sub", "team"])),
            "triggers.pre_token_generation: suppress_claims may not name reserved claims, got "
            "['sub'] (reserved: acr, amr,",
        ),
        (
            Triggers(pre_sign_up=PreSignUp(denied_email_domains=["a b.com"])),
            "triggers.pre_sign_up: denied_email_domains has invalid domains: ['a b.com']",
        ),
        (
            Triggers(pre_sign_up=PreSignUp(auto_confirm_email_domains=["@example.com"])),
            "triggers.pre_sign_up: auto_confirm_email_domains has invalid domains",
        ),
    ],
)
def test_fails_naming_the_argument_not_the_environment_variable(
    stack: Stack, triggers: Triggers, message: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        CognitoAuth(stack, "Auth", triggers=triggers)
    assert message in str(raised.value)
    assert not re.search(r"SUPPRESS_CLAIMS|_EMAIL_DOMAINS", str(raised.value))


def test_fails_when_user_files_need_a_principal_tag_that_is_never_mapped(stack: Stack) -> None:
    refuse(
        stack,
        "user_files.owner keys files on the principal tag 'sub', but the identity pool maps no "
        "principal tags; add principal_tags={'sub': 'sub'} to IdentityPoolSettings",
        identity_pool=IdentityPoolSettings(),
        user_files=UserFilesSettings(owner=FileOwner.user_pool_sub("sub")),
    )


def test_domain_rules_warn_that_a_mutable_email_can_change_after_sign_up(stack: Stack) -> None:
    from aws_cdk.assertions import Annotations

    from constructs_lib.triggers import EMAIL_CHANGE_WARNING

    CognitoAuth(
        stack, "Auth", triggers=Triggers(pre_sign_up=PreSignUp(allowed_email_domains=["corp.test"]))
    )
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Auth/Triggers/PreSignUp",
        "triggers.pre_sign_up email domain rules apply when a user is created; a signed-in user "
        "can later change email to any domain (UpdateUserAttributes). To keep the rules, make "
        "email immutable before the first deploy (standard_attributes={'email': "
        "StandardAttribute(required=True, mutable=False)}), or check the domain again in a pre "
        f"authentication trigger of your own. [ack: {EMAIL_CHANGE_WARNING}]",
    )


def test_domain_rules_do_not_warn_with_an_immutable_email(stack: Stack) -> None:
    from aws_cdk.assertions import Annotations, Match

    email = cognito.StandardAttribute(required=True, mutable=False)
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(standard_attributes={"email": email}),
        triggers=Triggers(pre_sign_up=PreSignUp(denied_email_domains=["spam.test"])),
    )
    found = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("email"))
    assert found == []
