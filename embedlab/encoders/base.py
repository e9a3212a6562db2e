"""The encoder interface and its configuration-driven registry.

An encoder spec names a *kind* (the class that knows how to run such a model: ``"sentence-transformer"``,
``"image-cnn"``, ...) and the settings for one model of that kind (package that carries the weights,
sub-folder, maximum length, pooling...). ``get_encoder(name)`` builds the encoder once per process.
Extra specs can be added at run time from a JSON file named by ``EMBEDLAB_ENCODERS``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from embedlab.errors import InvalidParameterError
from embedlab.progress import Progress  # noqa: F401  (re-exported: older code imports it from here)


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


def get_encoder(name: str) -> Encoder:
    """The encoder called ``name``, built once per process (thread-safe)."""
    import importlib

    _load_user_specs()
    if name not in ENCODER_SPECS:
        raise InvalidParameterError(
            f"Unknown encoder '{name}'. Configured encoders: {', '.join(sorted(ENCODER_SPECS)) or 'none'}."
        )
    with _LOCK:
        if name not in _INSTANCES:
            spec = ENCODER_SPECS[name]
            if spec.kind not in _KINDS and spec.kind in _KIND_MODULES:
                importlib.import_module(_KIND_MODULES[spec.kind])
            if spec.kind not in _KINDS:
                raise InvalidParameterError(f"Encoder '{name}' has unknown kind '{spec.kind}'.")
            _INSTANCES[name] = _KINDS[spec.kind](spec)
        return _INSTANCES[name]
