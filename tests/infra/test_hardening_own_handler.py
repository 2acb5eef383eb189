"""Own handler packaging: no secret-looking file reaches the asset, hashed requirements are
supported, and requirements that do not pin a version leave a synth warning."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Annotations, Match

from constructs_lib import ConfigurationError
from constructs_lib.own_handler import (
    UNPINNED_WARNING,
    LocalPipBundling,
    own_handler_code,
    own_handler_function,
)
from tests.conftest import new_app

SECRETS = [
    ".env",
    ".env.production",
    "server.pem",
    "signing.key",
    "AuthKey_ABC123.p8",
    "client.p12",
    "id_rsa",
    ".npmrc",
    ".pypirc",
    ".netrc",
]


@pytest.fixture
def handler_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "sender"
    folder.mkdir()
    (folder / "app.py").write_text("def handler(event, context):\n    return event\n")
    (folder / "requirements.txt").write_text("requests==2.32.3\n")
    for name in SECRETS:
        (folder / name).write_text("not-a-real-secret\n")
    for directory in (".git", ".aws", ".ssh"):
        (folder / directory).mkdir()
        (folder / directory / "config").write_text("[default]\n")
    return folder


def test_secret_looking_files_never_reach_the_asset(handler_dir: Path, tmp_path: Path) -> None:
    commands: list[Sequence[str]] = []
    bundler = LocalPipBundling(handler_dir, platform="p", python="3.14", run=commands.append)
    out = tmp_path / "out"
    out.mkdir()
    bundler.try_bundle(str(out))
    assert sorted(p.name for p in out.iterdir()) == ["app.py", "requirements.txt"]


def test_secret_looking_files_do_not_change_the_asset(handler_dir: Path, tmp_path: Path) -> None:
    """The asset's source hash reads the folder through the same exclude list."""

    def asset_key(folder: Path) -> str:
        stack = Stack(new_app(), "Own")
        config = own_handler_code(folder).bind(stack)
        assert config.s3_location is not None
        return config.s3_location.object_key

    with_secrets = asset_key(handler_dir)
    clean = tmp_path / "clean" / "sender"
    clean.mkdir(parents=True)
    for name in ("app.py", "requirements.txt"):
        (clean / name).write_bytes((handler_dir / name).read_bytes())
    assert asset_key(clean) == with_secrets
    (clean / "app.py").write_text("# changed\n")
    assert asset_key(clean) != with_secrets  # the hash does follow real changes


def test_hashed_requirements_are_installed_with_require_hashes(
    handler_dir: Path, tmp_path: Path
) -> None:
    (handler_dir / "requirements.txt").write_text(
        "requests==2.32.3 \\\n    --hash=sha256:" + "0" * 64 + "\n"
    )
    commands: list[Sequence[str]] = []
    bundler = LocalPipBundling(
        handler_dir, platform="p", python="3.14", run=commands.append, require_hashes=True
    )
    bundler.try_bundle(str(tmp_path))
    (command,) = commands
    assert "--require-hashes" in command
    own_handler_code(handler_dir, require_hashes=True)  # accepted: every line has a hash


def test_fails_when_hashes_are_required_and_a_line_has_none(handler_dir: Path) -> None:
    (handler_dir / "requirements.txt").write_text(
        "requests==2.32.3 --hash=sha256:" + "0" * 64 + "\nurllib3==2.2.3\n"
    )
    with pytest.raises(
        ConfigurationError,
        match=re.escape(
            "require_hashes=True, but requirements.txt has requirements without "
            "--hash: ['urllib3==2.2.3']"
        ),
    ):
        own_handler_code(handler_dir, require_hashes=True)


@pytest.mark.parametrize(
    ("requirements", "unpinned"),
    [
        ("requests>=2\n", ["requests>=2"]),
        ("requests\nboto3==1.35.0\n", ["requests"]),
        ("requests==2.*\n", ["requests==2.*"]),
        ("git+https://example.com/pkg.git\n", ["git+https://example.com/pkg.git"]),
    ],
)
def test_unpinned_requirements_leave_a_synth_warning(
    stack: Stack, handler_dir: Path, requirements: str, unpinned: list[str]
) -> None:
    (handler_dir / "requirements.txt").write_text(requirements)
    own_handler_function(stack, "Sender", folder=handler_dir, handler="app.handler")
    warnings = Annotations.from_stack(stack).find_warning(
        "/TestStack/Sender", Match.string_like_regexp(UNPINNED_WARNING)
    )
    assert len(warnings) == 1
    assert f"does not pin {unpinned!r} to one version" in str(warnings[0].entry.data)


def test_pinned_requirements_leave_no_warning(stack: Stack, handler_dir: Path) -> None:
    (handler_dir / "requirements.txt").write_text(
        "# pinned\nrequests==2.32.3  # http\n-r other.txt\npkg[extra]==1.0 ; python_version > '3'\n"
    )
    own_handler_function(stack, "Sender", folder=handler_dir, handler="app.handler")
    assert Annotations.from_stack(stack).find_warning("*", Match.any_value()) == []
