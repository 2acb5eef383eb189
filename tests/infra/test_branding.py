"""Managed login styles and classic hosted UI CSS: what reaches the template, what is refused.

https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssetType.html
https://docs.aws.amazon.com/cognito/latest/developerguide/hosted-ui-classic-branding.html
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from aws_cdk import Stack, Token
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Match, Template

from constructs_lib import CognitoAuth, ConfigurationError
from constructs_lib.branding import (
    AssetCategory,
    Branding,
    BrandingAsset,
    ClassicHostedUiStyle,
    ColorMode,
    ManagedLoginStyle,
    Placement,
    normal_color,
)
from constructs_lib.clients import WebClient
from constructs_lib.domain import HostedUi, HostedUiDomain

ROOT = Path(__file__).resolve().parents[2]
LOGO = ROOT / "branding" / "logo.png"
BRANDING = "AWS::Cognito::ManagedLoginBranding"
CLASSIC = "AWS::Cognito::UserPoolUICustomizationAttachment"
CALLBACK = "https://app.example.com/callback"
PREFIX = HostedUiDomain.cognito_prefix("example-app")
CLASSIC_PREFIX = HostedUiDomain.cognito_prefix(
    "example-app", managed_login_version=cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"/>'


def auth(stack: Stack, branding: Branding, domain: HostedUiDomain = PREFIX) -> CognitoAuth:
    return CognitoAuth(
        stack,
        "Auth",
        clients=[
            WebClient(name="web", callback_urls=[CALLBACK]),
            WebClient(name="admin", callback_urls=[CALLBACK]),
        ],
        domain=domain,
        branding=branding,
    )


def brandings(template: Template) -> dict[str, dict[str, object]]:
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in template.find_resources(BRANDING).items()
    }


def test_one_style_for_every_client_with_typed_settings_and_a_logo(stack: Stack) -> None:
    style = ManagedLoginStyle(
        color_scheme_mode=ColorMode.DYNAMIC,
        primary_color="#1F6FEB",
        primary_color_dark="#58a6ffcc",
        link_color="#0969da",
        form_horizontal=Placement.START,
        button_border_radius=8,
        assets=[BrandingAsset(category=AssetCategory.FORM_LOGO, file=LOGO)],
    )
    auth(stack, Branding(style=style))
    found = brandings(Template.from_stack(stack))
    assert len(found) == 2
    for props in found.values():
        assert "UseCognitoProvidedValues" not in props
        assert props["Settings"] == {
            "categories": {
                "global": {"colorSchemeMode": "DYNAMIC"},
                "form": {"location": {"horizontal": "START"}},
            },
            "components": {
                "primaryButton": {
                    "lightMode": {"defaults": {"backgroundColor": "1f6febff"}},
                    "darkMode": {"defaults": {"backgroundColor": "58a6ffcc"}},
                }
            },
            "componentClasses": {
                "link": {"lightMode": {"defaults": {"textColor": "0969daff"}}},
                "buttons": {"borderRadius": 8},
            },
        }
        assert props["Assets"] == [
            {
                "Category": "FORM_LOGO",
                "ColorMode": "DYNAMIC",
                "Extension": "PNG",
                "Bytes": base64.b64encode(LOGO.read_bytes()).decode(),
            }
        ]


def test_a_client_style_overrides_the_shared_one_and_others_keep_cognitos_look(
    stack: Stack,
) -> None:
    auth(stack, Branding(client_styles={"admin": ManagedLoginStyle(primary_color="#000000")}))
    template = Template.from_stack(stack)
    hosted = stack.node.find_child("Auth").node.find_child("HostedUi")
    assert isinstance(hosted, HostedUi)
    web, admin = hosted.brandings["web"], hosted.brandings["admin"]
    # The construct IDs are the ones every release used: Branding<client name>.
    assert (web.node.id, admin.node.id) == ("Brandingweb", "Brandingadmin")
    found = brandings(template)
    assert found[stack.get_logical_id(web)]["UseCognitoProvidedValues"] is True
    assert "Settings" not in found[stack.get_logical_id(web)]
    assert found[stack.get_logical_id(admin)]["Settings"] == {
        "components": {
            "primaryButton": {"lightMode": {"defaults": {"backgroundColor": "000000ff"}}}
        }
    }


def test_a_settings_file_from_the_branding_editor_with_typed_values_over_it(
    stack: Stack, tmp_path: Path
) -> None:
    exported = {
        "ManagedLoginBranding": {
            "Settings": {
                "categories": {"global": {"colorSchemeMode": "LIGHT", "spacingDensity": "REGULAR"}}
            },
            "UseCognitoProvidedValues": False,
        }
    }
    path = tmp_path / "branding.json"
    path.write_text(json.dumps(exported))
    auth(
        stack,
        Branding(style=ManagedLoginStyle(settings_file=path, color_scheme_mode=ColorMode.DARK)),
    )
    Template.from_stack(stack).has_resource_properties(
        BRANDING,
        {
            "Settings": {
                "categories": {"global": {"colorSchemeMode": "DARK", "spacingDensity": "REGULAR"}}
            }
        },
    )


def test_classic_css_for_every_client_and_one_client(stack: Stack) -> None:
    shared = ".banner-customizable { background-color: #1f6feb; }"
    own = "/* admin */ .submitButton-customizable:hover { color: #fff; }"
    auth(
        stack,
        Branding(
            classic=ClassicHostedUiStyle(css=shared),
            classic_client_styles={"admin": ClassicHostedUiStyle(css=own)},
        ),
        domain=CLASSIC_PREFIX,
    )
    template = Template.from_stack(stack)
    template.resource_count_is(BRANDING, 0)
    template.has_resource(
        CLASSIC,
        {
            "Properties": {"ClientId": "ALL", "CSS": shared, "UserPoolId": Match.any_value()},
            "DependsOn": Match.array_with([Match.string_like_regexp("AuthHostedUiDomain")]),
        },
    )
    template.has_resource_properties(
        CLASSIC, {"ClientId": {"Ref": Match.string_like_regexp("AuthClientsadmin")}, "CSS": own}
    )


def test_colours_are_written_as_managed_login_takes_them() -> None:
    assert normal_color("#ABCDEF") == "abcdefff"
    assert normal_color("12345678") == "12345678"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(stack: Stack, branding: Branding, domain: HostedUiDomain = PREFIX) -> str:
    with pytest.raises(ConfigurationError) as raised:
        auth(stack, branding, domain)
    assert stack.node.try_find_child("Auth") is None
    return str(raised.value)


def test_fails_when_a_file_is_not_what_its_name_says(stack: Stack, tmp_path: Path) -> None:
    fake = write(tmp_path, "logo.png", b"GIF89a not a png")
    style = ManagedLoginStyle(assets=[BrandingAsset(category=AssetCategory.FORM_LOGO, file=fake)])
    assert f"branding.style.assets[0].file {str(fake)!r} is named as PNG but holds no image" in (
        refused(stack, Branding(style=style))
    )


def test_fails_when_a_file_type_is_not_one_cognito_takes(stack: Stack, tmp_path: Path) -> None:
    gif = write(tmp_path, "logo.gif", b"GIF89a")
    style = ManagedLoginStyle(assets=[BrandingAsset(category=AssetCategory.FORM_LOGO, file=gif)])
    assert "must be a .png, .jpg, .jpeg, .svg, .ico or .webp file" in refused(
        stack, Branding(style=style)
    )


def test_fails_when_a_favicon_has_the_wrong_format(stack: Stack, tmp_path: Path) -> None:
    svg = write(tmp_path, "icon.svg", SVG)
    style = ManagedLoginStyle(assets=[BrandingAsset(category=AssetCategory.FAVICON_ICO, file=svg)])
    assert "branding.style.assets[0]: FAVICON_ICO takes a ICO file" in refused(
        stack, Branding(style=style)
    )


def test_fails_when_an_image_is_over_cognitos_limit(stack: Stack, tmp_path: Path) -> None:
    big = write(tmp_path, "background.png", LOGO.read_bytes() + b"\0" * 750_001)
    style = ManagedLoginStyle(
        assets=[BrandingAsset(category=AssetCategory.PAGE_BACKGROUND, file=big)]
    )
    assert "Cognito takes at most 1,000,000 Base64 characters (750,000 bytes)" in refused(
        stack, Branding(style=style)
    )


def test_fails_when_the_request_is_over_two_megabytes(stack: Stack, tmp_path: Path) -> None:
    images = [
        BrandingAsset(
            category=category,
            file=write(tmp_path, f"{category.value}.png", LOGO.read_bytes() + b"\0" * 700_000),
        )
        for category in (
            AssetCategory.PAGE_BACKGROUND,
            AssetCategory.FORM_BACKGROUND,
            AssetCategory.PAGE_HEADER_BACKGROUND,
        )
    ]
    assert "over the 2 MB (2,000,000 bytes) Cognito takes in one request" in refused(
        stack, Branding(style=ManagedLoginStyle(assets=images))
    )


def test_fails_when_an_asset_is_given_twice_or_missing(stack: Stack, tmp_path: Path) -> None:
    logo = BrandingAsset(category=AssetCategory.FORM_LOGO, file=LOGO)
    missing = BrandingAsset(category=AssetCategory.PAGE_BACKGROUND, file=tmp_path / "none.png")
    text = refused(stack, Branding(style=ManagedLoginStyle(assets=[logo, logo, missing])))
    assert "branding.style.assets[1]: FORM_LOGO in DYNAMIC mode is given twice" in text
    assert "branding.style.assets[2].file" in text and "cannot be read" in text


def test_fails_when_a_colour_or_radius_is_not_one(stack: Stack) -> None:
    style = ManagedLoginStyle(primary_color="blue", button_border_radius=-1)
    text = refused(stack, Branding(style=style))
    assert (
        "branding.style.primary_color must be a colour like '#1f6feb' or '#1f6febcc', got 'blue'"
    ) in text
    assert "branding.style.button_border_radius must be 0 or more pixels, got -1" in text


def test_fails_when_the_settings_file_is_not_a_json_object(stack: Stack, tmp_path: Path) -> None:
    path = write(tmp_path, "branding.json", b"[1, 2]")
    assert "is not a readable branding settings JSON object" in refused(
        stack, Branding(style=ManagedLoginStyle(settings_file=path))
    )


def test_fails_when_a_client_style_names_an_unknown_client(stack: Stack) -> None:
    assert (
        "branding.client_styles['mobile']: no client 'mobile' signs users in through the hosted "
        "UI; known: 'web', 'admin'"
    ) in refused(stack, Branding(client_styles={"mobile": ManagedLoginStyle()}))


def test_fails_when_classic_css_is_given_for_managed_login(stack: Stack) -> None:
    classic_css = Branding(classic=ClassicHostedUiStyle(css=".logo-customizable { width: 1px }"))
    assert "classic and classic_client_styles apply to the classic hosted UI only" in refused(
        stack, classic_css
    )


def test_fails_when_a_managed_login_style_is_given_for_the_classic_hosted_ui(
    stack: Stack,
) -> None:
    managed = Branding(style=ManagedLoginStyle(primary_color="#000000"))
    assert "but the domain uses the classic hosted UI" in refused(stack, managed, CLASSIC_PREFIX)


def test_fails_when_classic_css_styles_other_classes(stack: Stack) -> None:
    css = ".banner-customizable { color: red } body { margin: 0 } .evil:hover { x: y }"
    text = refused(stack, Branding(classic=ClassicHostedUiStyle(css=css)), domain=CLASSIC_PREFIX)
    assert (
        "the classic hosted UI styles only its *-customizable classes, got '.evil:hover', 'body'"
        in text
    )


def test_fails_when_branding_has_no_domain(stack: Stack) -> None:
    with pytest.raises(ConfigurationError, match=r"branding needs a hosted UI domain"):
        CognitoAuth(stack, "Auth", branding=Branding(style=ManagedLoginStyle()))


def test_does_not_fail_when_a_colour_or_the_css_is_a_token(stack: Stack) -> None:
    color = Token.as_string({"Ref": "BrandColor"})
    auth(stack, Branding(style=ManagedLoginStyle(primary_color=color)))
    Template.from_stack(stack).has_resource_properties(
        BRANDING,
        {
            "Settings": {
                "components": {
                    "primaryButton": {
                        "lightMode": {"defaults": {"backgroundColor": {"Ref": "BrandColor"}}}
                    }
                }
            }
        },
    )


def test_does_not_fail_when_the_classic_css_is_a_token(stack: Stack) -> None:
    css = Token.as_string({"Ref": "LoginCss"})
    auth(stack, Branding(classic=ClassicHostedUiStyle(css=css)), domain=CLASSIC_PREFIX)
    Template.from_stack(stack).has_resource_properties(
        CLASSIC, {"ClientId": "ALL", "CSS": {"Ref": "LoginCss"}}
    )
