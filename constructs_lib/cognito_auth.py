"""``CognitoAuth``: the one-line entry that assembles every capability of the library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import Annotations, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from constructs_lib.app_access import (
    AppAccess,
    ConsumerParameters,
    app_access_problems,
    consumer_config,
    define_app_access,
)
from constructs_lib.branding import Branding, branding_problems
from constructs_lib.clients import (
    AppClient,
    MachineClient,
    default_clients,
    native_write_problems,
    with_provider_write_attributes,
    writable_attributes,
)
from constructs_lib.domain import HostedUiDomain
from constructs_lib.federation import (
    IdentityProvider,
    define_identity_provider,
    effective_mapping,
    federation_problems,
    provider_construct_id,
)
from constructs_lib.identity_pool import (
    IdentityPoolSettings,
    SecureIdentityPool,
    identity_pool_problems,
    user_writable_claim_problems,
)
from constructs_lib.operations import (
    AuthOperations,
    OperationsSettings,
    operations_problems,
    threat_protection_plus_of,
)
from constructs_lib.replication import (
    Replication,
    UserPoolReplication,
    replication_problems,
    route_domain_on_failover,
)
from constructs_lib.resource_servers import ResourceServer
from constructs_lib.terms import ClientTerms, TermsDocuments, terms_problems
from constructs_lib.triggers import (
    Triggers,
    UserPoolTriggers,
    trigger_problems,
    with_custom_sender_key,
)
from constructs_lib.user_files import UserFiles, UserFilesSettings, user_files_problems
from constructs_lib.user_pool import (
    SecureUserPool,
    UserPoolSettings,
    issuer_url_of,
    user_pool_problems,
)
from constructs_lib.validation import Problems


class CognitoAuth(Construct):
    """Complete Cognito authentication for an application.

    With no arguments it defines a secure user pool (see README, "Default settings") and nothing
    that costs extra or opens access. The constructor reads as a recipe: judge every argument,
    then define the pool, its triggers, identity providers, clients and domain (with their
    branding), the clients' terms documents, the identity pool, the per-user files, the
    replication to other Regions and the operations that watch and shield it all.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable: a new ID replaces the user pool and loses every user.
        user_pool: Settings for a new pool. Default: ``UserPoolSettings()`` (the secure default).
        existing_user_pool: Use a pool you already have instead of defining one; then
            ``user_pool`` must not be given. Default: none (a new pool is defined).
        triggers: Bundled Lambda triggers and functions of your own, wired to the pool; the
            pool must be defined in this app (not imported). Default: none.
        identity_pool: Define an identity pool (AWS credentials for signed-in users) linked to
            the user pool; link app clients with ``identity_pool.add_user_pool_client``.
            Default: none.
        user_files: Define per-user S3 prefixes (or grant them on ``existing_bucket``) for the
            identity pool's authenticated and group roles; needs ``identity_pool``.
            Default: none.
        clients: App clients (``WebClient``, ``ServerClient``, ``MachineClient``), by unique
            name; ``()`` for none. Default: for a new pool, one ``WebClient`` named ``web`` that
            signs users in with SRP through the pool's API (no hosted UI, so no domain needed);
            for an existing pool, none.
        resource_servers: Resource servers whose custom scopes clients may ask for.
            Default: none.
        domain: The hosted UI domain (``HostedUiDomain.cognito_prefix(...)`` or
            ``.custom_domain(...)``); clients with OAuth flows need one. Default: none.
        identity_providers: Social and enterprise sign-in (``GoogleLogin``, ``FacebookLogin``,
            ``AppleLogin``, ``AmazonLogin``, ``SamlLogin``, ``OidcLogin``); they need
            ``domain``. Every client but a ``MachineClient`` offers all of them unless it
            lists its own ``supported_identity_providers``, and depends on those it offers; a
            client that also offers native sign-in may not take providers that map
            ``email_verified``, ``phone_number_verified`` or custom attributes
            (``clients.native_write_problems``). Default: none.
        replication: Replicate the pool to other Regions (``Replication(regions=[...])``): a
            multi-Region key, the updated issuer, a replica and a stack per replica Region with
            the triggers; needs ESSENTIALS or PLUS and a stack with an explicit account and
            Region. ``issuer_url`` then gives the updated issuer. Default: none.
        operations: Alarms, a dashboard, a WAF web ACL and log delivery for the pool
            (``AuthOperations``); the trigger functions are watched too. Default: none.
        branding: Your own hosted UI look (``Branding``): managed login styles for all or some
            clients, or classic hosted UI CSS; needs ``domain``. Default: Cognito's default look.
        terms: Terms of use and privacy policy links (``TermsDocuments``) by client name,
            shown on managed login's sign-up page; needs ``domain`` with managed login.
            Default: none.

    Raises:
        ConfigurationError: for every problem in the arguments, all together, before any
            resource is defined.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: UserPoolSettings | None = None,
        existing_user_pool: cognito.IUserPool | None = None,
        triggers: Triggers | None = None,
        identity_pool: IdentityPoolSettings | None = None,
        user_files: UserFilesSettings | None = None,
        clients: Sequence[AppClient] | None = None,
        resource_servers: Sequence[ResourceServer] = (),
        domain: HostedUiDomain | None = None,
        identity_providers: Sequence[IdentityProvider] = (),
        replication: Replication | None = None,
        operations: OperationsSettings | None = None,
        branding: Branding | None = None,
        terms: Mapping[str, TermsDocuments] | None = None,
    ) -> None:
        if clients is None:
            clients = default_clients() if existing_user_pool is None else ()
        problems = Problems(type(self).__name__)
        if existing_user_pool is not None and user_pool is not None:
            given = ", ".join(user_pool.given()) or "UserPoolSettings()"
            problems.add(
                f"existing_user_pool and user_pool settings ({given}) cannot be used together: "
                "settings apply only to a pool this construct defines; configure the existing "
                "pool where it is defined, or drop existing_user_pool"
            )
        elif existing_user_pool is None:
            user_pool_problems(user_pool or UserPoolSettings(), problems)
        if triggers is not None:
            self._trigger_problems(
                triggers, user_pool, existing_user_pool, problems, identity_providers
            )
        self._identity_problems(identity_pool, user_files, user_pool, existing_user_pool, problems)
        if identity_pool is not None:
            writable = {c.name: writable_attributes(c, identity_providers) for c in clients}
            user_writable_claim_problems(identity_pool, writable, problems)
        app_access_problems(
            clients=clients,
            resource_servers=resource_servers,
            domain=domain,
            new_pool=existing_user_pool is None,
            stack=Stack.of(scope),
            problems=problems,
        )
        if domain is not None:
            _managed_login_plan_problems(
                domain, _feature_plan_of(user_pool, existing_user_pool), problems
            )
        if identity_providers:
            self._federation_problems(
                identity_providers, clients, domain, user_pool, existing_user_pool, scope, problems
            )
        if replication is not None:
            self._replication_problems(
                replication, user_pool, existing_user_pool, triggers, domain, scope, problems
            )
        if operations is not None:
            _operations_problems(operations, user_pool, existing_user_pool, problems)
        if branding is not None or terms:
            _hosted_ui_look_problems(clients, domain, branding, terms or {}, problems)
        problems.raise_if_any()

        super().__init__(scope, construct_id)
        self.user_pool: cognito.IUserPool
        if existing_user_pool is not None:
            self.user_pool = existing_user_pool
        else:
            # "UserPool" is public contract: the pool's logical ID derives from it.
            settings = with_custom_sender_key(self, user_pool or UserPoolSettings(), triggers)
            self.user_pool = SecureUserPool(self, "UserPool", settings=settings)
        self.triggers: UserPoolTriggers | None = None
        if triggers is not None and isinstance(self.user_pool, cognito.UserPool):
            self.triggers = UserPoolTriggers(
                self, "Triggers", user_pool=self.user_pool, triggers=triggers
            )
        self.identity_providers: dict[str, cognito.IUserPoolIdentityProvider] = {}
        if identity_providers:
            self._define_identity_providers(identity_providers)
        self._warn_about_unmapped_groups(triggers, identity_providers)
        clients = with_provider_write_attributes(clients, identity_providers)
        self._define_app_access(clients, resource_servers, domain, branding)
        self._define_terms(terms or {}, domain)
        self._depend_on_offered_providers(clients)
        self._define_identity_pool(identity_pool)
        self._define_user_files(user_files)
        self._define_replication(replication, triggers)
        self._define_operations(operations)

    @staticmethod
    def _replication_problems(
        replication: Replication,
        settings: UserPoolSettings | None,
        existing: cognito.IUserPool | None,
        triggers: Triggers | None,
        domain: HostedUiDomain | None,
        scope: Construct,
        problems: Problems,
    ) -> None:
        if existing is not None and not isinstance(existing, SecureUserPool):
            problems.add(
                "replication needs a user pool defined by this library (a new one, or an "
                "existing SecureUserPool); an imported existing_user_pool cannot take the key "
                "and issuer configuration through CloudFormation"
            )
        stack = Stack.of(existing) if existing is not None else Stack.of(scope)
        plan = _feature_plan_of(settings, existing)
        replication_problems(
            replication, stack=stack, feature_plan=plan, triggers=triggers, problems=problems
        )
        if replication.failover_health_check_id is not None and domain is None:
            problems.add(
                "replication.failover_health_check_id routes the hosted UI domain on failover, "
                "so it needs domain=HostedUiDomain...; drop it or add a domain"
            )

    def _define_replication(self, settings: Replication | None, triggers: Triggers | None) -> None:
        self.replication: UserPoolReplication | None = None
        if settings is None:
            return
        # "Replication" is public contract: the multi-Region key's logical ID derives from it.
        self.replication = UserPoolReplication(
            self, "Replication", user_pool=self.user_pool, replication=settings, triggers=triggers
        )
        if settings.failover_health_check_id is not None and self.domain is not None:
            region = settings.regions[0]
            route_domain_on_failover(self.domain, region, settings.failover_health_check_id)
        if self.identity_pool is not None:
            Annotations.of(self).add_warning_v2(
                "cognito-auth:replicationIdentityPool",
                "the identity pool is not replicated: it stays in the user pool's Region, so AWS "
                "credentials for signed-in users are not available there on failover",
            )

    def _define_operations(self, settings: OperationsSettings | None) -> None:
        self.operations: AuthOperations | None = None
        if settings is None:
            return
        functions = self.triggers.functions if self.triggers is not None else {}
        if self.replication is not None and self.replication.settings.regions:
            Annotations.of(self).add_warning_v2(
                "cognito-auth:operationsPrimaryRegionOnly",
                "operations watch and shield the pool in its own Region only: the replica "
                f"Regions {list(self.replication.settings.regions)!r} get no alarms, web ACL or "
                "log delivery from this library (WAF and log export are set per Region), so "
                "watch the replica Region's triggers and sign-ins with alarms of your own "
                "before relying on failover",
            )
        # "Operations" is public contract: the log groups' logical IDs derive from it.
        self.operations = AuthOperations(
            self,
            "Operations",
            user_pool=self.user_pool,
            settings=settings,
            trigger_functions=functions,
        )

    @staticmethod
    def _federation_problems(
        providers: Sequence[IdentityProvider],
        clients: Sequence[AppClient],
        domain: HostedUiDomain | None,
        settings: UserPoolSettings | None,
        existing: cognito.IUserPool | None,
        scope: Construct,
        problems: Problems,
    ) -> None:
        custom: list[str] | None = None
        if existing is None:
            custom = list((settings or UserPoolSettings()).custom_attributes or {})
        elif isinstance(existing, SecureUserPool):
            custom = list(existing.settings.custom_attributes or {})
        federation_problems(
            providers, custom_attributes=custom, stack=Stack.of(scope), problems=problems
        )
        if domain is None and existing is None:
            problems.add(
                "identity_providers need a hosted UI domain: federated sign-in goes through it; "
                "add domain=HostedUiDomain.cognito_prefix(...) or .custom_domain(...)"
            )
        native_write_problems(clients, providers, problems)
        known = {p.name for p in providers} | {"COGNITO"}
        for client in clients:
            offered = client.supported_identity_providers
            unknown = sorted({p.name for p in offered or ()} - known)
            if existing is None and unknown:
                problems.add(
                    f"clients[{client.name!r}].supported_identity_providers names {unknown!r}, "
                    f"which are not among identity_providers ({', '.join(sorted(known))})"
                )

    def _define_identity_providers(self, providers: Sequence[IdentityProvider]) -> None:
        # "IdentityProviders/Provider<name>": constant per provider, since its name identifies it.
        parent = Construct(self, "IdentityProviders")
        for provider in providers:
            self.identity_providers[provider.name] = define_identity_provider(
                parent, provider_construct_id(provider), self.user_pool, provider
            )

    def _warn_about_unmapped_groups(
        self, triggers: Triggers | None, providers: Sequence[IdentityProvider]
    ) -> None:
        """The inbound federation trigger passes the joined groups on under a provider
        attribute name; without a mapping to a pool attribute, Cognito keeps nothing of them."""
        federation = triggers.inbound_federation if triggers is not None else None
        if federation is None or federation.groups_attribute is None or self.triggers is None:
            return
        name = federation.groups_output_attribute or federation.groups_attribute
        unmapped = [p.name for p in providers if name not in effective_mapping(p).values()]
        if unmapped or not providers:
            Annotations.of(self.triggers).add_warning_v2(
                "cognito-auth:inbound-federation-groups-unmapped",
                f"triggers.inbound_federation passes the groups on as {name!r}, which "
                f"{', '.join(map(repr, unmapped)) or 'no identity provider'} maps to no pool "
                f"attribute; add attribute_mapping={{'custom:groups': {name!r}}} to the provider",
            )

    def _depend_on_offered_providers(self, clients: Sequence[AppClient]) -> None:
        """A client may only list a provider that exists: without the dependency, the first
        deploy can create the client first and fail ("The provider Google does not exist")."""
        for spec in clients:
            created = self.clients.get(spec.name)
            if created is None or isinstance(spec, MachineClient):  # it offers no provider
                continue
            offered = spec.supported_identity_providers
            names = (
                set(self.identity_providers)
                if offered is None
                else {p.name for p in offered} & set(self.identity_providers)
            )
            for name in sorted(names):
                created.node.add_dependency(self.identity_providers[name])

    @staticmethod
    def _trigger_problems(
        triggers: Triggers,
        settings: UserPoolSettings | None,
        existing: cognito.IUserPool | None,
        problems: Problems,
        identity_providers: Sequence[IdentityProvider] = (),
    ) -> None:
        if existing is not None and not isinstance(existing, cognito.UserPool):
            problems.add(
                "triggers need a user pool defined in this app; an imported existing_user_pool "
                "cannot take triggers through CloudFormation (set them where the pool is defined)"
            )
        plan = _feature_plan_of(settings, existing)
        groups = _groups_of(settings, existing)
        # Judged when providers are given here for a new pool; without any, they may be
        # added to the pool elsewhere, and an existing pool may have more.
        providers = [p.name for p in identity_providers] if identity_providers else None
        if existing is not None:
            providers = None
        trigger_problems(
            triggers,
            feature_plan=plan,
            problems=problems,
            groups=None if groups is None else list(groups),
            identity_providers=providers,
        )

    @staticmethod
    def _identity_problems(
        settings: IdentityPoolSettings | None,
        files: UserFilesSettings | None,
        pool_settings: UserPoolSettings | None,
        existing: cognito.IUserPool | None,
        problems: Problems,
    ) -> None:
        if settings is not None:
            identity_pool_problems(settings, problems)
            if settings.group_roles:
                groups = _groups_of(pool_settings, existing)
                for name in settings.group_roles:
                    if groups is None:
                        problems.add(
                            f"identity_pool.group_roles ({name!r}) need groups this library "
                            "defines (UserPoolSettings.groups, or an existing SecureUserPool); "
                            "for another pool, attach the roles where its groups are defined"
                        )
                        break
                    if name not in groups:
                        known = ", ".join(sorted(map(repr, groups))) or "none"
                        problems.add(
                            f"identity_pool.group_roles: {name!r} is not a user pool group "
                            f"(groups: {known}); add Group(name={name!r}) to user_pool.groups"
                        )
                    elif groups[name] is not None:
                        problems.add(
                            f"identity_pool.group_roles: group {name!r} already has a role; "
                            "drop it from group_roles, or drop Group.role"
                        )
        if files is None:
            return
        user_files_problems(files, problems)
        if settings is None:
            problems.add(
                "user_files needs identity_pool=IdentityPoolSettings(): users reach their "
                "files with identity pool credentials"
            )
            return
        tag = files.effective_owner.principal_tag
        tags = settings.principal_tags or {}
        if tag is not None and settings.developer_provider_name is not None:
            problems.add(_DEVELOPER_TAG_PROBLEM.format(tag=tag))
        if tag is not None and not settings.principal_tags:
            problems.add(
                f"user_files.owner keys files on the principal tag {tag!r}, but the identity "
                f"pool maps no principal tags; add principal_tags={{{tag!r}: 'sub'}} to "
                "IdentityPoolSettings"
            )
        elif tag is not None and tags.get(tag) != "sub":
            problems.add(
                f"user_files.owner keys files on the principal tag {tag!r}, but "
                f"identity_pool.principal_tags maps it to {tags.get(tag)!r}; add "
                f"principal_tags={{{tag!r}: 'sub', ...}} to the identity pool settings"
            )

    def _define_identity_pool(self, settings: IdentityPoolSettings | None) -> None:
        self.identity_pool: SecureIdentityPool | None = None
        self.authenticated_role: iam.IRole | None = None
        self.unauthenticated_role: iam.IRole | None = None
        self.group_roles: dict[str, iam.Role] = {}
        if settings is None:
            return
        # "IdentityPool" is public contract: a new ID replaces the pool and every identity id.
        pool = SecureIdentityPool(self, "IdentityPool", settings=settings)
        self.identity_pool = pool
        self.authenticated_role = pool.authenticated_role
        self.unauthenticated_role = pool.guest_role
        self.group_roles = pool.group_roles
        groups = getattr(self.user_pool, "groups", {})
        for name, role in pool.group_roles.items():
            # Token-based mapping reads the role from the group (cognito:preferred_role).
            groups[name].node.default_child.role_arn = role.role_arn
        # Every app client that signs users in; machine clients (client credentials) have no
        # users to give credentials to.
        specs = self._access.app_clients.settings if self._access.app_clients else {}
        for name, spec in specs.items():
            if not isinstance(spec, MachineClient):
                pool.add_user_pool_client(self.user_pool, self.clients[name])

    def _define_user_files(self, settings: UserFilesSettings | None) -> None:
        self.user_files: UserFiles | None = None
        self.user_files_bucket: s3.IBucket | None = None
        if settings is None or self.authenticated_role is None:
            return
        # A user mapped to a group role holds only that role, so group roles get the files too.
        roles = [self.authenticated_role, *self.group_roles.values()]
        tag = settings.effective_owner.principal_tag
        if tag is not None and self.identity_pool is not None:
            # The tag names whose private/<sub>/ a user reaches: no external IdP may set it.
            self.identity_pool.reserve_tag_for_user_pools(tag)
        # "UserFiles" is public contract: the bucket's logical ID derives from it.
        self.user_files = UserFiles(self, "UserFiles", settings=settings, roles=roles)
        self.user_files_bucket = self.user_files.bucket

    def _define_app_access(
        self,
        clients: Sequence[AppClient],
        resource_servers: Sequence[ResourceServer],
        domain: HostedUiDomain | None,
        branding: Branding | None = None,
    ) -> None:
        """Resource servers, clients, then the hosted UI (see ``define_app_access``)."""
        self._access: AppAccess = define_app_access(
            self,
            user_pool=self.user_pool,
            clients=clients,
            resource_servers=resource_servers,
            domain=domain,
            branding=branding,
        )
        access = self._access
        self.resource_servers: dict[str, cognito.UserPoolResourceServer] = (
            dict(access.resource_servers.resource_servers) if access.resource_servers else {}
        )
        self.clients: dict[str, cognito.UserPoolClient] = (
            dict(access.app_clients.clients) if access.app_clients else {}
        )
        self.client_secrets: dict[str, secretsmanager.Secret] = (
            dict(access.app_clients.secrets) if access.app_clients else {}
        )
        self.hosted_ui = access.hosted_ui
        self.domain: cognito.UserPoolDomain | None = (
            access.hosted_ui.domain if access.hosted_ui else None
        )

    def _define_terms(
        self, terms: Mapping[str, TermsDocuments], domain: HostedUiDomain | None
    ) -> None:
        """Terms documents per client (``ClientTerms``), when asked for."""
        self.terms: ClientTerms | None = None
        if not terms or domain is None:
            return
        self.terms = ClientTerms(
            self,
            "Terms",
            user_pool=self.user_pool,
            clients={name: self.clients[name] for name in terms},
            terms=terms,
            managed_login_version=domain.effective_managed_login_version,
        )

    def consumer_config(self) -> dict[str, str]:
        """What a frontend or backend needs, keyed as output IDs: ``Region``, ``UserPoolId``,
        ``UserPoolArn``, ``IssuerUrl``, ``JwksUrl``, ``ClientId<Name>`` / ``Scopes<Name>`` /
        ``ClientSecretArn<Name>`` per client, and with a domain ``HostedUiBaseUrl``,
        ``AuthorizeUrl``, ``TokenUrl``, ``LogoutUrl``, ``UserInfoUrl``; ``IdentityPoolId`` and
        ``UserFilesBucket`` when defined. With replication: ``IssuerType`` (``updated``: the
        issuer of tokens from every Region), ``ReplicaRegions`` (comma-separated, in failover
        order; left out with no replica) and ``UserPoolEndpoint<Region>``
        (``UserPoolEndpointEuWest1``, ...) for the primary and each replica: the user pools API
        a client fails over to. Never a client secret.
        """
        config = consumer_config(
            user_pool=self.user_pool,
            issuer_url=self.issuer_url,
            jwks_url=self.jwks_url,
            access=self._access,
        )
        if self.identity_pool is not None:
            config["IdentityPoolId"] = self.identity_pool.identity_pool_id
        if self.user_files_bucket is not None:
            config["UserFilesBucket"] = self.user_files_bucket.bucket_name
        if self.replication is not None:
            config.update(self.replication.consumer_config())
        return config

    def add_consumer_parameters(self, parameter_prefix: str) -> ConsumerParameters:
        """Publish ``consumer_config()`` as SSM parameters ``<parameter_prefix>/<key>``."""
        return ConsumerParameters(
            self,
            "ConsumerParameters",
            config=self.consumer_config(),
            parameter_prefix=parameter_prefix,
        )

    @property
    def issuer_url(self) -> str:
        """The ``iss`` claim of the pool's tokens: what backends compare tokens against; with
        replication, the updated issuer in the pool's (primary) Region, the same for tokens of
        every replica (``issuer_url_of``)."""
        return issuer_url_of(self.user_pool)

    @property
    def jwks_url(self) -> str:
        """The URL of the JSON Web Key Set that signs the pool's tokens."""
        return f"{self.issuer_url}/.well-known/jwks.json"


