"""The word-translation use case: seed dictionary → held-out words → map → precision (``embedlab map``).

:func:`translation_report` is what ``embedlab map`` runs (and what the Compare page's "Map A → B" tab is
to run): it picks the seed dictionary (the one given; else, between two languages, FreeDict's from the
Debian package, falling back to identical strings; else the words both spaces share), holds out words
(every source word of ``eval_pairs``, or a seeded share of the dictionary's source words), fits a
:class:`~embedlab.compare.translation.WordTranslator` and scores it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from embedlab.compare.diagnosis import wrong_words
from embedlab.compare.dictionaries import SeedDictionary, identical_pairs, seed_dictionary
from embedlab.compare.mapping import Pair, split_pairs
from embedlab.compare.matching import PairMatch
from embedlab.compare.translation import Progress, WordTranslator
from embedlab.errors import EmptyInputError
from embedlab.progress import report as tell
from embedlab.progress import scaled
from embedlab.space import EmbeddingSpace

PRECISION_MEANING = ("precision@1 is the share of held-out source words whose best-ranked translation is one "
                     "of their dictionary translations; precision@5, the share with one among the first five")


def choose_dictionary(source: EmbeddingSpace, target: EmbeddingSpace, pairs: Iterable[Pair] | None = None,
                      no_dictionary: bool = False, dictd_dir: str | Path | None = None,
                      name: str = "the given pairs") -> SeedDictionary:
    """The seed dictionary: ``pairs`` if given; identical strings with ``no_dictionary``; else
    :func:`~embedlab.compare.dictionaries.seed_dictionary` (FreeDict between two languages)."""
    if no_dictionary:
        return SeedDictionary(identical_pairs(source, target), "identical",
                              "identical strings and numerals (no dictionary)")
    if pairs is not None:
        return SeedDictionary(list(pairs), "given", name)
    return seed_dictionary(source, target, dictd_dir)


def _none_usable(m: PairMatch, source: EmbeddingSpace, target: EmbeddingSpace) -> EmptyInputError:
    if not m.given:
        return EmptyInputError(f"There are no seed pairs: {source.name} and {target.name} share no keys and "
                               "no dictionary was given. Give a seed dictionary of 'source<TAB>target' "
                               "lines.")
    return EmptyInputError(
        f"None of the {m.given:,} seed pairs has its source word in {source.name} and its target word in "
        f"{target.name}, e.g. {'; '.join(m.examples[:3]) or 'multi-word entries only'}. Check the "
        "dictionary's direction (source<TAB>target, from A to B) and spelling.")


def split_train_eval(matched: list[Pair], translator: WordTranslator, eval_pairs: list[Pair] | None,
                     test_size: float | int, seed: int) -> tuple[list[Pair], list[Pair]]:
    """Training key pairs and held-out pairs: without ``eval_pairs`` a seeded split by source word; with
    them, every dictionary pair whose source word is one of theirs leaves the training pairs."""
    if eval_pairs is None:
        return split_pairs(matched, test_size, seed)
    finder = translator.finders_[0]
    held_out = {k for k, _ in (finder.find(x) for x, _ in eval_pairs) if k is not None}
    return [p for p in matched if p[0] not in held_out], eval_pairs


def translation_report(source: EmbeddingSpace, target: EmbeddingSpace, pairs: Iterable[Pair] | None = None,
                       eval_pairs: Iterable[Pair] | None = None, *, csls: bool = False, refine: int = 0,
                       orthogonal: bool = True, test_size: float | int = 0.2, seed: int = 0,
                       max_pairs: int | None = None, no_dictionary: bool = False,
                       dictd_dir: str | Path | None = None, pairs_name: str = "the given pairs",
                       progress: Progress | None = None) -> tuple[WordTranslator, dict]:
    """Fit a translation map ``source`` → ``target`` and measure it on held-out words.

    Parameters
    ----------
    pairs : iterable of (str, str), optional
        The seed dictionary; default: see :func:`choose_dictionary`.
    eval_pairs : iterable of (str, str), optional
        Held-out pairs: the map is trained on the dictionary minus every source word they hold, and scored
        on them alone. Default: a ``test_size`` share of the dictionary's source words (seeded by ``seed``).
    csls : bool
        Retrieve by CSLS (else the plain nearest neighbour).
    refine : int
        Refinement rounds (mutual nearest neighbours by CSLS).
    max_pairs : int, optional
        Use at most this many matched seed pairs (in dictionary order).
    no_dictionary : bool
        Seed from identical strings and numerals only.

    Returns
    -------
    (WordTranslator, dict)
        The fitted translator (its ``dictionary_`` is the seed dictionary, ``held_out_`` the held-out
        pairs, for :mod:`~embedlab.compare.diagnosis`), and ``{"p_at_1", "p_at_5", "n_eval", "n_train",
        ...}``: the retrieval, the rounds, the dictionary used (kind, source, licence), how its pairs
        matched keys (``train_match``, ``eval_match``), notes (a PCA reduction, a missing dictionary) and
        what precision means.
    """
    dico = choose_dictionary(source, target, pairs, no_dictionary, dictd_dir, pairs_name)
    translator = WordTranslator(orthogonal=orthogonal).prepare(source, target)
    matched = translator.match(dico.pairs)
    if not matched.pairs:
        raise _none_usable(matched, source, target)
    keys = matched.pairs[: int(max_pairs)] if max_pairs else matched.pairs
    train, held = split_train_eval(keys, translator, None if eval_pairs is None else list(eval_pairs),
                                   test_size, seed)
    translator.match_, translator.dictionary_, translator.held_out_ = matched, dico, held
    translator.fit_keys(train, refine, progress)
    prec = translator.precision(held, csls=csls)
    report = {
        "source": source.name, "target": target.name, "source_language": source.language,
        "target_language": target.language, "p_at_1": prec["p_at_1"], "p_at_5": prec["p_at_5"],
        "n_eval": prec["n_eval"], "n_train": len(train), "retrieval": "csls" if csls else "nearest",
        "csls_k": translator.csls_k, "refine": int(refine), "orthogonal": orthogonal,
        "dim": translator.source_.dim, "rounds": translator.history_,
        "dictionary": dico.kind, "seed_dictionary": dico.source, "dictionary_licence": dico.licence,
        "train_match": matched.summary(), "eval_match": prec["eval_pairs"],
        "notes": [*dico.notes, *translator.notes_, matched.message()], "meaning": PRECISION_MEANING,
    }
    return translator, report


@dataclass
class Direction:
    """One direction of :func:`translate_both_ways`: the fitted translator, its report and its wrong words."""

    translator: WordTranslator
    report: dict
    wrong: list[dict]  # :func:`~embedlab.compare.diagnosis.wrong_words`

    @property
    def csls(self) -> bool:
        """Whether this direction retrieves by CSLS (translate with the retrieval it was measured with)."""
        return self.report["retrieval"] == "csls"


@dataclass
class BilingualFit:
    """A translation map fitted each way between two spaces (the Compare page's "Map A → B" tab)."""

    forward: Direction  # A → B
    backward: Direction  # B → A


def translate_both_ways(a: EmbeddingSpace, b: EmbeddingSpace, pairs: Iterable[Pair] | None = None, *,
                        csls: bool = False, refine: int = 0, test_size: float | int = 0.2,
                        max_pairs: int | None = None, no_dictionary: bool = False,
                        pairs_name: str = "the given pairs", progress: Progress | None = None
                        ) -> BilingualFit:
    """:func:`translation_report` from ``a`` into ``b`` and from ``b`` into ``a`` (``pairs`` inverted for
    the way back; the bundled dictionary of each direction otherwise), with each direction's held-out words
    that the map gets wrong and why (:func:`~embedlab.compare.diagnosis.wrong_words`).

    ``progress`` hears each step ("A → B: refinement round 2 of 5", …) on one 0-1 scale.
    """
    given = None if pairs is None else list(pairs)
    ways, steps = [], int(refine) + 2  # fit, each refinement round, the wrong words
    for i, (src, tgt) in enumerate(((a, b), (b, a))):
        step, label = scaled(progress, i / 2, 0.5), f"{src.name} → {tgt.name}"
        tell(step, 0, steps, f"{label}: fitting the map")
        translator, result = translation_report(
            src, tgt, None if given is None else given if i == 0 else [(y, x) for x, y in given], csls=csls,
            refine=refine, test_size=test_size, max_pairs=max_pairs, no_dictionary=no_dictionary,
            pairs_name=pairs_name,
            progress=step and (lambda d, _t, m, s=step, lab=label: s(1 + d, steps, f"{lab}: {m}")))
        tell(step, steps - 1, steps, f"{label}: listing the words it gets wrong")
        ways.append(Direction(translator, result, wrong_words(translator, csls)))
    tell(progress, 1, 1, "done")
    return BilingualFit(*ways)
