"""Whole stacks that the snapshot and compliance tests share: the example app as shipped, and
scenarios that turn on as much as the library offers. Add a builder here and both suites pick it
up."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from aws_cdk import App, Duration, SecretValue, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_cognito_identitypool as identitypool
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53

from app import define_example
from constructs_lib import (
    AdaptiveAction,
    CognitoAuth,
    CompromisedCredentialsAction,
    Group,
    PoolMigration,
    RiskAction,
    SesEmail,
    ThreatProtection,
    UserPoolSettings,
)
from constructs_lib.branding import (
    AssetCategory,
    Branding,
    BrandingAsset,
    ClassicHostedUiStyle,
    ColorMode,
    ManagedLoginStyle,
    Placement,
)
from constructs_lib.clients import MachineClient, ServerClient, WebClient
from constructs_lib.domain import HostedUiDomain
from constructs_lib.federation import (
    AmazonLogin,
    AppleLogin,
    FacebookLogin,
    GoogleLogin,
    OidcLogin,
    SamlLogin,
)
from constructs_lib.identity_pool import AmbiguousRoles, IdentityPoolSettings, RoleMapping
from constructs_lib.operations import (
    AlarmSettings,
    AuthEventsDestination,
    LogDeliverySettings,
    OperationsSettings,
    WafSettings,
)
from constructs_lib.replication import Replication
from constructs_lib.resource_servers import ResourceServer
from constructs_lib.terms import TermsDocuments
from constructs_lib.triggers import (
    ClaimsTable,
    InboundFederation,
    PostConfirmation,
    PreSignUp,
    PreTokenGeneration,
    Triggers,
)
from constructs_lib.user_files import FileOwner, UserFilesSettings
from tests.conftest import TEST_ENV

ROOT = Path(__file__).resolve().parents[2]


def shipped_context() -> dict[str, object]:
    """The context of ``cdk.json``, as the CDK CLI would hand it to ``app.py``."""
    context: dict[str, object] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def example_stack(app: App) -> Stack:
    """The example app's stack, exactly as ``make synth`` defines it from ``cdk.json``."""
    for key, value in shipped_context().items():
        app.node.set_context(key, value)
    return define_example(app)


def maximal_user_pool_stack(app: App) -> Stack:
    """Every user pool capability at once."""
    stack = Stack(app, "MaximalUserPool", env=TEST_ENV)
    admin_role = iam.Role(
        stack,
        "AdminsRole",
        assumed_by=iam.FederatedPrincipal(
            "cognito-identity.amazonaws.com",
            conditions={
                "StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:example"},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
            },
            assume_role_action="sts:AssumeRoleWithWebIdentity",
        ),
    )
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            user_pool_name="maximal",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True, phone=True),
            standard_attributes={
                "email": cognito.StandardAttribute(required=True, mutable=True),
                "name": cognito.StandardAttribute(required=True, mutable=True),
                "phone_number": cognito.StandardAttribute(mutable=True),
            },
            custom_attributes={
                "tenant_id": cognito.StringAttribute(min_len=1, max_len=36, mutable=False),
                "seats": cognito.NumberAttribute(min=1, max=1000, mutable=True),
                "beta": cognito.BooleanAttribute(mutable=True),
                "joined": cognito.DateTimeAttribute(mutable=False),
            },
            password_policy=cognito.PasswordPolicy(
                min_length=16, temp_password_validity=Duration.days(1), password_history_size=24
            ),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=True, email=True),
            mfa_message="Your Example sign-in code is {####}",
            allowed_first_auth_factors=cognito.AllowedFirstAuthFactors(
                password=True, email_otp=True, sms_otp=True, passkey=True
            ),
            passkey_relying_party_id="auth.example.com",
            passkey_user_verification=cognito.PasskeyUserVerification.REQUIRED,
            feature_plan=cognito.FeaturePlan.PLUS,
            threat_protection=ThreatProtection.full_function(
                low_risk=AdaptiveAction(action=RiskAction.ALLOW),
                medium_risk=AdaptiveAction(action=RiskAction.MFA_REQUIRED, notify=True),
                high_risk=AdaptiveAction(action=RiskAction.BLOCK, notify=True),
                compromised_credentials=CompromisedCredentialsAction.BLOCK,
                notify_source_arn="arn:aws:ses:eu-west-1:123456789012:identity/example.com",
                custom_auth_mode=cognito.CustomThreatProtectionMode.AUDIT_ONLY,
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            email=SesEmail(
                from_email="no-reply@example.com",
                from_name="Example",
                reply_to="support@example.com",
                configuration_set_name="auth-events",
            ),
            user_verification=cognito.UserVerificationConfig(
                email_subject="Confirm your Example account",
                email_body="Your Example code is {####}",
                sms_message="Example code: {####}",
            ),
            user_invitation=cognito.UserInvitationConfig(
                email_subject="You are invited to Example",
                email_body="Sign in as {username} with the temporary password {####}",
                sms_message="Example: {username} / {####}",
            ),
            groups=[
                Group(name="admins", precedence=0, description="Administrators", role=admin_role),
                Group(name="members", precedence=10, description="Paying members"),
            ],
        ),
    )
    return stack


