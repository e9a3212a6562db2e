"""Model cards of the small encoders: what the UI shows where they are named, and ``MODEL_CARD.md``.

The machine-readable card (``card.json`` beside the weights) is written by training
(:func:`embedlab.textnets.training.train_encoder`); :func:`card` reads it for any configured or saved
small encoder, :func:`markdown` renders it.
"""

from __future__ import annotations

from embedlab.encoders.base import get_encoder
from embedlab.errors import InvalidParameterError

NOT_PUBLISHED = ("A small model trained in embedlab on about 2.3M words (the bundled corpus), not the "
                 "published {paper} weights: it shows the architecture and the objective, not the quality "
                 "of the original, which was trained on far more text with far larger networks.")
PAPERS = {
    "elmo": "ELMo (Peters et al. 2018, 93.6M parameters, 1B Word Benchmark)",
    "skip-thought": "Skip-Thought (Kiros et al. 2015, BookCorpus, 2400-d GRU)",
    "use-dan": "Universal Sentence Encoder DAN (Cer et al. 2018, web + SNLI data)",
    "infersent": "InferSent (Conneau et al. 2017, SNLI, 4096-d BiLSTM-max over GloVe 840B)",
}
NOT_WHAT = {
    "infersent": "It is not trained on natural-language inference: no NLI corpus ships offline, so its pairs "
                 "are WordNet definitions labelled hypernym / antonym / unrelated (see "
                 "sample_data/encoders/pairs/README.md). Its word vectors are the bundled 50-d GloVe rows.",
    "skip-thought": "Its neighbouring sentences are those of the bundled corpus in document order: WordNet "
                    "glosses of one lexicographer file, paragraphs of one Wikipedia article, sentences of "
                    "one news article; not the novels of BookCorpus.",
    "use-dan": "It is trained on one of USE's tasks only (the neighbour task), without USE's SNLI and "
               "conversational data.",
    "elmo": "Its scalar mix was learned on the WordNet gloss-pair task with the language model frozen (ELMo "
            "learns a mix per downstream task).",
}


def card(name: str) -> dict:
    """The card of the small encoder ``name`` (configured or saved), with a ``not`` sentence added."""
    enc = get_encoder(name)
    c = dict(getattr(enc, "card", {}) or {})
    if not c:
        raise InvalidParameterError(f"{name} has no model card (it is not one of embedlab's small encoders).")
    kind = c.get("kind", "")
    c["name"] = name
    c["not"] = " ".join([NOT_PUBLISHED.format(paper=PAPERS.get(kind, kind)), NOT_WHAT.get(kind, "")]).strip()
    return c


def _curve(points: list[dict], every: int) -> list[str]:
    rows = points[::every] + ([points[-1]] if points and (len(points) - 1) % every else [])
    return [f"| {p['step']:,} | {p['epoch']} | {p['loss']:.3f} | {p['seconds']:,.0f} |" for p in rows]


def _cell(value) -> str:
    """A value inside a markdown table cell: its ``|`` escaped (InferSent's objective names ``|u-v|``)."""
    return str(value).replace("|", "\\|")


def markdown(c: dict) -> str:
    """``MODEL_CARD.md`` text of a card."""
    kind = c.get("kind", "")
    minutes = c.get("training_seconds", 0) / 60
    curve = c.get("loss_curve", [])
    lines = [
        f"# {c.get('name', kind)}", "",
        NOT_PUBLISHED.format(paper=PAPERS.get(kind, kind)), "",
        "| | |", "| --- | --- |",
        f"| architecture | {kind}: {c.get('architecture')} |",
        f"| parameters | {c.get('parameters', 0):,} ({c.get('trainable_parameters', 0):,} trained) |",
        f"| vector size | {c.get('dim')} |",
        f"| data | {_cell(c.get('data'))} |",
        f"| objective | {_cell(c.get('objective'))} |",
        f"| training | {minutes:.1f} min on {c.get('machine')}; settings {c.get('settings')} |",
        f"| trained | {c.get('trained_at')}{' (stopped early)' if c.get('stopped_early') else ''} |",
    ]
    if "scalar_mix" in c:
        mix = c["scalar_mix"]
        lines.append(f"| scalar mix | layer weights {mix['weights']}, gamma {mix['gamma']}, each layer "
                     "layer-normalised first |")
    lines += ["", "## What it is not", "", NOT_WHAT.get(kind, "") or "See above.", "",
              "## Loss curve", "",
              f"Mean training loss over each {c.get('settings', {}).get('log_every', '?')} steps "
              "(every point is in `card.json`, `loss_curve`).", "",
              "| step | epoch | loss | seconds |", "| ---: | ---: | ---: | ---: |",
              *_curve(curve, max(1, len(curve) // 15)), ""]
    return "\n".join(lines)
