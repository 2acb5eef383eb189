"""Multi-Region replication of a user pool: a multi-Region KMS key, the updated issuer, one
``UserPoolReplica`` per Region and, per replica Region, a stack with the regional configuration.

Cognito copies users, passwords, MFA secrets, app clients and most settings from the primary
pool to a secondary pool with the same pool ID; the secondary takes sign-ins and issues tokens
when the primary Region fails. It needs the ESSENTIALS or PLUS plan, a multi-Region customer
managed key available in every replica Region, and the updated (multi-Region) issuer. Email,
SMS, Lambda triggers, tags, log export and WAF are regional: each replica has its own.
A secondary cannot sign users up, reset passwords or change profiles, does not support TOTP MFA,
and keeps its own failed sign-in counts; a user directory has at most one secondary replica.
See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-multi-region.html

Order of creation, and the stacks that give it (``cdk deploy --all`` follows the dependencies):

1. the pool's own stack: the multi-Region primary key, the pool with ``KeyConfiguration``
   (``CUSTOMER_MANAGED_KEY``) and ``IssuerConfiguration`` (``UPDATED``);
2. ``<stack id>ReplicaKey<Region>`` (in the replica Region): the ``AWS::KMS::ReplicaKey``, so that
   the key is available there before replication starts (only when the library creates the key);
3. ``<stack id>Replicas`` (in the pool's Region): one ``AWS::Cognito::UserPoolReplica`` per Region;
   its ``RegionName`` is create-only, so a changed Region replaces the replica;
4. ``<stack id>Replica<Region>`` (in the replica Region): the trigger functions, and the
   ``AWS::Cognito::UserPoolRegionalConfigurationAttachment`` with triggers, email, SMS and the
   status that activates the replica (new replicas start ``INACTIVE``).

The pool ID and the key ARN are known only after deployment, so the replica-Region stacks read
them through CDK's cross-region references (``cross_region_references=True``: CDK's own custom
resources write SSM parameters in the consuming Region); both stacks therefore need an explicit
account and Region. See
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpoolreplica.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-replicakey.html
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_IssuerConfigurationType.html
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_KeyConfigurationType.html
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from aws_cdk import Annotations, Arn, ArnFormat, Environment, RemovalPolicy, Stack, Token
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.triggers import (
    CUSTOM_SENDERS,
    INBOUND_FEDERATION,
    Triggers,
    bundled_trigger_functions,
)
from constructs_lib.user_pool import SecureUserPool, SesEmail, issuer_type_of, updated_issuer_url
from constructs_lib.validation import Problems, is_token

#: A commercial, GovCloud or other partition Region name: ``us-west-2``, ``us-gov-west-1``.
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")

#: Functions of your own for one replica Region, defined in that Region's stack (``scope``).
OwnTriggersFactory = Callable[[Construct], Mapping[cognito.UserPoolOperation, lambda_.IFunction]]


@dataclass(frozen=True, kw_only=True)
class RegionalSettings:
    """What differs in one replica Region: Cognito does not copy these from the primary.

    Args:
        email: Send the replica's email through an SES identity verified in that Region.
            Default: Cognito's own email in that Region.
        sms_role: The IAM role Cognito assumes to send SMS through SNS in that Region.
            Default: no SMS configuration.
        sms_role_external_id: The external ID in ``sms_role``'s trust policy.
            Default: none.
        own_triggers: Called with the replica Region's stack; returns your own functions by
            operation, defined in that stack (a function serves one Region only). Required when
            ``Triggers.own`` has functions. Default: none.
        active: Activate the replica (``Status`` ``ACTIVE``), so that it serves requests on
            failover; new replicas start ``INACTIVE``. Default: ``defaults.REPLICA_ACTIVE``.
    """

    email: SesEmail | None = None
    sms_role: iam.IRole | None = None
    sms_role_external_id: str | None = None
    own_triggers: OwnTriggersFactory | None = None
    active: bool = defaults.REPLICA_ACTIVE


@dataclass(frozen=True, kw_only=True)
class Replication:
    """Replicate the user pool to other Regions.

    Args:
        regions: The replica Regions (Cognito allows one secondary per user directory). ``[]``
            keeps the key and the updated issuer but removes every replica: the way to turn
            replication off. Literal Region names, never tokens: each one gets a stack.
        key: A multi-Region customer managed key of your own (``mrk-`` key ID) in the pool's
            Region, with a replica in every Region of ``regions`` and a key policy that lets
            Cognito use it. Default: a new key (``ReplicationKey``), rotated yearly and retained,
            with a replica key in each Region.
        regional: Per-Region settings by Region name. Default: none (triggers as on the
            primary, Cognito's email, no SMS, active).
        failover_health_check_id: A Route 53 health check on the primary Region: the hosted UI
            domain then routes to the replica Region while it is unhealthy (the domain's
            ``Routing.Failover``); needs a domain. Default: none (the domain serves the primary
            Region only; fail over in your clients with the per-Region endpoints).
    """

    regions: Sequence[str]
    key: kms.IKey | None = None
    regional: Mapping[str, RegionalSettings] = field(default_factory=dict)
    failover_health_check_id: str | None = None

    def settings_for(self, region: str) -> RegionalSettings:
        return self.regional.get(region) or RegionalSettings()


def region_suffix(region: str) -> str:
    """``us-west-2`` -> ``UsWest2``: the part of stack names and output keys for a Region."""
    return "".join(part.capitalize() for part in region.split("-"))


# Validation -------------------------------------------------------------------------------


def replication_problems(
    replication: Replication,
    *,
    stack: Stack,
    feature_plan: cognito.FeaturePlan | None,
    triggers: Triggers | None,
    problems: Problems,
) -> None:
    """Add every problem of ``replication`` for a pool in ``stack`` to ``problems``."""
    if feature_plan == cognito.FeaturePlan.LITE:
        problems.add(
            "replication needs feature_plan ESSENTIALS or PLUS, got LITE: Cognito does not "
            "replicate LITE pools; choose FeaturePlan.ESSENTIALS or drop replication"
        )
    account = stack.account
    primary: str | None = stack.region
    if Token.is_unresolved(account) or Token.is_unresolved(primary):
        problems.add(
            f"replication needs the pool's stack {stack.node.id!r} to have an explicit account "
            "and Region (Stack(..., env=Environment(account='123456789012', region='eu-west-1'))): "
            "the replica Regions get stacks of their own that reference it"
        )
        primary = None
    if isinstance(replication.regions, str):
        problems.add(
            f"replication.regions must be a list of Region names, got the string "
            f"{replication.regions!r}; write [{replication.regions!r}]"
        )
        return
    regions = list(replication.regions)
    seen: set[str] = set()
    for region in regions:
        if is_token(region):
            problems.add(
                "replication.regions may not hold tokens: every replica Region gets a stack, "
                f"whose Region must be known at synth; got {region!r}"
            )
            continue
        if not isinstance(region, str) or not _REGION.match(region):
            problems.add(
                f"replication.regions: {region!r} is not a Region name (such as 'us-west-2')"
            )
            continue
        if region == primary:
            problems.add(
                f"replication.regions: {region!r} is the pool's own Region; a replica must be "
                "in another Region"
            )
        if region in seen:
            problems.add(f"replication.regions names {region!r} more than once")
        seen.add(region)
    if len(set(regions)) > defaults.REPLICATION_MAX_REGIONS:
        problems.add(
            f"replication.regions may name at most {defaults.REPLICATION_MAX_REGIONS} Region "
            f"(Cognito allows one secondary replica per user directory), got {regions!r}"
        )
    strays = sorted(set(replication.regional) - set(regions))
    if strays:
        problems.add(
            f"replication.regional names {strays!r}, which are not among replication.regions "
            f"{regions!r}"
        )
    _key_problems(replication.key, primary, problems)
    if replication.failover_health_check_id is not None and len(regions) != 1:
        problems.add(
            "replication.failover_health_check_id needs exactly one replica Region to fail over "
            f"to, got regions={regions!r}"
        )
    if triggers is not None:
        _trigger_problems(replication, triggers, regions, problems)


def _key_problems(key: kms.IKey | None, primary: str | None, problems: Problems) -> None:
    if key is None or is_token(key.key_arn):
        return
    parts = Arn.split(key.key_arn, ArnFormat.SLASH_RESOURCE_NAME)
    if not (parts.resource_name or "").startswith("mrk-"):
        problems.add(
            f"replication.key must be a multi-Region key (key ID 'mrk-...'), got {key.key_arn!r}; "
            "create one with kms.Key(..., multi_region=True) or leave key unset"
        )
    if primary is not None and parts.region != primary:
        problems.add(
            f"replication.key must be in the pool's Region {primary!r} (the primary key; its "
            f"replicas serve the other Regions), got one in {parts.region!r}"
        )


def _trigger_problems(
    replication: Replication, triggers: Triggers, regions: list[str], problems: Problems
) -> None:
    senders = [op.operation_name for op in triggers.own if op.operation_name in CUSTOM_SENDERS]
    if senders:
        problems.add(
            f"replication cannot carry the custom sender triggers {senders!r} yet: their codes "
            "are encrypted with a key per Region; remove them or replication"
        )
    if triggers.user_migration is not None and regions:
        # A secondary pool creates no users, neither by sign-up nor by an administrator, and
        # takes no end-user operation that creates or changes a user: the migration trigger
        # creates each user at first sign-in (and copying groups writes to the directory), so
        # in a replica Region it could only fail. See also the SECONDARY role in
        # https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolReplicaType.html
        # https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-multi-region.html
        problems.add(
            f"replication to {regions!r} cannot carry triggers.user_migration: a secondary user "
            "pool cannot create users, and the migration trigger creates each user at first "
            "sign-in; move the users first and then remove user_migration, or keep "
            "replication.regions=[] until then (the key and the updated issuer are set all the "
            "same)"
        )
    if triggers.own:
        missing = [r for r in regions if replication.settings_for(r).own_triggers is None]
        if missing:
            problems.add(
                f"triggers.own functions serve one Region only; give "
                f"replication.regional[<region>].own_triggers for {missing!r} to define them in "
                "each replica Region"
            )
    tables = {
        "triggers.pre_token_generation.claims_table": getattr(
            triggers.pre_token_generation, "claims_table", None
        ),
        "triggers.post_confirmation.profile_table": getattr(
            triggers.post_confirmation, "profile_table", None
        ),
    }
    for name, table in tables.items():
        if table is not None and not isinstance(table, dynamodb.TableV2):
            problems.add(
                f"{name} must be a dynamodb.TableV2 (a global table, such as ClaimsTable) "
                "defined in this app, so that it gets a replica in each replica Region"
            )


# Constructs -------------------------------------------------------------------------------


class UserPoolReplication(Construct):
    """Multi-Region replication of a ``SecureUserPool`` defined in this app.

    Defines (or takes) the multi-Region key, sets the pool's key configuration and the updated
    issuer, and defines the replica-Region stacks (see the module docstring for the order).

    Args:
        scope: The parent construct, in the pool's stack.
        construct_id: Keep it stable: the key's logical ID derives from it.
        user_pool: The pool to replicate; its stack needs an explicit account and Region.
        replication: Where to, and with which key.
        triggers: The pool's triggers, deployed again in each replica Region (tables get a
            replica there); see ``RegionalTriggers`` for which are carried (user migration is
            refused). Default: none.

    Attributes:
        key: The multi-Region key in the pool's Region.
        replica_keys: The ``CfnReplicaKey`` by Region (empty with a key of your own).
        replicas: The ``CfnUserPoolReplica`` by Region.
        regional_stacks: The replica-Region stack by Region.
        regional_configurations: The ``CfnUserPoolRegionalConfigurationAttachment`` by Region.
        regional_functions: The trigger functions by Region and operation name.

    Raises:
        ConfigurationError: for every problem, all at once, before anything is defined.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        replication: Replication,
        triggers: Triggers | None = None,
    ) -> None:
        problems = Problems(type(self).__name__)
        if not isinstance(user_pool, SecureUserPool):
            problems.add(
                "replication needs a SecureUserPool defined in this app: the key and issuer "
                "configuration of an imported pool cannot be set through CloudFormation here"
            )
            plan = None
        else:
            plan = user_pool.settings.effective_feature_plan
        stack = Stack.of(user_pool)
        replication_problems(
            replication, stack=stack, feature_plan=plan, triggers=triggers, problems=problems
        )
        problems.raise_if_any()
        assert isinstance(user_pool, SecureUserPool)
        super().__init__(scope, construct_id)
        self.settings = replication
        self._pool = user_pool
        self._stack = stack
        self.replica_keys: dict[str, kms.CfnReplicaKey] = {}
        self.replicas: dict[str, cognito.CfnUserPoolReplica] = {}
        self.regional_stacks: dict[str, Stack] = {}
        self.regional_configurations: dict[
            str, cognito.CfnUserPoolRegionalConfigurationAttachment
        ] = {}
        self.regional_functions: dict[str, dict[str, lambda_.IFunction]] = {}
        regions = list(replication.regions)
        self.key: kms.IKey = replication.key or self._create_key(regions)
        _configure_pool(user_pool, self.key)
        if user_pool.settings.effective_second_factor.otp:
            Annotations.of(self).add_warning_v2(
                "cognito-auth:replicationTotp",
                "replica pools do not support TOTP MFA: users with TOTP sign in only while the "
                "primary Region serves requests (see the Cognito multi-Region replication guide)",
            )
        if not regions:
            return
        key_stacks = (
            [self._replica_key_stack(r) for r in regions] if replication.key is None else []
        )
        replicas_stack = self._sibling("Replicas", stack.region, "The Cognito user pool replicas")
        for key_stack in key_stacks:
            replicas_stack.add_stack_dependency(key_stack, "the key must exist in the Region")
        for region in regions:
            # The Region identifies the replica; RegionName is create-only.
            self.replicas[region] = cognito.CfnUserPoolReplica(
                replicas_stack,
                f"Replica{region_suffix(region)}",
                region_name=region,
                user_pool_id=user_pool.user_pool_id,
            )
        for region in regions:
            regional = self._sibling(
                f"Replica{region_suffix(region)}",
                region,
                f"The {region} configuration of the replicated Cognito user pool",
            )
            regional.add_stack_dependency(replicas_stack, "the replica pool must exist")
            self.regional_stacks[region] = regional
            self._define_regional(regional, region, replication.settings_for(region), triggers)

    def consumer_config(self) -> dict[str, str]:
        """What a client needs to fail over: ``IssuerType`` (``updated``, as ``cognito_tokens``
        and ``CognitoLambdaAuthorizer`` take it), ``ReplicaRegions`` (comma-separated, in
        failover order; left out with no replica, as SSM refuses an empty value) and
        ``UserPoolEndpoint<Region>`` for the primary and each replica."""
        config: dict[str, str] = {"IssuerType": issuer_type_of(self._pool)}
        regions = [self._stack.region, *self.settings.regions]
        if len(regions) > 1:
            config["ReplicaRegions"] = ",".join(regions[1:])
        for region in regions:
            endpoint = f"https://cognito-idp.{region}.{self._stack.url_suffix}/"
            config[f"UserPoolEndpoint{region_suffix(region)}"] = endpoint
        return config

    # Key ----------------------------------------------------------------------------------

    def _create_key(self, regions: list[str]) -> kms.IKey:
        # Retained: the pool's data is encrypted with it; rotated yearly (rotation is set on
        # the primary key and shared by its replicas).
        key = kms.Key(
            self,
            "Key",
            description="Encrypts the Cognito user pool's data in every Region it is replicated to",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
            multi_region=True,
        )
        key.add_to_resource_policy(
            cognito_key_statement(self._stack, [self._stack.region, *regions])
        )
        return key

    def _replica_key_stack(self, region: str) -> Stack:
        key_stack = self._sibling(
            f"ReplicaKey{region_suffix(region)}",
            region,
            "The replica of the Cognito user pool's multi-Region key",
        )
        regions = [self._stack.region, *self.settings.regions]
        document = iam.PolicyDocument(
            statements=[
                # As kms.Key's default policy: the account administers the key through IAM.
                iam.PolicyStatement(
                    actions=["kms:*"],
                    principals=[iam.AccountRootPrincipal()],
                    resources=["*"],
                ),
                cognito_key_statement(key_stack, regions),
            ]
        )
        replica = kms.CfnReplicaKey(
            key_stack,
            "Key",
            primary_key_arn=self.key.key_arn,
            key_policy=document,
            description="Replica of the Cognito user pool's multi-Region key",
        )
        replica.apply_removal_policy(RemovalPolicy.RETAIN)
        self.replica_keys[region] = replica
        return key_stack

    def _sibling(self, suffix: str, region: str, description: str) -> Stack:
        parent = self._stack.node.scope
        assert isinstance(parent, Construct)
        stack_id = f"{self._stack.node.id}{suffix}"
        existing = parent.node.try_find_child(stack_id)
        if isinstance(existing, Stack):
            return existing
        return Stack(
            parent,
            stack_id,
            env=Environment(account=self._stack.account, region=region),
            cross_region_references=True,
            description=f"{description} ({self._stack.stack_name})",
        )

    # Replica Region -----------------------------------------------------------------------

    def _define_regional(
        self,
        scope: Stack,
        region: str,
        settings: RegionalSettings,
        triggers: Triggers | None,
    ) -> None:
        pool_id = self._pool.user_pool_id
        pool_arn = scope.format_arn(
            service="cognito-idp", resource="userpool", resource_name=pool_id
        )
        bundled = (
            RegionalTriggers(
                scope, "Triggers", region=region, pool_arn=pool_arn, triggers=triggers
            ).bundled
            if triggers is not None
            else {}
        )
        functions = {name: b.function for name, b in bundled.items()}
        versions = {
            name: b.lambda_version.name
            for name, b in bundled.items()
            if b.lambda_version is not None
        }
        if settings.own_triggers is not None:
            own = {op.operation_name: fn for op, fn in settings.own_triggers(scope).items()}
            unsupported = sorted(set(own) - set(_LAMBDA_CONFIG_FIELDS))
            if unsupported:
                problems = Problems(type(self).__name__)
                problems.add(
                    f"replication.regional[{region!r}].own_triggers returned {unsupported!r}, "
                    f"which the regional configuration does not take here; allowed: "
                    f"{', '.join(sorted(_LAMBDA_CONFIG_FIELDS))}"
                )
                problems.raise_if_any()
            functions.update(own)
        for name, function in functions.items():
            function.add_permission(
                f"CognitoInvoke{name[0].upper()}{name[1:]}",
                principal=iam.ServicePrincipal("cognito-idp.amazonaws.com"),
                source_arn=pool_arn,
            )
        self.regional_functions[region] = functions
        self.regional_configurations[region] = cognito.CfnUserPoolRegionalConfigurationAttachment(
            scope,
            "RegionalConfiguration",
            user_pool_id=pool_id,
            lambda_config=_lambda_config(functions, versions) if functions else None,
            email_configuration=_email_configuration(scope, settings.email),
            sms_configuration=_sms_configuration(region, settings),
            status="ACTIVE" if settings.active else "INACTIVE",
        )