def app_clients_stack(app: App) -> Stack:
    """The three client kinds, a resource server and a custom domain in eu-west-1: the
    certificate goes into a us-east-1 sibling stack, the alias record into the given zone."""
    stack = Stack(app, "AppClients", env=TEST_ENV)
    zone = route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789EXAMPLE", zone_name="example.com"
    )
    orders = ResourceServer(
        identifier="orders",
        name="Orders API",
        scopes={"read": "Read orders", "write": "Create and change orders"},
    )
    auth = CognitoAuth(
        stack,
        "Auth",
        resource_servers=[orders],
        clients=[
            WebClient(
                name="web",
                callback_urls=["https://app.example.com/callback", "http://localhost:3000/"],
                logout_urls=["https://app.example.com/"],
                scopes=[
                    cognito.OAuthScope.OPENID,
                    cognito.OAuthScope.EMAIL,
                    orders.scope("read"),
                ],
            ),
            ServerClient(
                name="backend",
                callback_urls=["https://app.example.com/api/auth/callback"],
                access_token_validity=Duration.minutes(15),
                refresh_token_validity=Duration.days(7),
                auth_session_validity=Duration.minutes(5),
                read_attributes=cognito.ClientAttributes().with_standard_attributes(
                    email=True, email_verified=True
                ),
                write_attributes=cognito.ClientAttributes().with_standard_attributes(fullname=True),
            ),
            MachineClient(name="reports", scopes=orders.all_scopes),
        ],
        domain=HostedUiDomain.custom_domain("auth.example.com", hosted_zone=zone),
    )
    auth.add_consumer_parameters("/example/auth")
    return stack


def prefix_domain_stack(app: App) -> Stack:
    """A web client on a Cognito prefix domain with the classic hosted UI (no branding)."""
    stack = Stack(app, "PrefixDomain", env=TEST_ENV)
    CognitoAuth(
        stack,
        "Auth",
        clients=[WebClient(name="web", callback_urls=["https://app.example.com/callback"])],
        domain=HostedUiDomain.cognito_prefix(
            "example-app-auth",
            managed_login_version=cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
        ),
    )
    return stack


