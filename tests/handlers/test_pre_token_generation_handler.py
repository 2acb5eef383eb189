"""Pre token generation: answer shapes per version and source, claims, cache and fail modes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber
from moto import mock_aws

from lambda_triggers import _aws, _runtime
from lambda_triggers import pre_token_generation as ptg

EVENTS = Path(__file__).resolve().parent.parent / "events" / "pre_token_generation"
V1 = sorted(f"pre_token_generation/v1/{p.stem}" for p in (EVENTS / "v1").glob("*.json"))
V2 = sorted(f"pre_token_generation/v2/{p.stem}" for p in (EVENTS / "v2").glob("*.json"))
SUB = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
TABLE = "claims"
LoadEvent = Callable[[str], dict[str, Any]]

ITEM = {
    "sub": {"S": SUB},
    "tenant": {"S": "acme"},
    "tier": {"N": "3"},
    "quota": {"N": "2.5"},
    "admin": {"BOOL": False},
    "roles": {"SS": ["writer", "reader"]},
    "scores": {"NS": ["10", "2"]},
    "features": {"L": [{"S": "beta"}, {"N": "7"}, {"NULL": True}]},
    "profile": {"M": {"plan": {"S": "pro"}, "seats": {"N": "5"}}},
    "nothing": {"NULL": True},
    "avatar": {"B": b"\x89PNG"},
    "iss": {"S": "https://evil.example.com"},
    "address": {"M": {"country": {"S": "NZ"}}},
    "extra_groups": {"SS": ["tenant-admins"]},
}


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A moto DynamoDB table keyed by ``sub`` holding one user's claims item."""
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "sub", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "sub", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.put_item(TableName=TABLE, Item=ITEM)
        yield client


#: The fixtures' groupConfiguration, echoed back so Cognito keeps the groups.
ECHO = {
    "groupOverrideDetails": {
        "groupsToOverride": ["readers"],
        "iamRolesToOverride": ["arn:aws:iam::111122223333:role/readers"],
        "preferredRole": "arn:aws:iam::111122223333:role/readers",
    }
}


