"""Resource servers: the APIs whose custom scopes app clients may ask for.

``ResourceServer`` describes one API and its scopes; ``ResourceServer.scope("read")`` gives a
typed ``CustomScope`` that clients list instead of a ``"orders/read"`` string, so a typo is found
while the app is built. ``resource_servers_problems`` judges the settings without creating
anything; ``ResourceServers`` defines them on any ``IUserPool``.
See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import aws_cognito as cognito
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.validation import Problems, is_token

# Cognito's patterns: an identifier is printable ASCII without '"' or '\'; a scope name also
# excludes '/', which separates it from the identifier in the token's ``scope`` claim.
_IDENTIFIER = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]+$")
_SCOPE_NAME = re.compile(r"^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$")


@dataclass(frozen=True)
class CustomScope:
    """One custom scope of a resource server, as a client asks for it: ``identifier/name``."""

    resource_server: str
    name: str

    @property
    def full_name(self) -> str:
        return f"{self.resource_server}/{self.name}"

    def __str__(self) -> str:
        return self.full_name


@dataclass(frozen=True, kw_only=True)
class ResourceServer:
    """An API protected by access tokens, with the custom scopes clients may be granted.

    Args:
        identifier: Usually the API's URL or a short name (``"orders"``); it prefixes every scope
            (``orders/read``). Changing it replaces the resource server.
        scopes: Scope name to description, e.g. ``{"read": "Read orders"}``. Default: none.
        name: A friendly name for the console. Default: the identifier.
    """

    identifier: str
    scopes: Mapping[str, str]
    name: str | None = None

    def scope(self, name: str) -> CustomScope:
        """The typed reference to scope ``name``; an unknown name is reported when clients are
        judged together with this resource server."""
        return CustomScope(resource_server=self.identifier, name=name)

    @property
    def all_scopes(self) -> list[CustomScope]:
        return [self.scope(name) for name in self.scopes]


def resource_servers_problems(servers: Sequence[ResourceServer], problems: Problems) -> None:
    """Add every problem of ``servers`` to ``problems``; a token as an identifier is refused (it
    names constructs), tokens as scope names or descriptions are not judged."""
    seen: set[str] = set()
    max_id = defaults.RESOURCE_SERVER_IDENTIFIER_MAX_LENGTH
    max_scope = defaults.SCOPE_NAME_MAX_LENGTH
    for server in servers:
        identifier = server.identifier
        where = f"resource_servers[{identifier!r}]"
        if is_token(identifier):
            problems.add(
                "resource_servers: an identifier must be a literal string, got a token: the "
                "resource server's construct ID derives from it, and it prefixes every scope "
                "that clients and authorizers name"
            )
        else:
            if not (1 <= len(identifier) <= max_id and _IDENTIFIER.match(identifier)):
                problems.add(
                    f"resource_servers: identifier {identifier!r} must be 1 to {max_id} printable "
                    "ASCII characters without spaces, '\"' or '\\'"
                )
            if identifier in seen:
                problems.add(
                    f"resource_servers: identifier {identifier!r} is used twice; identifiers "
                    "must be unique in a user pool"
                )
            seen.add(identifier)
        if len(server.scopes) > defaults.RESOURCE_SERVER_SCOPES_MAX:
            problems.add(
                f"{where}.scopes: at most {defaults.RESOURCE_SERVER_SCOPES_MAX} scopes per "
                f"resource server, got {len(server.scopes)}"
            )
        for name, description in server.scopes.items():
            if is_token(name):
                continue
            if not (1 <= len(name) <= max_scope and _SCOPE_NAME.match(name)):
                problems.add(
                    f"{where}.scopes: scope name {name!r} must be 1 to {max_scope} printable "
                    "ASCII characters without spaces, '/', '\"' or '\\'"
                )
            if not is_token(description) and not 1 <= len(description) <= 256:
                problems.add(
                    f"{where}.scopes[{name!r}]: the description must be 1 to 256 characters, "
                    f"got {description!r}"
                )


class ResourceServers(Construct):
    """Defines resource servers on any user pool, new or existing.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        user_pool: The pool to define them on.
        resource_servers: What to define.

    Attributes:
        resource_servers: The ``cognito.UserPoolResourceServer`` of each, by identifier.

    Raises:
        ConfigurationError: for every problem in ``resource_servers``, all at once.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        resource_servers: Sequence[ResourceServer],
    ) -> None:
        problems = Problems(type(self).__name__)
        resource_servers_problems(resource_servers, problems)
        problems.raise_if_any()
        super().__init__(scope, construct_id)
        self.settings = {server.identifier: server for server in resource_servers}
        # The identifier names the resource server in Cognito (changing it replaces it anyway),
        # so it is a stable construct ID; '/' is the one character IDs refuse.
        self.resource_servers: dict[str, cognito.UserPoolResourceServer] = {
            server.identifier: cognito.UserPoolResourceServer(
                self,
                server.identifier.replace("/", "_"),
                user_pool=user_pool,
                identifier=server.identifier,
                user_pool_resource_server_name=server.name or server.identifier,
                scopes=[
                    cognito.ResourceServerScope(scope_name=name, scope_description=description)
                    for name, description in server.scopes.items()
                ],
            )
            for server in resource_servers
        }

    def o_auth_scope(self, scope: CustomScope) -> cognito.OAuthScope:
        """The ``OAuthScope`` for ``scope``; it refers to the resource server, so a client that
        uses it is created after the resource server."""
        server = self.resource_servers[scope.resource_server]
        description = self.settings[scope.resource_server].scopes[scope.name]
        return cognito.OAuthScope.resource_server(
            server,
            cognito.ResourceServerScope(scope_name=scope.name, scope_description=description),
        )


__all__ = [
    "CustomScope",
    "ResourceServer",
    "ResourceServers",
    "resource_servers_problems",
]
