"""The hosted UI domain: a Cognito prefix or a custom domain, with managed login branding.

``HostedUiDomain.cognito_prefix("acme")`` serves the hosted UI at
``https://acme.auth.<region>.amazoncognito.com``; ``HostedUiDomain.custom_domain(...)`` at your
own name. ``hosted_ui_domain_problems`` judges the choice without creating anything, and
``HostedUi`` defines the domain (with its certificate and alias record) and a managed login
branding style per client on any ``IUserPool``.

Custom domains: Cognito serves them through CloudFront, which takes its certificate from
us-east-1 only. Give a certificate there, or a Route 53 hosted zone: then a DNS-validated
certificate is created in us-east-1: in the same stack when it is deployed there, otherwise in a
sibling stack ``<stack id>HostedUiCertificate`` (Region us-east-1, same account) whose certificate
ARN reaches this stack through CDK's cross-region references (an SSM parameter written and read
by CDK's own custom resources). That is the supported replacement for the deprecated
``acm.DnsValidatedCertificate``, and it works for a stack in any Region with an explicit
``env``. The parent domain (``example.com`` for ``auth.example.com``) must resolve (an A record)
before Cognito accepts the custom domain.
See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-add-custom-domain.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import jsii
from aws_cdk import Arn, ArnFormat, Environment, Resource, Stack, Token
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.branding import Branding, branding_problems
from constructs_lib.validation import Problems, is_token

_PREFIX = re.compile(defaults.DOMAIN_PREFIX_PATTERN)
_HOST_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True, kw_only=True)
class HostedUiDomain:
    """Where the hosted UI (managed login) is served. Make one with a factory:
    ``HostedUiDomain.cognito_prefix(...)`` or ``HostedUiDomain.custom_domain(...)``.

    Args:
        prefix: The Cognito prefix. Cannot change in place: a new prefix is a new domain.
        domain_name: The custom domain, e.g. ``auth.example.com``.
        certificate: An ACM certificate in us-east-1 for ``domain_name``. Default: created with
            DNS validation in ``hosted_zone``.
        hosted_zone: The Route 53 zone of ``domain_name``: the alias record goes there, and the
            certificate is validated there when none is given. Default: none (then make the DNS
            record yourself, pointing at ``HostedUi.domain.cloud_front_endpoint``).
        managed_login_version: ``NEWER_MANAGED_LOGIN`` (managed login, with a branding style per
            client) or ``CLASSIC_HOSTED_UI``. Default: ``NEWER_MANAGED_LOGIN``.
    """

    prefix: str | None = None
    domain_name: str | None = None
    certificate: acm.ICertificate | None = None
    hosted_zone: route53.IHostedZone | None = None
    managed_login_version: cognito.ManagedLoginVersion | None = None

    @classmethod
    def cognito_prefix(
        cls, prefix: str, *, managed_login_version: cognito.ManagedLoginVersion | None = None
    ) -> HostedUiDomain:
        """``https://<prefix>.auth.<region>.amazoncognito.com``; the prefix must be unique in
        the Region across all AWS accounts and may not contain aws, amazon or cognito."""
        return cls(prefix=prefix, managed_login_version=managed_login_version)

    @classmethod
    def custom_domain(
        cls,
        domain_name: str,
        *,
        certificate: acm.ICertificate | None = None,
        hosted_zone: route53.IHostedZone | None = None,
        managed_login_version: cognito.ManagedLoginVersion | None = None,
    ) -> HostedUiDomain:
        """Your own domain, with a us-east-1 ``certificate``, or a ``hosted_zone`` to create and
        validate one in; with a zone, the alias A record is created too."""
        return cls(
            domain_name=domain_name,
            certificate=certificate,
            hosted_zone=hosted_zone,
            managed_login_version=managed_login_version,
        )

    @property
    def is_custom(self) -> bool:
        return self.domain_name is not None

    @property
    def effective_managed_login_version(self) -> cognito.ManagedLoginVersion:
        return self.managed_login_version or defaults.MANAGED_LOGIN_VERSION


def suggest_prefix(prefix: str) -> str:
    """A prefix close to ``prefix`` that Cognito accepts."""
    text = prefix.lower()
    for word in defaults.DOMAIN_PREFIX_RESERVED_WORDS:
        text = text.replace(word, "")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = re.sub(r"-{2,}", "-", text)[:58].strip("-")
    return f"{text}-auth" if text else "my-app-auth"


def hosted_ui_domain_problems(
    domain: HostedUiDomain, problems: Problems, *, stack: Stack | None = None
) -> None:
    """Add every problem of ``domain`` to ``problems``; tokens are not judged.

    Args:
        stack: The stack the domain goes into; its Region decides where a certificate is
            created. Default: unknown (not checked).
    """
    if (domain.prefix is None) == (domain.domain_name is None):
        problems.add(
            "domain: give exactly one of a Cognito prefix and a custom domain name; use "
            "HostedUiDomain.cognito_prefix(...) or HostedUiDomain.custom_domain(...)"
        )
        return
    if domain.prefix is not None:
        _check_prefix(domain, problems)
    else:
        _check_custom_domain(domain, problems, stack)


def _check_prefix(domain: HostedUiDomain, problems: Problems) -> None:
    prefix = domain.prefix
    assert prefix is not None
    if domain.certificate is not None or domain.hosted_zone is not None:
        problems.add(
            "domain: certificate and hosted_zone apply only to a custom domain, not to prefix "
            f"{prefix!r}"
        )
    if is_token(prefix):
        return
    if not _PREFIX.match(prefix):
        problems.add(
            f"domain prefix must be 1 to 63 lowercase letters, digits or hyphens, starting and "
            f"ending with a letter or digit, got {prefix!r} (try {suggest_prefix(prefix)!r})"
        )
    reserved = [w for w in defaults.DOMAIN_PREFIX_RESERVED_WORDS if w in prefix.lower()]
    if reserved:
        problems.add(
            f"domain prefix may not contain {' or '.join(map(repr, reserved))}, got {prefix!r} "
            f"(try {suggest_prefix(prefix)!r})"
        )


def _check_custom_domain(domain: HostedUiDomain, problems: Problems, stack: Stack | None) -> None:
    name = domain.domain_name
    assert name is not None
    if not is_token(name):
        labels = name.split(".")
        if len(name) > 253 or len(labels) < 2 or not all(map(_HOST_LABEL.match, labels)):
            problems.add(
                f"domain: custom domain name must be a lowercase host name such as "
                f"'auth.example.com' (no scheme, port, path or trailing dot), got {name!r}"
            )
    certificate, zone = domain.certificate, domain.hosted_zone
    if certificate is None and zone is None:
        problems.add(
            f"domain: custom domain {name!r} needs a certificate in us-east-1 (certificate=) or "
            "a Route 53 hosted zone to create and validate one in (hosted_zone=)"
        )
        return
    if zone is not None and not is_token(name):
        _check_zone_contains(name, zone, problems)
    region = defaults.HOSTED_UI_CERTIFICATE_REGION
    if certificate is not None:
        arn = certificate.certificate_arn
        if not is_token(arn):
            cert_region = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region
            problems.check(
                cert_region == region,
                f"domain: the certificate of a custom domain must be in {region} (CloudFront "
                f"serves it), got one in {cert_region!r}: {arn!r}",
            )
        return
    if stack is None:
        return
    if Token.is_unresolved(stack.region):
        problems.add(
            f"domain: creating the {region} certificate for {name!r} needs a stack with an "
            "explicit Region (Stack(..., env=Environment(region=...))), or give certificate="
        )
    elif stack.region != region and is_token(name):
        problems.add(
            f"domain: a custom domain name must be a literal string when the {region} "
            "certificate is created in its own stack, got a token: that certificate's "
            "construct ID derives from the name; give certificate= for a deploy-time name"
        )
    elif stack.region != region and zone is not None and Resource.is_owned_resource(zone):
        problems.add(
            f"domain: hosted_zone is defined in this app, so the {region} certificate stack "
            "cannot use it without a reference cycle; pass an imported zone "
            "(route53.HostedZone.from_hosted_zone_attributes(...)) or certificate="
        )


def _check_zone_contains(name: str, zone: route53.IHostedZone, problems: Problems) -> None:
    """The alias record and the certificate's validation record go into ``zone``: it must be
    the domain's own zone or a parent of it."""
    try:
        zone_name = zone.zone_name
    except Exception:  # from_hosted_zone_id: the name is unknown here (jsii raises on access)
        return
    if is_token(zone_name):
        return
    apex = zone_name.rstrip(".").lower()
    host = name.lower()
    problems.check(
        host == apex or host.endswith(f".{apex}"),
        f"domain: hosted_zone {zone_name!r} does not contain the custom domain {name!r}; the "
        f"alias and certificate validation records would land in the wrong zone; pass the zone "
        f"of {name!r} or of a parent domain",
    )


