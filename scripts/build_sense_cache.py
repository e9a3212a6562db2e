"""Precompute the transformer's hidden states of every bundled sense set (``sample_data/senses/*.csv``).

The Polysemy explorer and ``embedlab polysemy WORD`` then analyse bundled words without loading the model.
Run again after editing a sense set or changing the default text encoder (a stale entry is simply not
found, and the sentences are embedded live)::

    python scripts/build_sense_cache.py
"""

from __future__ import annotations

import numpy as np

from embedlab.contextual import WHICH, contextual_vectors
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.senses import HIDDEN_STATES, bundled_words, hidden_state_key, load_bundled


def main() -> None:
    out: dict[str, np.ndarray] = {}
    for word in bundled_words():
        ss = load_bundled(word)
        for which in WHICH:
            cv = contextual_vectors(ss.sentences, ss.word, encoder=DEFAULT_TEXT_ENCODER, which=which)
            key = hidden_state_key(ss, which, DEFAULT_TEXT_ENCODER)
            out[key] = cv.vectors.astype(np.float16)
            out[key + "_pieces"] = np.asarray(cv.n_pieces, dtype=np.int16)
        print(f"{word}: {len(ss.sentences)} sentences")
    tmp = HIDDEN_STATES.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **out)
    tmp.replace(HIDDEN_STATES)
    print(f"wrote {HIDDEN_STATES} ({HIDDEN_STATES.stat().st_size / 1e6:.1f} MB, {len(out) // 2} entries)")


if __name__ == "__main__":
    main()
