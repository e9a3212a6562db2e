"""Encoders turn inputs (sentences, words in context, images) into vectors with one verb: ``encode``.

Encoders are described by configuration (:data:`embedlab.encoders.base.ENCODER_SPECS`), so a bigger
packaged model can be plugged in by adding a spec, not by changing code.
"""

from embedlab.encoders import specs as _specs  # noqa: F401  (built-in specs; imports no torch)
from embedlab.encoders.base import ENCODER_SPECS, Encoder, EncoderSpec, get_encoder, register_kind

__all__ = ["ENCODER_SPECS", "Encoder", "EncoderSpec", "get_encoder", "register_kind"]
