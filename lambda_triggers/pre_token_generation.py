"""Pre token generation trigger: claims from a DynamoDB table and from the user's groups.

Cognito calls this trigger before it issues tokens. The handler looks up one item keyed by the
user's ``sub`` and adds its attributes as claims, optionally adds groups from the item, copies the
groups into a claim, suppresses configured claims and, for access tokens, adds or suppresses
scopes. It answers in the shape of the event's version:

* ``V1_0`` (``claimsOverrideDetails``; ID token only, claim values are strings). Events whose
  ``version`` is ``"1"``, ``"0"`` (cognito-local), missing or unknown get this shape.
* ``V2_0`` and ``V3_0`` (``claimsAndScopeOverrideDetails`` with ``idTokenGeneration`` and
  ``accessTokenGeneration``); values may be strings, numbers, booleans, arrays or JSON objects.
  Versions ``"2"``/``"3"`` (and ``"V2_0"``/``"V3_0"``) get this shape.

``triggerSource`` values handled:

* ``TokenGeneration_HostedAuth``, ``TokenGeneration_Authentication``,
  ``TokenGeneration_NewPasswordChallenge``, ``TokenGeneration_AuthenticateDevice``,
  ``TokenGeneration_RefreshTokens``: a user signs in or refreshes; claims come from the table.
* ``TokenGeneration_ClientCredentials`` (V3_0, machine-to-machine): there is no user and no ID
  token; only access-token suppressions and scopes apply, and the table is not read.
* Any other source: the event is returned unchanged (and logged), so a new Cognito source never
  blocks sign-in.

Item attributes become claims as follows (DynamoDB type -> claim value): ``S`` -> string, ``N`` ->
integer or float, ``BOOL`` -> boolean, ``SS``/``NS`` -> sorted array, ``L`` -> array, ``M`` ->
JSON object; ``NULL`` and binary values are skipped. In V1_0 answers (and for the ID-token claims
``address``, ``email_verified``, ``phone_number_verified`` and ``updated_at``, which Cognito keeps
scalar) arrays of scalars become comma-separated strings and objects become compact JSON strings.
The partition key, the groups attribute and Cognito's reserved claims (``sub``, ``iss``, ``aud``,
``token_use``, ``cognito:groups``, ...) are never copied. A suppressed claim wins over an added one.

The request's ``groupConfiguration`` is echoed back as ``groupOverrideDetails`` (with any groups
from the item appended): Cognito documents that an empty or null ``groupOverrideDetails`` drops
the user's groups. Without a ``groupConfiguration`` (cognito-local, client credentials)
none is sent.

If the table cannot be read (timeout, throttling, missing table), ``CLAIMS_FAIL_MODE`` decides:
``issue_without_claims`` (default) issues the tokens without the table's claims and logs an
error; ``deny`` refuses the sign-in with a short message. Lookups, including "no item", are
cached in memory for ``CLAIMS_CACHE_TTL_SECONDS`` (errors are not cached), so a claim change
reaches new tokens within that time.

Environment variables (read once per Lambda instance):
    CLAIMS_TABLE_NAME: DynamoDB table holding one item per user. Default: unset, no lookup.
    CLAIMS_PARTITION_KEY: Name of the table's string partition key holding the user pool
        ``sub``. Default: ``sub``.
    CLAIMS_ATTRIBUTES: Comma-separated allow-list of item attributes to turn into claims.
        Default: every attribute except the keys.
    CLAIMS_GROUPS_ATTRIBUTE: Item attribute (string set or list) whose values are added to the
        user's groups (``cognito:groups``) through ``groupOverrideDetails``. Default: unset.
    GROUPS_CLAIM: Also write the user's groups into this claim (e.g. ``roles``). Default: unset.
    CLAIMS_IN_ACCESS_TOKEN: ``true``/``false``; for V2_0/V3_0, add the table's claims to the
        access token as well as the ID token. Default: ``true``.
    SUPPRESS_CLAIMS: Comma-separated claims to remove from the ID token (and the access token
        in V2_0/V3_0). Reserved claims cannot be suppressed. Default: none.
    SCOPES_TO_ADD: Comma-separated scopes to add to access tokens (V2_0/V3_0). Default: none.
    SCOPES_TO_SUPPRESS: Comma-separated scopes to remove from access tokens (V2_0/V3_0).
        Default: none.
    CLAIMS_CACHE_TTL_SECONDS: Seconds a lookup stays cached; ``0`` disables the cache.
        Default: ``60``.
    CLAIMS_CACHE_MAX_ENTRIES: Most users kept in the cache (oldest dropped first).
        Default: ``1024``.
    CLAIMS_FAIL_MODE: ``issue_without_claims`` or ``deny``. Default: ``issue_without_claims``.

IAM: ``dynamodb:GetItem`` on the table. Time budget: one GetItem, at most 2.05 s including a
cold start (see ``_aws``).

See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
"""

