"""Structured logging, user-facing errors and environment parsing shared by the triggers.

Standard library only and nothing runs at import time. Log lines are one JSON object per line
on stdout, which Lambda forwards to CloudWatch Logs. Callers pass named fields, never whole
events: events carry codes, attributes and client metadata that must not reach the logs.
"""

from __future__ import annotations

import sys

# Typing-only imports: ``typing``, ``collections.abc`` and ``dataclasses`` cost several
# milliseconds of cold start, and annotations are strings here (``__future__``).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

#: Shown to the end user when something unexpected happens inside a trigger. Cognito puts the
#: exception message of a failed trigger in the error it returns to the app, so it must be
#: short, safe and free of internals.
GENERIC_USER_MESSAGE = "Something went wrong. Please try again later."


class UserFacingError(Exception):
    """An error whose message is meant for the end user (Cognito shows it to the app).

    Raise it with a short sentence that reveals nothing internal; put the details in a log line.
    """


class ConfigurationError(ValueError):
    """A trigger environment variable has a value the trigger cannot use.

    The message names the variable and the value; it is logged, never shown to users. The
    constructs can call the ``Settings.from_env`` of a module at synth time to refuse bad
    values before anything is deployed.
    """


def log(level: str, message: str, **fields: object) -> None:
    """Write one structured JSON log line.

    Args:
        level: ``"info"``, ``"warning"`` or ``"error"``.
        message: A short, constant description (easy to search for and count).
        **fields: Extra values; never tokens, codes, passwords or whole events.
    """
    import json  # Lazily: the Lambda runtime has imported it already; a bare interpreter not.

    record: dict[str, object] = {"level": level, "message": message}
    record.update(fields)
    sys.stdout.write(json.dumps(record, default=str, separators=(",", ":")) + "\n")


def env_str(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    """Return a stripped variable, or ``default`` when it is unset or blank."""
    value = env.get(name, "").strip()
    return value or default


def env_list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Return a comma-separated variable as a tuple of non-blank, stripped items."""
    return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    """Return a ``true``/``false`` variable (case-insensitive); anything else is refused."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("true", "false"):
        return raw == "true"
    raise ConfigurationError(f"{name} must be 'true' or 'false', got {raw!r}")


def env_number(
    env: Mapping[str, str],
    name: str,
    default: float,
    *,
    minimum: float,
    maximum: float | None = None,
) -> float:
    """Return a numeric variable from ``minimum`` to ``maximum`` (when given)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum:g}, got {raw!r}")
    if maximum is not None and value > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum:g}, got {raw!r}")
    return value


class Record:
    """A small value object: equality, hash and repr from ``__slots__``.

    Used instead of ``dataclasses``, whose import (with ``inspect``) costs about 8 ms of cold
    start. Subclasses declare ``__slots__`` and a typed keyword-only ``__init__``; instances are
    read-only by convention.
    """

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"
