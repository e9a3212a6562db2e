"""ELMo, small (Peters et al. 2018): a character CNN and a 2-layer bidirectional LSTM language model.

* Layer 0: each word's characters (UTF-8 bytes between begin and end marks) → embeddings → convolutions of
  widths 1-5 → max over positions → a highway layer → a projection to ``dim``. Any word gets a vector,
  seen in training or not; the same word always gets the same one (no context yet).
* Layers 1 and 2: a forward LSTM stack reads left to right and predicts the next word, a separate backward
  stack reads right to left and predicts the previous word; each LSTM's states are projected to ``dim``
  (ELMo's LSTM with projection), with a residual connection into layer 2. A layer's vector of a word is
  [forward state; backward state]; layer 0 repeats the character vector to the same width (as ELMo does).
* The two directions share the (adaptive) softmax over the vocabulary, as ELMo shares its softmax.
* The scalar mix ``gamma * sum_j softmax(w)_j * LN(layer_j)`` is ELMo's task-specific weighting; it is learned
  afterwards with the language model frozen (see :func:`embedlab.textnets.training`).

A sentence's vector is the mean over its words of the scalar-mixed vectors.
"""

from __future__ import annotations

import torch
from torch import nn

from embedlab.textnets.common import adaptive_softmax, lm_loss, masked_mean, pad, reverse_padded, run_rnn
from embedlab.textnets.vocab import BOS, EOS, MAX_WORD_CHARS, N_CHARS, Vocab, char_ids

DEFAULTS = {"dim": 128, "hidden": 256, "char_dim": 16, "layers": 2,
            "filters": [[1, 32], [2, 32], [3, 64], [4, 128], [5, 128]]}


