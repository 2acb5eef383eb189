"""Pre sign-up trigger: email domain rules, auto-confirmation and federated account linking.

``triggerSource`` values handled:

* ``PreSignUp_SignUp``: self-service sign-up. Domain rules apply; users from
  ``AUTO_CONFIRM_EMAIL_DOMAINS`` are confirmed without a code (``autoConfirmUser``).
* ``PreSignUp_AdminCreateUser``: an administrator creates the user. Domain rules apply.
* ``PreSignUp_ExternalProvider``: first sign-in through a social, SAML or OIDC provider. Domain
  rules apply and, if enabled, the new identity is linked to an existing native user.
* Any other or a missing source (a source Cognito adds later): the domain rules still apply, and
  nothing else is done; the source is logged as a warning.

Domain rules. The domain is what follows the last ``@`` of the email, normalised before it is
compared, and every rule is normalised the same way: Unicode NFKC (full-width letters and
dots become ``example.com``), the ideographic full stops ``。`` and ``｡`` read as dots, lower case,
one trailing dot removed, then IDNA (``bücher.example`` is compared as ``xn--bcher-kva.example``,
so both spellings meet the same rule). An email whose domain does not survive this (empty labels,
a label over 63 characters) is refused whenever any rule is set. An entry ``example.com`` matches
exactly ``example.com`` (not ``sub.example.com``); an entry starting with a dot or ``*.``,
``.example.com`` or ``*.example.com``, matches every subdomain (``a.example.com``,
``b.a.example.com``) but not ``example.com`` itself; list both for both. The deny list wins over
the allow list; when the allow list is set, a sign-up without an email is refused.

Domain rules run when a user is created, not when an email changes later: see the README
("Bundled Lambda trigger handlers") for how to keep users from changing ``email`` to a refused
domain afterwards.

Verification. This trigger never sets ``autoVerifyEmail`` or ``autoVerifyPhone``: it cannot know
that the person signing up owns the address. Auto-confirmation only skips the confirmation code;
the email stays unverified, so it cannot be used for account recovery or for linking. Use it only
where anyone able to type an address of that domain may have an account.

Account linking (``LINK_FEDERATED_TO_EXISTING_USER=true``). Cognito names a federated user
``<ProviderName>_<subject>``. Provider names may contain underscores and so may subjects, so the
name is not split on the first underscore: it must start with one of ``LINK_TRUSTED_PROVIDERS``
followed by ``_`` (compared case-insensitively, the longest name first); the rest is the subject.
The handler then looks for native users (not ``EXTERNAL_PROVIDER``) with ListUsers and the
filter ``email = "<email>"`` (quotes and backslashes escaped; the comparison is exact as Cognito
applies it), and links only when exactly one enabled native user matches and its
``email_verified`` is ``true``. The federated side must vouch for its email too: its
``email_verified`` attribute must be ``true`` (case-insensitive); ``false``, any other value and a
missing attribute all mean "not linked". Map the provider's claim to ``email_verified`` in the
identity provider's attribute mapping (the Google, Apple and OIDC defaults of
``constructs_lib.federation`` do). Only providers listed in
``LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED`` (each also in ``LINK_TRUSTED_PROVIDERS``) are
linked without the claim: an enterprise SAML or OIDC IdP you control that sends no such claim but
only holds addresses your organisation verified. A sign-up that is not linked goes ahead as a new,
separate user. The link is AdminLinkProviderForUser (Cognito destination, ``Cognito_Subject``
source attribute); an "already linked" answer counts as success, so a retried trigger is harmless.

Security caveat: linking hands the native account to whoever controls the federated identity,
so it trusts the provider's word that this person owns the email address. The handler asks for
that word explicitly (``email_verified=true``) unless you opted a provider out of it by name.
List only providers that verify email addresses (Google, Sign in with Apple, an enterprise IdP you
control); never a provider where users can set an unverified email. Facebook and Login with
Amazon never say whether an email is verified, so the constructs refuse them in both lists. An
opted-out provider is trusted blindly: one account in it with someone else's address takes over
that person's native account. Cognito also ends the very first federated sign-in after a link
with an error ("Already found an entry for username"); the next attempt signs in as the native
user, so apps should retry once.

If the lookup or the link fails, the sign-up is refused with a short message (Cognito retries,
the user can try again) rather than creating a duplicate, unlinked account.

Environment variables (read once per Lambda instance):
    ALLOWED_EMAIL_DOMAINS: Comma-separated domains allowed to sign up. Default: any domain.
    DENIED_EMAIL_DOMAINS: Comma-separated domains refused. Default: none.
    AUTO_CONFIRM_EMAIL_DOMAINS: Comma-separated domains whose ``PreSignUp_SignUp`` users are
        confirmed without a code. Default: none.
    LINK_FEDERATED_TO_EXISTING_USER: ``true``/``false``. Default: ``false``.
    LINK_TRUSTED_PROVIDERS: Comma-separated identity provider names (as configured in the user
        pool, e.g. ``Google,SignInWithApple``) whose users may be linked. Default: none, so
        nothing is linked even when linking is on.
    LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED: Comma-separated names, each also in
        ``LINK_TRUSTED_PROVIDERS``, whose users are linked even without ``email_verified=true``
        (providers that send no such claim but whose emails you trust). Default: none.

IAM (only with linking): ``cognito-idp:ListUsers`` and ``cognito-idp:AdminLinkProviderForUser``
on the user pool. Time budget: two calls, at most 3.5 s including a cold start (see ``_aws``).

See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
and https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-identity-federation-consolidate-users.html
"""

