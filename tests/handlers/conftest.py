"""Fixtures for the trigger handler tests: JSON events, a clean environment, fake AWS parts."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lambda_triggers import (
    _aws,
    custom_message,
    inbound_federation,
    post_confirmation,
    pre_sign_up,
    pre_token_generation,
    user_migration,
)

EVENTS = Path(__file__).resolve().parent.parent / "events"
POOL_ID = "us-east-1_EXAMPLE"

#: Every variable a trigger reads, so a developer's shell cannot leak into a test.
TRIGGER_VARIABLES = (
    "CLAIMS_TABLE_NAME",
    "CLAIMS_PARTITION_KEY",
    "CLAIMS_ATTRIBUTES",
    "CLAIMS_GROUPS_ATTRIBUTE",
    "GROUPS_CLAIM",
    "CLAIMS_IN_ACCESS_TOKEN",
    "SUPPRESS_CLAIMS",
    "SCOPES_TO_ADD",
    "SCOPES_TO_SUPPRESS",
    "CLAIMS_CACHE_TTL_SECONDS",
    "CLAIMS_CACHE_MAX_ENTRIES",
    "CLAIMS_FAIL_MODE",
    "ALLOWED_EMAIL_DOMAINS",
    "DENIED_EMAIL_DOMAINS",
    "AUTO_CONFIRM_EMAIL_DOMAINS",
    "LINK_FEDERATED_TO_EXISTING_USER",
    "LINK_TRUSTED_PROVIDERS",
    "LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED",
    "DEFAULT_GROUP",
    "PROFILE_TABLE_NAME",
    "PROFILE_PARTITION_KEY",
    "PROFILE_ATTRIBUTES",
    "MESSAGE_APP_NAME",
    "OLD_USER_POOL_ID",
    "OLD_CLIENT_ID",
    "OLD_POOL_ROLE_ARN",
    "MIGRATE_ATTRIBUTES",
    "OLD_USERNAME_ATTRIBUTE",
    "EMAIL_ATTRIBUTES",
    "LOWERCASE_EMAIL",
    "GROUPS_ATTRIBUTE",
    "GROUPS_OUTPUT_ATTRIBUTE",
    "GROUPS_ALLOWED",
    "GROUPS_MAX_LENGTH",
    "DROP_ATTRIBUTES",
)


def load_event(name: str) -> dict[str, Any]:
    """Return a fresh copy of ``tests/events/<name>.json``."""
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return event


@pytest.fixture
def event() -> Callable[[str], dict[str, Any]]:
    """Load a JSON event fixture by its path under ``tests/events`` without ``.json``."""
    return load_event


@pytest.fixture
def pauses() -> list[float]:
    """The retry pauses ``_aws.call`` took during the test (it records instead of sleeping)."""
    return []


@pytest.fixture(autouse=True)
def clean_triggers(monkeypatch: pytest.MonkeyPatch, pauses: list[float]) -> Iterator[None]:
    """Give every test an empty trigger environment, fake credentials and no cached state."""
    for name in TRIGGER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("MESSAGE_")]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setattr(_aws, "sleep", pauses.append)

    def reset_all() -> None:
        for module in (
            pre_token_generation,
            pre_sign_up,
            post_confirmation,
            custom_message,
            user_migration,
            inbound_federation,
        ):
            module.reset()
        _aws.set_client_factory(None)

    reset_all()
    yield
    reset_all()


def make_client_error(code: str, message: str = "", status: int = 400) -> Exception:
    """Build the botocore ``ClientError`` an AWS call raises."""
    from botocore.exceptions import ClientError

    error = {"Code": code, "Message": message}
    metadata = {"HTTPStatusCode": status}
    return ClientError({"Error": error, "ResponseMetadata": metadata}, "Operation")


@pytest.fixture
def client_error() -> Callable[..., Exception]:
    """``client_error(code, message="", status=400)`` builds a botocore ``ClientError``."""
    return make_client_error


class FakeClient:
    """A stand-in AWS client: each operation answers from a queue of results or exceptions."""

    def __init__(self, **operations: list[Any]) -> None:
        self._operations = {name: list(results) for name, results in operations.items()}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_") or name not in self._operations:
            raise AttributeError(name)

        def operation(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            queue = self._operations[name]
            result = queue.pop(0) if len(queue) > 1 else queue[0]
            if isinstance(result, BaseException):
                raise result
            return result

        return operation


@pytest.fixture
def fake_client() -> type[FakeClient]:
    """``fake_client(get_item=[result_or_exception, ...])`` builds a scripted client."""
    return FakeClient