def identity_pool_files_stack(app: App) -> Stack:
    """An identity pool with group roles, principal tags and other identity sources, and a
    per-user files bucket; the default web client is linked by CognitoAuth, a second client
    (defined on the pool directly) by add_user_pool_client."""
    stack = Stack(app, "IdentityPoolFiles", env=TEST_ENV)
    auth = CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            custom_attributes={"tenant_id": cognito.StringAttribute(max_len=36, mutable=False)},
            groups=[
                Group(name="admins", precedence=0),
                Group(name="editors", precedence=10),
            ],
        ),
        identity_pool=IdentityPoolSettings(
            group_roles=["admins", "editors"],
            role_mapping=RoleMapping.from_token(ambiguous=AmbiguousRoles.DENY),
            principal_tags={"sub": "sub", "client": "aud", "tenant": "custom:tenant_id"},
            # No developer_provider_name: with files keyed on the user pool sub it is refused
            # (a developer backend sets its own PrincipalTags).
            google=identitypool.IdentityPoolGoogleLoginProvider(
                client_id="1234567890-example.apps.googleusercontent.com"
            ),
        ),
        user_files=UserFilesSettings(
            owner=FileOwner.user_pool_sub("sub"),
            cors_allowed_origins=["https://app.example.com"],
        ),
    )
    web = auth.user_pool.add_client(
        "IdentityPoolWeb",
        auth_flows=cognito.AuthFlow(user_srp=True),
        o_auth=cognito.OAuthSettings(
            flows=cognito.OAuthFlows(authorization_code_grant=True),
            callback_urls=["https://app.example.com/callback"],
        ),
        prevent_user_existence_errors=True,
    )
    assert auth.identity_pool is not None
    auth.identity_pool.add_user_pool_client(auth.user_pool, web)
    return stack


def federation_stack(app: App) -> Stack:
    """Providers of all six kinds; one client offers all of them, another only Google."""
    stack = Stack(app, "Federation", env=TEST_ENV)
    secret = SecretValue.secrets_manager
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            custom_attributes={"tenant_id": cognito.StringAttribute(max_len=36, mutable=True)}
        ),
        identity_providers=[
            GoogleLogin(
                client_id="example.apps.googleusercontent.com", client_secret=secret("auth/google")
            ),
            FacebookLogin(client_id="1234567890", client_secret=secret("auth/facebook")),
            AppleLogin(
                client_id="com.example.web",
                team_id="TEAM000000",
                key_id="KEY0000000",
                private_key=secret("auth/apple"),
            ),
            AmazonLogin(
                client_id="amzn1.application-oa2-client.example",
                client_secret=secret("auth/amazon"),
            ),
            SamlLogin(
                provider_name="CorporateSSO",
                metadata_file=ROOT / "tests" / "fixtures" / "saml-metadata.xml",
                identifiers=["example.com"],
                sign_requests=True,
                attribute_mapping={"custom:tenant_id": "http://example.com/claims/tenant"},
            ),
            OidcLogin(
                provider_name="Partner",
                issuer_url="https://login.example.org",
                client_id="cognito",
                client_secret=secret("auth/partner"),
                identifiers=["partner.example.org"],
            ),
        ],
        clients=[
            # Native and federated sign-in on separate clients: a client offering both would
            # let native users write what the providers map (email_verified, custom:tenant_id).
            WebClient(
                name="web",
                callback_urls=["https://app.example.com/callback"],
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            ),
            WebClient(
                name="federated",
                callback_urls=["https://app.example.com/callback"],
                supported_identity_providers=[
                    cognito.UserPoolClientIdentityProvider.GOOGLE,
                    cognito.UserPoolClientIdentityProvider.FACEBOOK,
                    cognito.UserPoolClientIdentityProvider.APPLE,
                    cognito.UserPoolClientIdentityProvider.AMAZON,
                    cognito.UserPoolClientIdentityProvider.custom("CorporateSSO"),
                    cognito.UserPoolClientIdentityProvider.custom("Partner"),
                ],
            ),
            WebClient(
                name="google-only",
                callback_urls=["https://app.example.com/callback"],
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.GOOGLE],
            ),
        ],
        domain=HostedUiDomain.cognito_prefix("example-federation"),
    )
    return stack


def lambda_authorizer_stack(app: App) -> Stack:
    """The bundled Lambda authorizer for the default pool's web client, with scope, group and
    claim rules, wired to an HTTP API route (simple responses)."""
    from aws_cdk import aws_apigatewayv2 as apigatewayv2
    from aws_cdk import aws_apigatewayv2_integrations as integrations

    from constructs_lib.lambda_authorizer import CognitoLambdaAuthorizer

    stack = Stack(app, "LambdaAuthorizer", env=TEST_ENV)
    auth = CognitoAuth(stack, "Auth")
    authorizer = CognitoLambdaAuthorizer(
        stack,
        "ApiAuthorizer",
        user_pool=auth.user_pool,
        user_pool_clients=[auth.clients["web"]],
        required_scopes=["orders/read"],
        required_groups=["staff"],
        required_claims={"custom:tenant": ["acme"]},
    )
    api = apigatewayv2.HttpApi(stack, "Api", create_default_stage=False)
    api.add_routes(
        path="/orders",
        methods=[apigatewayv2.HttpMethod.GET],
        integration=integrations.HttpUrlIntegration("Orders", "https://orders.example.com/"),
        authorizer=authorizer.http_authorizer(),
    )
    return stack


