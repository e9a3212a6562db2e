"""Neighbour indexes behind one seam (:class:`~embedlab.ann.base.NeighbourIndex`: ``search``, ``save``,
``load`` with a sidecar beside the space, :func:`~embedlab.ann.base.recall`): hnswlib for ordinary spaces
(:mod:`embedlab.ann.hnsw`), compressed FAISS indexes for millions of vectors (:mod:`embedlab.ann.compressed`).
:func:`embedlab.neighbours.most_similar` searches through either with ``index=``."""

from embedlab.ann.base import IndexMismatchError, NeighbourIndex, exact_topk, recall
from embedlab.ann.compressed import METHODS, CompressedIndex, IndexParams
from embedlab.ann.hnsw import HnswIndex, default_index, get_index

__all__ = ["METHODS", "CompressedIndex", "HnswIndex", "IndexMismatchError", "IndexParams", "NeighbourIndex",
           "default_index", "exact_topk", "get_index", "recall"]
