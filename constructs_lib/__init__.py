"""AWS CDK constructs for complete, secure-by-default Amazon Cognito authentication."""

from constructs_lib.authorizers import (
    HttpApiAuthorization,
    RestApiAuthorization,
    http_api_jwt_authorizer,
    rest_api_user_pool_authorizer,
)
from constructs_lib.cognito_auth import CognitoAuth
from constructs_lib.errors import ConfigurationError
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
    "ClaimsFailMode",
    "ClaimsTable",
    "CognitoAuth",
    "CompromisedCredentialsAction",
    "ConfigurationError",
    "CustomMessages",
    "Group",
    "HttpApiAuthorization",
    "MessageTemplate",
    "PostConfirmation",
    "PreSignUp",
    "PreTokenGeneration",
    "RestApiAuthorization",
    "RiskAction",
    "SecureUserPool",
    "SesEmail",
    "ThreatProtection",
    "Triggers",
    "UserPoolSettings",
    "UserPoolTriggers",
    "http_api_jwt_authorizer",
    "rest_api_user_pool_authorizer",
]
