"""The user pool: settings, their validation, and ``SecureUserPool``, an L2 pool with safe defaults.

``UserPoolSettings`` holds what a user may choose; ``None`` always means "the library default"
(``constructs_lib.defaults``). ``user_pool_problems`` judges the settings without creating
anything, so ``CognitoAuth`` can report the problems of every part of one call together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from enum import Enum
from typing import Literal

from aws_cdk import Annotations, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.validation import Problems, acknowledge, first_set, is_token

# Cognito's OIDC attribute names, and the argument name aws_cdk's ``StandardAttributes`` uses.
STANDARD_ATTRIBUTE_NAMES: Mapping[str, str] = {
    "address": "address",
    "birthdate": "birthdate",
    "email": "email",
    "family_name": "family_name",
    "gender": "gender",
    "given_name": "given_name",
    "locale": "locale",
    "middle_name": "middle_name",
    "name": "fullname",
    "nickname": "nickname",
    "phone_number": "phone_number",
    "picture": "profile_picture",
    "preferred_username": "preferred_username",
    "profile": "profile_page",
    "updated_at": "last_update_time",
    "website": "website",
    "zoneinfo": "timezone",
}

# Cognito's pattern for schema and group names is [\p{L}\p{M}\p{S}\p{N}\p{P}]+: any printable
# character but white space. Python's re has no \p classes, so the test is spelled out.
_CUSTOM_ATTRIBUTE_NAME = re.compile(r"^[^\s]+$")


@dataclass(frozen=True, kw_only=True)
class SesEmail:
    """Send the pool's email through your own Amazon SES identity instead of Cognito's.

    Cognito's built-in email sends at most a few dozen messages a day and cannot send email MFA
    or email one-time passwords; production pools use SES. The identity must be verified in SES
    first (CloudFormation cannot verify it).
    See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html

    Args:
        from_email: The verified SES address Cognito sends from.
        from_name: The sender's display name. Default: no name.
        reply_to: Where replies go. Default: ``from_email``.
        configuration_set_name: An SES configuration set, for event publishing. Default: none.
        ses_region: The SES Region when it differs from the pool's. Default: the pool's Region.
        ses_verified_domain: A verified SES domain identity to send from. Default: the address.
    """

    from_email: str
    from_name: str | None = None
    reply_to: str | None = None
    configuration_set_name: str | None = None
    ses_region: str | None = None
    ses_verified_domain: str | None = None

    def to_user_pool_email(self) -> cognito.UserPoolEmail:
        return cognito.UserPoolEmail.with_ses(
            from_email=self.from_email,
            from_name=self.from_name,
            reply_to=self.reply_to,
            configuration_set_name=self.configuration_set_name,
            ses_region=self.ses_region,
            ses_verified_domain=self.ses_verified_domain,
        )


@dataclass(frozen=True, kw_only=True)
class Group:
    """A user pool group.

    Args:
        name: The group name, as it appears in the ``cognito:groups`` claim.
        precedence: Lower wins when a user is in several groups with roles. Default: none.
        description: A description for administrators. Default: none.
        role: An IAM role that identity pools may give the group's members. Default: none.
    """

    name: str
    precedence: int | None = None
    description: str | None = None
    role: iam.IRole | None = None


class RiskAction(Enum):
    """What adaptive authentication does at one risk level (``AccountTakeoverActionType``)."""

    ALLOW = "NO_ACTION"
    MFA_IF_CONFIGURED = "MFA_IF_CONFIGURED"
    MFA_REQUIRED = "MFA_REQUIRED"
    BLOCK = "BLOCK"


class CompromisedCredentialsAction(Enum):
    """What Cognito does when a password is known to be leaked."""

    ALLOW = "NO_ACTION"
    BLOCK = "BLOCK"


@dataclass(frozen=True, kw_only=True)
class AdaptiveAction:
    """The action for one risk level, and whether the user is told by email.

    Args:
        action: What to do with the sign-in.
        notify: Email the user about it; needs ``ThreatProtection.notify_source_arn``.
            Default: False.
    """

    action: RiskAction
    notify: bool = False


@dataclass(frozen=True, kw_only=True)
class ThreatProtection:
    """Threat protection (formerly advanced security), available on the PLUS plan only.

    Use ``ThreatProtection.audit_only()`` to log risk without acting, or
    ``ThreatProtection.full_function(...)`` to act on it. In full-function mode the actions below
    become the pool's risk configuration for all app clients.
    See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html

    Args:
        mode: ``AUDIT_ONLY`` or ``FULL_FUNCTION``.
        custom_auth_mode: The mode for custom authentication flows. Default: not set.
        low_risk: Default: allow.
        medium_risk: Default: MFA if the user has set it up.
        high_risk: Default: MFA required.
        compromised_credentials: Default: block, on sign-in, sign-up and password change.
        notify_source_arn: ARN of the verified SES identity that sends risk notifications.
            Default: none (then no level may notify).
    """

    mode: cognito.StandardThreatProtectionMode
    custom_auth_mode: cognito.CustomThreatProtectionMode | None = None
    low_risk: AdaptiveAction = AdaptiveAction(action=RiskAction.ALLOW)
    medium_risk: AdaptiveAction = AdaptiveAction(action=RiskAction.MFA_IF_CONFIGURED)
    high_risk: AdaptiveAction = AdaptiveAction(action=RiskAction.MFA_REQUIRED)
    compromised_credentials: CompromisedCredentialsAction = CompromisedCredentialsAction.BLOCK
    notify_source_arn: str | None = None

    @classmethod
    def audit_only(cls) -> ThreatProtection:
        """Measure risk and log it; never block or challenge a sign-in."""
        return cls(mode=cognito.StandardThreatProtectionMode.AUDIT_ONLY)

    @classmethod
    def full_function(
        cls,
        *,
        low_risk: AdaptiveAction | None = None,
        medium_risk: AdaptiveAction | None = None,
        high_risk: AdaptiveAction | None = None,
        compromised_credentials: CompromisedCredentialsAction | None = None,
        notify_source_arn: str | None = None,
        custom_auth_mode: cognito.CustomThreatProtectionMode | None = None,
    ) -> ThreatProtection:
        """Act on risk: the actions default to allow / MFA if configured / MFA required."""
        base = cls(mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION)
        return cls(
            mode=base.mode,
            custom_auth_mode=custom_auth_mode,
            low_risk=low_risk or base.low_risk,
            medium_risk=medium_risk or base.medium_risk,
            high_risk=high_risk or base.high_risk,
            compromised_credentials=compromised_credentials or base.compromised_credentials,
            notify_source_arn=notify_source_arn,
        )

    @property
    def levels(self) -> dict[str, AdaptiveAction]:
        return {
            "low_risk": self.low_risk,
            "medium_risk": self.medium_risk,
            "high_risk": self.high_risk,
        }


@dataclass(frozen=True, kw_only=True)
class UserPoolSettings:
    """What a new user pool looks like. Every field left ``None`` takes the library default.

    Fields marked *immutable* cannot change once the pool exists: CloudFormation does not replace
    the pool for them, Cognito refuses the update and the stack rolls back; a pool with other
    values is a new pool, to which users move with the user-migration trigger. See README, "What
    can never change" (``cognito-auth check-update`` flags such an edit before deploy).

    Args:
        user_pool_name: Default: generated by CloudFormation.
        self_sign_up_enabled: Let anyone register. Default: False.
        sign_in_aliases: What users sign in with (*immutable*). Default: email.
        sign_in_case_sensitive: (*immutable*). Default: False (case-insensitive).
        standard_attributes: Keyed by Cognito's attribute name (``"email"``, ``"name"``,
            ``"phone_number"``…); ``required`` is *immutable*. Default: email, required and mutable.
        custom_attributes: Keyed by name without ``custom:`` (definitions are *immutable*; new ones
            can be added). Default: none.
        password_policy: Default: 12 characters, all character classes, temporary passwords valid
            3 days, the last 5 passwords remembered (not on LITE).
        mfa: Default: ``Mfa.OPTIONAL``.
        mfa_second_factor: Default: TOTP only.
        mfa_message: The SMS MFA text; must contain ``{####}``. Default: Cognito's.
        allowed_first_auth_factors: Choice-based sign-in (passwordless needs ESSENTIALS or PLUS).
            Default: password only.
        passkey_relying_party_id: The domain passkeys are bound to. Default: the pool's domain.
        passkey_user_verification: Default: Cognito's (preferred).
        feature_plan: Default: ``FeaturePlan.ESSENTIALS``.
        threat_protection: PLUS only. Default: none.
        account_recovery: Default: ``AccountRecovery.EMAIL_ONLY``.
        email: SES sending. Default: Cognito's built-in email.
        sms_role: The role Cognito uses to send SMS. Default: created when SMS is used.
        sms_role_external_id: Default: generated with the role.
        custom_sender_kms_key: The key Cognito encrypts codes with for custom email/SMS sender
            triggers. Default: none; ``CognitoAuth`` creates one when such a trigger is given.
        user_verification: Verification message. Default: Cognito's code message.
        user_invitation: Invitation message. Default: Cognito's.
        groups: Default: none.
        deletion_protection: Default: True.
        removal_policy: Default: ``RemovalPolicy.RETAIN``.
    """

    user_pool_name: str | None = None
    self_sign_up_enabled: bool | None = None
    sign_in_aliases: cognito.SignInAliases | None = None
    sign_in_case_sensitive: bool | None = None
    standard_attributes: Mapping[str, cognito.StandardAttribute] | None = None
    custom_attributes: Mapping[str, cognito.ICustomAttribute] | None = None
    password_policy: cognito.PasswordPolicy | None = None
    mfa: cognito.Mfa | None = None
    mfa_second_factor: cognito.MfaSecondFactor | None = None
    mfa_message: str | None = None
    allowed_first_auth_factors: cognito.AllowedFirstAuthFactors | None = None
    passkey_relying_party_id: str | None = None
    passkey_user_verification: cognito.PasskeyUserVerification | None = None
    feature_plan: cognito.FeaturePlan | None = None
    threat_protection: ThreatProtection | None = None
    account_recovery: cognito.AccountRecovery | None = None
    email: SesEmail | None = None
    sms_role: iam.IRole | None = None
    sms_role_external_id: str | None = None
    custom_sender_kms_key: kms.IKey | None = None
    user_verification: cognito.UserVerificationConfig | None = None
    user_invitation: cognito.UserInvitationConfig | None = None
    groups: Sequence[Group] | None = None
    deletion_protection: bool | None = None
    removal_policy: RemovalPolicy | None = None

    def given(self) -> list[str]:
        """The names of the fields set to something other than ``None``."""
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]

    # Effective values: the setting, or the library default -----------------------------------

    @property
    def effective_feature_plan(self) -> cognito.FeaturePlan:
        return self.feature_plan or defaults.FEATURE_PLAN

    @property
    def threat_protection_plus(self) -> bool:
        """Whether the pool is on the Plus plan with threat protection (which only Plus has)."""
        plan = self.effective_feature_plan
        return plan == cognito.FeaturePlan.PLUS and self.threat_protection is not None

    @property
    def effective_mfa(self) -> cognito.Mfa:
        return self.mfa or defaults.MFA

    @property
    def effective_second_factor(self) -> cognito.MfaSecondFactor:
        if self.mfa_second_factor is not None:
            return self.mfa_second_factor
        return cognito.MfaSecondFactor(
            otp=defaults.MFA_SECOND_FACTOR_OTP,
            sms=defaults.MFA_SECOND_FACTOR_SMS,
            email=defaults.MFA_SECOND_FACTOR_EMAIL,
        )

    @property
    def effective_password_policy(self) -> cognito.PasswordPolicy:
        given = self.password_policy or cognito.PasswordPolicy()
        history = given.password_history_size
        if history is None and self.effective_feature_plan != cognito.FeaturePlan.LITE:
            history = defaults.PASSWORD_HISTORY_SIZE
        return cognito.PasswordPolicy(
            min_length=first_set(given.min_length, defaults.PASSWORD_MIN_LENGTH),
            require_lowercase=first_set(
                given.require_lowercase, defaults.PASSWORD_REQUIRE_LOWERCASE
            ),
            require_uppercase=first_set(
                given.require_uppercase, defaults.PASSWORD_REQUIRE_UPPERCASE
            ),
            require_digits=first_set(given.require_digits, defaults.PASSWORD_REQUIRE_DIGITS),
            require_symbols=first_set(given.require_symbols, defaults.PASSWORD_REQUIRE_SYMBOLS),
            temp_password_validity=first_set(
                given.temp_password_validity, defaults.TEMP_PASSWORD_VALIDITY
            ),
            password_history_size=history,
        )

    @property
    def effective_standard_attributes(self) -> cognito.StandardAttributes:
        chosen = self.standard_attributes
        if chosen is None:
            chosen = defaults.STANDARD_ATTRIBUTES
        return cognito.StandardAttributes(
            **{STANDARD_ATTRIBUTE_NAMES[name]: attr for name, attr in chosen.items()}
        )


def user_pool_problems(settings: UserPoolSettings, problems: Problems) -> None:
    """Add every problem of ``settings`` to ``problems``; values that are tokens are not judged."""
    _check_sign_in_aliases(settings.sign_in_aliases, problems)
    _check_password_policy(settings, problems)
    _check_mfa(settings, problems)
    _check_plan_features(settings, problems)
    _check_attributes(settings, problems)
    _check_messages(settings, problems)
    _check_groups(settings.groups or (), problems)
    if settings.email is not None:
        _check_ses_email(settings.email, problems)


def _check_sign_in_aliases(aliases: cognito.SignInAliases | None, problems: Problems) -> None:
    if aliases is None:
        return
    given = [
        name
        for name in ("username", "email", "phone", "preferred_username")
        if getattr(aliases, name)
    ]
    if not given:
        problems.add(
            "sign_in_aliases turns every alias off, got SignInAliases() with none set; enable at "
            "least one of username, email, phone (e.g. SignInAliases(email=True)), or leave "
            "sign_in_aliases out for email sign-in"
        )
    elif aliases.preferred_username and not aliases.username:
        problems.add(
            f"sign_in_aliases: preferred_username=True needs username=True (a preferred user "
            f"name is an alias of the user name), got {', '.join(given)}; add username=True or "
            "drop preferred_username"
        )


# An address as SES takes it: a local part, '@', a domain with a dot; no spaces or brackets.
_ADDRESS_CHARS = r"[^@\s<>()\[\],;:\"]"
_EMAIL_ADDRESS = re.compile(rf"^{_ADDRESS_CHARS}+@{_ADDRESS_CHARS}+\.[^@\s<>()\[\],;:\".]+$")


def _check_ses_email(email: SesEmail, problems: Problems) -> None:
    for field in ("from_email", "reply_to"):
        value = getattr(email, field)
        if value is None or is_token(value):
            continue
        problems.check(
            isinstance(value, str) and bool(_EMAIL_ADDRESS.match(value)),
            f"email.{field} must be one email address such as 'no-reply@example.com' (the "
            f"display name goes in from_name), got {value!r}",
        )


def _check_password_policy(settings: UserPoolSettings, problems: Problems) -> None:
    policy = settings.password_policy
    if policy is None:
        return
    low, high = defaults.PASSWORD_MIN_LENGTH_RANGE
    length = policy.min_length
    if length is not None and is_token(length):
        problems.add(
            "password_policy.min_length must be a literal number, got a token: aws-cdk-lib's "
            "UserPool checks the length while the app is built and refuses unresolved values"
        )
    elif length is not None:
        problems.check(
            low <= length <= high and float(length).is_integer(),
            f"password_policy.min_length must be a whole number from {low} to {high} "
            f"(Cognito's range), got {length!r}",
        )
    validity = policy.temp_password_validity
    if validity is not None and not validity.is_unresolved():
        # Seconds, not hours: Duration.to_hours() itself fails on 90 minutes.
        seconds = validity.to_seconds()
        days_max = defaults.TEMP_PASSWORD_VALIDITY_DAYS_MAX
        problems.check(
            seconds % 86400 == 0 and 1 <= seconds // 86400 <= days_max,
            f"password_policy.temp_password_validity must be whole days from 1 to {days_max}, "
            f"got {validity.to_human_string()!r} (try Duration.days(3))",
        )
    history = policy.password_history_size
    if history is not None and not is_token(history):
        low, high = defaults.PASSWORD_HISTORY_SIZE_RANGE
        problems.check(
            low <= history <= high,
            f"password_policy.password_history_size must be from {low} to {high}, got {history!r}",
        )


def _check_mfa(settings: UserPoolSettings, problems: Problems) -> None:
    mfa = settings.effective_mfa
    factors = settings.effective_second_factor
    if mfa != cognito.Mfa.OFF and not (factors.otp or factors.sms or factors.email):
        problems.add(
            f"mfa={mfa.name} needs at least one of mfa_second_factor otp, sms or email; "
            "none is enabled (TOTP is free: MfaSecondFactor(otp=True, sms=False))"
        )
    if factors.email:
        if settings.email is None:
            problems.add(
                "mfa_second_factor email=True needs email=SesEmail(...): Cognito sends MFA "
                "codes by email only through your own Amazon SES identity"
            )
        if settings.effective_feature_plan == cognito.FeaturePlan.LITE:
            problems.add(
                "mfa_second_factor email=True is not available on feature_plan=LITE; "
                "allowed: ESSENTIALS or PLUS"
            )
    message = settings.mfa_message
    if message is not None and not is_token(message) and "{####}" not in message:
        problems.add(f"mfa_message must contain the code placeholder '{{####}}', got {message!r}")


def _check_plan_features(settings: UserPoolSettings, problems: Problems) -> None:
    plan = settings.effective_feature_plan
    lite = plan == cognito.FeaturePlan.LITE
    factors = settings.allowed_first_auth_factors
    if factors is not None:
        passwordless = [
            name for name in ("email_otp", "sms_otp", "passkey") if getattr(factors, name)
        ]
        if passwordless and lite:
            problems.add(
                f"allowed_first_auth_factors {', '.join(passwordless)} (passwordless sign-in) "
                "is not available on feature_plan=LITE; allowed: ESSENTIALS or PLUS"
            )
        if factors.email_otp and settings.email is None:
            problems.add(
                "allowed_first_auth_factors email_otp=True needs email=SesEmail(...): Cognito "
                "sends one-time passwords by email only through your own Amazon SES identity"
            )
    history = (settings.password_policy or cognito.PasswordPolicy()).password_history_size
    if lite and history:
        problems.add(
            f"password_policy.password_history_size={history!r} is not available on "
            "feature_plan=LITE; allowed: ESSENTIALS or PLUS, or leave it unset"
        )
    threat = settings.threat_protection
    if threat is None:
        return
    if plan != cognito.FeaturePlan.PLUS:
        problems.add(
            f"threat_protection needs feature_plan=PLUS, got feature_plan={plan.name} "
            "(threat protection is billed per MAU on the PLUS plan)"
        )
    full = threat.mode == cognito.StandardThreatProtectionMode.FULL_FUNCTION
    # Audit mode only logs: actions other than the defaults would silently do nothing.
    untouched = ThreatProtection(mode=threat.mode, custom_auth_mode=threat.custom_auth_mode)
    if not full and threat != untouched:
        problems.add(
            "threat_protection actions apply only in FULL_FUNCTION mode, "
            f"got mode={threat.mode.name} (use ThreatProtection.full_function(...))"
        )
    for name, level in threat.levels.items():
        if level.notify and not threat.notify_source_arn:
            problems.add(
                f"threat_protection.{name} notify=True needs threat_protection.notify_source_arn "
                "(the ARN of a verified SES identity)"
            )
        mfa_action = level.action in (RiskAction.MFA_IF_CONFIGURED, RiskAction.MFA_REQUIRED)
        if full and mfa_action and settings.effective_mfa == cognito.Mfa.OFF:
            problems.add(
                f"threat_protection.{name} action={level.action.name} needs MFA, but mfa=OFF; "
                "use mfa=Mfa.OPTIONAL or an action of ALLOW or BLOCK"
            )


def _check_attributes(settings: UserPoolSettings, problems: Problems) -> None:
    for name, attr in (settings.standard_attributes or {}).items():
        if name not in STANDARD_ATTRIBUTE_NAMES:
            hint = " (custom attributes cannot be required)" if attr.required else ""
            problems.add(
                f"standard_attributes: {name!r} is not a standard attribute{hint}; allowed: "
                f"{', '.join(sorted(STANDARD_ATTRIBUTE_NAMES))}; put your own attributes in "
                "custom_attributes"
            )
    custom = settings.custom_attributes or {}
    if len(custom) > defaults.CUSTOM_ATTRIBUTES_MAX:
        problems.add(
            f"custom_attributes: at most {defaults.CUSTOM_ATTRIBUTES_MAX} per user pool, "
            f"got {len(custom)}"
        )
    max_name = defaults.CUSTOM_ATTRIBUTE_NAME_MAX_LENGTH
    for name, definition in custom.items():
        if name.startswith("custom:"):
            problems.add(
                f"custom_attributes: name {name!r} must not include the 'custom:' prefix "
                f"(try {name.removeprefix('custom:')!r}); Cognito adds it"
            )
            continue
        if not (1 <= len(name) <= max_name and _CUSTOM_ATTRIBUTE_NAME.match(name)):
            problems.add(
                f"custom_attributes: name {name!r} must be 1 to {max_name} characters without "
                "white space"
            )
        if name in STANDARD_ATTRIBUTE_NAMES:
            problems.add(
                f"custom_attributes: {name!r} is a standard attribute; "
                "set it in standard_attributes instead"
            )
        _check_attribute_bounds(name, definition, problems)


def _check_attribute_bounds(name: str, attr: cognito.ICustomAttribute, problems: Problems) -> None:
    config = attr.bind()
    text = config.string_constraints
    if text is not None:
        low, high = _known(text.min_len), _known(text.max_len)
        limit = defaults.STRING_ATTRIBUTE_MAX_LENGTH
        if low is not None and low < 0:
            problems.add(f"custom_attributes[{name!r}]: min_len must be 0 or more, got {low!r}")
        if high is not None and not 1 <= high <= limit:
            problems.add(
                f"custom_attributes[{name!r}]: max_len must be from 1 to {limit}, got {high!r}"
            )
        if low is not None and high is not None and low > high:
            problems.add(
                f"custom_attributes[{name!r}]: min_len {low!r} is greater than max_len {high!r}"
            )
    number = config.number_constraints
    if number is not None:
        low, high = _known(number.min), _known(number.max)
        if low is not None and high is not None and low > high:
            problems.add(f"custom_attributes[{name!r}]: min {low!r} is greater than max {high!r}")


def _known(value: float | None) -> float | None:
    """The value, or None when it is unset or a token (tokens are judged at deploy time)."""
    return None if value is None or is_token(value) else value


def _check_messages(settings: UserPoolSettings, problems: Problems) -> None:
    verification = settings.user_verification
    if verification is not None:
        link = verification.email_style == cognito.VerificationEmailStyle.LINK
        placeholder = "{##Verify Email##}" if link else "{####}"
        body = verification.email_body
        if body is not None and not is_token(body) and placeholder not in body:
            problems.add(
                f"user_verification.email_body must contain {placeholder!r} "
                f"for email_style={'LINK' if link else 'CODE'}, got {body!r}"
            )
        sms = verification.sms_message
        if sms is not None and not is_token(sms) and "{####}" not in sms:
            problems.add(f"user_verification.sms_message must contain '{{####}}', got {sms!r}")
    invitation = settings.user_invitation
    if invitation is not None:
        for field in ("email_body", "sms_message"):
            text = getattr(invitation, field)
            if text is None or is_token(text):
                continue
            missing = [p for p in ("{username}", "{####}") if p not in text]
            if missing:
                problems.add(
                    f"user_invitation.{field} must contain {' and '.join(map(repr, missing))} "
                    f"(the user name and temporary password), got {text!r}"
                )


def _check_groups(groups: Sequence[Group], problems: Problems) -> None:
    seen: set[str] = set()
    for group in groups:
        name = group.name
        if is_token(name):
            problems.add(
                "groups: a group name must be a literal string, got a token: the group's "
                "construct ID derives from its name, and identity_pool.group_roles and "
                "PostConfirmation.default_group refer to groups by name"
            )
            continue
        if not (1 <= len(name) <= defaults.GROUP_NAME_MAX_LENGTH) or any(
            ch.isspace() or not ch.isprintable() for ch in name
        ):
            problems.add(
                f"groups: name {name!r} must be 1 to {defaults.GROUP_NAME_MAX_LENGTH} "
                "printable characters without white space"
            )
        if name in seen:
            problems.add(f"groups: name {name!r} is used twice; group names must be unique")
        seen.add(name)
        precedence = group.precedence
        if precedence is not None and not is_token(precedence):
            problems.check(
                0 <= precedence <= defaults.GROUP_PRECEDENCE_MAX,
                f"groups[{name!r}].precedence must be from 0 to {defaults.GROUP_PRECEDENCE_MAX} "
                f"(lower wins), got {precedence!r}",
            )


class SecureUserPool(cognito.UserPool):
    """A ``cognito.UserPool`` with this library's defaults, validation, groups and threat rules.

    Everything the L2 offers stays available (``add_client``, ``add_domain``, ``add_trigger``…).

    Args:
        scope: The parent construct.
        construct_id: Keep it stable: a new ID creates a new, empty pool (the old one, with every
            user, is retained but no longer used).
        settings: What to change from the defaults. Default: ``UserPoolSettings()``.

    Raises:
        ConfigurationError: for every problem in ``settings``, all at once.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: UserPoolSettings | None = None,
    ) -> None:
        settings = settings or UserPoolSettings()
        problems = Problems(type(self).__name__)
        user_pool_problems(settings, problems)
        problems.raise_if_any()

        threat = settings.threat_protection
        super().__init__(
            scope,
            construct_id,
            user_pool_name=settings.user_pool_name,
            self_sign_up_enabled=first_set(
                settings.self_sign_up_enabled, defaults.SELF_SIGN_UP_ENABLED
            ),
            sign_in_aliases=settings.sign_in_aliases or defaults.SIGN_IN_ALIASES,
            sign_in_case_sensitive=first_set(
                settings.sign_in_case_sensitive, defaults.SIGN_IN_CASE_SENSITIVE
            ),
            standard_attributes=settings.effective_standard_attributes,
            custom_attributes=dict(settings.custom_attributes or {}),
            password_policy=settings.effective_password_policy,
            mfa=settings.effective_mfa,
            mfa_second_factor=settings.effective_second_factor,
            mfa_message=settings.mfa_message,
            sign_in_policy=(
                cognito.SignInPolicy(allowed_first_auth_factors=settings.allowed_first_auth_factors)
                if settings.allowed_first_auth_factors
                else None
            ),
            passkey_relying_party_id=settings.passkey_relying_party_id,
            passkey_user_verification=settings.passkey_user_verification,
            feature_plan=settings.effective_feature_plan,
            standard_threat_protection_mode=threat.mode if threat else None,
            custom_threat_protection_mode=threat.custom_auth_mode if threat else None,
            account_recovery=settings.account_recovery or defaults.ACCOUNT_RECOVERY,
            email=settings.email.to_user_pool_email() if settings.email else None,
            sms_role=settings.sms_role,
            sms_role_external_id=settings.sms_role_external_id,
            custom_sender_kms_key=settings.custom_sender_kms_key,
            user_verification=settings.user_verification,
            user_invitation=settings.user_invitation,
            deletion_protection=first_set(
                settings.deletion_protection, defaults.DELETION_PROTECTION
            ),
            removal_policy=settings.removal_policy or defaults.REMOVAL_POLICY,
        )
        self.settings = settings
        self.groups: dict[str, cognito.UserPoolGroup] = {
            group.name: self._add_group(group) for group in settings.groups or ()
        }
        self.risk_configuration = self._add_risk_configuration(threat)
        self._warn_about_risky_choices(settings)
        self._acknowledge_deliberate_findings(settings)

    def _add_group(self, group: Group) -> cognito.UserPoolGroup:
        # Cognito identifies a group by its name, so renaming one replaces it whatever its ID;
        # the name is also the most stable ID there is. '/' is the only character IDs refuse.
        return cognito.UserPoolGroup(
            self,
            f"Group{group.name.replace('/', '_')}",
            user_pool=self,
            group_name=group.name,
            precedence=group.precedence,
            description=group.description,
            role=group.role,
        )

    def _add_risk_configuration(
        self, threat: ThreatProtection | None
    ) -> cognito.CfnUserPoolRiskConfigurationAttachment | None:
        if threat is None or threat.mode != cognito.StandardThreatProtectionMode.FULL_FUNCTION:
            return None
        risk = cognito.CfnUserPoolRiskConfigurationAttachment
        notify = (
            risk.NotifyConfigurationTypeProperty(source_arn=threat.notify_source_arn)
            if threat.notify_source_arn
            else None
        )
        levels = {
            f"{name.split('_')[0]}_action": risk.AccountTakeoverActionTypeProperty(
                event_action=level.action.value, notify=level.notify
            )
            for name, level in threat.levels.items()
        }
        # No L2 exists for the risk configuration; "ALL" applies it to every app client.
        return risk(
            self,
            "RiskConfiguration",
            user_pool_id=self.user_pool_id,
            client_id="ALL",
            account_takeover_risk_configuration=risk.AccountTakeoverRiskConfigurationTypeProperty(
                actions=risk.AccountTakeoverActionsTypeProperty(**levels),
                notify_configuration=notify,
            ),
            compromised_credentials_risk_configuration=(
                risk.CompromisedCredentialsRiskConfigurationTypeProperty(
                    actions=risk.CompromisedCredentialsActionsTypeProperty(
                        event_action=threat.compromised_credentials.value
                    ),
                    event_filter=["SIGN_IN", "SIGN_UP", "PASSWORD_CHANGE"],
                )
            ),
        )

    def _warn_about_risky_choices(self, settings: UserPoolSettings) -> None:
        def warn(warning_id: str, message: str) -> None:
            Annotations.of(self).add_warning_v2(warning_id, message)

        if settings.removal_policy is not None and settings.removal_policy != RemovalPolicy.RETAIN:
            warn(
                "cognito-auth:pool-not-retained",
                f"removal_policy={settings.removal_policy.name}: deleting the stack (or replacing "
                "the pool) deletes every user; password hashes cannot be exported.",
            )
        if settings.deletion_protection is False:
            warn(
                "cognito-auth:deletion-protection-off",
                "deletion_protection=False: the pool can be deleted by any caller allowed to.",
            )
        if settings.effective_mfa == cognito.Mfa.OFF:
            warn(
                "cognito-auth:mfa-off",
                "mfa=OFF: users cannot protect their accounts with a second factor.",
            )

    def _acknowledge_deliberate_findings(self, settings: UserPoolSettings) -> None:
        """cdk-nag findings that follow from a documented choice, each with its reason."""
        mfa = settings.effective_mfa
        if mfa != cognito.Mfa.REQUIRED:
            reason = (
                "MFA is optional by design: users enrol TOTP themselves; set mfa=Mfa.REQUIRED to "
                "enforce it for everyone."
                if mfa == cognito.Mfa.OPTIONAL
                else "mfa=OFF was chosen explicitly; the construct warns about it at synth."
            )
            acknowledge(self, "AwsSolutions-COG2", reason)
        sms_role = self.node.try_find_child("smsRole")  # defined by the L2 when SMS is used
        if sms_role is not None:
            acknowledge(
                sms_role,
                "AwsSolutions-IAM5[Resource::*]",
                "Cognito sends SMS with sns:Publish straight to phone numbers, which have no ARN; "
                "the role trusts only cognito-idp with an external ID.",
            )
        if settings.effective_feature_plan != cognito.FeaturePlan.PLUS:
            acknowledge(
                self,
                "AwsSolutions-COG8",
                f"feature_plan={settings.effective_feature_plan.name}: threat protection (PLUS) "
                "costs more per MAU and is opt-in through feature_plan=PLUS and "
                "threat_protection.",
            )


