"""Applications benchmark: what each feature kind costs, and dense vs one-hot lookups.

Usage::

    python benchmarks/bench_apps.py

Prints one table: featurising the 200 bundled movie-review sentences (bag-of-words, averaged glove-50d,
MiniLM without the disk cache), one BM25 and one semantic query over 300 news sentences, and the time
per word lookup of a dense row vs a one-hot product at three vocabulary sizes. Timings are wall-clock on
whatever machine runs it; compare rows of one run only (note the machine's load when quoting them).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from _table import print_table  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="embedlab-bench-"))

from embedlab.apps.benefits import lookup_speed  # noqa: E402
from embedlab.apps.data import load_collection, load_labelled  # noqa: E402
from embedlab.apps.features import bow_features, dense_features, sentence_vectors  # noqa: E402
from embedlab.apps.search import BM25  # noqa: E402
from embedlab.encoders.base import get_encoder  # noqa: E402
from embedlab.registry import load  # noqa: E402


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    texts = load_labelled("pang-lee").texts
    docs = load_collection("lee-news", limit=300)
    glove = load("glove-50d")
    enc = get_encoder("minilm-l6")
    enc.encode(["warm up"])
    rows = [
        (
            "bag-of-words, 200 sentences (fit + transform)",
            f"{timed(lambda: bow_features(texts, texts)):.3f} s",
            "",
        ),
        (
            "averaged glove-50d, 200 sentences",
            f"{timed(lambda: dense_features(texts, 'glove-50d')):.3f} s",
            "",
        ),
        (
            "MiniLM, 200 sentences (no cache)",
            f"{timed(lambda: sentence_vectors(texts, use_cache=False)):.3f} s",
            "2 CPU threads",
        ),
    ]
    vecs = sentence_vectors(docs)
    bm25 = BM25().fit(docs)
    rows.append(
        ("BM25 query, 300 sentences", f"{1e3 * timed(lambda: bm25.score('wildfire near Sydney')):.2f} ms", "")
    )
    rows.append(
        (
            "semantic query, 300 sentences (encode + dot)",
            f"{1e3 * timed(lambda: vecs @ enc.encode(['wildfire near Sydney'])[0]):.2f} ms",
            "",
        )
    )
    for vocab in (5_000, 20_000, 50_000):
        dense, onehot = lookup_speed(glove, n=2000, one_hot_vocab=vocab)
        rows.append((f"lookup, dense row (vocab {vocab:,})", f"{dense['us_per_lookup']:.2f} us", ""))
        rows.append(
            (
                f"lookup, one-hot x matrix (vocab {vocab:,})",
                f"{onehot['us_per_lookup']:.2f} us",
                f"{onehot['us_per_lookup'] / dense['us_per_lookup']:.0f}x the dense lookup",
            )
        )
    print_table(rows, value_width=12)


if __name__ == "__main__":
    main()
