"""What each kind of app client renders, and the resource servers their typed scopes refer to."""

from __future__ import annotations

import json

import pytest
from aws_cdk import Duration, SecretValue, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Annotations, Match, Template

from constructs_lib import defaults
from constructs_lib.clients import (
    AppClients,
    MachineClient,
    ServerClient,
    WebClient,
    client_attributes,
    writable_attributes,
)
from constructs_lib.cognito_auth import CognitoAuth
from constructs_lib.domain import HostedUiDomain
from constructs_lib.errors import ConfigurationError
from constructs_lib.federation import GoogleLogin, SamlLogin
from constructs_lib.resource_servers import ResourceServer
from constructs_lib.user_pool import STANDARD_ATTRIBUTE_NAMES, UserPoolSettings

CLIENT = "AWS::Cognito::UserPoolClient"
SECRET = "AWS::SecretsManager::Secret"
CALLBACK = "https://app.example.com/callback"
PREFIX = HostedUiDomain.cognito_prefix("example-app")
ORDERS = ResourceServer(identifier="orders", scopes={"read": "Read", "write": "Write"})


def client_props(template: Template, name: str) -> dict[str, object]:
    (found,) = template.find_resources(CLIENT, {"Properties": {"ClientName": name}}).values()
    props: dict[str, object] = found["Properties"]
    return props


def test_web_client_is_public_with_code_grant_srp_and_the_secure_defaults(stack: Stack) -> None:
    auth = CognitoAuth(
        stack, "Auth", clients=[WebClient(name="web", callback_urls=[CALLBACK])], domain=PREFIX
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        CLIENT,
        {
            "ClientName": "web",
            "GenerateSecret": False,
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthScopes": ["openid", "email", "profile"],
            "CallbackURLs": [CALLBACK],
            # Refresh token rotation is on for web clients, which Cognito allows only without
            # ALLOW_REFRESH_TOKEN_AUTH (tests/infra/test_refresh_token_rotation.py).
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
            "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
            "EnableTokenRevocation": True,
            "PreventUserExistenceErrors": "ENABLED",
            "IdTokenValidity": 60,
            "AccessTokenValidity": 60,
            "RefreshTokenValidity": 30 * 24 * 60,
            "AuthSessionValidity": 3,
            "TokenValidityUnits": {
                "AccessToken": "minutes",
                "IdToken": "minutes",
                "RefreshToken": "minutes",
            },
        },
    )
    template.resource_count_is(SECRET, 0)
    assert list(auth.clients) == ["web"]
    assert auth.client_secrets == {}


def test_no_client_allows_implicit_grant_or_password_auth_by_default(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        resource_servers=[ORDERS],
        clients=[
            WebClient(name="web", callback_urls=[CALLBACK]),
            ServerClient(name="server", callback_urls=[CALLBACK]),
            MachineClient(name="machine", scopes=[ORDERS.scope("read")]),
        ],
        domain=PREFIX,
    )
    rendered = json.dumps(Template.from_stack(stack).find_resources(CLIENT))
    assert "implicit" not in rendered
    assert "USER_PASSWORD_AUTH" not in rendered


def test_client_construct_id_comes_from_its_name(stack: Stack) -> None:
    CognitoAuth(stack, "Auth", clients=[WebClient(name="web", o_auth=False)])
    assert list(Template.from_stack(stack).find_resources(CLIENT)) == ["AuthClientsweb0471110B"]


def test_web_client_without_o_auth_signs_in_with_srp_only(stack: Stack) -> None:
    CognitoAuth(stack, "Auth", clients=[WebClient(name="spa", o_auth=False)])
    props = client_props(Template.from_stack(stack), "spa")
    assert props["AllowedOAuthFlowsUserPoolClient"] is False
    assert "AllowedOAuthFlows" not in props


def test_server_client_secret_reaches_secrets_manager_only(stack: Stack) -> None:
    auth = CognitoAuth(
        stack,
        "Auth",
        clients=[ServerClient(name="backend", callback_urls=[CALLBACK], secret_name="app/backend")],
        domain=PREFIX,
    )
    auth_outputs = auth.consumer_config()
    template = Template.from_stack(stack)
    assert client_props(template, "backend")["GenerateSecret"] is True
    template.has_resource_properties(
        SECRET,
        {
            "Name": "app/backend",
            "SecretString": {
                "Fn::Join": [
                    "",
                    Match.array_with(
                        [
                            {
                                "Fn::GetAtt": [
                                    Match.string_like_regexp("AuthClientsbackend"),
                                    "ClientSecret",
                                ]
                            }
                        ]
                    ),
                ]
            },
        },
    )
    # The secret attribute is read in exactly one place: the Secrets Manager secret.
    as_json = template.to_json()
    users = [
        logical_id
        for logical_id, resource in as_json["Resources"].items()
        if 'ClientSecret"]' in json.dumps(resource)
    ]
    assert len(users) == 1 and as_json["Resources"][users[0]]["Type"] == SECRET
    assert 'ClientSecret"' not in json.dumps(as_json.get("Outputs", {}))
    assert "ClientSecretArnBackend" in auth_outputs
    assert set(auth.client_secrets) == {"backend"}


