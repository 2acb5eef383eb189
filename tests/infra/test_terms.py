"""Terms of use and privacy policy per client: what reaches the template, and what is refused.

https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-terms.html
"""

from __future__ import annotations

import pytest
from aws_cdk import Stack, Token
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from constructs_lib import CognitoAuth, ConfigurationError
from constructs_lib.clients import MachineClient, WebClient
from constructs_lib.domain import HostedUiDomain
from constructs_lib.resource_servers import ResourceServer
from constructs_lib.terms import TERMS_LANGUAGES, ClientTerms, TermsDocuments

TERMS = "AWS::Cognito::Terms"
CALLBACK = "https://app.example.com/callback"
DOCS = TermsDocuments(
    terms_of_use={
        "cognito:default": "https://example.com/terms",
        "cognito:french": "https://example.com/fr/terms",
    },
    privacy_policy={"cognito:default": "https://example.com/privacy"},
)


def auth(stack: Stack, terms: dict[str, TermsDocuments], **kwargs: object) -> CognitoAuth:
    return CognitoAuth(
        stack,
        "Auth",
        clients=kwargs.pop(  # type: ignore[arg-type]
            "clients", [WebClient(name="web", callback_urls=[CALLBACK])]
        ),
        domain=kwargs.pop("domain", HostedUiDomain.cognito_prefix("example-app")),  # type: ignore[arg-type]
        terms=terms,
        **kwargs,  # type: ignore[arg-type]
    )


def test_each_client_gets_both_documents_with_their_localized_links(stack: Stack) -> None:
    created = auth(stack, {"web": DOCS})
    template = Template.from_stack(stack)
    client_ref = {"Ref": stack.get_logical_id(created.clients["web"].node.default_child)}
    template.resource_count_is(TERMS, 2)
    template.has_resource_properties(
        TERMS,
        {
            "TermsName": "terms-of-use",
            "TermsSource": "LINK",
            "Enforcement": "NONE",
            "ClientId": client_ref,
            "UserPoolId": {"Ref": "AuthUserPool8115E87F"},
            "Links": {
                "cognito:default": "https://example.com/terms",
                "cognito:french": "https://example.com/fr/terms",
            },
        },
    )
    template.has_resource_properties(
        TERMS,
        {
            "TermsName": "privacy-policy",
            "ClientId": client_ref,
            "Links": {"cognito:default": "https://example.com/privacy"},
        },
    )
    assert created.terms is not None and list(created.terms.documents) == ["web"]


def test_one_link_for_every_language() -> None:
    docs = TermsDocuments.in_every_language(
        terms_of_use="https://example.com/t", privacy_policy="https://example.com/p"
    )
    assert docs.terms_of_use == {"cognito:default": "https://example.com/t"}
    assert docs.privacy_policy == {"cognito:default": "https://example.com/p"}


def test_no_terms_without_asking(stack: Stack) -> None:
    auth(stack, {})
    Template.from_stack(stack).resource_count_is(TERMS, 0)


def test_client_terms_work_alone_on_an_existing_client(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "eu-west-1_EXAMPLE")
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "exampleclientid")
    ClientTerms(stack, "Terms", user_pool=pool, clients={"app": client}, terms={"app": DOCS})
    template = Template.from_stack(stack)
    template.has_resource_properties(
        TERMS, {"ClientId": "exampleclientid", "UserPoolId": "eu-west-1_EXAMPLE"}
    )


def test_the_languages_are_cognitos() -> None:
    assert len(TERMS_LANGUAGES) == 12
    assert TERMS_LANGUAGES[0] == "cognito:default"


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        (
            TermsDocuments(terms_of_use={"cognito:default": "https://e.com/t"}, privacy_policy={}),
            "terms['web'].privacy_policy is empty, but terms_of_use is set: managed login shows "
            "the documents only when both have a link",
        ),
        (
            TermsDocuments(terms_of_use={}, privacy_policy={}),
            "terms['web']: give links for both terms_of_use and privacy_policy",
        ),
        (
            TermsDocuments(
                terms_of_use={"cognito:default": "http://example.com/terms"},
                privacy_policy={"cognito:default": "https://example.com/p"},
            ),
            "terms['web'].terms_of_use['cognito:default']: 'http://example.com/terms' must be "
            "an https URL",
        ),
        (
            TermsDocuments(
                terms_of_use={"klingon": "https://example.com/t"},
                privacy_policy={"cognito:default": "https://example.com/p"},
            ),
            "terms['web'].terms_of_use: unknown language 'klingon'; allowed: cognito:default, ",
        ),
        (
            TermsDocuments(
                terms_of_use={"cognito:default": "https://example.com/" + "t" * 1100},
                privacy_policy={"cognito:default": "https://example.com/p"},
            ),
            "1120 characters, Cognito allows 1024",
        ),
    ],
)
def test_fails_when_a_document_is_refused(stack: Stack, docs: TermsDocuments, message: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        auth(stack, {"web": docs})
    assert message in str(raised.value)
    assert stack.node.try_find_child("Auth") is None


def test_fails_when_the_client_name_is_unknown_or_signs_in_without_managed_login(
    stack: Stack,
) -> None:
    orders = ResourceServer(identifier="orders", scopes={"read": "Read"})
    with pytest.raises(ConfigurationError) as raised:
        auth(
            stack,
            {"mobile": DOCS, "api": DOCS, "reports": DOCS},
            clients=[
                WebClient(name="web", callback_urls=[CALLBACK]),
                WebClient(name="api", o_auth=False),
                MachineClient(name="reports", scopes=[orders.scope("read")]),
            ],
            resource_servers=[orders],
        )
    text = str(raised.value)
    for name in ("mobile", "api", "reports"):
        assert (
            f"terms[{name!r}]: no client {name!r} signs users in through managed login; "
            "known: 'web'"
        ) in text


def test_fails_when_the_domain_uses_the_classic_hosted_ui(stack: Stack) -> None:
    classic = HostedUiDomain.cognito_prefix(
        "example-app", managed_login_version=cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI
    )
    with pytest.raises(
        ConfigurationError, match=r"terms: the classic hosted UI never shows terms documents"
    ):
        auth(stack, {"web": DOCS}, domain=classic)


def test_fails_when_there_is_no_domain(stack: Stack) -> None:
    with pytest.raises(ConfigurationError, match=r"terms needs a hosted UI domain"):
        CognitoAuth(
            stack, "Auth", clients=[WebClient(name="web", o_auth=False)], terms={"web": DOCS}
        )


def test_does_not_fail_when_a_link_is_a_token(stack: Stack) -> None:
    link = Token.as_string({"Ref": "TermsUrl"})
    docs = TermsDocuments(
        terms_of_use={"cognito:default": link},
        privacy_policy={"cognito:default": "https://example.com/p"},
    )
    auth(stack, {"web": docs})
    Template.from_stack(stack).has_resource_properties(
        TERMS, {"TermsName": "terms-of-use", "Links": {"cognito:default": {"Ref": "TermsUrl"}}}
    )