from __future__ import annotations

import os
import time

# Typing-only imports: ``typing``, ``collections.abc`` and ``dataclasses`` cost several
# milliseconds of cold start, and annotations are strings here (``__future__``).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    Event = dict[str, Any]
    Json = str | int | float | bool | list[Any] | dict[str, Any]

# The Lambda runtime imports this file as the top-level module ``pre_token_generation`` (the
# asset folder is the code root), while tests and the wheel import it as
# ``lambda_triggers.pre_token_generation``. The relative import serves the package case and
# raises ImportError in the top-level case, where the siblings are top-level modules too.
try:
    from . import _aws, _runtime
except ImportError:  # pragma: no cover - only when the folder is the Lambda code root
    import _aws  # type: ignore[no-redef, import-not-found]
    import _runtime  # type: ignore[no-redef, import-not-found]

USER_SOURCES = frozenset(
    {
        "TokenGeneration_HostedAuth",
        "TokenGeneration_Authentication",
        "TokenGeneration_NewPasswordChallenge",
        "TokenGeneration_AuthenticateDevice",
        "TokenGeneration_RefreshTokens",
    }
)
CLIENT_CREDENTIALS_SOURCE = "TokenGeneration_ClientCredentials"
FAIL_MODES = ("issue_without_claims", "deny")

#: Claims Cognito sets itself; adding or suppressing them is refused or ignored by the service.
RESERVED_CLAIMS = frozenset(
    {
        "acr",
        "amr",
        "at_hash",
        "aud",
        "auth_time",
        "azp",
        "client_id",
        "cognito:groups",
        "cognito:preferred_role",
        "cognito:roles",
        "cognito:username",
        "device_key",
        "event_id",
        "exp",
        "iat",
        "identities",
        "iss",
        "jti",
        "nbf",
        "nonce",
        "origin_jti",
        "scope",
        "sub",
        "token_use",
        "username",
        "version",
    }
)
#: ID-token claims whose value must stay a string, number or boolean, even in V2_0/V3_0.
SCALAR_ID_CLAIMS = frozenset({"address", "email_verified", "phone_number_verified", "updated_at"})

DENY_MESSAGE = "Sign-in is temporarily unavailable. Please try again in a moment."


