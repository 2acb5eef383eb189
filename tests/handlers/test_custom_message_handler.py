"""Custom message: templates per trigger source, placeholder rules, safe fallbacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lambda_triggers import custom_message as cm

LoadEvent = Callable[[str], dict[str, Any]]
SOURCES = sorted(cm.TEMPLATE_NAMES)


def set_templates(monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    username = " for ${username}" if source == "CustomMessage_AdminCreateUser" else ""
    monkeypatch.setenv("MESSAGE_APP_NAME", "Example <App>")
    monkeypatch.setenv(cm.env_var_name(source, "email_subject"), "${app_name}: your code")
    monkeypatch.setenv(
        cm.env_var_name(source, "email_message"), f"<p>Code{username}: <b>${{code}}</b></p>"
    )
    monkeypatch.setenv(
        cm.env_var_name(source, "sms_message"), f"${{app_name}} code{username}: ${{code}}"
    )


@pytest.mark.parametrize("source", SOURCES)
def test_each_source_renders_its_templates_keeping_cognito_placeholders(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    set_templates(monkeypatch, source)

    response = cm.handler(event(f"custom_message/{source}"), None)["response"]

    invite = source == "CustomMessage_AdminCreateUser"
    assert response["emailSubject"] == "Example <App>: your code"
    assert response["emailMessage"] == (
        f"<p>Code{' for {username}' if invite else ''}: <b>{{####}}</b></p>"
    )
    assert (
        response["smsMessage"]
        == f"Example <App> code{' for {username}' if invite else ''}: {{####}}"
    )


@pytest.mark.parametrize("source", SOURCES)
def test_without_templates_cognito_keeps_its_own_message(event: LoadEvent, source: str) -> None:
    response = cm.handler(event(f"custom_message/{source}"), None)["response"]

    assert response == {"smsMessage": None, "emailMessage": None, "emailSubject": None}


def test_values_are_html_escaped_in_email_bodies_only(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MESSAGE_SIGN_UP_EMAIL_MESSAGE", "Hi ${username}, code ${code}")
    monkeypatch.setenv("MESSAGE_SIGN_UP_SMS_MESSAGE", "Hi ${username}, code ${code}")
    ev = event("custom_message/CustomMessage_SignUp")
    ev["userName"] = "<script>x</script>"

    response = cm.handler(ev, None)["response"]

    assert response["emailMessage"] == "Hi &lt;script&gt;x&lt;/script&gt;, code {####}"
    assert response["smsMessage"] == "Hi <script>x</script>, code {####}"


def test_resend_code_falls_back_to_the_sign_up_templates(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MESSAGE_SIGN_UP_EMAIL_MESSAGE", "Welcome! Code: ${code}")

    response = cm.handler(event("custom_message/CustomMessage_ResendCode"), None)["response"]

    assert response["emailMessage"] == "Welcome! Code: {####}"


def test_cognito_placeholders_written_literally_are_accepted(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "MESSAGE_ADMIN_CREATE_USER_EMAIL_MESSAGE", "User {username}, pass {####}, $$5"
    )

    response = cm.handler(event("custom_message/CustomMessage_AdminCreateUser"), None)["response"]

    assert response["emailMessage"] == "User {username}, pass {####}, $5"


def test_an_invalid_template_at_run_time_is_skipped_not_fatal(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MESSAGE_FORGOT_PASSWORD_EMAIL_MESSAGE", "No code here")
    monkeypatch.setenv("MESSAGE_FORGOT_PASSWORD_SMS_MESSAGE", "Reset code ${code}")

    response = cm.handler(event("custom_message/CustomMessage_ForgotPassword"), None)["response"]

    assert response["emailMessage"] is None
    assert response["smsMessage"] == "Reset code {####}"
    out = capsys.readouterr().out
    assert "message template skipped" in out and "No code here" not in out


def test_unknown_source_is_returned_unchanged(event: LoadEvent) -> None:
    ev = event("custom_message/CustomMessage_SignUp")
    ev["triggerSource"] = "CustomMessage_Future"

    assert cm.handler(ev, None)["response"]["emailMessage"] is None


# --- validate_template (the constructs call it at synth time) -------------------------------


def test_required_placeholders_per_source() -> None:
    assert cm.REQUIRED_PLACEHOLDERS["CustomMessage_AdminCreateUser"] == {"code", "username"}
    assert all(
        cm.REQUIRED_PLACEHOLDERS[s] == {"code"}
        for s in SOURCES
        if s != "CustomMessage_AdminCreateUser"
    )
    assert set(cm.REQUIRED_PLACEHOLDERS) == set(cm.TEMPLATE_NAMES)


@pytest.mark.parametrize(
    ("source", "text", "field", "problem"),
    [
        ("CustomMessage_SignUp", "Your code", "email_message", "must contain ${code}"),
        ("CustomMessage_AdminCreateUser", "Pass ${code}", "email_message", "${username}"),
        ("CustomMessage_AdminCreateUser", "User ${username}", "sms_message", "${code}"),
        ("CustomMessage_SignUp", "Code ${code} ${name}", "email_message", "unknown placeholders"),
        ("CustomMessage_SignUp", "Code ${code} $", "email_message", "invalid placeholder syntax"),
        ("CustomMessage_SignUp", "x" * 140 + "${code}", "sms_message", "Cognito allows 140"),
        ("CustomMessage_SignUp", "Line\nbreak", "email_subject", "one line"),
        ("CustomMessage_SignUp", "   ", "email_subject", "must not be empty"),
        ("CustomMessage_Nope", "${code}", "email_message", "unknown trigger source"),
        ("CustomMessage_SignUp", "${code}", "body", "unknown message field"),
    ],
)
def test_validate_template_problems(source: str, text: str, field: str, problem: str) -> None:
    problems = cm.validate_template(source, text, field=field)

    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("source", "text", "field"),
    [
        ("CustomMessage_SignUp", "Your code is ${code}", "email_message"),
        ("CustomMessage_SignUp", "Your code is {####}", "sms_message"),
        ("CustomMessage_AdminCreateUser", "${username} / ${code}", "email_message"),
        ("CustomMessage_Authentication", "Sign-in code: $code", "sms_message"),
        ("CustomMessage_SignUp", "Welcome to ${app_name}", "email_subject"),
    ],
)
def test_validate_template_accepts(source: str, text: str, field: str) -> None:
    assert cm.validate_template(source, text, field=field) == []


def test_env_var_names() -> None:
    assert (
        cm.env_var_name("CustomMessage_SignUp", "email_message") == "MESSAGE_SIGN_UP_EMAIL_MESSAGE"
    )
    assert (
        cm.env_var_name("CustomMessage_UpdateUserAttribute", "sms_message")
        == "MESSAGE_UPDATE_USER_ATTRIBUTE_SMS_MESSAGE"
    )
