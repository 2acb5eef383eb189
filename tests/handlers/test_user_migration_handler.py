"""User migration: a user moves from an old pool (moto) with the password just typed, their
attributes and groups; wrong passwords, unknown users, MFA and throttling are refused safely."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from lambda_triggers import _aws, _runtime
from lambda_triggers import user_migration as um

LoadEvent = Callable[[str], dict[str, Any]]
PASSWORD = "placeholder-Passw0rd!"  # the value in the JSON fixture


class OldPool:
    """The moto side: the old pool with jane.doe in two groups, and the new pool."""

    def __init__(self, cognito: Any) -> None:
        self.cognito = cognito
        self.pool_id = cognito.create_user_pool(
            PoolName="old",
            Schema=[{"Name": "tenant_id", "AttributeDataType": "String", "Mutable": True}],
        )["UserPool"]["Id"]
        self.client_id = cognito.create_user_pool_client(
            UserPoolId=self.pool_id,
            ClientName="migration",
            ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username="jane.doe",
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": "jane.doe@example.com"},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "given_name", "Value": "Jane"},
                {"Name": "custom:tenant_id", "Value": "acme"},
            ],
        )
        cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username="jane.doe", Password=PASSWORD, Permanent=True
        )
        for group in ("admins", "editors"):
            cognito.create_group(UserPoolId=self.pool_id, GroupName=group)
            cognito.admin_add_user_to_group(
                UserPoolId=self.pool_id, Username="jane.doe", GroupName=group
            )
        self.new_pool_id = cognito.create_user_pool(PoolName="new")["UserPool"]["Id"]


@pytest.fixture(scope="module")
def moto_backend() -> Iterator[None]:
    """One moto session for the module (starting one costs about a second); every test makes
    pools of its own in it."""
    with mock_aws():
        yield


@pytest.fixture
def old(moto_backend: None, monkeypatch: pytest.MonkeyPatch) -> OldPool:
    pool = OldPool(boto3.client("cognito-idp", region_name="us-east-1"))
    monkeypatch.setenv("OLD_USER_POOL_ID", pool.pool_id)
    monkeypatch.setenv("OLD_CLIENT_ID", pool.client_id)
    return pool


@pytest.fixture(autouse=True)
def same_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """The function runs in the old pool's Region, as Lambda sets AWS_REGION."""
    monkeypatch.setenv("AWS_REGION", "us-east-1")