from __future__ import annotations

import os

# Typing-only imports: ``typing``, ``collections.abc`` and ``dataclasses`` cost several
# milliseconds of cold start, and annotations are strings here (``__future__``).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    Event = dict[str, Any]

# The Lambda runtime imports this file as a top-level module (the asset folder is the code
# root); tests and the wheel import it from the package ``lambda_triggers``. See
# pre_token_generation.py for the same two-step import.
try:
    from . import _aws, _runtime
except ImportError:  # pragma: no cover - only when the folder is the Lambda code root
    import _aws  # type: ignore[no-redef, import-not-found]
    import _runtime  # type: ignore[no-redef, import-not-found]

SIGN_UP = "PreSignUp_SignUp"
ADMIN_CREATE_USER = "PreSignUp_AdminCreateUser"
EXTERNAL_PROVIDER = "PreSignUp_ExternalProvider"
SOURCES = frozenset({SIGN_UP, ADMIN_CREATE_USER, EXTERNAL_PROVIDER})

DOMAIN_MESSAGE = "Sign-up is not allowed for this email address."
EMAIL_REQUIRED_MESSAGE = "An email address is required to sign up."
LINK_FAILED_MESSAGE = "We could not finish signing you in. Please try again in a moment."

#: Providers named here are linked without ``email_verified=true`` (an explicit, risky opt-in).
UNVERIFIED_OK_VARIABLE = "LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED"

#: Fragments of the InvalidParameterException messages Cognito returns when the source identity
#: is already linked (older regions word it as a misleading "Invalid SourceUser ..." message).
_ALREADY_LINKED_HINTS = ("already linked", "already exists", "may not be passed in as a sourceuser")


