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
from constructs_lib.branding import (
    Branding,
    BrandingAsset,
    ClassicHostedUiStyle,
    ManagedLoginStyle,
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
from constructs_lib.lambda_authorizer import CognitoLambdaAuthorizer
from constructs_lib.operations import (
    AlarmSettings,
    AuthEventsDestination,
    AuthOperations,
    DashboardSettings,
    LogDeliverySettings,
    OperationsSettings,
    WafSettings,
)
from constructs_lib.own_handler import own_handler_function
from constructs_lib.replication import RegionalSettings, Replication, UserPoolReplication
from constructs_lib.resource_servers import CustomScope, ResourceServer, ResourceServers
from constructs_lib.terms import ClientTerms, TermsDocuments
from constructs_lib.triggers import (
    INBOUND_FEDERATION,
    ClaimsFailMode,
    ClaimsTable,
    CustomMessages,
    InboundFederation,
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
    "INBOUND_FEDERATION",
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
    "Branding",
    "BrandingAsset",
    "ClaimRule",
    "ClaimsFailMode",
    "ClaimsTable",
    "ClassicHostedUiStyle",
    "ClientTerms",
    "CognitoAuth",
    "CognitoLambdaAuthorizer",
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
    "InboundFederation",
    "LogDeliverySettings",
    "MachineClient",
    "ManagedLoginStyle",
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
    "TermsDocuments",
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
    "own_handler_function",
    "rest_api_user_pool_authorizer",
    "user_files_statements",
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
