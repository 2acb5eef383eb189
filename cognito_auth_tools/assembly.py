"""Where a cloud assembly (``cdk.out``) keeps its stack templates, for the commands that read it.

One reader for ``cognito-auth cost`` and ``cognito-auth check-update``, so both find the same
stacks: those of the app and those of its stages (nested assemblies).
https://docs.aws.amazon.com/cdk/v2/guide/stages.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class AssemblyError(ValueError):
    """The folder's ``manifest.json`` cannot be read, or names a template it does not hold."""


def stack_templates(folder: Path) -> list[tuple[str, Path]]:
    """``(stack name, template file)`` for every stack in ``folder``.

    Read through the folder's ``manifest.json`` (display names; the stacks of nested assemblies,
    which stages produce, included), or, without one, every ``*.template.json`` by file name.

    Raises:
        AssemblyError: A manifest is not readable JSON or an artifact lacks its file.
    """
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return [
            (file.name.removesuffix(".template.json"), file)
            for file in sorted(folder.glob("*.template.json"))
        ]
    found: list[tuple[str, Path]] = []
    for artifact_id, artifact in _artifacts(manifest).items():
        kind = artifact.get("type") if isinstance(artifact, dict) else None
        properties = artifact.get("properties") if isinstance(artifact, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        try:
            if kind == "aws:cloudformation:stack":
                name = str(artifact.get("displayName") or artifact_id)
                found.append((name, folder / properties["templateFile"]))
            elif kind == "cdk:cloud-assembly":
                found.extend(stack_templates(folder / properties["directoryName"]))
        except (KeyError, TypeError):
            raise AssemblyError(
                f"{manifest}: artifact {artifact_id!r} names no file (not a cdk.out manifest?)"
            ) from None
    return found


def _artifacts(manifest: Path) -> dict[str, Any]:
    try:
        data = json.loads(manifest.read_text())
    except (OSError, UnicodeDecodeError) as error:
        raise AssemblyError(f"cannot read {manifest}: {error}") from None
    except json.JSONDecodeError as error:
        raise AssemblyError(f"{manifest} is not JSON: {error.msg} at line {error.lineno}") from None
    artifacts = data.get("artifacts") if isinstance(data, dict) else None
    return artifacts if isinstance(artifacts, dict) else {}
