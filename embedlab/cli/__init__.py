"""The ``embedlab`` command line: one sub-command module per area, each with ``register(subparsers)``.

Every command takes ``--json`` for scripting. User errors print one sentence on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from embedlab.errors import EmbedlabError

# Each module defines ``register(subparsers)`` and sets ``func`` on its parsers via ``set_defaults``.
COMMAND_MODULES = [
    "embedlab.cli.core",
    "embedlab.cli.ann",
    "embedlab.cli.train",
    "embedlab.cli.bias",
    "embedlab.cli.contextual",
    "embedlab.cli.images",
    "embedlab.cli.graph",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="embedlab",
        description="Explore, train and measure embeddings. SPACE is a bundled name (glove-50d), "
        "a saved space name, or a vectors file path.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in COMMAND_MODULES:
        importlib.import_module(mod).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        return int(args.func(args) or 0)
    except EmbedlabError as exc:
        print(f"embedlab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("embedlab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
