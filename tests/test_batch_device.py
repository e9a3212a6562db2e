"""Encoder devices: CPU by default, "auto" picks CUDA only when torch sees a GPU; bad devices refused."""

from __future__ import annotations

import pytest

from embedlab.encoders.base import resolve_device
from embedlab.errors import InvalidParameterError


def test_cpu_is_the_default_and_auto_follows_torch(monkeypatch):
    import torch

    assert resolve_device(None) == resolve_device("CPU") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    with pytest.raises(InvalidParameterError, match="sees no CUDA GPU"):
        resolve_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda" and resolve_device("cuda:1") == "cuda:1"


def test_unknown_device_is_refused():
    with pytest.raises(InvalidParameterError, match="Unknown device 'tpu'"):
        resolve_device("tpu")


def test_cpu_device_shares_the_default_instance():
    from embedlab.encoders import get_encoder

    enc = get_encoder("minilm-l6", device="cpu")
    assert enc is get_encoder("minilm-l6") and enc.device == "cpu"
    assert enc.encode(["a cat"]).shape == (1, 384)
