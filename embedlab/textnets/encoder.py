"""The small encoders as :class:`~embedlab.encoders.base.Encoder` s (kind ``"small-text"``).

Spec options: ``bundled`` (a folder name under ``sample_data/encoders/``) or ``path`` (a model folder, as
saved encoders have), ``normalize`` (default True) and ``device``. ``encode`` returns one vector per text
(ELMo: the mean of the scalar-mixed word vectors; Skip-Thought: the GRU's last state; DAN: the network
on the mean of word and bigram embeddings; InferSent: the max-pooled BiLSTM states), L2-normalised.
Texts are tokenised into lower-case words (:func:`embedlab.textnets.vocab.tokenize`, the first
:data:`~embedlab.textnets.vocab.MAX_TOKENS` read), sorted by length and batched; every recurrent layer
runs on packed sequences, so a text's vector does not depend on its batch. ELMo also gives every layer's
word vectors (:meth:`SmallTextEncoder.map_hidden_states`), which the Polysemy explorer reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from embedlab.encoders.base import EncoderSpec, register_kind
from embedlab.errors import InvalidParameterError
from embedlab.progress import Progress, report
from embedlab.textnets.common import CPU_THREADS, torch_threads
from embedlab.textnets.store import bundled_folder, card_of, read
from embedlab.textnets.vocab import MAX_TOKENS, WordTokens, tokenize


class SmallTextEncoder:
    """``encode(texts) -> (n, dim)`` sentence vectors of a small trained network (see the module doc)."""

    def __init__(self, name: str, folder: Path, normalize: bool = True, device: str = "cpu",
                 torch_threads: int | None = CPU_THREADS):
        self.name = name
        self.torch_threads = torch_threads if device == "cpu" else None
        self.folder = Path(folder)
        self.device = str(device)
        self.net = read(self.folder, self.device)
        self.kind = self.net.kind
        self.dim = int(self.net.dim)
        # ELMo: layers 0-2 and the learned scalar mix as a fourth "layer" (the Polysemy view shows all)
        self.n_layers = int(getattr(self.net, "n_layers", 0)) + 1 if hasattr(self.net, "layers") else 1
        self.layer_names = (["char-CNN", *[f"LSTM {i}" for i in range(1, self.n_layers - 1)], "scalar mix"]
                            if hasattr(self.net, "layers") else ["sentence"])
        self.normalize = bool(normalize)
        self.max_length = MAX_TOKENS
        self.card = card_of(self.folder)

    def tokenize(self, texts: Sequence[str]) -> list[WordTokens]:
        """Words with character offsets of each text (the first :attr:`max_length`)."""
        return [tokenize(t, self.net.vocab, self.max_length) for t in texts]

    def _batches(self, toks: list[WordTokens], batch_size: int) -> list[list[int]]:
        if batch_size < 1:
            raise InvalidParameterError(f"batch_size must be at least 1; got {batch_size}.")
        order = sorted(range(len(toks)), key=lambda i: len(toks[i].words))
        return [order[a:a + batch_size] for a in range(0, len(order), batch_size)]

    def encode(self, inputs: Sequence[str], batch_size: int = 64, progress: Progress | None = None
               ) -> np.ndarray:
        """Sentence vectors, (len(inputs), dim) float32, rows in input order."""
        toks = self.tokenize([str(t) for t in inputs])
        out = np.zeros((len(toks), self.dim), dtype=np.float32)
        done = 0
        for idx in self._batches(toks, batch_size):
            batch = self.net.tensors([list(toks[i].words) for i in idx], self.device)
            with torch.inference_mode(), torch_threads(self.torch_threads):
                vecs = self.net.sentence(batch)
                if self.normalize:
                    vecs = torch.nn.functional.normalize(vecs, dim=1)
            out[idx] = vecs.float().cpu().numpy()
            done += len(idx)
            report(progress, done, len(toks), f"Encoded {done:,} of {len(toks):,} sentences")
        return out

    def map_hidden_states(self, inputs: Sequence[str], fn: Callable[[int, np.ndarray, WordTokens], Any],
                          batch_size: int = 64, progress: Progress | None = None) -> list[Any]:
        """``fn(i, states, tokens)`` per text, ``states`` (n_layers, n_words, dim): ELMo's layers 0 (the
        character CNN), 1 and 2 (the LSTM layers), then the learned scalar mix of the three.

        Raises
        ------
        InvalidParameterError
            The encoder has no per-word layers (only ELMo has).
        """
        if not hasattr(self.net, "layers"):
            raise InvalidParameterError(
                f"{self.name} ({self.kind}) gives one vector per sentence, not per word in context; use "
                "elmo-small or minilm-l6 for contextual word vectors."
            )
        toks = self.tokenize([str(t) for t in inputs])
        results: list[Any] = [None] * len(toks)
        done = 0
        for idx in self._batches(toks, batch_size):
            batch = self.net.tensors([list(toks[i].words) for i in idx], self.device)
            with torch.inference_mode(), torch_threads(self.torch_threads):
                layers = self.net.layers(batch["chars"], batch["lengths"])
                layers = torch.cat([layers, self.net.mixed(layers)[:, None]], dim=1).float().cpu().numpy()
            for row, i in enumerate(idx):
                results[i] = fn(i, layers[row, :, : len(toks[i].words)], toks[i])
            done += len(idx)
            report(progress, done, len(toks), f"Embedded {done:,} of {len(toks):,} sentences")
        return results


def folder_of(spec: EncoderSpec) -> Path:
    """The model folder a spec names (``path`` or ``bundled``)."""
    opts = spec.options
    if opts.get("path"):
        return Path(opts["path"])
    folder = bundled_folder(opts.get("bundled", spec.name))
    if not (folder / "weights.safetensors").is_file():
        raise InvalidParameterError(
            f"The weights of {spec.name} are missing ({folder}). Train them with "
            f"`python scripts/train_small_encoders.py {spec.name}`."
        )
    return folder


def _factory(spec: EncoderSpec) -> SmallTextEncoder:
    opts = spec.options
    return SmallTextEncoder(spec.name, folder_of(spec), normalize=bool(opts.get("normalize", True)),
                            device=str(opts.get("device", "cpu")),
                            torch_threads=opts.get("torch_threads", CPU_THREADS))


register_kind("small-text", factory=_factory)
