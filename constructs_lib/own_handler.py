"""Your own trigger handler from a folder, with its ``requirements.txt`` packaged without Docker.

``aws_lambda_python_alpha.PythonFunction`` needs a Docker engine, which many workstations and CI
runners do not have. Here pip runs on the build machine instead, asked for wheels of the Lambda
platform (``manylinux2014_aarch64`` or ``_x86_64``) and Python version only (``--only-binary``),
so what it installs runs on Lambda whatever the build machine is (see
https://docs.aws.amazon.com/lambda/latest/dg/python-package.html#python-package-native-libraries).

    sender = own_handler_function(self, "EmailSender", folder="handlers/email_sender",
                                  handler="app.handler")
    CognitoAuth(self, "Auth", triggers=Triggers(
        own={cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER: sender.function}))
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import Annotations, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from constructs_lib import defaults
from constructs_lib.errors import ConfigurationError
from constructs_lib.triggers import TriggerFunction

REQUIREMENTS = "requirements.txt"
#: Files that look like secrets or local state never enter the asset (which is uploaded to the
#: CDK staging bucket and readable by whoever may read the function's code).
SECRET_LOOKING = (
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p8",
    "*.p12",
    "*.pfx",
    "id_rsa*",
    "id_ed25519*",
    ".git",
    ".aws",
    ".ssh",
    ".netrc",
    ".npmrc",
    ".pypirc",
)
COPY_IGNORE = ("__pycache__", "*.pyc", ".venv", ".pytest_cache", "tests", *SECRET_LOOKING)
#: Id of the synth warning for requirement lines that do not pin one exact version.
UNPINNED_WARNING = "cognito-auth:unpinned-requirements"

Runner = Callable[[Sequence[str]], None]


def _run(command: Sequence[str]) -> None:
    subprocess.run(command, check=True)


def pip_platform(architecture: lambda_.Architecture) -> str:
    # jsii proxies never compare equal: compare the architecture by name.
    arm = architecture.name == lambda_.Architecture.ARM_64.name
    return "manylinux2014_aarch64" if arm else "manylinux2014_x86_64"


def python_version(runtime: lambda_.Runtime) -> str:
    """``"3.14"`` for ``python3.14``."""
    return runtime.name.removeprefix("python")


def requirement_lines(folder: Path) -> list[str]:
    """The requirement lines of ``folder/requirements.txt`` (continuations joined, comments and
    blank lines dropped), or ``[]`` without the file."""
    path = folder / REQUIREMENTS
    if not path.exists():
        return []
    joined = path.read_text().replace("\\\n", " ")
    lines = [line.split(" #", 1)[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def unpinned_requirements(lines: Sequence[str]) -> list[str]:
    """Requirements that do not pin one exact version with ``==`` (options such as ``-r`` or
    ``--index-url`` are not requirements); a URL or path requirement counts as unpinned."""
    unpinned = []
    for line in lines:
        if line.startswith("-"):
            continue
        spec = line.split("--hash", 1)[0].split(";", 1)[0].strip()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-\[\], ]*===?\s*[A-Za-z0-9._+!\-]+", spec):
            unpinned.append(spec)
    return unpinned


def unhashed_requirements(lines: Sequence[str]) -> list[str]:
    """Requirements without a ``--hash=``: pip refuses them with ``--require-hashes``."""
    return [
        line.split(" ", 1)[0] for line in lines if not line.startswith("-") and "--hash" not in line
    ]


@jsii.implements(ILocalBundling)
class LocalPipBundling:
    """Installs ``requirements.txt`` for the Lambda platform with the local pip, then copies the
    handler folder beside it.

    Args:
        folder: The handler folder.
        platform: The pip platform tag (``manylinux2014_aarch64``).
        python: The Lambda Python version (``3.14``).
        run: Runs a command; replaced in tests. Default: ``subprocess.run(check=True)``.
    """

    def __init__(
        self,
        folder: Path,
        *,
        platform: str,
        python: str,
        run: Runner = _run,
        require_hashes: bool = False,
    ) -> None:
        self.folder = folder
        self.platform = platform
        self.python = python
        self.run = run
        self.require_hashes = require_hashes

    def pip_command(self, output_dir: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--requirement",
            str(self.folder / REQUIREMENTS),
            "--target",
            output_dir,
            "--platform",
            self.platform,
            "--python-version",
            self.python,
            "--implementation",
            "cp",
            "--only-binary=:all:",
            "--no-compile",
            "--quiet",
            "--disable-pip-version-check",
            *(["--require-hashes"] if self.require_hashes else []),
        ]

    # jsii hands the bundling options over positionally, the type stubs by keyword: take both.
    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        """Bundle into ``output_dir`` and return True. A pip failure raises with pip's own
        message rather than falling back to a Docker build that would fail less clearly."""
        if (self.folder / REQUIREMENTS).exists():
            self.run(self.pip_command(output_dir))
        shutil.copytree(
            self.folder,
            output_dir,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(*COPY_IGNORE),
        )
        return True


def own_handler_code(
    folder: str | Path,
    *,
    runtime: lambda_.Runtime = defaults.TRIGGER_RUNTIME,
    architecture: lambda_.Architecture = defaults.TRIGGER_ARCHITECTURE,
    require_hashes: bool = False,
) -> lambda_.Code:
    """The code of a handler folder, with its ``requirements.txt`` installed for Lambda.
    Secret-looking files (``SECRET_LOOKING``: ``.env``, ``*.pem``, ``*.key``, ``.git``...) are
    left out of the asset.

    Args:
        require_hashes: Install with pip's ``--require-hashes``: every requirement must carry
            ``--hash=`` (``pip-compile --generate-hashes``), so every machine installs the same
            files. Recommended. Default: False.

    Raises:
        ConfigurationError: when ``folder`` is not a folder, or ``require_hashes`` is on and a
            requirement has no hash.
    """
    path = Path(folder).resolve()
    if not path.is_dir():
        raise ConfigurationError(f"own handler folder {str(folder)!r} is not a folder")
    unhashed = unhashed_requirements(requirement_lines(path)) if require_hashes else []
    if unhashed:
        raise ConfigurationError(
            f"own handler folder {str(folder)!r}: require_hashes=True, but {REQUIREMENTS} has "
            f"requirements without --hash: {unhashed!r}; generate the file with "
            "'pip-compile --generate-hashes' (pip-tools) or 'uv pip compile --generate-hashes'"
        )
    platform, python = pip_platform(architecture), python_version(runtime)
    hashes = " --require-hashes" if require_hashes else ""
    image: DockerImage = runtime.bundling_image
    return lambda_.Code.from_asset(
        str(path),
        exclude=list(COPY_IGNORE),
        bundling=BundlingOptions(
            image=image,
            local=LocalPipBundling(
                path, platform=platform, python=python, require_hashes=require_hashes
            ),
            # The asset hash ignores the local bundler; the target goes into the environment
            # so that a change of architecture or Python version changes the asset.
            environment={
                "PIP_PLATFORM": platform,
                "PIP_PYTHON_VERSION": python,
                **({"PIP_REQUIRE_HASHES": "1"} if require_hashes else {}),
            },
            command=[
                "bash",
                "-c",
                f"if [ -f {REQUIREMENTS} ]; then pip install{hashes} -r {REQUIREMENTS} "
                "-t /asset-output; "
                "fi && cp -au . /asset-output",
            ],
        ),
    )


def own_handler_function(
    scope: Construct,
    construct_id: str,
    *,
    folder: str | Path,
    handler: str,
    environment: Mapping[str, str] | None = None,
    description: str = "Cognito trigger (own handler)",
    runtime: lambda_.Runtime = defaults.TRIGGER_RUNTIME,
    architecture: lambda_.Architecture = defaults.TRIGGER_ARCHITECTURE,
    require_hashes: bool = False,
) -> TriggerFunction:
    """Your own trigger handler as a ``TriggerFunction``: its own role (grant to ``.role``) and
    log group, and the bundled triggers' memory and timeout (inside Cognito's 5 s). Wire
    ``.function`` through ``Triggers(own=...)``.

    Args:
        scope: The parent construct.
        construct_id: Keep it stable.
        folder: The handler folder; a ``requirements.txt`` in it is installed for Lambda.
        handler: ``module.function`` inside the folder.
        environment: Default: none.
        description: Default: "Cognito trigger (own handler)".
        runtime: Default: the bundled triggers' runtime.
        architecture: Default: arm64.
        require_hashes: See ``own_handler_code``; recommended. Without it, a requirement that
            does not pin one version with ``==`` leaves the synth warning
            ``cognito-auth:unpinned-requirements`` (another machine may install another
            version into the same asset). Default: False.
    """
    code = own_handler_code(
        folder, runtime=runtime, architecture=architecture, require_hashes=require_hashes
    )
    function = TriggerFunction(
        scope,
        construct_id,
        handler=handler,
        environment=environment or {},
        description=description,
        code=code,
        runtime=runtime,
        architecture=architecture,
    )
    unpinned = unpinned_requirements(requirement_lines(Path(folder).resolve()))
    if unpinned:
        Annotations.of(function).add_warning_v2(
            UNPINNED_WARNING,
            f"{REQUIREMENTS} of {str(folder)!r} does not pin {unpinned!r} to one version: "
            "another machine or a later synth may install other versions into an asset with "
            "the same hash. Pin every line with '==', and better, generate hashes "
            "(pip-compile --generate-hashes) and pass require_hashes=True.",
        )
    return function
