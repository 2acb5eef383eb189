"""The bundled Lambda triggers (``lambda_triggers/``) as constructs wired to a user pool.

Each trigger is a frozen settings object (``PreTokenGeneration``, ``PreSignUp``,
``PostConfirmation``, ``CustomMessages``) that turns into the handler's environment variables.
``trigger_problems`` judges them at synth time with the handlers' own parsers
(``Settings.from_env``, ``custom_message.validate_template``), so a value the handler would refuse
at run time is refused before anything is deployed.

Every function gets its own role and log group: the role holds only the permissions the handler
needs, as separate inline policies (``attach_inline_policy``) so that no policy that names the
pool sits on the function's dependency path: ``UserPool -> Function -> DefaultPolicy -> UserPool``
would be a cycle, which CloudFormation refuses (see
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from importlib import resources
from typing import Any

from aws_cdk import Annotations, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.resource_servers import CustomScope
from constructs_lib.user_pool import SecureUserPool, UserPoolSettings
from constructs_lib.validation import Problems, is_token
from lambda_triggers import (
    _runtime,
    custom_message,
    inbound_federation,
    post_confirmation,
    pre_sign_up,
)
from lambda_triggers import pre_token_generation as pre_token

#: Operations whose function receives codes encrypted with the pool's custom sender key.
CUSTOM_SENDERS = (
    cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER.operation_name,
    cognito.UserPoolOperation.CUSTOM_SMS_SENDER.operation_name,
)

#: The inbound federation trigger (Cognito, 2026). aws-cdk-lib 2.275 has no ``UserPoolOperation``
#: for it, and ``UserPool.add_trigger`` would write a bare ARN where CloudFormation wants
#: ``{LambdaArn, LambdaVersion}``: use this key in ``Triggers.own`` and ``UserPoolTriggers``
#: wires it through the pool's L1 (``_wire_inbound_federation``).
#: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InboundFederationLambdaType.html
INBOUND_FEDERATION = cognito.UserPoolOperation.of("inboundFederation")
#: The only event version Cognito offers for inbound federation.
INBOUND_FEDERATION_LAMBDA_VERSION = cognito.LambdaVersion.V1_0
#: Id of the synth warning that domain rules do not cover later email changes.
EMAIL_CHANGE_WARNING = "cognito-auth:email-domain-rules-at-sign-up-only"

#: The handler folder is the asset as it is: standard library and the runtime's boto3 only.
#: Bytecode is left out so that the asset hash is the same on every machine.
ASSET_EXCLUDES = ["__pycache__", "*.pyc", "*.pyo"]


class ClaimsFailMode(Enum):
    """What pre token generation does when the claims table cannot be read."""

    ISSUE_WITHOUT_CLAIMS = "issue_without_claims"
    DENY = "deny"


@dataclass(frozen=True, kw_only=True)
class PreTokenGeneration:
    """Claims from a DynamoDB table keyed by the user pool ``sub``, and from groups.

    Args:
        claims_table: One item per user; its attributes become claims. Default: no lookup.
        partition_key: The table's string partition key holding the ``sub``. Default: ``sub``.
        claims_attributes: Only these item attributes become claims. Default: all but the key.
        groups_attribute: An item attribute whose values join the user's groups. Default: none.
        groups_claim: Also copy the groups into this claim (e.g. ``roles``). Default: none.
        claims_in_access_token: V2_0/V3_0: put the claims in the access token too. Default: True.
        suppress_claims: Claims to remove (reserved claims cannot be). Default: none.
        scopes_to_add: Scopes added to access tokens (V2_0/V3_0), as strings or a resource
            server's ``orders.scope("read")``. Default: none.
        scopes_to_suppress: Scopes removed from access tokens (V2_0/V3_0), likewise.
            Default: none.
        cache_ttl: How long a lookup is cached in the function. Default: 60 seconds.
        fail_mode: When the table cannot be read. Default: issue tokens without its claims.
        lambda_version: The event version; V2_0 and V3_0 need ESSENTIALS or PLUS.
            Default: ``LambdaVersion.V2_0``.
    """

    claims_table: dynamodb.ITable | None = None
    partition_key: str = "sub"
    claims_attributes: Sequence[str] | None = None
    groups_attribute: str | None = None
    groups_claim: str | None = None
    claims_in_access_token: bool = True
    suppress_claims: Sequence[str] = ()
    scopes_to_add: Sequence[str | CustomScope] = ()
    scopes_to_suppress: Sequence[str | CustomScope] = ()
    cache_ttl: Duration = field(default_factory=lambda: defaults.CLAIMS_CACHE_TTL)
    fail_mode: ClaimsFailMode = ClaimsFailMode.ISSUE_WITHOUT_CLAIMS
    lambda_version: cognito.LambdaVersion = defaults.PRE_TOKEN_GENERATION_VERSION

    def environment(self) -> dict[str, str]:
        env = {
            "CLAIMS_PARTITION_KEY": self.partition_key,
            "CLAIMS_IN_ACCESS_TOKEN": _flag(self.claims_in_access_token),
            "CLAIMS_CACHE_TTL_SECONDS": str(int(self.cache_ttl.to_seconds())),
            "CLAIMS_FAIL_MODE": self.fail_mode.value,
        }
        if self.claims_table is not None:
            env["CLAIMS_TABLE_NAME"] = self.claims_table.table_name
        _set_list(env, "CLAIMS_ATTRIBUTES", self.claims_attributes)
        _set_list(env, "SUPPRESS_CLAIMS", self.suppress_claims)
        # A resource server's CustomScope reads as "identifier/name".
        _set_list(env, "SCOPES_TO_ADD", [str(s) for s in self.scopes_to_add])
        _set_list(env, "SCOPES_TO_SUPPRESS", [str(s) for s in self.scopes_to_suppress])
        if self.groups_attribute:
            env["CLAIMS_GROUPS_ATTRIBUTE"] = self.groups_attribute
        if self.groups_claim:
            env["GROUPS_CLAIM"] = self.groups_claim
        return env


@dataclass(frozen=True, kw_only=True)
class PreSignUp:
    """Email domain rules, auto-confirmation and federated account linking.

    Args:
        allowed_email_domains: Only these may sign up (``.example.com`` for subdomains).
            Default: any.
        denied_email_domains: Never these; beats the allow list. Default: none.
        auto_confirm_email_domains: Self sign-ups confirmed without a code (the email stays
            unverified). Default: none.
        link_federated_to_existing_user: Link a first federated sign-in to the native user with
            the same verified email. Only for providers that verify email addresses: whoever
            controls such a provider account takes over the native account. Default: False.
        link_trusted_providers: The identity provider names that may be linked; required when
            linking is on. A federated user is linked only when the provider says
            ``email_verified=true`` (map that claim in the provider's attribute mapping).
            ``Facebook`` and ``LoginWithAmazon`` are refused: they never say. Default: none.
        link_providers_trusted_without_email_verified: Names from ``link_trusted_providers``
            whose users are linked without ``email_verified=true``: providers that send no such
            claim but hold only addresses you trust (an enterprise IdP you control). Whoever has
            an account there with someone's address takes over that person's native account.
            Default: none.
    """

    allowed_email_domains: Sequence[str] = ()
    denied_email_domains: Sequence[str] = ()
    auto_confirm_email_domains: Sequence[str] = ()
    link_federated_to_existing_user: bool = False
    link_trusted_providers: Sequence[str] = ()
    link_providers_trusted_without_email_verified: Sequence[str] = ()

    def environment(self) -> dict[str, str]:
        env = {"LINK_FEDERATED_TO_EXISTING_USER": _flag(self.link_federated_to_existing_user)}
        _set_list(env, "ALLOWED_EMAIL_DOMAINS", self.allowed_email_domains)
        _set_list(env, "DENIED_EMAIL_DOMAINS", self.denied_email_domains)
        _set_list(env, "AUTO_CONFIRM_EMAIL_DOMAINS", self.auto_confirm_email_domains)
        _set_list(env, "LINK_TRUSTED_PROVIDERS", self.link_trusted_providers)
        _set_list(
            env,
            pre_sign_up.UNVERIFIED_OK_VARIABLE,
            self.link_providers_trusted_without_email_verified,
        )
        return env


@dataclass(frozen=True, kw_only=True)
class PostConfirmation:
    """A default group and an idempotent profile record for every confirmed user.

    Args:
        default_group: The group every confirmed user joins; it must exist. Default: none.
        profile_table: Where the profile record goes. Default: no record.
        profile_partition_key: The table's string partition key (receives the ``sub``).
            Default: ``sub``.
        profile_attributes: User attributes copied into the record. Default: ``email``.
    """

    default_group: str | None = None
    profile_table: dynamodb.ITable | None = None
    profile_partition_key: str = "sub"
    profile_attributes: Sequence[str] = ("email",)

    def environment(self) -> dict[str, str]:
        env = {"PROFILE_PARTITION_KEY": self.profile_partition_key}
        if self.default_group:
            env["DEFAULT_GROUP"] = self.default_group
        if self.profile_table is not None:
            env["PROFILE_TABLE_NAME"] = self.profile_table.table_name
        _set_list(env, "PROFILE_ATTRIBUTES", self.profile_attributes)
        return env


@dataclass(frozen=True, kw_only=True)
class MessageTemplate:
    """One message of the custom message trigger. Placeholders: ``${code}`` (required in email
    and SMS bodies), ``${username}`` (required in invitations), ``${app_name}``.

    Args:
        email_subject: Default: Cognito's.
        email_message: HTML allowed. Default: Cognito's.
        sms_message: Default: Cognito's.
    """

    email_subject: str | None = None
    email_message: str | None = None
    sms_message: str | None = None


@dataclass(frozen=True, kw_only=True)
class CustomMessages:
    """Templated messages, keyed by Cognito trigger source (``"CustomMessage_SignUp"``, ...).

    Args:
        messages: The templates by ``triggerSource``; sources not listed keep Cognito's message.
        app_name: The value of ``${app_name}``. Default: empty.
    """

    messages: Mapping[str, MessageTemplate]
    app_name: str = ""

    def environment(self) -> dict[str, str]:
        env = {"MESSAGE_APP_NAME": self.app_name} if self.app_name else {}
        for source, template in self.messages.items():
            for name in custom_message.FIELDS:
                text = getattr(template, name)
                if text is not None and source in custom_message.TEMPLATE_NAMES:
                    env[custom_message.env_var_name(source, name)] = text
        return env


@dataclass(frozen=True, kw_only=True)
class PoolMigration:
    """Move users from an old user pool on their first sign-in or forgotten password, with
    their passwords, attributes and groups (the bundled ``user_migration`` trigger).

    The old pool's client must allow ``ALLOW_ADMIN_USER_PASSWORD_AUTH`` and have no client
    secret. See README, "Moving users to a new pool".

    Args:
        from_user_pool: The old pool; ``cognito.UserPool.from_user_pool_arn(...)`` for one in
            another stack or account.
        from_client: The old pool's app client the trigger signs users in with
            (``cognito.UserPoolClient.from_user_pool_client_id(...)`` for an existing one).
        role_to_assume: A role in the old pool's account that holds ``old_pool_statement()``;
            the function may assume it and gets no permission on the old pool itself.
            Default: none, the function's own role gets the permissions.
        attributes: Only these attributes are copied. Default: all but ``sub``.
        copy_groups: Also wire the function as post authentication trigger, which adds the
            user to the new pool's groups of the same names after sign-in (the migration
            event cannot set groups). Default: True.
        old_username_attribute: The attribute the old pool knows a user by when the new pool's
            username differs (``"email"`` for pools that sign in with email). Default: none,
            the same username.
    """

    from_user_pool: cognito.IUserPool
    from_client: cognito.IUserPoolClient
    role_to_assume: iam.IRole | None = None
    attributes: Sequence[str] = ()
    copy_groups: bool = defaults.MIGRATION_COPIES_GROUPS
    old_username_attribute: str | None = None

    def environment(self) -> dict[str, str]:
        env = {
            "OLD_USER_POOL_ID": self.from_user_pool.user_pool_id,
            "OLD_CLIENT_ID": self.from_client.user_pool_client_id,
        }
        if self.role_to_assume is not None:
            env["OLD_POOL_ROLE_ARN"] = self.role_to_assume.role_arn
        _set_list(env, "MIGRATE_ATTRIBUTES", self.attributes)
        if self.old_username_attribute:
            env["OLD_USERNAME_ATTRIBUTE"] = self.old_username_attribute
        return env

    def old_pool_actions(self) -> list[str]:
        """The actions the trigger needs on the old pool, and nothing more."""
        actions = ["cognito-idp:AdminInitiateAuth", "cognito-idp:AdminGetUser"]
        if self.copy_groups:
            actions.append("cognito-idp:AdminListGroupsForUser")
        return actions

    def old_pool_statement(self) -> iam.PolicyStatement:
        """The statement for ``role_to_assume`` (or the function's role): ``old_pool_actions``
        on the old pool only."""
        return iam.PolicyStatement(
            actions=self.old_pool_actions(), resources=[self.from_user_pool.user_pool_arn]
        )


@dataclass(frozen=True, kw_only=True)
class InboundFederation:
    """Normalise what identity providers send before the pool keeps it
    (``lambda_triggers/inbound_federation.py``).

    Args:
        lowercase_email: Lower-case and trim the email claims. Default: True.
        email_attributes: The provider claims holding email addresses. Default: ``email`` and
            the SAML ``.../claims/emailaddress`` claim.
        groups_attribute: The provider's group claim, joined into one comma-separated string.
            Default: none (groups untouched).
        groups_output_attribute: The name the joined groups are passed on under; map it to a
            custom attribute (``custom:groups``) in the provider's attribute mapping.
            Default: ``groups_attribute``.
        groups_allowed: Keep only these groups. Default: all.
        groups_max_length: The longest joined value; whole groups beyond it are left out.
            Default: 2048 (a string attribute's maximum).
        drop_attributes: Provider claims never passed on (claims the pool must not store). The
            provider's own tokens are never passed on in any case. Default: none.
    """

    lowercase_email: bool = True
    email_attributes: Sequence[str] | None = None
    groups_attribute: str | None = None
    groups_output_attribute: str | None = None
    groups_allowed: Sequence[str] = ()
    groups_max_length: int = inbound_federation.DEFAULT_GROUPS_MAX_LENGTH
    drop_attributes: Sequence[str] = ()

    def environment(self) -> dict[str, str]:
        env = {
            "LOWERCASE_EMAIL": _flag(self.lowercase_email),
            "GROUPS_MAX_LENGTH": str(self.groups_max_length),
        }
        if self.email_attributes is not None:
            env["EMAIL_ATTRIBUTES"] = ",".join(self.email_attributes)
        if self.groups_attribute:
            env["GROUPS_ATTRIBUTE"] = self.groups_attribute
        if self.groups_output_attribute:
            env["GROUPS_OUTPUT_ATTRIBUTE"] = self.groups_output_attribute
        _set_list(env, "GROUPS_ALLOWED", self.groups_allowed)
        _set_list(env, "DROP_ATTRIBUTES", self.drop_attributes)
        return env


@dataclass(frozen=True, kw_only=True)
class Triggers:
    """The triggers of one user pool: bundled ones by settings, and functions of your own.

    Args:
        pre_token_generation: Default: none.
        pre_sign_up: Default: none.
        post_confirmation: Default: none.
        custom_message: Default: none.
        user_migration: Move users from an old pool (``PoolMigration``). Default: none.
        own: Your own functions by operation, for any trigger Cognito offers (for example
            ``{cognito.UserPoolOperation.PRE_AUTHENTICATION: my_function}``, or
            ``{INBOUND_FEDERATION: my_function}``). An operation may have one function only.
            Default: none.
        inbound_federation: The bundled inbound federation trigger. Default: none.
    """

    pre_token_generation: PreTokenGeneration | None = None
    pre_sign_up: PreSignUp | None = None
    post_confirmation: PostConfirmation | None = None
    custom_message: CustomMessages | None = None
    user_migration: PoolMigration | None = None
    own: Mapping[cognito.UserPoolOperation, lambda_.IFunction] = field(default_factory=dict)
    inbound_federation: InboundFederation | None = None


# Validation -------------------------------------------------------------------------------


def trigger_problems(
    triggers: Triggers,
    *,
    feature_plan: cognito.FeaturePlan | None,
    problems: Problems,
    groups: Collection[str] | None = None,
    identity_providers: Collection[str] | None = None,
) -> None:
    """Add every problem of ``triggers`` to ``problems``; ``feature_plan`` None means unknown.

    Args:
        groups: The pool's group names, to check ``PostConfirmation.default_group`` against.
            Default: unknown (not checked).
        identity_providers: The pool's identity provider names, to check
            ``PreSignUp.link_trusted_providers`` against. Default: unknown (not checked).
    """
    token = triggers.pre_token_generation
    if token is not None:
        _check_env("triggers.pre_token_generation", pre_token.Settings.from_env, token, problems)
        version = token.lambda_version
        scoped = [f for f in ("scopes_to_add", "scopes_to_suppress") if getattr(token, f)]
        if version == cognito.LambdaVersion.V1_0 and scoped:
            problems.add(
                f"triggers.pre_token_generation {' and '.join(scoped)} need lambda_version "
                "V2_0 or V3_0: a V1_0 event customizes only the ID token, which has no scopes; "
                "drop them or choose LambdaVersion.V2_0"
            )
        if version != cognito.LambdaVersion.V1_0 and feature_plan == cognito.FeaturePlan.LITE:
            problems.add(
                f"triggers.pre_token_generation lambda_version={version.name} needs "
                "feature_plan ESSENTIALS or PLUS, got LITE; use LambdaVersion.V1_0 (ID token only) "
                "or another plan"
            )
        if token.cache_ttl.is_unresolved() is False and token.cache_ttl.to_seconds() > 3600:
            problems.add(
                "triggers.pre_token_generation cache_ttl must be at most 1 hour, so that a "
                f"changed claim reaches new tokens soon; got {token.cache_ttl.to_human_string()!r}"
            )
    sign_up = triggers.pre_sign_up
    if sign_up is not None:
        _pre_sign_up_problems(sign_up, problems)
        if identity_providers is not None:
            known = {name.lower() for name in identity_providers}
            unknown = [
                name
                for name in sign_up.link_trusted_providers
                if not is_token(name) and name.lower() not in known
            ]
            if unknown:
                problems.add(
                    f"triggers.pre_sign_up link_trusted_providers names {unknown!r}, which are "
                    f"not among identity_providers ({', '.join(sorted(identity_providers))}"
                    "); use the providers' names as Cognito knows them (GoogleLogin is "
                    "'Google', AppleLogin 'SignInWithApple')"
                )
    confirmation = triggers.post_confirmation
    group = confirmation.default_group if confirmation is not None else None
    if group and groups is not None and not is_token(group) and group not in groups:
        problems.add(
            f"triggers.post_confirmation default_group {group!r} is not a group of the pool "
            f"(groups: {', '.join(map(repr, sorted(groups))) or 'none'}); add "
            f"Group(name={group!r}) to user_pool.groups"
        )
    if confirmation is not None:
        _check_env(
            "triggers.post_confirmation",
            post_confirmation.Settings.from_env,
            confirmation,
            problems,
        )
    messages = triggers.custom_message
    if messages is not None:
        _check_messages(messages, problems)
    federation = triggers.inbound_federation
    if federation is not None:
        _check_env(
            "triggers.inbound_federation",
            inbound_federation.Settings.from_env,
            federation,
            problems,
        )
    bundled: dict[str, object] = {
        INBOUND_FEDERATION.operation_name: federation,
        cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG.operation_name: token,
        cognito.UserPoolOperation.PRE_SIGN_UP.operation_name: sign_up,
        cognito.UserPoolOperation.POST_CONFIRMATION.operation_name: confirmation,
        cognito.UserPoolOperation.CUSTOM_MESSAGE.operation_name: messages,
    }
    if triggers.user_migration is not None:
        bundled.update(_migration_operations(triggers.user_migration, problems))
    for operation in triggers.own:
        name = operation.operation_name
        if name == cognito.UserPoolOperation.PRE_TOKEN_GENERATION.operation_name:
            name = cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG.operation_name
        if bundled.get(name) is not None:
            problems.add(
                f"triggers.own[{operation.operation_name!r}] and the bundled trigger for the same "
                "operation cannot both be set: a user pool has one function per trigger"
            )


def _migration_operations(migration: PoolMigration, problems: Problems) -> dict[str, object]:
    """Judge ``migration``; return the operations its function takes."""
    pool_id = migration.from_user_pool.user_pool_id
    if not is_token(pool_id) and not _POOL_ID.fullmatch(pool_id):
        problems.add(
            f"triggers.user_migration from_user_pool must have an id like 'eu-west-1_AbC123', "
            f"got {pool_id!r}"
        )
    operations: dict[str, object] = {
        cognito.UserPoolOperation.USER_MIGRATION.operation_name: migration
    }
    if migration.copy_groups:
        operations[cognito.UserPoolOperation.POST_AUTHENTICATION.operation_name] = migration
    return operations


_POOL_ID = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+_[0-9A-Za-z]+")


#: Providers whose users never carry an ``email_verified`` claim: their emails cannot be
#: trusted for linking, with or without the opt-in.
#: The names are Cognito's (``cognito.UserPoolClientIdentityProvider.FACEBOOK.name``, ...).
NEVER_LINKABLE_PROVIDERS = ("Facebook", "LoginWithAmazon")


def _pre_sign_up_problems(sign_up: PreSignUp, problems: Problems) -> None:
    where = "triggers.pre_sign_up"
    trusted = [p for p in sign_up.link_trusted_providers if not is_token(p)]
    unverified_ok = [
        p for p in sign_up.link_providers_trusted_without_email_verified if not is_token(p)
    ]
    if sign_up.link_federated_to_existing_user and not sign_up.link_trusted_providers:
        problems.add(
            f"{where} link_federated_to_existing_user=True needs "
            "link_trusted_providers: the provider names (for example ['Google']) whose "
            "verified emails may take over a native account"
        )
    never = {name.lower(): name for name in NEVER_LINKABLE_PROVIDERS}
    for field_name, names in (
        ("link_trusted_providers", trusted),
        ("link_providers_trusted_without_email_verified", unverified_ok),
    ):
        refused = [name for name in names if name.lower() in never]
        if refused:
            problems.add(
                f"{where} {field_name} may not name {refused!r}: Facebook and Login with "
                "Amazon never say whether an email address is verified, so linking by email "
                "would let anyone who puts your user's address there take over the native "
                "account; remove them (their users still sign up as separate users)"
            )
    trusted_lower = {name.lower() for name in trusted}
    # With a deploy-time name among the trusted ones, the rule cannot be judged now.
    judged = len(trusted) == len(sign_up.link_trusted_providers)
    strays = [name for name in unverified_ok if judged and name.lower() not in trusted_lower]
    if strays:
        problems.add(
            f"{where} link_providers_trusted_without_email_verified may only name providers "
            f"of link_trusted_providers, got {strays!r} (trusted: {list(trusted)!r}); add them "
            "to link_trusted_providers or remove them"
        )
    # The rule above is reported with the argument names (or cannot be judged yet): keep the
    # handler's parser from repeating it.
    consistent = replace(
        sign_up,
        link_providers_trusted_without_email_verified=[
            name
            for name in sign_up.link_providers_trusted_without_email_verified
            if judged and name not in strays
        ],
    )
    _check_env(where, pre_sign_up.Settings.from_env, consistent, problems)


def _check_env(
    where: str,
    parse: Callable[[Mapping[str, str]], Any],
    settings: PreTokenGeneration | PreSignUp | PostConfirmation | InboundFederation,
    problems: Problems,
) -> None:
    # Tokens (table names) are deploy-time values: give the parser a stand-in.
    env = {
        k: ("resolved-at-deploy" if is_token(v) else v) for k, v in settings.environment().items()
    }
    try:
        parse(env)
    except _runtime.ConfigurationError as error:
        # The parser speaks of the handler's environment; the user typed the argument names.
        message = _ENV_VARIABLE.sub(lambda m: _ARGUMENT_OF.get(m[0], m[0]), str(error))
        problems.add(f"{where}: {message}")


#: The settings field behind each handler environment variable, for error messages.
_ARGUMENT_OF = {
    "CLAIMS_PARTITION_KEY": "partition_key",
    "CLAIMS_IN_ACCESS_TOKEN": "claims_in_access_token",
    "CLAIMS_CACHE_TTL_SECONDS": "cache_ttl",
    "CLAIMS_FAIL_MODE": "fail_mode",
    "CLAIMS_TABLE_NAME": "claims_table",
    "CLAIMS_ATTRIBUTES": "claims_attributes",
    "SUPPRESS_CLAIMS": "suppress_claims",
    "SCOPES_TO_ADD": "scopes_to_add",
    "SCOPES_TO_SUPPRESS": "scopes_to_suppress",
    "CLAIMS_GROUPS_ATTRIBUTE": "groups_attribute",
    "GROUPS_CLAIM": "groups_claim",
    "LINK_FEDERATED_TO_EXISTING_USER": "link_federated_to_existing_user",
    "ALLOWED_EMAIL_DOMAINS": "allowed_email_domains",
    "DENIED_EMAIL_DOMAINS": "denied_email_domains",
    "AUTO_CONFIRM_EMAIL_DOMAINS": "auto_confirm_email_domains",
    "LINK_TRUSTED_PROVIDERS": "link_trusted_providers",
    pre_sign_up.UNVERIFIED_OK_VARIABLE: "link_providers_trusted_without_email_verified",
    "PROFILE_PARTITION_KEY": "profile_partition_key",
    "DEFAULT_GROUP": "default_group",
    "PROFILE_TABLE_NAME": "profile_table",
    "PROFILE_ATTRIBUTES": "profile_attributes",
    "EMAIL_ATTRIBUTES": "email_attributes",
    "LOWERCASE_EMAIL": "lowercase_email",
    "GROUPS_ATTRIBUTE": "groups_attribute",
    "GROUPS_OUTPUT_ATTRIBUTE": "groups_output_attribute",
    "GROUPS_ALLOWED": "groups_allowed",
    "GROUPS_MAX_LENGTH": "groups_max_length",
    "DROP_ATTRIBUTES": "drop_attributes",
}
_ENV_VARIABLE = re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b")


def _check_messages(messages: CustomMessages, problems: Problems) -> None:
    for source, template in messages.messages.items():
        if source not in custom_message.TEMPLATE_NAMES:
            allowed = ", ".join(sorted(custom_message.TEMPLATE_NAMES))
            problems.add(
                f"triggers.custom_message.messages: unknown trigger source {source!r}; "
                f"allowed: {allowed}"
            )
            continue
        for name in custom_message.FIELDS:
            text = getattr(template, name)
            if text is None or is_token(text):
                continue
            for problem in custom_message.validate_template(source, text, field=name):
                problems.add(f"triggers.custom_message.messages: {problem}")


# Constructs -------------------------------------------------------------------------------


class TriggerFunction(Construct):
    """A trigger function with its own role and log group, and the runtime, architecture,
    memory and timeout of ``constructs_lib.defaults``.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        handler: ``module.function`` inside the code.
        environment: The handler's environment variables.
        description: The function's description.
        code: Default: the bundled ``lambda_triggers`` folder.
        runtime: Default: ``defaults.TRIGGER_RUNTIME``.
        architecture: Default: ``defaults.TRIGGER_ARCHITECTURE``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        handler: str,
        environment: Mapping[str, str],
        description: str,
        code: lambda_.Code | None = None,
        runtime: lambda_.Runtime = defaults.TRIGGER_RUNTIME,
        architecture: lambda_.Architecture = defaults.TRIGGER_ARCHITECTURE,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(self, "Logs", retention=defaults.TRIGGER_LOG_RETENTION)
        # An own role instead of the default one: no AWS managed policy (cdk-nag IAM4), and log
        # writes limited to this function's log group.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Cognito trigger {handler.partition('.')[0]}",
        )
        self.role.attach_inline_policy(
            iam.Policy(
                self,
                "LogsPolicy",
                statements=[
                    iam.PolicyStatement(
                        actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                        resources=[self.log_group.log_group_arn],
                    )
                ],
            )
        )
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=runtime,
            architecture=architecture,
            memory_size=defaults.TRIGGER_MEMORY_MB,
            timeout=defaults.TRIGGER_TIMEOUT,
            handler=handler,
            code=code or lambda_.Code.from_asset(str(handler_folder()), exclude=ASSET_EXCLUDES),
            environment=dict(environment),
            description=description,
            role=self.role,
            log_group=self.log_group,
        )

    def allow(self, policy_id: str, actions: list[str], resources: list[str]) -> None:
        """Grant through an inline policy of its own, which the function does not depend on."""
        self.role.attach_inline_policy(
            iam.Policy(
                self,
                policy_id,
                statements=[iam.PolicyStatement(actions=actions, resources=resources)],
            )
        )


