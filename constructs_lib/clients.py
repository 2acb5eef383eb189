"""App clients: web (public), server (confidential) and machine (client credentials).

Each kind is a frozen settings class; ``clients_problems`` judges a list of them without creating
anything, so ``CognitoAuth`` can report every problem of one call together, and ``AppClients``
defines them on any ``IUserPool``, new or existing.

- ``WebClient``: a browser or mobile app. No secret (it could not keep one); authorization code
  grant, which the app uses with PKCE; SRP sign-in and refresh tokens.
- ``ServerClient``: a backend that signs users in. Cognito generates a secret, which reaches the
  application through a Secrets Manager secret, never a template output or a log line.
- ``MachineClient``: a service calling an API as itself, with the client credentials grant and
  custom scopes of a resource server. Also keeps its secret in Secrets Manager.

Every client: token revocation on, user existence errors prevented, token validities within
Cognito's ranges. Clients that sign users in may write only standard attributes unless told
otherwise, so a user can never set a custom attribute (a tenant, a role) of their own. See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from aws_cdk import Acknowledgment, Annotations, Duration, SecretValue, Validations
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.federation import IdentityProvider, effective_mapping
from constructs_lib.resource_servers import CustomScope, ResourceServer, ResourceServers
from constructs_lib.user_pool import STANDARD_ATTRIBUTE_NAMES
from constructs_lib.validation import Problems, is_token

#: A scope a client may ask for: a standard one (``cognito.OAuthScope.OPENID``) or a typed custom
#: one (``orders.scope("read")``).
Scope = cognito.OAuthScope | CustomScope

# Cognito's ClientName pattern.
_CLIENT_NAME = re.compile(r"^[\w\s+=,.@-]+$")
_LOCAL_HOSTS = ("localhost", "127.0.0.1")
_URLS_MAX = 100
_URL_MAX_LENGTH = 1024
_OPENID_SCOPES_NEEDING_OPENID = ("email", "phone", "profile")
# The ``StandardAttributesMask`` field of each standard attribute name.
_MASK_FIELDS = {
    **STANDARD_ATTRIBUTE_NAMES,
    "email_verified": "email_verified",
    "phone_number_verified": "phone_number_verified",
}


@dataclass(frozen=True, kw_only=True)
class _Client:
    """Settings every kind of client has.

    Args:
        name: The client's name, unique in the call; it is the client's identity here (its
            construct ID and output keys derive from it), so renaming a client replaces it.
        id_token_validity: 5 minutes to 1 day. Default: 60 minutes.
        access_token_validity: 5 minutes to 1 day. Default: 60 minutes.
        refresh_token_validity: 60 minutes to 10 years, and not shorter than the ID and access
            tokens. Default: 30 days.
        auth_session_validity: How long a sign-in session token lasts between steps (MFA), 3 to
            15 minutes. Default: 3 minutes.
        read_attributes: Attributes the client may read. Default: all (Cognito's default).
        write_attributes: Attributes the client's users may write (at sign-up and with
            UpdateUserAttributes), and Cognito may write at a federated sign-in through it; an
            empty list is refused, since Cognito reads it as "every attribute". Default: for web
            and server clients, the standard attributes but ``email_verified`` and
            ``phone_number_verified`` (``defaults.CLIENT_WRITE_ATTRIBUTES``), plus, with
            ``CognitoAuth``, what the identity providers the client offers map; never a custom
            attribute otherwise. For machine clients: Cognito's default (they sign no user in).
        supported_identity_providers: Default: Cognito itself and every identity provider
            registered on the pool in this app.
        refresh_token_rotation: Each refresh returns a new refresh token, and the old one stops
            working after ``refresh_token_rotation_grace_period``, so a stolen refresh token is
            good for one refresh at most. The app must refresh with the token endpoint
            (``grant_type=refresh_token``) or ``GetTokensFromRefreshToken`` and keep the new
            token; Cognito then refuses ``REFRESH_TOKEN_AUTH`` (``InitiateAuth``), so the
            client loses ``ALLOW_REFRESH_TOKEN_AUTH``. Amplify JS refreshes that way from
            aws-amplify 6.15.4; a client whose SDK still refreshes with ``InitiateAuth`` needs
            ``False``. A ``MachineClient`` gets no refresh token, so it may not ask for it. See
            https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
            Default: on for a ``WebClient``, off for a ``ServerClient`` and ``MachineClient``
            (``defaults.WEB_CLIENT_REFRESH_TOKEN_ROTATION``,
            ``defaults.SERVER_CLIENT_REFRESH_TOKEN_ROTATION``).
        refresh_token_rotation_grace_period: How long the previous refresh token still works
            after a rotation, for a retry whose answer was lost: whole seconds from 0 to 60
            (Cognito's range). Only with rotation on.
            Default: ``defaults.REFRESH_TOKEN_ROTATION_GRACE_PERIOD`` (10 seconds).
    """

    name: str
    id_token_validity: Duration | None = None
    access_token_validity: Duration | None = None
    refresh_token_validity: Duration | None = None
    auth_session_validity: Duration | None = None
    read_attributes: cognito.ClientAttributes | None = None
    write_attributes: cognito.ClientAttributes | None = None
    supported_identity_providers: Sequence[cognito.UserPoolClientIdentityProvider] | None = None
    refresh_token_rotation: bool | None = None
    refresh_token_rotation_grace_period: Duration | None = None

    @property
    def effective_refresh_token_rotation(self) -> bool:
        if self.refresh_token_rotation is not None:
            return self.refresh_token_rotation
        if _refreshes_only(self):
            return False
        if isinstance(self, WebClient):
            return defaults.WEB_CLIENT_REFRESH_TOKEN_ROTATION
        if isinstance(self, ServerClient):
            return defaults.SERVER_CLIENT_REFRESH_TOKEN_ROTATION
        return False

    @property
    def effective_rotation_grace_period(self) -> Duration | None:
        """The grace period the client is defined with; None when rotation is off."""
        if not self.effective_refresh_token_rotation:
            return None
        given = self.refresh_token_rotation_grace_period
        return defaults.REFRESH_TOKEN_ROTATION_GRACE_PERIOD if given is None else given


@dataclass(frozen=True, kw_only=True)
class _InteractiveClient(_Client):
    """Settings of clients that sign users in (web and server).

    Args:
        callback_urls: Where the hosted UI may send users back with a code: https, or http on
            localhost / 127.0.0.1; no fragments. At least one when OAuth is on. Default: none.
        logout_urls: Where the hosted UI may send users after signing out. Default: none.
        scopes: What the client may ask for. Default: ``openid``, ``email``, ``profile``.
        o_auth: Sign in through the hosted UI and the OAuth endpoints. False: only through the
            user pool API (SRP) with the app's own forms. Default: True.
        flows: The OAuth grants. The implicit grant also needs ``allow_implicit_grant=True``.
            Default: authorization code only.
        allow_implicit_grant: Accept the implicit grant, which puts tokens in URLs; leaves a synth
            warning. Default: False.
        auth_flows: Sign-in through the user pool API. USER_PASSWORD_AUTH sends the password and
            leaves a synth warning. Default: SRP (and refresh tokens, always).
    """

    callback_urls: Sequence[str] = ()
    logout_urls: Sequence[str] = ()
    scopes: Sequence[Scope] | None = None
    o_auth: bool = True
    flows: cognito.OAuthFlows | None = None
    allow_implicit_grant: bool = False
    auth_flows: cognito.AuthFlow | None = None

    @property
    def effective_scopes(self) -> Sequence[Scope]:
        return defaults.WEB_CLIENT_SCOPES if self.scopes is None else self.scopes

    @property
    def effective_flows(self) -> cognito.OAuthFlows:
        return self.flows or defaults.WEB_CLIENT_O_AUTH_FLOWS


@dataclass(frozen=True, kw_only=True)
class WebClient(_InteractiveClient):
    """A public client for a browser or mobile app: no secret; authorization code with PKCE.

    See ``_InteractiveClient`` and ``_Client`` for the arguments.
    """


@dataclass(frozen=True, kw_only=True)
class ServerClient(_InteractiveClient):
    """A confidential client for a backend: Cognito generates a secret, delivered through a
    Secrets Manager secret (JSON ``{"client_id", "client_secret"}``).

    Args:
        secret_name: The Secrets Manager secret's name. Default: generated by CloudFormation.

    See ``_InteractiveClient`` and ``_Client`` for the other arguments.
    """

    secret_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class MachineClient(_Client):
    """A client for service-to-service calls: client credentials with custom scopes only.

    Args:
        scopes: Custom scopes of resource servers (``orders.scope("read")``), at least one.
        secret_name: The Secrets Manager secret's name. Default: generated by CloudFormation.

    See ``_Client`` for the other arguments.
    """

    scopes: Sequence[Scope] = ()
    secret_name: str | None = None


AppClient = WebClient | ServerClient | MachineClient


def default_clients() -> tuple[WebClient, ...]:
    """What ``CognitoAuth()`` defines for a new pool: one public web client that signs users in
    with SRP through the pool's API (``defaults.DEFAULT_CLIENT_NAME``)."""
    return (WebClient(name=defaults.DEFAULT_CLIENT_NAME, o_auth=defaults.DEFAULT_CLIENT_O_AUTH),)


def client_attributes(names: Iterable[str]) -> cognito.ClientAttributes:
    """``cognito.ClientAttributes`` from Cognito's attribute names (``"name"``,
    ``"email_verified"``, ``"custom:tenant_id"``)."""
    names = list(names)
    standard = {_MASK_FIELDS[n]: True for n in names if not n.startswith("custom:")}
    custom = [n for n in names if n.startswith("custom:")]
    return (
        cognito.ClientAttributes()
        .with_standard_attributes(**standard)
        .with_custom_attributes(*custom)
    )


def writable_attributes(
    client: AppClient, identity_providers: Sequence[IdentityProvider] = ()
) -> dict[str, str]:
    """The attributes that users of ``client`` may write, each with the reason it is writable.

    A ``MachineClient`` signs nobody in: none. A client with ``write_attributes``: those.
    Otherwise ``defaults.CLIENT_WRITE_ATTRIBUTES`` plus every attribute that an identity provider
    the client offers maps: Cognito writes mapped attributes at each federated sign-in with the
    client's write permission, and refuses the sign-in without it.

    Args:
        identity_providers: The providers of the pool; a client offers all of them unless it
            lists its own ``supported_identity_providers``. Default: none.
    """
    if isinstance(client, MachineClient):
        return {}
    if client.write_attributes is not None:
        return dict.fromkeys(client.write_attributes.attributes(), "its write_attributes")
    writable = dict.fromkeys(defaults.CLIENT_WRITE_ATTRIBUTES, "the default write attributes")
    if not client.o_auth:
        return writable  # federated sign-in goes through OAuth: none through this client
    offered = client.supported_identity_providers
    names = None if offered is None else {p.name for p in offered}
    for provider in identity_providers:
        if names is None or provider.name in names:
            for attribute in effective_mapping(provider):
                writable.setdefault(attribute, f"identity provider {provider.name!r} maps it")
    return writable


def native_write_problems(
    clients: Sequence[AppClient],
    identity_providers: Sequence[IdentityProvider],
    problems: Problems,
) -> None:
    """Refuse a client that offers native sign-in (``COGNITO``) *and* identity providers whose
    mappings need attributes that users may not write themselves (``email_verified``,
    ``phone_number_verified``, any ``custom:`` attribute).

    Cognito writes mapped attributes at a federated sign-in with the client's write permission,
    so the client must be allowed to write them; a native user of the same client could then set
    them too (UpdateUserAttributes), for example mark a foreign email verified or choose a
    ``custom:tenant_id``. Separate clients keep them apart; an explicit ``write_attributes`` on
    the client accepts the risk by name.
    """
    for client in clients:
        if isinstance(client, MachineClient) or client.write_attributes is not None:
            continue
        if not client.o_auth:
            continue  # no federated sign-in through it, so nothing mapped is writable
        offered = client.supported_identity_providers
        names = None if offered is None else {p.name for p in offered}
        if names is not None and "COGNITO" not in names and not _signs_in_natively(client):
            continue  # federated only: no native user signs in through it
        providers = [p for p in identity_providers if names is None or p.name in names]
        privileged = sorted(
            {
                attribute
                for provider in providers
                for attribute in effective_mapping(provider)
                if attribute not in defaults.CLIENT_WRITE_ATTRIBUTES
            }
        )
        if privileged:
            federated = ", ".join(f"{p.name!r}" for p in providers)
            problems.add(
                f"clients[{client.name!r}] offers native sign-in (COGNITO) and identity "
                f"providers ({federated}) whose attribute mappings write {privileged!r}; the "
                "client must then let its users write them, so a native user could set them "
                "(for example mark an email verified). Use two clients: one with "
                "supported_identity_providers=[UserPoolClientIdentityProvider.COGNITO] and one "
                "with only the providers; or list write_attributes on this client to accept it"
            )


def _is_federated_only(client: _InteractiveClient) -> bool:
    offered = client.supported_identity_providers
    return offered is not None and all(p.name != "COGNITO" for p in offered)


def _refreshes_only(client: _Client) -> bool:
    """A federated-only client without flows of its own: its one explicit flow is
    ``ALLOW_REFRESH_TOKEN_AUTH``, so that no pool password signs in through it (an empty list
    would be Cognito's default, SRP and custom auth). Cognito refuses that flow together with
    refresh token rotation, so such a client cannot rotate. See
    https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
    """
    return (
        isinstance(client, _InteractiveClient)
        and client.auth_flows is None
        and _is_federated_only(client)
    )


def _signs_in_natively(client: _InteractiveClient) -> bool:
    """Whether ``auth_flows`` given on the client let a native user sign in through the API."""
    flows = client.auth_flows
    return flows is not None and any(
        bool(getattr(flows, f))
        for f in ("user_srp", "user_password", "custom", "admin_user_password", "user")
    )


def with_provider_write_attributes(
    clients: Sequence[AppClient], identity_providers: Sequence[IdentityProvider]
) -> list[AppClient]:
    """``clients``, where a web or server client without ``write_attributes`` also may write
    what the identity providers it offers map (see ``writable_attributes``)."""
    if not identity_providers:
        return list(clients)
    return [
        client
        if isinstance(client, MachineClient) or client.write_attributes is not None
        else replace(
            client,
            write_attributes=client_attributes(writable_attributes(client, identity_providers)),
        )
        for client in clients
    ]


def output_key(name: str) -> str:
    """The client's name in PascalCase, letters and digits only, as output keys spell it
    (``web`` -> ``Web``, ``my-backend`` -> ``MyBackend``), so ``ClientIdWeb`` reads like
    ``UserPoolId``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name))


def _scope_name(scope: Scope) -> str:
    return scope.full_name if isinstance(scope, CustomScope) else scope.scope_name


def _is_custom(scope: Scope) -> bool:
    return isinstance(scope, CustomScope) or (
        not is_token(scope.scope_name) and "/" in scope.scope_name
    )


def clients_problems(
    clients: Sequence[AppClient],
    problems: Problems,
    *,
    resource_servers: Sequence[ResourceServer] | None = None,
    has_domain: bool | None = None,
) -> None:
    """Add every problem of ``clients`` to ``problems``; a token as a client name is refused (it
    names constructs), other tokens are not judged.

    Args:
        resource_servers: The resource servers the clients' custom scopes must belong to.
            Default: unknown (typed scopes are not checked against them).
        has_domain: Whether the pool has a hosted UI domain, which every OAuth flow needs.
            Default: unknown (not checked).
    """
    seen: dict[str, str] = {}
    for client in clients:
        name = client.name
        where = f"clients[{name!r}]"
        if is_token(name):
            problems.add(
                "clients: a client name must be a literal string, got a token: the client's "
                "construct ID and output keys derive from it"
            )
        else:
            max_len = defaults.CLIENT_NAME_MAX_LENGTH
            if not (1 <= len(name) <= max_len and _CLIENT_NAME.match(name)):
                problems.add(
                    f"clients: name {name!r} must be 1 to {max_len} letters, digits, spaces or "
                    "+=,.@_-"
                )
            key = output_key(name).lower()
            if key in seen:
                same = "is used twice" if seen[key] == name else f"and {seen[key]!r} are alike"
                problems.add(
                    f"clients: name {name!r} {same}; names must differ in their letters or "
                    "digits, case aside (they name the client's construct and outputs)"
                )
            seen[key] = name
        _check_validity(client, where, problems)
        _check_rotation(client, where, problems)
        written = client.write_attributes
        if written is not None and not written.attributes():
            problems.add(
                f"{where}.write_attributes lists no attribute, which Cognito reads as its "
                "default: every attribute writable, custom ones included; list the attributes "
                "the client may write, or leave write_attributes out for the library's default"
            )
        _check_scopes(client, where, resource_servers, problems)
        if isinstance(client, MachineClient):
            _check_machine(client, where, has_domain, problems)
        else:
            _check_interactive(client, where, has_domain, problems)


def _check_validity(client: _Client, where: str, problems: Problems) -> None:
    checked: dict[str, Duration] = {}
    for field, given, default, (low, high) in (
        (
            "id_token_validity",
            client.id_token_validity,
            defaults.ID_TOKEN_VALIDITY,
            defaults.ID_TOKEN_VALIDITY_RANGE,
        ),
        (
            "access_token_validity",
            client.access_token_validity,
            defaults.ACCESS_TOKEN_VALIDITY,
            defaults.ACCESS_TOKEN_VALIDITY_RANGE,
        ),
        (
            "refresh_token_validity",
            client.refresh_token_validity,
            defaults.REFRESH_TOKEN_VALIDITY,
            defaults.REFRESH_TOKEN_VALIDITY_RANGE,
        ),
        (
            "auth_session_validity",
            client.auth_session_validity,
            defaults.AUTH_SESSION_VALIDITY,
            defaults.AUTH_SESSION_VALIDITY_RANGE,
        ),
    ):
        value = default if given is None else given
        if value.is_unresolved():
            continue
        seconds = value.to_seconds()
        ok = low.to_seconds() <= seconds <= high.to_seconds() and seconds % 60 == 0
        if problems.check(
            ok,
            f"{where}.{field} must be whole minutes from {low.to_human_string()} to "
            f"{high.to_human_string()} (Cognito's range), got {value.to_human_string()!r}",
        ):
            checked[field] = value
    refresh = checked.get("refresh_token_validity")
    for field in ("id_token_validity", "access_token_validity"):
        token = checked.get(field)
        if refresh is not None and token is not None and token.to_seconds() > refresh.to_seconds():
            problems.add(
                f"{where}.{field} ({token.to_human_string()!r}) must not be longer than "
                f"refresh_token_validity ({refresh.to_human_string()!r})"
            )


def _check_rotation(client: _Client, where: str, problems: Problems) -> None:
    """Refresh token rotation: Cognito's grace period range, and only where it can apply."""
    grace = client.refresh_token_rotation_grace_period
    if isinstance(client, MachineClient) and client.refresh_token_rotation:
        problems.add(
            f"{where}.refresh_token_rotation=True: the client credentials grant issues no "
            "refresh token, so there is nothing to rotate; leave it out"
        )
        return
    if client.refresh_token_rotation and _refreshes_only(client):
        problems.add(
            f"{where}.refresh_token_rotation=True on a client that offers identity providers "
            "only: its one sign-in flow is ALLOW_REFRESH_TOKEN_AUTH (so no pool password signs "
            "in through it), which Cognito refuses with rotation; drop refresh_token_rotation, "
            "or give auth_flows of your own"
        )
        return
    if grace is not None and not client.effective_refresh_token_rotation:
        problems.add(
            f"{where}.refresh_token_rotation_grace_period applies only with rotation on, but "
            "refresh_token_rotation is off; drop the grace period or set "
            "refresh_token_rotation=True"
        )
        return
    if grace is None:
        return
    if grace.is_unresolved():
        # aws-cdk-lib's UserPoolClient converts the period to seconds and compares it at synth
        # time, which a deploy-time value cannot take part in.
        problems.add(
            f"{where}.refresh_token_rotation_grace_period must be known at synth time "
            "(UserPoolClient converts and checks it then), got a deploy-time value; give "
            "Duration.seconds(<0 to 60>)"
        )
        return
    low, high = defaults.REFRESH_TOKEN_ROTATION_GRACE_PERIOD_RANGE
    millis = grace.to_milliseconds()
    problems.check(
        low.to_milliseconds() <= millis <= high.to_milliseconds() and millis % 1000 == 0,
        f"{where}.refresh_token_rotation_grace_period must be whole seconds from "
        f"{int(low.to_seconds())} to {int(high.to_seconds())} (Cognito's range), got "
        f"{grace.to_human_string()!r}",
    )


def _check_scopes(
    client: AppClient,
    where: str,
    resource_servers: Sequence[ResourceServer] | None,
    problems: Problems,
) -> None:
    scopes = client.effective_scopes if isinstance(client, _InteractiveClient) else client.scopes
    if resource_servers is None:
        return
    known = {server.identifier: server for server in resource_servers}
    for scope in scopes:
        if not isinstance(scope, CustomScope) or is_token(scope.resource_server):
            continue
        server = known.get(scope.resource_server)
        if server is None:
            problems.add(
                f"{where}.scopes: {scope.full_name!r} names resource server "
                f"{scope.resource_server!r}, which is not in resource_servers; known: "
                f"{', '.join(map(repr, known)) or 'none'}"
            )
        elif scope.name not in server.scopes:
            problems.add(
                f"{where}.scopes: {scope.full_name!r} is not a scope of resource server "
                f"{server.identifier!r}; its scopes: {', '.join(map(repr, server.scopes))}"
            )


def _check_machine(
    client: MachineClient, where: str, has_domain: bool | None, problems: Problems
) -> None:
    # Client credentials issue only an access token: no user signs in, so there is no ID
    # token, no refresh token and no identity provider to offer.
    # https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
    unused = [
        f
        for f in (
            "id_token_validity",
            "refresh_token_validity",
            "auth_session_validity",
            "write_attributes",
            "supported_identity_providers",
        )
        if getattr(client, f) is not None
    ]
    if unused:
        problems.add(
            f"{where}: {', '.join(unused)} do not apply to a MachineClient: the client "
            "credentials grant signs no user in and issues only an access token; drop them"
        )
    names = [_scope_name(s) for s in client.scopes]
    if not client.scopes:
        problems.add(
            f"{where}.scopes: a MachineClient needs at least one custom scope of a resource "
            "server (client credentials grant only custom scopes), got none"
        )
    standard = [n for s, n in zip(client.scopes, names, strict=True) if not _is_custom(s)]
    if standard:
        problems.add(
            f"{where}.scopes: the client credentials grant allows only custom scopes, got "
            f"{', '.join(map(repr, standard))}"
        )
    if has_domain is False:
        problems.add(
            f"{where}: the client credentials grant uses the token endpoint of a hosted UI "
            "domain; give domain=HostedUiDomain.cognito_prefix(...) or .custom_domain(...)"
        )


def _check_interactive(
    client: _InteractiveClient, where: str, has_domain: bool | None, problems: Problems
) -> None:
    if not client.o_auth:
        given = [
            f for f in ("callback_urls", "logout_urls", "flows", "scopes") if getattr(client, f)
        ]
        if given:
            problems.add(
                f"{where}: {', '.join(given)} apply only to OAuth, but o_auth=False; drop them "
                "or set o_auth=True"
            )
        return
    flows = client.effective_flows
    code, implicit, credentials = (
        bool(flows.authorization_code_grant),
        bool(flows.implicit_code_grant),
        bool(flows.client_credentials),
    )
    if not (code or implicit or credentials):
        problems.add(
            f"{where}.flows turns every OAuth grant off; use o_auth=False for a client without "
            "OAuth, or enable authorization_code_grant"
        )
    if implicit and not client.allow_implicit_grant:
        problems.add(
            f"{where}.flows: implicit_code_grant=True returns tokens in the URL, where browser "
            "history and referrers leak them; use the authorization code grant with PKCE, or "
            "accept the risk with allow_implicit_grant=True"
        )
    if credentials:
        if isinstance(client, WebClient):
            problems.add(
                f"{where}.flows: client_credentials needs a client secret, which a WebClient "
                "(public) cannot keep; use a MachineClient"
            )
        elif code or implicit:
            problems.add(
                f"{where}.flows: Cognito does not allow client_credentials together with "
                "authorization_code_grant or implicit_code_grant; use a separate MachineClient"
            )
        standard = [_scope_name(s) for s in client.effective_scopes if not _is_custom(s)]
        if standard or not client.effective_scopes:
            problems.add(
                f"{where}.scopes: client_credentials needs at least one custom scope and only "
                f"custom scopes, got {[_scope_name(s) for s in client.effective_scopes]!r}"
            )
    user_flows = code or implicit
    if user_flows and not client.callback_urls:
        problems.add(
            f"{where}.callback_urls: OAuth sign-in needs at least one callback URL, got none "
            "(e.g. 'https://app.example.com/callback', or o_auth=False)"
        )
    for field in ("callback_urls", "logout_urls"):
        urls: Sequence[str] = getattr(client, field)
        if len(urls) > _URLS_MAX:
            problems.add(f"{where}.{field}: at most {_URLS_MAX} URLs, got {len(urls)}")
        for url in urls:
            problem = _url_problem(url)
            if problem:
                problems.add(f"{where}.{field}: {url!r} {problem}")
    names = {_scope_name(s) for s in client.effective_scopes}
    needs_openid = sorted(names & set(_OPENID_SCOPES_NEEDING_OPENID))
    if user_flows and needs_openid and "openid" not in names:
        problems.add(
            f"{where}.scopes: {', '.join(map(repr, needs_openid))} need 'openid' too "
            "(add cognito.OAuthScope.OPENID)"
        )
    if has_domain is False:
        problems.add(
            f"{where}: OAuth flows need a hosted UI domain; give "
            "domain=HostedUiDomain.cognito_prefix(...) or .custom_domain(...), or set "
            "o_auth=False on the client"
        )


def _url_problem(url: str) -> str | None:
    if is_token(url):
        return None
    if len(url) > _URL_MAX_LENGTH:
        return f"is longer than {_URL_MAX_LENGTH} characters"
    if "#" in url:
        return "must not contain a fragment ('#...'); Cognito refuses it"
    if "*" in url:
        # Cognito compares redirect_uri with the registered URLs exactly: a wildcard matches
        # nothing. https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html
        return "must not contain a wildcard ('*'): Cognito matches each URL exactly; list every URL"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "is not a valid URL"
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and host in _LOCAL_HOSTS:
        return None
    return "must be an https URL (http only on localhost or 127.0.0.1)"


class AppClients(Construct):
    """Defines app clients on any user pool, new or existing.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        user_pool: The pool the clients belong to.
        clients: What to define.
        resource_servers: Resource servers defined in this app, so typed custom scopes refer to
            them (and the clients are created after them). Default: none (typed scopes become
            plain ``identifier/name`` strings of existing resource servers).

    Attributes:
        clients: The ``cognito.UserPoolClient`` of each client, by name.
        secrets: The Secrets Manager secret holding the client id and secret of each server and
            machine client, by name.

    Raises:
        ConfigurationError: for every problem in ``clients``, all at once.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        clients: Sequence[AppClient],
        resource_servers: ResourceServers | None = None,
    ) -> None:
        problems = Problems(type(self).__name__)
        known = list(resource_servers.settings.values()) if resource_servers else None
        clients_problems(clients, problems, resource_servers=known)
        problems.raise_if_any()
        super().__init__(scope, construct_id)
        self._resource_servers = resource_servers
        self.settings: dict[str, AppClient] = {client.name: client for client in clients}
        self.clients: dict[str, cognito.UserPoolClient] = {}
        self.secrets: dict[str, secretsmanager.Secret] = {}
        for client in clients:
            self.clients[client.name] = self._add_client(user_pool, client)

    def scopes_of(self, name: str) -> list[str]:
        """The scope names client ``name`` may ask for, as they appear in tokens."""
        client = self.settings[name]
        if isinstance(client, _InteractiveClient):
            if not client.o_auth:
                return []
            return [_scope_name(s) for s in client.effective_scopes]
        return [_scope_name(s) for s in client.scopes]

    def _o_auth_scope(self, scope: Scope) -> cognito.OAuthScope:
        if not isinstance(scope, CustomScope):
            return scope
        servers = self._resource_servers
        if servers is not None and scope.resource_server in servers.resource_servers:
            return servers.o_auth_scope(scope)
        return cognito.OAuthScope.custom(scope.full_name)

    def _add_client(
        self, user_pool: cognito.IUserPool, client: AppClient
    ) -> cognito.UserPoolClient:
        confidential = not isinstance(client, WebClient)
        o_auth: cognito.OAuthSettings | None = None
        auth_flows: cognito.AuthFlow | None
        if isinstance(client, MachineClient):
            auth_flows = cognito.AuthFlow()  # no user sign-in at all; set below
            o_auth = cognito.OAuthSettings(
                flows=cognito.OAuthFlows(client_credentials=True),
                scopes=[self._o_auth_scope(s) for s in client.scopes],
            )
        else:
            auth_flows = client.auth_flows or defaults.WEB_CLIENT_AUTH_FLOWS
            if client.o_auth:
                o_auth = cognito.OAuthSettings(
                    flows=client.effective_flows,
                    callback_urls=list(client.callback_urls) or None,
                    logout_urls=list(client.logout_urls) or None,
                    scopes=[self._o_auth_scope(s) for s in client.effective_scopes],
                )
        # The name identifies the client in this library (settings, outputs, ``clients``), so
        # it is the construct ID: unrelated changes never move it, and a rename is a new client.
        machine = isinstance(client, MachineClient)
        created = cognito.UserPoolClient(
            self,
            client.name,
            user_pool=user_pool,
            user_pool_client_name=client.name,
            generate_secret=confidential,
            auth_flows=auth_flows,
            o_auth=o_auth,
            disable_o_auth=o_auth is None,
            # A machine gets an access token only (see _check_machine).
            id_token_validity=None
            if machine
            else (client.id_token_validity or defaults.ID_TOKEN_VALIDITY),
            access_token_validity=client.access_token_validity or defaults.ACCESS_TOKEN_VALIDITY,
            refresh_token_validity=None
            if machine
            else (client.refresh_token_validity or defaults.REFRESH_TOKEN_VALIDITY),
            auth_session_validity=None
            if machine
            else (client.auth_session_validity or defaults.AUTH_SESSION_VALIDITY),
            read_attributes=client.read_attributes,
            write_attributes=(
                client_attributes(defaults.CLIENT_WRITE_ATTRIBUTES)
                if client.write_attributes is None and not machine
                else client.write_attributes
            ),
            # Without a list, aws-cdk-lib offers every provider of the pool; a machine offers
            # only Cognito's own (no user signs in through any).
            supported_identity_providers=(
                [cognito.UserPoolClientIdentityProvider.COGNITO]
                if machine
                else list(client.supported_identity_providers)
                if client.supported_identity_providers is not None
                else None
            ),
            enable_token_revocation=defaults.ENABLE_TOKEN_REVOCATION,
            prevent_user_existence_errors=defaults.PREVENT_USER_EXISTENCE_ERRORS,
            # Set: RefreshTokenRotation ENABLED, and the L2 leaves ALLOW_REFRESH_TOKEN_AUTH out
            # of ExplicitAuthFlows, which Cognito refuses together with rotation.
            # https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html
            refresh_token_rotation_grace_period=client.effective_rotation_grace_period,
        )
        if isinstance(client, MachineClient) or (
            client.auth_flows is None and _is_federated_only(client)
        ):
            # An empty ExplicitAuthFlows would give Cognito's default (SRP and custom auth);
            # a machine never signs a user in, and a federated-only client signs users in
            # through its providers, never with a pool password: they may only refresh. (A
            # native user signing in through a federated client would get its write
            # permission for the providers' mapped attributes.)
            cfn = created.node.default_child
            assert isinstance(cfn, cognito.CfnUserPoolClient)
            cfn.explicit_auth_flows = ["ALLOW_REFRESH_TOKEN_AUTH"]
        if not isinstance(client, WebClient):
            self.secrets[client.name] = _add_secret(created, client)
        self._warn_about_risky_choices(created, client)
        return created

    @staticmethod
    def _warn_about_risky_choices(created: cognito.UserPoolClient, client: AppClient) -> None:
        if isinstance(client, MachineClient):
            return
        if client.o_auth and client.effective_flows.implicit_code_grant:
            Annotations.of(created).add_warning_v2(
                "cognito-auth:implicit-grant",
                f"clients[{client.name!r}] allows the implicit grant: tokens travel in URLs and "
                "can leak through history and referrers; prefer the authorization code grant.",
            )
        if client.auth_flows is not None and client.auth_flows.user_password:
            Annotations.of(created).add_warning_v2(
                "cognito-auth:user-password-auth",
                f"clients[{client.name!r}] allows USER_PASSWORD_AUTH: the password is sent to "
                "Cognito as it is typed; SRP never sends it.",
            )


def _add_secret(
    created: cognito.UserPoolClient, client: ServerClient | MachineClient
) -> secretsmanager.Secret:
    cfn = created.node.default_child
    assert isinstance(cfn, cognito.CfnUserPoolClient)
    # The secret's value comes from the client's ClientSecret attribute at deploy time: it never
    # appears in the template, an output or a log. (``user_pool_client_secret`` would need a
    # Lambda-backed custom resource to read it instead.)
    secret = secretsmanager.Secret(
        created,
        "Secret",
        secret_name=client.secret_name,
        description=f"Cognito app client {client.name!r}: client_id and client_secret",
        secret_object_value={
            "client_id": SecretValue.unsafe_plain_text(created.user_pool_client_id),
            "client_secret": SecretValue.resource_attribute(cfn.attr_client_secret),
        },
    )
    Validations.of(secret).acknowledge(
        Acknowledgment(
            id="AwsSolutions-SMG4",
            reason=(
                "The value is the app client's secret, generated and owned by Cognito; rotating "
                "the copy in Secrets Manager cannot change it. Rotate by replacing the client."
            ),
        )
    )
    return secret


__all__ = [
    "AppClient",
    "AppClients",
    "MachineClient",
    "Scope",
    "ServerClient",
    "WebClient",
    "client_attributes",
    "clients_problems",
    "default_clients",
    "native_write_problems",
    "output_key",
    "with_provider_write_attributes",
    "writable_attributes",
]