class Settings(_runtime.Record):
    """The trigger's configuration; see the module docstring for each variable."""

    __slots__ = (
        "access_token_claims",
        "cache_max_entries",
        "cache_ttl_seconds",
        "claim_attributes",
        "fail_mode",
        "groups_attribute",
        "groups_claim",
        "partition_key",
        "scopes_to_add",
        "scopes_to_suppress",
        "suppress_claims",
        "table_name",
    )

    def __init__(
        self,
        *,
        table_name: str | None = None,
        partition_key: str = "sub",
        claim_attributes: tuple[str, ...] = (),
        groups_attribute: str | None = None,
        groups_claim: str | None = None,
        access_token_claims: bool = True,
        suppress_claims: tuple[str, ...] = (),
        scopes_to_add: tuple[str, ...] = (),
        scopes_to_suppress: tuple[str, ...] = (),
        cache_ttl_seconds: float = 60.0,
        cache_max_entries: int = 1024,
        fail_mode: str = "issue_without_claims",
    ) -> None:
        self.table_name = table_name
        self.partition_key = partition_key
        self.claim_attributes = claim_attributes
        self.groups_attribute = groups_attribute
        self.groups_claim = groups_claim
        self.access_token_claims = access_token_claims
        self.suppress_claims = suppress_claims
        self.scopes_to_add = scopes_to_add
        self.scopes_to_suppress = scopes_to_suppress
        self.cache_ttl_seconds = cache_ttl_seconds
        self.cache_max_entries = cache_max_entries
        self.fail_mode = fail_mode

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read and check the environment variables.

        Raises:
            ConfigurationError: Listing every invalid variable at once.
        """
        problems: list[str] = []

        def attempt(read: Callable[[], Any], default: Any) -> Any:
            try:
                return read()
            except _runtime.ConfigurationError as exc:
                problems.append(str(exc))
                return default

        fail_mode = _runtime.env_str(env, "CLAIMS_FAIL_MODE", "issue_without_claims")
        if fail_mode not in FAIL_MODES:
            problems.append(f"CLAIMS_FAIL_MODE must be one of {FAIL_MODES}, got {fail_mode!r}")
        suppress = _runtime.env_list(env, "SUPPRESS_CLAIMS")
        reserved = sorted(set(suppress) & RESERVED_CLAIMS)
        if reserved:
            problems.append(
                f"SUPPRESS_CLAIMS may not name reserved claims, got {reserved!r} "
                f"(reserved: {', '.join(sorted(RESERVED_CLAIMS))})"
            )
        max_entries = attempt(
            lambda: _runtime.env_number(env, "CLAIMS_CACHE_MAX_ENTRIES", 1024, minimum=1), 1024
        )
        settings = cls(
            table_name=_runtime.env_str(env, "CLAIMS_TABLE_NAME"),
            partition_key=_runtime.env_str(env, "CLAIMS_PARTITION_KEY", "sub") or "sub",
            claim_attributes=_runtime.env_list(env, "CLAIMS_ATTRIBUTES"),
            groups_attribute=_runtime.env_str(env, "CLAIMS_GROUPS_ATTRIBUTE"),
            groups_claim=_runtime.env_str(env, "GROUPS_CLAIM"),
            access_token_claims=attempt(
                lambda: _runtime.env_bool(env, "CLAIMS_IN_ACCESS_TOKEN", True), True
            ),
            suppress_claims=suppress,
            scopes_to_add=_runtime.env_list(env, "SCOPES_TO_ADD"),
            scopes_to_suppress=_runtime.env_list(env, "SCOPES_TO_SUPPRESS"),
            cache_ttl_seconds=attempt(
                lambda: _runtime.env_number(env, "CLAIMS_CACHE_TTL_SECONDS", 60.0, minimum=0), 60.0
            ),
            cache_max_entries=int(max_entries),
            fail_mode=fail_mode or "issue_without_claims",
        )
        if problems:
            raise _runtime.ConfigurationError("; ".join(problems))
        return settings


class ItemClaims(_runtime.Record):
    """Claims derived from one table item, pre-rendered for each answer shape.

    Attributes:
        structured: V2_0/V3_0 values (arrays and objects kept), for access tokens.
        id_token: Like ``structured`` but scalar where Cognito requires it in ID tokens.
        flat: V1_0 values, all strings.
        groups: Groups to add to the user's ``cognito:groups``.
    """

    __slots__ = ("flat", "groups", "id_token", "structured")

    def __init__(
        self,
        *,
        structured: dict[str, Json] | None = None,
        id_token: dict[str, Json] | None = None,
        flat: dict[str, str] | None = None,
        groups: tuple[str, ...] = (),
    ) -> None:
        self.structured: dict[str, Json] = structured or {}
        self.id_token: dict[str, Json] = id_token or {}
        self.flat: dict[str, str] = flat or {}
        self.groups = groups


NO_CLAIMS = ItemClaims()


class TtlCache:
    """A small in-process cache: entries expire after ``ttl`` seconds; the oldest go first.

    Lambda runs one request at a time per instance, so no locking is needed.
    """

    def __init__(
        self, ttl: float, max_entries: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        # A plain dict keeps insertion order, so its first key is the oldest entry.
        self._entries: dict[str, tuple[float, ItemClaims]] = {}

    def get(self, key: str) -> ItemClaims | None:
        """Return the live entry for ``key``, or ``None``."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: str, value: ItemClaims) -> None:
        """Store ``value``, dropping the oldest entries beyond the size bound."""
        if self._ttl <= 0:
            return
        self._entries.pop(key, None)  # re-inserting moves the key to the end
        self._entries[key] = (self._clock() + self._ttl, value)
        while len(self._entries) > self._max_entries:
            del self._entries[next(iter(self._entries))]

    def __len__(self) -> int:
        return len(self._entries)


_settings: Settings | None = None
_cache: TtlCache | None = None


def reset() -> None:
    """Forget the cached settings and claims (tests, or after changing the environment)."""
    global _settings, _cache
    _settings = None
    _cache = None


def settings() -> Settings:
    """Return the settings, read from the environment on first use."""
    global _settings
    if _settings is None:
        _settings = Settings.from_env(os.environ)
    return _settings


