"""Post confirmation trigger: a default group and a profile record for each new user.

``triggerSource`` values handled:

* ``PostConfirmation_ConfirmSignUp``: a user confirmed their sign-up (self-service, admin
  confirmation, or first federated sign-in). The user joins ``DEFAULT_GROUP`` and gets a profile
  item in ``PROFILE_TABLE_NAME``.
* ``PostConfirmation_ConfirmForgotPassword``: a password reset; nothing to do.
* Any other source: the event is returned unchanged.

Both side effects are idempotent, because Cognito retries a failed trigger: AdminAddUserToGroup
does nothing for a member, and the profile is written with the condition
``attribute_not_exists(<key>)``, a ``ConditionalCheckFailedException`` meaning "already written",
so a retry never overwrites the first record (nor a profile the app has changed since).

The profile item holds the key (the user's ``sub``), ``username``, ``user_pool_id``,
``created_at`` (UTC, ISO 8601) and the user attributes listed in ``PROFILE_ATTRIBUTES`` (strings).

If a call fails, the trigger raises a short message; Cognito retries it. The user is confirmed
either way (the confirmation happens before this trigger runs).

Environment variables (read once per Lambda instance):
    DEFAULT_GROUP: Group every confirmed user joins; it must exist. Default: unset, no group.
    PROFILE_TABLE_NAME: DynamoDB table for profile records. Default: unset, no record.
    PROFILE_PARTITION_KEY: Name of the table's string partition key, which receives the user's
        ``sub``. Default: ``sub``.
    PROFILE_ATTRIBUTES: Comma-separated user attributes copied into the record.
        Default: ``email``.

IAM: ``cognito-idp:AdminAddUserToGroup`` on the pool, ``dynamodb:PutItem`` on the table. Time
budget: two calls, at most 3.5 s including a cold start (see ``_aws``).

See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

# Typing-only imports: ``typing``, ``collections.abc`` and ``dataclasses`` cost several
# milliseconds of cold start, and annotations are strings here (``__future__``).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    Event = dict[str, Any]

# The Lambda runtime imports this file as a top-level module (the asset folder is the code
# root); tests and the wheel import it from the package ``lambda_triggers``. See
# pre_token_generation.py for the same two-step import.
try:
    from . import _aws, _runtime
except ImportError:  # pragma: no cover - only when the folder is the Lambda code root
    import _aws  # type: ignore[no-redef, import-not-found]
    import _runtime  # type: ignore[no-redef, import-not-found]

CONFIRM_SIGN_UP = "PostConfirmation_ConfirmSignUp"
CONFIRM_FORGOT_PASSWORD = "PostConfirmation_ConfirmForgotPassword"

SETUP_FAILED_MESSAGE = "We could not finish setting up your account. Please try again."


class Settings(_runtime.Record):
    """The trigger's configuration; see the module docstring for each variable."""

    __slots__ = (
        "default_group",
        "profile_attributes",
        "profile_partition_key",
        "profile_table_name",
    )

    def __init__(
        self,
        *,
        default_group: str | None = None,
        profile_table_name: str | None = None,
        profile_partition_key: str = "sub",
        profile_attributes: tuple[str, ...] = ("email",),
    ) -> None:
        self.default_group = default_group
        self.profile_table_name = profile_table_name
        self.profile_partition_key = profile_partition_key
        self.profile_attributes = profile_attributes

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read the environment variables."""
        attributes = _runtime.env_list(env, "PROFILE_ATTRIBUTES")
        return cls(
            default_group=_runtime.env_str(env, "DEFAULT_GROUP"),
            profile_table_name=_runtime.env_str(env, "PROFILE_TABLE_NAME"),
            profile_partition_key=_runtime.env_str(env, "PROFILE_PARTITION_KEY", "sub") or "sub",
            profile_attributes=attributes if "PROFILE_ATTRIBUTES" in env else ("email",),
        )


_settings: Settings | None = None
#: Replaceable clock, so tests can pin ``created_at``.
now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def reset() -> None:
    """Forget the cached settings (tests, or after changing the environment)."""
    global _settings
    _settings = None


def settings() -> Settings:
    """Return the settings, read from the environment on first use."""
    global _settings
    if _settings is None:
        _settings = Settings.from_env(os.environ)
    return _settings


def profile_item(
    event: Mapping[str, Any], config: Settings, created_at: datetime
) -> dict[str, Any]:
    """Build the profile item (DynamoDB low-level shape) for a confirmed user (no I/O).

    Raises:
        KeyError: The event carries no ``sub``.
    """
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    item: dict[str, Any] = {
        config.profile_partition_key: {"S": attributes["sub"]},
        "username": {"S": str(event.get("userName", ""))},
        "user_pool_id": {"S": str(event.get("userPoolId", ""))},
        "created_at": {"S": created_at.astimezone(UTC).isoformat(timespec="seconds")},
    }
    for name in config.profile_attributes:
        value = attributes.get(name)
        if isinstance(value, str) and value and name not in item:
            item[name] = {"S": value}
    return item


def add_to_default_group(event: Mapping[str, Any], group: str) -> None:
    """Add the user to ``group``; a member already in it is left as is."""
    client = _aws.cognito_idp()
    _aws.call(
        lambda: client.admin_add_user_to_group(
            UserPoolId=event["userPoolId"], Username=event["userName"], GroupName=group
        )
    )


def write_profile(item: dict[str, Any], config: Settings) -> bool:
    """Write the profile once.

    Returns:
        ``True`` if written now, ``False`` if a record for this user existed already.
    """
    client = _aws.dynamodb()
    try:
        _aws.call(
            lambda: client.put_item(
                TableName=str(config.profile_table_name),
                Item=item,
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": config.profile_partition_key},
            )
        )
    except Exception as exc:
        if _aws.error_code(exc) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def handler(event: Event, context: object) -> Event:
    """Lambda entry point: default group and profile record on ``ConfirmSignUp``."""
    source = event.get("triggerSource")
    if source == CONFIRM_FORGOT_PASSWORD:
        return event
    if source != CONFIRM_SIGN_UP:
        _runtime.log("warning", "unhandled trigger source", trigger_source=source)
        return event
    step = "settings"
    try:
        config = settings()
        if config.default_group:
            step = "group"
            add_to_default_group(event, config.default_group)
        if config.profile_table_name:
            step = "profile"
            created = write_profile(profile_item(event, config, now()), config)
            _runtime.log("info", "profile record", created=created)
        return event
    except Exception as exc:
        _runtime.log(
            "error",
            "post confirmation failed",
            step=step,
            error=type(exc).__name__,
            code=_aws.error_code(exc),
        )
        raise _runtime.UserFacingError(SETUP_FAILED_MESSAGE) from None
