"""Turns the example app's context object (``cdk.json``, ``-c``) into construct arguments.

Only ``app.py`` reads context; this module is the pure translation, so the same JSON always
means the same pool and every mistake in it is refused with the key path that holds it:

    cognito_auth.user_pool.mfa: expected one of 'off', 'optional', 'required', got 'sometimes'

Every value is checked for its type here; the rules of Cognito itself are then judged by the
constructs, exactly as for a library user.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aws_cdk import Duration, RemovalPolicy, SecretValue
from aws_cdk import aws_cognito as cognito

from constructs_lib.branding import (
    AssetCategory,
    BrandingAsset,
    ColorMode,
    ManagedLoginStyle,
    Placement,
)
from constructs_lib.federation import (
    AmazonLogin,
    AppleLogin,
    FacebookLogin,
    GoogleLogin,
    IdentityProvider,
    OidcLogin,
    SamlLogin,
)
from constructs_lib.identity_pool import IdentityPoolSettings
from constructs_lib.operations import (
    AlarmSettings,
    AuthEventsDestination,
    DashboardSettings,
    LogDeliverySettings,
    OperationsSettings,
    WafSettings,
)
from constructs_lib.replication import Replication
from constructs_lib.terms import TermsDocuments
from constructs_lib.triggers import (
    ClaimsFailMode,
    CustomMessages,
    InboundFederation,
    MessageTemplate,
    PostConfirmation,
    PreSignUp,
    PreTokenGeneration,
)
from constructs_lib.user_files import FileOwner, UserFilesSettings
from constructs_lib.user_pool import (
    AdaptiveAction,
    CompromisedCredentialsAction,
    Group,
    RiskAction,
    SesEmail,
    ThreatProtection,
    UserPoolSettings,
)
from constructs_lib.validation import Problems, first_set

CONTEXT_KEY = "cognito_auth"
DEFAULT_STACK_NAME = "CognitoAuthExample"

_E = TypeVar("_E")


@dataclass(frozen=True, kw_only=True)
class TriggersConfig:
    """The example app's triggers; the tables they use are defined by the app when asked for."""

    pre_token_generation: PreTokenGeneration | None = None
    claims_table: bool = False
    pre_sign_up: PreSignUp | None = None
    post_confirmation: PostConfirmation | None = None
    profile_table: bool = False
    custom_message: CustomMessages | None = None
    inbound_federation: InboundFederation | None = None


@dataclass(frozen=True, kw_only=True)
class WebClientConfig:
    """The example app's web client."""

    callback_urls: tuple[str, ...] = ("http://localhost:3000/",)
    logout_urls: tuple[str, ...] = ("http://localhost:3000/",)
    #: None: the library's default for web clients (on).
    refresh_token_rotation: bool | None = None
    refresh_token_rotation_grace_period: Duration | None = None


@dataclass(frozen=True, kw_only=True)
class AppConfig:
    """What the example app builds."""

    stack_name: str = DEFAULT_STACK_NAME
    user_pool: UserPoolSettings = field(default_factory=UserPoolSettings)
    triggers: TriggersConfig | None = None
    web_client: WebClientConfig = field(default_factory=WebClientConfig)
    #: None: ``auth-<account id>-<hash of the stack name>``, unique without editing.
    domain_prefix: str | None = None
    identity_providers: tuple[IdentityProvider, ...] = ()
    identity_pool: IdentityPoolSettings | None = None
    user_files: UserFilesSettings | None = None
    #: None: replication off (the ``replication`` section's ``enabled`` is false or missing).
    replication: Replication | None = None
    #: None: no alarms, dashboard, web ACL or log delivery.
    operations: OperationsSettings | None = None
    #: The web client's managed login style; file paths as written (relative to the app).
    branding: ManagedLoginStyle | None = None
    #: The web client's terms documents.
    terms: TermsDocuments | None = None