__all__ = [
    "STANDARD_ATTRIBUTE_NAMES",
    "AdaptiveAction",
    "CompromisedCredentialsAction",
    "Group",
    "RiskAction",
    "SecureUserPool",
    "SesEmail",
    "ThreatProtection",
    "UserPoolSettings",
    "user_pool_problems",
]


#: ``"original"``: ``https://cognito-idp.<region>.<suffix>/<pool id>``; ``"updated"``: the
#: multi-Region issuer ``https://issuer-cognito-idp.<primary region>.<suffix>/<pool id>``.
#: See https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_IssuerConfigurationType.html
IssuerType = Literal["original", "updated"]


def updated_issuer_url(region: str, user_pool_id: str, url_suffix: str = "amazonaws.com") -> str:
    """``https://issuer-cognito-idp.<primary region>.<suffix>/<pool id>``: the updated issuer."""
    return f"https://issuer-cognito-idp.{region}.{url_suffix}/{user_pool_id}"


def issuer_type_of(user_pool: cognito.IUserPool) -> IssuerType:
    """The issuer form the pool's tokens carry, read from its issuer configuration: what every
    verifier and authorizer of the pool must be given (an imported pool: ``"original"``)."""
    cfn = user_pool.node.default_child if isinstance(user_pool, cognito.UserPool) else None
    if isinstance(cfn, cognito.CfnUserPool):
        config = cfn.issuer_configuration
        if isinstance(config, cognito.CfnUserPool.IssuerConfigurationProperty):
            return "updated" if config.type == "UPDATED" else "original"
    return "original"


def issuer_url_of(user_pool: cognito.IUserPool) -> str:
    """The ``iss`` claim of the pool's tokens, in either issuer form (``issuer_type_of``)."""
    if issuer_type_of(user_pool) == "updated":
        stack = Stack.of(user_pool)
        return updated_issuer_url(stack.region, user_pool.user_pool_id, stack.url_suffix)
    return f"https://{user_pool.user_pool_provider_name}"