def _claims_cache(config: Settings) -> TtlCache:
    global _cache
    if _cache is None:
        _cache = TtlCache(config.cache_ttl_seconds, config.cache_max_entries)
    return _cache


# --- pure functions -------------------------------------------------------------------------


def event_version(event: Mapping[str, Any]) -> int:
    """Return the answer shape to use: 1 (V1_0), 2 (V2_0) or 3 (V3_0)."""
    version = str(event.get("version") or "").upper()
    if version in ("2", "V2_0", "2_0"):
        return 2
    if version in ("3", "V3_0", "3_0"):
        return 3
    if event.get("triggerSource") == CLIENT_CREDENTIALS_SOURCE:
        return 3  # only V3_0 events carry this source
    return 1


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def attribute_value(value: Mapping[str, Any]) -> Json | None:
    """Convert one DynamoDB ``AttributeValue`` (low-level client shape) to a JSON claim value.

    Returns ``None`` for ``NULL``, binary and empty values, which make no claim.
    """
    if "S" in value:
        return str(value["S"])
    if "N" in value:
        return _number(value["N"])
    if "BOOL" in value:
        return bool(value["BOOL"])
    if "SS" in value:
        return sorted(value["SS"])
    if "NS" in value:
        return sorted(_number(n) for n in value["NS"])
    if "L" in value:
        items = [attribute_value(v) for v in value["L"]]
        return [v for v in items if v is not None]
    if "M" in value:
        converted = {k: attribute_value(v) for k, v in value["M"].items()}
        return {k: v for k, v in converted.items() if v is not None}
    return None


