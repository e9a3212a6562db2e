"""Text encoder speed: model load, sentence vectors and contextual word vectors, by batch size and threads.

Usage::

    python benchmarks/bench_text_encoders.py [--threads 2] [--n 1000] [--senses]

Prints one table per measurement (sentences per second, warm: after one warm-up call). ``--senses`` also
prints the adjusted Rand index of every bundled word by layer. Targets (issue 4): >= 500 sentences/s warm
for both, model ready <= 5 s after first use.
"""

from __future__ import annotations

import argparse
import os
import time


def corpus(n: int) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """``n`` sentences (bundled sense sets, repeated with a numbered suffix) and the per-word groups."""
    from embedlab.senses import bundled_words, load_bundled

    groups = [(w, load_bundled(w).sentences) for w in bundled_words()]
    flat = [s for _, ss in groups for s in ss]
    out = [flat[i % len(flat)] + ("" if i < len(flat) else f" ({i // len(flat)})") for i in range(n)]
    reps = max(1, n // len(flat))
    return out, [(w, [s + f" ({r})" for r in range(reps) for s in ss]) for w, ss in groups]


def rate(fn, n: int, repeat: int = 2) -> float:
    """Best sentences/s over ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return n / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--batches", default="8,16,32,64,128")
    ap.add_argument("--senses", action="store_true", help="also print the per-word ARI table by layer")
    args = ap.parse_args()

    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as the encoder does; must precede `import torch`
    t0 = time.perf_counter()
    import torch

    from embedlab.contextual import contextual_vectors
    from embedlab.encoders import get_encoder

    torch.set_num_threads(args.threads)
    enc = get_encoder("minilm-l6")
    load_s = time.perf_counter() - t0
    sents, groups = corpus(args.n)
    enc.encode(sents[:64])  # warm-up
    print(f"model ready in {load_s:.2f} s (imports + weights, first use in this process); "
          f"torch threads = {torch.get_num_threads()}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}; "
          f"{len(sents):,} sentences, "
          f"mean {sum(len(t.ids) for t in enc.tokenize(sents)) / len(sents):.1f} tokens")

    print("\nsentence vectors (mean-pooled, normalised), warm")
    print(f"{'batch':>6} {'length-sorted/s':>16} {'unsorted/s':>11}")
    for b in (int(x) for x in args.batches.split(",")):
        sorted_rate = rate(lambda b=b: enc.encode(sents, batch_size=b), len(sents))
        unsorted = rate(lambda b=b: [enc.encode(sents[i:i + b], batch_size=b)
                                     for i in range(0, len(sents), b)], len(sents))
        print(f"{b:>6} {sorted_rate:>16.0f} {unsorted:>11.0f}")

    print("\ncontextual word vectors (all 7 layers, word located + pooled), warm")
    print(f"{'batch':>6} {'sentences/s':>12}")
    n_ctx = sum(len(ss) for _, ss in groups)
    for b in (16, 32, 64):
        r = rate(lambda b=b: [contextual_vectors(ss, w, batch_size=b) for w, ss in groups], n_ctx)
        print(f"{b:>6} {r:>12.0f}")

    if args.senses:
        from embedlab.senses import sense_table

        table = sense_table()
        table.loc["mean"] = table.mean()
        print("\nadjusted Rand index of a 2-cluster k-means split vs the senses, by layer")
        print(table.round(2).to_string())


if __name__ == "__main__":
    main()
