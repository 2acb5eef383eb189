"""``cognito-auth``: commands that read synthesized CloudFormation templates.

Each command lives in its own module, which gives ``add_arguments(parser)`` and ``run(args)``;
the module is imported only when its command runs, so ``cognito-auth --help`` stays instant.
Exit 0: fine; 1: the command found what it looks for (a harmful change); 2: usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

PROG = "cognito-auth"
EXIT_USAGE = 2

# command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "cost": ("cognito_auth_tools.cost", "estimate the monthly cost of synthesized templates"),
    "check-update": (
        "cognito_auth_tools.update_guard",
        "flag template changes that would lose users or fail to deploy",
    ),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Read synthesized CloudFormation templates of Cognito apps."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    # First pass: only the command name, so the command's own module adds its arguments.
    known, _ = parser.parse_known_args(args_list[:1] or ["--help"])
    module = importlib.import_module(known._module)
    name = args_list[0]
    command_parser = argparse.ArgumentParser(
        prog=f"{PROG} {name}",
        description=COMMANDS[name][1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    module.add_arguments(command_parser)
    args = command_parser.parse_args(args_list[1:])
    result: int = module.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