def replication_primary_stack(app: App) -> Stack:
    """A pool replicated to us-west-2, with triggers and a claims table (a global table); this
    is the pool's own stack (key, pool with key and issuer configuration, table replica)."""
    stack = Stack(app, "Replicated", env=TEST_ENV)
    claims = ClaimsTable(stack, "UserClaims")
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(groups=[Group(name="users")]),
        triggers=Triggers(
            pre_token_generation=PreTokenGeneration(claims_table=claims, groups_claim="roles"),
            post_confirmation=PostConfirmation(default_group="users"),
        ),
        replication=Replication(regions=["us-west-2"]),
    )
    return stack


def user_migration_stack(app: App) -> Stack:
    """A new pool that moves users from an old one in another account, by assuming a role
    there, with their passwords and groups."""
    stack = Stack(app, "UserMigration", env=TEST_ENV)
    old_pool = cognito.UserPool.from_user_pool_arn(
        stack,
        "OldPool",
        "arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_OldPool1",
    )
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(groups=[Group(name="admins", precedence=0)]),
        triggers=Triggers(
            user_migration=PoolMigration(
                from_user_pool=old_pool,
                from_client=cognito.UserPoolClient.from_user_pool_client_id(
                    stack, "OldClient", "1example23456789oldclient"
                ),
                role_to_assume=iam.Role.from_role_arn(
                    stack, "OldPoolRole", "arn:aws:iam::210987654321:role/user-migration"
                ),
                old_username_attribute="email",
            )
        ),
    )
    return stack


def operations_stack(app: App) -> Stack:
    """A Plus pool with threat protection under operations: every alarm, the dashboard, a web
    ACL in count mode with a 1-minute window, notification errors and authentication events to
    CloudWatch Logs, and a peak above the default sign-in quota (a synth warning)."""
    stack = Stack(app, "Operations", env=TEST_ENV)
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            feature_plan=cognito.FeaturePlan.PLUS,
            threat_protection=ThreatProtection.audit_only(),
            groups=[Group(name="users", precedence=10)],
        ),
        triggers=Triggers(
            pre_sign_up=PreSignUp(denied_email_domains=["example.invalid"]),
            post_confirmation=PostConfirmation(default_group="users"),
        ),
        operations=OperationsSettings(
            alarms=AlarmSettings(quota_utilization_percent=75, sign_in_success_ratio_min=0.6),
            waf=WafSettings(
                rate_limit=300,
                evaluation_window=Duration.minutes(1),
                count_only=True,
                managed_rule_groups=(
                    "AWSManagedRulesCommonRuleSet",
                    "AWSManagedRulesAnonymousIpList",
                ),
            ),
            log_delivery=LogDeliverySettings(
                user_auth_events=AuthEventsDestination.cloudwatch_logs()
            ),
            expected_peak_sign_ins_per_second=200,
        ),
    )
    return stack


def replication_replica_stack(app: App) -> Stack:
    """The us-west-2 stack of ``replication_primary_stack``: triggers and regional configuration."""
    replication_primary_stack(app)
    stack = app.node.find_child("ReplicatedReplicaUsWest2")
    assert isinstance(stack, Stack)
    return stack


