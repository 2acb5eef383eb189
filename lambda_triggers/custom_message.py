"""Custom message trigger: templated verification, invitation and sign-in messages.

``triggerSource`` values handled (template name in brackets):

* ``CustomMessage_SignUp`` [``SIGN_UP``]: confirmation code after sign-up.
* ``CustomMessage_AdminCreateUser`` [``ADMIN_CREATE_USER``]: invitation with the username and a
  temporary password.
* ``CustomMessage_ResendCode`` [``RESEND_CODE``]: a new confirmation code; falls back to the
  ``SIGN_UP`` templates when its own are unset.
* ``CustomMessage_ForgotPassword`` [``FORGOT_PASSWORD``]: password reset code.
* ``CustomMessage_UpdateUserAttribute`` [``UPDATE_USER_ATTRIBUTE``]: code for a changed email or
  phone number.
* ``CustomMessage_VerifyUserAttribute`` [``VERIFY_USER_ATTRIBUTE``]: code to verify an attribute.
* ``CustomMessage_Authentication`` [``AUTHENTICATION``]: MFA code sent by SMS or email.
* Any other source: the event is returned unchanged.

Templates are Python ``string.Template`` strings with these placeholders:

* ``${code}``: the code (or temporary password). Rendered as Cognito's ``request.codeParameter``
  (``{####}``), which Cognito replaces with the real value after the trigger, so the code never
  passes through this function. Required in every message (not in subjects).
* ``${username}``: the username. For invitations it renders as Cognito's
  ``request.usernameParameter`` (``{username}``), required there; elsewhere as the event's
  ``userName``.
* ``${app_name}``: ``MESSAGE_APP_NAME``.

Writing Cognito's own placeholders literally (``{####}``, ``{username}``) works too; ``$$`` is a
literal dollar sign. Values substituted into email bodies are HTML-escaped. Only code-based
verification is covered (a ``CONFIRM_WITH_LINK`` pool needs ``{##...##}`` link placeholders).

Environment variables (read once per Lambda instance), each optional; an unset template leaves
Cognito's own message (or the pool's message template) in place:
    MESSAGE_<NAME>_EMAIL_SUBJECT: Email subject, e.g. ``MESSAGE_SIGN_UP_EMAIL_SUBJECT``.
    MESSAGE_<NAME>_EMAIL_MESSAGE: Email body (HTML allowed), e.g. ``MESSAGE_SIGN_UP_EMAIL_MESSAGE``.
    MESSAGE_<NAME>_SMS_MESSAGE: SMS text, e.g. ``MESSAGE_AUTHENTICATION_SMS_MESSAGE``.
    MESSAGE_APP_NAME: Value of ``${app_name}``. Default: empty.

The constructs call :func:`validate_template` at synth time to refuse a template that lacks a
required placeholder or exceeds Cognito's length limits; a template that still fails at run time
is skipped (logged), so Cognito sends its default message rather than no code at all.

No AWS calls, so no IAM permissions and no network time.

See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
"""

from __future__ import annotations

import html
import os
from string import Template

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

#: Template name (the ``<NAME>`` in the environment variables) of each trigger source.
TEMPLATE_NAMES: Mapping[str, str] = {
    "CustomMessage_SignUp": "SIGN_UP",
    "CustomMessage_AdminCreateUser": "ADMIN_CREATE_USER",
    "CustomMessage_ResendCode": "RESEND_CODE",
    "CustomMessage_ForgotPassword": "FORGOT_PASSWORD",
    "CustomMessage_UpdateUserAttribute": "UPDATE_USER_ATTRIBUTE",
    "CustomMessage_VerifyUserAttribute": "VERIFY_USER_ATTRIBUTE",
    "CustomMessage_Authentication": "AUTHENTICATION",
}

#: Placeholders each trigger source's messages (email body and SMS) must contain.
REQUIRED_PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    source: frozenset({"code", "username"})
    if source == "CustomMessage_AdminCreateUser"
    else frozenset({"code"})
    for source in TEMPLATE_NAMES
}

#: Placeholders a template may use.
KNOWN_PLACEHOLDERS = frozenset({"code", "username", "app_name"})

#: Cognito's own placeholders, accepted in place of ``${code}`` and ``${username}``.
COGNITO_PLACEHOLDERS: Mapping[str, str] = {"code": "{####}", "username": "{username}"}

#: Message fields: environment-variable suffix, response key and Cognito's length limit.
FIELDS: Mapping[str, tuple[str, str, int]] = {
    "email_subject": ("EMAIL_SUBJECT", "emailSubject", 140),
    "email_message": ("EMAIL_MESSAGE", "emailMessage", 20_000),
    "sms_message": ("SMS_MESSAGE", "smsMessage", 140),
}