def flat_value(value: Json) -> str:
    """Render a claim value as the string a V1_0 answer (or a scalar-only claim) needs."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return ",".join(str(v) for v in value)
    import json  # Lazily: only when a table item holds an object or a nested list.

    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def claims_from_item(item: Mapping[str, Mapping[str, Any]], config: Settings) -> ItemClaims:
    """Turn a table item into claims, honouring the allow-list, reserved and suppressed names."""
    skip = RESERVED_CLAIMS | {config.partition_key} | set(config.suppress_claims)
    if config.groups_attribute:
        skip = skip | {config.groups_attribute}
    allowed = set(config.claim_attributes)
    structured: dict[str, Json] = {}
    for name, raw in item.items():
        if name in skip or (allowed and name not in allowed):
            continue
        value = attribute_value(raw)
        if value is None or value == [] or value == {}:
            continue
        structured[name] = value
    groups: tuple[str, ...] = ()
    if config.groups_attribute and config.groups_attribute in item:
        value = attribute_value(item[config.groups_attribute])
        if isinstance(value, list):
            groups = tuple(str(v) for v in value if isinstance(v, str) and v)
        elif isinstance(value, str) and value:
            groups = (value,)
    flat = {name: flat_value(value) for name, value in structured.items()}
    id_token = {
        name: (flat[name] if name in SCALAR_ID_CLAIMS else value)
        for name, value in structured.items()
    }
    return ItemClaims(structured=structured, id_token=id_token, flat=flat, groups=groups)


def customize(event: Event, claims: ItemClaims, config: Settings) -> Event:
    """Write the trigger's answer into ``event["response"]`` and return the event (no I/O).

    Args:
        event: The Cognito event; its ``version`` picks the answer shape.
        claims: Claims from the table (``NO_CLAIMS`` when there are none).
        config: The trigger settings.
    """
    machine = event.get("triggerSource") == CLIENT_CREDENTIALS_SOURCE
    request = event.get("request") or {}
    group_config = request.get("groupConfiguration") or {}
    current_groups: list[str] = list(group_config.get("groupsToOverride") or [])
    groups = current_groups + [g for g in claims.groups if g not in current_groups]
    # Cognito documents that an empty or null groupOverrideDetails suppresses the groups and
    # that echoing the request's groupConfiguration keeps them: echo it whenever there is one.
    group_override: dict[str, Any] | None = None
    if group_config or len(groups) != len(current_groups):
        group_override = {
            "groupsToOverride": groups,
            "iamRolesToOverride": list(group_config.get("iamRolesToOverride") or []),
            "preferredRole": group_config.get("preferredRole"),
        }
    suppress = list(config.suppress_claims)
    groups_claim = (
        config.groups_claim
        if config.groups_claim and not machine and config.groups_claim not in suppress
        else None
    )

    if event_version(event) == 1:
        v1: dict[str, Any] = {}
        flat: dict[str, str] = dict(claims.flat)
        if groups_claim:
            flat[groups_claim] = ",".join(groups)
        if flat:
            v1["claimsToAddOrOverride"] = flat
        if suppress:
            v1["claimsToSuppress"] = suppress
        if group_override:
            v1["groupOverrideDetails"] = group_override
        event["response"] = {"claimsOverrideDetails": v1}
        return event

    details: dict[str, Any] = {}
    if not machine:
        id_claims: dict[str, Json] = dict(claims.id_token)
        if groups_claim:
            id_claims[groups_claim] = list(groups)
        id_generation: dict[str, Any] = {}
        if id_claims:
            id_generation["claimsToAddOrOverride"] = id_claims
        if suppress:
            id_generation["claimsToSuppress"] = suppress
        details["idTokenGeneration"] = id_generation
    access: dict[str, Any] = {}
    access_claims: dict[str, Json] = dict(claims.structured) if config.access_token_claims else {}
    if groups_claim and config.access_token_claims:
        access_claims[groups_claim] = list(groups)
    if access_claims:
        access["claimsToAddOrOverride"] = access_claims
    if suppress:
        access["claimsToSuppress"] = list(suppress)
    if config.scopes_to_add:
        access["scopesToAdd"] = list(config.scopes_to_add)
    if config.scopes_to_suppress:
        access["scopesToSuppress"] = list(config.scopes_to_suppress)
    details["accessTokenGeneration"] = access
    if group_override:
        details["groupOverrideDetails"] = group_override
    event["response"] = {"claimsAndScopeOverrideDetails": details}
    return event


# --- I/O ------------------------------------------------------------------------------------


def _get_item(sub: str, config: Settings) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TableName": config.table_name,
        "Key": {config.partition_key: {"S": sub}},
    }
    if config.claim_attributes:
        names = list(config.claim_attributes)
        if config.groups_attribute:
            names.append(config.groups_attribute)
        # Placeholders, because attribute names may be DynamoDB reserved words ("name", "role").
        request["ProjectionExpression"] = ", ".join(f"#a{i}" for i in range(len(names)))
        request["ExpressionAttributeNames"] = {f"#a{i}": n for i, n in enumerate(names)}
    client = _aws.dynamodb()
    response = _aws.call(lambda: client.get_item(**request))
    item: dict[str, Any] = response.get("Item") or {}
    return item


def load_claims(sub: str, config: Settings) -> ItemClaims:
    """Return the claims for ``sub`` from the cache or the table, applying the fail mode.

    Raises:
        UserFacingError: The table failed and ``CLAIMS_FAIL_MODE`` is ``deny``.
    """
    cache = _claims_cache(config)
    cached = cache.get(sub)
    if cached is not None:
        return cached
    try:
        item = _get_item(sub, config)
    except Exception as exc:
        _runtime.log(
            "error",
            "claims table lookup failed",
            error=type(exc).__name__,
            code=_aws.error_code(exc),
            fail_mode=config.fail_mode,
        )
        if config.fail_mode == "deny":
            raise _runtime.UserFacingError(DENY_MESSAGE) from None
        return NO_CLAIMS
    claims = claims_from_item(item, config)
    cache.put(sub, claims)
    return claims


def handler(event: Event, context: object) -> Event:
    """Lambda entry point: add claims for the signing-in user, answer in the event's version."""
    source = event.get("triggerSource")
    try:
        config = settings()
        if source in USER_SOURCES:
            sub = ((event.get("request") or {}).get("userAttributes") or {}).get("sub")
            claims = load_claims(sub, config) if sub and config.table_name else NO_CLAIMS
        elif source == CLIENT_CREDENTIALS_SOURCE:
            claims = NO_CLAIMS  # no user, so nothing keyed by sub
        else:
            _runtime.log("warning", "unhandled trigger source", trigger_source=source)
            return event
        return customize(event, claims, config)
    except _runtime.UserFacingError:
        raise
    except Exception as exc:
        # Configuration messages name variables and values; other errors log their type only,
        # since their text could quote event data.
        detail = str(exc) if isinstance(exc, _runtime.ConfigurationError) else None
        _runtime.log(
            "error", "pre token generation failed", error=type(exc).__name__, detail=detail
        )
        raise _runtime.UserFacingError(DENY_MESSAGE) from None
