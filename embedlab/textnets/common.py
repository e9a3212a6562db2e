"""Torch pieces the small encoders share: padding, running a recurrent layer over padded batches, pooling.

Every recurrent layer runs on packed sequences (``pack_padded_sequence``), so padding never reaches a
state: a sentence's vector is the same alone or in any batch, however long its neighbours are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

#: torch threads the small encoders train and encode with on CPU: their matrices are small, and on a shared
#: 2-core machine two threads waiting at each operator's barrier ran 7x slower than one.
CPU_THREADS = 1


@contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` torch intra-op threads (``None``: leave torch's setting), then restore."""
    if not n:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def pad(seqs: Sequence[Sequence[int]], value: int = 0, device: str = "cpu"
        ) -> tuple[torch.Tensor, torch.Tensor]:
    """``(ids (b, T) long, lengths (b,) long)`` of integer sequences padded with ``value`` (T >= 1)."""
    width = max(1, max((len(s) for s in seqs), default=1))
    out = torch.full((len(seqs), width), value, dtype=torch.long)
    for i, s in enumerate(seqs):
        if len(s):
            out[i, : len(s)] = torch.as_tensor(list(s), dtype=torch.long)
    lengths = torch.tensor([max(1, len(s)) for s in seqs], dtype=torch.long)
    return out.to(device), lengths


def mask_of(lengths: torch.Tensor, width: int) -> torch.Tensor:
    """``(b, width)`` bool: True at real positions."""
    return torch.arange(width, device=lengths.device)[None, :] < lengths[:, None]


def run_rnn(rnn: nn.RNNBase, x: torch.Tensor, lengths: torch.Tensor, h0=None):
    """``(outputs (b, T, H), zero at padding; final state)`` of ``rnn`` (batch_first) over a padded batch."""
    packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    out, h = rnn(packed, h0)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    return out, h


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each row's first ``lengths[i]`` steps of ``x`` (b, T, ...), padding left in place."""
    width = x.shape[1]
    pos = torch.arange(width, device=x.device)[None, :].expand(len(lengths), -1)
    rev = (lengths.to(x.device)[:, None] - 1 - pos)
    idx = torch.where(rev >= 0, rev, pos)
    if x.dim() == 2:
        return torch.gather(x, 1, idx)
    return torch.gather(x, 1, idx[..., None].expand(-1, -1, *x.shape[2:]))


def masked_mean(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Mean over real positions of ``x`` (b, T, d)."""
    m = mask_of(lengths.to(x.device), x.shape[1]).to(x.dtype)[..., None]
    return (x * m).sum(1) / m.sum(1).clamp(min=1.0)


def masked_max(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Max over real positions of ``x`` (b, T, d) (InferSent's pooling)."""
    m = mask_of(lengths.to(x.device), x.shape[1])[..., None]
    return x.masked_fill(~m, float("-inf")).max(1).values


def n_parameters(module: nn.Module) -> int:
    """Number of parameters (trainable or not) of ``module``."""
    return int(sum(p.numel() for p in module.parameters()))


def adaptive_softmax(dim: int, vocab: int) -> nn.AdaptiveLogSoftmaxWithLoss:
    """An adaptive softmax over ``vocab`` words (frequent words in the head; cut-offs at 2k and 8k)."""
    cutoffs = [c for c in (2000, 8000) if c < vocab - 1] or [max(1, vocab // 2)]  # a tiny vocabulary: 2 parts
    return nn.AdaptiveLogSoftmaxWithLoss(dim, vocab, cutoffs=cutoffs, div_value=4.0)


def lm_loss(softmax: nn.AdaptiveLogSoftmaxWithLoss, states: torch.Tensor, targets: torch.Tensor,
            lengths: torch.Tensor) -> torch.Tensor:
    """Mean negative log-likelihood of ``targets`` (b, T) from ``states`` (b, T, d) at real positions."""
    m = mask_of(lengths.to(states.device), states.shape[1])
    return softmax(states[m], targets[m]).loss


class PairClassifier(nn.Module):
    """InferSent's pair classifier: an MLP on ``(u, v, |u - v|, u * v)`` of two sentence vectors."""

    def __init__(self, dim: int, n_labels: int, hidden: int = 256):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(4 * dim, hidden), nn.Tanh(), nn.Linear(hidden, n_labels))

    def forward(self, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return self.mlp(torch.cat([u, v, (u - v).abs(), u * v], dim=1))
