"""The small encoders trained here (ELMo, Skip-Thought, USE's DAN, InferSent) where pages name them: their
labels, the user's saved ones, and the note that they are small models, not the published weights."""

from __future__ import annotations

import streamlit as st

from ui.literal import md_literal

#: the four shipped small encoders: name -> label
SMALL_ENCODERS = {
    "elmo-small": "ELMo (small, trained here)",
    "skip-thought-small": "Skip-Thought (small, trained here)",
    "use-dan-small": "USE's DAN (small, trained here)",
    "infersent-small": "InferSent (small, trained here)",
}
NOTE = ("{what} small model{s} trained here on the bundled corpus (about 2.3M words) with the paper's "
        "architecture, not the published weights: {it} show{v} how the model works, not how good the "
        "original is.")


def saved_encoders(kind: str | None = None) -> dict[str, str]:
    """Encoders the user trained and saved (Train page, ``embedlab train-encoder``), of ``kind`` if given
    (``"elmo"``: the ones with per-layer word vectors): name -> label."""
    from embedlab.encoders.saved import kind_of, names

    return {n: f"{n} (yours, trained here)" for n in names() if kind is None or kind_of(n) == kind}


def sentence_encoders() -> dict[str, str]:
    """The shipped small encoders, then the user's saved ones: name -> label."""
    return {**SMALL_ENCODERS, **saved_encoders()}


def is_small(name: str) -> bool:
    """Whether ``name`` is one of the small encoders (shipped or saved by the user)."""
    from embedlab.encoders.saved import exists

    return name in SMALL_ENCODERS or exists(name)


def small_note(names: list[str] | str) -> None:
    """Say that ``names`` are small models trained here, with each one's model card in an expander."""
    names = [n for n in ([names] if isinstance(names, str) else names) if is_small(n)]
    if not names:
        return
    many = len(names) > 1
    what = ", ".join(md_literal(n) for n in names) + (" are" if many else " is a")
    st.caption(NOTE.format(what=what, s="s" if many else "", it="they" if many else "it",
                           v="" if many else "s"))
    with st.expander("Model card" + ("s" if many else "") + " (data, objective, size, loss curve)"):
        for name in names:
            model_card(name)


def model_card(name: str) -> None:
    """One small encoder's model card (the shipped ones as markdown; the user's as plain text)."""
    from embedlab.textnets.cards import card, markdown

    text = markdown(card(name))
    if name in SMALL_ENCODERS:
        st.markdown(text)
    else:  # a saved encoder's card quotes the user's name and file: data, not markdown
        st.text(text)