class ElmoNet(nn.Module):
    """The bidirectional LM, its character CNN and scalar mix (see the module docstring)."""

    kind = "elmo"

    def __init__(self, vocab: Vocab, dim: int = 128, hidden: int = 256, char_dim: int = 16, layers: int = 2,
                 filters=DEFAULTS["filters"]):
        super().__init__()
        self.vocab = vocab
        self.config = {"dim": dim, "hidden": hidden, "char_dim": char_dim, "layers": layers,
                       "filters": [list(f) for f in filters]}
        self.char_emb = nn.Embedding(N_CHARS, char_dim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(char_dim, n, w) for w, n in filters)
        n_f = sum(n for _, n in filters)
        self.highway = nn.Linear(n_f, 2 * n_f)
        self.proj = nn.Linear(n_f, dim)
        self.fwd = nn.ModuleList(nn.LSTM(dim, hidden, batch_first=True) for _ in range(layers))
        self.fwd_proj = nn.ModuleList(nn.Linear(hidden, dim) for _ in range(layers))
        self.bwd = nn.ModuleList(nn.LSTM(dim, hidden, batch_first=True) for _ in range(layers))
        self.bwd_proj = nn.ModuleList(nn.Linear(hidden, dim) for _ in range(layers))
        self.softmax = adaptive_softmax(dim, len(vocab))
        self.mix = nn.Parameter(torch.zeros(layers + 1))
        self.gamma = nn.Parameter(torch.ones(()))
        self.dim = 2 * dim
        self.n_layers = layers + 1
        self._chars: dict[str, list[int]] = {}

    # ------------------------------------------------------------------ inputs
    def tensors(self, sentences: list[list[str]], device: str = "cpu") -> dict:
        """Character ids (b, T, W), word ids (b, T) and lengths of word lists."""
        chars = []
        for s in sentences:
            row = []
            for w in s:
                c = self._chars.get(w)
                if c is None:
                    c = char_ids(w, MAX_WORD_CHARS)
                    if len(self._chars) < 200_000:  # a bounded cache of the words seen
                        self._chars[w] = c
                row.append(c)
            chars.append(row)
        ids, lengths = pad([self.vocab.ids(s) for s in sentences], device=device)
        width = ids.shape[1]
        c = torch.zeros((len(sentences), width, MAX_WORD_CHARS), dtype=torch.long)
        for i, row in enumerate(chars):
            if row:
                c[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        return {"chars": c.to(device), "ids": ids, "lengths": lengths}

    # ------------------------------------------------------------------ layers
    def token_vectors(self, chars: torch.Tensor) -> torch.Tensor:
        """Layer 0 before doubling: (b, T, W) character ids -> (b, T, dim), no context."""
        b, t, w = chars.shape
        x = self.char_emb(chars.view(b * t, w)).transpose(1, 2)
        h = torch.cat([torch.relu(conv(x).max(dim=-1).values) for conv in self.convs], dim=1)
        nonlin, gate = self.highway(h).chunk(2, dim=1)
        g = torch.sigmoid(gate)
        h = g * torch.relu(nonlin) + (1 - g) * h
        return self.proj(h).view(b, t, -1)

    def _stack(self, lstms, projs, x: torch.Tensor, lengths: torch.Tensor) -> list[torch.Tensor]:
        outs, h = [], x
        for i, (lstm, proj) in enumerate(zip(lstms, projs, strict=True)):
            out = proj(run_rnn(lstm, h, lengths)[0])
            h = out + h if i > 0 else out  # residual connection between LSTM layers
            outs.append(h)
        return outs

    def directions(self, chars: torch.Tensor, lengths: torch.Tensor):
        """``(x, forward states per layer, backward states per layer)``, each (b, T, dim), in word order."""
        x = self.token_vectors(chars)
        fwd = self._stack(self.fwd, self.fwd_proj, x, lengths)
        bwd_rev = self._stack(self.bwd, self.bwd_proj, reverse_padded(x, lengths), lengths)
        return x, fwd, [reverse_padded(b, lengths) for b in bwd_rev]

    def layers(self, chars: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """All layers of every word, (b, n_layers, T, 2 * dim): layer 0 = [char; char], then [fwd; bwd]."""
        x, fwd, bwd = self.directions(chars, lengths)
        out = [torch.cat([x, x], dim=-1)] + [torch.cat([f, b], dim=-1) for f, b in zip(fwd, bwd, strict=True)]
        return torch.stack(out, dim=1)

    def mixed(self, layers: torch.Tensor) -> torch.Tensor:
        """ELMo's scalar mix of (b, n_layers, T, d) -> (b, T, d), each layer layer-normalised first.

        Peters et al. (2018, eq. 1 and after) apply layer normalisation to each biLM layer before weighting
        "in some cases"; here always, because the character layer's vectors are several times longer than
        the LSTM layers' (about 70 against 10): unnormalised, the mix is the order-blind character layer
        whatever its weights.
        """
        w = torch.softmax(self.mix, dim=0)
        normed = torch.nn.functional.layer_norm(layers, layers.shape[-1:])
        return self.gamma * (normed * w[None, :, None, None]).sum(dim=1)

    def sentence(self, batch: dict) -> torch.Tensor:
        """Sentence vectors: the mean over words of the scalar-mixed vectors, (b, 2 * dim)."""
        return masked_mean(self.mixed(self.layers(batch["chars"], batch["lengths"])), batch["lengths"])

    # ------------------------------------------------------------------ objective
    def loss(self, batch: dict) -> torch.Tensor:
        """Mean of the forward (next word) and backward (previous word) language-model losses."""
        ids, lengths = batch["ids"], batch["lengths"]
        _, fwd, bwd = self.directions(batch["chars"], lengths)
        b, t = ids.shape
        eos, bos = self.vocab.id(EOS), self.vocab.id(BOS)
        nxt = torch.cat([ids[:, 1:], torch.zeros((b, 1), dtype=ids.dtype, device=ids.device)], dim=1)
        nxt[torch.arange(b), lengths - 1] = eos
        prev = torch.cat([torch.full((b, 1), bos, dtype=ids.dtype, device=ids.device), ids[:, :-1]], dim=1)
        forward = lm_loss(self.softmax, fwd[-1], nxt, lengths)
        return 0.5 * (forward + lm_loss(self.softmax, bwd[-1], prev, lengths))
