"""Social and enterprise sign-in: Google, Facebook, Apple, Amazon, SAML and OIDC providers.

One frozen options object per provider kind, each turned into the aws-cdk-lib L2 provider. Secrets
(client secrets, Apple's private key) are ``SecretValue`` references to Secrets Manager that
CloudFormation resolves at deploy time; a plain string is refused with the commands to store it.
(SSM SecureString references are refused too: CloudFormation resolves them only in a short list
of resource properties, and identity providers are not among them.) Where an L2 takes only a
string (Facebook, Amazon, OIDC), the dynamic reference ``{{resolve:...}}`` is what reaches the
template, never the secret.

Attribute mappings start from sensible defaults per provider (email, whether it is verified
where the provider says so, names, picture) and take overrides keyed by the pool's attribute
names (``"email"``, ``"name"``, ``"custom:tenant_id"``).
See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-identity-federation.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from aws_cdk import SecretValue, Stack
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from constructs_lib.user_pool import STANDARD_ATTRIBUTE_NAMES
from constructs_lib.validation import Problems, is_token

# Cognito's provider name pattern ([^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+), 3 to 32
# characters; the social providers' names are fixed and reserved.
_PROVIDER_NAME = re.compile(r"^[^_\s][^\s][^_\s]{1,30}$")
RESERVED_PROVIDER_NAMES = frozenset(
    {"Cognito", "COGNITO", "Google", "Facebook", "SignInWithApple", "LoginWithAmazon"}
)
# IdP identifiers route users by email domain: [\w\s+=.@-]+, at most 40 characters, 50 in all.
_IDENTIFIER = re.compile(r"^[\w\s+=.@-]{1,40}$")
IDENTIFIERS_MAX = 50
# Mapping targets besides the standard attributes that Cognito lets providers write.
_VERIFIED_FLAGS = {"email_verified": "email_verified", "phone_number_verified": None}

_SAML_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"


def _store_hint(what: str) -> str:
    return (
        f"{what} must be a Secrets Manager reference resolved at deploy time, never plain text: "
        "store it with `aws secretsmanager create-secret --name <name> --secret-string <value>` "
        "and pass SecretValue.secrets_manager('<name>')"
    )


@dataclass(frozen=True, kw_only=True)
class GoogleLogin:
    """Sign in with Google (an OAuth client of a Google Cloud project).

    Args:
        client_id: The OAuth client ID.
        client_secret: The OAuth client secret, as a Secrets Manager reference.
        scopes: Default: ``openid email profile``.
        attribute_mapping: Overrides, pool attribute -> Google attribute. Default: email,
            email_verified, given_name, family_name, name, picture.
    """

    client_id: str
    client_secret: SecretValue
    scopes: Sequence[str] = ("openid", "email", "profile")
    attribute_mapping: Mapping[str, str] = field(default_factory=dict)

    name: ClassVar[str] = "Google"


@dataclass(frozen=True, kw_only=True)
class FacebookLogin:
    """Facebook Login. Facebook does not say whether an email is verified, so no mapping sets
    ``email_verified``: never link such accounts to native users by email.

    Args:
        client_id: The Facebook app ID.
        client_secret: The app secret, as a Secrets Manager reference.
        api_version: The Graph API version. Default: the L2's.
        scopes: Default: ``public_profile email``.
        attribute_mapping: Overrides. Default: email, first_name, last_name, name.
    """

    client_id: str
    client_secret: SecretValue
    api_version: str | None = None
    scopes: Sequence[str] = ("public_profile", "email")
    attribute_mapping: Mapping[str, str] = field(default_factory=dict)

    name: ClassVar[str] = "Facebook"


@dataclass(frozen=True, kw_only=True)
class AppleLogin:
    """Sign in with Apple (a Services ID and a private key of an Apple developer team).

    Args:
        client_id: The Services ID.
        team_id: The Apple developer team ID.
        key_id: The ID of the private key.
        private_key: The private key (.p8 contents), as a Secrets Manager reference.
        scopes: Default: ``name email``.
        attribute_mapping: Overrides. Default: email, email_verified, firstName, lastName.
    """

    client_id: str
    team_id: str
    key_id: str
    private_key: SecretValue
    scopes: Sequence[str] = ("name", "email")
    attribute_mapping: Mapping[str, str] = field(default_factory=dict)

    name: ClassVar[str] = "SignInWithApple"


@dataclass(frozen=True, kw_only=True)
class AmazonLogin:
    """Login with Amazon.

    Args:
        client_id: The security profile's client ID.
        client_secret: The client secret, as a Secrets Manager reference.
        scopes: Default: ``profile``.
        attribute_mapping: Overrides. Default: email, name.
    """

    client_id: str
    client_secret: SecretValue
    scopes: Sequence[str] = ("profile",)
    attribute_mapping: Mapping[str, str] = field(default_factory=dict)

    name: ClassVar[str] = "LoginWithAmazon"


@dataclass(frozen=True, kw_only=True)
class SamlLogin:
    """A SAML 2.0 identity provider (Entra ID, Okta, ADFS...). Exactly one of ``metadata_url``
    or ``metadata_file``.

    Args:
        provider_name: The name users and apps refer to (3-32 characters, not a social name).
        metadata_url: Where Cognito fetches the IdP metadata. Default: none.
        metadata_file: A local metadata XML file, embedded in the template. Default: none.
        identifiers: Email domains that route users to this IdP. Default: none.
        sign_requests: Sign authentication requests (RSA-SHA256). Default: False.
        encrypted_assertions: Ask the IdP to encrypt assertions. Default: False.
        idp_initiated: Accept IdP-initiated sign-in (weaker: no request to match). Default: False.
        idp_signout: Sign users out of the IdP as well. Default: False.
        attribute_mapping: Overrides, pool attribute -> SAML claim. Default: email, given name
            and surname from the usual claim URIs.
    """

    provider_name: str
    metadata_url: str | None = None
    metadata_file: str | Path | None = None
    identifiers: Sequence[str] = ()
    sign_requests: bool = False
    encrypted_assertions: bool = False
    idp_initiated: bool = False
    idp_signout: bool = False
    attribute_mapping: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.provider_name


@dataclass(frozen=True, kw_only=True)
class OidcEndpointUrls:
    """Explicit endpoints for an OIDC provider without discovery."""

    authorization: str
    token: str
    user_info: str
    jwks_uri: str


@dataclass(frozen=True, kw_only=True)
class OidcLogin:
    """An OpenID Connect provider.

    Args:
        provider_name: 3-32 characters, not a social provider's name.
        issuer_url: The issuer; discovery reads ``/.well-known/openid-configuration`` below it.
        client_id: The client registered with the provider.
        client_secret: Its secret, as a Secrets Manager reference.
        scopes: Default: ``openid email profile``.
        attribute_request_method: GET or POST to the userInfo endpoint. Default: GET.
        endpoints: Explicit endpoints when discovery is unavailable. Default: discovery.
        identifiers: Email domains that route users to this IdP. Default: none.
        attribute_mapping: Overrides. Default: email, email_verified, given_name, family_name,
            name, picture.
    """

    provider_name: str
    issuer_url: str
    client_id: str
    client_secret: SecretValue
    scopes: Sequence[str] = ("openid", "email", "profile")
    attribute_request_method: cognito.OidcAttributeRequestMethod = (
        cognito.OidcAttributeRequestMethod.GET
    )
    endpoints: OidcEndpointUrls | None = None
    identifiers: Sequence[str] = ()
    attribute_mapping: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.provider_name


IdentityProvider = GoogleLogin | FacebookLogin | AppleLogin | AmazonLogin | SamlLogin | OidcLogin

_OIDC_PROFILE = {
    "email": "email",
    "email_verified": "email_verified",
    "given_name": "given_name",
    "family_name": "family_name",
    "name": "name",
    "picture": "picture",
}
#: Pool attribute -> provider attribute, per provider kind. Only providers that say whether an
#: email is verified map ``email_verified`` (Facebook and Amazon do not).
DEFAULT_ATTRIBUTE_MAPPINGS: Mapping[type, Mapping[str, str]] = {
    GoogleLogin: _OIDC_PROFILE,
    FacebookLogin: {
        "email": "email",
        "given_name": "first_name",
        "family_name": "last_name",
        "name": "name",
    },
    AppleLogin: {
        "email": "email",
        "email_verified": "email_verified",
        "given_name": "firstName",
        "family_name": "lastName",
    },
    AmazonLogin: {"email": "email", "name": "name"},
    SamlLogin: {
        "email": f"{_SAML_CLAIMS}/emailaddress",
        "given_name": f"{_SAML_CLAIMS}/givenname",
        "family_name": f"{_SAML_CLAIMS}/surname",
    },
    OidcLogin: _OIDC_PROFILE,
}


def effective_mapping(provider: IdentityProvider) -> dict[str, str]:
    """The provider's default mapping with the overrides on top."""
    return {**DEFAULT_ATTRIBUTE_MAPPINGS[type(provider)], **provider.attribute_mapping}


