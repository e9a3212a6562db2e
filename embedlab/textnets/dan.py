"""The Universal Sentence Encoder's deep averaging network (DAN; Iyyer et al. 2015, Cer et al. 2018), small.

Word and bigram embeddings are averaged together (one mean over all of a sentence's words and adjacent
word pairs), then a deep feed-forward network (three ReLU layers and a linear output) maps the mean to
the sentence vector. Word order counts only through the bigrams: two sentences with the same words and
the same bigrams get the same vector.

Trained on USE's own neighbour task, Skip-Thought-like and contrastive: a sentence's vector should be
closer (cosine, temperature ``1 / scale``) to the next sentence's vector than to the other next sentences
in the batch (in-batch negatives, both directions). Words are dropped at random while training (DAN's
word dropout).
"""

from __future__ import annotations

import torch
from torch import nn

from embedlab.textnets.vocab import Vocab, bigrams

DAN_DEFAULTS = {"emb": 128, "hidden": 256, "depth": 3, "out": 256, "scale": 20.0, "word_dropout": 0.2}


class DanNet(nn.Module):
    """Mean of word + bigram embeddings -> deep feed-forward network."""

    kind = "use-dan"

    def __init__(self, vocab: Vocab, bigram_vocab: Vocab, emb: int = 128, hidden: int = 256, depth: int = 3,
                 out: int = 256, scale: float = 20.0, word_dropout: float = 0.2):
        super().__init__()
        self.vocab, self.bigram_vocab = vocab, bigram_vocab
        self.config = {"emb": emb, "hidden": hidden, "depth": depth, "out": out, "scale": scale,
                       "word_dropout": word_dropout}
        self.words = nn.EmbeddingBag(len(vocab), emb, mode="sum", padding_idx=0)
        self.pairs = nn.EmbeddingBag(len(bigram_vocab), emb, mode="sum", padding_idx=0)
        layers: list[nn.Module] = []
        width = emb
        for _ in range(depth):
            layers += [nn.Linear(width, hidden), nn.ReLU()]
            width = hidden
        self.ffn = nn.Sequential(*layers, nn.Linear(width, out))
        self.dim = out
        self.scale = float(scale)
        self.word_dropout = float(word_dropout)

    def _units(self, words: list[str]) -> tuple[list[int], list[int]]:
        """Word ids and bigram ids; unknown ones are dropped (an all-unknown text keeps one <unk>)."""
        w = [i for i in self.vocab.ids(words) if i > 1]
        b = [i for i in self.bigram_vocab.ids(bigrams(words)) if i > 1]
        return (w or [1]), b

    def tensors(self, sentences: list[list[str]], device: str = "cpu") -> dict:
        """Flat unit ids with offsets (EmbeddingBag input) and units per sentence."""
        w_ids, w_off, b_ids, b_off, counts = [], [], [], [], []
        for s in sentences:
            w, b = self._units(s)
            w_off.append(len(w_ids))
            b_off.append(len(b_ids))
            w_ids += w
            b_ids += b
            counts.append(len(w) + len(b))
        t = {"w_ids": w_ids, "w_off": w_off, "b_ids": b_ids or [0], "b_off": b_off, "n": counts}
        return {k: torch.tensor(v, dtype=torch.float32 if k == "n" else torch.long).to(device)
                for k, v in t.items()}

    def sentence(self, batch: dict) -> torch.Tensor:
        """(b, out): the network applied to the mean of word and bigram embeddings."""
        total = self.words(batch["w_ids"], batch["w_off"]) + self.pairs(batch["b_ids"], batch["b_off"])
        return self.ffn(total / batch["n"][:, None])

    def loss(self, batch: dict) -> torch.Tensor:
        """Symmetric in-batch contrastive loss of (sentence, next sentence) pairs."""
        u = nn.functional.normalize(self.sentence(batch["a"]), dim=1)
        v = nn.functional.normalize(self.sentence(batch["b"]), dim=1)
        scores = self.scale * u @ v.T
        target = torch.arange(len(u), device=u.device)
        ce = nn.functional.cross_entropy
        return 0.5 * (ce(scores, target) + ce(scores.T, target))
