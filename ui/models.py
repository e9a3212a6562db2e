"""The one cached accessor for models shared by every page and session (a model loads once per server)."""

from __future__ import annotations

import streamlit as st

from embedlab.encoders.specs import DEFAULT_IMAGE_ENCODER, DEFAULT_TEXT_ENCODER


@st.cache_resource(show_spinner="Loading the model (once per server, a few seconds)…")
def encoder(name: str):
    """The encoder called ``name`` (:func:`embedlab.encoders.get_encoder`), its network built now."""
    from embedlab.encoders import get_encoder

    enc = get_encoder(name)
    _ = getattr(enc, "model", None)  # image encoders build their network lazily: build it once, here
    return enc


def text_encoder(name: str = DEFAULT_TEXT_ENCODER):
    """The sentence / contextual text encoder (MiniLM by default)."""
    return encoder(name)


def image_encoder(name: str = DEFAULT_IMAGE_ENCODER):
    """The image CNN (EfficientNet-Lite0 by default)."""
    return encoder(name)
