"""Post confirmation: default group and profile record, idempotent under Cognito's retries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from lambda_triggers import _aws, _runtime
from lambda_triggers import post_confirmation as pc

LoadEvent = Callable[[str], dict[str, Any]]
SUB = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
TABLE = "profiles"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any, str]]:
    """moto: a pool with the user and a ``members`` group, and a profile table."""
    monkeypatch.setenv("DEFAULT_GROUP", "members")
    monkeypatch.setenv("PROFILE_TABLE_NAME", TABLE)
    monkeypatch.setenv("PROFILE_ATTRIBUTES", "email,given_name,missing")
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="us-east-1")
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        pool_id = cognito.create_user_pool(PoolName="example")["UserPool"]["Id"]
        cognito.create_group(UserPoolId=pool_id, GroupName="members")
        cognito.admin_create_user(UserPoolId=pool_id, Username="jane.doe", MessageAction="SUPPRESS")
        dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "sub", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "sub", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield cognito, dynamodb, pool_id


def confirm_event(event: LoadEvent, pool_id: str) -> dict[str, Any]:
    ev = event("post_confirmation/PostConfirmation_ConfirmSignUp")
    ev["userPoolId"] = pool_id
    return ev


def test_confirmed_user_joins_the_group_and_gets_a_profile(
    event: LoadEvent, aws: tuple[Any, Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cognito, dynamodb, pool_id = aws
    monkeypatch.setattr(pc, "now", lambda: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))

    result = pc.handler(confirm_event(event, pool_id), None)

    assert result["response"] == {}
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="jane.doe")
    assert [g["GroupName"] for g in groups["Groups"]] == ["members"]
    item = dynamodb.get_item(TableName=TABLE, Key={"sub": {"S": SUB}})["Item"]
    assert item == {
        "sub": {"S": SUB},
        "username": {"S": "jane.doe"},
        "user_pool_id": {"S": pool_id},
        "created_at": {"S": "2026-01-02T03:04:05+00:00"},
        "email": {"S": "jane.doe@example.com"},
        "given_name": {"S": "Jane"},
    }


def test_running_twice_leaves_one_membership_and_the_first_record(
    event: LoadEvent, aws: tuple[Any, Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cognito, dynamodb, pool_id = aws
    monkeypatch.setattr(pc, "now", lambda: datetime(2026, 1, 1, tzinfo=UTC))
    pc.handler(confirm_event(event, pool_id), None)
    first = dynamodb.get_item(TableName=TABLE, Key={"sub": {"S": SUB}})["Item"]

    monkeypatch.setattr(pc, "now", lambda: datetime(2026, 6, 1, tzinfo=UTC))
    retried = confirm_event(event, pool_id)
    retried["request"]["userAttributes"]["given_name"] = "Changed"
    pc.handler(retried, None)

    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="jane.doe")
    assert len(groups["Groups"]) == 1
    users = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="members")["Users"]
    assert len(users) == 1
    assert dynamodb.get_item(TableName=TABLE, Key={"sub": {"S": SUB}})["Item"] == first
    assert dynamodb.scan(TableName=TABLE)["Count"] == 1


def test_forgot_password_confirmation_does_nothing(event: LoadEvent, fake_client: Any) -> None:
    client = fake_client(admin_add_user_to_group=[AssertionError("no call")])
    _aws.set_client_factory(lambda service: client)

    pc.handler(event("post_confirmation/PostConfirmation_ConfirmForgotPassword"), None)

    assert client.calls == []


def test_nothing_configured_means_no_calls(event: LoadEvent, fake_client: Any) -> None:
    client = fake_client(put_item=[AssertionError("no call")])
    _aws.set_client_factory(lambda service: client)

    pc.handler(event("post_confirmation/PostConfirmation_ConfirmSignUp"), None)

    assert client.calls == []


def test_a_failed_write_raises_a_safe_message_for_cognito_to_retry(
    event: LoadEvent,
    monkeypatch: pytest.MonkeyPatch,
    fake_client: Any,
    client_error: Callable[..., Exception],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PROFILE_TABLE_NAME", TABLE)
    client = fake_client(put_item=[client_error("ProvisionedThroughputExceededException")])
    _aws.set_client_factory(lambda service: client)

    with pytest.raises(_runtime.UserFacingError) as raised:
        pc.handler(event("post_confirmation/PostConfirmation_ConfirmSignUp"), None)

    assert str(raised.value) == pc.SETUP_FAILED_MESSAGE
    assert len(client.calls) == _aws.ATTEMPTS_PER_CALL
    out = capsys.readouterr().out
    assert '"step":"profile"' in out and "jane.doe@example.com" not in out


def test_a_missing_group_raises_a_safe_message(
    event: LoadEvent, aws: tuple[Any, Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEFAULT_GROUP", "no-such-group")

    with pytest.raises(_runtime.UserFacingError, match=r"^We could not finish"):
        pc.handler(confirm_event(event, aws[2]), None)


def test_settings_defaults() -> None:
    assert pc.Settings.from_env({}) == pc.Settings(
        default_group=None,
        profile_table_name=None,
        profile_partition_key="sub",
        profile_attributes=("email",),
    )
