"""Small helpers every module shares: collecting input problems so that one call reports all
of them at once, recognizing tokens, taking defaults, checking tag keys and acknowledging
cdk-nag findings."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from aws_cdk import Acknowledgment, Token, Validations
from constructs import IConstruct

from constructs_lib.errors import ConfigurationError

_T = TypeVar("_T")

# IAM's characters for tag keys; keys starting with "aws:" are reserved for AWS.
_TAG_KEY = re.compile(r"^[\w\s.:/=+\-@]{1,128}$")


def is_token(value: Any) -> bool:
    """True for values CloudFormation resolves at deploy time: those are not judged at synth."""
    if value is None or isinstance(value, bool):
        return False
    return Token.is_unresolved(value)


def first_set(value: _T | None, default: _T) -> _T:
    """``value`` unless it is ``None`` (unset), then ``default``; ``False`` and 0 are set."""
    return default if value is None else value


def tag_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be an IAM (session) tag key, or None if it can (or is a token)."""
    if is_token(key):
        return None
    if not _TAG_KEY.match(key) or key.lower().startswith("aws:"):
        return (
            f"tag name {key!r} must be 1 to 128 letters, digits, spaces or _.:/=+-@ characters "
            "and may not start with 'aws:'"
        )
    return None


def acknowledge(scope: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge the cdk-nag ``finding`` (its full id) on ``scope``, with the reason."""
    Validations.of(scope).acknowledge(Acknowledgment(id=finding, reason=reason))


class Problems:
    """A list of problems for one call, raised together as one ``ConfigurationError``.

    ``where`` prefixes every message with the construct or section (``"CognitoAuth"``), so the
    user sees which call a message belongs to.
    """

    def __init__(self, where: str) -> None:
        self.where = where
        self._items: list[str] = []

    def add(self, message: str) -> None:
        self._items.append(f"{self.where}: {message}")

    def check(self, ok: bool, message: str) -> bool:
        """Record ``message`` unless ``ok``; return ``ok`` so callers can skip dependent checks."""
        if not ok:
            self.add(message)
        return ok

    def extend(self, other: Problems) -> None:
        self._items.extend(other._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self) -> None:
        if self._items:
            raise ConfigurationError(self._items)