def test_machine_client_uses_client_credentials_with_typed_scopes(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        resource_servers=[ORDERS],
        clients=[MachineClient(name="reports", scopes=ORDERS.all_scopes)],
        domain=PREFIX,
    )
    template = Template.from_stack(stack)
    (server_id,) = template.find_resources("AWS::Cognito::UserPoolResourceServer")
    template.has_resource_properties(
        CLIENT,
        {
            "ClientName": "reports",
            "GenerateSecret": True,
            "AllowedOAuthFlows": ["client_credentials"],
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
            # A Ref, so the client is created after the resource server.
            "AllowedOAuthScopes": [
                {"Fn::Join": ["", [{"Ref": server_id}, "/read"]]},
                {"Fn::Join": ["", [{"Ref": server_id}, "/write"]]},
            ],
        },
    )
    template.has_resource_properties(
        "AWS::Cognito::UserPoolResourceServer",
        {
            "Identifier": "orders",
            "Name": "orders",
            "Scopes": [
                {"ScopeName": "read", "ScopeDescription": "Read"},
                {"ScopeName": "write", "ScopeDescription": "Write"},
            ],
        },
    )
    template.resource_count_is(SECRET, 1)


def test_token_validities_and_attributes_reach_the_template(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        clients=[
            WebClient(
                name="web",
                o_auth=False,
                id_token_validity=Duration.minutes(5),
                access_token_validity=Duration.days(1),
                refresh_token_validity=Duration.days(3650),
                auth_session_validity=Duration.minutes(15),
                read_attributes=cognito.ClientAttributes().with_standard_attributes(email=True),
                write_attributes=cognito.ClientAttributes().with_standard_attributes(fullname=True),
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            )
        ],
    )
    props = client_props(Template.from_stack(stack), "web")
    assert (props["IdTokenValidity"], props["AccessTokenValidity"]) == (5, 1440)
    assert props["RefreshTokenValidity"] == 3650 * 1440
    assert props["AuthSessionValidity"] == 15
    assert (props["ReadAttributes"], props["WriteAttributes"]) == (["email"], ["name"])
    assert props["SupportedIdentityProviders"] == ["COGNITO"]


def test_implicit_grant_and_password_auth_leave_warnings(stack: Stack) -> None:
    CognitoAuth(
        stack,
        "Auth",
        clients=[
            WebClient(
                name="legacy",
                callback_urls=[CALLBACK],
                flows=cognito.OAuthFlows(implicit_code_grant=True),
                allow_implicit_grant=True,
                auth_flows=cognito.AuthFlow(user_srp=True, user_password=True),
            )
        ],
        domain=PREFIX,
    )
    annotations = Annotations.from_stack(stack)
    annotations.has_warning(
        "/TestStack/Auth/Clients/legacy", Match.string_like_regexp("implicit grant")
    )
    annotations.has_warning(
        "/TestStack/Auth/Clients/legacy", Match.string_like_regexp("USER_PASSWORD_AUTH")
    )
    assert client_props(Template.from_stack(stack), "legacy")["AllowedOAuthFlows"] == ["implicit"]


def test_app_clients_work_alone_on_an_existing_pool(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_EXAMPLE")
    clients = AppClients(
        stack,
        "Clients",
        user_pool=pool,
        clients=[
            WebClient(name="web", o_auth=False),
            # A resource server that already exists: the typed scope becomes its full name.
            MachineClient(name="job", scopes=[ORDERS.scope("read")]),
        ],
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        CLIENT, {"UserPoolId": "eu-west-1_EXAMPLE", "AllowedOAuthScopes": ["orders/read"]}
    )
    assert set(clients.clients) == {"web", "job"} and set(clients.secrets) == {"job"}


def test_a_new_pool_comes_with_one_srp_web_client(stack: Stack) -> None:
    auth = CognitoAuth(stack, "Auth")
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Cognito::UserPoolClient", 1)
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {
            "ClientName": "web",
            "GenerateSecret": False,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
            "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
            "AllowedOAuthFlowsUserPoolClient": False,
            "EnableTokenRevocation": True,
            "PreventUserExistenceErrors": "ENABLED",
        },
    )
    assert list(auth.clients) == ["web"]


def test_no_default_client_when_asked_for_none_or_for_an_existing_pool(stack: Stack) -> None:
    CognitoAuth(stack, "Auth", clients=())
    existing = cognito.UserPool.from_user_pool_id(stack, "Existing", "eu-west-1_EXAMPLE")
    CognitoAuth(stack, "Other", existing_user_pool=existing)
    Template.from_stack(stack).resource_count_is("AWS::Cognito::UserPoolClient", 0)


# --- Write attributes ---------------------------------------------------------------------------

STANDARD_WRITABLE = sorted(defaults.CLIENT_WRITE_ATTRIBUTES)