# Validation -------------------------------------------------------------------------------


def federation_problems(
    providers: Sequence[IdentityProvider],
    *,
    custom_attributes: Sequence[str] | None,
    stack: Stack,
    problems: Problems,
) -> None:
    """Add every problem of ``providers``; ``custom_attributes`` None means "not known" (an
    existing pool), so custom mapping targets are not judged."""
    seen: set[str] = set()
    for provider in providers:
        where = f"identity_providers[{provider.name!r}]"
        if provider.name in seen:
            problems.add(f"identity_providers: {provider.name!r} is given twice; names are unique")
        seen.add(provider.name)
        if isinstance(provider, (SamlLogin, OidcLogin)):
            _check_custom_provider(where, provider, problems)
        for label, secret in _secrets(provider):
            _check_secret(f"{where}.{label}", secret, stack, problems)
        _check_mapping(where, effective_mapping(provider), custom_attributes, problems)
        issuer = provider.issuer_url if isinstance(provider, OidcLogin) else None
        if issuer and not is_token(issuer) and not issuer.startswith("https://"):
            problems.add(f"{where}.issuer_url must be https, got {issuer!r}")


def _secrets(provider: IdentityProvider) -> list[tuple[str, Any]]:
    if isinstance(provider, AppleLogin):
        return [("private_key", provider.private_key)]
    if isinstance(provider, (GoogleLogin, FacebookLogin, AmazonLogin, OidcLogin)):
        return [("client_secret", provider.client_secret)]
    return []


