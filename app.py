#!/usr/bin/env python3
"""The example app: Cognito authentication for a web app, configured from ``cdk.json``.

Settings live in the ``cognito_auth`` context object; override them per run with
``-c cognito_auth.user_pool.mfa=required`` or replace the whole object with
``-c cognito_auth='{"user_pool": {...}}'``. This is the only file that reads context.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from aws_cdk import App, Aws, CfnOutput, Environment, Stack, Validations
from aws_cdk import aws_cognito as cognito
from cdk_nag import AwsSolutionsChecks
from constructs import Construct

from constructs_lib import ClaimsTable, CognitoAuth, HostedUiDomain, Triggers, WebClient
from constructs_lib.app_config import AppConfig, TriggersConfig, merge_context, parse_app_config
from constructs_lib.branding import Branding, ManagedLoginStyle

#: Relative file names in cdk.json (branding logo, settings file) are relative to this folder.
APP_DIR = Path(__file__).resolve().parent


class AuthStack(Stack):
    """One ``CognitoAuth`` and the outputs a frontend or backend needs to use it."""

    def __init__(self, scope: Construct, construct_id: str, *, config: AppConfig, **kwargs: Any):
        super().__init__(scope, construct_id, **kwargs)
        prefix = config.domain_prefix or default_domain_prefix(construct_id)
        clients = self._web_clients(config)
        self.auth = CognitoAuth(
            self,
            "Auth",
            user_pool=config.user_pool,
            triggers=self._triggers(config.triggers) if config.triggers else None,
            clients=clients,
            domain=HostedUiDomain.cognito_prefix(prefix),
            identity_providers=config.identity_providers,
            identity_pool=config.identity_pool,
            user_files=config.user_files,
            # On: CognitoAuth defines the replica-Region stacks next to this one in the app.
            replication=config.replication,
            operations=config.operations,
            branding=Branding(style=in_app_dir(config.branding)) if config.branding else None,
            # Every client users sign up through shows the terms.
            terms={c.name: config.terms for c in clients} if config.terms else None,
        )
        for name, value in self.auth.consumer_config().items():
            CfnOutput(self, name, value=value)

    @staticmethod
    def _web_clients(config: AppConfig) -> list[WebClient]:
        """The ``web`` client; with identity providers, it signs in native users only and a
        ``web-federated`` client offers the providers, so that no native user may write what
        the providers map (``email_verified``, custom attributes)."""
        web = WebClient(
            name="web",
            callback_urls=list(config.web_client.callback_urls),
            logout_urls=list(config.web_client.logout_urls),
            refresh_token_rotation=config.web_client.refresh_token_rotation,
            refresh_token_rotation_grace_period=config.web_client.refresh_token_rotation_grace_period,
        )
        if not config.identity_providers:
            return [web]
        federated = [
            cognito.UserPoolClientIdentityProvider.custom(p.name) for p in config.identity_providers
        ]
        native = [cognito.UserPoolClientIdentityProvider.COGNITO]
        return [
            replace(web, supported_identity_providers=native),
            # Its one flow is ALLOW_REFRESH_TOKEN_AUTH (no pool password signs in through it),
            # which Cognito refuses with rotation: it keeps the library's default, no rotation.
            replace(
                web,
                name="web-federated",
                supported_identity_providers=federated,
                refresh_token_rotation=None,
                refresh_token_rotation_grace_period=None,
            ),
        ]

    def _triggers(self, config: TriggersConfig) -> Triggers:
        # The tables hold user data: constant IDs, retained (ClaimsTable's defaults).
        token, confirmation = config.pre_token_generation, config.post_confirmation
        if token is not None and config.claims_table:
            token = replace(token, claims_table=ClaimsTable(self, "UserClaims"))
        if confirmation is not None and config.profile_table:
            confirmation = replace(confirmation, profile_table=ClaimsTable(self, "UserProfiles"))
        return Triggers(
            pre_token_generation=token,
            pre_sign_up=config.pre_sign_up,
            post_confirmation=confirmation,
            custom_message=config.custom_message,
            inbound_federation=config.inbound_federation,
        )


def in_app_dir(style: ManagedLoginStyle) -> ManagedLoginStyle:
    """``style`` with its relative file names taken from the app's folder."""
    settings = style.settings_file
    return replace(
        style,
        settings_file=APP_DIR / settings if settings is not None else None,
        assets=[replace(asset, file=APP_DIR / asset.file) for asset in style.assets],
    )


def default_domain_prefix(stack_name: str) -> str:
    """``auth-<account id>-<6 hex digits of the stack name>``: prefixes are unique per Region
    across all accounts, so the account id keeps it free of others, and the stack name keeps two
    stacks of one account apart. Hex digits cannot spell the reserved words (aws, amazon,
    cognito) that the stack name itself may contain."""
    digest = hashlib.sha256(stack_name.encode()).hexdigest()[:6]
    return f"auth-{Aws.ACCOUNT_ID}-{digest}"


def define_example(app: App) -> AuthStack:
    """Define the example stack in ``app`` from the app's context."""
    config = parse_app_config(merge_context(app.node.get_all_context()))
    return AuthStack(
        app,
        config.stack_name,
        config=config,
        env=Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
            region=os.environ.get("CDK_DEFAULT_REGION"),
        ),
        description="Cognito authentication (cognito-auth-constructs example app)",
    )


def build_app(
    context: Mapping[str, Any] | None = None, *, nag: bool = True, **app_args: Any
) -> App:
    """The example app; ``context`` adds to what ``cdk.json`` and ``-c`` give."""
    app = App(context=dict(context or {}), **app_args)
    define_example(app)
    if nag:
        # cdk-nag 3 is a validation plugin: synth fails on any finding not acknowledged.
        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


if __name__ == "__main__":
    build_app().synth()
