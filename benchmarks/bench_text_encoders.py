"""Text encoder speed: model load, sentence vectors and contextual word vectors, by batch size and threads.

Usage::

    python benchmarks/bench_text_encoders.py [--threads 2] [--n 1000] [--configs 2x1,1x2] [--baseline]

Prints one table per measurement, warm (after one warm-up call): wall sentences per second and CPU
milliseconds per sentence (process time, all threads), with the 1-minute load average, since wall time on a
shared machine depends on what else runs. ``--configs`` compares parallelism (``WxT`` = W worker threads of
T torch threads); ``--baseline`` adds ``SentenceTransformer.encode`` and a bare ``AutoModel`` forward on
pre-tokenised padded batches (the floor: ~80 % of the time is the network's matrix products).
``--senses`` also prints the adjusted Rand index of every bundled word by layer. Targets (issue 4):
>= 500 sentences/s warm for both, model ready <= 5 s after first use.
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


def rate(fn, n: int, repeat: int = 2) -> str:
    """Best wall sentences/s and CPU ms per sentence over ``repeat`` runs, and the load average, as text."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        fn()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return f"{n / wall:>8.0f} {1000 * cpu / n:>8.2f} {os.getloadavg()[0]:>6.2f}"


HEAD = f"{'sent/s':>8} {'cpu ms':>8} {'load':>6}"


def baseline(enc, sents: list[str], batch: int = 32) -> None:
    """The same model without embedlab: ``SentenceTransformer.encode`` and a bare ``AutoModel`` forward."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel

    st = SentenceTransformer(str(enc.path), device="cpu")
    model = AutoModel.from_pretrained(str(enc.path), local_files_only=True).eval()
    toks = enc.tokenize(sents)
    pad = []
    for idx in enc._batches(toks, batch):
        width = max(len(toks[i].ids) for i in idx)
        ids = torch.zeros((len(idx), width), dtype=torch.long)
        for row, i in enumerate(idx):
            ids[row, : len(toks[i].ids)] = torch.tensor(toks[i].ids)
        pad.append((ids, (ids != 0).long()))

    def bare() -> None:
        with torch.inference_mode():
            for ids, mask in pad:
                model(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids))

    st.encode(sents[:64], batch_size=batch)
    print(f"\nbaselines, batch {batch}, torch threads = {torch.get_num_threads()}")
    print(f"{'':>34} {HEAD}")
    st_rate = rate(lambda: st.encode(sents, batch_size=batch), len(sents))
    print(f"{'SentenceTransformer.encode':>34} {st_rate}")
    print(f"{'bare AutoModel forward (padded)':>34} {rate(bare, len(sents))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--batches", default="8,16,32,64,128")
    ap.add_argument("--configs", default="2x1", help="parallelism to compare: WxT,... (workers x threads)")
    ap.add_argument("--baseline", action="store_true", help="also time SentenceTransformer and AutoModel")
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

    n_ctx = sum(len(ss) for _, ss in groups)
    for cfg in args.configs.split(","):
        enc.workers, enc.torch_threads = (int(x) for x in cfg.split("x"))
        if enc.workers == 1:  # runs in this thread, with this thread's torch setting
            torch.set_num_threads(enc.torch_threads)
        print(f"\n== {enc.workers} worker(s) x {enc.torch_threads} torch thread(s) ==")
        print("sentence vectors (mean-pooled, normalised), warm")
        print(f"{'batch':>6} {'length-sorted':>26} {'unsorted':>26}")
        print(f"{'':>6} {HEAD} {HEAD}")
        for b in (int(x) for x in args.batches.split(",")):
            sorted_rate = rate(lambda b=b: enc.encode(sents, batch_size=b), len(sents))
            unsorted = rate(lambda b=b: [enc.encode(sents[i:i + b], batch_size=b)
                                         for i in range(0, len(sents), b)], len(sents))
            print(f"{b:>6} {sorted_rate} {unsorted}")

        print("contextual word vectors (all 7 layers, word located + pooled), warm; last layer at the "
              "word's tokens only (map_states_at) vs the full pass")
        print(f"{'batch':>6} {'last layer at word':>26} {'full pass':>26}")
        print(f"{'':>6} {HEAD} {HEAD}")
        for b in (16, 32, 64):
            row = []
            for fast in (True, False):
                enc.fast_states_at = fast
                row.append(rate(lambda b=b: [contextual_vectors(ss, w, batch_size=b) for w, ss in groups],
                                n_ctx))
            enc.fast_states_at = True
            print(f"{b:>6} {row[0]} {row[1]}")
    if args.baseline:
        baseline(enc, sents)

    if args.senses:
        from embedlab.senses import sense_table

        table = sense_table()
        table.loc["mean"] = table.mean()
        print("\nadjusted Rand index of a 2-cluster k-means split vs the senses, by layer")
        print(table.round(2).to_string())


if __name__ == "__main__":
    main()
