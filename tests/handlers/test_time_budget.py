"""The 5 s budget, measured: real botocore clients against a loopback server that never answers.

Cognito gives a trigger 5 s in total. ``_aws`` claims a worst case per invocation
(``worst_case_seconds``); these tests point the handlers' own clients, made with the production
``client_config()``, at a TCP server on 127.0.0.1 that accepts connections and then stays silent
(or answers only where a test scripts it), and time the whole handler call on the wall clock.
Nothing is mocked between the handler and the socket, so a botocore retry, a missing timeout or a
longer pause would show up as time.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from lambda_triggers import _aws, _runtime, post_confirmation, user_migration
from lambda_triggers import pre_token_generation as ptg

LoadEvent = Callable[[str], dict[str, Any]]

#: Slack above the computed worst case for thread scheduling on a busy machine. The worst case
#: already holds a 0.6 s cold-start allowance that a warm test process hardly spends.
MARGIN_SECONDS = 0.3

SILENT = "silent"
ANSWER = "answer"


class LoopbackServer:
    """Accepts every connection on 127.0.0.1; the n-th connection follows ``script[n]``.

    ``SILENT`` (also for connections beyond the script) holds the connection open and never
    sends a byte; ``ANSWER`` reads one request, answers ``200 {}`` and closes the connection
    (``Connection: close``, so the client's next request opens a new connection).
    """

    def __init__(self, script: list[str] | None = None) -> None:
        self.script = list(script or [])
        self.connections = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.02)
        self.port = self._socket.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            index = self.connections
            self.connections += 1
            action = self.script[index] if index < len(self.script) else SILENT
            if action == ANSWER:
                self._answer(connection)
            else:
                self._held.append(connection)

    @staticmethod
    def _answer(connection: socket.socket) -> None:
        connection.settimeout(2)
        data = b""
        while b"\r\n\r\n" not in data:
            data += connection.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            body += connection.recv(65536)
        payload = b"{}"
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(payload), payload)
        )
        connection.close()

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for connection in self._held:
            connection.close()
        self._socket.close()


@pytest.fixture
def real_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let ``_aws.call`` really sleep between attempts (the handler fixtures only record)."""
    monkeypatch.setattr(_aws, "sleep", time.sleep)


def point_clients_at(server: LoopbackServer) -> list[Any]:
    """Make the handlers' clients as production does (same Config), aimed at ``server``."""
    made: list[Any] = []

    def factory(service: str) -> Any:
        client = boto3.client(  # type: ignore[call-overload]
            service,
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=_aws.client_config(),
        )
        made.append(client)
        return client

    _aws.set_client_factory(factory)
    return made


def timed(run: Callable[[], object]) -> tuple[float, object]:
    """Run ``run`` and return the wall time and its result, or the exception it raised."""
    start = time.monotonic()
    try:
        outcome: object = run()
    except Exception as exc:
        outcome = exc
    return time.monotonic() - start, outcome


def logs(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def assert_within_budget(elapsed: float, calls: int) -> None:
    worst_case = _aws.worst_case_seconds(calls)
    assert elapsed <= worst_case + MARGIN_SECONDS, f"{elapsed:.2f} s > {worst_case:.2f} s"
    assert elapsed < _aws.COGNITO_TRIGGER_LIMIT_SECONDS


@pytest.mark.usefixtures("real_pauses")
@pytest.mark.parametrize("fail_mode", ["issue_without_claims", "deny"])
def test_pre_token_generation_against_a_silent_table_ends_within_its_budget(
    event: LoadEvent,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fail_mode: str,
) -> None:
    monkeypatch.setenv("CLAIMS_TABLE_NAME", "claims")
    monkeypatch.setenv("CLAIMS_FAIL_MODE", fail_mode)
    ev = event("pre_token_generation/v2/TokenGeneration_Authentication")

    with LoopbackServer() as server:
        clients = point_clients_at(server)
        elapsed, outcome = timed(lambda: ptg.handler(ev, None))
        connections = server.connections

    assert_within_budget(elapsed, calls=1)
    # The time was spent waiting on the server: one connection per attempt, both read timeouts.
    assert connections == _aws.ATTEMPTS_PER_CALL
    assert [c.meta.config.retries for c in clients] == [
        {"total_max_attempts": 1, "mode": "standard"}
    ]
    (failure,) = [line for line in logs(capsys) if line["message"] == "claims table lookup failed"]
    assert failure["error"] == "ReadTimeoutError"
    if fail_mode == "deny":
        assert isinstance(outcome, _runtime.UserFacingError)
        assert str(outcome) == ptg.DENY_MESSAGE
    else:
        assert isinstance(outcome, dict)
        details = outcome["response"]["claimsAndScopeOverrideDetails"]
        assert "claimsToAddOrOverride" not in details["idTokenGeneration"]
        assert "claimsToAddOrOverride" not in details["accessTokenGeneration"]


@pytest.mark.usefixtures("real_pauses")
def test_post_confirmation_with_both_calls_slow_ends_within_its_two_call_budget(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The slowest path that still reaches the second call: the group call times out once and
    then succeeds, the profile write times out twice."""
    monkeypatch.setenv("DEFAULT_GROUP", "users")
    monkeypatch.setenv("PROFILE_TABLE_NAME", "profiles")
    ev = event("post_confirmation/PostConfirmation_ConfirmSignUp")

    with LoopbackServer([SILENT, ANSWER, SILENT, SILENT]) as server:
        point_clients_at(server)
        elapsed, outcome = timed(lambda: post_confirmation.handler(ev, None))
        connections = server.connections

    assert_within_budget(elapsed, calls=2)
    assert connections == 2 * _aws.ATTEMPTS_PER_CALL
    assert isinstance(outcome, _runtime.UserFacingError)
    assert str(outcome) == post_confirmation.SETUP_FAILED_MESSAGE
    (failure,) = [line for line in logs(capsys) if line["message"] == "post confirmation failed"]
    assert (failure["step"], failure["error"]) == ("profile", "ReadTimeoutError")


@pytest.mark.usefixtures("real_pauses")
def test_user_migration_against_a_silent_old_pool_ends_within_one_step(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AdminInitiateAuth and AdminGetUser run in parallel: both time out twice, and the whole
    invocation still costs one call of the budget."""
    monkeypatch.setenv("OLD_USER_POOL_ID", "us-east-1_OLDPOOL")
    monkeypatch.setenv("OLD_CLIENT_ID", "oldclient")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    ev = event("user_migration/UserMigration_Authentication")

    with LoopbackServer() as server:
        point_clients_at(server)
        elapsed, outcome = timed(lambda: user_migration.handler(ev, None))
        connections = server.connections

    assert_within_budget(elapsed, calls=1)
    assert connections == 2 * _aws.ATTEMPTS_PER_CALL
    assert isinstance(outcome, _runtime.UserFacingError)
    assert str(outcome) == user_migration.BUSY_MESSAGE
    (failure,) = [line for line in logs(capsys) if line["message"] == "user migration refused"]
    assert (failure["step"], failure["error"]) == ("authenticate", "ReadTimeoutError")


@pytest.mark.usefixtures("real_pauses")
def test_group_copy_against_a_silent_new_pool_ends_within_two_steps(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old pool lists three groups; every add then times out, in parallel."""
    monkeypatch.setenv("OLD_USER_POOL_ID", "us-east-1_OLDPOOL")
    monkeypatch.setenv("OLD_CLIENT_ID", "oldclient")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    ev = event("user_migration/PostAuthentication_Authentication")
    groups = {"Groups": [{"GroupName": g} for g in ("a", "b", "c")]}

    with LoopbackServer() as server:
        point_clients_at(server)
        silent = _aws.cognito_idp()  # the production-config client, aimed at the silent server

        class ListsGroups:
            """The old pool answers the list at once; every add goes to the silent server."""

            def __getattr__(self, name: str) -> Any:
                return getattr(silent, name)

            def admin_list_groups_for_user(self, **_: Any) -> Any:
                return groups

        monkeypatch.setitem(_aws._clients, "cognito-idp", ListsGroups())
        elapsed, outcome = timed(lambda: user_migration.handler(ev, None))

    assert_within_budget(elapsed, calls=2)
    assert outcome is ev  # the sign-in goes on
    failures = [line for line in logs(capsys) if line["message"] == "group not copied"]
    assert [f["error"] for f in failures] == ["ReadTimeoutError"] * 3


def test_the_production_clients_carry_the_config_the_budget_is_computed_from() -> None:
    for service in ("dynamodb", "cognito-idp"):
        config = _aws._boto3_client(service).meta.config
        # botocore's own retries stay off: its back-off could sleep for seconds.
        assert config.retries == {"total_max_attempts": 1, "mode": "standard"}
        assert _aws.worst_case_seconds(2, config) == _aws.worst_case_seconds(2)
    assert _aws.worst_case_seconds(2) < _aws.COGNITO_TRIGGER_LIMIT_SECONDS


def test_longer_timeouts_give_a_longer_worst_case() -> None:
    from botocore.config import Config

    slow = Config(
        connect_timeout=1, read_timeout=2, retries={"total_max_attempts": 1, "mode": "standard"}
    )

    assert _aws.worst_case_seconds(1, slow) > _aws.worst_case_seconds(1)
    assert _aws.worst_case_seconds(2, slow) > _aws.COGNITO_TRIGGER_LIMIT_SECONDS


def test_a_config_that_lets_botocore_retry_is_refused_by_the_budget() -> None:
    from botocore.config import Config

    with pytest.raises(ValueError, match="botocore retries"):
        _aws.worst_case_seconds(1, Config(retries={"total_max_attempts": 3, "mode": "standard"}))


def test_inbound_federation_makes_no_aws_call_and_ends_within_the_budget_on_a_huge_claim(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No AWS call at all: a client factory that fails proves it; 10,000 groups (far above what
    a SAML provider sends) still end far inside Cognito's limit."""
    from lambda_triggers import inbound_federation

    def no_client(service: str) -> Any:
        raise AssertionError(f"inbound federation asked for a {service} client")

    _aws.set_client_factory(no_client)
    claim = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
    monkeypatch.setenv("GROUPS_ATTRIBUTE", claim)
    ev = event("inbound_federation/InboundFederation_ExternalProvider_SAML")
    ev["request"]["attributes"]["samlResponse"][claim] = ",".join(f"g{i}" for i in range(10_000))

    elapsed, outcome = timed(lambda: inbound_federation.handler(ev, None))

    assert isinstance(outcome, dict)
    assert len(outcome["response"]["userAttributesToMap"][claim]) <= 2048
    assert_within_budget(elapsed, calls=0)
