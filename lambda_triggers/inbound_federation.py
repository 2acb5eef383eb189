"""Inbound federation trigger: normalise what an identity provider sends before the pool keeps it.

Cognito calls this trigger after it has verified the answer of a SAML, OIDC or social provider,
before it maps the provider's attributes to user pool attributes (the provider's attribute
mapping) and creates or updates the federated user. The event carries the provider's raw
attributes; the response ``userAttributesToMap`` lists the attributes Cognito goes on with.
Cognito keeps every attribute when the response is an empty object, and drops every attribute
the response leaves out otherwise.

``triggerSource`` values handled:

* ``InboundFederation_ExternalProvider``: a user signs in through an external provider
  (``request.providerType`` ``SAML``, ``OIDC``, ``Google``, ``Facebook``, ``SignInWithApple``
  or ``LoginWithAmazon``). Event version ``V1_0``, the only one Cognito offers.
* Any other source: the event is returned unchanged.

What it does, on ``request.attributes.samlResponse`` (SAML) or ``idToken`` then ``userInfo``
(OIDC and social providers; ``userInfo`` wins where both name a claim):

* lower-cases and trims the email addresses (``EMAIL_ATTRIBUTES``), so ``Ann@Example.COM`` from
  one provider and ``ann@example.com`` from another are one address in the pool;
* turns a group claim (``GROUPS_ATTRIBUTE``, a list, a JSON list or a comma-separated string)
  into one comma-separated string under ``GROUPS_OUTPUT_ATTRIBUTE``, keeping only
  ``GROUPS_ALLOWED`` when given and whole group names up to ``GROUPS_MAX_LENGTH`` characters
  (a string user attribute holds 2048); map that name to a custom attribute
  (``custom:groups``) in the provider's attribute mapping;
* drops ``DROP_ATTRIBUTES`` (claims the pool must not store) and, always, the provider's
  tokens in ``tokenResponse`` (``access_token``, ``refresh_token``, ``id_token``): they are
  never copied into attributes.

When nothing changes the response stays ``{}`` (Cognito keeps what it has). When the event is
not what the trigger expects, it logs and returns ``{}`` rather than failing the sign-in.

Environment variables (read once per Lambda instance):
    EMAIL_ATTRIBUTES: Comma-separated claims holding email addresses.
        Default: ``email`` and the SAML claim
        ``http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress``.
    LOWERCASE_EMAIL: ``true`` or ``false``. Default: ``true``.
    GROUPS_ATTRIBUTE: The provider's group claim. Default: unset, groups untouched.
    GROUPS_OUTPUT_ATTRIBUTE: Where the joined groups go. Default: ``GROUPS_ATTRIBUTE``.
    GROUPS_ALLOWED: Comma-separated group names to keep. Default: all.
    GROUPS_MAX_LENGTH: Longest joined value, 1 to 2048. Default: 2048.
    DROP_ATTRIBUTES: Comma-separated claims never passed on. Default: none.

No AWS calls, so no IAM permissions and no network time: well inside Cognito's 5 s.

See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-inbound-federation.html
"""

from __future__ import annotations

import os

# Typing-only imports: ``typing``, ``collections.abc`` and ``dataclasses`` cost several
# milliseconds of cold start, and annotations are strings here (``__future__``).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    Event = dict[str, Any]

# The Lambda runtime imports this file as a top-level module (the asset folder is the code
# root); tests and the wheel import it from the package ``lambda_triggers``. See
# pre_token_generation.py for the same two-step import.
try:
    from . import _runtime
except ImportError:  # pragma: no cover - only when the folder is the Lambda code root
    import _runtime  # type: ignore[no-redef, import-not-found]

EXTERNAL_PROVIDER = "InboundFederation_ExternalProvider"
SAML_EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
DEFAULT_EMAIL_ATTRIBUTES = ("email", SAML_EMAIL_CLAIM)
#: A string user attribute holds at most 2048 characters.
DEFAULT_GROUPS_MAX_LENGTH = 2048
#: The provider's own tokens: never passed on as attributes.
TOKEN_CLAIMS = frozenset({"access_token", "refresh_token", "id_token"})


