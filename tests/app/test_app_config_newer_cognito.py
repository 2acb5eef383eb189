"""cdk.json sections for refresh token rotation, branding, terms and inbound federation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from constructs_lib import ConfigurationError
from constructs_lib.app_config import parse_app_config
from constructs_lib.branding import AssetCategory, ColorMode, Placement
from constructs_lib.terms import TermsDocuments

ROOT = Path(__file__).resolve().parents[2]


def shipped() -> dict[str, object]:
    context: dict[str, object] = json.loads((ROOT / "cdk.json").read_text())["context"]
    section: dict[str, object] = context["cognito_auth"]  # type: ignore[assignment]
    return section


def test_as_shipped_rotation_and_branding_are_on_terms_and_inbound_federation_off() -> None:
    config = parse_app_config(shipped())
    web = config.web_client
    assert web.refresh_token_rotation is True
    assert web.refresh_token_rotation_grace_period is not None
    assert web.refresh_token_rotation_grace_period.to_seconds() == 10
    style = config.branding
    assert style is not None
    assert style.color_scheme_mode == ColorMode.DYNAMIC
    assert (style.primary_color, style.primary_color_dark) == ("#1f6feb", "#58a6ff")
    (logo,) = style.assets
    assert (logo.category, str(logo.file)) == (AssetCategory.FORM_LOGO, "branding/logo.png")
    assert (ROOT / logo.file).is_file()
    assert config.terms is None
    assert config.triggers is not None and config.triggers.inbound_federation is None


def test_every_key_is_translated() -> None:
    config = parse_app_config(
        {
            "web_client": {"refresh_token_rotation": {"enabled": False}},
            "branding": {
                "enabled": True,
                "settings_file": "branding/settings.json",
                "form_horizontal": "start",
                "form_vertical": "end",
                "link_color": "#000000",
            },
            "terms": {
                "enabled": True,
                "terms_of_use": {"cognito:default": "https://example.com/t"},
                "privacy_policy": {"cognito:default": "https://example.com/p"},
            },
            "triggers": {
                "inbound_federation": {
                    "enabled": True,
                    "lowercase_email": False,
                    "email_attributes": ["mail"],
                    "groups_attribute": "memberOf",
                    "groups_output_attribute": "groups",
                    "groups_allowed": ["admins"],
                    "groups_max_length": 512,
                    "drop_attributes": ["ssn"],
                }
            },
        }
    )
    assert config.web_client.refresh_token_rotation is False
    style = config.branding
    assert style is not None and style.assets == ()
    assert (style.settings_file, style.form_horizontal, style.form_vertical, style.link_color) == (
        "branding/settings.json",
        Placement.START,
        Placement.END,
        "#000000",
    )
    assert config.terms == TermsDocuments(
        terms_of_use={"cognito:default": "https://example.com/t"},
        privacy_policy={"cognito:default": "https://example.com/p"},
    )
    assert config.triggers is not None
    federation = config.triggers.inbound_federation
    assert federation is not None
    assert federation.environment() == {
        "LOWERCASE_EMAIL": "false",
        "GROUPS_MAX_LENGTH": "512",
        "EMAIL_ATTRIBUTES": "mail",
        "GROUPS_ATTRIBUTE": "memberOf",
        "GROUPS_OUTPUT_ATTRIBUTE": "groups",
        "GROUPS_ALLOWED": "admins",
        "DROP_ATTRIBUTES": "ssn",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"web_client": {"refresh_token_rotation": {"grace": 5}}},
            "cognito_auth.web_client.refresh_token_rotation: unknown key(s) grace; known: "
            "enabled, grace_period_seconds",
        ),
        (
            {"branding": {"enabled": False, "colour": "#fff"}},
            "cognito_auth.branding: unknown key(s) colour; known: ",
        ),
        (
            {"branding": {"enabled": True, "color_scheme_mode": "sepia"}},
            "cognito_auth.branding.color_scheme_mode: expected one of 'light', 'dark', "
            "'dynamic', got 'sepia'",
        ),
        (
            {"terms": {"enabled": False, "terms_of_use": {"cognito:default": 3}}},
            "cognito_auth.terms.terms_of_use.cognito:default: expected a string, got 3",
        ),
        (
            {"triggers": {"inbound_federation": {"enabled": True, "group": "x"}}},
            "cognito_auth.triggers.inbound_federation: unknown key(s) group; known: ",
        ),
    ],
)
def test_fails_when_a_new_section_has_an_unknown_key_or_a_wrong_value(
    raw: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_app_config(raw)
    assert any(message in problem for problem in caught.value.problems), caught.value.problems
