"""Lazily created boto3 clients with a fixed time budget, shared by the triggers.

Nothing here imports boto3 or botocore at import time: a trigger that never calls AWS (or a
warm call that hits its cache) never pays for them, and tests run without them.

Time budget. Cognito gives a trigger 5 s in total and retries a failed trigger up to three
times, so every call here is bounded:

* botocore ``Config(connect_timeout=0.2, read_timeout=0.5, retries={"total_max_attempts": 1,
  "mode": "standard"})``: one HTTP attempt per SDK call, so botocore never sleeps between tries.
  We keep botocore's own retries off on purpose: its standard mode sleeps up to 1 s before a
  retry after throttling and, in recent botocore, up to 5 s more when the service sends an
  ``x-amz-retry-after`` header; that alone could exceed Cognito's limit.
* :func:`call` retries once, after a 0.05 s pause, on timeouts, connection errors, throttling
  and 5xx answers only.

Worst case of one call: 2 attempts x (0.2 + 0.5) s + 0.05 s = 1.45 s. Worst case of a whole
invocation (:func:`worst_case_seconds`): 0.6 s allowance for a cold start (importing boto3 and
creating a client take about 0.4 s) plus 1.45 s per sequential call: 2.05 s for pre token
generation (one GetItem), 3.5 s for pre sign-up linking (ListUsers + AdminLinkProviderForUser)
and post confirmation (AdminAddUserToGroup + PutItem), all below 5 s. DNS resolution is not
covered by ``connect_timeout``; inside Lambda it is a local, cached lookup. A Lambda function
timeout of 4 s fits above this budget and below Cognito's limit.

Tests and local runs replace the client factory with :func:`set_client_factory` (moto clients,
fakes, clients with an ``endpoint_url``).
"""

from __future__ import annotations

import time

# Typing-only imports: ``typing``, ``collections.abc`` and ``dataclasses`` cost several
# milliseconds of cold start, and annotations are strings here (``__future__``).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from botocore.config import Config
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient

CONNECT_TIMEOUT_SECONDS = 0.2
READ_TIMEOUT_SECONDS = 0.5
#: One HTTP attempt per botocore call; :func:`call` owns the (bounded) retry.
SDK_TOTAL_MAX_ATTEMPTS = 1
ATTEMPTS_PER_CALL = 2
RETRY_PAUSE_SECONDS = 0.05
#: Rounded-up cost of ``import boto3`` plus the first client on a cold Lambda.
COLD_START_ALLOWANCE_SECONDS = 0.6
COGNITO_TRIGGER_LIMIT_SECONDS = 5.0

#: Error codes worth one more try: throttling and the service's own transient faults.
RETRYABLE_ERROR_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "InternalServerError",
        "InternalErrorException",
        "InternalFailure",
        "ServiceUnavailable",
    }
)

if TYPE_CHECKING:
    ClientFactory = Callable[[str], Any]
    T = TypeVar("T")

_factory: ClientFactory | None = None
_clients: dict[str, Any] = {}
# Replaceable so tests can count pauses instead of sleeping.
sleep: Callable[[float], None] = time.sleep


def client_config() -> Config:
    """Return the botocore ``Config`` every trigger client uses (timeouts, no SDK retries)."""
    from botocore.config import Config

    return Config(
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        retries={"total_max_attempts": SDK_TOTAL_MAX_ATTEMPTS, "mode": "standard"},
    )


def worst_case_seconds(calls: int, config: Config | None = None) -> float:
    """Compute the longest a trigger invocation making ``calls`` sequential AWS calls can take.

    Args:
        calls: Number of sequential AWS calls the invocation makes at most.
        config: The botocore config to judge. Default: :func:`client_config`.

    Raises:
        ValueError: The config lets botocore retry; its back-off is then unbounded here.
    """
    # botocore sets Config options as dynamic attributes; the stubs do not declare them.
    cfg: Any = config if config is not None else client_config()
    retries: dict[str, Any] = cfg.retries or {}
    if retries.get("total_max_attempts") != 1:
        raise ValueError("the budget assumes botocore retries are off (total_max_attempts=1)")
    per_attempt = float(cfg.connect_timeout) + float(cfg.read_timeout)
    per_call = ATTEMPTS_PER_CALL * per_attempt + (ATTEMPTS_PER_CALL - 1) * RETRY_PAUSE_SECONDS
    return COLD_START_ALLOWANCE_SECONDS + calls * per_call


def _boto3_client(service: str) -> Any:
    import boto3  # Lazily: about 0.2 s, paid only by a call that needs AWS.

    return boto3.client(service, config=client_config())  # type: ignore[call-overload]


def set_client_factory(factory: ClientFactory | None) -> None:
    """Replace how clients are made (``None`` restores boto3) and forget cached clients."""
    global _factory
    _factory = factory
    _clients.clear()


def get_client(service: str) -> Any:
    """Return the cached client for ``service``, creating it on first use."""
    client = _clients.get(service)
    if client is None:
        client = (_factory or _boto3_client)(service)
        _clients[service] = client
    return client


def dynamodb() -> DynamoDBClient:
    """Return the DynamoDB client."""
    client: DynamoDBClient = get_client("dynamodb")
    return client


def cognito_idp() -> CognitoIdentityProviderClient:
    """Return the Cognito user pools client."""
    client: CognitoIdentityProviderClient = get_client("cognito-idp")
    return client


def error_code(exc: BaseException) -> str | None:
    """Return the AWS error code of a botocore ``ClientError`` (duck-typed), else ``None``."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None


def is_retryable(exc: BaseException) -> bool:
    """Tell whether one more attempt may help: timeouts, connection errors, throttling, 5xx."""
    from botocore.exceptions import ConnectionError, HTTPClientError

    if isinstance(exc, ConnectionError | HTTPClientError):  # incl. connect and read timeouts
        return True
    if error_code(exc) in RETRYABLE_ERROR_CODES:
        return True
    response = getattr(exc, "response", None)
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) if response else 0
    return isinstance(status, int) and status >= 500


def call(operation: Callable[[], T]) -> T:
    """Run one AWS call, retrying once after a short pause when the failure is transient.

    Only use it for idempotent operations: a timed-out attempt may have succeeded.
    """
    for attempt in range(1, ATTEMPTS_PER_CALL + 1):
        try:
            return operation()
        except Exception as exc:
            if attempt == ATTEMPTS_PER_CALL or not is_retryable(exc):
                raise
            sleep(RETRY_PAUSE_SECONDS)
    raise AssertionError("unreachable")  # pragma: no cover