def _hosted_ui_look_problems(
    clients: Sequence[AppClient],
    domain: HostedUiDomain | None,
    branding: Branding | None,
    terms: Mapping[str, TermsDocuments],
    problems: Problems,
) -> None:
    """Branding and terms belong to the hosted UI, and to the clients that sign in there."""
    if domain is None:
        given = [n for n, v in (("branding", branding), ("terms", terms)) if v]
        verb = "need" if len(given) > 1 else "needs"
        problems.add(
            f"{' and '.join(given)} {verb} a hosted UI domain; add "
            "domain=HostedUiDomain.cognito_prefix(...) or .custom_domain(...)"
        )
        return
    signing_in = [
        c.name for c in clients if not isinstance(c, MachineClient) and getattr(c, "o_auth", False)
    ]
    version = domain.effective_managed_login_version
    if branding is not None:
        branding_problems(
            branding, problems, managed_login_clients=signing_in, managed_login_version=version
        )
    if terms:
        terms_problems(terms, problems, client_names=signing_in, managed_login_version=version)


#: GetOpenIdTokenForDeveloperIdentity takes PrincipalTags from the developer's backend, so
#: that backend could tag a session with any user's sub. See
#: https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdTokenForDeveloperIdentity.html
_DEVELOPER_TAG_PROBLEM = (
    "user_files.owner keys files on the principal tag {tag!r}, which only the user pool may "
    "set, but identity_pool.developer_provider_name accepts developer-authenticated identities, "
    "whose backend passes its own PrincipalTags (GetOpenIdTokenForDeveloperIdentity) and so "
    "could reach any user's private/ prefix; drop developer_provider_name, or key files on "
    "FileOwner.identity_id()"
)