class Settings(_runtime.Record):
    """The trigger's configuration; see the module docstring for each variable."""

    __slots__ = (
        "allowed_domains",
        "auto_confirm_domains",
        "denied_domains",
        "link_federated",
        "link_providers",
        "link_providers_without_email_verified",
    )

    def __init__(
        self,
        *,
        allowed_domains: tuple[str, ...] = (),
        denied_domains: tuple[str, ...] = (),
        auto_confirm_domains: tuple[str, ...] = (),
        link_federated: bool = False,
        link_providers: tuple[str, ...] = (),
        link_providers_without_email_verified: tuple[str, ...] = (),
    ) -> None:
        self.allowed_domains = allowed_domains
        self.denied_domains = denied_domains
        self.auto_confirm_domains = auto_confirm_domains
        self.link_federated = link_federated
        self.link_providers = link_providers
        #: Lower-cased, for a case-insensitive comparison with the provider matched by name.
        self.link_providers_without_email_verified = link_providers_without_email_verified

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read and check the environment variables.

        Raises:
            ConfigurationError: A variable has an unusable value.
        """

        def domains(name: str) -> tuple[str, ...]:
            raw = _runtime.env_list(env, name)
            values = tuple(normalize_rule(d) for d in raw)
            bad = [d for d, v in zip(raw, values, strict=True) if v is None]
            if bad:
                raise _runtime.ConfigurationError(f"{name} has invalid domains: {bad!r}")
            return tuple(v for v in values if v is not None)

        trusted = _runtime.env_list(env, "LINK_TRUSTED_PROVIDERS")
        unverified_ok = tuple(p.lower() for p in _runtime.env_list(env, UNVERIFIED_OK_VARIABLE))
        strays = sorted(set(unverified_ok) - {p.lower() for p in trusted})
        if strays:
            raise _runtime.ConfigurationError(
                f"{UNVERIFIED_OK_VARIABLE} may only name providers of LINK_TRUSTED_PROVIDERS, "
                f"got {strays!r}"
            )
        return cls(
            allowed_domains=domains("ALLOWED_EMAIL_DOMAINS"),
            denied_domains=domains("DENIED_EMAIL_DOMAINS"),
            auto_confirm_domains=domains("AUTO_CONFIRM_EMAIL_DOMAINS"),
            link_federated=_runtime.env_bool(env, "LINK_FEDERATED_TO_EXISTING_USER", False),
            # Longest first, so "Okta_Prod" is tried before "Okta".
            link_providers=tuple(sorted(trusted, key=len, reverse=True)),
            link_providers_without_email_verified=unverified_ok,
        )


_settings: Settings | None = None


def reset() -> None:
    """Forget the cached settings (tests, or after changing the environment)."""
    global _settings
    _settings = None


def settings() -> Settings:
    """Return the settings, read from the environment on first use."""
    global _settings
    if _settings is None:
        _settings = Settings.from_env(os.environ)
    return _settings


# --- pure functions -------------------------------------------------------------------------


#: What ``email_domain`` returns for a domain that cannot be normalised: it matches no rule,
#: and ``check_domain`` refuses it whenever a rule is set.
INVALID_DOMAIN = "\x00invalid"


def normalize_domain(domain: str) -> str | None:
    """``domain`` as rules compare it: NFKC, ideographic dots as dots, lower case, one trailing
    dot removed, IDNA (punycode); ``None`` when it is not a usable domain name."""
    import unicodedata  # only when a rule or an email is read, not at import time

    text = unicodedata.normalize("NFKC", domain).strip()
    text = text.replace("\u3002", ".").replace("\uff61", ".").lower()
    if text.endswith("."):
        text = text[:-1]
    if not text or "@" in text or any(c.isspace() for c in text):
        return None
    try:
        ascii_form = text.encode("idna").decode("ascii")
    except UnicodeError:  # an empty label, a label over 63 characters, a prohibited character
        return None
    return ascii_form.lower()


def normalize_rule(rule: str) -> str | None:
    """A domain rule as compared: ``.name`` / ``*.name`` (subdomains) or ``name``, normalised."""
    text = rule.strip()
    subdomains = text.startswith(("*.", "."))
    name = normalize_domain(text[2:] if text.startswith("*.") else text.lstrip("."))
    if name is None:
        return None
    return f".{name}" if subdomains else name


def email_domain(email: str | None) -> str | None:
    """Return the normalised domain of ``email`` (after the last ``@``), ``None`` without one,
    or ``INVALID_DOMAIN`` when it cannot be normalised."""
    if not email or "@" not in email:
        return None
    raw = email.rsplit("@", 1)[1]
    if not raw.strip():
        return None
    return normalize_domain(raw) or INVALID_DOMAIN


def domain_matches(domain: str, rules: Iterable[str]) -> bool:
    """Tell whether ``domain`` matches a rule: exact name, or any subdomain for ``.name``."""
    for rule in rules:
        if rule.startswith("."):
            if domain.endswith(rule):
                return True
        elif domain == rule:
            return True
    return False


def check_domain(email: str | None, config: Settings) -> None:
    """Refuse an email whose domain the rules do not allow.

    Raises:
        UserFacingError: The domain is denied, not allowed, or the email is missing while an
            allow list is set.
    """
    domain = email_domain(email)
    if domain is None:
        if config.allowed_domains:
            raise _runtime.UserFacingError(EMAIL_REQUIRED_MESSAGE)
        return
    if domain == INVALID_DOMAIN and (config.allowed_domains or config.denied_domains):
        raise _runtime.UserFacingError(DOMAIN_MESSAGE)
    if domain_matches(domain, config.denied_domains):
        raise _runtime.UserFacingError(DOMAIN_MESSAGE)
    if config.allowed_domains and not domain_matches(domain, config.allowed_domains):
        raise _runtime.UserFacingError(DOMAIN_MESSAGE)


def split_federated_username(user_name: str, providers: Iterable[str]) -> tuple[str, str] | None:
    """Split ``<ProviderName>_<subject>`` against the known provider names.

    Args:
        user_name: The event's ``userName``.
        providers: Provider names as configured in the pool, longest first.

    Returns:
        ``(provider name as configured, subject)``, or ``None`` if no provider matches.
    """
    lowered = user_name.lower()
    for provider in providers:
        prefix = provider.lower() + "_"
        if lowered.startswith(prefix) and len(user_name) > len(prefix):
            return provider, user_name[len(prefix) :]
    return None


def email_filter(email: str) -> str:
    """Build a ListUsers filter for an exact email, escaping backslashes and double quotes."""
    escaped = email.replace("\\", "\\\\").replace('"', '\\"')
    return f'email = "{escaped}"'


def pick_link_target(users: Iterable[Mapping[str, Any]], federated_user_name: str) -> str | None:
    """Return the username of the one enabled native user with a verified email, else ``None``.

    Federated users (``EXTERNAL_PROVIDER``) and the user signing up are ignored; two or more
    candidates make the choice ambiguous, so nothing is linked.
    """
    candidates = []
    for user in users:
        if user.get("UserStatus") == "EXTERNAL_PROVIDER" or user.get("Enabled") is False:
            continue
        if user.get("Username") == federated_user_name:
            continue
        attributes = {a["Name"]: a.get("Value") for a in user.get("Attributes", [])}
        if str(attributes.get("email_verified", "")).lower() != "true":
            continue
        candidates.append(str(user["Username"]))
    return candidates[0] if len(candidates) == 1 else None


def federated_email_trusted(attributes: Mapping[str, Any], provider: str, config: Settings) -> bool:
    """Tell whether the federated identity's email may be used to link.

    Only ``email_verified == "true"`` (case-insensitive) counts, unless ``provider`` was opted
    out of the claim by name: a missing claim is not a verified email.
    """
    if str(attributes.get("email_verified", "")).strip().lower() == "true":
        return True
    return provider.lower() in config.link_providers_without_email_verified


def is_already_linked(exc: BaseException) -> bool:
    """Tell whether an AdminLinkProviderForUser error means the link exists already."""
    if _aws.error_code(exc) != "InvalidParameterException":
        return False
    response = getattr(exc, "response", None) or {}
    message = str(response.get("Error", {}).get("Message", "")).lower()
    return any(hint in message for hint in _ALREADY_LINKED_HINTS)


# --- I/O ------------------------------------------------------------------------------------


def link_to_existing_user(event: Event, config: Settings) -> str | None:
    """Link a federated sign-up to the native user with the same verified email.

    Returns:
        The native username linked to, or ``None`` when nothing was linked.

    Raises:
        UserFacingError: ListUsers or AdminLinkProviderForUser failed.
    """
    user_name = str(event.get("userName") or "")
    parsed = split_federated_username(user_name, config.link_providers)
    if parsed is None:
        _runtime.log("info", "link skipped: provider not trusted for linking")
        return None
    provider, subject = parsed
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    email = attributes.get("email")
    if not email:
        _runtime.log("info", "link skipped: no email", provider=provider)
        return None
    if not federated_email_trusted(attributes, provider, config):
        _runtime.log("info", "link skipped: email not verified by provider", provider=provider)
        return None
    pool_id = event["userPoolId"]
    client = _aws.cognito_idp()
    try:
        response = _aws.call(
            lambda: client.list_users(UserPoolId=pool_id, Filter=email_filter(email), Limit=10)
        )
        target = pick_link_target(response.get("Users", []), user_name)
        if target is None:
            _runtime.log("info", "link skipped: no single verified native user", provider=provider)
            return None
        try:
            _aws.call(
                lambda: client.admin_link_provider_for_user(
                    UserPoolId=pool_id,
                    DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": target},
                    SourceUser={
                        "ProviderName": provider,
                        "ProviderAttributeName": "Cognito_Subject",
                        "ProviderAttributeValue": subject,
                    },
                )
            )
        except Exception as exc:
            if not is_already_linked(exc):
                raise
            _runtime.log("info", "link exists already", provider=provider)
    except Exception as exc:
        _runtime.log(
            "error",
            "account linking failed",
            provider=provider,
            error=type(exc).__name__,
            code=_aws.error_code(exc),
        )
        raise _runtime.UserFacingError(LINK_FAILED_MESSAGE) from None
    _runtime.log("info", "linked federated identity", provider=provider)
    return target


def handler(event: Event, context: object) -> Event:
    """Lambda entry point: apply the domain rules, auto-confirmation and account linking."""
    source = event.get("triggerSource")
    if source not in SOURCES:
        # A new or missing source must not skip the rules: they apply, nothing else does.
        _runtime.log("warning", "unknown trigger source, domain rules only", trigger_source=source)
    try:
        config = settings()
        attributes = (event.get("request") or {}).get("userAttributes") or {}
        email = attributes.get("email")
        check_domain(email, config)
        response = event.setdefault("response", {})
        if source == SIGN_UP:
            domain = email_domain(email)
            if domain and domain_matches(domain, config.auto_confirm_domains):
                response["autoConfirmUser"] = True
        if source == EXTERNAL_PROVIDER and config.link_federated:
            link_to_existing_user(event, config)
        return event
    except _runtime.UserFacingError:
        raise
    except Exception as exc:
        detail = str(exc) if isinstance(exc, _runtime.ConfigurationError) else None
        _runtime.log("error", "pre sign-up failed", error=type(exc).__name__, detail=detail)
        raise _runtime.UserFacingError(_runtime.GENERIC_USER_MESSAGE) from None
