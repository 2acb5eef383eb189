"""Shared test set-up. Apps here are made with the CDK's built-in synth validation off: it costs
seconds per process, and templates are identical either way (``tests/app/test_synth_validation.py``
keeps it on once to prove that)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App, Environment, Stack  # after the environment above
from aws_cdk.assertions import Template

TEST_ENV = Environment(account="123456789012", region="eu-west-1")


def new_app(**context: Any) -> App:
    """An app as the tests need it: no built-in validation, no asset bundling."""
    return App(
        builtin_cloud_formation_validation=False,
        context={"aws:cdk:bundling-stacks": [], **context},
    )


@pytest.fixture
def stack() -> Stack:
    return Stack(new_app(), "TestStack", env=TEST_ENV)


@pytest.fixture
def template_of() -> Callable[[Stack], Template]:
    return Template.from_stack