def _managed_login_plan_problems(
    domain: HostedUiDomain, plan: cognito.FeaturePlan | None, problems: Problems
) -> None:
    """Managed login (v2) exists on the ESSENTIALS and PLUS plans only."""
    managed = (
        domain.effective_managed_login_version == cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN
    )
    if managed and plan == cognito.FeaturePlan.LITE:
        problems.add(
            "domain uses managed login, which needs feature_plan ESSENTIALS or PLUS, got "
            "LITE; pass managed_login_version=ManagedLoginVersion.CLASSIC_HOSTED_UI to "
            "HostedUiDomain, or choose another plan"
        )


def _operations_problems(
    settings: OperationsSettings,
    pool_settings: UserPoolSettings | None,
    existing: cognito.IUserPool | None,
    problems: Problems,
) -> None:
    """The operations settings, judged against the plan and threat protection of the pool."""
    plus: bool | None
    if existing is None:
        plus = (pool_settings or UserPoolSettings()).threat_protection_plus
    else:
        plus = threat_protection_plus_of(existing)
    operations_problems(settings, threat_protection_plus=plus, problems=problems)


def _feature_plan_of(
    settings: UserPoolSettings | None, existing: cognito.IUserPool | None
) -> cognito.FeaturePlan | None:
    """The pool's feature plan; None when the pool is imported and its plan unknown."""
    if existing is None:
        return (settings or UserPoolSettings()).effective_feature_plan
    if isinstance(existing, SecureUserPool):
        return existing.settings.effective_feature_plan
    return None


def _groups_of(
    settings: UserPoolSettings | None, existing: cognito.IUserPool | None
) -> dict[str, iam.IRole | None] | None:
    """Group name -> its own role, for the groups this library defines; None if unknown."""
    if existing is None:
        return {g.name: g.role for g in (settings or UserPoolSettings()).groups or ()}
    if isinstance(existing, SecureUserPool):
        return {g.name: g.role for g in existing.settings.groups or ()}
    return None