class HostedUi(Construct):
    """The hosted UI domain of a user pool, new or existing, with managed login branding.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        user_pool: The pool the domain serves.
        domain: Where to serve it.
        clients: The clients that sign users in through the hosted UI, by name: with managed
            login, each gets a branding style with Cognito's default look, without which its
            pages say "Login pages unavailable". Default: none (call ``add_branding`` later).
        branding: Your own look: managed login styles for all or some clients, or CSS for the
            classic hosted UI (``constructs_lib.branding``). Default: Cognito's default look.

    Attributes:
        domain: The ``cognito.UserPoolDomain``.
        certificate: The certificate used by a custom domain (given or created), else None.
        alias_record: The Route 53 A record of a custom domain with a hosted zone, else None.
        brandings: The ``CfnManagedLoginBranding`` of each client, by name.
        classic_customizations: The ``CfnUserPoolUICustomizationAttachment`` of the classic
            hosted UI: ``"ALL"`` for ``Branding.classic``, and by client name.

    Raises:
        ConfigurationError: for every problem in ``domain`` and ``branding``, all at once.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        domain: HostedUiDomain,
        clients: Mapping[str, cognito.IUserPoolClient] | None = None,
        branding: Branding | None = None,
    ) -> None:
        problems = Problems(type(self).__name__)
        hosted_ui_domain_problems(domain, problems, stack=Stack.of(scope))
        if branding is not None:
            branding_problems(
                branding,
                problems,
                managed_login_clients=list(clients or {}),
                managed_login_version=domain.effective_managed_login_version,
            )
        problems.raise_if_any()
        super().__init__(scope, construct_id)
        self.settings = domain
        self.branding = branding or Branding()
        self._user_pool = user_pool
        self.certificate: acm.ICertificate | None = None
        self.alias_record: route53.ARecord | None = None
        if domain.domain_name is not None:
            self.certificate = domain.certificate or self._create_certificate(domain)
            custom = cognito.CustomDomainOptions(
                domain_name=domain.domain_name, certificate=self.certificate
            )
            prefix = None
        else:
            assert domain.prefix is not None
            custom = None
            prefix = cognito.CognitoDomainOptions(domain_prefix=domain.prefix)
        self.domain = cognito.UserPoolDomain(
            self,
            "Domain",
            user_pool=user_pool,
            cognito_domain=prefix,
            custom_domain=custom,
            managed_login_version=domain.effective_managed_login_version,
        )
        if domain.domain_name is not None and domain.hosted_zone is not None:
            self.alias_record = route53.ARecord(
                self,
                "AliasRecord",
                zone=domain.hosted_zone,
                # Fully qualified, so it works with zones imported by id alone (no zone name).
                record_name=f"{domain.domain_name}.",
                target=route53.RecordTarget.from_alias(_UserPoolDomainAlias(self.domain)),
            )
        self.brandings: dict[str, cognito.CfnManagedLoginBranding] = {}
        for name, client in (clients or {}).items():
            self.add_branding(name, client)
        self.classic_customizations: dict[str, cognito.CfnUserPoolUICustomizationAttachment] = {}
        self._customize_classic(clients or {})

    @property
    def base_url(self) -> str:
        """``https://<domain>``: the hosted UI and the OAuth endpoints live under it."""
        return self.domain.base_url()

    def add_branding(
        self, name: str, client: cognito.IUserPoolClient
    ) -> cognito.CfnManagedLoginBranding | None:
        """Give ``client`` its managed login branding style: ``branding``'s style for ``name``,
        else Cognito's default (nothing with the classic hosted UI). ``name`` identifies the
        client and is part of its branding's construct ID."""
        if (
            self.settings.effective_managed_login_version
            != cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN
        ):
            return None
        style = self.branding.style_of(name)
        # No L2 exists yet. use_cognito_provided_values gives Cognito's default style and must
        # go without settings and assets (CreateManagedLoginBranding).
        if style is None or style.is_default:
            branding = cognito.CfnManagedLoginBranding(
                self,
                f"Branding{name}",
                user_pool_id=self._user_pool.user_pool_id,
                client_id=client.user_pool_client_id,
                use_cognito_provided_values=True,
            )
        else:
            branding = cognito.CfnManagedLoginBranding(
                self,
                f"Branding{name}",
                user_pool_id=self._user_pool.user_pool_id,
                client_id=client.user_pool_client_id,
                settings=style.settings_document(),
                assets=style.asset_properties() or None,
            )
        self.brandings[name] = branding
        return branding

    def _customize_classic(self, clients: Mapping[str, cognito.IUserPoolClient]) -> None:
        """Classic hosted UI CSS: for every client (``ClientId`` ``ALL``) and per client.
        Cognito takes it only once the pool has a domain."""
        if self.branding.classic is not None:
            self._add_classic("ALL", "ClassicUi", "ALL", self.branding.classic.text())
        for name, style in self.branding.classic_client_styles.items():
            client_id = clients[name].user_pool_client_id
            self._add_classic(name, f"ClassicUi{name}", client_id, style.text())

    def _add_classic(self, key: str, construct_id: str, client_id: str, css: str) -> None:
        attachment = cognito.CfnUserPoolUICustomizationAttachment(
            self,
            construct_id,
            user_pool_id=self._user_pool.user_pool_id,
            client_id=client_id,
            css=css,
        )
        attachment.node.add_dependency(self.domain)
        self.classic_customizations[key] = attachment

    def _create_certificate(self, domain: HostedUiDomain) -> acm.ICertificate:
        name, zone = domain.domain_name, domain.hosted_zone
        assert name is not None and zone is not None
        region = defaults.HOSTED_UI_CERTIFICATE_REGION
        stack = Stack.of(self)
        if stack.region == region:
            return acm.Certificate(
                self,
                "Certificate",
                domain_name=name,
                validation=acm.CertificateValidation.from_dns(zone),
            )
        certificate_stack = _certificate_stack(stack)
        # The domain name identifies the certificate; one stack can hold several domains.
        existing = certificate_stack.node.try_find_child(name)
        if isinstance(existing, acm.Certificate):
            return existing
        imported_zone = route53.HostedZone.from_hosted_zone_id(
            certificate_stack, f"Zone{name}", zone.hosted_zone_id
        )
        return acm.Certificate(
            certificate_stack,
            name,
            domain_name=name,
            validation=acm.CertificateValidation.from_dns(imported_zone),
        )


