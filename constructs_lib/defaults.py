"""Every default of the constructs, each with the reason it was chosen.

A change here changes what every user of the library deploys; ``tests/test_defaults.py`` pins each
value so that such a change is a visible, reviewed diff.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

# Sign-in and sign-up -------------------------------------------------------------------------

#: Email is what users remember and what federation can match on; phone numbers get recycled.
SIGN_IN_ALIASES = cognito.SignInAliases(email=True)
#: ``User@Example.com`` and ``user@example.com`` must be one account. Immutable after creation.
SIGN_IN_CASE_SENSITIVE = False
#: Public registration is a product decision, so an app opts in; admins can always invite users.
SELF_SIGN_UP_ENABLED = False
#: With email sign-in, every user needs an email address, and it can change later.
STANDARD_ATTRIBUTES: dict[str, cognito.StandardAttribute] = {
    "email": cognito.StandardAttribute(required=True, mutable=True),
}

# Passwords -----------------------------------------------------------------------------------

#: NIST SP 800-63B favours length; 12 with every character class resists online guessing.
PASSWORD_MIN_LENGTH = 12
PASSWORD_REQUIRE_LOWERCASE = True
PASSWORD_REQUIRE_UPPERCASE = True
PASSWORD_REQUIRE_DIGITS = True
PASSWORD_REQUIRE_SYMBOLS = True
#: An invitation should not stay usable for a week (Cognito's own default is 7 days).
TEMP_PASSWORD_VALIDITY = Duration.days(3)
#: Stop users cycling back to a leaked password. Needs the ESSENTIALS plan or higher, so it is
#: applied only there; on LITE no history is set.
PASSWORD_HISTORY_SIZE = 5

# Multi-factor authentication -----------------------------------------------------------------

#: Users can turn MFA on without an app forcing it on everyone from day one.
MFA = cognito.Mfa.OPTIONAL
#: TOTP costs nothing and cannot be SIM-swapped; SMS costs money and needs an SNS role, email MFA
#: needs SES. Both are opt-in.
MFA_SECOND_FACTOR_OTP = True
MFA_SECOND_FACTOR_SMS = False
MFA_SECOND_FACTOR_EMAIL = False

# Plan, recovery and protection ---------------------------------------------------------------

#: Cognito's default for new pools: managed login, passwordless, email MFA, access-token
#: customization and password history, with 10,000 free MAU. PLUS costs more per user.
FEATURE_PLAN = cognito.FeaturePlan.ESSENTIALS
#: Recovery by email only: SMS recovery can be hijacked through a SIM swap, and SMS as a
#: recovery channel would make it a single factor for users who also use SMS MFA.
ACCOUNT_RECOVERY = cognito.AccountRecovery.EMAIL_ONLY
#: A pool holds every user and password hash, and hashes cannot be exported: never delete it
#: through a stack update or by accident.
DELETION_PROTECTION = True
REMOVAL_POLICY = RemovalPolicy.RETAIN
#: Answer "user not found" and "wrong password" alike so that sign-in cannot enumerate users.
#: (Set per app client; recorded here so every client of this library uses it.)
PREVENT_USER_EXISTENCE_ERRORS = True

# Identity pool and user files ----------------------------------------------------------------

#: Guests get AWS credentials without signing in: an app must ask for that by name.
ALLOW_UNAUTHENTICATED_IDENTITIES = False
#: The basic (classic) flow lets a caller choose any role the trust allows; the enhanced flow
#: lets the pool choose.
ALLOW_CLASSIC_FLOW = False
#: Tokens of users signed out globally (or deleted) stop yielding credentials.
SERVER_SIDE_TOKEN_CHECK = True
#: When a role mapping cannot choose, the user keeps the ordinary signed-in role rather than
#: losing all access; ``AmbiguousRoles.DENY`` is the stricter choice. (An AmbiguousRoles value.)
AMBIGUOUS_ROLE_RESOLUTION = "AuthenticatedRole"
#: The identity pool holds every identity id, and private/<identity id>/ prefixes are keyed on
#: them: a replaced pool orphans every user's files.
IDENTITY_POOL_REMOVAL_POLICY = RemovalPolicy.RETAIN
#: The user files bucket holds user data: keep it when the stack goes.
USER_FILES_REMOVAL_POLICY = RemovalPolicy.RETAIN
#: Overwritten or deleted user files can be recovered.
USER_FILES_VERSIONED = True
#: Who touched which file, in a separate bucket (S3 server access logs).
USER_FILES_ACCESS_LOGS = True
#: Amplify Storage's layout: each part can be turned off.
USER_FILES_PRIVATE = True
USER_FILES_PROTECTED = True
USER_FILES_PUBLIC = True

# Limits from the service, used by the validators ---------------------------------------------

PASSWORD_MIN_LENGTH_RANGE = (6, 99)
PASSWORD_HISTORY_SIZE_RANGE = (0, 24)
TEMP_PASSWORD_VALIDITY_DAYS_MAX = 365
CUSTOM_ATTRIBUTES_MAX = 50
CUSTOM_ATTRIBUTE_NAME_MAX_LENGTH = 20
STRING_ATTRIBUTE_MAX_LENGTH = 2048
GROUP_NAME_MAX_LENGTH = 128
GROUP_PRECEDENCE_MAX = 2**31 - 1
ROLE_MAPPING_RULES_MAX = 25
PRINCIPAL_TAGS_MAX = 50

# Bundled Lambda triggers ---------------------------------------------------------------------

#: The newest Python runtime aws-cdk-lib offers: security fixes and the fastest interpreter.
TRIGGER_RUNTIME = lambda_.Runtime.PYTHON_3_14
#: Graviton costs about 20 % less per GB-second; the handlers are pure Python, nothing to port.
TRIGGER_ARCHITECTURE = lambda_.Architecture.ARM_64
#: CPU grows with memory: 256 MB keeps a cold start with boto3 near 0.4 s at little cost.
TRIGGER_MEMORY_MB = 256
#: The handlers' worst case is 3.5 s (bounded AWS calls); Cognito gives up after 5 s.
TRIGGER_TIMEOUT = Duration.seconds(4)
#: Enough to investigate a sign-in problem, short enough not to keep user data for long.
TRIGGER_LOG_RETENTION = logs.RetentionDays.ONE_MONTH
#: The user-migration trigger also copies groups after sign-in: a moved user keeps their access.
MIGRATION_COPIES_GROUPS = True
#: V2_0 customizes access tokens too (ESSENTIALS and PLUS plans); V1_0 only ID tokens.
PRE_TOKEN_GENERATION_VERSION = cognito.LambdaVersion.V2_0
#: A claim change reaches new tokens within a minute while a warm function reads the table
#: at most once a minute per user.
CLAIMS_CACHE_TTL = Duration.seconds(60)
#: API Gateway's own default for authorizer results: a cached Allow can outlive a revoked or
#: expired token by this much, so it is kept at the default rather than raised.
AUTHORIZER_RESULTS_CACHE_TTL = Duration.minutes(5)

# App clients ---------------------------------------------------------------------------------

#: Cognito's own default: short enough that a leaked ID or access token soon stops working.
ID_TOKEN_VALIDITY = Duration.minutes(60)
ACCESS_TOKEN_VALIDITY = Duration.minutes(60)
#: Cognito's own default: users sign in again monthly; revocation ends a session sooner.
REFRESH_TOKEN_VALIDITY = Duration.days(30)
#: A browser or mobile app keeps its refresh token where scripts or a lost device can reach it:
#: with rotation a stolen one works for one refresh at most. Amplify JS refreshes the rotating
#: way (GetTokensFromRefreshToken) since aws-amplify 6.15.4.
WEB_CLIENT_REFRESH_TOKEN_ROTATION = True
#: A backend's refresh needs its client secret too, and server code often refreshes with
#: REFRESH_TOKEN_AUTH, which rotation turns off: rotation stays opt-in there.
SERVER_CLIENT_REFRESH_TOKEN_ROTATION = False
#: Long enough to retry a refresh whose answer was lost, short enough that a copied token is
#: of little use once the owner has refreshed.
REFRESH_TOKEN_ROTATION_GRACE_PERIOD = Duration.seconds(10)
#: The shortest session Cognito allows between sign-in steps, which limits a replayed session.
AUTH_SESSION_VALIDITY = Duration.minutes(3)
#: A signed-out or stolen refresh token can be revoked, and its access tokens with it.
ENABLE_TOKEN_REVOCATION = True
#: What a web or server client asks for at the hosted UI: an ID token with email and profile.
WEB_CLIENT_SCOPES = (
    cognito.OAuthScope.OPENID,
    cognito.OAuthScope.EMAIL,
    cognito.OAuthScope.PROFILE,
)
#: Authorization code (with PKCE for public clients) keeps tokens out of URLs and browser history;
#: the implicit grant does not and needs an explicit opt-in.
WEB_CLIENT_O_AUTH_FLOWS = cognito.OAuthFlows(authorization_code_grant=True)
#: SRP never sends the password; USER_PASSWORD_AUTH does, so it needs an explicit opt-in.
WEB_CLIENT_AUTH_FLOWS = cognito.AuthFlow(user_srp=True)
#: What users of a web or server client may write: their standard attributes only. Without a
#: list Cognito lets every client write every attribute, so a user could pick a custom tenant or
#: role at sign-up; the verified flags are Cognito's to set after a code is confirmed.
CLIENT_WRITE_ATTRIBUTES = (
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
)

# Hosted UI -----------------------------------------------------------------------------------

#: Managed login (v2) is the current hosted UI; it needs a branding style per client, which the
#: constructs add with Cognito's default look.
MANAGED_LOGIN_VERSION = cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN
#: Cognito serves custom domains through CloudFront, which takes certificates from us-east-1 only.
HOSTED_UI_CERTIFICATE_REGION = "us-east-1"

# Multi-Region replication ------------------------------------------------------------------

#: The regional configuration is deployed with the replica, so the replica can take over at once
#: on failover; new replicas otherwise stay INACTIVE until someone activates them.
REPLICA_ACTIVE = True
#: Cognito allows one secondary replica per user directory (multi-Region replication guide).
REPLICATION_MAX_REGIONS = 1
#: What Cognito does with the pool's key: encrypt and decrypt the pool's data, with data keys.
#: No key administration, no grants.
REPLICATION_KEY_ACTIONS = (
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)

# Limits from the service, for app clients and the hosted UI ----------------------------------

ID_TOKEN_VALIDITY_RANGE = (Duration.minutes(5), Duration.days(1))
ACCESS_TOKEN_VALIDITY_RANGE = (Duration.minutes(5), Duration.days(1))
REFRESH_TOKEN_VALIDITY_RANGE = (Duration.minutes(60), Duration.days(3650))
AUTH_SESSION_VALIDITY_RANGE = (Duration.minutes(3), Duration.minutes(15))
REFRESH_TOKEN_ROTATION_GRACE_PERIOD_RANGE = (Duration.seconds(0), Duration.seconds(60))
CLIENT_NAME_MAX_LENGTH = 128
DOMAIN_PREFIX_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
DOMAIN_PREFIX_RESERVED_WORDS = ("aws", "amazon", "cognito")
RESOURCE_SERVER_IDENTIFIER_MAX_LENGTH = 256
RESOURCE_SERVER_SCOPES_MAX = 100
SCOPE_NAME_MAX_LENGTH = 256


# What CognitoAuth() defines for a new pool (clients.default_clients()): one public web client,
# SRP sign-in through the pool's API; OAuth needs a domain and callback URLs, so it is opt-in.
DEFAULT_CLIENT_NAME = "web"
DEFAULT_CLIENT_O_AUTH = False


# Operations (alarms, dashboard, WAF) ---------------------------------------------------------

#: Cognito publishes its user pool metrics at 5-minute intervals; a shorter period only adds
#: empty points. https://docs.aws.amazon.com/cognito/latest/developerguide/tracking-quotas-and-usage-in-cloud-watch-and-service-quotas.html
COGNITO_METRIC_PERIOD = Duration.minutes(5)
#: Warn while there is still room: at 100 % users are throttled.
QUOTA_UTILIZATION_ALARM_PERCENT = 80.0
#: Wrong passwords are normal; half of all sign-ins failing for 15 minutes is an attack or an
#: outage.
SIGN_IN_SUCCESS_RATIO_MIN = 0.5
#: 80 % of the 5 seconds Cognito waits for a trigger: time to act before users' requests fail.
TRIGGER_DURATION_ALARM = Duration.seconds(4)
#: Cognito's default UserAuthentication quota, per account and Region (all pools together).
#: https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
USER_AUTHENTICATION_DEFAULT_QUOTA_RPS = 120
#: An SRP sign-in is two UserAuthentication requests: InitiateAuth and RespondToAuthChallenge.
USER_AUTHENTICATION_REQUESTS_PER_SIGN_IN = 2
#: The AWS/Usage dimensions of the UserAuthentication category (CloudWatch usage metrics). The
#: developer guide spells the service "Cognito user pool" and says Class is not used, yet lists
#: Class among CallCount's dimensions; the metrics that accounts list (ListMetrics) carry
#: Service "Cognito User Pool" and Class "None", as this alarm needs them (an alarm matches the
#: exact dimension set, values included).
#: https://docs.aws.amazon.com/cognito/latest/developerguide/metrics-for-cognito-user-pools.html
#: https://github.com/deliveryhero/terraform-aws-service-quota-alarms/blob/main/modules/usage_alarms/supported-metrics.yaml
USER_AUTHENTICATION_USAGE_DIMENSIONS = (
    ("Service", "Cognito User Pool"),
    ("Type", "API"),
    ("Resource", "UserAuthentication"),
    ("Class", "None"),
)
#: Purchased capacity above the default quota, US East, full month (announcement of
#: 2024-01-25: https://aws.amazon.com/about-aws/whats-new/2024/01/provisioned-capacity-api-limits-amazon-cognito/).
PURCHASED_CAPACITY_USD_PER_RPS_MONTH = 20
#: Requests one client IP may make per window: a sign-in is 2-3 API calls and a page of the
#: hosted UI several requests, and offices share one IP behind NAT, so 1,000 per 5 minutes
#: (about 3 per second, sustained) leaves room for people and stops scripted guessing.
WAF_RATE_LIMIT = 1000
WAF_EVALUATION_WINDOW = Duration.minutes(5)
#: AWS managed groups Cognito allows, without extra subscription fees: common exploits, known
#: bad inputs, and IPs Amazon threat intelligence lists.
WAF_MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
#: WAF's range for a rate-based rule's limit and its evaluation windows (seconds).
WAF_RATE_LIMIT_RANGE = (10, 2_000_000_000)
WAF_EVALUATION_WINDOWS_SECONDS = (60, 120, 300, 600)
