"""AWS CDK constructs for complete, secure-by-default Amazon Cognito authentication."""

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
    "RiskAction",
    "SecureUserPool",
    "SesEmail",
    "ThreatProtection",
    "UserPoolSettings",
]
