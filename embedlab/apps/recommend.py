"""Recommendations: "more like this" over any space (images, texts), and item2vec.

item2vec (Barkan & Koenigstein 2016) is word2vec on sequences of item ids (baskets, playlists, sessions):
items bought or played together get close vectors, so an item's neighbours are recommendations. The
bundled file ``sample_data/apps/baskets.txt`` is synthetic (made by :func:`make_baskets`, seed 0; the
project's own licence, Apache-2.0): shopping baskets drawn from themed groups of grocery items with noise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedlab.errors import EmptyInputError, InputTooLargeError, InvalidParameterError
from embedlab.neighbours import most_similar
from embedlab.resources import data_path
from embedlab.space import EmbeddingSpace
from embedlab.uploads import MB, check_size, decode_text

BASKETS_FILE = data_path("apps", "baskets.txt")
MAX_SEQUENCE_BYTES = 5 * MB
MAX_SEQUENCES = 100_000
THEMES = {
    "breakfast": "bread butter jam coffee milk cereal eggs orange_juice",
    "pasta-night": "spaghetti tomato_sauce parmesan basil garlic olive_oil red_wine",
    "barbecue": "sausages burger_buns ketchup charcoal beer corn_on_the_cob mustard",
    "baby": "nappies baby_wipes baby_food formula_milk teething_ring",
    "baking": "flour sugar baking_powder vanilla cocoa icing_sugar",
    "cleaning": "bleach sponges bin_bags washing_up_liquid kitchen_roll",
    "curry": "rice chicken curry_paste coconut_milk naan mango_chutney",
    "party": "crisps dip lemonade paper_cups balloons",
}
ITEM_THEME = {item: theme for theme, items in THEMES.items() for item in items.split()}


def more_like_this(space: EmbeddingSpace, key: str, topn: int = 8) -> list[tuple[str, float]]:
    """The ``topn`` items most similar (cosine) to ``key``, best first (``key`` itself excluded)."""
    if len(space) < 2:
        raise EmptyInputError(f"{space.name} has only {len(space)} item(s); recommendations need at least 2.")
    return most_similar(space, positive=[space.resolve(key)], topn=min(int(topn), len(space) - 1))


def make_baskets(n: int = 3000, seed: int = 0, noise: float = 0.15) -> list[list[str]]:
    """Synthetic baskets: each draws 2-5 items from one theme (sometimes two), plus random noise items."""
    rng = np.random.default_rng(seed)
    themes = {t: items.split() for t, items in THEMES.items()}
    names = list(themes)
    everything = sorted({i for items in themes.values() for i in items})
    out = []
    for _ in range(int(n)):
        chosen = [names[rng.integers(len(names))]]
        if rng.random() < 0.2:
            chosen.append(names[rng.integers(len(names))])
        basket = []
        for t in chosen:
            items = themes[t]
            k = int(rng.integers(2, min(5, len(items)) + 1))
            basket += [items[i] for i in rng.choice(len(items), size=k, replace=False)]
        basket += [everything[rng.integers(len(everything))] for _ in range(rng.binomial(3, noise))]
        out.append([basket[i] for i in rng.permutation(len(basket))])
    return out


def parse_sequences(
    name: str, data: bytes, max_bytes: int = MAX_SEQUENCE_BYTES, max_sequences: int = MAX_SEQUENCES
) -> list[list[str]]:
    """One sequence per line; item ids separated by spaces, commas or tabs. Lines with < 2 items are dropped.

    Raises
    ------
    InputTooLargeError, FormatError, EmptyInputError
    """
    check_size(name, len(data), max_bytes)
    text = decode_text(name, data).text
    seqs = []
    for line in text.splitlines():
        items = [t for t in line.replace(",", " ").replace("\t", " ").split() if t]
        if len(items) >= 2:
            seqs.append(items)
        if len(seqs) > max_sequences:
            raise InputTooLargeError(f"{name}: more than {max_sequences:,} sequences; keep a sample.")
    if not seqs:
        raise EmptyInputError(
            f"{name}: no line has two or more item ids. Put one basket/session per line, "
            "ids separated by spaces or commas."
        )
    return seqs


def bundled_baskets() -> list[list[str]]:
    """The bundled basket file (see the module docstring)."""
    if not BASKETS_FILE.is_file():
        raise InvalidParameterError(f"{BASKETS_FILE} is missing; re-create it with make_baskets().")
    return parse_sequences(BASKETS_FILE.name, BASKETS_FILE.read_bytes())


class Item2Vec:
    """word2vec (gensim skip-gram) over item sequences; the whole sequence is the context window.

    Parameters
    ----------
    vector_size, epochs, negative, min_count : int
    random_state : int
        Seed; training runs on one worker so a seed gives the same vectors.

    Attributes
    ----------
    embedding_ : EmbeddingSpace
        One vector per item (keys = item ids, most frequent first; meta ``count``).
    """

    def __init__(
        self,
        vector_size: int = 32,
        epochs: int = 20,
        negative: int = 5,
        min_count: int = 2,
        random_state: int = 0,
    ):
        self.vector_size = vector_size
        self.epochs = epochs
        self.negative = negative
        self.min_count = min_count
        self.random_state = random_state

    def fit(self, sequences: Sequence[Sequence[str]]) -> Item2Vec:
        import pandas as pd
        from gensim.models import Word2Vec

        seqs = [[str(i) for i in s] for s in sequences if len(s) >= 2]
        if not seqs:
            raise EmptyInputError("No sequence has two or more items; item2vec learns from co-occurrence.")
        window = max(len(s) for s in seqs)
        model = Word2Vec(
            seqs,
            vector_size=int(self.vector_size),
            window=window,
            min_count=int(self.min_count),
            sg=1,
            negative=int(self.negative),
            epochs=int(self.epochs),
            workers=1,
            seed=int(self.random_state),
            sample=0,
        )
        kv = model.wv
        if len(kv) < 2:
            raise EmptyInputError(
                f"Fewer than 2 items occur at least {self.min_count} times; add sequences or lower min_count."
            )
        counts = [kv.get_vecattr(k, "count") for k in kv.index_to_key]
        self.embedding_ = EmbeddingSpace(
            list(kv.index_to_key),
            kv.vectors.copy(),
            pd.DataFrame({"count": counts}),
            name="item2vec",
            info={
                "kind": "items",
                "sequences": len(seqs),
                "method": "item2vec (gensim skip-gram, whole-sequence window)",
            },
        )
        return self
