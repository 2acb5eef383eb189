"""Terms of use and privacy policy links on managed login's sign-up page, per app client.

``TermsDocuments`` holds both documents as links by managed login language;
``terms_problems`` judges them without creating anything; ``ClientTerms`` defines one
``AWS::Cognito::Terms`` per document and client on any user pool.

Cognito's rules (refused here at synth time):

- Managed login shows the documents only when both are set, in at least one language: one
  without the other is refused.
- One set of terms per client; the classic hosted UI never shows them.
- Links by language key: ``cognito:default`` (the fallback for languages without their own)
  and ``cognito:english``, ``cognito:french``, ... (``TERMS_LANGUAGES``); https links of at most
  1024 characters.

See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-managed-login.html#managed-login-terms-documents
and https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-terms.html
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from aws_cdk import aws_cognito as cognito
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.validation import Problems, is_token

#: The language keys of ``Links`` (the CloudFormation registry schema of AWS::Cognito::Terms).
TERMS_LANGUAGES = (
    "cognito:default",
    "cognito:english",
    "cognito:french",
    "cognito:spanish",
    "cognito:german",
    "cognito:bahasa-indonesia",
    "cognito:italian",
    "cognito:japanese",
    "cognito:korean",
    "cognito:portuguese-brazil",
    "cognito:chinese-simplified",
    "cognito:chinese-traditional",
)
_LINK_MAX_LENGTH = 1024
# The TermsName of each document, and its construct ID prefix.
_DOCUMENTS = {
    "terms_of_use": ("terms-of-use", "TermsOfUse"),
    "privacy_policy": ("privacy-policy", "PrivacyPolicy"),
}


@dataclass(frozen=True, kw_only=True)
class TermsDocuments:
    """Both documents a client's sign-up page links to, by language.

    Args:
        terms_of_use: Links by language key, e.g. ``{"cognito:default":
            "https://example.com/terms", "cognito:french": "https://example.com/fr/terms"}``.
        privacy_policy: The same for the privacy policy.
    """

    terms_of_use: Mapping[str, str]
    privacy_policy: Mapping[str, str]

    @classmethod
    def in_every_language(cls, *, terms_of_use: str, privacy_policy: str) -> TermsDocuments:
        """One link per document, shown for every language (``cognito:default``)."""
        return cls(
            terms_of_use={"cognito:default": terms_of_use},
            privacy_policy={"cognito:default": privacy_policy},
        )


def terms_problems(
    terms: Mapping[str, TermsDocuments],
    problems: Problems,
    *,
    client_names: Iterable[str] | None = None,
    managed_login_version: cognito.ManagedLoginVersion | None = None,
) -> None:
    """Add every problem of ``terms`` (by client name) to ``problems``; tokens are not judged.

    Args:
        client_names: The clients that sign users in through managed login. Default: unknown
            (names not checked).
        managed_login_version: The domain's version. Default: unknown (not checked).
    """
    if terms and managed_login_version == cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI:
        problems.add(
            "terms: the classic hosted UI never shows terms documents; use managed login "
            "(HostedUiDomain(..., managed_login_version=ManagedLoginVersion.NEWER_MANAGED_LOGIN)) "
            "or drop terms"
        )
    known = None if client_names is None else list(client_names)
    for name, documents in terms.items():
        where = f"terms[{name!r}]"
        if known is not None and name not in known:
            problems.add(
                f"{where}: no client {name!r} signs users in through managed login; known: "
                f"{', '.join(map(repr, known)) or 'none'}"
            )
        given = {field: dict(getattr(documents, field) or {}) for field in _DOCUMENTS}
        missing = [field for field, links in given.items() if not links]
        if len(missing) == 1:
            other = next(field for field in _DOCUMENTS if field not in missing)
            problems.add(
                f"{where}.{missing[0]} is empty, but {other} is set: managed login shows the "
                "documents only when both have a link"
            )
        elif missing:
            problems.add(f"{where}: give links for both terms_of_use and privacy_policy")
        for field, links in given.items():
            _check_links(f"{where}.{field}", links, problems)


def _check_links(where: str, links: Mapping[str, str], problems: Problems) -> None:
    for language, url in links.items():
        if not is_token(language) and language not in TERMS_LANGUAGES:
            problems.add(
                f"{where}: unknown language {language!r}; allowed: {', '.join(TERMS_LANGUAGES)}"
            )
        if is_token(url):
            continue
        try:
            parts = urlsplit(url)
            ok = parts.scheme == "https" and bool(parts.hostname)
        except ValueError:
            ok = False
        if not ok:
            problems.add(f"{where}[{language!r}]: {url!r} must be an https URL")
        elif len(url) > _LINK_MAX_LENGTH:
            problems.add(
                f"{where}[{language!r}]: {len(url)} characters, Cognito allows {_LINK_MAX_LENGTH}"
            )


class ClientTerms(Construct):
    """The terms documents of app clients on any user pool, new or existing.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        user_pool: The clients' pool.
        clients: The clients by name, as ``terms`` names them.
        terms: Both documents of each client, by client name.
        managed_login_version: The hosted UI domain's version; the classic hosted UI is
            refused. Default: ``defaults.MANAGED_LOGIN_VERSION`` (managed login).

    Attributes:
        documents: The two ``CfnTerms`` of each client (terms of use, privacy policy), by name.

    Raises:
        ConfigurationError: for every problem in ``terms``, all at once.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        clients: Mapping[str, cognito.IUserPoolClient],
        terms: Mapping[str, TermsDocuments],
        managed_login_version: cognito.ManagedLoginVersion | None = None,
    ) -> None:
        problems = Problems(type(self).__name__)
        terms_problems(
            terms,
            problems,
            client_names=clients,
            managed_login_version=managed_login_version or defaults.MANAGED_LOGIN_VERSION,
        )
        problems.raise_if_any()
        super().__init__(scope, construct_id)
        self.documents: dict[str, tuple[cognito.CfnTerms, cognito.CfnTerms]] = {}
        for name, documents in terms.items():
            client = clients[name]
            # The client name identifies the client here, so it is part of the construct IDs.
            made = [
                cognito.CfnTerms(
                    self,
                    f"{prefix}{name}",
                    user_pool_id=user_pool.user_pool_id,
                    client_id=client.user_pool_client_id,
                    terms_name=terms_name,
                    # Both are the only values CloudFormation accepts today.
                    terms_source="LINK",
                    enforcement="NONE",
                    links=dict(getattr(documents, field)),
                )
                for field, (terms_name, prefix) in _DOCUMENTS.items()
            ]
            self.documents[name] = (made[0], made[1])


__all__ = ["TERMS_LANGUAGES", "ClientTerms", "TermsDocuments", "terms_problems"]