class RegionalTriggers(Construct):
    """The bundled triggers of ``triggers`` in a replica Region: the functions of
    ``bundled_trigger_functions``, the primary's own definition, with the pool ARN of that
    Region and each table read from or written to its replica there.

    Cognito copies no trigger to a secondary pool: Lambda triggers are among the settings each
    replica has of its own (its ``LambdaConfig`` in the regional configuration), see
    https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-multi-region.html
    Carried: pre token generation (a secondary issues tokens), custom message (codes it sends),
    inbound federation (federated users who signed in before sign in there; the regional
    ``LambdaConfig`` has ``InboundFederation``), pre sign-up and post confirmation (as on the
    primary). Refused before this is reached (``replication_problems``): user migration, since a
    secondary cannot create users.

    Args:
        scope: A construct in the replica Region's stack.
        construct_id: Keep it stable.
        region: The replica Region.
        pool_arn: The replica pool's ARN in that Region.
        triggers: The primary pool's triggers.

    Attributes:
        bundled: The functions as ``bundled_trigger_functions`` gives them.
        functions: The functions by operation name, as ``UserPoolTriggers.functions``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        region: str,
        pool_arn: str,
        triggers: Triggers,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bundled = bundled_trigger_functions(
            self,
            triggers,
            pool_arn=pool_arn,
            table_in_region=lambda table: _replica_table(table, region),
        )
        self.functions: dict[str, lambda_.IFunction] = {
            name: bundled.function for name, bundled in self.bundled.items()
        }


def cognito_key_statement(scope: Construct, regions: Sequence[str]) -> iam.PolicyStatement:
    """The key policy statement that lets Cognito use the key for user pools of this account
    in ``regions``, and nothing else.

    The pool ARN cannot be named exactly: the pool's key configuration names the key, so a key
    policy naming the pool would be a dependency cycle; ``aws:SourceArn`` is bounded to the
    account's user pools in the replication Regions instead, and ``aws:SourceAccount`` to the
    account (the confused-deputy conditions of
    https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
    """
    stack = Stack.of(scope)
    return iam.PolicyStatement(
        sid="AllowCognitoUserPools",
        actions=list(defaults.REPLICATION_KEY_ACTIONS),
        principals=[iam.ServicePrincipal("cognito-idp.amazonaws.com")],
        resources=["*"],
        conditions={
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {
                "aws:SourceArn": [
                    f"arn:{stack.partition}:cognito-idp:{region}:{stack.account}:userpool/*"
                    for region in regions
                ]
            },
        },
    )


def route_domain_on_failover(
    domain: cognito.UserPoolDomain, region: str, health_check_id: str
) -> None:
    """Let the hosted UI domain route to ``region`` while the health check fails (no L2 yet).
    See https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cognito-userpooldomain-failovertype.html
    """
    cfn = domain.node.default_child
    assert isinstance(cfn, cognito.CfnUserPoolDomain)
    cfn.routing = cognito.CfnUserPoolDomain.RoutingTypeProperty(
        failover=cognito.CfnUserPoolDomain.FailoverTypeProperty(
            secondary_region=region, primary_route53_health_check_id=health_check_id
        )
    )


def _configure_pool(pool: cognito.UserPool, key: kms.IKey) -> None:
    """Key and issuer configuration have no L2 yet: set them on the L1, here only."""
    cfn = pool.node.default_child
    assert isinstance(cfn, cognito.CfnUserPool)
    cfn.key_configuration = cognito.CfnUserPool.KeyConfigurationProperty(
        key_type="CUSTOMER_MANAGED_KEY", kms_key_arn=key.key_arn
    )
    cfn.issuer_configuration = cognito.CfnUserPool.IssuerConfigurationProperty(type="UPDATED")


def _replica_table(table: dynamodb.ITable, region: str) -> dynamodb.ITable:
    """The table's replica in ``region``, added to the global table when it has none yet (one
    table may serve several triggers, or have the replica already)."""
    assert isinstance(table, dynamodb.TableV2)
    # replica() defines the reference as the child "ReplicaTable<region>": a second call for
    # the same Region would clash with it, so a table serving two triggers reuses the first.
    earlier = table.node.try_find_child(f"ReplicaTable{region}")
    if earlier is not None:
        return typing.cast(dynamodb.ITable, earlier)
    try:
        return table.replica(region)
    except RuntimeError:  # "No replica table exists in region ...": add it
        table.add_replica(region=region)
        return table.replica(region)


#: Trigger operation names (``UserPoolOperation.operation_name``) and the ``LambdaConfig`` field
#: of the regional configuration each one goes to (the registry schema of
#: ``AWS::Cognito::UserPoolRegionalConfigurationAttachment``; ``InboundFederation`` and
#: ``PreTokenGenerationConfig`` take ``{LambdaArn, LambdaVersion}``). Custom senders take a key
#: of their own per Region and are not carried yet.
#: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cognito-userpoolregionalconfigurationattachment-lambdaconfig.html
_LAMBDA_CONFIG_FIELDS = {
    "createAuthChallenge": "create_auth_challenge",
    "customMessage": "custom_message",
    "defineAuthChallenge": "define_auth_challenge",
    INBOUND_FEDERATION.operation_name: "inbound_federation",
    "postAuthentication": "post_authentication",
    "postConfirmation": "post_confirmation",
    "preAuthentication": "pre_authentication",
    "preSignUp": "pre_sign_up",
    "preTokenGeneration": "pre_token_generation",
    "preTokenGenerationConfig": "pre_token_generation_config",
    "userMigration": "user_migration",
    "verifyAuthChallengeResponse": "verify_auth_challenge_response",
}


def _lambda_config(
    functions: Mapping[str, lambda_.IFunction], versions: Mapping[str, str]
) -> cognito.CfnUserPoolRegionalConfigurationAttachment.LambdaConfigProperty:
    """``functions`` by operation name as the regional ``LambdaConfig``; ``versions`` gives the
    event version of the bundled pre token generation trigger (a function of your own gets
    ``V1_0``, as ``UserPool.add_trigger`` gives it on the primary)."""
    attachment = cognito.CfnUserPoolRegionalConfigurationAttachment
    values: dict[str, object] = {}
    for name, fn in functions.items():
        version = versions.get(name, "V1_0")
        if name == "preTokenGenerationConfig":
            values["pre_token_generation_config"] = attachment.PreTokenGenerationConfigProperty(
                lambda_arn=fn.function_arn, lambda_version=version
            )
        elif name == INBOUND_FEDERATION.operation_name:
            values["inbound_federation"] = attachment.InboundFederationProperty(
                lambda_arn=fn.function_arn, lambda_version=version
            )
        else:
            values[_LAMBDA_CONFIG_FIELDS[name]] = fn.function_arn
    return attachment.LambdaConfigProperty(**values)  # type: ignore[arg-type]


def _email_configuration(
    scope: Stack, email: SesEmail | None
) -> cognito.CfnUserPoolRegionalConfigurationAttachment.EmailConfigurationProperty | None:
    if email is None:
        return None
    identity = email.ses_verified_domain or email.from_email
    sender = f"{email.from_name} <{email.from_email}>" if email.from_name else email.from_email
    return cognito.CfnUserPoolRegionalConfigurationAttachment.EmailConfigurationProperty(
        email_sending_account="DEVELOPER",
        source_arn=scope.format_arn(
            service="ses",
            region=email.ses_region or scope.region,
            resource="identity",
            resource_name=identity,
        ),
        from_=sender,
        reply_to_email_address=email.reply_to,
        configuration_set=email.configuration_set_name,
    )


def _sms_configuration(
    region: str, settings: RegionalSettings
) -> cognito.CfnUserPoolRegionalConfigurationAttachment.SmsConfigurationProperty | None:
    if settings.sms_role is None:
        return None
    return cognito.CfnUserPoolRegionalConfigurationAttachment.SmsConfigurationProperty(
        sns_caller_arn=settings.sms_role.role_arn,
        external_id=settings.sms_role_external_id,
        sns_region=region,
    )


__all__ = [
    "RegionalSettings",
    "RegionalTriggers",
    "Replication",
    "UserPoolReplication",
    "cognito_key_statement",
    "region_suffix",
    "replication_problems",
    "route_domain_on_failover",
    "updated_issuer_url",
]
