"""User migration trigger: move users from an old user pool with their passwords.

Cognito invokes this trigger on the NEW pool when someone signs in with a password, or asks for
a forgotten password, with a username the new pool does not know. It creates the user from the
answer, with the password just typed, so nobody resets anything.

``triggerSource`` values handled:

* ``UserMigration_Authentication``: ``AdminInitiateAuth`` (``ADMIN_USER_PASSWORD_AUTH``) on the
  old pool with the typed password, and ``AdminGetUser`` at the same time (in parallel, one step
  of the time budget). On success the attributes are copied, the user is created ``CONFIRMED``
  and no welcome message is sent (``messageAction: SUPPRESS``). A wrong password or an unknown
  user is refused with the same message. When the old pool asks for a second factor (or a new
  password), the user is refused with a request to reset the password: MFA secrets cannot be
  moved, and creating the user on the password alone would skip the factor the old pool
  demanded. The reset (next source) proves the user's email or phone instead.
* ``UserMigration_ForgotPassword``: ``AdminGetUser`` on the old pool; the attributes are copied
  (including ``email_verified``, so Cognito can send the code) and the user resets the password
  in the new pool.
* ``PostAuthentication_Authentication``: the migration event cannot set groups and the user does
  not exist while it runs, so groups are copied when the same function is also wired as the new
  pool's post authentication trigger: ``AdminListGroupsForUser`` on the old pool, then
  ``AdminAddUserToGroup`` on the new pool for each group that exists there (idempotent; failures
  are logged and never fail the sign-in; the next sign-in tries again). Tokens issued before the
  copy lack the groups; they appear at the next sign-in or token refresh.
* Any other source: the event is returned unchanged.

Throttling or a fault of the old pool (after ``_aws.call``'s one retry) refuses the sign-in with
"please try again"; Cognito retries failed triggers, and nothing here has side effects until
Cognito creates the user.

Environment variables (read once per Lambda instance):
    OLD_USER_POOL_ID: The pool users come from (its Region is read from the id). Required.
    OLD_CLIENT_ID: An app client of the old pool with ``ALLOW_ADMIN_USER_PASSWORD_AUTH`` and no
        client secret. Required.
    OLD_POOL_ROLE_ARN: A role to assume for the old pool (another account). Default: none, the
        function's own role.
    MIGRATE_ATTRIBUTES: Comma-separated attributes to copy. Default: every attribute but
        ``sub`` (the new pool assigns its own).
    OLD_USERNAME_ATTRIBUTE: For the group copy: the attribute the old pool knows the user by
        (``email`` when both pools sign in with email; the new pool's username is then a new
        id). Default: unset, the new pool's ``userName``.

IAM: ``cognito-idp:AdminInitiateAuth``, ``AdminGetUser`` and ``AdminListGroupsForUser`` on the
OLD pool (or ``sts:AssumeRole`` on the role that has them), ``AdminAddUserToGroup`` on the new
pool. Time budget: at most two sequential steps (``AssumeRole`` on a cold start with a role, then
the old-pool calls, made in parallel; the group copy lists, then adds in parallel), 3.5 s
including a cold start (see ``_aws``).

See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html
and https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-import-using-lambda.html
"""

from __future__ import annotations

import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    Event = dict[str, Any]

try:
    from . import _aws, _runtime
except ImportError:  # pragma: no cover - only when the folder is the Lambda code root
    import _aws  # type: ignore[no-redef, import-not-found]
    import _runtime  # type: ignore[no-redef, import-not-found]

AUTHENTICATION = "UserMigration_Authentication"
FORGOT_PASSWORD = "UserMigration_ForgotPassword"
POST_AUTHENTICATION = "PostAuthentication_Authentication"

#: One message for a wrong password and an unknown user, so the trigger reveals neither.
REFUSED_MESSAGE = "Incorrect username or password."
RESET_MESSAGE = "Please reset your password to continue: choose 'Forgot password'."
BUSY_MESSAGE = "Sign-in is busy right now. Please try again in a moment."

#: Old-pool answers that mean "no such user or wrong password".
REFUSED_CODES = frozenset({"NotAuthorizedException", "UserNotFoundException"})
#: Attributes the new pool sets itself (and claims that are not attributes).
TOKEN_ONLY_CLAIMS = frozenset(
    {
        "sub",
        "aud",
        "iss",
        "exp",
        "iat",
        "auth_time",
        "token_use",
        "jti",
        "origin_jti",
        "event_id",
        "at_hash",
        "nonce",
        "identities",
    }
)
#: Assumed-role credentials are renewed this long before they expire.
CREDENTIALS_MARGIN_SECONDS = 300


