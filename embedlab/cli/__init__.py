"""The ``embedlab`` command line: one sub-command module per area, each with ``register(subparsers)``.

Every command takes ``--json`` for scripting. User errors print one sentence on stderr and exit 2; a reader
that stops early (``embedlab info X --json | head -1``) ends the command quietly with exit status 141, as a
process killed by SIGPIPE would.
"""

from __future__ import annotations

import argparse
import sys

from embedlab.cli import ann, app, apps, batch, bias, compare, contextual, core, graph, images, train
from embedlab.cli._output import silence_stdout
from embedlab.errors import EmbedlabError

# Each module defines ``register(subparsers)`` and sets ``func`` on its parsers via ``set_defaults``; they
# are imported plainly (so the import graph sees them) and keep heavy imports (torch, transformers, umap,
# faiss) inside their functions, so ``embedlab --help`` stays fast.
COMMAND_MODULES = (core, ann, train, bias, contextual, images, apps, compare, batch, graph, app)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="embedlab",
        description="Explore, train and measure embeddings. SPACE is a bundled name (glove-50d), "
        "a saved space name, or a vectors file path.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in COMMAND_MODULES:
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # only `embedlab app` passes unknown options on (to Streamlit)
        if not getattr(args, "accepts_extra", False):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.streamlit_args = extra
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows up here, not in the interpreter's flush at exit
        return code
    except BrokenPipeError:
        silence_stdout()
        return 141  # 128 + SIGPIPE: what `yes | head -1` reports for `yes`
    except EmbedlabError as exc:
        print(f"embedlab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("embedlab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
