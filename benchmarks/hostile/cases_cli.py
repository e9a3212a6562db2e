"""CLI cases (issue 22, second round, items 2, 7, 9, 11, 12, 13): a reference command, missing files, a bug
in a command, a CSV cell over 128 KB, continuing skip-gram as CBOW, a map with no usable pair, summarising a
binary file and a one-class node labelling."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from hostile import Case, cli

ROOT = Path(__file__).resolve().parents[2]
GOOD = ["a warm and funny film,pos", "great acting and a moving story,pos", "I loved every minute,pos",
        "a delightful surprise,pos", "a beautiful and clever movie,pos", "dull and far too long,neg",
        "the plot makes no sense,neg", "boring from start to finish,neg", "a waste of a good cast,neg",
        "clumsy and lifeless,neg"]


def _text(w: Path) -> None:
    (w / "a.txt").write_text("the cat sat on the mat\n" * 50)


def _long_cell_csv(w: Path) -> None:
    """30 short reviews and one of 208,000 characters (past the csv module's 131,072 a cell)."""
    rows = GOOD * 3 + ['"a long review ' + "the film is long and slow " * 8000 + '",neg']
    (w / "long.csv").write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")


def _corpus(w: Path) -> None:
    with gzip.open(ROOT / "sample_data" / "corpus" / "default.txt.gz", "rt", encoding="utf-8") as f:
        (w / "corpus.txt").write_text("".join(line for _, line in zip(range(3000), f, strict=False)))


def _binary(w: Path) -> None:
    (w / "report.bin").write_bytes(zlib.compress(b"the cat sat on the mat. " * 5000) + bytes(range(256)))


def _one_class(w: Path) -> None:
    (w / "one.labels").write_text("".join(f"{i},a\n" for i in range(34)))


def _steps(*commands: list[str], last: str = "") -> list[str]:
    """``python -c`` running ``embedlab`` commands in turn: earlier ones must succeed (their output is
    hidden); the last one's stderr is passed on, then ``last`` (Python code) runs if it succeeded."""
    code = ("import subprocess, sys\nE = [sys.executable, '-m', 'embedlab']\n"
            + "".join(f"subprocess.run(E + {c!r}, check=True, capture_output=True)\n" for c in commands[:-1])
            + f"r = subprocess.run(E + {commands[-1]!r}, capture_output=True, text=True)\n"
            + "sys.stderr.write(r.stderr.strip().splitlines()[-1] + '\\n' if r.stderr.strip() else '')\n"
            + "sys.stdout.write(r.stdout)\n"
            + (f"if r.returncode == 0:\n    {last}\n" if last else "")
            + "sys.exit(r.returncode)\n")
    return ["{python}", "-c", code]


def _bug_in_a_command() -> list[str]:
    """A bug (a TypeError inside ``info``) reaches the CLI's last line of defence."""
    code = ("import sys, embedlab.registry as r\n"
            "def load(*a, **k):\n    raise TypeError('simulated bug in load')\n"
            "r.load = load\nfrom embedlab.cli import main\nsys.exit(main(['info', 'glove-50d']))\n")
    return ["{python}", "-c", code]


TRAIN = ["--corpus", "corpus.txt", "--epochs", "1", "--min-count", "2", "--workers", "1", "--no-eval"]
CASES = [
    cli("reference: neighbours glove king", "neighbours", "glove-50d", "king", "--k", "3"),
    cli("slices a missing file", "slices", "a.txt", "nope.txt", "--prefix", "x", setup=_text,
        check=lambda out, err: "nope.txt" in err and "No such file" in err),
    cli("graph embed: missing --labels file", "graph", "embed", "karate", "--labels", "nope.labels",
        "--out", "g", check=lambda out, err: "nope.labels" in err and "does not exist" in err),
    Case("a bug in a command: one line", _bug_in_a_command(),
         check=lambda out, err: len(err.strip().splitlines()) == 1 and "unexpected error: TypeError" in err),
    cli("classify: a CSV cell over 128 KB", "classify", "long.csv", "--features", "bow", setup=_long_cell_csv,
        check=lambda out, err: "bow" in out),
    Case("train: continue skip-gram as --cbow",
         _steps(["train", "word2vec", "--out", "base", "--dim", "16", *TRAIN],
                ["train", "--continue-from", "base", "--cbow", "--out", "cont", *TRAIN],
                last="print([x for x in subprocess.run(E + ['info', 'cont'], capture_output=True, text=True)"
                     ".stdout.splitlines() if x.startswith('params')])"),
         setup=_corpus, check=lambda out, err: "skip-gram" in err and "CBOW" in err and "saved" not in out),
    cli("map: no pair in both spaces", "map", "glove-50d", "glove-50d", "--pairs", "de-en.tsv",
        setup=lambda w: (w / "de-en.tsv").write_text(  # none of them is a GloVe key, in any case
            "Eichhörnchen\tsquirrel\nKühlschrank\tfridge\nSchmetterling\tbutterfly\nHandschuh\tglove\n"),
        check=lambda out, err: "None of the 4 seed pairs" in err and "'Eichhörnchen'" in err),
    cli("summarise a binary file", "summarise", "report.bin", setup=_binary,
        check=lambda out, err: "binary" in err and not out.strip()),
    Case("graph classify: one class", _steps(
        ["graph", "embed", "karate", "--out", "kk", "--dim", "8", "--num-walks", "2", "--walk-length", "10"],
        ["graph", "classify", "kk", "--labels", "one.labels"]), setup=_one_class,
         check=lambda out, err: "only 'a'" in err and "np.str_" not in err),
]