class Settings(_runtime.Record):
    """The trigger's configuration; see the module docstring for each variable."""

    __slots__ = ("attributes", "client_id", "pool_id", "role_arn", "username_attribute")

    def __init__(
        self,
        *,
        pool_id: str,
        client_id: str,
        role_arn: str | None = None,
        attributes: tuple[str, ...] = (),
        username_attribute: str | None = None,
    ) -> None:
        self.pool_id = pool_id
        self.client_id = client_id
        self.role_arn = role_arn
        self.attributes = attributes
        self.username_attribute = username_attribute

    @property
    def region(self) -> str:
        """The old pool's Region, the part of its id before ``_``."""
        return self.pool_id.partition("_")[0]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read the environment variables.

        Raises:
            ConfigurationError: A required variable is missing or the pool id is malformed.
        """
        pool_id = _runtime.env_str(env, "OLD_USER_POOL_ID")
        client_id = _runtime.env_str(env, "OLD_CLIENT_ID")
        if not pool_id:
            raise _runtime.ConfigurationError("OLD_USER_POOL_ID must be set")
        if "_" not in pool_id or not pool_id.partition("_")[2]:
            raise _runtime.ConfigurationError(
                f"OLD_USER_POOL_ID must look like '<region>_<id>', got {pool_id!r}"
            )
        if not client_id:
            raise _runtime.ConfigurationError("OLD_CLIENT_ID must be set")
        return cls(
            pool_id=pool_id,
            client_id=client_id,
            role_arn=_runtime.env_str(env, "OLD_POOL_ROLE_ARN"),
            attributes=_runtime.env_list(env, "MIGRATE_ATTRIBUTES"),
            username_attribute=_runtime.env_str(env, "OLD_USERNAME_ATTRIBUTE"),
        )


_settings: Settings | None = None
_old_client: Any = None
_old_client_expires = 0.0


def reset() -> None:
    """Forget the cached settings and old-pool client (tests, or a changed environment)."""
    global _settings, _old_client, _old_client_expires
    _settings = None
    _old_client = None
    _old_client_expires = 0.0


def settings() -> Settings:
    """Return the settings, read from the environment on first use."""
    global _settings
    if _settings is None:
        _settings = Settings.from_env(os.environ)
    return _settings


def old_pool(config: Settings) -> Any:
    """The cognito-idp client for the old pool: the shared one when the old pool is in this
    Region and account, else one in its Region, with assumed-role credentials when a role is
    set (renewed before they expire)."""
    global _old_client, _old_client_expires
    same_region = config.region == os.environ.get("AWS_REGION", config.region)
    if config.role_arn is None and same_region:
        return _aws.cognito_idp()
    if _old_client is not None and time.time() < _old_client_expires:
        return _old_client
    import boto3  # Lazily, as in _aws.

    kwargs: dict[str, Any] = {}
    expires = float("inf")
    if config.role_arn is not None:
        sts = _aws.get_client("sts")
        answer = _aws.call(
            lambda: sts.assume_role(RoleArn=config.role_arn, RoleSessionName="user-migration")
        )
        credentials = answer["Credentials"]
        kwargs = {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }
        expires = credentials["Expiration"].timestamp() - CREDENTIALS_MARGIN_SECONDS
    _old_client = boto3.client(
        "cognito-idp", region_name=config.region, config=_aws.client_config(), **kwargs
    )
    _old_client_expires = expires
    return _old_client


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def copy_attributes(attributes: Mapping[str, object], config: Settings) -> dict[str, str]:
    """The attributes the new pool receives: all (or ``MIGRATE_ATTRIBUTES``) but ``sub`` and
    claims that are not attributes; values as strings (``email_verified`` ``"true"``)."""
    wanted = set(config.attributes)
    return {
        name: _text(value)
        for name, value in attributes.items()
        if name not in TOKEN_ONLY_CLAIMS
        and not name.startswith("cognito:")
        and (not wanted or name in wanted)
    }


def _attributes(user: Mapping[str, Any]) -> dict[str, object]:
    return {a["Name"]: a.get("Value", "") for a in user.get("UserAttributes") or []}


def _refuse(exc: Exception, step: str) -> _runtime.UserFacingError:
    code = _aws.error_code(exc)
    _runtime.log(
        "warning", "user migration refused", step=step, error=type(exc).__name__, code=code
    )
    if code in REFUSED_CODES:
        return _runtime.UserFacingError(REFUSED_MESSAGE)
    return _runtime.UserFacingError(BUSY_MESSAGE)


def migrate_on_sign_in(event: Event, config: Settings) -> Event:
    """Authenticate against the old pool with the typed password and answer with the user."""
    request = event.get("request") or {}
    password = request.get("password")
    if not password:
        raise _runtime.UserFacingError(REFUSED_MESSAGE)
    client = old_pool(config)

    def authenticate() -> Any:
        return _aws.call(
            lambda: client.admin_initiate_auth(
                UserPoolId=config.pool_id,
                ClientId=config.client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": event["userName"], "PASSWORD": password},
            )
        )

    def get_user() -> Any:
        return _aws.call(
            lambda: client.admin_get_user(UserPoolId=config.pool_id, Username=event["userName"])
        )

    from concurrent.futures import ThreadPoolExecutor  # Lazily: only on a migration.

    # Both at once: one step of the time budget. The user's attributes are read alongside the
    # password check and used only if the password was right.
    with ThreadPoolExecutor(max_workers=2) as pool:
        auth_future, user_future = pool.submit(authenticate), pool.submit(get_user)
        try:
            answer = auth_future.result()
        except Exception as exc:
            raise _refuse(exc, "authenticate") from None
        if not answer.get("AuthenticationResult"):
            challenge = answer.get("ChallengeName")
            _runtime.log("info", "user migration needs a password reset", challenge=challenge)
            raise _runtime.UserFacingError(RESET_MESSAGE)
        try:
            user = user_future.result()
        except Exception as exc:
            raise _refuse(exc, "get user") from None
    event["response"] = {
        **(event.get("response") or {}),
        "userAttributes": copy_attributes(_attributes(user), config),
        "finalUserStatus": "CONFIRMED",
        "messageAction": "SUPPRESS",
    }
    _runtime.log("info", "user migrated", source=AUTHENTICATION)
    return event


def migrate_on_forgot_password(event: Event, config: Settings) -> Event:
    """Copy the user from the old pool so the new pool can send a reset code."""
    client = old_pool(config)
    try:
        user = _aws.call(
            lambda: client.admin_get_user(UserPoolId=config.pool_id, Username=event["userName"])
        )
    except Exception as exc:
        raise _refuse(exc, "get user") from None
    event["response"] = {
        **(event.get("response") or {}),
        "userAttributes": copy_attributes(_attributes(user), config),
        "messageAction": "SUPPRESS",
    }
    _runtime.log("info", "user migrated", source=FORGOT_PASSWORD)
    return event


def copy_groups(event: Event, config: Settings) -> list[str]:
    """Add the user to the new pool's groups of the same names as in the old pool.

    Returns:
        The groups the user was added to (already a member counts as added).
    """
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    old_name = event["userName"]
    if config.username_attribute:
        old_name = attributes.get(config.username_attribute) or old_name
    old = old_pool(config)
    listed = _aws.call(
        lambda: old.admin_list_groups_for_user(
            UserPoolId=config.pool_id, Username=old_name, Limit=60
        )
    )
    names = [g["GroupName"] for g in listed.get("Groups") or []]
    if not names:
        return []
    new = _aws.cognito_idp()

    def add(group: str) -> str | None:
        try:
            _aws.call(
                lambda: new.admin_add_user_to_group(
                    UserPoolId=event["userPoolId"], Username=event["userName"], GroupName=group
                )
            )
        except Exception as exc:  # e.g. the group does not exist in the new pool
            _runtime.log(
                "warning", "group not copied", error=type(exc).__name__, code=_aws.error_code(exc)
            )
            return None
        return group

    from concurrent.futures import ThreadPoolExecutor  # Lazily: only when there are groups.

    # In parallel: the copy stays one step of the time budget however many groups there are.
    with ThreadPoolExecutor(max_workers=min(8, len(names))) as pool:
        added = [g for g in pool.map(add, names) if g is not None]
    return added


def handler(event: Event, context: object) -> Event:
    """Lambda entry point: migrate on sign-in and forgotten password; copy groups after."""
    source = event.get("triggerSource")
    if source not in (AUTHENTICATION, FORGOT_PASSWORD, POST_AUTHENTICATION):
        _runtime.log("warning", "unhandled trigger source", trigger_source=source)
        return event
    try:
        config = settings()
    except _runtime.ConfigurationError as error:
        _runtime.log("error", "user migration misconfigured", error=str(error))
        if source == POST_AUTHENTICATION:
            return event
        raise _runtime.UserFacingError(_runtime.GENERIC_USER_MESSAGE) from None
    if source == POST_AUTHENTICATION:
        try:
            added = copy_groups(event, config)
            _runtime.log("info", "groups copied", count=len(added))
        except Exception as exc:  # never fail a sign-in for groups: the next one retries
            _runtime.log(
                "error", "group copy failed", error=type(exc).__name__, code=_aws.error_code(exc)
            )
        return event
    try:
        if source == AUTHENTICATION:
            return migrate_on_sign_in(event, config)
        return migrate_on_forgot_password(event, config)
    except _runtime.UserFacingError:
        raise
    except Exception as exc:
        raise _refuse(exc, "old pool client") from None
