"""``cognito-auth check-update OLD NEW``: flag template changes that would lose users or fail.

Compares two synthesized CloudFormation templates, or two ``cdk.out`` folders stack by stack, and
reports every change that would:

* **remove or rename a stateful resource** (user pool, identity pool, domain, groups, clients,
  resource servers, replicas, tables and their Region replicas, buckets, KMS keys and replica
  keys, log groups). A new logical ID makes
  CloudFormation create a new, empty resource and delete the old one, or orphan it when it is
  retained: the app then points at an empty pool. A stateful resource removed while another of
  the same type appears in the same stack is reported as a rename.
* **change a create-only property** of a stateful or Cognito resource, which makes CloudFormation
  replace the resource. The properties are read from the CloudFormation registry schemas that
  cfn-lint ships (``createOnlyProperties``), not from a list of our own.
* **change what Cognito cannot change in place** on ``AWS::Cognito::UserPool``: the registry
  schema lists no create-only property for it, so CloudFormation does not replace the pool; it
  sends the update, Cognito refuses it and the stack rolls back (sign-in attributes, username case
  sensitivity, existing ``Schema`` attributes, a standard attribute's ``Required``).
* **move a pool replica to another Region**, which Cognito refuses while the old secondary
  exists (one secondary per pool): reported with the replica procedure, not as a rename.
* **switch the pool's issuer or key** (``IssuerConfiguration``, ``KeyConfiguration``): the ``iss``
  of every new token changes, or the key that encrypts the pool's data.
* **drop** ``DeletionPolicy``/``UpdateReplacePolicy`` ``Retain`` or deletion protection.

Exit 1 with one line per finding, 0 with a one-line summary, 2 on a usage error. ``--json``
prints the findings as JSON. Nothing here imports ``aws_cdk``.

cfn-lint is an optional dependency (the ``update-guard`` extra): the command refuses to run,
with exit 2 and the install command, when it is missing, so it never passes silently.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from cognito_auth_tools.assembly import AssemblyError, stack_templates

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

INSTALL_HINT = "pip install 'cognito-auth-constructs[update-guard]'"

#: What a new resource of the type loses compared with the old one, for each type whose
#: resources hold data or identity that a new resource does not have.
LOSES = {
    "AWS::Cognito::UserPool": "every user and password (password hashes cannot be exported)",
    "AWS::Cognito::IdentityPool": "every identity id (per-user data keyed on it is orphaned)",
    "AWS::Cognito::UserPoolDomain": "the hosted UI address: sign-in links and the redirect URIs "
    "registered with identity providers break",
    "AWS::Cognito::UserPoolGroup": "every membership",
    "AWS::Cognito::UserPoolClient": "the client id (and secret): apps configured with it stop "
    "working",
    "AWS::Cognito::UserPoolResourceServer": "its scopes in the clients that were allowed them",
    "AWS::Cognito::UserPoolReplica": "the replica Region's copy",
    "AWS::DynamoDB::Table": "every item",
    "AWS::DynamoDB::GlobalTable": "every item",
    "AWS::S3::Bucket": "every object",
    "AWS::KMS::Key": "the key: data encrypted with it cannot be decrypted by the new one",
    "AWS::KMS::ReplicaKey": "the key in its Region: the replica pool and tables there cannot "
    "decrypt their data without it",
    "AWS::Logs::LogGroup": "the logs",
}
STATEFUL_TYPES = frozenset(LOSES)

#: Pool properties Cognito cannot change once the pool exists. CloudFormation does not replace
#: the pool for them (no ``createOnlyProperties`` in its registry schema); the update fails.
#: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html
POOL_IMMUTABLE = {
    "UsernameAttributes": "sign-in attributes",
    "AliasAttributes": "sign-in aliases",
    "UsernameConfiguration": "username case sensitivity",
}

#: Cognito's standard attributes; every other ``Schema`` name is a custom attribute.
#: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
STANDARD_ATTRIBUTES = frozenset(
    {
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "sub",
        "updated_at",
        "website",
        "zoneinfo",
    }
)

#: Deletion protection per type: (property path, value meaning "on").
DELETION_PROTECTION: dict[str, tuple[tuple[str, ...], object]] = {
    "AWS::Cognito::UserPool": (("DeletionProtection",), "ACTIVE"),
    "AWS::DynamoDB::Table": (("DeletionProtectionEnabled",), True),
    "AWS::Logs::LogGroup": (("DeletionProtectionEnabled",), True),
}

KEEP_ID = (
    "keep the old construct ID (logical ID {old}); to really start a new pool, move users with "
    "the user-migration trigger (README, 'Moving users to a new pool')"
)
KEEP_RESOURCE = (
    "keep the resource in the app (logical ID {old}); to really start a new pool, move users "
    "with the user-migration trigger (README, 'Moving users to a new pool')"
)

#: A user pool has at most one secondary replica, and ``RegionName`` is create-only: a new
#: Region is a new replica, which Cognito fills again from the primary pool.
#: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-multi-region.html
#: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpoolreplica.html
REPLICA_MOVED = (
    "the pool keeps every user, but Cognito allows one secondary replica only: first deploy "
    "with Replication(regions=[]) (and cdk destroy the old Region's stacks), then name the new "
    "Region; the new replica copies the users again from the primary, and only the old "
    "secondary's Region is given up (README, 'Changing Regions, turning it off')"
)
REPLICA_REMOVED = (
    "intended when turning replication off or as the first step of changing its Region (README, "
    "'Changing Regions, turning it off'); otherwise keep the Region in Replication(regions=...)"
)
REPLICA = "AWS::Cognito::UserPoolReplica"

#: ``IssuerConfiguration`` and ``KeyConfiguration`` are UpdateUserPool parameters that
#: CloudFormation updates with no interruption, ``ORIGINAL`` and ``AWS_OWNED_KEY`` when absent.
#: The Cognito documentation (the two API types and the multi-Region replication guide) does not
#: say that either switch can be undone, so the messages treat it as one-way.
#: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_IssuerConfigurationType.html
#: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_KeyConfigurationType.html
#: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cognito-userpool-issuerconfiguration.html
#: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-multi-region.html
ISSUER_DEFAULT = {"Type": "ORIGINAL"}
KEY_DEFAULT = {"KeyType": "AWS_OWNED_KEY"}
ONE_WAY = "the Cognito documentation does not say this can be switched back: plan it as one-way"
ISSUER_CHANGED = (
    "the iss claim of every new token changes ({before} -> {after}; original is "
    "https://cognito-idp.<region>.amazonaws.com/<pool id>, updated is "
    "https://issuer-cognito-idp.<primary region>.amazonaws.com/<pool id>): backends that compare "
    "the deployed issuer refuse the new tokens, while tokens issued before keep the old one"
)
ISSUER_ACTION = (
    "before deploying, make every backend accept both issuer forms for the switch, e.g. "
    "cognito_tokens.MultiIssuerVerifier over two CognitoJwtVerifiers with issuer_type "
    "'original' and 'updated' (the Lambda authorizer's issuer_type likewise), until the last "
    "token of the old issuer has expired; " + ONE_WAY
)
KEY_CHANGED = (
    "the key that encrypts the pool's data changes ({before} -> {after}): Cognito needs the "
    "customer managed key enabled and usable for as long as the pool uses it, and multi-Region "
    "replication needs a multi-Region customer managed key"
)
KEY_ACTION = (
    "keep KeyConfiguration as deployed unless the change is meant; keep every key the pool has "
    "used enabled and retained; " + ONE_WAY
)


class UsageError(Exception):
    """The command cannot run on what it was given (exit 2)."""


class SchemasUnavailable(UsageError):
    """cfn-lint, whose registry schemas name the create-only properties, is not installed."""


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One harmful change.

    Attributes:
        stack: The stack (file or cdk.out display name).
        logical_id: The resource's logical ID in the OLD template.
        resource_type: e.g. ``AWS::Cognito::UserPool``.
        property: The property or attribute changed (``-`` for the resource as a whole).
        kind: ``removed``, ``renamed``, ``replica-moved``, ``replaced``, ``update-fails``,
            ``issuer-changed``, ``key-changed``, ``retain-dropped`` or ``protection-dropped``.
        happens: What CloudFormation and Cognito do on deploy.
        action: What to do instead.
    """

    stack: str
    logical_id: str
    resource_type: str
    property: str
    kind: str
    happens: str
    action: str

    def line(self) -> str:
        """The finding as one line of text."""
        return (
            f"{self.stack} {self.logical_id} {self.resource_type} {self.property}: "
            f"{self.happens}. Do: {self.action}"
        )


