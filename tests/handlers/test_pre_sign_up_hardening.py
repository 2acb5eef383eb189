"""Pre sign-up domain rules against look-alike spellings and unknown trigger sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lambda_triggers import _runtime
from lambda_triggers import pre_sign_up as psu

LoadEvent = Callable[[str], dict[str, Any]]
#: "example" in full-width letters (U+FF45...), which NFKC folds to ASCII.
FULL_WIDTH_EXAMPLE = "".join(chr(0xFEE0 + ord(c)) for c in "example")
FULL_WIDTH_DOT = "\uff0e"
IDEOGRAPHIC_DOT = "\u3002"


def sign_up(event: LoadEvent, email: str, source: object = "PreSignUp_SignUp") -> dict[str, Any]:
    ev = event("pre_sign_up/PreSignUp_SignUp")
    ev["request"]["userAttributes"]["email"] = email
    if source is None:
        del ev["triggerSource"]
    else:
        ev["triggerSource"] = source
    return ev


@pytest.mark.parametrize(
    "email",
    [
        f"a@{FULL_WIDTH_EXAMPLE}{FULL_WIDTH_DOT}com",  # full-width letters and dot (NFKC)
        f"a@example{IDEOGRAPHIC_DOT}com",  # ideographic full stop
        "a@EXAMPLE.com.",  # case and a trailing dot
        "a@ExAmPlE.CoM",
    ],
)
def test_a_look_alike_spelling_cannot_pass_a_deny_rule(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, email: str
) -> None:
    monkeypatch.setenv("DENIED_EMAIL_DOMAINS", "example.com")
    with pytest.raises(_runtime.UserFacingError, match=r"^Sign-up is not allowed"):
        psu.handler(sign_up(event, email), None)


@pytest.mark.parametrize(
    "email", ["a@bücher.example", "a@xn--bcher-kva.example", "a@BÜCHER.example"]
)
def test_unicode_and_punycode_spellings_meet_the_same_rule(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, email: str
) -> None:
    monkeypatch.setenv("DENIED_EMAIL_DOMAINS", "bücher.example")
    with pytest.raises(_runtime.UserFacingError, match=r"^Sign-up is not allowed"):
        psu.handler(sign_up(event, email), None)


@pytest.mark.parametrize("email", ["a@example..com", "a@" + "x" * 64 + ".example.com"])
def test_a_domain_that_cannot_be_normalised_is_refused_when_rules_are_set(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, email: str
) -> None:
    monkeypatch.setenv("DENIED_EMAIL_DOMAINS", "blocked.test")
    with pytest.raises(_runtime.UserFacingError, match=r"^Sign-up is not allowed"):
        psu.handler(sign_up(event, email), None)


@pytest.mark.parametrize(
    ("rule", "email", "allowed"),
    [
        ("*.example.com", "a@mail.example.com", True),
        ("*.example.com", "a@example.com", False),
        (".example.com", "a@deep.mail.example.com", True),
        ("example.com", "a@mail.example.com", False),
        (f"*.{FULL_WIDTH_EXAMPLE}.com", "a@mail.example.com", True),
    ],
)
def test_subdomain_rules_are_explicit(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, rule: str, email: str, allowed: bool
) -> None:
    monkeypatch.setenv("ALLOWED_EMAIL_DOMAINS", rule)
    if allowed:
        psu.handler(sign_up(event, email), None)
    else:
        with pytest.raises(_runtime.UserFacingError):
            psu.handler(sign_up(event, email), None)


@pytest.mark.parametrize("source", ["PreSignUp_Future", None, 42])
def test_an_unknown_or_missing_source_does_not_skip_the_rules(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, source: object
) -> None:
    monkeypatch.setenv("DENIED_EMAIL_DOMAINS", "example.com")
    with pytest.raises(_runtime.UserFacingError, match=r"^Sign-up is not allowed"):
        psu.handler(sign_up(event, "a@example.com", source), None)


def test_an_unknown_source_gets_no_auto_confirmation(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTO_CONFIRM_EMAIL_DOMAINS", "example.com")
    result = psu.handler(sign_up(event, "a@example.com", "PreSignUp_Future"), None)
    assert result["response"]["autoConfirmUser"] is False


@pytest.mark.parametrize("rule", ["a..b", "user@example.com", "*.", "exa mple.com"])
def test_fails_when_a_rule_is_not_a_domain(rule: str) -> None:
    with pytest.raises(_runtime.ConfigurationError, match="DENIED_EMAIL_DOMAINS has invalid"):
        psu.Settings.from_env({"DENIED_EMAIL_DOMAINS": rule})
