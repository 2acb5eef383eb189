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
from constructs_lib.resource_servers import CustomScope, ResourceServer, ResourceServers
from constructs_lib.triggers import (
    ClaimsFailMode,
    ClaimsTable,
    CustomMessages,
    MessageTemplate,
    PostConfirmation,
    PreSignUp,
    PreTokenGeneration,
    Triggers,
    UserPoolTriggers,
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
    "AppAccess",
    "AppClient",
    "AppClients",
    "ClaimsFailMode",
    "ClaimsTable",
    "CognitoAuth",
    "CompromisedCredentialsAction",
    "ConfigurationError",
    "ConsumerParameters",
    "CustomMessages",
    "CustomScope",
    "Group",
    "HostedUi",
    "HostedUiDomain",
    "HttpApiAuthorization",
    "MachineClient",
    "MessageTemplate",
    "PostConfirmation",
    "PreSignUp",
    "PreTokenGeneration",
    "ResourceServer",
    "ResourceServers",
    "RestApiAuthorization",
    "RiskAction",
    "SecureUserPool",
    "ServerClient",
    "SesEmail",
    "ThreatProtection",
    "Triggers",
    "UserPoolSettings",
    "UserPoolTriggers",
    "WebClient",
    "consumer_config",
    "define_app_access",
    "http_api_jwt_authorizer",
    "rest_api_user_pool_authorizer",
]
