"""How applications reach the pool: resource servers, app clients and the hosted UI together,
and the configuration a frontend or backend needs to use them.

``CognitoAuth`` uses these; they also work on their own on any ``IUserPool``:
``app_access_problems`` judges the three arguments together (a client's typed scope against the
resource servers, OAuth flows against the domain), ``define_app_access`` defines them in order,
``consumer_config`` lists the values consumers need, and ``ConsumerParameters`` publishes them as
SSM parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from constructs_lib.branding import Branding
from constructs_lib.clients import (
    AppClient,
    AppClients,
    MachineClient,
    clients_problems,
    output_key,
)
from constructs_lib.domain import HostedUi, HostedUiDomain, hosted_ui_domain_problems
from constructs_lib.resource_servers import (
    ResourceServer,
    ResourceServers,
    resource_servers_problems,
)
from constructs_lib.validation import Problems, is_token

# SSM parameter names: '/' separated segments of letters, digits and _.-
_PARAMETER_PREFIX = re.compile(r"^(/[A-Za-z0-9_.-]+)+$")


def app_access_problems(
    *,
    clients: Sequence[AppClient],
    resource_servers: Sequence[ResourceServer],
    domain: HostedUiDomain | None,
    new_pool: bool,
    stack: Stack | None,
    problems: Problems,
) -> None:
    """Add every problem of the three arguments to ``problems``; nothing is created.

    Args:
        new_pool: The pool is defined in this app, so every resource server and the domain are
            known; for an existing pool they may exist already and are not required here.
        stack: The stack the domain goes into. Default: unknown (Region checks skipped).
    """
    resource_servers_problems(resource_servers, problems)
    clients_problems(
        clients,
        problems,
        resource_servers=resource_servers if new_pool else None,
        has_domain=True if domain is not None else (False if new_pool else None),
    )
    if domain is not None:
        hosted_ui_domain_problems(domain, problems, stack=stack)


@dataclass(frozen=True)
class AppAccess:
    """What ``define_app_access`` defined; a part is None when it was not asked for."""

    resource_servers: ResourceServers | None = None
    app_clients: AppClients | None = None
    hosted_ui: HostedUi | None = None


def define_app_access(
    scope: Construct,
    *,
    user_pool: cognito.IUserPool,
    clients: Sequence[AppClient] = (),
    resource_servers: Sequence[ResourceServer] = (),
    domain: HostedUiDomain | None = None,
    branding: Branding | None = None,
) -> AppAccess:
    """Define resource servers, then clients (their scopes refer to the servers), then the
    domain with a managed login branding for every client that signs users in (``branding``'s
    style, else Cognito's default).

    The construct IDs ``ResourceServers``, ``Clients`` and ``HostedUi`` under ``scope`` are
    constant; a part that is not asked for is not defined at all.
    """
    servers = (
        ResourceServers(
            scope, "ResourceServers", user_pool=user_pool, resource_servers=resource_servers
        )
        if resource_servers
        else None
    )
    app_clients = (
        AppClients(scope, "Clients", user_pool=user_pool, clients=clients, resource_servers=servers)
        if clients
        else None
    )
    hosted_ui = None
    if domain is not None:
        signing_in = {
            client.name: app_clients.clients[client.name]
            for client in clients
            if app_clients is not None and not isinstance(client, MachineClient) and client.o_auth
        }
        hosted_ui = HostedUi(
            scope,
            "HostedUi",
            user_pool=user_pool,
            domain=domain,
            clients=signing_in,
            branding=branding,
        )
    return AppAccess(resource_servers=servers, app_clients=app_clients, hosted_ui=hosted_ui)


def consumer_config(
    *,
    user_pool: cognito.IUserPool,
    issuer_url: str,
    jwks_url: str,
    access: AppAccess,
) -> dict[str, str]:
    """The values a frontend or backend needs, keyed as CloudFormation output IDs.

    ``Region``, ``UserPoolId``, ``UserPoolArn``, ``IssuerUrl``, ``JwksUrl``; per client
    ``ClientId<Name>`` and
    ``Scopes<Name>`` (space separated, as the OAuth ``scope`` parameter takes them), and
    ``ClientSecretArn<Name>`` for server and machine clients (the ARN only, never the secret);
    with a domain ``HostedUiBaseUrl``, ``AuthorizeUrl``, ``TokenUrl``, ``LogoutUrl`` and
    ``UserInfoUrl``. ``<Name>`` is the client name in PascalCase (``web`` -> ``Web``,
    ``my-backend`` -> ``MyBackend``), like every other key.
    """
    config: dict[str, str] = {
        "Region": user_pool.env.region,
        "UserPoolId": user_pool.user_pool_id,
        "UserPoolArn": user_pool.user_pool_arn,
        "IssuerUrl": issuer_url,
        "JwksUrl": jwks_url,
    }
    app_clients = access.app_clients
    if app_clients is not None:
        for name, client in app_clients.clients.items():
            key = output_key(name)
            config[f"ClientId{key}"] = client.user_pool_client_id
            scopes = app_clients.scopes_of(name)
            if scopes:
                config[f"Scopes{key}"] = " ".join(scopes)
            secret = app_clients.secrets.get(name)
            if secret is not None:
                config[f"ClientSecretArn{key}"] = secret.secret_arn
    if access.hosted_ui is not None:
        base = access.hosted_ui.base_url
        config.update(
            {
                "HostedUiBaseUrl": base,
                "AuthorizeUrl": f"{base}/oauth2/authorize",
                "TokenUrl": f"{base}/oauth2/token",
                "LogoutUrl": f"{base}/logout",
                "UserInfoUrl": f"{base}/oauth2/userInfo",
            }
        )
    return config


class ConsumerParameters(Construct):
    """Publishes a consumer configuration as SSM String parameters ``<prefix>/<key>``, for
    backends that read their settings from Parameter Store.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        config: From ``consumer_config`` (or ``CognitoAuth.consumer_config()``).
        parameter_prefix: Like ``/myapp/auth``: starts with '/', no trailing '/'.

    Attributes:
        parameters: The ``ssm.StringParameter`` of each key.

    Raises:
        ConfigurationError: when the prefix is not a valid parameter path.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: Mapping[str, str],
        parameter_prefix: str,
    ) -> None:
        problems = Problems(type(self).__name__)
        if not is_token(parameter_prefix):
            problems.check(
                bool(_PARAMETER_PREFIX.match(parameter_prefix)),
                f"parameter_prefix must be a path like '/myapp/auth' (segments of letters, "
                f"digits and _.-, no trailing '/'), got {parameter_prefix!r}",
            )
        problems.raise_if_any()
        super().__init__(scope, construct_id)
        self.parameter_prefix = parameter_prefix
        # The key names the value, so it is a stable construct ID.
        self.parameters: dict[str, ssm.StringParameter] = {
            key: ssm.StringParameter(
                self,
                key,
                parameter_name=f"{parameter_prefix}/{key}",
                # A path, never a simple name: aws-cdk-lib must be told when it is a token.
                simple_name=False if is_token(parameter_prefix) else None,
                string_value=value,
                description=f"Cognito {key} for consumers of the user pool",
            )
            for key, value in config.items()
        }

    def grant_read(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` (a backend's role or function) read every parameter of this config,
        one by one or all at once under the prefix (``GetParametersByPath``)."""
        # The prefix starts with '/': "parameter" + prefix is the path's ARN resource, for a
        # literal prefix and a deploy-time one alike.
        path = Stack.of(self).format_arn(
            service="ssm",
            resource=f"parameter{self.parameter_prefix}",
            arn_format=ArnFormat.NO_RESOURCE_NAME,
        )
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=[
                "ssm:GetParameter",
                "ssm:GetParameters",
                "ssm:GetParameterHistory",
                "ssm:GetParametersByPath",
            ],
            resource_arns=[*(p.parameter_arn for p in self.parameters.values()), path],
        )


__all__ = [
    "AppAccess",
    "ConsumerParameters",
    "app_access_problems",
    "consumer_config",
    "define_app_access",
]
