"""The one error this library raises for bad input."""

from __future__ import annotations

from collections.abc import Iterable


class ConfigurationError(ValueError):
    """An argument that Cognito, CloudFormation or this library would refuse.

    Raised while the app is built, before any resource is defined. The message names the argument
    as it was typed, shows the value received and says what is allowed. When one call has several
    problems, they are all reported together; ``problems`` holds them one per line.
    """

    def __init__(self, problems: str | Iterable[str]) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{len(self.problems)} configuration problems:\n{listed}"
        super().__init__(message)
