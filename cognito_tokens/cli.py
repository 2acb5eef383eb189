"""``cognito-token``: verify a Cognito token from the command line.

Prints the verified claims as JSON and exits 0, or prints the failed check on one line to stderr
and exits 1. Exit 2 means the command itself was wrong (arguments, an unreadable JWKS file).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from cognito_tokens.errors import JwksError, TokenError
from cognito_tokens.jwks import JwksCache, UrllibFetcher
from cognito_tokens.verifier import ANY_CLIENT, CognitoJwtVerifier

PROG = "cognito-token"
EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2

_EPILOG = """\
Pass - as TOKEN to read the token from standard input, which keeps it out of shell history
and process listings:  pbpaste | cognito-token verify - --user-pool-id ... --token-use id ...

exit status: 0 verified (claims on stdout as JSON), 1 refused (the failed check on stderr),
2 usage error (bad arguments, unreadable JWKS file)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Verify Amazon Cognito user pool tokens."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    verify = commands.add_parser(
        "verify",
        help="verify one ID or access token and print its claims",
        description="Verify one ID or access token against its user pool and print its claims.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("token", metavar="TOKEN", help="the JWT, or - to read it from stdin")
    verify.add_argument(
        "--user-pool-id", required=True, metavar="POOL_ID", help="e.g. eu-west-1_AbC123"
    )
    verify.add_argument(
        "--token-use", required=True, choices=("id", "access"), help="the kind of token expected"
    )
    clients = verify.add_mutually_exclusive_group(required=True)
    clients.add_argument(
        "--client-id",
        action="append",
        metavar="ID",
        help="an app client the token must be issued to (repeat for several)",
    )
    clients.add_argument(
        "--any-client",
        action="store_true",
        help="explicitly skip the client check (aud / client_id)",
    )
    verify.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="G",
        help="a group required in cognito:groups (repeat: all are required)",
    )
    verify.add_argument(
        "--scope",
        action="append",
        default=[],
        metavar="S",
        help="a scope required in scope (access tokens; repeat: all are required)",
    )
    keys = verify.add_mutually_exclusive_group()
    keys.add_argument("--jwks", metavar="FILE", help="read the JWKS from FILE instead of fetching")
    keys.add_argument(
        "--jwks-uri",
        metavar="URI",
        help="fetch the JWKS here (default: <issuer>/.well-known/jwks.json)",
    )
    verify.add_argument(
        "--issuer",
        metavar="URL",
        help="the exact iss to require (default: derived from the pool id; "
        "amazonaws.com.cn in the China Regions)",
    )
    verify.add_argument(
        "--issuer-type",
        choices=("original", "updated"),
        default="original",
        help="the pool's issuer configuration: original (https://cognito-idp.<region>...) or "
        "updated (https://issuer-cognito-idp.<primary region>..., multi-Region replication); "
        "tokens of the other form are refused (default: original)",
    )
    verify.add_argument(
        "--region",
        metavar="REGION",
        help="the Region of a replica: with --issuer-type updated, where the JWKS is fetched; "
        "with original, the Region whose issuer signed the token (default: the pool id's)",
    )
    verify.add_argument(
        "--allow-http-loopback",
        action="store_true",
        help="allow an http:// JWKS URI on a loopback host (local emulators only)",
    )
    verify.add_argument(
        "--leeway", type=float, default=5.0, metavar="SECONDS", help="clock skew (default: 5)"
    )
    verify.add_argument(
        "--timeout", type=float, default=5.0, metavar="SECONDS", help="JWKS fetch timeout"
    )
    return parser


def _read_token(value: str, stdin: TextIO) -> str:
    return stdin.read().strip() if value == "-" else value.strip()


def _load_jwks(path: str) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``cognito-token``.

    Args:
        argv: The arguments after the program name. Default: ``sys.argv[1:]``.
        stdin: Where ``-`` reads the token. Default: ``sys.stdin``.
        stdout: Where the claims go. Default: ``sys.stdout``.
        stderr: Where a refusal goes. Default: ``sys.stderr``.

    Returns:
        0 when the token was verified, 1 when it was refused, 2 for a usage error.
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE

    def usage(message: str) -> int:
        print(f"{PROG}: error: {message}", file=stderr)
        return EXIT_USAGE

    jwks = None
    if args.jwks:
        try:
            jwks = _load_jwks(args.jwks)
        except (OSError, ValueError) as exc:
            return usage(f"cannot read --jwks {args.jwks}: {exc}")
    cache = JwksCache(
        fetcher=UrllibFetcher(timeout=args.timeout, allow_http_loopback=args.allow_http_loopback)
    )
    try:
        verifier = CognitoJwtVerifier(
            user_pool_id=args.user_pool_id,
            token_use=args.token_use,
            client_id=ANY_CLIENT if args.any_client else args.client_id,
            required_groups=args.group,
            required_scopes=args.scope,
            leeway=args.leeway,
            jwks=jwks,
            issuer_type=args.issuer_type,
            region=args.region,
            issuer=args.issuer,
            jwks_uri=args.jwks_uri,
            cache=cache,
        )
    except JwksError as exc:
        if args.jwks:
            return usage(f"--jwks {args.jwks}: {exc}")
        return usage(f"--{'jwks-uri' if args.jwks_uri else 'issuer'}: {exc}")
    except (ValueError, TokenError) as exc:
        return usage(str(exc))
    try:
        claims = verifier.verify(_read_token(args.token, stdin))
    except TokenError as exc:
        print(f"{PROG}: refused: {type(exc).__name__}: {exc}", file=stderr)
        return EXIT_REFUSED
    print(json.dumps(claims, indent=2, sort_keys=True), file=stdout)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