def env_var_name(source: str, field: str) -> str:
    """Return the environment variable holding the ``field`` template for ``source``.

    Example: ``env_var_name("CustomMessage_SignUp", "email_message")`` is
    ``"MESSAGE_SIGN_UP_EMAIL_MESSAGE"``.
    """
    return f"MESSAGE_{TEMPLATE_NAMES[source]}_{FIELDS[field][0]}"


def validate_template(source: str, text: str, *, field: str = "email_message") -> list[str]:
    """Check one message template without rendering it for a user (pure; no CDK needed).

    Args:
        source: The trigger source, e.g. ``"CustomMessage_SignUp"``.
        text: The template.
        field: ``"email_subject"``, ``"email_message"`` or ``"sms_message"``.
            Default: ``"email_message"``.

    Returns:
        Problems, each a sentence naming the source and field; empty when the template is usable.
    """
    if source not in TEMPLATE_NAMES:
        return [f"unknown trigger source {source!r} (expected one of {sorted(TEMPLATE_NAMES)})"]
    if field not in FIELDS:
        return [f"unknown message field {field!r} (expected one of {sorted(FIELDS)})"]
    where = f"{source} {field}"
    template = Template(text)
    if not template.is_valid():
        return [f"{where}: invalid placeholder syntax (use ${{name}}, or $$ for a dollar sign)"]
    problems: list[str] = []
    used = set(template.get_identifiers())
    unknown = sorted(used - KNOWN_PLACEHOLDERS)
    if unknown:
        problems.append(
            f"{where}: unknown placeholders {unknown!r} (known: code, username, app_name)"
        )
    if field != "email_subject":
        for name in sorted(REQUIRED_PLACEHOLDERS[source]):
            if name not in used and COGNITO_PLACEHOLDERS[name] not in text:
                problems.append(f"{where}: must contain ${{{name}}} (got {text!r})")
    elif "\n" in text or "\r" in text:
        problems.append(f"{where}: a subject must be one line")
    if not unknown and template.is_valid():
        sample = template.safe_substitute(COGNITO_PLACEHOLDERS, app_name="")
        limit = FIELDS[field][2]
        if not sample.strip():
            problems.append(f"{where}: must not be empty")
        elif len(sample) > limit:
            problems.append(f"{where}: {len(sample)} characters, Cognito allows {limit}")
    return problems


def templates_for(source: str, env: Mapping[str, str]) -> dict[str, str]:
    """Return the configured templates of ``source`` by field (``RESEND_CODE`` -> ``SIGN_UP``)."""
    found = {f: env[env_var_name(source, f)] for f in FIELDS if env.get(env_var_name(source, f))}
    if not found and source == "CustomMessage_ResendCode":
        return templates_for("CustomMessage_SignUp", env)
    return found


def render(
    source: str, templates: Mapping[str, str], event: Mapping[str, Any], app_name: str
) -> dict[str, str]:
    """Render the templates of one event into response fields (pure).

    Templates that fail validation are skipped and logged, leaving Cognito's message.
    """
    request = event.get("request") or {}
    code = str(request.get("codeParameter") or COGNITO_PLACEHOLDERS["code"])
    if source == "CustomMessage_AdminCreateUser":
        username = str(request.get("usernameParameter") or COGNITO_PLACEHOLDERS["username"])
    else:
        username = str(event.get("userName") or "")
    response: dict[str, str] = {}
    for field, text in templates.items():
        problems = validate_template(source, text, field=field)
        if problems:
            _runtime.log("error", "message template skipped", source=source, field=field)
            continue
        # Cognito's placeholders must reach Cognito verbatim; other values are escaped in HTML.
        escape = html.escape if field == "email_message" else str
        values = {
            "code": code,
            "username": username if source == "CustomMessage_AdminCreateUser" else escape(username),
            "app_name": escape(app_name),
        }
        response[FIELDS[field][1]] = Template(text).substitute(values)
    return response


_templates: dict[str, dict[str, str]] | None = None
_app_name = ""


def reset() -> None:
    """Forget the cached templates (tests, or after changing the environment)."""
    global _templates
    _templates = None


def _load() -> dict[str, dict[str, str]]:
    global _templates, _app_name
    if _templates is None:
        env = os.environ
        _app_name = env.get("MESSAGE_APP_NAME", "")
        _templates = {source: templates_for(source, env) for source in TEMPLATE_NAMES}
    return _templates


def handler(event: Event, context: object) -> Event:
    """Lambda entry point: fill ``emailSubject``, ``emailMessage`` and ``smsMessage``."""
    source = event.get("triggerSource")
    if not isinstance(source, str) or source not in TEMPLATE_NAMES:
        _runtime.log("warning", "unhandled trigger source", trigger_source=source)
        return event
    try:
        templates = _load()[source]
        if templates:
            fields = render(source, templates, event, _app_name)
            response = event.get("response") or {}
            response.update(fields)
            event["response"] = response
    except Exception as exc:
        # Never block a code from being sent: fall back to Cognito's own message.
        _runtime.log("error", "custom message failed", error=type(exc).__name__)
    return event
