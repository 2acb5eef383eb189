"""Your own look for the hosted UI: managed login styles and classic hosted UI CSS.

``ManagedLoginStyle`` is one managed login branding style: typed colours, layout and light/dark
settings, or the settings JSON file the console's branding editor exports (both together: the
typed values win), and image assets read from files. ``Branding`` says which clients get which
style (one for all, others per client) and the CSS of the classic hosted UI.
``branding_problems`` judges it all at synth time; ``HostedUi`` (``constructs_lib/domain.py``)
renders it into ``AWS::Cognito::ManagedLoginBranding`` per client, or
``AWS::Cognito::UserPoolUICustomizationAttachment`` for the classic hosted UI.

Cognito's limits, refused here:

- Asset categories, colour modes and file types are Cognito's enums; a file's bytes must be of
  the type its name says (PNG, JPEG, SVG, ICO, WEBP); ``FAVICON_ICO`` takes an ICO file,
  ``FAVICON_SVG`` an SVG file.
- An asset is at most 1,000,000 characters of Base64 (750,000 bytes of file), a style at most
  40 assets, and one request (settings and assets) at most 2 MB.
- ``UseCognitoProvidedValues`` goes without settings and assets: a style without either keeps
  Cognito's default look.
- The classic hosted UI takes CSS of the ``*-customizable`` classes only, once the pool has a
  domain. CloudFormation's ``AWS::Cognito::UserPoolUICustomizationAttachment`` has no logo
  property ("Setting a logo image isn't supported from AWS CloudFormation"), so a classic logo
  is set in the console or with ``SetUICustomization``, not here:
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpooluicustomizationattachment.html

See https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-brandingeditor.html,
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssetType.html,
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html
and https://docs.aws.amazon.com/cognito/latest/developerguide/hosted-ui-classic-branding.html
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from aws_cdk import aws_cognito as cognito

from constructs_lib.validation import Problems, is_token


class AssetCategory(Enum):
    """Where managed login shows an image (Cognito's ``AssetType.Category``)."""

    FAVICON_ICO = "FAVICON_ICO"
    FAVICON_SVG = "FAVICON_SVG"
    EMAIL_GRAPHIC = "EMAIL_GRAPHIC"
    SMS_GRAPHIC = "SMS_GRAPHIC"
    AUTH_APP_GRAPHIC = "AUTH_APP_GRAPHIC"
    PASSWORD_GRAPHIC = "PASSWORD_GRAPHIC"
    PASSKEY_GRAPHIC = "PASSKEY_GRAPHIC"
    PAGE_HEADER_LOGO = "PAGE_HEADER_LOGO"
    PAGE_HEADER_BACKGROUND = "PAGE_HEADER_BACKGROUND"
    PAGE_FOOTER_LOGO = "PAGE_FOOTER_LOGO"
    PAGE_FOOTER_BACKGROUND = "PAGE_FOOTER_BACKGROUND"
    PAGE_BACKGROUND = "PAGE_BACKGROUND"
    FORM_BACKGROUND = "FORM_BACKGROUND"
    FORM_LOGO = "FORM_LOGO"
    IDP_BUTTON_ICON = "IDP_BUTTON_ICON"


class ColorMode(Enum):
    """When an asset or colour applies: light mode, dark mode, or both (``DYNAMIC``)."""

    LIGHT = "LIGHT"
    DARK = "DARK"
    DYNAMIC = "DYNAMIC"


class Placement(Enum):
    """Where the sign-in form sits on the page, along one axis."""

    START = "START"
    CENTER = "CENTER"
    END = "END"


#: Limits of AssetType and CreateManagedLoginBranding.
ASSET_BASE64_MAX_CHARACTERS = 1_000_000
ASSETS_MAX = 40
REQUEST_MAX_BYTES = 2_000_000
#: The classic hosted UI request is at most 135 KB, of which about 5 KB go to headers.
CLASSIC_CSS_MAX_BYTES = 130_000
#: The classes the classic hosted UI lets CSS style (with these pseudo-classes only).
CLASSIC_CSS_CLASSES = frozenset(
    {
        "background-customizable",
        "banner-customizable",
        "errorMessage-customizable",
        "idpButton-customizable",
        "idpButton-customizable:hover",
        "idpDescription-customizable",
        "inputField-customizable",
        "inputField-customizable:focus",
        "label-customizable",
        "legalText-customizable",
        "logo-customizable",
        "passwordCheck-valid-customizable",
        "passwordCheck-notValid-customizable",
        "redirect-customizable",
        "socialButton-customizable",
        "submitButton-customizable",
        "submitButton-customizable:hover",
        "textDescription-customizable",
    }
)

# File name suffix -> Cognito's Extension.
_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG", ".ico": "ICO"}
_EXTENSIONS[".webp"] = "WEBP"
_REQUIRED_EXTENSION = {AssetCategory.FAVICON_ICO: "ICO", AssetCategory.FAVICON_SVG: "SVG"}
_COLOR = re.compile(r"^#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$")
_SELECTOR_CLASS = re.compile(r"\.([A-Za-z_][\w-]*(?::[\w-]+)?)")


@dataclass(frozen=True, kw_only=True)
class BrandingAsset:
    """An image for managed login, from a file.

    Args:
        category: Where it shows.
        file: A PNG, JPEG, SVG, ICO or WEBP file; its name's suffix gives the type.
        color_mode: Default: ``ColorMode.DYNAMIC`` (light and dark mode).
    """

    category: AssetCategory
    file: str | Path
    color_mode: ColorMode = ColorMode.DYNAMIC

    @property
    def extension(self) -> str | None:
        return _EXTENSIONS.get(Path(self.file).suffix.lower())


@dataclass(frozen=True, kw_only=True)
class ManagedLoginStyle:
    """One managed login branding style. Colours are ``#rrggbb`` or ``#rrggbbaa``.

    Args:
        settings_file: A JSON file from the console's branding editor: the ``Settings``
            object, or the whole answer of ``DescribeManagedLoginBrandingByClient`` (its
            ``ManagedLoginBranding.Settings`` is used). Default: none.
        color_scheme_mode: Light, dark, or following the browser (``DYNAMIC``).
            Default: the settings file's, else Cognito's.
        primary_color: Background of the primary button in light mode. Default: Cognito's.
        primary_color_dark: The same in dark mode. Default: Cognito's.
        link_color: Link text in light mode. Default: Cognito's.
        link_color_dark: Link text in dark mode. Default: Cognito's.
        form_horizontal: Where the form sits across the page. Default: Cognito's (centre).
        form_vertical: Where the form sits down the page. Default: Cognito's (centre).
        button_border_radius: Button corner radius in pixels, 0 or more. Default: Cognito's.
        assets: Images (logo, background, favicon, ...). Default: none.
    """

    settings_file: str | Path | None = None
    color_scheme_mode: ColorMode | None = None
    primary_color: str | None = None
    primary_color_dark: str | None = None
    link_color: str | None = None
    link_color_dark: str | None = None
    form_horizontal: Placement | None = None
    form_vertical: Placement | None = None
    button_border_radius: int | None = None
    assets: Sequence[BrandingAsset] = ()

    @property
    def is_default(self) -> bool:
        """Nothing of its own: Cognito's default look (``UseCognitoProvidedValues``)."""
        return not self.assets and not self._typed() and self.settings_file is None

    def _typed(self) -> dict[tuple[str, ...], Any]:
        """Each typed value at its path in the settings document."""
        values: dict[tuple[str, ...], Any] = {}
        if self.color_scheme_mode is not None:
            values[("categories", "global", "colorSchemeMode")] = self.color_scheme_mode.value
        button = ("components", "primaryButton")
        link = ("componentClasses", "link")
        for path, color in (
            ((*button, "lightMode", "defaults", "backgroundColor"), self.primary_color),
            ((*button, "darkMode", "defaults", "backgroundColor"), self.primary_color_dark),
            ((*link, "lightMode", "defaults", "textColor"), self.link_color),
            ((*link, "darkMode", "defaults", "textColor"), self.link_color_dark),
        ):
            if color is not None:
                # A deploy-time value goes through as it is (written as ``rrggbbaa``).
                values[path] = color if is_token(color) else normal_color(color)
        location = ("categories", "form", "location")
        if self.form_horizontal is not None:
            values[(*location, "horizontal")] = self.form_horizontal.value
        if self.form_vertical is not None:
            values[(*location, "vertical")] = self.form_vertical.value
        if self.button_border_radius is not None:
            values[("componentClasses", "buttons", "borderRadius")] = self.button_border_radius
        return values

    def settings_document(self) -> dict[str, Any] | None:
        """The ``Settings`` JSON: the file's, with the typed values set over it."""
        document: dict[str, Any] = {}
        if self.settings_file is not None:
            document = copy.deepcopy(read_settings_file(self.settings_file))
        typed = self._typed()
        for path, value in typed.items():
            node = document
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value
        return document if document or self.settings_file is not None else None

    def asset_properties(self) -> list[cognito.CfnManagedLoginBranding.AssetTypeProperty]:
        return [
            cognito.CfnManagedLoginBranding.AssetTypeProperty(
                category=asset.category.value,
                color_mode=asset.color_mode.value,
                extension=asset.extension or "",
                bytes=base64.b64encode(Path(asset.file).read_bytes()).decode("ascii"),
            )
            for asset in self.assets
        ]


@dataclass(frozen=True, kw_only=True)
class ClassicHostedUiStyle:
    """CSS for the classic hosted UI: ``css`` or ``css_file``, one of them.

    Args:
        css: The style sheet. Default: none.
        css_file: A file holding it. Default: none.
    """

    css: str | None = None
    css_file: str | Path | None = None

    def text(self) -> str:
        if self.css_file is not None:
            return Path(self.css_file).read_text(encoding="utf-8")
        return self.css or ""


@dataclass(frozen=True, kw_only=True)
class Branding:
    """Which client gets which look.

    Args:
        style: The managed login style of every client without its own. Default: Cognito's
            default look.
        client_styles: Styles by client name. Default: none.
        classic: CSS for the classic hosted UI of every client (``ClientId`` ``ALL``).
            Default: none.
        classic_client_styles: Classic CSS by client name; such a client no longer falls
            back to ``classic``. Default: none.
    """

    style: ManagedLoginStyle | None = None
    client_styles: Mapping[str, ManagedLoginStyle] = field(default_factory=dict)
    classic: ClassicHostedUiStyle | None = None
    classic_client_styles: Mapping[str, ClassicHostedUiStyle] = field(default_factory=dict)

    def style_of(self, name: str) -> ManagedLoginStyle | None:
        return self.client_styles.get(name, self.style)


def normal_color(color: str) -> str:
    """``#1F6FEB`` -> ``1f6febff``: the ``rrggbbaa`` form of managed login settings."""
    match = _COLOR.match(color)
    if match is None:
        raise ValueError(color)
    return (match.group(1) + (match.group(2) or "ff")).lower()


def read_settings_file(path: str | Path) -> dict[str, Any]:
    """The ``Settings`` object of a branding editor export (see ``ManagedLoginStyle``).

    Raises:
        OSError: the file cannot be read.
        ValueError: it is not a JSON object.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("ManagedLoginBranding"), dict):
        data = data["ManagedLoginBranding"].get("Settings")
    if isinstance(data, dict) and set(data) == {"Settings"}:
        data = data["Settings"]
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


def _magic_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data.startswith(b"\x00\x00\x01\x00"):
        return "ICO"
    if b"<svg" in data[:4096]:
        return "SVG"
    return None


def branding_problems(
    branding: Branding,
    problems: Problems,
    *,
    managed_login_clients: Iterable[str] | None = None,
    classic_clients: Iterable[str] | None = None,
    managed_login_version: cognito.ManagedLoginVersion | None = None,
) -> None:
    """Add every problem of ``branding`` to ``problems``; nothing is created.

    Args:
        managed_login_clients: The clients that sign in through the hosted UI. Default:
            unknown (names not checked).
        classic_clients: The same for ``classic_client_styles``. Default:
            ``managed_login_clients``.
        managed_login_version: The domain's version. Default: unknown (not checked).
    """
    classic_version = managed_login_version == cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI
    managed_version = managed_login_version == cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN
    if classic_version and (branding.style is not None or branding.client_styles):
        problems.add(
            "branding: style and client_styles are managed login styles, but the domain uses "
            "the classic hosted UI; use classic= / classic_client_styles= (CSS), or managed login"
        )
    if managed_version and (branding.classic is not None or branding.classic_client_styles):
        problems.add(
            "branding: classic and classic_client_styles apply to the classic hosted UI only, "
            "but the domain uses managed login; use style= / client_styles="
        )
    known = None if managed_login_clients is None else list(managed_login_clients)
    classic_known = known if classic_clients is None else list(classic_clients)
    for label, names, allowed in (
        ("client_styles", branding.client_styles, known),
        ("classic_client_styles", branding.classic_client_styles, classic_known),
    ):
        for name in names:
            if allowed is not None and name not in allowed:
                problems.add(
                    f"branding.{label}[{name!r}]: no client {name!r} signs users in through "
                    f"the hosted UI; known: {', '.join(map(repr, allowed)) or 'none'}"
                )
    if branding.style is not None:
        style_problems(branding.style, "branding.style", problems)
    for name, style in branding.client_styles.items():
        style_problems(style, f"branding.client_styles[{name!r}]", problems)
    if branding.classic is not None:
        classic_problems(branding.classic, "branding.classic", problems)
    for name, classic in branding.classic_client_styles.items():
        classic_problems(classic, f"branding.classic_client_styles[{name!r}]", problems)


def style_problems(style: ManagedLoginStyle, where: str, problems: Problems) -> None:
    """Add every problem of one managed login style to ``problems``."""
    for name in ("primary_color", "primary_color_dark", "link_color", "link_color_dark"):
        value = getattr(style, name)
        if value is not None and not is_token(value) and not _COLOR.match(value):
            problems.add(
                f"{where}.{name} must be a colour like '#1f6feb' or '#1f6febcc', got {value!r}"
            )
    radius = style.button_border_radius
    if radius is not None and radius < 0:
        problems.add(f"{where}.button_border_radius must be 0 or more pixels, got {radius!r}")
    request_bytes = 0
    if style.settings_file is not None:
        try:
            request_bytes += len(json.dumps(read_settings_file(style.settings_file)))
        except (OSError, ValueError) as error:
            problems.add(
                f"{where}.settings_file {str(style.settings_file)!r} is not a readable branding "
                f"settings JSON object: {error}"
            )
    if len(style.assets) > ASSETS_MAX:
        problems.add(f"{where}.assets: at most {ASSETS_MAX} assets, got {len(style.assets)}")
    seen: set[tuple[AssetCategory, ColorMode]] = set()
    for index, asset in enumerate(style.assets):
        request_bytes += _asset_problems(asset, f"{where}.assets[{index}]", problems)
        key = (asset.category, asset.color_mode)
        if key in seen:
            problems.add(
                f"{where}.assets[{index}]: {asset.category.value} in {asset.color_mode.value} "
                "mode is given twice; give each category one image per colour mode"
            )
        seen.add(key)
    if request_bytes > REQUEST_MAX_BYTES:
        problems.add(
            f"{where}: settings and assets come to {request_bytes:,} bytes, over the 2 MB "
            "(2,000,000 bytes) Cognito takes in one request; use smaller images"
        )


def _asset_problems(asset: BrandingAsset, where: str, problems: Problems) -> int:
    """Check one asset; return its size in the request (Base64 characters)."""
    path = Path(asset.file)
    extension = asset.extension
    if extension is None:
        problems.add(
            f"{where}.file {str(asset.file)!r} must be a .png, .jpg, .jpeg, .svg, .ico or .webp "
            "file"
        )
        return 0
    required = _REQUIRED_EXTENSION.get(asset.category)
    if required is not None and extension != required:
        problems.add(
            f"{where}: {asset.category.value} takes a {required} file, got {str(asset.file)!r}"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.add(f"{where}.file {str(asset.file)!r} cannot be read: {error.strerror}")
        return 0
    actual = _magic_type(data)
    if actual != extension:
        problems.add(
            f"{where}.file {str(asset.file)!r} is named as {extension} but holds "
            f"{actual or 'no image Cognito takes'}"
        )
    size = 4 * ((len(data) + 2) // 3)
    if size > ASSET_BASE64_MAX_CHARACTERS:
        problems.add(
            f"{where}.file {str(asset.file)!r} is {len(data):,} bytes ({size:,} in Base64); "
            f"Cognito takes at most {ASSET_BASE64_MAX_CHARACTERS:,} Base64 characters "
            "(750,000 bytes)"
        )
    return size


def classic_problems(style: ClassicHostedUiStyle, where: str, problems: Problems) -> None:
    """Add every problem of classic hosted UI CSS to ``problems``."""
    if (style.css is None) == (style.css_file is None):
        problems.add(f"{where}: give exactly one of css and css_file")
        return
    try:
        css = style.text()
    except OSError as error:
        problems.add(f"{where}.css_file {str(style.css_file)!r} cannot be read: {error.strerror}")
        return
    if is_token(css):
        return
    if len(css.encode("utf-8")) > CLASSIC_CSS_MAX_BYTES:
        problems.add(
            f"{where}: the CSS is {len(css.encode('utf-8')):,} bytes; the classic hosted UI "
            f"takes at most {CLASSIC_CSS_MAX_BYTES:,}"
        )
    stripped = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors = [part.split("{")[0] for part in stripped.split("}") if "{" in part]
    refused = sorted(
        {
            found
            for selector in selectors
            for found in _SELECTOR_CLASS.findall(selector)
            if found not in CLASSIC_CSS_CLASSES
        }
    )
    bare = [s.strip() for s in selectors if s.strip() and not _SELECTOR_CLASS.search(s)]
    if refused or bare:
        shown = [f".{name}" for name in refused] + bare
        problems.add(
            f"{where}: the classic hosted UI styles only its *-customizable classes, got "
            f"{', '.join(map(repr, shown))}; allowed: {', '.join(sorted(CLASSIC_CSS_CLASSES))}"
        )


__all__ = [
    "AssetCategory",
    "Branding",
    "BrandingAsset",
    "ClassicHostedUiStyle",
    "ColorMode",
    "ManagedLoginStyle",
    "Placement",
    "branding_problems",
    "classic_problems",
    "normal_color",
    "read_settings_file",
    "style_problems",
]