def test_the_default_client_writes_standard_attributes_only(stack: Stack) -> None:
    """Without WriteAttributes Cognito lets a client write every attribute, custom ones
    included: a user could choose their own tenant at sign-up."""
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            self_sign_up_enabled=True,
            custom_attributes={"tenant_id": cognito.StringAttribute(mutable=False)},
        ),
    )
    written = client_props(Template.from_stack(stack), "web")["WriteAttributes"]
    assert written == STANDARD_WRITABLE
    assert isinstance(written, list)
    assert not [a for a in written if a.startswith("custom:") or a.endswith("_verified")]


def test_the_default_write_attributes_are_every_standard_one_but_the_verified_flags() -> None:
    assert set(defaults.CLIENT_WRITE_ATTRIBUTES) == set(STANDARD_ATTRIBUTE_NAMES)


def test_web_and_server_clients_get_the_default_machine_clients_are_left_alone(
    stack: Stack,
) -> None:
    CognitoAuth(
        stack,
        "Auth",
        resource_servers=[ORDERS],
        clients=[
            WebClient(name="web", callback_urls=[CALLBACK]),
            ServerClient(name="server", callback_urls=[CALLBACK]),
            MachineClient(name="machine", scopes=[ORDERS.scope("read")]),
        ],
        domain=PREFIX,
    )
    template = Template.from_stack(stack)
    assert client_props(template, "web")["WriteAttributes"] == STANDARD_WRITABLE
    assert client_props(template, "server")["WriteAttributes"] == STANDARD_WRITABLE
    assert "WriteAttributes" not in client_props(template, "machine")


def test_app_clients_alone_on_an_imported_pool_get_the_default(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_example")
    AppClients(stack, "Clients", user_pool=pool, clients=[WebClient(name="web", o_auth=False)])
    props = client_props(Template.from_stack(stack), "web")
    assert props["WriteAttributes"] == STANDARD_WRITABLE


def test_clients_may_write_what_the_providers_they_offer_map(stack: Stack) -> None:
    """Cognito writes mapped attributes at each federated sign-in with the client's write
    permission (and refuses the sign-in without it)."""
    CognitoAuth(
        stack,
        "Auth",
        user_pool=UserPoolSettings(
            custom_attributes={"tenant_id": cognito.StringAttribute(mutable=True)}
        ),
        identity_providers=[
            GoogleLogin(client_id="id", client_secret=SecretValue.secrets_manager("google")),
            SamlLogin(
                provider_name="Corp",
                metadata_url="https://idp.example.com/metadata",
                attribute_mapping={"custom:tenant_id": "tenant"},
            ),
        ],
        clients=[
            # Federated only: a client that also signs native users in may not take these
            # (tests/infra/test_hardening_security.py).
            WebClient(
                name="web",
                callback_urls=[CALLBACK],
                supported_identity_providers=[
                    cognito.UserPoolClientIdentityProvider.GOOGLE,
                    cognito.UserPoolClientIdentityProvider.custom("Corp"),
                ],
            ),
            WebClient(
                name="google-only",
                callback_urls=[CALLBACK],
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.GOOGLE],
            ),
            WebClient(
                name="explicit",
                callback_urls=[CALLBACK],
                write_attributes=cognito.ClientAttributes().with_standard_attributes(email=True),
            ),
        ],
        domain=PREFIX,
    )
    template = Template.from_stack(stack)
    both = sorted([*STANDARD_WRITABLE, "email_verified", "custom:tenant_id"])
    assert client_props(template, "web")["WriteAttributes"] == both
    google = sorted([*STANDARD_WRITABLE, "email_verified"])
    assert client_props(template, "google-only")["WriteAttributes"] == google
    assert client_props(template, "explicit")["WriteAttributes"] == ["email"]


def test_writable_attributes_say_why() -> None:
    saml = SamlLogin(
        provider_name="Corp",
        metadata_url="https://idp.example.com/metadata",
        attribute_mapping={"custom:tenant_id": "tenant"},
    )
    writable = writable_attributes(WebClient(name="web", callback_urls=[CALLBACK]), [saml])
    assert writable["custom:tenant_id"] == "identity provider 'Corp' maps it"
    assert writable["email"] == "the default write attributes"
    # Without OAuth, no federated sign-in goes through the client: nothing mapped is added.
    assert "custom:tenant_id" not in writable_attributes(WebClient(name="w", o_auth=False), [saml])
    explicit = WebClient(
        name="web",
        o_auth=False,
        write_attributes=client_attributes(["name", "custom:tenant_id"]),
    )
    assert writable_attributes(explicit, [saml]) == {
        "custom:tenant_id": "its write_attributes",
        "name": "its write_attributes",
    }
    assert writable_attributes(MachineClient(name="m", scopes=[ORDERS.scope("read")])) == {}


def test_fails_when_write_attributes_list_nothing(stack: Stack) -> None:
    """An empty WriteAttributes is Cognito's default: every attribute writable."""
    with pytest.raises(ConfigurationError, match=r"write_attributes lists no attribute"):
        CognitoAuth(
            stack,
            "Auth",
            clients=[
                WebClient(name="web", o_auth=False, write_attributes=cognito.ClientAttributes())
            ],
        )