@jsii.implements(route53.IAliasRecordTarget)
class _UserPoolDomainAlias:
    """Like ``route53_targets.UserPoolDomainTarget``, but through ``cloud_front_endpoint``: the
    L2 target still reads the deprecated ``cloud_front_domain_name``."""

    def __init__(self, domain: cognito.UserPoolDomain) -> None:
        self._domain = domain

    def bind(
        self, _record: route53.IRecordSet, _zone: route53.IHostedZone | None = None
    ) -> route53.AliasRecordTargetConfig:
        return route53.AliasRecordTargetConfig(
            dns_name=self._domain.cloud_front_endpoint,
            hosted_zone_id=route53_targets.CloudFrontTarget.get_hosted_zone_id(self._domain),
        )


def _certificate_stack(consumer: Stack) -> Stack:
    """The us-east-1 sibling of ``consumer`` that holds its hosted UI certificates."""
    parent = consumer.node.scope
    assert isinstance(parent, Construct)
    stack_id = f"{consumer.node.id}HostedUiCertificate"
    existing = parent.node.try_find_child(stack_id)
    if isinstance(existing, Stack):
        return existing
    account = None if Token.is_unresolved(consumer.account) else consumer.account
    return Stack(
        parent,
        stack_id,
        env=Environment(account=account, region=defaults.HOSTED_UI_CERTIFICATE_REGION),
        description=(
            f"The us-east-1 certificate of the hosted UI custom domain of {consumer.stack_name}"
        ),
    )


__all__ = [
    "HostedUi",
    "HostedUiDomain",
    "hosted_ui_domain_problems",
    "suggest_prefix",
]
