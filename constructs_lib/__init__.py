"""AWS CDK constructs for complete, secure-by-default Amazon Cognito authentication."""

from constructs_lib.app_access import (
    AppAccess,
    ConsumerParameters,
    consumer_config,
    define_app_access,
)
from constructs_lib.authorizers import (
    HttpApiAuthorization,
    RestApiAuthorization,
    http_api_jwt_authorizer,
    rest_api_user_pool_authorizer,
)
from constructs_lib.clients import AppClient, AppClients, MachineClient, ServerClient, WebClient
from constructs_lib.cognito_auth import CognitoAuth
from constructs_lib.domain import HostedUi, HostedUiDomain
from constructs_lib.errors import ConfigurationError
from constructs_lib.federation import (
    AmazonLogin,
    AppleLogin,
    FacebookLogin,
    GoogleLogin,
    OidcEndpointUrls,
    OidcLogin,
    SamlLogin,
)
from constructs_lib.identity_pool import (
    AmbiguousRoles,
    ClaimRule,
    IdentityPoolSettings,
    RoleMapping,
    SecureIdentityPool,
)
from constructs_lib.operations import (
    AlarmSettings,
    AuthEventsDestination,
    AuthOperations,
    DashboardSettings,
    LogDeliverySettings,
    OperationsSettings,
    WafSettings,
)
from constructs_lib.replication import RegionalSettings, Replication, UserPoolReplication
from constructs_lib.resource_servers import CustomScope, ResourceServer, ResourceServers
from constructs_lib.triggers import (
    ClaimsFailMode,
    ClaimsTable,
    CustomMessages,
    MessageTemplate,
    PoolMigration,
    PostConfirmation,
    PreSignUp,
    PreTokenGeneration,
    Triggers,
    UserPoolTriggers,
)
from constructs_lib.user_files import (
    FileOwner,
    UserFiles,
    UserFilesAccess,
    UserFilesSettings,
    user_files_statements,
)
from constructs_lib.user_pool import (
    AdaptiveAction,
    CompromisedCredentialsAction,
    Group,
    RiskAction,
    SecureUserPool,
    SesEmail,
    ThreatProtection,
    UserPoolSettings,
)

__all__ = [
    "AdaptiveAction",
    "AlarmSettings",
    "AmazonLogin",
    "AmbiguousRoles",
    "AppAccess",
    "AppClient",
    "AppClients",
    "AppleLogin",
    "AuthEventsDestination",
    "AuthOperations",
    "ClaimRule",
    "ClaimsFailMode",
    "ClaimsTable",
    "CognitoAuth",
    "CompromisedCredentialsAction",
    "ConfigurationError",
    "ConsumerParameters",
    "CustomMessages",
    "CustomScope",
    "DashboardSettings",
    "FacebookLogin",
    "FileOwner",
    "GoogleLogin",
    "Group",
    "HostedUi",
    "HostedUiDomain",
    "HttpApiAuthorization",
    "IdentityPoolSettings",
    "LogDeliverySettings",
    "MachineClient",
    "MessageTemplate",
    "OidcEndpointUrls",
    "OidcLogin",
    "OperationsSettings",
    "PoolMigration",
    "PostConfirmation",
    "PreSignUp",
    "PreTokenGeneration",
    "RegionalSettings",
    "Replication",
    "ResourceServer",
    "ResourceServers",
    "RestApiAuthorization",
    "RiskAction",
    "RoleMapping",
    "SamlLogin",
    "SecureIdentityPool",
    "SecureUserPool",
    "ServerClient",
    "SesEmail",
    "ThreatProtection",
    "Triggers",
    "UserFiles",
    "UserFilesAccess",
    "UserFilesSettings",
    "UserPoolReplication",
    "UserPoolSettings",
    "UserPoolTriggers",
    "WafSettings",
    "WebClient",
    "consumer_config",
    "define_app_access",
    "http_api_jwt_authorizer",
    "rest_api_user_pool_authorizer",
    "user_files_statements",
]

# Newer Cognito capabilities: own branding, terms documents, the inbound federation trigger.
from constructs_lib.branding import (
    Branding,
    BrandingAsset,
    ClassicHostedUiStyle,
    ManagedLoginStyle,
)
from constructs_lib.terms import ClientTerms, TermsDocuments
from constructs_lib.triggers import INBOUND_FEDERATION, InboundFederation

__all__ += [
    "INBOUND_FEDERATION",
    "Branding",
    "BrandingAsset",
    "ClassicHostedUiStyle",
    "ClientTerms",
    "InboundFederation",
    "ManagedLoginStyle",
    "TermsDocuments",
]


def _show_constructor_signatures() -> None:
    """jsii's metaclass makes ``inspect.signature`` (and so IDEs and ``help()``) show every
    construct class as ``(*args, **kwargs)``; give each exported construct the arguments of its
    ``__init__`` instead, through ``__signature__``, which ``inspect`` reads first."""
    import inspect

    from constructs import Construct

    for value in list(globals().values()):
        if isinstance(value, type) and issubclass(value, Construct):
            init = inspect.signature(value.__init__)
            value.__signature__ = init.replace(parameters=list(init.parameters.values())[1:])


_show_constructor_signatures()
