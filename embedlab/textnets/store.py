"""Saving and loading the small encoders: JSON config and vocabulary, weights in safetensors (never pickle).

A model folder holds ``config.json`` (kind, architecture, dtype), ``vocab.json`` (words; bigrams for DAN)
and ``weights.safetensors``; bundled ones also ``card.json`` and ``MODEL_CARD.md``. The bundled encoders
(``sample_data/encoders/<name>/``) are float16; user-trained ones are saved in float32 so a saved encoder
loads back bit for bit. Saved encoders live in the workspace (:mod:`embedlab.encoders.saved`), written
into a fresh ``v-<id>`` folder and made current by one atomic rename of ``current.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import torch
from torch import nn

from embedlab.encoders import saved
from embedlab.encoders.base import ENCODER_SPECS
from embedlab.errors import FormatError, InvalidParameterError
from embedlab.resources import data_path
from embedlab.textnets.dan import DanNet
from embedlab.textnets.elmo import ElmoNet
from embedlab.textnets.recurrent import InferSentNet, SkipThoughtNet
from embedlab.textnets.vocab import Vocab

FORMAT = 1
NETS = {"elmo": ElmoNet, "skip-thought": SkipThoughtNet, "use-dan": DanNet, "infersent": InferSentNet}
DTYPES = {"float16": torch.float16, "float32": torch.float32}


def build(kind: str, vocab: Vocab, config: dict, bigram_vocab: Vocab | None = None) -> nn.Module:
    """A fresh network of ``kind`` (``elmo``, ``skip-thought``, ``use-dan``, ``infersent``)."""
    if kind not in NETS:
        raise InvalidParameterError(f"Unknown encoder kind {kind!r}; use one of {', '.join(NETS)}.")
    if kind == "use-dan":
        return DanNet(vocab, bigram_vocab or Vocab([]), **config)
    return NETS[kind](vocab, **config)


def write(net: nn.Module, folder: Path, dtype: str = "float32", card: dict | None = None) -> Path:
    """Write ``net`` into ``folder`` (created; must not exist yet)."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True)
    config = {"format": FORMAT, "kind": net.kind, "config": net.config, "dtype": dtype, "dim": net.dim,
              "n_layers": getattr(net, "n_layers", 1)}
    (folder / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    vocab = {"words": net.vocab.words}
    if isinstance(net, DanNet):
        vocab["bigrams"] = net.bigram_vocab.words
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tensors = {k: v.detach().to("cpu", DTYPES[dtype]).contiguous() for k, v in net.state_dict().items()}
    save_file(tensors, str(folder / "weights.safetensors"), metadata={"kind": net.kind})
    if card is not None:
        (folder / "card.json").write_text(json.dumps(card, indent=2), encoding="utf-8")
    return folder


def read(folder: Path, device: str = "cpu") -> nn.Module:
    """The network saved in ``folder``, in float32, in eval mode."""
    from safetensors.torch import load_file

    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError(str(folder), f"is not a saved encoder ({exc}).",
                          hint="Train one with `embedlab train-encoder`.") from None
    if config.get("format") != FORMAT:
        raise FormatError(str(folder), f"has encoder format {config.get('format')!r}; expected {FORMAT}.")
    bigrams = Vocab(vocab["bigrams"]) if "bigrams" in vocab else None
    net = build(config["kind"], Vocab(vocab["words"]), config["config"], bigrams)
    state = {k: v.float() for k, v in load_file(str(folder / "weights.safetensors")).items()}
    net.load_state_dict(state)
    return net.to(device).eval()


def card_of(folder: Path) -> dict:
    """The machine-readable model card (``card.json``) of a model folder, or ``{}``."""
    path = folder / "card.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def bundled_folder(name: str) -> Path:
    """Folder of a bundled encoder (``sample_data/encoders/NAME``)."""
    return data_path("encoders", name)


def save(net: nn.Module, name: str, card: dict | None = None, overwrite: bool = True) -> Path:
    """Save a trained encoder in the workspace as ``name`` (float32); returns its folder.

    Raises
    ------
    InvalidParameterError
        A malformed name, a configured encoder's name, or the name is taken and ``overwrite`` is False.
    """
    saved.check_name(name, ENCODER_SPECS)
    root = saved.encoders_dir() / name
    if saved.exists(name) and not overwrite:
        raise InvalidParameterError(f"An encoder named '{name}' already exists; pick another name.")
    version = f"v-{uuid.uuid4().hex[:12]}"
    write(net, root / version, "float32", card)
    tmp = root / f".current-{uuid.uuid4().hex[:8]}.json"
    tmp.write_text(json.dumps({"folder": version, "kind": net.kind}), encoding="utf-8")
    os.replace(tmp, root / saved.CURRENT)  # the commit point: the old or the new encoder is current
    for old in root.iterdir():
        if old.name.startswith("v-") and old.name != version:
            shutil.rmtree(old, ignore_errors=True)
    return root / version