def _check_secret(where: str, secret: Any, stack: Stack, problems: Problems) -> None:
    if isinstance(secret, str):
        problems.add(f"{where} was given as plain text. {_store_hint(where)}")
        return
    if not isinstance(secret, SecretValue):
        problems.add(f"{where} must be a SecretValue, got {type(secret).__name__}")
        return
    resolved = stack.resolve(secret)
    if isinstance(resolved, str) and resolved.startswith("{{resolve:ssm-secure:"):
        problems.add(
            f"{where} is an SSM SecureString reference, which CloudFormation does not resolve in "
            f"identity providers. {_store_hint(where)}"
        )
        return
    dynamic = isinstance(resolved, str) and resolved.startswith("{{resolve:secretsmanager:")
    # An intrinsic (a NoEcho parameter's Ref, an import) is resolved by CloudFormation too.
    if not (dynamic or isinstance(resolved, dict)):
        problems.add(f"{where} resolves to plain text in the template. {_store_hint(where)}")


def _check_custom_provider(where: str, provider: SamlLogin | OidcLogin, problems: Problems) -> None:
    name = provider.provider_name
    if name in RESERVED_PROVIDER_NAMES:
        problems.add(
            f"{where}.provider_name {name!r} is reserved for Cognito's own providers; "
            "choose another name (for example 'CorporateSSO')"
        )
    elif is_token(name):
        problems.add(
            f"{where}.provider_name must be a literal string, got a token: the provider's "
            "construct ID derives from it, and clients and triggers refer to it by name"
        )
    elif not _PROVIDER_NAME.match(name):
        problems.add(
            f"{where}.provider_name must be 3 to 32 characters without white space, not starting "
            f"or ending with '_', got {name!r}"
        )
    if len(provider.identifiers) > IDENTIFIERS_MAX:
        problems.add(
            f"{where}.identifiers: at most {IDENTIFIERS_MAX}, got {len(provider.identifiers)}"
        )
    bad = [i for i in provider.identifiers if not _IDENTIFIER.match(i)]
    if bad:
        problems.add(
            f"{where}.identifiers must be 1 to 40 characters of letters, digits, spaces and "
            f"+=.@-_, got {bad!r}"
        )
    if isinstance(provider, SamlLogin):
        sources = [s for s in (provider.metadata_url, provider.metadata_file) if s]
        if len(sources) != 1:
            problems.add(
                f"{where} needs exactly one of metadata_url or metadata_file, got {len(sources)}"
            )
        url = provider.metadata_url
        if url and not is_token(url) and not url.startswith("https://"):
            problems.add(f"{where}.metadata_url must be https, got {url!r}")
        file = provider.metadata_file
        if file and not Path(file).is_file():
            problems.add(f"{where}.metadata_file {str(file)!r} is not a file")


def _check_mapping(
    where: str,
    mapping: Mapping[str, str],
    custom_attributes: Sequence[str] | None,
    problems: Problems,
) -> None:
    for target in mapping:
        if target in STANDARD_ATTRIBUTE_NAMES or target in _VERIFIED_FLAGS:
            continue
        if target.startswith("custom:"):
            name = target.removeprefix("custom:")
            if custom_attributes is not None and name not in custom_attributes:
                known = ", ".join(sorted(custom_attributes)) or "none"
                problems.add(
                    f"{where}.attribute_mapping maps to {target!r}, which the pool does not have; "
                    f"its custom attributes: {known}"
                )
            continue
        problems.add(
            f"{where}.attribute_mapping maps to {target!r}, which is not a pool attribute; use a "
            "standard attribute name (email, name, given_name...) or 'custom:<name>'"
        )