# Registry schemas ------------------------------------------------------------------------


def _schemas_folder() -> Path:
    # find_spec does not run cfn-lint's __init__ (which imports most of cfn-lint): only the path.
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise SchemasUnavailable(
            f"check-update reads create-only properties from cfn-lint's registry schemas, and "
            f"cfn-lint is not installed: {INSTALL_HINT}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "schemas"


@cache
def _provider_index(region: str) -> dict[str, str]:
    index_file = _schemas_folder() / "providers" / f"{region}.json"
    if not index_file.is_file():
        raise UsageError(f"cfn-lint has no registry schemas for region {region!r}")
    index: dict[str, str] = json.loads(index_file.read_text())
    return index


@cache
def create_only_properties(resource_type: str, region: str = "us-east-1") -> tuple[str, ...]:
    """The create-only properties of ``resource_type`` from cfn-lint's registry schemas.

    Returns:
        JSON pointers below ``/properties`` split at ``/`` and joined with ``.``
        (``GroupName``, ``KeySchema``); empty for a type the schemas do not know.

    Raises:
        SchemasUnavailable: cfn-lint is not installed.
    """
    name = _provider_index(region).get(resource_type)
    if name is None:
        return ()
    schema = json.loads((_schemas_folder() / "resources" / f"{name}.json").read_text())
    pointers = schema.get("createOnlyProperties") or []
    return tuple(
        ".".join(p.removeprefix("/properties/").split("/"))
        for p in pointers
        if p.startswith("/properties/")
    )


# Loading ---------------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{path} is not JSON: {error.msg} at line {error.lineno}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not a CloudFormation template (a JSON object)")
    return data


def _template(path: Path) -> dict[str, Any]:
    data = _read_json(path)
    if not isinstance(data.get("Resources"), dict):
        raise UsageError(f"{path} is not a CloudFormation template (no Resources object)")
    return data


def load_stacks(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a template file, or every stack of a ``cdk.out`` folder.

    A folder is read through its ``manifest.json`` (stacks by display name, nested assemblies
    of stages included), or, without one, as every ``*.template.json`` in it.

    Raises:
        UsageError: The path does not exist or holds no template.
    """
    path = Path(path)
    if path.is_file():
        return {path.name.removesuffix(".json").removesuffix(".template"): _template(path)}
    if not path.is_dir():
        raise UsageError(f"{path} does not exist")
    try:
        stacks = {name: _template(file) for name, file in stack_templates(path)}
    except AssemblyError as error:
        raise UsageError(str(error)) from None
    if not stacks:
        raise UsageError(f"{path} holds no *.template.json")
    return stacks


# Comparing -------------------------------------------------------------------------------


def _get(properties: Mapping[str, Any], path: Iterable[str]) -> Any:
    value: Any = properties
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _canonical(value: Any) -> Any:
    """Values as CloudFormation compares them: numbers and booleans as strings."""
    if isinstance(value, Mapping):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    return value


def _retained(resource: Mapping[str, Any], policy: str) -> bool:
    return resource.get(policy) in ("Retain", "RetainExceptOnCreate", "Snapshot")


def compare_templates(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    stack: str = "template",
    region: str = "us-east-1",
) -> list[Finding]:
    """Every harmful change from ``old`` to ``new`` (two templates of one stack).

    Args:
        old: The deployed (baseline) template.
        new: The template about to be deployed.
        stack: The name used in findings. Default: ``template``.
        region: Whose registry schemas to read. Default: ``us-east-1``.

    Raises:
        SchemasUnavailable: cfn-lint is not installed.
    """
    old_resources: Mapping[str, Any] = old.get("Resources") or {}
    new_resources: Mapping[str, Any] = new.get("Resources") or {}
    findings: list[Finding] = []

    def add(
        logical_id: str, resource_type: str, prop: str, kind: str, happens: str, do: str
    ) -> None:
        findings.append(
            Finding(
                stack=stack,
                logical_id=logical_id,
                resource_type=resource_type,
                property=prop,
                kind=kind,
                happens=happens,
                action=do,
            )
        )

    added_by_type: dict[str, list[str]] = {}
    for logical_id, resource in new_resources.items():
        if logical_id not in old_resources:
            added_by_type.setdefault(str(resource.get("Type")), []).append(logical_id)

    for logical_id, old_resource in old_resources.items():
        resource_type = str(old_resource.get("Type"))
        new_resource = new_resources.get(logical_id)
        stateful = resource_type in STATEFUL_TYPES
        if new_resource is None or new_resource.get("Type") != resource_type:
            if stateful:
                _removed(add, logical_id, resource_type, old_resource, added_by_type)
            continue
        if stateful or resource_type.startswith("AWS::Cognito::"):
            _create_only(add, logical_id, resource_type, old_resource, new_resource, region)
        if resource_type == "AWS::Cognito::UserPool":
            _pool_in_place(add, logical_id, old_resource, new_resource)
            _pool_issuer_and_key(add, logical_id, old_resource, new_resource)
        if stateful:
            _protection(add, logical_id, resource_type, old_resource, new_resource)
    return findings


def _removed(
    add: Any,
    logical_id: str,
    resource_type: str,
    old_resource: Mapping[str, Any],
    added_by_type: Mapping[str, list[str]],
) -> None:
    loses = LOSES[resource_type]
    if _retained(old_resource, "DeletionPolicy"):
        fate = "the old one is retained but orphaned: no longer managed, no longer used"
    elif resource_type == "AWS::Cognito::UserPool" and (
        _get(old_resource.get("Properties") or {}, ("DeletionProtection",)) == "ACTIVE"
    ):
        fate = "CloudFormation tries to delete the old one and fails on its deletion protection"
    else:
        fate = "CloudFormation deletes the old one"
    candidates = added_by_type.get(resource_type, [])
    keep = KEEP_ID.format(old=logical_id)
    if resource_type == REPLICA and candidates:
        add(
            logical_id,
            resource_type,
            "-",
            "replica-moved",
            f"replica {_replica_region(old_resource)} replaced by {', '.join(candidates)}: "
            f"CloudFormation creates the new replica before it deletes the old one, Cognito "
            f"refuses a second secondary replica and the stack rolls back",
            REPLICA_MOVED,
        )
    elif candidates:
        add(
            logical_id,
            resource_type,
            "-",
            "renamed",
            f"renamed to {', '.join(candidates)} (a new logical ID): CloudFormation creates a "
            f"new, empty resource without {loses}; {fate}",
            keep,
        )
    elif resource_type == REPLICA:
        add(
            logical_id,
            resource_type,
            "-",
            "removed",
            f"replica {_replica_region(old_resource)} removed from the template: CloudFormation "
            f"deletes the secondary pool there (the primary keeps every user)",
            REPLICA_REMOVED,
        )
    else:
        add(
            logical_id,
            resource_type,
            "-",
            "removed",
            f"removed from the template: {fate}, with {loses}",
            KEEP_RESOURCE.format(old=logical_id),
        )


def _create_only(
    add: Any,
    logical_id: str,
    resource_type: str,
    old_resource: Mapping[str, Any],
    new_resource: Mapping[str, Any],
    region: str,
) -> None:
    old_props = old_resource.get("Properties") or {}
    new_props = new_resource.get("Properties") or {}
    for prop in create_only_properties(resource_type, region):
        path = prop.split(".")
        before, after = _get(old_props, path), _get(new_props, path)
        if _canonical(before) == _canonical(after):
            continue
        if resource_type == REPLICA and prop == "RegionName":
            add(
                logical_id,
                resource_type,
                prop,
                "replica-moved",
                f"replica Region changed ({json.dumps(before)} -> {json.dumps(after)}): "
                f"CloudFormation replaces the replica, creating the new one before deleting the "
                f"old; Cognito allows one secondary replica, so the update fails",
                REPLICA_MOVED,
            )
            continue
        fate = (
            "the old one is retained but orphaned"
            if _retained(old_resource, "UpdateReplacePolicy")
            else "the old one is deleted"
        )
        add(
            logical_id,
            resource_type,
            prop,
            "replaced",
            f"create-only property changed ({json.dumps(before)} -> {json.dumps(after)}): "
            f"CloudFormation replaces the resource, the new one without "
            f"{LOSES.get(resource_type, 'the old one`s identity')}; {fate}",
            f"keep {prop} as deployed; define a second resource beside it if you need both",
        )


def _schema_by_name(properties: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    schema = properties.get("Schema")
    if not isinstance(schema, list):
        return {}
    return {
        str(entry.get("Name")): dict(entry)
        for entry in schema
        if isinstance(entry, Mapping) and "Name" in entry
    }


def _attribute(entry: Mapping[str, Any] | None, standard: bool) -> dict[str, Any] | None:
    """A Schema entry with Cognito's defaults filled in (standard ones exist implicitly)."""
    if entry is None and not standard:
        return None
    filled: dict[str, Any] = {"Mutable": True, "Required": False, "DeveloperOnlyAttribute": False}
    if not standard:
        filled["AttributeDataType"] = "String"
    filled.update({k: v for k, v in (entry or {}).items() if k != "Name"})
    canonical: dict[str, Any] = _canonical(filled)
    return canonical


def _pool_in_place(
    add: Any, logical_id: str, old_resource: Mapping[str, Any], new_resource: Mapping[str, Any]
) -> None:
    pool = "AWS::Cognito::UserPool"
    old_props = old_resource.get("Properties") or {}
    new_props = new_resource.get("Properties") or {}
    fails = "Cognito cannot change {what} of an existing pool: the update fails and the stack "
    fails += "rolls back (the pool is not replaced)"
    new_pool = (
        "restore the deployed value; a pool with the new value is a new pool: add it beside the "
        "old one and move users (README, 'Moving users to a new pool')"
    )
    for prop, what in POOL_IMMUTABLE.items():
        before, after = old_props.get(prop), new_props.get(prop)
        if prop != "UsernameConfiguration":
            before, after = sorted(before or []), sorted(after or [])
        if _canonical(before) != _canonical(after):
            add(
                logical_id,
                pool,
                prop,
                "update-fails",
                f"{fails.format(what=what)} ({json.dumps(before)} -> {json.dumps(after)})",
                new_pool,
            )
    old_schema, new_schema = _schema_by_name(old_props), _schema_by_name(new_props)
    for name in sorted(set(old_schema) | set(new_schema)):
        standard = name in STANDARD_ATTRIBUTES
        before = _attribute(old_schema.get(name), standard)
        after = _attribute(new_schema.get(name), standard)
        if before is None or before == after:
            continue  # a new custom attribute is added in place
        if after is None:
            happens = f"custom attribute {name!r} removed: " + fails.format(
                what="or delete a custom attribute"
            )
            add(logical_id, pool, f"Schema[{name}]", "update-fails", happens, new_pool)
            continue
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        for key in changed:
            what = f"the {key} of attribute {name!r}"
            detail = f" ({before.get(key)} -> {after.get(key)})"
            add(
                logical_id,
                pool,
                f"Schema[{name}].{key}",
                "update-fails",
                fails.format(what=what) + detail,
                new_pool,
            )


def _replica_region(replica: Mapping[str, Any]) -> str:
    return json.dumps(_get(replica.get("Properties") or {}, ("RegionName",)))


def _pool_issuer_and_key(
    add: Any, logical_id: str, old_resource: Mapping[str, Any], new_resource: Mapping[str, Any]
) -> None:
    old_props = old_resource.get("Properties") or {}
    new_props = new_resource.get("Properties") or {}
    checks = (
        ("IssuerConfiguration", ISSUER_DEFAULT, "issuer-changed", ISSUER_CHANGED, ISSUER_ACTION),
        ("KeyConfiguration", KEY_DEFAULT, "key-changed", KEY_CHANGED, KEY_ACTION),
    )
    for prop, default, kind, happens, action in checks:
        before = _canonical({**default, **(old_props.get(prop) or {})})
        after = _canonical({**default, **(new_props.get(prop) or {})})
        if before != after:
            add(
                logical_id,
                "AWS::Cognito::UserPool",
                prop,
                kind,
                happens.format(before=json.dumps(before), after=json.dumps(after)),
                action,
            )


def _protection(
    add: Any,
    logical_id: str,
    resource_type: str,
    old_resource: Mapping[str, Any],
    new_resource: Mapping[str, Any],
) -> None:
    for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
        if _retained(old_resource, policy) and not _retained(new_resource, policy):
            add(
                logical_id,
                resource_type,
                policy,
                "retain-dropped",
                f"{policy} {old_resource.get(policy)} -> {new_resource.get(policy, 'Delete')}: a "
                f"later removal or replacement deletes {LOSES[resource_type]}",
                "keep RemovalPolicy.RETAIN",
            )
    old_props = old_resource.get("Properties") or {}
    new_props = new_resource.get("Properties") or {}
    if resource_type in DELETION_PROTECTION:
        path, on = DELETION_PROTECTION[resource_type]
        if _get(old_props, path) == on and _get(new_props, path) != on:
            add(
                logical_id,
                resource_type,
                ".".join(path),
                "protection-dropped",
                "deletion protection turned off: nothing stops the resource being deleted",
                "keep deletion protection on",
            )
    if resource_type == "AWS::DynamoDB::GlobalTable":
        old_replicas = {_region(r): r for r in old_props.get("Replicas") or []}
        new_regions = {_region(r) for r in new_props.get("Replicas") or []}
        for gone in sorted(set(old_replicas) - new_regions):
            add(
                logical_id,
                resource_type,
                f"Replicas[{gone}]",
                "removed",
                f"table replica in {gone} removed: CloudFormation deletes that Region's copy of "
                f"the table (the other Regions keep the items); whatever reads it there fails",
                "keep the Region in the table's replicas until nothing in it uses the table "
                "(the replica Region's triggers)",
            )
        for replica in new_props.get("Replicas") or []:
            before = old_replicas.get(_region(replica))
            was_on = before is not None and before.get("DeletionProtectionEnabled") is True
            if was_on and replica.get("DeletionProtectionEnabled") is not True:
                add(
                    logical_id,
                    resource_type,
                    f"Replicas[{_region(replica)}].DeletionProtectionEnabled",
                    "protection-dropped",
                    "deletion protection turned off: nothing stops the table being deleted",
                    "keep deletion protection on",
                )


def _region(replica: Mapping[str, Any]) -> str:
    region = replica.get("Region")
    return region if isinstance(region, str) else json.dumps(region, sort_keys=True)


def compare(
    old: str | Path, new: str | Path, *, region: str = "us-east-1"
) -> tuple[list[Finding], int]:
    """Compare two templates or two ``cdk.out`` folders.

    Returns:
        The findings, and the number of stacks compared.

    Raises:
        UsageError: A path cannot be read, or one is a file and the other a folder.
    """
    old_path, new_path = Path(old), Path(new)
    if old_path.is_file() != new_path.is_file() and old_path.exists() and new_path.exists():
        raise UsageError("OLD and NEW must both be template files or both cdk.out folders")
    old_stacks, new_stacks = load_stacks(old_path), load_stacks(new_path)
    if old_path.is_file():  # two files: one stack, whatever the file names
        (old_t,), (new_t,) = old_stacks.values(), new_stacks.values()
        name = next(iter(new_stacks))
        return compare_templates(old_t, new_t, stack=name, region=region), 1
    findings: list[Finding] = []
    for name, old_template in old_stacks.items():
        new_template = new_stacks.get(name, {"Resources": {}})
        findings.extend(compare_templates(old_template, new_template, stack=name, region=region))
    return findings, len(old_stacks)


# Command ---------------------------------------------------------------------------------


def _usage_error(message: str) -> NoReturn:
    print(f"cognito-auth check-update: {message} (see --help)", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``cognito-auth check-update``; a bad command line is one line on stderr
    and exit 2, like every other usage error of the command."""
    parser.error = _usage_error  # type: ignore[method-assign]
    parser.description = (
        "Flag changes from OLD (the deployed templates) to NEW that would lose users or fail "
        "to deploy. Exit 1 on findings, 0 when safe, 2 on a usage error."
    )
    parser.add_argument("old", metavar="OLD", help="deployed template file or cdk.out folder")
    parser.add_argument("new", metavar="NEW", help="new template file or cdk.out folder")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument(
        "--region",
        default="us-east-1",
        help="the region whose registry schemas to read (default: us-east-1)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the comparison and print the result."""
    try:
        findings, stacks = compare(args.old, args.new, region=args.region)
    except UsageError as error:
        print(f"cognito-auth check-update: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        document = {
            "ok": not findings,
            "stacks": stacks,
            "findings": [asdict(f) for f in findings],
        }
        print(json.dumps(document, indent=2))
    elif findings:
        for finding in findings:
            print(finding.line())
    else:
        plural = "s" if stacks != 1 else ""
        print(f"check-update: no change that loses users or fails in {stacks} stack{plural}")
    return EXIT_FINDINGS if findings else EXIT_OK
