"""Collects input problems so that one call reports all of them at once."""

from __future__ import annotations

from typing import Any

from aws_cdk import Token

from constructs_lib.errors import ConfigurationError


def is_token(value: Any) -> bool:
    """True for values CloudFormation resolves at deploy time: those are not judged at synth."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, (str, int, float)):
        return Token.is_unresolved(value)
    return Token.is_unresolved(value)


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
