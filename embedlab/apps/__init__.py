"""Embeddings put to work (no streamlit here; the "Use embeddings" page and the CLI call these).

- :mod:`embedlab.apps.data` — bundled labelled texts and collections; a user's labelled CSV, validated.
- :mod:`embedlab.apps.features` — bag-of-words, averaged word vectors, sentence vectors (disk-cached).
- :mod:`embedlab.apps.classify` — learning curve (accuracy vs examples per class), one split in detail.
- :mod:`embedlab.apps.search` — BM25 next to semantic search; hits only one of them finds.
- :mod:`embedlab.apps.recommend` — "more like this" over any space; item2vec on item sequences.
- :mod:`embedlab.apps.summarise` — extractive summary: centroid + MMR.
- :mod:`embedlab.apps.probes` — linear probes vs shuffled-label baselines; learned directions.
- :mod:`embedlab.apps.benefits` — one-hot vs dense, lookup speed, transfer.
"""