class Settings(_runtime.Record):
    """The trigger's configuration; see the module docstring for each variable."""

    __slots__ = (
        "drop_attributes",
        "email_attributes",
        "groups_allowed",
        "groups_attribute",
        "groups_max_length",
        "groups_output_attribute",
        "lowercase_email",
    )

    def __init__(
        self,
        *,
        email_attributes: tuple[str, ...] = DEFAULT_EMAIL_ATTRIBUTES,
        lowercase_email: bool = True,
        groups_attribute: str | None = None,
        groups_output_attribute: str | None = None,
        groups_allowed: tuple[str, ...] = (),
        groups_max_length: int = DEFAULT_GROUPS_MAX_LENGTH,
        drop_attributes: tuple[str, ...] = (),
    ) -> None:
        self.email_attributes = email_attributes
        self.lowercase_email = lowercase_email
        self.groups_attribute = groups_attribute
        self.groups_output_attribute = groups_output_attribute or groups_attribute
        self.groups_allowed = groups_allowed
        self.groups_max_length = groups_max_length
        self.drop_attributes = drop_attributes

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read the environment variables.

        Raises:
            _runtime.ConfigurationError: a value the trigger cannot use.
        """
        groups = _runtime.env_str(env, "GROUPS_ATTRIBUTE")
        output = _runtime.env_str(env, "GROUPS_OUTPUT_ATTRIBUTE")
        allowed = _runtime.env_list(env, "GROUPS_ALLOWED")
        if groups is None and (output or allowed):
            raise _runtime.ConfigurationError(
                "GROUPS_OUTPUT_ATTRIBUTE and GROUPS_ALLOWED need GROUPS_ATTRIBUTE (the "
                "provider's group claim)"
            )
        dropped = _runtime.env_list(env, "DROP_ATTRIBUTES")
        kept = [name for name in (groups, output) if name is not None and name in dropped]
        if kept:
            raise _runtime.ConfigurationError(
                f"DROP_ATTRIBUTES names the group claim {kept[0]!r}, which the trigger passes on"
            )
        emails = _runtime.env_list(env, "EMAIL_ATTRIBUTES")
        return cls(
            email_attributes=emails if "EMAIL_ATTRIBUTES" in env else DEFAULT_EMAIL_ATTRIBUTES,
            lowercase_email=_runtime.env_bool(env, "LOWERCASE_EMAIL", True),
            groups_attribute=groups,
            groups_output_attribute=output,
            groups_allowed=allowed,
            groups_max_length=int(
                _runtime.env_number(
                    env,
                    "GROUPS_MAX_LENGTH",
                    DEFAULT_GROUPS_MAX_LENGTH,
                    minimum=1,
                    maximum=DEFAULT_GROUPS_MAX_LENGTH,
                )
            ),
            drop_attributes=dropped,
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


def provider_attributes(request: Mapping[str, Any]) -> dict[str, Any]:
    """The provider's claims as Cognito received them: the SAML assertion's attributes, or the
    ID token's claims overlaid with the userInfo answer. ``tokenResponse`` is left out."""
    attributes = request.get("attributes") or {}
    merged: dict[str, Any] = {}
    parts = ("samlResponse",) if request.get("providerType") == "SAML" else ("idToken", "userInfo")
    for part in parts:
        values = attributes.get(part)
        if isinstance(values, dict):
            merged.update(values)
    return merged


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        import json  # Lazily: only providers that send structured claims need it.

        return json.dumps(value, separators=(",", ":"))
    return str(value)


def group_names(value: Any) -> list[str]:
    """The group names in a claim: a list, a JSON list or a comma-separated string; trimmed,
    without blanks and duplicates, in their first order."""
    if isinstance(value, str) and value.strip().startswith("["):
        import json  # Lazily, as above.

        try:
            value = json.loads(value)
        except ValueError:
            value = str(value)  # not JSON after all: a comma-separated string
    items = value if isinstance(value, list) else str(value).split(",")
    names = (str(item).strip() for item in items)
    return list(dict.fromkeys(name for name in names if name))


def join_groups(names: list[str], config: Settings) -> tuple[str, int]:
    """The allowed names joined with commas, whole names only, within the length limit.

    Returns:
        The joined value and how many names were left out for the limit.
    """
    if config.groups_allowed:
        allowed = set(config.groups_allowed)
        names = [name for name in names if name in allowed]
    joined = ""
    for index, name in enumerate(names):
        candidate = f"{joined},{name}" if joined else name
        if len(candidate) > config.groups_max_length:
            return joined, len(names) - index
        joined = candidate
    return joined, 0


def normalise(request: Mapping[str, Any], config: Settings) -> dict[str, str]:
    """The attributes Cognito should go on with, or ``{}`` when it should keep them as they are
    (pure: no I/O)."""
    claims = provider_attributes(request)
    if not claims:
        return {}
    changed = any(name in claims for name in config.drop_attributes) or bool(
        (request.get("attributes") or {}).get("tokenResponse")
    )
    result: dict[str, str] = {}
    for name, value in claims.items():
        if name in config.drop_attributes or name in TOKEN_CLAIMS:
            changed = changed or name in TOKEN_CLAIMS
            continue
        if name == config.groups_attribute:
            continue
        text = _as_text(value)
        if config.lowercase_email and name in config.email_attributes:
            normal = text.strip().lower()
            changed = changed or normal != text
            text = normal
        elif not isinstance(value, str):
            changed = True
        result[name] = text
    if config.groups_attribute is not None and config.groups_attribute in claims:
        raw = claims[config.groups_attribute]
        joined, left_out = join_groups(group_names(raw), config)
        if left_out:
            _runtime.log("warning", "groups left out for the length limit", count=left_out)
        output = config.groups_output_attribute or config.groups_attribute
        result[output] = joined
        changed = changed or output != config.groups_attribute or joined != raw
    return result if changed else {}


def handler(event: Event, context: object) -> Event:
    """Lambda entry point: set ``response.userAttributesToMap``."""
    source = event.get("triggerSource")
    if source != EXTERNAL_PROVIDER:
        _runtime.log("warning", "unhandled trigger source", trigger_source=source)
        return event
    response = event.get("response")
    if not isinstance(response, dict):
        response = event["response"] = {}
    request = event.get("request")
    if not isinstance(request, dict):
        _runtime.log("error", "inbound federation event without a request")
        response["userAttributesToMap"] = {}
        return event
    config = settings()
    attributes = normalise(request, config)
    response["userAttributesToMap"] = attributes
    _runtime.log(
        "info",
        "federated attributes",
        provider_type=request.get("providerType"),
        changed=bool(attributes),
        count=len(attributes),
    )
    return event
