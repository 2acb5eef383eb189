"""The bundled inbound federation trigger, from JSON events as Cognito sends them.

https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-inbound-federation.html
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from lambda_triggers import _runtime, inbound_federation

LoadEvent = Callable[[str], dict[str, Any]]
SAML = "inbound_federation/InboundFederation_ExternalProvider_SAML"
OIDC = "inbound_federation/InboundFederation_ExternalProvider_OIDC"
GOOGLE = "inbound_federation/InboundFederation_ExternalProvider_Google"
SAML_GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
SAML_EMAIL = inbound_federation.SAML_EMAIL_CLAIM


def mapped(event: dict[str, Any]) -> dict[str, str]:
    out = inbound_federation.handler(event, None)
    result: dict[str, str] = out["response"]["userAttributesToMap"]
    return result


def test_saml_email_is_lower_cased_and_groups_joined_for_a_custom_attribute(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GROUPS_ATTRIBUTE", SAML_GROUPS)
    monkeypatch.setenv("GROUPS_OUTPUT_ATTRIBUTE", "groups")
    monkeypatch.setenv("DROP_ATTRIBUTES", "http://example.com/claims/employee-number")

    assert mapped(event(SAML)) == {
        SAML_EMAIL: "ann.lee@example.com",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name": "Ann Lee",
        "groups": "engineering,admins,all-staff",
    }


def test_only_allowed_groups_are_kept(event: LoadEvent, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPS_ATTRIBUTE", SAML_GROUPS)
    monkeypatch.setenv("GROUPS_ALLOWED", "admins,finance")

    assert mapped(event(SAML))[SAML_GROUPS] == "admins"


def test_groups_beyond_the_length_limit_are_left_out_whole(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GROUPS_ATTRIBUTE", SAML_GROUPS)
    monkeypatch.setenv("GROUPS_MAX_LENGTH", "20")

    assert mapped(event(SAML))[SAML_GROUPS] == "engineering,admins"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"level": "warning", "message": "groups left out for the length limit", "count": 1} in (
        lines
    )


def test_oidc_tokens_are_never_passed_on_and_user_info_wins(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GROUPS_ATTRIBUTE", "groups")

    assert mapped(event(OIDC)) == {
        "sub": "0000aaaa-1111-2222-3333-444455556666",
        "email": "bo.chen@partner.example.org",
        "email_verified": "true",
        "groups": "readers,writers",
        "name": "Bo Chen",
        "phone_number": "+15555550100",
    }


def test_nothing_to_change_keeps_every_attribute_with_an_empty_answer(event: LoadEvent) -> None:
    assert mapped(event(GOOGLE)) == {}


def test_structured_claims_become_strings(event: LoadEvent) -> None:
    ev = event(GOOGLE)
    ev["request"]["attributes"]["idToken"].update(email_verified=True, roles=["a", "b"])

    result = mapped(ev)

    assert (result["email_verified"], result["roles"]) == ("true", '["a","b"]')


def test_email_is_left_as_sent_when_lower_casing_is_off(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWERCASE_EMAIL", "false")
    monkeypatch.setenv("GROUPS_ATTRIBUTE", SAML_GROUPS)

    assert mapped(event(SAML))[SAML_EMAIL] == " Ann.Lee@Example.COM "


def test_other_trigger_sources_are_returned_unchanged(event: LoadEvent) -> None:
    ev = event(SAML)
    ev["triggerSource"] = "PreSignUp_ExternalProvider"
    before = json.loads(json.dumps(ev))

    assert inbound_federation.handler(ev, None) == before


def test_an_event_without_a_request_keeps_the_attributes(event: LoadEvent) -> None:
    ev = event(GOOGLE)
    del ev["request"]

    assert mapped(ev) == {}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GROUPS_ALLOWED": "admins"}, "GROUPS_OUTPUT_ATTRIBUTE and GROUPS_ALLOWED need"),
        ({"GROUPS_ATTRIBUTE": "groups", "DROP_ATTRIBUTES": "groups"}, "DROP_ATTRIBUTES names"),
        ({"GROUPS_MAX_LENGTH": "0"}, "GROUPS_MAX_LENGTH must be at least 1, got '0'"),
        ({"LOWERCASE_EMAIL": "yes"}, "LOWERCASE_EMAIL must be 'true' or 'false', got 'yes'"),
    ],
)
def test_fails_when_the_environment_is_unusable(env: dict[str, str], message: str) -> None:
    with pytest.raises(_runtime.ConfigurationError, match=message):
        inbound_federation.Settings.from_env(env)


@pytest.mark.parametrize(
    ("value", "names"),
    [
        (["a", " b", "a"], ["a", "b"]),
        ('["x","y"]', ["x", "y"]),
        ("x, y,,z", ["x", "y", "z"]),
        ("[not json", ["[not json"]),
    ],
)
def test_group_claims_in_every_shape(value: Any, names: list[str]) -> None:
    assert inbound_federation.group_names(value) == names