def override_v1(result: dict[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = result["response"]["claimsOverrideDetails"]
    return details


def override_v2(result: dict[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = result["response"]["claimsAndScopeOverrideDetails"]
    return details


@pytest.mark.parametrize("name", V1)
def test_v1_sources_get_string_claims_in_claims_override_details(
    table: Any, event: LoadEvent, name: str
) -> None:
    result = ptg.handler(event(name), None)

    claims = override_v1(result)["claimsToAddOrOverride"]
    assert claims == {
        "tenant": "acme",
        "tier": "3",
        "quota": "2.5",
        "admin": "false",
        "roles": "reader,writer",
        "scores": "2,10",
        "features": "beta,7",
        "profile": '{"plan":"pro","seats":5}',
        "address": '{"country":"NZ"}',
        "extra_groups": "tenant-admins",
    }
    assert "claimsAndScopeOverrideDetails" not in result["response"]


@pytest.mark.parametrize("name", V2)
def test_v2_sources_get_typed_claims_in_both_tokens(
    table: Any, event: LoadEvent, name: str
) -> None:
    result = ptg.handler(event(name), None)

    details = override_v2(result)
    access = details["accessTokenGeneration"]["claimsToAddOrOverride"]
    assert access["tier"] == 3
    assert access["quota"] == 2.5
    assert access["admin"] is False
    assert access["roles"] == ["reader", "writer"]
    assert access["scores"] == [2, 10]
    assert access["features"] == ["beta", 7]
    assert access["profile"] == {"plan": "pro", "seats": 5}
    id_claims = details["idTokenGeneration"]["claimsToAddOrOverride"]
    # Cognito keeps "address" scalar in ID tokens, so it becomes a JSON string there.
    assert id_claims["address"] == '{"country":"NZ"}'
    assert access["address"] == {"country": "NZ"}
    assert "claimsOverrideDetails" not in result["response"]
    json.dumps(result)  # the answer must serialize as Lambda returns it


def test_reserved_null_binary_and_key_attributes_never_become_claims(
    table: Any, event: LoadEvent
) -> None:
    result = ptg.handler(event("pre_token_generation/v2/TokenGeneration_Authentication"), None)

    access = override_v2(result)["accessTokenGeneration"]["claimsToAddOrOverride"]
    assert not {"sub", "iss", "nothing", "avatar"} & set(access)


def test_allow_list_projects_only_the_named_attributes(
    table: Any, event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "name"-like reserved words must work too, so the projection uses placeholders.
    table.update_item(
        TableName=TABLE, Key={"sub": {"S": SUB}}, AttributeUpdates={"name": {"Value": {"S": "J"}}}
    )
    monkeypatch.setenv("CLAIMS_ATTRIBUTES", "tenant, name")

    result = ptg.handler(event("pre_token_generation/v1/TokenGeneration_Authentication"), None)

    assert override_v1(result)["claimsToAddOrOverride"] == {"tenant": "acme", "name": "J"}


def test_suppressed_claims_are_removed_and_win_over_table_claims(
    table: Any, event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPRESS_CLAIMS", "tenant,email")

    v1 = override_v1(ptg.handler(event("pre_token_generation/v1/TokenGeneration_HostedAuth"), None))
    ptg.reset()
    v2 = override_v2(ptg.handler(event("pre_token_generation/v2/TokenGeneration_HostedAuth"), None))

    assert v1["claimsToSuppress"] == ["tenant", "email"]
    assert "tenant" not in v1["claimsToAddOrOverride"]
    for token in ("idTokenGeneration", "accessTokenGeneration"):
        assert v2[token]["claimsToSuppress"] == ["tenant", "email"]
        assert "tenant" not in v2[token]["claimsToAddOrOverride"]


def test_groups_from_the_item_extend_cognito_groups_and_a_groups_claim(
    table: Any, event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMS_GROUPS_ATTRIBUTE", "extra_groups")
    monkeypatch.setenv("GROUPS_CLAIM", "roles_all")

    v2 = override_v2(
        ptg.handler(event("pre_token_generation/v2/TokenGeneration_Authentication"), None)
    )
    ptg.reset()
    v1 = override_v1(
        ptg.handler(event("pre_token_generation/v1/TokenGeneration_Authentication"), None)
    )

    expected_override = {
        "groupsToOverride": ["readers", "tenant-admins"],
        "iamRolesToOverride": ["arn:aws:iam::111122223333:role/readers"],
        "preferredRole": "arn:aws:iam::111122223333:role/readers",
    }
    assert v2["groupOverrideDetails"] == expected_override
    assert v1["groupOverrideDetails"] == expected_override
    assert "extra_groups" not in v2["accessTokenGeneration"]["claimsToAddOrOverride"]
    assert v2["idTokenGeneration"]["claimsToAddOrOverride"]["roles_all"] == [
        "readers",
        "tenant-admins",
    ]
    assert v1["claimsToAddOrOverride"]["roles_all"] == "readers,tenant-admins"


def test_groups_are_echoed_unchanged_and_omitted_without_a_group_configuration(
    event: LoadEvent,
) -> None:
    with_groups = ptg.handler(event("pre_token_generation/v2/TokenGeneration_HostedAuth"), None)
    local = ptg.handler(
        event("pre_token_generation/cognito_local/TokenGeneration_Authentication"), None
    )

    assert override_v2(with_groups)["groupOverrideDetails"] == ECHO["groupOverrideDetails"]
    assert override_v1(local) == {}


def test_v2_scopes_and_id_token_only_claims(
    table: Any, event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCOPES_TO_ADD", "orders.example.com/read")
    monkeypatch.setenv("SCOPES_TO_SUPPRESS", "aws.cognito.signin.user.admin")
    monkeypatch.setenv("CLAIMS_IN_ACCESS_TOKEN", "false")

    details = override_v2(
        ptg.handler(event("pre_token_generation/v2/TokenGeneration_RefreshTokens"), None)
    )

    assert details["accessTokenGeneration"] == {
        "scopesToAdd": ["orders.example.com/read"],
        "scopesToSuppress": ["aws.cognito.signin.user.admin"],
    }
    assert details["idTokenGeneration"]["claimsToAddOrOverride"]["tenant"] == "acme"


def test_v3_user_sign_in_uses_the_v2_shape(table: Any, event: LoadEvent) -> None:
    details = override_v2(
        ptg.handler(event("pre_token_generation/v3/TokenGeneration_Authentication"), None)
    )

    assert details["idTokenGeneration"]["claimsToAddOrOverride"]["tenant"] == "acme"


def test_v3_client_credentials_reads_no_table_and_has_no_id_token(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, fake_client: Any
) -> None:
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    monkeypatch.setenv("SUPPRESS_CLAIMS", "tenant")
    monkeypatch.setenv("SCOPES_TO_SUPPRESS", "orders.example.com/write")
    monkeypatch.setenv("GROUPS_CLAIM", "roles")
    dynamodb = fake_client(get_item=[AssertionError("no lookup without a user")])
    _aws.set_client_factory(lambda service: dynamodb)

    result = ptg.handler(event("pre_token_generation/v3/TokenGeneration_ClientCredentials"), None)

    assert override_v2(result) == {
        "accessTokenGeneration": {
            "claimsToSuppress": ["tenant"],
            "scopesToSuppress": ["orders.example.com/write"],
        }
    }
    assert dynamodb.calls == []


def test_cognito_local_version_0_gets_the_v1_shape(table: Any, event: LoadEvent) -> None:
    result = ptg.handler(
        event("pre_token_generation/cognito_local/TokenGeneration_Authentication"), None
    )

    assert override_v1(result)["claimsToAddOrOverride"]["tenant"] == "acme"


@pytest.mark.parametrize(
    ("version", "expected"),
    [("1", 1), ("0", 1), ("", 1), ("9", 1), ("2", 2), ("V2_0", 2), ("3", 3), ("V3_0", 3)],
)
def test_event_version(version: str, expected: int) -> None:
    assert ptg.event_version({"version": version, "triggerSource": "x"}) == expected


def test_user_without_item_gets_no_table_claims(
    table: Any, event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = event("pre_token_generation/v1/TokenGeneration_Authentication")
    ev["request"]["userAttributes"]["sub"] = "no-such-user"

    assert override_v1(ptg.handler(ev, None)) == ECHO


def test_without_a_table_nothing_is_read(event: LoadEvent) -> None:
    result = ptg.handler(event("pre_token_generation/v2/TokenGeneration_Authentication"), None)

    assert override_v2(result) == {"idTokenGeneration": {}, "accessTokenGeneration": {}} | ECHO


def test_unknown_trigger_source_returns_the_event_unchanged(
    event: LoadEvent, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = event("pre_token_generation/v1/TokenGeneration_Authentication")
    ev["triggerSource"] = "TokenGeneration_Future"

    assert ptg.handler(ev, None)["response"] == {"claimsOverrideDetails": None}
    assert json.loads(capsys.readouterr().out)["message"] == "unhandled trigger source"


# --- cache ----------------------------------------------------------------------------------


def test_cache_hit_skips_the_table(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, fake_client: Any
) -> None:
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    dynamodb = fake_client(get_item=[{"Item": {"sub": {"S": SUB}, "tenant": {"S": "acme"}}}])
    _aws.set_client_factory(lambda service: dynamodb)

    for _ in range(3):
        result = ptg.handler(event("pre_token_generation/v1/TokenGeneration_RefreshTokens"), None)
        assert override_v1(result)["claimsToAddOrOverride"] == {"tenant": "acme"}

    assert len(dynamodb.calls) == 1
    # Answers are copies: changing one cannot change the cached claims.
    override_v1(result)["claimsToAddOrOverride"]["tenant"] = "mallory"
    again = ptg.handler(event("pre_token_generation/v1/TokenGeneration_RefreshTokens"), None)
    assert override_v1(again)["claimsToAddOrOverride"] == {"tenant": "acme"}


def test_cache_entries_expire_and_the_size_is_bounded() -> None:
    now = [100.0]
    cache = ptg.TtlCache(ttl=60, max_entries=2, clock=lambda: now[0])
    a, b, c = (ptg.ItemClaims(flat={"n": str(i)}) for i in range(3))
    cache.put("a", a)
    cache.put("b", b)
    cache.put("c", c)  # evicts the oldest, "a"

    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, b, c)
    now[0] += 60
    assert cache.get("b") is None
    assert len(cache) == 1


def test_cache_ttl_zero_disables_caching(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, fake_client: Any
) -> None:
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    monkeypatch.setenv("CLAIMS_CACHE_TTL_SECONDS", "0")
    dynamodb = fake_client(get_item=[{"Item": {"tenant": {"S": "acme"}}}])
    _aws.set_client_factory(lambda service: dynamodb)

    for _ in range(2):
        ptg.handler(event("pre_token_generation/v1/TokenGeneration_RefreshTokens"), None)

    assert len(dynamodb.calls) == 2


# --- failures -------------------------------------------------------------------------------


def read_timeout() -> Exception:
    return ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


@pytest.mark.parametrize(
    "failure",
    [read_timeout, lambda: _client_error("ProvisionedThroughputExceededException")],
    ids=["read-timeout", "throttled"],
)
def test_table_failure_issues_tokens_without_claims_by_default(
    event: LoadEvent,
    monkeypatch: pytest.MonkeyPatch,
    fake_client: Any,
    pauses: list[float],
    capsys: pytest.CaptureFixture[str],
    failure: Callable[[], Exception],
) -> None:
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    dynamodb = fake_client(get_item=[failure()])
    _aws.set_client_factory(lambda service: dynamodb)

    result = ptg.handler(event("pre_token_generation/v2/TokenGeneration_Authentication"), None)

    assert override_v2(result) == {"idTokenGeneration": {}, "accessTokenGeneration": {}} | ECHO
    assert len(dynamodb.calls) == _aws.ATTEMPTS_PER_CALL  # one bounded retry, then give up
    assert pauses == [_aws.RETRY_PAUSE_SECONDS]
    log = json.loads(capsys.readouterr().out)
    assert log["message"] == "claims table lookup failed"
    assert SUB not in json.dumps(log)


def test_table_failure_refuses_sign_in_in_deny_mode(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, fake_client: Any
) -> None:
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    monkeypatch.setenv("CLAIMS_FAIL_MODE", "deny")
    dynamodb = fake_client(get_item=[read_timeout()])
    _aws.set_client_factory(lambda service: dynamodb)

    with pytest.raises(_runtime.UserFacingError) as raised:
        ptg.handler(event("pre_token_generation/v1/TokenGeneration_Authentication"), None)

    assert str(raised.value) == ptg.DENY_MESSAGE


def test_failures_are_not_cached(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, fake_client: Any
) -> None:
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    dynamodb = fake_client(
        get_item=[read_timeout(), read_timeout(), {"Item": {"tenant": {"S": "acme"}}}]
    )
    _aws.set_client_factory(lambda service: dynamodb)

    first = ptg.handler(event("pre_token_generation/v1/TokenGeneration_Authentication"), None)
    second = ptg.handler(event("pre_token_generation/v1/TokenGeneration_Authentication"), None)

    assert override_v1(first) == ECHO
    assert override_v1(second)["claimsToAddOrOverride"] == {"tenant": "acme"}


def test_a_missing_table_is_not_retried(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, pauses: list[float]
) -> None:
    """A real botocore client, stubbed: ResourceNotFoundException fails fast, no second try."""
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    client = _aws._boto3_client("dynamodb")
    stubber = Stubber(client)
    stubber.add_client_error("get_item", service_error_code="ResourceNotFoundException")
    _aws.set_client_factory(lambda service: client)

    with stubber:
        result = ptg.handler(event("pre_token_generation/v1/TokenGeneration_Authentication"), None)
        stubber.assert_no_pending_responses()

    assert override_v1(result) == ECHO
    assert pauses == []


def test_throttling_through_a_stubbed_botocore_client_is_retried_once(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, pauses: list[float]
) -> None:
    monkeypatch.setenv("CLAIMS_TABLE_NAME", TABLE)
    client = _aws._boto3_client("dynamodb")
    stubber = Stubber(client)
    stubber.add_client_error(
        "get_item", service_error_code="ProvisionedThroughputExceededException"
    )
    stubber.add_response("get_item", {"Item": {"tenant": {"S": "acme"}}})
    _aws.set_client_factory(lambda service: client)

    with stubber:
        result = ptg.handler(event("pre_token_generation/v1/TokenGeneration_Authentication"), None)

    assert override_v1(result)["claimsToAddOrOverride"] == {"tenant": "acme"}
    assert pauses == [_aws.RETRY_PAUSE_SECONDS]


# The time budget, measured against a silent server: test_time_budget.py.


# --- configuration --------------------------------------------------------------------------


def test_bad_configuration_is_logged_and_refused_with_a_safe_message(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLAIMS_FAIL_MODE", "explode")
    monkeypatch.setenv("SUPPRESS_CLAIMS", "sub")

    with pytest.raises(_runtime.UserFacingError) as raised:
        ptg.handler(event("pre_token_generation/v1/TokenGeneration_Authentication"), None)

    assert str(raised.value) == ptg.DENY_MESSAGE
    log = json.loads(capsys.readouterr().out)
    assert "CLAIMS_FAIL_MODE" in log["detail"] and "SUPPRESS_CLAIMS" in log["detail"]


def test_settings_defaults() -> None:
    assert ptg.Settings.from_env({}) == ptg.Settings()
    assert ptg.Settings().fail_mode == "issue_without_claims"
    assert ptg.Settings().partition_key == "sub"


def _client_error(code: str) -> Exception:
    from botocore.exceptions import ClientError

    return ClientError({"Error": {"Code": code, "Message": "slow down"}}, "GetItem")
