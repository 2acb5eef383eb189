"""Pre sign-up: domain rules, auto-confirmation and federated account linking."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from moto import mock_aws

from lambda_triggers import _aws, _runtime
from lambda_triggers import pre_sign_up as psu

LoadEvent = Callable[[str], dict[str, Any]]
SOURCES = ["PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"]
GOOGLE_SUBJECT = "109876543210987654321"


@pytest.mark.parametrize("source", SOURCES)
def test_every_source_passes_untouched_without_rules(event: LoadEvent, source: str) -> None:
    ev = event(f"pre_sign_up/{source}")

    result = psu.handler(ev, None)

    assert result["response"] == {
        "autoConfirmUser": False,
        "autoVerifyEmail": False,
        "autoVerifyPhone": False,
    }


@pytest.mark.parametrize("source", SOURCES)
def test_denied_domain_is_refused_for_every_source(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    monkeypatch.setenv("DENIED_EMAIL_DOMAINS", "EXAMPLE.com")

    with pytest.raises(_runtime.UserFacingError, match=r"^Sign-up is not allowed"):
        psu.handler(event(f"pre_sign_up/{source}"), None)


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("a@example.com", True),
        ("a@EXAMPLE.COM", True),
        ("a@example.com.", True),
        ("a@mail.example.com", False),  # exact rule: no subdomains
        ("a@corp.example.org", True),  # ".example.org" rule: subdomains only
        ("a@deep.corp.example.org", True),
        ("a@example.org", False),
        ("a@notexample.com", False),
        ("a@evil-example.org", False),
        ('"a@example.com"@evil.test', False),  # the domain is after the last "@"
    ],
)
def test_allow_list_rules(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, email: str, allowed: bool
) -> None:
    monkeypatch.setenv("ALLOWED_EMAIL_DOMAINS", "example.com, .example.org")
    ev = event("pre_sign_up/PreSignUp_SignUp")
    ev["request"]["userAttributes"]["email"] = email

    if allowed:
        psu.handler(ev, None)
    else:
        with pytest.raises(_runtime.UserFacingError):
            psu.handler(ev, None)


def test_deny_list_wins_over_allow_list(event: LoadEvent, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_EMAIL_DOMAINS", ".example.com")
    monkeypatch.setenv("DENIED_EMAIL_DOMAINS", "temp.example.com")
    ev = event("pre_sign_up/PreSignUp_SignUp")
    ev["request"]["userAttributes"]["email"] = "a@temp.example.com"

    with pytest.raises(_runtime.UserFacingError):
        psu.handler(ev, None)


def test_allow_list_requires_an_email(event: LoadEvent, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_EMAIL_DOMAINS", "example.com")
    ev = event("pre_sign_up/PreSignUp_SignUp")
    del ev["request"]["userAttributes"]["email"]

    with pytest.raises(_runtime.UserFacingError, match="email address is required"):
        psu.handler(ev, None)


def test_auto_confirm_only_for_self_sign_up_and_never_auto_verifies(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTO_CONFIRM_EMAIL_DOMAINS", "example.com")

    sign_up = psu.handler(event("pre_sign_up/PreSignUp_SignUp"), None)["response"]
    admin = psu.handler(event("pre_sign_up/PreSignUp_AdminCreateUser"), None)["response"]

    assert sign_up == {"autoConfirmUser": True, "autoVerifyEmail": False, "autoVerifyPhone": False}
    assert admin["autoConfirmUser"] is False


def test_other_domain_is_not_auto_confirmed(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTO_CONFIRM_EMAIL_DOMAINS", "corp.example.com")

    assert (
        psu.handler(event("pre_sign_up/PreSignUp_SignUp"), None)["response"]["autoConfirmUser"]
        is False
    )


def test_bad_configuration_gets_a_generic_safe_message(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LINK_FEDERATED_TO_EXISTING_USER", "yes")

    with pytest.raises(_runtime.UserFacingError) as raised:
        psu.handler(event("pre_sign_up/PreSignUp_SignUp"), None)

    assert str(raised.value) == _runtime.GENERIC_USER_MESSAGE
    assert "LINK_FEDERATED_TO_EXISTING_USER" in json.loads(capsys.readouterr().out)["detail"]


def test_unknown_source_is_returned_unchanged(event: LoadEvent) -> None:
    ev = event("pre_sign_up/PreSignUp_SignUp")
    ev["triggerSource"] = "PreSignUp_Future"

    assert psu.handler(ev, None) == event("pre_sign_up/PreSignUp_SignUp") | {
        "triggerSource": "PreSignUp_Future"
    }


# --- pure helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_name", "expected"),
    [
        ("Google_1098", ("Google", "1098")),
        ("google_1098", ("Google", "1098")),  # Cognito may lower-case the prefix
        ("Okta_Prod_abc_def", ("Okta_Prod", "abc_def")),  # longest provider name first
        ("Okta_abc_def", ("Okta", "abc_def")),  # underscores stay in the subject
        ("Facebook_1098", None),  # not trusted
        ("Google_", None),
        ("Googlex_1098", None),
    ],
)
def test_split_federated_username(user_name: str, expected: tuple[str, str] | None) -> None:
    providers = psu.Settings.from_env({"LINK_TRUSTED_PROVIDERS": "Okta,Google,Okta_Prod"})

    assert psu.split_federated_username(user_name, providers.link_providers) == expected


def test_email_filter_escapes_quotes_and_backslashes() -> None:
    assert psu.email_filter('a"b\\c@example.com') == 'email = "a\\"b\\\\c@example.com"'


# --- linking against moto (ListUsers) and a fake AdminLinkProviderForUser -------------------


class LinkingClient:
    """The moto cognito-idp client plus a recording AdminLinkProviderForUser (moto lacks it)."""

    def __init__(self, moto_client: Any, link_results: list[Any]) -> None:
        self._moto = moto_client
        self._link_results = link_results
        self.links: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._moto, name)

    def admin_link_provider_for_user(self, **kwargs: Any) -> dict[str, Any]:
        self.links.append(kwargs)
        result = self._link_results.pop(0) if self._link_results else {}
        if isinstance(result, BaseException):
            raise result
        return dict(result)


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    """A moto user pool with one native user whose email is verified; linking enabled."""
    monkeypatch.setenv("LINK_FEDERATED_TO_EXISTING_USER", "true")
    monkeypatch.setenv("LINK_TRUSTED_PROVIDERS", "Google")
    with mock_aws():
        client = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = client.create_user_pool(PoolName="example")["UserPool"]["Id"]
        client.admin_create_user(
            UserPoolId=pool_id,
            Username="jane",
            UserAttributes=[
                {"Name": "email", "Value": "jane.doe@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
            MessageAction="SUPPRESS",
        )
        client.admin_create_user(
            UserPoolId=pool_id,
            Username="other",
            UserAttributes=[{"Name": "email", "Value": "other@example.com"}],
            MessageAction="SUPPRESS",
        )
        yield client, pool_id


def federated_event(event: LoadEvent, pool_id: str) -> dict[str, Any]:
    ev = event("pre_sign_up/PreSignUp_ExternalProvider")
    ev["userPoolId"] = pool_id
    return ev


def use(client: Any) -> None:
    _aws.set_client_factory(lambda service: client)


def test_federated_sign_up_links_to_the_verified_native_user(
    event: LoadEvent, pool: tuple[Any, str]
) -> None:
    moto_client, pool_id = pool
    client = LinkingClient(moto_client, [])
    use(client)

    psu.handler(federated_event(event, pool_id), None)

    assert client.links == [
        {
            "UserPoolId": pool_id,
            "DestinationUser": {"ProviderName": "Cognito", "ProviderAttributeValue": "jane"},
            "SourceUser": {
                "ProviderName": "Google",
                "ProviderAttributeName": "Cognito_Subject",
                "ProviderAttributeValue": GOOGLE_SUBJECT,
            },
        }
    ]


def test_linking_twice_is_fine(
    event: LoadEvent, pool: tuple[Any, str], client_error: Callable[..., Exception]
) -> None:
    moto_client, pool_id = pool
    already = client_error(
        "InvalidParameterException",
        "Invalid SourceUser: Cognito users with a username/password may not be passed in as a "
        "SourceUser, only as a DestinationUser",
    )
    client = LinkingClient(moto_client, [{}, already])
    use(client)

    first = psu.handler(federated_event(event, pool_id), None)
    second = psu.handler(federated_event(event, pool_id), None)

    assert len(client.links) == 2
    assert first["response"] == second["response"]


def test_native_user_with_unverified_email_is_not_linked(
    event: LoadEvent, pool: tuple[Any, str]
) -> None:
    moto_client, pool_id = pool
    client = LinkingClient(moto_client, [])
    use(client)
    ev = federated_event(event, pool_id)
    ev["request"]["userAttributes"]["email"] = "other@example.com"

    psu.handler(ev, None)

    assert client.links == []


@pytest.mark.parametrize("claim", ["true", "TRUE", "True"])
def test_provider_saying_email_verified_links(
    event: LoadEvent, pool: tuple[Any, str], claim: str
) -> None:
    moto_client, pool_id = pool
    client = LinkingClient(moto_client, [])
    use(client)
    ev = federated_event(event, pool_id)
    ev["request"]["userAttributes"]["email_verified"] = claim

    psu.handler(ev, None)

    assert [link["DestinationUser"]["ProviderAttributeValue"] for link in client.links] == ["jane"]


@pytest.mark.parametrize("claim", ["false", "FALSE", "", "yes", "1", None], ids=repr)
def test_federated_email_not_vouched_for_is_not_linked_and_signs_up_as_a_new_user(
    event: LoadEvent, pool: tuple[Any, str], fake_client: Any, claim: str | None
) -> None:
    """A missing ``email_verified`` (``None`` here) is not a verified email."""
    client = fake_client(list_users=[AssertionError("no lookup")])
    use(client)
    ev = federated_event(event, pool[1])
    if claim is None:
        del ev["request"]["userAttributes"]["email_verified"]
    else:
        ev["request"]["userAttributes"]["email_verified"] = claim

    result = psu.handler(ev, None)

    assert client.calls == []
    # The sign-up goes ahead untouched: Cognito creates a separate federated user.
    assert result["response"] == {
        "autoConfirmUser": False,
        "autoVerifyEmail": False,
        "autoVerifyPhone": False,
    }


@pytest.mark.parametrize("opt_in", ["Google", "google", "Okta,GOOGLE"])
def test_provider_opted_in_links_without_the_claim(
    event: LoadEvent, pool: tuple[Any, str], monkeypatch: pytest.MonkeyPatch, opt_in: str
) -> None:
    monkeypatch.setenv("LINK_TRUSTED_PROVIDERS", "Google,Okta")
    monkeypatch.setenv("LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED", opt_in)
    moto_client, pool_id = pool
    client = LinkingClient(moto_client, [])
    use(client)
    ev = federated_event(event, pool_id)
    del ev["request"]["userAttributes"]["email_verified"]

    psu.handler(ev, None)

    assert [link["SourceUser"]["ProviderName"] for link in client.links] == ["Google"]


def test_opting_in_another_provider_does_not_relax_this_one(
    event: LoadEvent, pool: tuple[Any, str], monkeypatch: pytest.MonkeyPatch, fake_client: Any
) -> None:
    monkeypatch.setenv("LINK_TRUSTED_PROVIDERS", "Google,Okta")
    monkeypatch.setenv("LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED", "Okta")
    client = fake_client(list_users=[AssertionError("no lookup")])
    use(client)
    ev = federated_event(event, pool[1])
    del ev["request"]["userAttributes"]["email_verified"]

    psu.handler(ev, None)

    assert client.calls == []


def test_opt_in_for_a_provider_not_trusted_for_linking_is_a_configuration_error() -> None:
    with pytest.raises(_runtime.ConfigurationError, match=r"only name providers of .*\['okta'\]"):
        psu.Settings.from_env(
            {
                "LINK_TRUSTED_PROVIDERS": "Google",
                "LINK_PROVIDERS_TRUSTED_WITHOUT_EMAIL_VERIFIED": "Okta",
            }
        )


def test_untrusted_provider_is_not_linked(
    event: LoadEvent, monkeypatch: pytest.MonkeyPatch, fake_client: Any
) -> None:
    monkeypatch.setenv("LINK_FEDERATED_TO_EXISTING_USER", "true")
    monkeypatch.setenv("LINK_TRUSTED_PROVIDERS", "SignInWithApple")
    client = fake_client(list_users=[AssertionError("no lookup")])
    use(client)

    psu.handler(event("pre_sign_up/PreSignUp_ExternalProvider"), None)

    assert client.calls == []


def test_linking_is_off_by_default(event: LoadEvent, fake_client: Any) -> None:
    client = fake_client(list_users=[AssertionError("no lookup")])
    use(client)

    psu.handler(event("pre_sign_up/PreSignUp_ExternalProvider"), None)

    assert client.calls == []


def test_two_native_candidates_are_ambiguous() -> None:
    verified = [{"Name": "email_verified", "Value": "true"}]
    users = [
        {"Username": "a", "UserStatus": "CONFIRMED", "Enabled": True, "Attributes": verified},
        {"Username": "b", "UserStatus": "CONFIRMED", "Enabled": True, "Attributes": verified},
        {"Username": "Google_1", "UserStatus": "EXTERNAL_PROVIDER", "Attributes": verified},
    ]

    assert psu.pick_link_target(users, "Google_1") is None
    assert psu.pick_link_target(users[:1] + users[2:], "Google_1") == "a"


def test_lookup_timeout_refuses_the_sign_up_with_a_safe_message(
    event: LoadEvent,
    monkeypatch: pytest.MonkeyPatch,
    fake_client: Any,
    pauses: list[float],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LINK_FEDERATED_TO_EXISTING_USER", "true")
    monkeypatch.setenv("LINK_TRUSTED_PROVIDERS", "Google")
    client = fake_client(list_users=[ReadTimeoutError(endpoint_url="https://cognito-idp")])
    use(client)

    with pytest.raises(_runtime.UserFacingError) as raised:
        psu.handler(event("pre_sign_up/PreSignUp_ExternalProvider"), None)

    assert str(raised.value) == psu.LINK_FAILED_MESSAGE
    assert len(client.calls) == _aws.ATTEMPTS_PER_CALL
    out = capsys.readouterr().out
    assert "jane.doe@example.com" not in out and GOOGLE_SUBJECT not in out


def test_other_link_errors_refuse_the_sign_up(
    event: LoadEvent, pool: tuple[Any, str], client_error: Callable[..., Exception]
) -> None:
    moto_client, pool_id = pool
    use(LinkingClient(moto_client, [client_error("NotAuthorizedException", "nope")]))

    with pytest.raises(_runtime.UserFacingError, match="Please try again"):
        psu.handler(federated_event(event, pool_id), None)
