"""The evaluator's own tests: it allows what IAM allows and, above all, denies what IAM denies."""

from __future__ import annotations

import pytest

from tests.access.iam_statement_eval import (
    Request,
    UnsupportedPolicy,
    decide,
    is_allowed,
    substitute,
    wildcard_match,
)

ME = {"cognito-identity.amazonaws.com:sub": "eu-west-1:aaaa"}
OWN = {
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:PutObject"],
    "Resource": "arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*",
}
LIST = {
    "Effect": "Allow",
    "Action": "s3:ListBucket",
    "Resource": "arn:aws:s3:::b",
    "Condition": {"StringLike": {"s3:prefix": ["private/${cognito-identity.amazonaws.com:sub}/*"]}},
}


def test_wildcards_follow_iam_globbing() -> None:
    assert wildcard_match("a/*", "a/b/c")  # * crosses slashes
    assert wildcard_match("a/?", "a/b")
    assert not wildcard_match("a/?", "a/bc")
    assert not wildcard_match("a/b", "a/bc")  # no implicit prefix match
    assert not wildcard_match("a.b", "axb")  # dots are literal
    assert wildcard_match("S3:get*", "s3:GetObject", ignore_case=True)
    assert not wildcard_match("s3:Get*", "s3:GetObject".lower())  # resources are case-sensitive


def test_substitutes_policy_variables_and_refuses_unknown_ones() -> None:
    assert substitute("p/${aws:PrincipalTag/sub}/*", {"aws:PrincipalTag/sub": "u1"}) == "p/u1/*"
    assert substitute("p/${aws:PrincipalTag/sub}/*", {}) is None


def test_allows_the_owner_on_their_own_prefix() -> None:
    request = Request("s3:GetObject", "arn:aws:s3:::b/private/eu-west-1:aaaa/photo.jpg", ME)
    assert is_allowed([OWN], request)


def test_denies_another_users_prefix() -> None:
    request = Request("s3:GetObject", "arn:aws:s3:::b/private/eu-west-1:bbbb/photo.jpg", ME)
    assert decide([OWN], request) == "ImplicitDeny"


def test_denies_an_id_that_only_starts_like_the_owners() -> None:
    request = Request("s3:GetObject", "arn:aws:s3:::b/private/eu-west-1:aaaa2/x", ME)
    assert not is_allowed([OWN], request)


def test_denies_an_action_not_listed() -> None:
    request = Request("s3:DeleteObject", "arn:aws:s3:::b/private/eu-west-1:aaaa/x", ME)
    assert not is_allowed([OWN], request)


def test_denies_when_the_policy_variable_is_missing_from_the_context() -> None:
    request = Request("s3:GetObject", "arn:aws:s3:::b/private/eu-west-1:aaaa/x", {})
    assert not is_allowed([OWN], request)


def test_explicit_deny_wins_over_allow() -> None:
    deny = {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}
    request = Request("s3:GetObject", "arn:aws:s3:::b/private/eu-west-1:aaaa/x", ME)
    assert decide([OWN, deny], request) == "ExplicitDeny"


def test_string_like_condition_on_prefix() -> None:
    ok = Request("s3:ListBucket", "arn:aws:s3:::b", {**ME, "s3:prefix": "private/eu-west-1:aaaa/"})
    other = Request(
        "s3:ListBucket", "arn:aws:s3:::b", {**ME, "s3:prefix": "private/eu-west-1:bbbb/"}
    )
    no_prefix = Request("s3:ListBucket", "arn:aws:s3:::b", ME)
    assert is_allowed([LIST], ok)
    assert not is_allowed([LIST], other)
    assert not is_allowed([LIST], no_prefix)  # a missing key never satisfies StringLike


def test_string_equals_is_exact_and_negated_operators_invert() -> None:
    equals = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalTag/tenant": "t1"}},
    }
    assert is_allowed([equals], Request("s3:GetObject", "x", {"aws:PrincipalTag/tenant": "t1"}))
    assert not is_allowed([equals], Request("s3:GetObject", "x", {"aws:PrincipalTag/tenant": "t*"}))
    not_equals = {**equals, "Condition": {"StringNotEquals": {"aws:PrincipalTag/tenant": "t1"}}}
    assert not is_allowed(
        [not_equals], Request("s3:GetObject", "x", {"aws:PrincipalTag/tenant": "t1"})
    )
    assert is_allowed([not_equals], Request("s3:GetObject", "x", {"aws:PrincipalTag/tenant": "t2"}))


def test_for_any_value_on_a_multivalued_key() -> None:
    amr = {
        "Effect": "Allow",
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Resource": "*",
        "Condition": {
            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
        },
    }
    signed_in = {"cognito-identity.amazonaws.com:amr": ["authenticated", "cognito-idp..."]}
    guest = {"cognito-identity.amazonaws.com:amr": ["unauthenticated"]}
    assert is_allowed([amr], Request("sts:AssumeRoleWithWebIdentity", "r", signed_in))
    assert not is_allowed([amr], Request("sts:AssumeRoleWithWebIdentity", "r", guest))


def test_refuses_what_it_does_not_model() -> None:
    with pytest.raises(UnsupportedPolicy):
        decide([{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}], Request("a", "r"))
    unknown = {**OWN, "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}
    with pytest.raises(UnsupportedPolicy):
        decide([unknown], Request("s3:GetObject", "arn:aws:s3:::b/private/eu-west-1:aaaa/x", ME))