def merge_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """The ``cognito_auth`` object with ``-c`` overrides applied.

    ``-c cognito_auth='{...}'`` replaces the whole object (the CLI passes it as a JSON string);
    ``-c cognito_auth.user_pool.mfa=required`` replaces one value (parsed as JSON when it is
    JSON, so ``true`` and ``12`` keep their types, otherwise taken as a string).
    """
    base = context.get(CONTEXT_KEY) or {}
    merged: dict[str, Any] = _parse_json(base) if isinstance(base, str) else dict(base)
    prefix = CONTEXT_KEY + "."
    for key in sorted(k for k in context if k.startswith(prefix)):
        value = context[key]
        path = key[len(prefix) :].split(".")
        target = merged
        for part in path[:-1]:
            nested = target.get(part)
            target[part] = dict(nested) if isinstance(nested, Mapping) else {}
            target = target[part]
        target[path[-1]] = _parse_json(value) if isinstance(value, str) else value
    return merged


def _parse_json(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def parse_app_config(raw: Mapping[str, Any]) -> AppConfig:
    """Build the ``AppConfig`` from the merged context object, or raise every problem at once.

    Raises:
        ConfigurationError: unknown keys (with the known ones), values of the wrong type or
            outside their choices.
    """
    problems = Problems("cdk.json")
    reader = _Reader(problems, CONTEXT_KEY, raw)
    stack_name = reader.text("stack_name") or DEFAULT_STACK_NAME
    pool = reader.section("user_pool")
    triggers = reader.section("triggers")
    web_client = reader.section("web_client")
    hosted_ui = reader.section("hosted_ui")
    providers = reader.section("identity_providers")
    identity = reader.section("identity_pool")
    files = reader.section("user_files")
    replication_section = reader.section("replication")
    operations_section = reader.section("operations")
    branding_section = reader.section("branding")
    terms_section = reader.section("terms")
    reader.finish()
    settings = _user_pool_settings(pool) if pool is not None else UserPoolSettings()
    trigger_config = _triggers(triggers) if triggers is not None else None
    web = _web_client(web_client) if web_client is not None else WebClientConfig()
    prefix = None
    if hosted_ui is not None:
        prefix = hosted_ui.text("domain_prefix")
        hosted_ui.finish()
    identity_providers = _identity_providers(providers) if providers is not None else ()
    identity_pool = _identity_pool(identity) if identity is not None else None
    user_files = _user_files(files) if files is not None else None
    replication = _replication(replication_section) if replication_section is not None else None
    operations = _operations(operations_section) if operations_section is not None else None
    branding = _branding(branding_section) if branding_section is not None else None
    terms = _terms(terms_section) if terms_section is not None else None
    problems.raise_if_any()
    return AppConfig(
        stack_name=stack_name,
        user_pool=settings,
        triggers=trigger_config,
        web_client=web,
        domain_prefix=prefix,
        identity_providers=identity_providers,
        identity_pool=identity_pool,
        user_files=user_files,
        replication=replication,
        operations=operations,
        branding=branding,
        terms=terms,
    )


_COLOR_MODES = {m.value.lower(): m for m in ColorMode}
_PLACEMENTS = {p.value.lower(): p for p in Placement}
_BRANDING_KEYS = (
    "logo",
    "settings_file",
    "color_scheme_mode",
    "primary_color",
    "primary_color_dark",
    "link_color",
    "link_color_dark",
    "form_horizontal",
    "form_vertical",
)


def _branding(section: _Reader) -> ManagedLoginStyle | None:
    """``enabled`` false: Cognito's default look (the other keys are still checked)."""
    if not section.flag("enabled"):
        section.read.extend(_BRANDING_KEYS)
        section.finish()
        return None
    logo = section.text("logo")
    style = ManagedLoginStyle(
        settings_file=section.text("settings_file"),
        color_scheme_mode=section.choice("color_scheme_mode", _COLOR_MODES),
        primary_color=section.text("primary_color"),
        primary_color_dark=section.text("primary_color_dark"),
        link_color=section.text("link_color"),
        link_color_dark=section.text("link_color_dark"),
        form_horizontal=section.choice("form_horizontal", _PLACEMENTS),
        form_vertical=section.choice("form_vertical", _PLACEMENTS),
        assets=[BrandingAsset(category=AssetCategory.FORM_LOGO, file=logo)] if logo else (),
    )
    section.finish()
    return style


def _terms(section: _Reader) -> TermsDocuments | None:
    """``enabled`` false: no terms documents (the links are still checked for their type)."""
    enabled = section.flag("enabled")
    links = {}
    for key in ("terms_of_use", "privacy_policy"):
        part = section.section(key)
        links[key] = {name: part.text(name) or "" for name in part.names()} if part else {}
        if part is not None:
            part.finish()
    section.finish()
    if not enabled:
        return None
    return TermsDocuments(
        terms_of_use=links["terms_of_use"], privacy_policy=links["privacy_policy"]
    )


def _replication(section: _Reader) -> Replication | None:
    """``{"enabled": true, "regions": ["us-west-2"]}``; off unless ``enabled`` is true."""
    enabled = section.flag("enabled")
    regions = section.list_of_text("regions")
    section.finish()
    if not enabled:
        return None
    if not regions:
        section.problems.add(
            f"{section.path}.regions: replication is enabled, so name the replica Region, such "
            'as ["us-west-2"]'
        )
        return None
    return Replication(regions=regions)


_AUTH_EVENTS = {"off": None, "cloudwatch_logs": "cloudwatch_logs"}


def _operations(section: _Reader) -> OperationsSettings:
    """Each part has ``"enabled"``; a part left out keeps the library's default (on)."""
    base = OperationsSettings()
    alarms = _operations_alarms(section.section("alarms"), base.alarms)
    dashboard = base.dashboard
    part = section.section("dashboard")
    if part is not None:
        dashboard = DashboardSettings(
            enabled=first_set(part.flag("enabled"), base.dashboard.enabled),
            dashboard_name=part.text("dashboard_name"),
        )
        part.finish()
    waf = _operations_waf(section.section("waf"), base.waf)
    log_delivery = base.log_delivery
    part = section.section("log_delivery")
    if part is not None:
        events = part.choice("user_auth_events", _AUTH_EVENTS)
        log_delivery = LogDeliverySettings(
            enabled=first_set(part.flag("enabled"), base.log_delivery.enabled),
            user_notification_errors=first_set(
                part.flag("user_notification_errors"), base.log_delivery.user_notification_errors
            ),
            user_auth_events=AuthEventsDestination.cloudwatch_logs() if events else None,
        )
        part.finish()
    settings = OperationsSettings(
        alarms=alarms,
        dashboard=dashboard,
        waf=waf,
        log_delivery=log_delivery,
        expected_peak_sign_ins_per_second=section.number("expected_peak_sign_ins_per_second"),
    )
    section.finish()
    return settings


def _operations_alarms(part: _Reader | None, base: AlarmSettings) -> AlarmSettings:
    if part is None:
        return base
    percent = part.real("quota_utilization_percent")
    ratio = part.real("sign_in_success_ratio_min")
    alarms = AlarmSettings(
        enabled=first_set(part.flag("enabled"), base.enabled),
        throttles=first_set(part.flag("throttles"), base.throttles),
        triggers=first_set(part.flag("triggers"), base.triggers),
        quota_utilization_percent=first_set(percent, base.quota_utilization_percent),
        sign_in_success_ratio_min=first_set(ratio, base.sign_in_success_ratio_min),
    )
    part.finish()
    return alarms


def _operations_waf(part: _Reader | None, base: WafSettings) -> WafSettings:
    if part is None:
        return base
    limit = part.number("rate_limit")
    window = part.number("evaluation_window_seconds")
    groups = part.list_of_text("managed_rule_groups")
    waf = WafSettings(
        enabled=first_set(part.flag("enabled"), base.enabled),
        rate_limit=first_set(limit, base.rate_limit),
        evaluation_window=Duration.seconds(window)
        if window is not None
        else base.evaluation_window,
        managed_rule_groups=tuple(groups) if groups is not None else base.managed_rule_groups,
        count_only=first_set(part.flag("count_only"), base.count_only),
        logging=first_set(part.flag("logging"), base.logging),
    )
    part.finish()
    return waf


def _identity_pool(section: _Reader) -> IdentityPoolSettings:
    tags = section.section("principal_tags")
    principal_tags = {name: tags.text(name) or "" for name in tags.names()} if tags else None
    settings = IdentityPoolSettings(
        allow_unauthenticated_identities=section.flag("allow_unauthenticated_identities"),
        group_roles=section.list_of_text("group_roles"),
        principal_tags=principal_tags,
    )
    section.finish()
    return settings


_OWNERS = {"identity_id": "identity_id", "user_pool_sub": "user_pool_sub"}


def _user_files(section: _Reader) -> UserFilesSettings:
    owner = section.choice("owner", _OWNERS)
    tag = section.text("principal_tag") or "sub"
    settings = UserFilesSettings(
        owner=FileOwner.user_pool_sub(tag) if owner == "user_pool_sub" else FileOwner.identity_id(),
        private=section.flag("private"),
        protected=section.flag("protected"),
        public=section.flag("public"),
        cors_allowed_origins=section.list_of_text("cors_allowed_origins"),
    )
    section.finish()
    return settings


def _web_client(section: _Reader) -> WebClientConfig:
    base = WebClientConfig()
    callbacks = section.list_of_text("callback_urls")
    logouts = section.list_of_text("logout_urls")
    rotation = section.section("refresh_token_rotation")
    enabled, grace = None, None
    if rotation is not None:
        enabled = rotation.flag("enabled")
        seconds = rotation.number("grace_period_seconds")
        # The grace period belongs to rotation: with "enabled": false it is left out, so that
        # switching rotation off is one edit.
        grace = Duration.seconds(seconds) if seconds is not None and enabled is not False else None
        rotation.finish()
    section.finish()
    return WebClientConfig(
        callback_urls=tuple(callbacks) if callbacks is not None else base.callback_urls,
        logout_urls=tuple(logouts) if logouts is not None else base.logout_urls,
        refresh_token_rotation=enabled,
        refresh_token_rotation_grace_period=grace,
    )


def _secret(section: _Reader, key: str) -> SecretValue:
    """A Secrets Manager reference by name (``"<name>"`` or ``"<name>:<json field>"``)."""
    name = section.text(key, required=True) or ""
    secret_id, _, json_field = (
        name.partition(":") if not name.startswith("arn:") else (name, "", "")
    )
    return SecretValue.secrets_manager(secret_id, json_field=json_field or None)


_PROVIDER_KEYS = {
    "google": ("client_id", "client_secret_name"),
    "facebook": ("client_id", "client_secret_name"),
    "apple": ("client_id", "team_id", "key_id", "private_key_secret_name"),
    "amazon": ("client_id", "client_secret_name"),
    "saml": ("provider_name", "metadata_url", "metadata_file", "identifiers"),
    "oidc": ("provider_name", "issuer_url", "client_id", "client_secret_name", "identifiers"),
}


def _identity_providers(section: _Reader) -> tuple[IdentityProvider, ...]:
    """Each provider section has ``"enabled"``; a disabled section is skipped whole."""
    built: list[IdentityProvider] = []
    readers: dict[str, Callable[[_Reader], IdentityProvider]] = {
        "google": lambda r: GoogleLogin(
            client_id=r.text("client_id", required=True) or "",
            client_secret=_secret(r, "client_secret_name"),
        ),
        "facebook": lambda r: FacebookLogin(
            client_id=r.text("client_id", required=True) or "",
            client_secret=_secret(r, "client_secret_name"),
        ),
        "apple": lambda r: AppleLogin(
            client_id=r.text("client_id", required=True) or "",
            team_id=r.text("team_id", required=True) or "",
            key_id=r.text("key_id", required=True) or "",
            private_key=_secret(r, "private_key_secret_name"),
        ),
        "amazon": lambda r: AmazonLogin(
            client_id=r.text("client_id", required=True) or "",
            client_secret=_secret(r, "client_secret_name"),
        ),
        "saml": lambda r: SamlLogin(
            provider_name=r.text("provider_name", required=True) or "",
            metadata_url=r.text("metadata_url"),
            metadata_file=r.text("metadata_file"),
            identifiers=r.list_of_text("identifiers") or (),
        ),
        "oidc": lambda r: OidcLogin(
            provider_name=r.text("provider_name", required=True) or "",
            issuer_url=r.text("issuer_url", required=True) or "",
            client_id=r.text("client_id", required=True) or "",
            client_secret=_secret(r, "client_secret_name"),
            identifiers=r.list_of_text("identifiers") or (),
        ),
    }
    for kind, read in readers.items():
        spec = section.section(kind)
        if spec is None:
            continue
        if spec.flag("enabled"):
            built.append(read(spec))
        else:
            # Not built, but a misspelt key is still refused: it would be silently lost later.
            spec.read.extend(_PROVIDER_KEYS[kind])
        spec.finish()
    section.finish()
    return tuple(built)


_MFA = {"off": cognito.Mfa.OFF, "optional": cognito.Mfa.OPTIONAL, "required": cognito.Mfa.REQUIRED}
_PLANS = {
    "lite": cognito.FeaturePlan.LITE,
    "essentials": cognito.FeaturePlan.ESSENTIALS,
    "plus": cognito.FeaturePlan.PLUS,
}
_RECOVERY = {
    name.lower(): getattr(cognito.AccountRecovery, name)
    for name in cognito.AccountRecovery.__members__
}
_REMOVAL = {
    "retain": RemovalPolicy.RETAIN,
    "destroy": RemovalPolicy.DESTROY,
    "retain_on_update_or_delete": RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
}
_THREAT_MODES = {
    "audit_only": cognito.StandardThreatProtectionMode.AUDIT_ONLY,
    "full_function": cognito.StandardThreatProtectionMode.FULL_FUNCTION,
}
_RISK_ACTIONS = {a.name.lower(): a for a in RiskAction}
_LEAK_ACTIONS = {a.name.lower(): a for a in CompromisedCredentialsAction}
_EMAIL_STYLES = {
    "code": cognito.VerificationEmailStyle.CODE,
    "link": cognito.VerificationEmailStyle.LINK,
}
_ATTRIBUTE_TYPES = ("string", "number", "boolean", "datetime")
_LAMBDA_VERSIONS = {v.name.lower(): v for v in cognito.LambdaVersion}
_FAIL_MODES = {m.value: m for m in ClaimsFailMode}


def _user_pool_settings(pool: _Reader) -> UserPoolSettings:
    settings = UserPoolSettings(
        user_pool_name=pool.text("user_pool_name"),
        self_sign_up_enabled=pool.flag("self_sign_up_enabled"),
        sign_in_aliases=_sign_in_aliases(pool),
        sign_in_case_sensitive=pool.flag("sign_in_case_sensitive"),
        standard_attributes=_standard_attributes(pool),
        custom_attributes=_custom_attributes(pool),
        password_policy=_password_policy(pool),
        mfa=pool.choice("mfa", _MFA),
        mfa_second_factor=_second_factor(pool),
        mfa_message=pool.text("mfa_message"),
        allowed_first_auth_factors=_first_factors(pool),
        passkey_relying_party_id=pool.text("passkey_relying_party_id"),
        feature_plan=pool.choice("feature_plan", _PLANS),
        threat_protection=_threat_protection(pool),
        account_recovery=pool.choice("account_recovery", _RECOVERY),
        email=_ses_email(pool),
        user_verification=_user_verification(pool),
        user_invitation=_user_invitation(pool),
        groups=_groups(pool),
        deletion_protection=pool.flag("deletion_protection"),
        removal_policy=pool.choice("removal_policy", _REMOVAL),
    )
    pool.finish()
    return settings


def _sign_in_aliases(pool: _Reader) -> cognito.SignInAliases | None:
    names = pool.list_of_choices(
        "sign_in_aliases", ("email", "phone", "username", "preferred_username")
    )
    return None if names is None else cognito.SignInAliases(**{n: True for n in names})


def _first_factors(pool: _Reader) -> cognito.AllowedFirstAuthFactors | None:
    names = pool.list_of_choices(
        "allowed_first_auth_factors", ("password", "email_otp", "sms_otp", "passkey")
    )
    if names is None:
        return None
    return cognito.AllowedFirstAuthFactors(
        password="password" in names,
        email_otp="email_otp" in names,
        sms_otp="sms_otp" in names,
        passkey="passkey" in names,
    )


def _second_factor(pool: _Reader) -> cognito.MfaSecondFactor | None:
    section = pool.section("mfa_second_factor")
    if section is None:
        return None
    factor = cognito.MfaSecondFactor(
        otp=section.flag("otp") or False,
        sms=section.flag("sms") or False,
        email=section.flag("email") or False,
    )
    section.finish()
    return factor


def _standard_attributes(pool: _Reader) -> dict[str, cognito.StandardAttribute] | None:
    section = pool.section("standard_attributes")
    if section is None:
        return None
    result = {}
    for name in section.names():
        attr = section.section(name)
        if attr is None:
            continue
        result[name] = cognito.StandardAttribute(
            required=attr.flag("required"), mutable=attr.flag("mutable")
        )
        attr.finish()
    return result


def _custom_attributes(pool: _Reader) -> dict[str, cognito.ICustomAttribute] | None:
    section = pool.section("custom_attributes")
    if section is None:
        return None
    result: dict[str, cognito.ICustomAttribute] = {}
    for name in section.names():
        attr = section.section(name)
        if attr is None:
            continue
        kind = attr.choice("type", {t: t for t in _ATTRIBUTE_TYPES}, required=True)
        mutable = attr.flag("mutable")
        if kind == "string":
            result[name] = cognito.StringAttribute(
                min_len=attr.number("min_len"), max_len=attr.number("max_len"), mutable=mutable
            )
        elif kind == "number":
            result[name] = cognito.NumberAttribute(
                min=attr.number("min"), max=attr.number("max"), mutable=mutable
            )
        elif kind == "boolean":
            result[name] = cognito.BooleanAttribute(mutable=mutable)
        elif kind == "datetime":
            result[name] = cognito.DateTimeAttribute(mutable=mutable)
        attr.finish()
    return result


def _password_policy(pool: _Reader) -> cognito.PasswordPolicy | None:
    section = pool.section("password_policy")
    if section is None:
        return None
    days = section.number("temp_password_validity_days")
    policy = cognito.PasswordPolicy(
        min_length=section.number("min_length"),
        require_lowercase=section.flag("require_lowercase"),
        require_uppercase=section.flag("require_uppercase"),
        require_digits=section.flag("require_digits"),
        require_symbols=section.flag("require_symbols"),
        password_history_size=section.number("password_history_size"),
        temp_password_validity=Duration.days(days) if days is not None else None,
    )
    section.finish()
    return policy


def _threat_protection(pool: _Reader) -> ThreatProtection | None:
    section = pool.section("threat_protection")
    if section is None:
        return None
    mode = section.choice("mode", _THREAT_MODES, required=True)
    base = ThreatProtection(mode=mode or cognito.StandardThreatProtectionMode.AUDIT_ONLY)
    levels = {}
    for level in ("low_risk", "medium_risk", "high_risk"):
        spec = section.section(level)
        if spec is None:
            continue
        action = spec.choice("action", _RISK_ACTIONS, required=True) or RiskAction.ALLOW
        levels[level] = AdaptiveAction(action=action, notify=spec.flag("notify") or False)
        spec.finish()
    leaked = section.choice("compromised_credentials", _LEAK_ACTIONS)
    threat = ThreatProtection(
        mode=base.mode,
        low_risk=levels.get("low_risk", base.low_risk),
        medium_risk=levels.get("medium_risk", base.medium_risk),
        high_risk=levels.get("high_risk", base.high_risk),
        compromised_credentials=leaked or base.compromised_credentials,
        notify_source_arn=section.text("notify_source_arn"),
    )
    section.finish()
    return threat


def _ses_email(pool: _Reader) -> SesEmail | None:
    section = pool.section("email")
    if section is None:
        return None
    email = SesEmail(
        from_email=section.text("from_email", required=True) or "",
        from_name=section.text("from_name"),
        reply_to=section.text("reply_to"),
        configuration_set_name=section.text("configuration_set_name"),
        ses_region=section.text("ses_region"),
        ses_verified_domain=section.text("ses_verified_domain"),
    )
    section.finish()
    return email


def _user_verification(pool: _Reader) -> cognito.UserVerificationConfig | None:
    section = pool.section("user_verification")
    if section is None:
        return None
    config = cognito.UserVerificationConfig(
        email_subject=section.text("email_subject"),
        email_body=section.text("email_body"),
        email_style=section.choice("email_style", _EMAIL_STYLES),
        sms_message=section.text("sms_message"),
    )
    section.finish()
    return config


def _user_invitation(pool: _Reader) -> cognito.UserInvitationConfig | None:
    section = pool.section("user_invitation")
    if section is None:
        return None
    config = cognito.UserInvitationConfig(
        email_subject=section.text("email_subject"),
        email_body=section.text("email_body"),
        sms_message=section.text("sms_message"),
    )
    section.finish()
    return config


def _groups(pool: _Reader) -> list[Group] | None:
    items = pool.list_of_sections("groups")
    if items is None:
        return None
    groups = []
    for item in items:
        groups.append(
            Group(
                name=item.text("name", required=True) or "",
                precedence=item.number("precedence"),
                description=item.text("description"),
            )
        )
        item.finish()
    return groups


def _triggers(section: _Reader) -> TriggersConfig:
    token = section.section("pre_token_generation")
    sign_up = section.section("pre_sign_up")
    confirmation = section.section("post_confirmation")
    messages = section.section("custom_message")
    federation = section.section("inbound_federation")
    config = TriggersConfig(
        pre_token_generation=_pre_token_generation(token) if token else None,
        claims_table=bool(token and token.flag("claims_table")),
        pre_sign_up=_pre_sign_up(sign_up) if sign_up else None,
        post_confirmation=_post_confirmation(confirmation) if confirmation else None,
        profile_table=bool(confirmation and confirmation.flag("profile_table")),
        custom_message=_custom_messages(messages) if messages else None,
        inbound_federation=_inbound_federation(federation) if federation else None,
    )
    for part in (section, token, sign_up, confirmation):
        if part is not None:
            part.finish()
    return config


def _pre_token_generation(section: _Reader) -> PreTokenGeneration:
    base = PreTokenGeneration()
    ttl = section.number("cache_ttl_seconds")
    return PreTokenGeneration(
        partition_key=section.text("partition_key") or base.partition_key,
        claims_attributes=section.list_of_text("claims_attributes"),
        groups_attribute=section.text("groups_attribute"),
        groups_claim=section.text("groups_claim"),
        claims_in_access_token=first_set(
            section.flag("claims_in_access_token"), base.claims_in_access_token
        ),
        suppress_claims=section.list_of_text("suppress_claims") or (),
        scopes_to_add=section.list_of_text("scopes_to_add") or (),
        scopes_to_suppress=section.list_of_text("scopes_to_suppress") or (),
        cache_ttl=Duration.seconds(ttl) if ttl is not None else base.cache_ttl,
        fail_mode=section.choice("fail_mode", _FAIL_MODES) or base.fail_mode,
        lambda_version=section.choice("lambda_version", _LAMBDA_VERSIONS) or base.lambda_version,
    )


def _pre_sign_up(section: _Reader) -> PreSignUp:
    return PreSignUp(
        allowed_email_domains=section.list_of_text("allowed_email_domains") or (),
        denied_email_domains=section.list_of_text("denied_email_domains") or (),
        auto_confirm_email_domains=section.list_of_text("auto_confirm_email_domains") or (),
        link_federated_to_existing_user=bool(section.flag("link_federated_to_existing_user")),
        link_trusted_providers=section.list_of_text("link_trusted_providers") or (),
        link_providers_trusted_without_email_verified=(
            section.list_of_text("link_providers_trusted_without_email_verified") or ()
        ),
    )


def _post_confirmation(section: _Reader) -> PostConfirmation:
    base = PostConfirmation()
    return PostConfirmation(
        default_group=section.text("default_group"),
        profile_partition_key=section.text("profile_partition_key") or base.profile_partition_key,
        profile_attributes=section.list_of_text("profile_attributes") or base.profile_attributes,
    )


def _custom_messages(section: _Reader) -> CustomMessages:
    app_name = section.text("app_name") or ""
    templates = section.section("messages")
    messages: dict[str, MessageTemplate] = {}
    for source in templates.names() if templates else []:
        assert templates is not None
        spec = templates.section(source)
        if spec is None:
            continue
        messages[source] = MessageTemplate(
            email_subject=spec.text("email_subject"),
            email_message=spec.text("email_message"),
            sms_message=spec.text("sms_message"),
        )
        spec.finish()
    section.finish()
    return CustomMessages(messages=messages, app_name=app_name)


def _inbound_federation(section: _Reader) -> InboundFederation | None:
    """``enabled`` false (or missing): no trigger (the other keys are still checked)."""
    base = InboundFederation()
    enabled = section.flag("enabled")
    settings = InboundFederation(
        lowercase_email=first_set(section.flag("lowercase_email"), base.lowercase_email),
        email_attributes=section.list_of_text("email_attributes"),
        groups_attribute=section.text("groups_attribute"),
        groups_output_attribute=section.text("groups_output_attribute"),
        groups_allowed=section.list_of_text("groups_allowed") or (),
        groups_max_length=section.number("groups_max_length") or base.groups_max_length,
        drop_attributes=section.list_of_text("drop_attributes") or (),
    )
    section.finish()
    return settings if enabled else None


class _Reader:
    """Reads typed values from one JSON object, recording each problem with its key path."""

    def __init__(self, problems: Problems, path: str, data: Any) -> None:
        self.problems = problems
        self.path = path
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        self.read: list[str] = []
        if not isinstance(data, Mapping):
            problems.add(f"{path}: expected an object, got {data!r}")

    def names(self) -> list[str]:
        self.read.extend(self.data)
        return list(self.data)

    def _get(self, key: str, required: bool) -> Any:
        self.read.append(key)
        value = self.data.get(key)
        if value is None and required:
            self.problems.add(f"{self.path}.{key}: required, but missing")
        return value

    def _typed(self, key: str, kinds: tuple[type, ...], label: str, required: bool) -> Any:
        value = self._get(key, required)
        # bool is an int in Python; JSON's true is not a number here.
        wrong_bool = isinstance(value, bool) and bool not in kinds
        if value is not None and (wrong_bool or not isinstance(value, kinds)):
            self.problems.add(f"{self.path}.{key}: expected {label}, got {value!r}")
            return None
        return value

    def text(self, key: str, *, required: bool = False) -> str | None:
        value: str | None = self._typed(key, (str,), "a string", required)
        return value

    def flag(self, key: str) -> bool | None:
        value: bool | None = self._typed(key, (bool,), "true or false", False)
        return value

    def number(self, key: str) -> int | None:
        value: int | None = self._typed(key, (int,), "a whole number", False)
        return value

    def real(self, key: str) -> float | None:
        value: float | None = self._typed(key, (int, float), "a number", False)
        return value

    def choice(self, key: str, choices: Mapping[str, _E], *, required: bool = False) -> _E | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or value.lower() not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            self.problems.add(f"{self.path}.{key}: expected one of {allowed}, got {value!r}")
            return None
        return choices[value.lower()]

    def list_of_choices(self, key: str, choices: tuple[str, ...]) -> list[str] | None:
        value = self._typed(key, (list,), "a list", False)
        if value is None:
            return None
        unknown = [v for v in value if v not in choices]
        if unknown:
            allowed = ", ".join(repr(c) for c in choices)
            self.problems.add(f"{self.path}.{key}: expected items from {allowed}, got {unknown!r}")
        return [v for v in value if v in choices]

    def list_of_text(self, key: str) -> list[str] | None:
        value = self._typed(key, (list,), "a list of strings", False)
        if value is None:
            return None
        if not all(isinstance(v, str) for v in value):
            self.problems.add(f"{self.path}.{key}: expected a list of strings, got {value!r}")
            return None
        return list(value)

    def section(self, key: str) -> _Reader | None:
        value = self._get(key, False)
        return None if value is None else _Reader(self.problems, f"{self.path}.{key}", value)

    def list_of_sections(self, key: str) -> list[_Reader] | None:
        value = self._typed(key, (list,), "a list", False)
        if value is None:
            return None
        return [_Reader(self.problems, f"{self.path}.{key}[{i}]", v) for i, v in enumerate(value)]

    def finish(self) -> None:
        """Refuse every key that no reader asked for, naming the keys that are known."""
        unknown = sorted(set(self.data) - set(self.read))
        if unknown:
            allowed = ", ".join(sorted(set(self.read)))
            self.problems.add(f"{self.path}: unknown key(s) {', '.join(unknown)}; known: {allowed}")
