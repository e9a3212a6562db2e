"""Beyond one machine: batch embedding on Dask, output folders that open as (memory-mapped) spaces,
million-point maps.

>>> from embedlab.batch import embed, open_space          # doctest: +SKIP
>>> embed("products.csv", kind="text", out="products-emb", workers=2)   # doctest: +SKIP
>>> space = open_space("products-emb")                     # doctest: +SKIP

Modules: :mod:`.inputs` (shards of an input), :mod:`.cluster` (local or remote Dask cluster, worker tasks),
:mod:`.run` (:func:`embed`), :mod:`.store` (output folder, :func:`open_space`), :mod:`.links` (named
outputs for the app's space picker), :mod:`.maps` (projections fitted on a sample, applied in parallel).
Dask is imported only when a cluster is needed.
"""

from embedlab.batch.run import BatchResult, embed
from embedlab.batch.store import is_output, open_space

__all__ = ["BatchResult", "embed", "is_output", "open_space"]