# Constructs -------------------------------------------------------------------------------


def _attribute_mapping(mapping: Mapping[str, str]) -> cognito.AttributeMapping:
    standard: dict[str, cognito.ProviderAttribute] = {}
    custom: dict[str, cognito.ProviderAttribute] = {}
    for target, source in mapping.items():
        attribute = cognito.ProviderAttribute.other(source)
        if target.startswith("custom:"):
            custom[target] = attribute
        elif target == "email_verified":
            standard["email_verified"] = attribute
        elif target == "phone_number_verified":
            custom[target] = attribute  # no L2 field; the raw name is what Cognito expects
        else:
            standard[STANDARD_ATTRIBUTE_NAMES[target]] = attribute
    return cognito.AttributeMapping(**standard, custom=custom or None)


def _as_string(secret: SecretValue) -> str:
    # The L2 takes a string here; the dynamic reference, not the secret, is what it receives.
    return secret.unsafe_unwrap()


def define_identity_provider(
    scope: Construct, construct_id: str, user_pool: cognito.IUserPool, provider: IdentityProvider
) -> cognito.IUserPoolIdentityProvider:
    """The L2 provider for ``provider`` on ``user_pool``."""
    mapping = _attribute_mapping(effective_mapping(provider))
    if isinstance(provider, GoogleLogin):
        return cognito.UserPoolIdentityProviderGoogle(
            scope,
            construct_id,
            user_pool=user_pool,
            client_id=provider.client_id,
            client_secret_value=provider.client_secret,
            scopes=list(provider.scopes),
            attribute_mapping=mapping,
        )
    if isinstance(provider, FacebookLogin):
        return cognito.UserPoolIdentityProviderFacebook(
            scope,
            construct_id,
            user_pool=user_pool,
            client_id=provider.client_id,
            client_secret=_as_string(provider.client_secret),
            api_version=provider.api_version,
            scopes=list(provider.scopes),
            attribute_mapping=mapping,
        )
    if isinstance(provider, AppleLogin):
        return cognito.UserPoolIdentityProviderApple(
            scope,
            construct_id,
            user_pool=user_pool,
            client_id=provider.client_id,
            team_id=provider.team_id,
            key_id=provider.key_id,
            private_key_value=provider.private_key,
            scopes=list(provider.scopes),
            attribute_mapping=mapping,
        )
    if isinstance(provider, AmazonLogin):
        return cognito.UserPoolIdentityProviderAmazon(
            scope,
            construct_id,
            user_pool=user_pool,
            client_id=provider.client_id,
            client_secret=_as_string(provider.client_secret),
            scopes=list(provider.scopes),
            attribute_mapping=mapping,
        )
    if isinstance(provider, SamlLogin):
        metadata = (
            cognito.UserPoolIdentityProviderSamlMetadata.url(provider.metadata_url)
            if provider.metadata_url
            else cognito.UserPoolIdentityProviderSamlMetadata.file(
                Path(str(provider.metadata_file)).read_text()
            )
        )
        return cognito.UserPoolIdentityProviderSaml(
            scope,
            construct_id,
            user_pool=user_pool,
            name=provider.provider_name,
            metadata=metadata,
            identifiers=list(provider.identifiers) or None,
            request_signing_algorithm=(
                cognito.SigningAlgorithm.RSA_SHA256 if provider.sign_requests else None
            ),
            encrypted_responses=provider.encrypted_assertions,
            idp_initiated=provider.idp_initiated,
            idp_signout=provider.idp_signout,
            attribute_mapping=mapping,
        )
    endpoints = provider.endpoints
    return cognito.UserPoolIdentityProviderOidc(
        scope,
        construct_id,
        user_pool=user_pool,
        name=provider.provider_name,
        issuer_url=provider.issuer_url,
        client_id=provider.client_id,
        client_secret=_as_string(provider.client_secret),
        scopes=list(provider.scopes),
        attribute_request_method=provider.attribute_request_method,
        endpoints=(
            cognito.OidcEndpoints(
                authorization=endpoints.authorization,
                token=endpoints.token,
                user_info=endpoints.user_info,
                jwks_uri=endpoints.jwks_uri,
            )
            if endpoints
            else None
        ),
        identifiers=list(provider.identifiers) or None,
        attribute_mapping=mapping,
    )


def provider_construct_id(provider: IdentityProvider) -> str:
    """A constant ID per provider: its Cognito name, which identifies it anyway (renaming a
    provider replaces it whatever its ID)."""
    return f"Provider{provider.name.replace('/', '_')}"


def supported_identity_provider(name: str) -> cognito.UserPoolClientIdentityProvider:
    """The client-side reference to a provider by its Cognito name."""
    return cognito.UserPoolClientIdentityProvider.custom(name)