def handler_folder() -> Any:
    """The ``lambda_triggers`` folder, wherever the package is installed."""
    return resources.files("lambda_triggers")


@dataclass(frozen=True, kw_only=True)
class BundledTrigger:
    """One bundled trigger function, as a pool's ``LambdaConfig`` takes it.

    Attributes:
        operation: The trigger it serves.
        trigger: The function with its role, log group and permissions.
        lambda_version: The event version, for the operations whose ``LambdaConfig`` entry is
            ``{LambdaArn, LambdaVersion}`` (pre token generation, inbound federation); None for
            the others.
    """

    operation: cognito.UserPoolOperation
    trigger: TriggerFunction
    lambda_version: cognito.LambdaVersion | None = None

    @property
    def function(self) -> lambda_.IFunction:
        return self.trigger.function


#: Gives the table a trigger reads or writes in the Region its function runs in: the table
#: itself in the pool's Region, the global table's replica in a replica Region.
TableInRegion = Callable[[dynamodb.ITable], dynamodb.ITable]


def bundled_trigger_functions(
    scope: Construct,
    triggers: Triggers,
    *,
    pool_arn: str,
    table_in_region: TableInRegion | None = None,
) -> dict[str, BundledTrigger]:
    """Define the bundled trigger functions of ``triggers`` in ``scope``, with their
    environments and least-privilege permissions, and return them by the ``operation_name``
    of the ``cognito.UserPoolOperation`` each serves (the key of the pool's ``LambdaConfig``).

    The one definition for the pool's own Region (``UserPoolTriggers``) and each replica Region
    (``replication.RegionalTriggers``); wiring them to a pool is the caller's. The bundled user
    migration function serves ``userMigration`` and, with ``copy_groups``, ``postAuthentication``
    too (the same function under both keys).

    Args:
        scope: Where the functions go; their construct IDs are ``PreTokenGeneration``,
            ``PreSignUp``, ``PostConfirmation``, ``CustomMessage``, ``UserMigration`` and
            ``InboundFederation``.
        triggers: What to define; ``triggers.own`` is not looked at.
        pool_arn: The pool's ARN in the Region of ``scope``: the resource of the permissions
            on the pool (account linking, default group, groups of migrated users).
        table_in_region: Gives each claims or profile table as the functions reach it in that
            Region. Default: the table itself.
    """
    in_region: TableInRegion = table_in_region or (lambda table: table)

    def table(value: dynamodb.ITable | None) -> dynamodb.ITable | None:
        return None if value is None else in_region(value)

    operation = cognito.UserPoolOperation
    defined: dict[str, BundledTrigger] = {}

    def add(
        op: cognito.UserPoolOperation,
        trigger: TriggerFunction,
        lambda_version: cognito.LambdaVersion | None = None,
    ) -> None:
        defined[op.operation_name] = BundledTrigger(
            operation=op, trigger=trigger, lambda_version=lambda_version
        )

    token = triggers.pre_token_generation
    if token is not None:
        claims = table(token.claims_table)
        trigger = TriggerFunction(
            scope,
            "PreTokenGeneration",
            handler="pre_token_generation.handler",
            environment=replace(token, claims_table=claims).environment(),
            description="Cognito pre token generation: claims from DynamoDB and groups",
        )
        if claims is not None:
            trigger.allow("ClaimsTablePolicy", ["dynamodb:GetItem"], [claims.table_arn])
        add(operation.PRE_TOKEN_GENERATION_CONFIG, trigger, token.lambda_version)
    sign_up = triggers.pre_sign_up
    if sign_up is not None:
        trigger = TriggerFunction(
            scope,
            "PreSignUp",
            handler="pre_sign_up.handler",
            environment=sign_up.environment(),
            description="Cognito pre sign-up: email domain rules and account linking",
        )
        if sign_up.link_federated_to_existing_user:
            trigger.allow(
                "LinkingPolicy",
                ["cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"],
                [pool_arn],
            )
        add(operation.PRE_SIGN_UP, trigger)
    confirmation = triggers.post_confirmation
    if confirmation is not None:
        profiles = table(confirmation.profile_table)
        trigger = TriggerFunction(
            scope,
            "PostConfirmation",
            handler="post_confirmation.handler",
            environment=replace(confirmation, profile_table=profiles).environment(),
            description="Cognito post confirmation: default group and profile record",
        )
        if confirmation.default_group:
            trigger.allow("GroupPolicy", ["cognito-idp:AdminAddUserToGroup"], [pool_arn])
        if profiles is not None:
            trigger.allow("ProfileTablePolicy", ["dynamodb:PutItem"], [profiles.table_arn])
        add(operation.POST_CONFIRMATION, trigger)
    if triggers.custom_message is not None:
        trigger = TriggerFunction(
            scope,
            "CustomMessage",
            handler="custom_message.handler",
            environment=triggers.custom_message.environment(),
            description="Cognito custom message: templated verification and invitations",
        )
        add(operation.CUSTOM_MESSAGE, trigger)
    migration = triggers.user_migration
    if migration is not None:
        trigger = TriggerFunction(
            scope,
            "UserMigration",
            handler="user_migration.handler",
            environment=migration.environment(),
            description="Cognito user migration: users move from the old pool with their password",
        )
        # Least privilege: the old pool's actions on the old pool only (or assuming the role
        # that has them), and adding users to groups on the new pool.
        if migration.role_to_assume is not None:
            trigger.allow(
                "OldPoolRolePolicy", ["sts:AssumeRole"], [migration.role_to_assume.role_arn]
            )
        else:
            trigger.allow(
                "OldPoolPolicy",
                migration.old_pool_actions(),
                [migration.from_user_pool.user_pool_arn],
            )
        add(operation.USER_MIGRATION, trigger)
        if migration.copy_groups:
            trigger.allow("GroupPolicy", ["cognito-idp:AdminAddUserToGroup"], [pool_arn])
            add(operation.POST_AUTHENTICATION, trigger)
    if triggers.inbound_federation is not None:
        trigger = TriggerFunction(
            scope,
            "InboundFederation",
            handler="inbound_federation.handler",
            environment=triggers.inbound_federation.environment(),
            description="Cognito inbound federation: normalised federated attributes",
        )
        add(INBOUND_FEDERATION, trigger, INBOUND_FEDERATION_LAMBDA_VERSION)
    return defined