def newer_cognito_stack(app: App) -> Stack:
    """Refresh token rotation, terms documents, own managed login branding and the inbound
    federation trigger together, behind a SAML provider whose groups reach a custom attribute."""
    stack = Stack(app, "NewerCognito", env=TEST_ENV)
    logo = ROOT / "branding" / "logo.png"
    native = cognito.UserPoolClientIdentityProvider.COGNITO
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            custom_attributes={"groups": cognito.StringAttribute(max_len=2048, mutable=True)}
        ),
        triggers=Triggers(
            inbound_federation=InboundFederation(
                groups_attribute="http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
                groups_output_attribute="groups",
                drop_attributes=["http://example.com/claims/employee-number"],
            )
        ),
        identity_providers=[
            SamlLogin(
                provider_name="CorporateSSO",
                metadata_file=ROOT / "tests" / "fixtures" / "saml-metadata.xml",
                attribute_mapping={"custom:groups": "groups"},
            )
        ],
        # Native and federated sign-in on separate clients: the provider maps custom:groups,
        # which no native user may write. The federated-only client cannot rotate (its one
        # flow is ALLOW_REFRESH_TOKEN_AUTH).
        clients=[
            WebClient(
                name="web",
                callback_urls=["https://app.example.com/callback"],
                supported_identity_providers=[native],
            ),
            WebClient(
                name="partner",
                callback_urls=["https://partner.example.com/callback"],
                supported_identity_providers=[native],
                refresh_token_rotation_grace_period=Duration.seconds(0),
            ),
            WebClient(
                name="corporate",
                callback_urls=["https://app.example.com/sso/callback"],
                supported_identity_providers=[
                    cognito.UserPoolClientIdentityProvider.custom("CorporateSSO")
                ],
            ),
            ServerClient(
                name="backend",
                callback_urls=["https://app.example.com/api/auth/callback"],
                supported_identity_providers=[native],
                refresh_token_rotation=True,
                refresh_token_rotation_grace_period=Duration.seconds(30),
            ),
        ],
        domain=HostedUiDomain.cognito_prefix("example-newer"),
        branding=Branding(
            style=ManagedLoginStyle(
                color_scheme_mode=ColorMode.DYNAMIC,
                primary_color="#1f6feb",
                form_horizontal=Placement.START,
                assets=[BrandingAsset(category=AssetCategory.FORM_LOGO, file=logo)],
            ),
            client_styles={"partner": ManagedLoginStyle(primary_color="#8250df")},
        ),
        terms={
            "web": TermsDocuments(
                terms_of_use={
                    "cognito:default": "https://example.com/terms",
                    "cognito:german": "https://example.com/de/terms",
                },
                privacy_policy={"cognito:default": "https://example.com/privacy"},
            ),
            "partner": TermsDocuments.in_every_language(
                terms_of_use="https://partner.example.com/terms",
                privacy_policy="https://partner.example.com/privacy",
            ),
        },
    )
    return stack


def classic_branding_stack(app: App) -> Stack:
    """Classic hosted UI CSS for every client and its own for one client."""
    stack = Stack(app, "ClassicBranding", env=TEST_ENV)
    CognitoAuth(
        stack,
        "Auth",
        clients=[
            WebClient(name="web", callback_urls=["https://app.example.com/callback"]),
            WebClient(name="kiosk", callback_urls=["https://kiosk.example.com/callback"]),
        ],
        domain=HostedUiDomain.cognito_prefix(
            "example-classic",
            managed_login_version=cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
        ),
        branding=Branding(
            classic=ClassicHostedUiStyle(
                css=".banner-customizable { background-color: #1f6feb; }\n"
                ".submitButton-customizable { background-color: #1f6feb; }"
            ),
            classic_client_styles={
                "kiosk": ClassicHostedUiStyle(css=".inputField-customizable { font-size: 20px; }")
            },
        ),
    )
    return stack


SCENARIOS: dict[str, Callable[[App], Stack]] = {
    "example": example_stack,
    "maximal_user_pool": maximal_user_pool_stack,
    "identity_pool_files": identity_pool_files_stack,
    "app_clients": app_clients_stack,
    "prefix_domain": prefix_domain_stack,
    "federation": federation_stack,
    "replication_primary": replication_primary_stack,
    "replication_replica": replication_replica_stack,
    "user_migration": user_migration_stack,
    "operations": operations_stack,
    "lambda_authorizer": lambda_authorizer_stack,
    "newer_cognito": newer_cognito_stack,
    "classic_branding": classic_branding_stack,
}
