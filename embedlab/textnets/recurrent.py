"""Skip-Thought (Kiros et al. 2015) and InferSent (Conneau et al. 2017), small.

* **Skip-Thought**: a GRU reads the sentence; its last state is the sentence vector (the "uni-skip"
  model). Two GRU decoders, one for the previous and one for the next sentence, each get the sentence
  vector at every step (concatenated to the input word: the same as the paper's conditional GRU, whose
  thought-vector terms are added outside the reset gate) and predict their sentence word by word with
  teacher forcing; they share the output softmax over the vocabulary, as in the paper (adaptive here).
* **InferSent**: a bidirectional LSTM over fixed word vectors (GloVe, as in the paper; here the bundled
  50-d GloVe rows of the vocabulary, not trained), max-pooled over words; a pair of sentences (u, v) is
  classified from (u, v, |u - v|, u * v) by an MLP.
"""

from __future__ import annotations

import torch
from torch import nn

from embedlab.textnets.common import PairClassifier, adaptive_softmax, lm_loss, masked_max, pad, run_rnn
from embedlab.textnets.vocab import BOS, EOS, Vocab

SKIP_DEFAULTS = {"emb": 128, "hidden": 256}
INFERSENT_DEFAULTS = {"emb": 50, "hidden": 256, "mlp": 256, "labels": ["antonym", "hypernym", "unrelated"]}


class SkipThoughtNet(nn.Module):
    """GRU encoder + previous/next GRU decoders sharing one softmax."""

    kind = "skip-thought"

    def __init__(self, vocab: Vocab, emb: int = 128, hidden: int = 256):
        super().__init__()
        self.vocab = vocab
        self.config = {"emb": emb, "hidden": hidden}
        self.embed = nn.Embedding(len(vocab), emb, padding_idx=0)
        self.encoder = nn.GRU(emb, hidden, batch_first=True)
        self.dec_prev = nn.GRU(emb + hidden, hidden, batch_first=True)
        self.dec_next = nn.GRU(emb + hidden, hidden, batch_first=True)
        self.softmax = adaptive_softmax(hidden, len(vocab))
        self.dim = hidden

    def tensors(self, sentences: list[list[str]], device: str = "cpu") -> dict:
        ids, lengths = pad([self.vocab.ids(s) for s in sentences], device=device)
        return {"ids": ids, "lengths": lengths}

    def sentence(self, batch: dict) -> torch.Tensor:
        """The encoder GRU's last state after each sentence's last word, (b, hidden)."""
        _, h = run_rnn(self.encoder, self.embed(batch["ids"]), batch["lengths"])
        return h[-1]

    def _decode_loss(self, decoder: nn.GRU, thought: torch.Tensor, target: dict) -> torch.Tensor:
        ids, lengths = target["ids"], target["lengths"]
        b = ids.shape[0]
        bos = torch.full((b, 1), self.vocab.id(BOS), dtype=ids.dtype, device=ids.device)
        inputs = torch.cat([bos, ids], dim=1)  # <s> w1 .. wn, predicting w1 .. wn </s>
        out_ids = torch.cat([ids, torch.zeros((b, 1), dtype=ids.dtype, device=ids.device)], dim=1)
        out_ids[torch.arange(b), lengths] = self.vocab.id(EOS)
        x = self.embed(inputs)
        x = torch.cat([x, thought[:, None, :].expand(-1, x.shape[1], -1)], dim=-1)
        states, _ = run_rnn(decoder, x, lengths + 1)
        return lm_loss(self.softmax, states, out_ids, lengths + 1)

    def loss(self, batch: dict) -> torch.Tensor:
        """Mean word loss of decoding the previous and the next sentence from the middle one's vector."""
        thought = self.sentence(batch["mid"])
        return 0.5 * (self._decode_loss(self.dec_prev, thought, batch["prev"])
                      + self._decode_loss(self.dec_next, thought, batch["next"]))


class InferSentNet(nn.Module):
    """BiLSTM-max encoder over fixed word vectors + the (u, v, |u-v|, u*v) pair classifier."""

    kind = "infersent"

    def __init__(self, vocab: Vocab, emb: int = 50, hidden: int = 256, mlp: int = 256,
                 labels=("antonym", "hypernym", "unrelated")):
        super().__init__()
        self.vocab = vocab
        self.config = {"emb": emb, "hidden": hidden, "mlp": mlp, "labels": list(labels)}
        self.embed = nn.Embedding(len(vocab), emb, padding_idx=0)
        self.embed.weight.requires_grad_(False)  # fixed word vectors, as InferSent keeps GloVe fixed
        self.encoder = nn.LSTM(emb, hidden, batch_first=True, bidirectional=True)
        self.classifier = PairClassifier(2 * hidden, len(labels), mlp)
        self.dim = 2 * hidden

    def tensors(self, sentences: list[list[str]], device: str = "cpu") -> dict:
        ids, lengths = pad([self.vocab.ids(s) for s in sentences], device=device)
        return {"ids": ids, "lengths": lengths}

    def sentence(self, batch: dict) -> torch.Tensor:
        """Max over words of the BiLSTM states, (b, 2 * hidden)."""
        out, _ = run_rnn(self.encoder, self.embed(batch["ids"]), batch["lengths"])
        return masked_max(out, batch["lengths"])

    def logits(self, batch: dict) -> torch.Tensor:
        return self.classifier(self.sentence(batch["a"]), self.sentence(batch["b"]))

    def loss(self, batch: dict) -> torch.Tensor:
        """Cross-entropy of the pair labels."""
        return nn.functional.cross_entropy(self.logits(batch), batch["labels"])
