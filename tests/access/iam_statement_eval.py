"""A small evaluator of IAM identity-policy statements, enough to prove the user files policies.

Why not moto: moto's S3 does not enforce IAM policies for credentials of an assumed web-identity
role in a way one can rely on (no identity pool session, no policy variables such as
``${cognito-identity.amazonaws.com:sub}`` or ``${aws:PrincipalTag/...}`` substituted per caller),
so a "denied" there would prove nothing. This module evaluates the statements as IAM documents
them, for exactly the features the policies use, and its own tests show that it denies what IAM
denies.

Supported: Effect Allow/Deny (explicit Deny wins, no match is an implicit deny), Action and
Resource as a string or list with ``*`` and ``?`` wildcards (actions case-insensitive),
NotAction/NotResource are refused, Conditions ``StringEquals``, ``StringLike``,
``StringNotEquals``, ``StringNotLike`` (a missing key does not match the positive operators),
``ForAnyValue:``/``ForAllValues:`` prefixes, and policy variables ``${key}`` in Resource and
condition values, taken from the request context. An unknown variable makes the statement not
match, as IAM does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_VARIABLE = re.compile(r"\$\{([^}]+)\}")
_SUPPORTED_OPERATORS = {"StringEquals", "StringLike", "StringNotEquals", "StringNotLike"}


class UnsupportedPolicy(ValueError):
    """The statement uses something this evaluator does not model: fail loudly, never guess."""


@dataclass(frozen=True)
class Request:
    """One API call: the action, the resource ARN and the request context keys."""

    action: str
    resource: str
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def substitute(text: str, context: Mapping[str, Any]) -> str | None:
    """``text`` with every ``${key}`` replaced from ``context``; None if a key is missing."""
    missing = False

    def value_of(match: re.Match[str]) -> str:
        nonlocal missing
        key = match.group(1)
        if key not in context or not isinstance(context[key], str):
            missing = True
            return ""
        return str(context[key])

    result = _VARIABLE.sub(value_of, text)
    return None if missing else result


def wildcard_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's glob: ``*`` is any run of characters (``/`` included), ``?`` one character."""
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    flags = re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL
    return re.fullmatch(regex, value, flags) is not None


def _matches(value: str, patterns: list[str], like: bool) -> bool:
    if like:
        return any(wildcard_match(p, value) for p in patterns)
    return value in patterns


def _condition_holds(operator: str, block: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    qualifier, _, base = operator.rpartition(":")
    if base not in _SUPPORTED_OPERATORS or qualifier not in ("", "ForAnyValue", "ForAllValues"):
        raise UnsupportedPolicy(f"condition operator {operator!r}")
    like = base.endswith("Like")
    negated = "Not" in base
    for key, wanted in block.items():
        patterns = [substitute(p, context) for p in _as_list(wanted)]
        patterns_known = [p for p in patterns if p is not None]
        if key not in context:
            # Positive operators need the key; negated ones hold when it is absent.
            if not negated:
                return False
            continue
        values = _as_list(context[key])

        if qualifier == "ForAllValues":
            ok = all(_matches(v, patterns_known, like) for v in values)
        else:  # plain operators on single values, and ForAnyValue
            ok = any(_matches(v, patterns_known, like) for v in values)
        if negated:
            ok = not ok
        if not ok:
            return False
    return True


def statement_applies(statement: Mapping[str, Any], request: Request) -> bool:
    """Whether ``statement`` covers ``request`` (action, resource and every condition)."""
    if "NotAction" in statement or "NotResource" in statement or "NotPrincipal" in statement:
        raise UnsupportedPolicy("NotAction / NotResource / NotPrincipal")
    actions = _as_list(statement["Action"])
    if not any(wildcard_match(a, request.action, ignore_case=True) for a in actions):
        return False
    resources = [substitute(r, request.context) for r in _as_list(statement["Resource"])]
    if not any(r is not None and wildcard_match(r, request.resource) for r in resources):
        return False
    conditions = statement.get("Condition", {})
    return all(_condition_holds(op, block, request.context) for op, block in conditions.items())


def decide(statements: Iterable[Mapping[str, Any]], request: Request) -> str:
    """``"Allow"``, ``"ExplicitDeny"`` or ``"ImplicitDeny"`` for ``request``."""
    allowed = False
    for statement in statements:
        if not statement_applies(statement, request):
            continue
        effect = statement["Effect"]
        if effect == "Deny":
            return "ExplicitDeny"
        if effect != "Allow":
            raise UnsupportedPolicy(f"Effect {effect!r}")
        allowed = True
    return "Allow" if allowed else "ImplicitDeny"


def is_allowed(statements: Iterable[Mapping[str, Any]], request: Request) -> bool:
    return decide(statements, request) == "Allow"