def logs(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def create_from(response: dict[str, Any], old: OldPool, username: str = "jane.doe") -> None:
    """Do what Cognito does with the answer: create the user in the new pool."""
    old.cognito.admin_create_user(
        UserPoolId=old.new_pool_id,
        Username=username,
        MessageAction=response["messageAction"],
        UserAttributes=[{"Name": k, "Value": v} for k, v in response["userAttributes"].items()],
    )


def test_sign_in_moves_the_user_with_the_password_typed(
    event: LoadEvent, old: OldPool, capsys: pytest.CaptureFixture[str]
) -> None:
    result = um.handler(event("user_migration/UserMigration_Authentication"), None)

    response = result["response"]
    assert response["finalUserStatus"] == "CONFIRMED"
    assert response["messageAction"] == "SUPPRESS"
    assert response["userAttributes"] == {
        "email": "jane.doe@example.com",
        "email_verified": "true",
        "given_name": "Jane",
        "custom:tenant_id": "acme",
    }
    assert [line["message"] for line in logs(capsys)] == ["user migrated"]


def test_the_password_never_reaches_the_logs(
    event: LoadEvent, old: OldPool, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = event("user_migration/UserMigration_Authentication")
    ev["request"]["password"] = "wrong-" + PASSWORD
    with pytest.raises(_runtime.UserFacingError):
        um.handler(ev, None)
    um.handler(event("user_migration/UserMigration_Authentication"), None)
    assert PASSWORD not in capsys.readouterr().out


def test_fails_when_the_password_is_wrong_with_the_same_message_as_an_unknown_user(
    event: LoadEvent, old: OldPool, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = event("user_migration/UserMigration_Authentication")
    wrong["request"]["password"] = "not-" + PASSWORD
    unknown = event("user_migration/UserMigration_Authentication")
    unknown["userName"] = "nobody"

    messages = []
    for ev in (wrong, unknown):
        with pytest.raises(_runtime.UserFacingError) as caught:
            um.handler(ev, None)
        messages.append(str(caught.value))

    assert messages == [um.REFUSED_MESSAGE, um.REFUSED_MESSAGE]
    codes = [line["code"] for line in logs(capsys)]
    assert codes == ["NotAuthorizedException", "UserNotFoundException"]


def test_fails_when_the_sign_in_has_no_password(event: LoadEvent, old: OldPool) -> None:
    ev = event("user_migration/UserMigration_Authentication")
    ev["request"]["password"] = None
    with pytest.raises(_runtime.UserFacingError, match=r"^Incorrect username or password\.$"):
        um.handler(ev, None)


def test_a_user_with_mfa_on_the_old_pool_is_asked_to_reset_the_password(
    event: LoadEvent, old: OldPool, capsys: pytest.CaptureFixture[str]
) -> None:
    cognito = old.cognito
    tokens = cognito.admin_initiate_auth(
        UserPoolId=old.pool_id,
        ClientId=old.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "jane.doe", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    cognito.associate_software_token(AccessToken=tokens["AccessToken"])
    cognito.verify_software_token(AccessToken=tokens["AccessToken"], UserCode="123456")
    cognito.admin_set_user_mfa_preference(
        UserPoolId=old.pool_id,
        Username="jane.doe",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    cognito.set_user_pool_mfa_config(
        UserPoolId=old.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )

    with pytest.raises(_runtime.UserFacingError) as caught:
        um.handler(event("user_migration/UserMigration_Authentication"), None)

    assert str(caught.value) == um.RESET_MESSAGE
    (line,) = logs(capsys)
    assert (line["message"], line["challenge"]) == (
        "user migration needs a password reset",
        "SOFTWARE_TOKEN_MFA",
    )


def test_forgot_password_copies_the_user_so_a_code_can_be_sent(
    event: LoadEvent, old: OldPool
) -> None:
    result = um.handler(event("user_migration/UserMigration_ForgotPassword"), None)

    response = result["response"]
    assert response["messageAction"] == "SUPPRESS"
    assert response["finalUserStatus"] is None  # the user confirms through the reset code
    assert response["userAttributes"] == {
        "email": "jane.doe@example.com",
        "email_verified": "true",
        "given_name": "Jane",
        "custom:tenant_id": "acme",
    }


def test_fails_when_forgot_password_names_an_unknown_user(event: LoadEvent, old: OldPool) -> None:
    ev = event("user_migration/UserMigration_ForgotPassword")
    ev["userName"] = "nobody"
    with pytest.raises(_runtime.UserFacingError, match=r"^Incorrect username or password\.$"):
        um.handler(ev, None)


def test_migrate_attributes_limits_what_is_copied(
    event: LoadEvent, old: OldPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIGRATE_ATTRIBUTES", "email,email_verified")
    result = um.handler(event("user_migration/UserMigration_ForgotPassword"), None)
    assert result["response"]["userAttributes"] == {
        "email": "jane.doe@example.com",
        "email_verified": "true",
    }


def test_the_user_and_groups_arrive_in_the_new_pool(event: LoadEvent, old: OldPool) -> None:
    """The whole move: sign-in migrates, Cognito creates the user, post authentication copies
    the groups that exist in the new pool."""
    old.cognito.create_group(UserPoolId=old.new_pool_id, GroupName="admins")  # not "editors"
    migrated = um.handler(event("user_migration/UserMigration_Authentication"), None)
    create_from(migrated["response"], old)
    after = event("user_migration/PostAuthentication_Authentication")
    after["userPoolId"] = old.new_pool_id

    assert um.handler(after, None) == after
    assert um.copy_groups(after, um.settings()) == ["admins"]  # idempotent
    groups = old.cognito.admin_list_groups_for_user(UserPoolId=old.new_pool_id, Username="jane.doe")
    assert [g["GroupName"] for g in groups["Groups"]] == ["admins"]
    user = old.cognito.admin_get_user(UserPoolId=old.new_pool_id, Username="jane.doe")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:tenant_id"] == "acme"


def test_groups_are_found_by_the_old_username_attribute(
    event: LoadEvent, old: OldPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With email sign-in, the new pool's username is a new id; the old pool knows the email."""
    monkeypatch.setenv("OLD_USERNAME_ATTRIBUTE", "email")
    old.cognito.create_group(UserPoolId=old.new_pool_id, GroupName="editors")
    old.cognito.admin_create_user(
        UserPoolId=old.new_pool_id, Username="0f1e2d3c-new-id", MessageAction="SUPPRESS"
    )
    old.cognito.admin_update_user_attributes(
        UserPoolId=old.pool_id,
        Username="jane.doe",
        UserAttributes=[{"Name": "preferred_username", "Value": "jane"}],
    )
    after = event("user_migration/PostAuthentication_Authentication")
    after["userPoolId"] = old.new_pool_id
    after["userName"] = "0f1e2d3c-new-id"
    # moto resolves AdminListGroupsForUser by username only: answer as the email's owner.
    seen: list[str] = []
    real = old.cognito.admin_list_groups_for_user

    class ByEmail:
        def __getattr__(self, name: str) -> Any:
            return getattr(old.cognito, name)

        def admin_list_groups_for_user(self, **kwargs: Any) -> Any:
            seen.append(kwargs["Username"])
            return real(**{**kwargs, "Username": "jane.doe"})

    _aws.set_client_factory(lambda service: ByEmail())
    assert um.copy_groups(after, um.settings()) == ["editors"]
    assert seen == ["jane.doe@example.com"]


def test_a_failing_group_copy_never_fails_the_sign_in(
    event: LoadEvent,
    old: OldPool,
    fake_client: Any,
    client_error: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    denied = client_error("AccessDeniedException", status=400)
    _aws.set_client_factory(lambda service: fake_client(admin_list_groups_for_user=[denied]))
    after = event("user_migration/PostAuthentication_Authentication")
    assert um.handler(after, None) == after
    (line,) = logs(capsys)
    assert (line["message"], line["code"]) == ("group copy failed", "AccessDeniedException")


def test_fails_with_please_try_again_when_the_old_pool_throttles(
    event: LoadEvent,
    old: OldPool,
    fake_client: Any,
    client_error: Any,
    pauses: list[float],
) -> None:
    throttled = client_error("TooManyRequestsException", status=400)
    client = fake_client(admin_initiate_auth=[throttled, throttled])
    _aws.set_client_factory(lambda service: client)

    with pytest.raises(_runtime.UserFacingError) as caught:
        um.handler(event("user_migration/UserMigration_Authentication"), None)

    assert str(caught.value) == um.BUSY_MESSAGE
    assert [name for name, _ in client.calls] == ["admin_initiate_auth"] * _aws.ATTEMPTS_PER_CALL
    assert pauses == [_aws.RETRY_PAUSE_SECONDS]


def test_a_throttled_first_attempt_is_retried_once(
    event: LoadEvent, old: OldPool, fake_client: Any, client_error: Any
) -> None:
    real = old.cognito.admin_initiate_auth(
        UserPoolId=old.pool_id,
        ClientId=old.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "jane.doe", "PASSWORD": PASSWORD},
    )
    user = old.cognito.admin_get_user(UserPoolId=old.pool_id, Username="jane.doe")
    client = fake_client(
        admin_initiate_auth=[client_error("TooManyRequestsException"), real],
        admin_get_user=[user],
    )
    _aws.set_client_factory(lambda service: client)
    result = um.handler(event("user_migration/UserMigration_Authentication"), None)
    assert result["response"]["finalUserStatus"] == "CONFIRMED"


def test_an_old_pool_in_another_account_is_reached_through_the_role(
    event: LoadEvent, old: OldPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # moto keeps one backend per account: the role is in the account that holds the old pool.
    role = "arn:aws:iam::123456789012:role/old-pool-migration"
    monkeypatch.setenv("OLD_POOL_ROLE_ARN", role)
    assumed: list[str] = []
    sts = boto3.client("sts", region_name="us-east-1")

    class RecordingSts:
        def assume_role(self, **kwargs: Any) -> Any:
            assumed.append(kwargs["RoleArn"])
            return sts.assume_role(**kwargs)

    _aws.set_client_factory(lambda service: RecordingSts() if service == "sts" else old.cognito)
    first = um.handler(event("user_migration/UserMigration_Authentication"), None)
    um.handler(event("user_migration/UserMigration_ForgotPassword"), None)

    assert first["response"]["finalUserStatus"] == "CONFIRMED"
    assert assumed == [role]  # credentials are reused until shortly before they expire
    credentials = um._old_client._request_signer._credentials
    assert credentials.access_key != "testing"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "OLD_USER_POOL_ID must be set"),
        ({"OLD_USER_POOL_ID": "nounderscore", "OLD_CLIENT_ID": "c"}, "must look like"),
        ({"OLD_USER_POOL_ID": "eu-west-1_abc"}, "OLD_CLIENT_ID must be set"),
    ],
)
def test_settings_fail_when_the_old_pool_is_not_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(_runtime.ConfigurationError, match=message):
        um.Settings.from_env(env)


def test_settings_read_the_region_from_the_pool_id() -> None:
    config = um.Settings.from_env({"OLD_USER_POOL_ID": "eu-west-1_abc", "OLD_CLIENT_ID": "c"})
    assert (config.region, config.role_arn, config.attributes) == ("eu-west-1", None, ())


def test_a_misconfigured_trigger_refuses_with_the_generic_message(event: LoadEvent) -> None:
    with pytest.raises(_runtime.UserFacingError, match="Something went wrong"):
        um.handler(event("user_migration/UserMigration_Authentication"), None)


def test_other_sources_pass_through(event: LoadEvent) -> None:
    ev = event("post_confirmation/PostConfirmation_ConfirmSignUp")
    assert um.handler(ev, None) is ev
