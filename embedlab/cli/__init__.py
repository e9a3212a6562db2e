"""The ``embedlab`` command line: one sub-command module per area, each with ``register(subparsers)``.

Every command takes ``--json`` for scripting. User errors print one sentence on stderr and exit 2; a reader
that stops early (``embedlab info X --json | head -1``) ends the command quietly with exit status 141, as a
process killed by SIGPIPE would. A path that cannot be used (missing, a folder, not allowed) is such an
error too, whichever command trips on it. Anything else is a bug: one line on stderr (``embedlab:
unexpected error: TypeName: message``) and exit status 1; ``--debug`` (anywhere on the line) prints the
traceback too.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from embedlab.cli import (
    ann,
    app,
    apps,
    batch,
    bias,
    compare,
    contextual,
    core,
    encoders,
    graph,
    images,
    train,
)
from embedlab.cli._output import silence_stdout
from embedlab.errors import EmbedlabError, one_line

# Each module defines ``register(subparsers)`` and sets ``func`` on its parsers via ``set_defaults``; they
# are imported plainly (so the import graph sees them) and keep heavy imports (torch, transformers, umap,
# faiss) inside their functions, so ``embedlab --help`` stays fast.
COMMAND_MODULES = (core, ann, train, encoders, bias, contextual, images, apps, compare, batch, graph, app)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="embedlab",
        description="Explore, train and measure embeddings. SPACE is a bundled name (glove-50d), "
        "a saved space name, or a vectors file path.",
    )
    parser.add_argument("--debug", action="store_true",
                        help="print the traceback of an unexpected error (may come anywhere on the line)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in COMMAND_MODULES:
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if "--debug" in extra:  # given after the command: the sub-parser passed it on
        extra = [a for a in extra if a != "--debug"]
        args.debug = True
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
    except OSError as exc:
        if exc.filename is None:  # no path of the user's to name: not theirs to fix
            return unexpected(exc, args.debug)
        return file_error(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, said in one line
        return unexpected(exc, args.debug)


_FILE_HINTS = {
    FileNotFoundError: "Check the path.",
    IsADirectoryError: "Give a file, not a folder.",
    NotADirectoryError: "A part of the path is a file, not a folder.",
    PermissionError: "Check its permissions, or use another path.",
}


def file_error(exc: OSError) -> int:
    """A file the command was given cannot be used (missing, a folder, not allowed): one sentence, exit 2.

    Every command reads and writes the paths it is given; whichever one trips, the system's own words
    name the problem and this names the path.
    """
    what = (exc.strerror or type(exc).__name__).rstrip(".")
    hint = next((h for kind, h in _FILE_HINTS.items() if isinstance(exc, kind)), "Check the path.")
    print(f"embedlab: error: '{exc.filename}': {what}. {hint}", file=sys.stderr)
    return 2


def unexpected(exc: Exception, debug: bool = False) -> int:
    """Report a bug: one line on stderr (the traceback too with ``--debug``); exit status 1."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    hint = "" if debug else " (run with --debug for the traceback)"
    print(f"embedlab: unexpected error: {one_line(exc)}{hint}", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
