"""Train your own embeddings: word2vec (CBOW, skip-gram) via gensim and our own GloVe, live.

Heavy libraries (gensim, numba, scipy) are imported inside functions, so importing this package is cheap.
"""

from embedlab.train.base import EpochState, TrainResult
from embedlab.train.corpus import Corpus, CorpusStats, TokenOptions, load_corpus, prepare, stats
from embedlab.train.glove import GloVeParams, fit_glove
from embedlab.train.live import DEFAULT_WATCH, TRAIN_METHODS, make_params, run, start, train
from embedlab.train.word2vec import Word2VecParams, fit_word2vec

__all__ = [
    "DEFAULT_WATCH", "TRAIN_METHODS", "Corpus", "CorpusStats", "EpochState", "GloVeParams", "TokenOptions",
    "TrainResult", "Word2VecParams", "fit_glove", "fit_word2vec", "load_corpus", "make_params", "prepare",
    "run", "start", "stats", "train",
]
