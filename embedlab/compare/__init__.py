"""Compare, align and update spaces: Procrustes alignment, semantic shift, slices, cross-space maps, word
translation between languages (``translation``, ``csls``, ``matching``, ``dictionaries``, ``bilingual``).

Heavy work is numpy only; training (slices, continued training) imports gensim lazily.
"""

from embedlab.compare.align import Alignment, align, procrustes, shared_keys
from embedlab.compare.bilingual import translation_report
from embedlab.compare.dictionaries import SeedDictionary, freedict_pairs, read_dictd, seed_dictionary
from embedlab.compare.mapping import (
    LinearMap,
    fit_map,
    identity_pairs,
    read_pairs,
    seed_pairs,
    split_pairs,
    usable_pairs,
)
from embedlab.compare.matching import PairMatch, fold, match_pairs
from embedlab.compare.shift import MEASURES, ShiftReport, cosine_distance, knn_overlap, most_moved
from embedlab.compare.slices import (
    bundled_slices,
    slices_from_files,
    slices_from_table,
    trace_points,
    train_slices,
    trajectory,
)
from embedlab.compare.translation import WordTranslator

__all__ = [
    "MEASURES", "Alignment", "LinearMap", "PairMatch", "SeedDictionary", "ShiftReport", "WordTranslator",
    "align", "bundled_slices", "cosine_distance", "fit_map", "fold", "freedict_pairs", "identity_pairs",
    "knn_overlap", "match_pairs", "most_moved", "procrustes", "read_dictd", "read_pairs", "seed_dictionary",
    "seed_pairs", "shared_keys", "slices_from_files", "slices_from_table", "split_pairs", "trace_points",
    "train_slices", "trajectory", "translation_report", "usable_pairs",
]
