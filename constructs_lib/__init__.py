"""AWS CDK constructs for complete, secure-by-default Amazon Cognito authentication."""

from constructs_lib.authorizers import (
    HttpApiAuthorization,
    RestApiAuthorization,
    http_api_jwt_authorizer,
    rest_api_user_pool_authorizer,
)
from constructs_lib.cognito_auth import CognitoAuth
from constructs_lib.errors import ConfigurationError
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
    "CognitoAuth",
    "CompromisedCredentialsAction",
    "ConfigurationError",
    "Group",
    "HttpApiAuthorization",
    "RestApiAuthorization",
    "RiskAction",
    "SecureUserPool",
    "SesEmail",
    "ThreatProtection",
    "UserPoolSettings",
    "http_api_jwt_authorizer",
    "rest_api_user_pool_authorizer",
]
