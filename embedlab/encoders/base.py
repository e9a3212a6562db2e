"""The encoder interface and its configuration-driven registry.

An encoder spec names a *kind* (the class that knows how to run such a model: ``"sentence-transformer"``,
``"image-cnn"``, ...) and the settings for one model of that kind (package that carries the weights,
sub-folder, maximum length, pooling...). ``get_encoder(name)`` builds the encoder once per process.
Extra specs can be added at run time from a JSON file named by ``EMBEDLAB_ENCODERS``.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from embedlab.encoders import saved
from embedlab.errors import InvalidParameterError
from embedlab.progress import Progress

#: Longest text an encoder reads, in characters (~15,000 words): the rest of a longer text is not read.
#: Transformer encoders read less (``max_length`` tokens, see :mod:`embedlab.encoders.tokens`); batch inputs
#: cut longer lines to this before they reach an encoder (:mod:`embedlab.batch.inputs`).
MAX_TEXT_CHARS = 100_000


@runtime_checkable
class Encoder(Protocol):
    """Anything with a name, a dimension and ``encode(inputs, batch_size=...) -> (n, dim) float32``."""

    name: str
    dim: int

    def encode(self, inputs: Sequence[Any], batch_size: int = 32, progress: Progress | None = None
               ) -> np.ndarray: ...


@dataclass(frozen=True)
class EncoderSpec:
    """Configuration of one encoder: ``kind`` picks the implementation, ``options`` configure it."""

    name: str
    kind: str
    description: str = ""
    options: dict = field(default_factory=dict)


# kind -> factory(spec) -> Encoder; implementation modules register themselves on import
_KINDS: dict[str, Callable[[EncoderSpec], Encoder]] = {}
# modules imported lazily to find a kind's factory (keeps torch out of start-up)
_KIND_MODULES: dict[str, str] = {}
ENCODER_SPECS: dict[str, EncoderSpec] = {}
_INSTANCES: dict[str, Encoder] = {}
_LOCK = threading.Lock()


def register_kind(
    kind: str, factory: Callable[[EncoderSpec], Encoder] | None = None, module: str | None = None
) -> None:
    """Register an implementation: the factory itself, or the module that registers it on import."""
    if factory is not None:
        _KINDS[kind] = factory
    if module is not None:
        _KIND_MODULES[kind] = module


def register_spec(spec: EncoderSpec) -> None:
    """Add (or replace) an encoder spec."""
    ENCODER_SPECS[spec.name] = spec


def _load_user_specs() -> None:
    path = os.environ.get("EMBEDLAB_ENCODERS")
    if not path or not os.path.exists(path):
        return
    for item in json.loads(open(path, encoding="utf-8").read()):
        register_spec(EncoderSpec(item["name"], item["kind"], item.get("description", ""),
                                  item.get("options", {})))


def resolve_device(device: str | None = None) -> str:
    """"cpu" (the default), "cuda" / "cuda:N" (checked), or "auto" (CUDA when torch sees a GPU)."""
    d = str(device or "cpu").strip().lower()
    if d == "cpu":
        return d
    if d != "auto" and not d.startswith("cuda"):
        raise InvalidParameterError(f"Unknown device {device!r}; use 'cpu', 'cuda', 'cuda:N' or 'auto'.")
    import torch

    if torch.cuda.is_available():
        return "cuda" if d == "auto" else d
    if d == "auto":
        return "cpu"
    raise InvalidParameterError(f"Device {device!r} was asked for but torch sees no CUDA GPU here; "
                                "use 'cpu' or 'auto'.")


def spec_of(name: str) -> EncoderSpec | None:
    """The spec of ``name``: a configured encoder, else one trained and saved in the workspace, else None."""
    _load_user_specs()
    spec = ENCODER_SPECS.get(name)
    found = saved.spec_options(name) if spec is None else None
    return EncoderSpec(name, saved.KIND, *found) if found is not None else spec


def get_encoder(name: str, device: str | None = None) -> Encoder:
    """The encoder called ``name``, built once per process and device (thread-safe).

    ``device`` is ``None`` (the spec's ``device`` option, else CPU), ``"cpu"``, ``"cuda"`` or ``"auto"``.
    """
    spec = spec_of(name)  # configured, else one trained and saved by a user
    if spec is None:
        mine = saved.names()
        raise InvalidParameterError(
            f"Unknown encoder '{name}'. Configured encoders: {', '.join(sorted(ENCODER_SPECS)) or 'none'}"
            f"{'; saved: ' + ', '.join(mine) if mine else ''}. Train one with `embedlab train-encoder`."
        )
    dev = resolve_device(device or spec.options.get("device"))
    key = name if dev == "cpu" else f"{name}@{dev}"
    key += f"#{spec.options['version']}" if "version" in spec.options else ""  # a saved one, re-trained
    with _LOCK:
        if key not in _INSTANCES:
            if spec.kind not in _KINDS and spec.kind in _KIND_MODULES:
                importlib.import_module(_KIND_MODULES[spec.kind])
            if spec.kind not in _KINDS:
                raise InvalidParameterError(f"Encoder '{name}' has unknown kind '{spec.kind}'.")
            opts = {**spec.options, "device": dev}
            built = spec if dev == "cpu" else dataclasses.replace(spec, options=opts)
            _INSTANCES[key] = _KINDS[spec.kind](built)
        return _INSTANCES[key]