class UserPoolTriggers(Construct):
    """Defines the triggers of ``triggers`` and wires them to ``user_pool``.

    Works on any ``cognito.UserPool`` defined in the app (an imported pool cannot take triggers
    through CloudFormation without overwriting its whole configuration).

    Custom email and SMS sender functions (in ``triggers.own``) are allowed to decrypt with the
    pool's custom sender key, which Cognito uses to encrypt the codes it hands them.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        user_pool: The pool to wire to.
        triggers: What to define.
        feature_plan: The pool's plan, to judge the pre token generation version.
            Default: read from a ``SecureUserPool``, otherwise not judged.
        custom_sender_key: The pool's ``custom_sender_kms_key``, when custom senders are wired
            to a pool that is not a ``SecureUserPool``. Default: read from a ``SecureUserPool``.

    Attributes:
        functions: Every wired function, bundled or your own, keyed by the ``operation_name`` of
            the ``cognito.UserPoolOperation`` it is wired to (the key of the pool's
            ``LambdaConfig``, lower camel case): ``"preSignUp"``, ``"postConfirmation"``,
            ``"customMessage"``, and ``"preTokenGenerationConfig"`` for the bundled pre token
            generation trigger (an own function wired with the older
            ``PRE_TOKEN_GENERATION`` operation stays under ``"preTokenGeneration"``), and
            ``"inboundFederation"`` for the inbound federation trigger, bundled or your own.
        bundled: The bundled functions, as ``bundled_trigger_functions`` gives them.
        custom_sender_key: The key custom sender functions may decrypt with, if any.

    Raises:
        ConfigurationError: for every problem in ``triggers``, all at once.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.UserPool,
        triggers: Triggers,
        feature_plan: cognito.FeaturePlan | None = None,
        custom_sender_key: kms.IKey | None = None,
    ) -> None:
        if isinstance(user_pool, SecureUserPool):
            feature_plan = feature_plan or user_pool.settings.effective_feature_plan
            custom_sender_key = custom_sender_key or user_pool.settings.custom_sender_kms_key
        problems = Problems(type(self).__name__)
        trigger_problems(triggers, feature_plan=feature_plan, problems=problems)
        senders = [op.operation_name for op in triggers.own if op.operation_name in CUSTOM_SENDERS]
        if senders and custom_sender_key is None:
            problems.add(
                f"triggers.own {', '.join(senders)} need the pool's custom_sender_kms_key: set it "
                "in UserPoolSettings (CognitoAuth creates one) or pass custom_sender_key="
            )
        problems.raise_if_any()
        self.custom_sender_key = custom_sender_key
        super().__init__(scope, construct_id)
        self.functions: dict[str, lambda_.IFunction] = {}
        self.bundled = bundled_trigger_functions(self, triggers, pool_arn=user_pool.user_pool_arn)
        for bundled in self.bundled.values():
            self._wire(user_pool, bundled.operation, bundled.function, bundled.lambda_version)
        if triggers.pre_sign_up is not None:
            self._warn_about_email_changes(
                user_pool, triggers.pre_sign_up, self.bundled["preSignUp"].trigger
            )
        if triggers.user_migration is not None:
            # https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-import-using-lambda.html
            Annotations.of(self.bundled["userMigration"].trigger).add_warning_v2(
                "cognito-auth:user-migration",
                "user migration on: Cognito calls it only when it receives the password, so apps "
                "with their own sign-in UI must sign in with USER_PASSWORD_AUTH (not SRP) while "
                "users move; managed login works as is. Remove user_migration when the old pool "
                "is retired.",
            )
        for operation, function in triggers.own.items():
            self._wire(user_pool, operation, function)
            if operation.operation_name in CUSTOM_SENDERS and custom_sender_key is not None:
                custom_sender_key.grant_decrypt(function)

    @staticmethod
    def _warn_about_email_changes(
        pool: cognito.UserPool, settings: PreSignUp, trigger: TriggerFunction
    ) -> None:
        """Domain rules judge the email when a user is created; a mutable ``email`` can change
        to any domain afterwards (UpdateUserAttributes, through any client that may write it)."""
        if not (settings.allowed_email_domains or settings.denied_email_domains):
            return
        email = None
        if isinstance(pool, SecureUserPool):
            email = pool.settings.effective_standard_attributes.email
        if email is not None and email.mutable is False:
            return
        Annotations.of(trigger).add_warning_v2(
            EMAIL_CHANGE_WARNING,
            "triggers.pre_sign_up email domain rules apply when a user is created; a signed-in "
            "user can later change email to any domain (UpdateUserAttributes). To keep the "
            "rules, make email immutable before the first deploy (standard_attributes="
            "{'email': StandardAttribute(required=True, mutable=False)}), or check the domain "
            "again in a pre authentication trigger of your own.",
        )

    def _wire(
        self,
        pool: cognito.UserPool,
        operation: cognito.UserPoolOperation,
        function: lambda_.IFunction,
        lambda_version: cognito.LambdaVersion | None = None,
    ) -> None:
        if operation.operation_name == INBOUND_FEDERATION.operation_name:
            _wire_inbound_federation(pool, function, lambda_version)
        else:
            pool.add_trigger(operation, function, lambda_version)
        self.functions[operation.operation_name] = function


def _wire_inbound_federation(
    pool: cognito.UserPool,
    function: lambda_.IFunction,
    lambda_version: cognito.LambdaVersion | None = None,
) -> None:
    """The one L1 override for the inbound federation trigger, with the invoke permission
    ``add_trigger`` gives the other triggers."""
    version = lambda_version or INBOUND_FEDERATION_LAMBDA_VERSION
    cfn = pool.node.default_child
    assert isinstance(cfn, cognito.CfnUserPool)
    cfn.add_property_override(
        "LambdaConfig.InboundFederation",
        {"LambdaArn": function.function_arn, "LambdaVersion": version.name},
    )
    function.add_permission(
        "InboundFederationCognito",
        principal=iam.ServicePrincipal("cognito-idp.amazonaws.com"),
        source_arn=pool.user_pool_arn,
    )


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _set_list(env: dict[str, str], name: str, values: Sequence[str] | None) -> None:
    if values:
        env[name] = ",".join(values)


def with_custom_sender_key(
    scope: Construct, settings: UserPoolSettings, triggers: Triggers | None
) -> UserPoolSettings:
    """``settings`` with a custom sender key when ``triggers`` has a custom email or SMS sender
    and none is set: Cognito refuses those triggers without one. The key is created in ``scope``
    as ``CustomSenderKey``, rotated yearly and retained (codes in flight depend on it)."""
    needs_key = triggers is not None and any(
        op.operation_name in CUSTOM_SENDERS for op in triggers.own
    )
    if not needs_key or settings.custom_sender_kms_key is not None:
        return settings
    key = kms.Key(
        scope,
        "CustomSenderKey",
        description="Encrypts the codes Cognito hands to custom email and SMS sender triggers",
        enable_key_rotation=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    key.add_to_resource_policy(custom_sender_key_statement(Stack.of(scope)))
    return replace(settings, custom_sender_kms_key=key)


def custom_sender_key_statement(stack: Stack) -> iam.PolicyStatement:
    """What Cognito needs on a custom sender key: ``kms:Encrypt`` for the codes it hands to the
    sender triggers, for user pools of this account and Region only (``aws:SourceAccount``,
    ``aws:SourceArn``), as the Cognito developer guide's key policy for custom senders gives it:
    https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
    The pool's own ARN cannot be named: the pool refers to the key, so the key's policy naming
    the pool would be a dependency cycle."""
    return iam.PolicyStatement(
        sid="AllowCognitoUserPoolsOfThisAccountToEncrypt",
        principals=[iam.ServicePrincipal("cognito-idp.amazonaws.com")],
        actions=["kms:Encrypt"],
        resources=["*"],
        conditions={
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {
                "aws:SourceArn": stack.format_arn(
                    service="cognito-idp", resource="userpool", resource_name="*"
                )
            },
        },
    )


class ClaimsTable(dynamodb.TableV2):
    """A table keyed by the user pool ``sub``, for claims or profiles: encrypted, on-demand,
    point-in-time recovery on, deletion protection on and retained (it holds user data).

    Args:
        scope: The parent construct.
        construct_id: Keep it stable: a new ID replaces the table and loses its items.
        partition_key: Default: ``sub``.
    """

    def __init__(self, scope: Construct, construct_id: str, *, partition_key: str = "sub") -> None:
        super().__init__(
            scope,
            construct_id,
            partition_key=dynamodb.Attribute(
                name=partition_key, type=dynamodb.AttributeType.STRING
            ),
            billing=dynamodb.Billing.on_demand(),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            removal_policy=defaults.REMOVAL_POLICY,
        )
