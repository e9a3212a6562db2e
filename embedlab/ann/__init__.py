"""Neighbours at scale: compressed FAISS indexes (float16, int8 scalar quantisation, IVF-PQ) persisted
beside a space; see :mod:`embedlab.ann.compressed`. The hnswlib index of ordinary spaces is
:mod:`embedlab.index`."""

from embedlab.ann.compressed import METHODS, CompressedIndex, IndexParams, exact_topk, index_path, recall

__all__ = ["METHODS", "CompressedIndex", "IndexParams", "exact_topk", "index_path", "recall"]
