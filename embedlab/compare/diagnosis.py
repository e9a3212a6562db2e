"""What a fitted word translator gets right and wrong: the points of the bilingual map, and the held-out
words it translates wrongly, each with the likely reasons.

Both work on a :class:`~embedlab.compare.translation.WordTranslator` fitted by
:func:`~embedlab.compare.bilingual.translation_report` (which keeps the seed dictionary as ``dictionary_``
and the held-out pairs as ``held_out_``), in the prepared coordinates where the mapped source words and the
target words live together.

The reasons of :func:`wrong_words` are hints read off the data, not proofs:

* **close** — a right translation is among the first five (precision@5 counts it, precision@1 does not);
* **a word missing** — a translation the dictionary gives is not a word of the target space (a phrase such
  as *pomme de terre*, or a rarer word cut from the vocabulary), so the map cannot retrieve it;
* **several meanings** — the dictionary gives :data:`MANY_SENSES` or more translations: one vector mixes
  the senses, and the map finds one of them or something in between;
* **frequency** — among the :data:`FUNCTION_RANK` most frequent words (grammatical words with many uses),
  or past the :data:`RARE_RANK` most frequent (seen rarely in training, so a noisier vector), on either side;
* **a related word** — the map's guess sits close to a right translation in the target space (cosine at
  least :data:`RELATED`): a neighbour (*cinq* for *huit*) or another form (*jeunes* for *jeune*);
* otherwise the guess is not among the dictionary's translations and may be right all the same: FreeDict,
  like every dictionary, is incomplete (*données* for *data*).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from embedlab.compare.dictionaries import language_name
from embedlab.compare.translation import WordTranslator
from embedlab.errors import InvalidParameterError, UnknownKeyError
from embedlab.linalg import pca_2d
from embedlab.strings import ordinal

MANY_SENSES = 3  # dictionary translations from which a word counts as having several meanings
FUNCTION_RANK = 50  # the most frequent words: mostly grammatical words with many uses
RARE_RANK = 10_000  # past this frequency rank a word is rare (its vector is noisier)
RELATED = 0.5  # cosine (prepared target space) from which the guess counts as related to a right answer


def _fitted(translator: WordTranslator) -> None:
    if not hasattr(translator, "held_out_"):
        raise InvalidParameterError("This translator has no held-out words; fit it with "
                                    "embedlab.compare.translation_report.")


def dictionary_entries(translator: WordTranslator, keys: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """For each source key of ``keys``: the dictionary's translations as ``(word, how)``, ``how`` being the
    target key's match (``"exact"``, ``"case"``, …) or ``"missing"`` / ``"multiword"`` when the target
    space has no such word."""
    _fitted(translator)
    wanted = set(keys)
    fs, ft = translator.finders_
    out: dict[str, list[tuple[str, str]]] = {k: [] for k in wanted}
    for x, y in translator.dictionary_.pairs:
        key, _ = fs.find(x)
        if key in wanted and all(y != w for w, _ in out[key]):
            out[key].append((y, ft.find(y)[1]))
    return out


def _reasons(translator: WordTranslator, word: dict, entry: list[tuple[str, str]]) -> list[str]:
    """Why ``word`` (an item of ``precision(details=True)["words"]``) is translated wrongly (see the
    module)."""
    src, tgt = translator.source_, translator.target_
    why = []
    if word["right_at"]:
        why.append(f"close: a right translation comes {ordinal(word['right_at'])}")
    missing = [f"'{y}'" + (" (a phrase)" if how == "multiword" else "") for y, how in entry
               if how in ("missing", "multiword")]
    if missing:
        why.append(f"a word missing: {', '.join(missing[:3])} not in {tgt.name}")
    if len(entry) >= MANY_SENSES:
        why.append(f"several meanings: the dictionary gives {len(entry)} translations")
    if word["rank"] <= FUNCTION_RANK:
        why.append(f"very frequent (rank {word['rank']}): such words are mostly grammatical, with many uses")
    elif word["rank"] > RARE_RANK:
        why.append(f"rare: rank {word['rank']:,} in {src.name}, so a noisier vector")
    t_rank, t_word = min((tgt.index(t) + 1, t) for t in word["translations"])
    if t_rank > RARE_RANK:
        why.append(f"rare translation: '{t_word}' ranks {t_rank:,} in {tgt.name}")
    guess = word["found"][0]
    v = tgt.vectors
    cos, near = max((float(v[tgt.index(guess)] @ v[tgt.index(t)]), t) for t in word["translations"])
    if cos >= RELATED:
        why.append(f"related word: the guess '{guess}' is close to '{near}' (cosine {cos:.2f})")
    if not why:
        why.append(f"'{guess}' is not among the dictionary's translations; it may be right all the same "
                   "(the dictionary is incomplete)")
    return why


def wrong_words(translator: WordTranslator, csls: bool = False) -> list[dict]:
    """The held-out words whose first translation is not one of the dictionary's, most frequent first.

    Each is a dict: ``source``, ``rank`` (frequency rank in the source space), ``dictionary`` (every
    translation the dictionary gives, found in the target space or not), ``translations`` (those that are
    target words), ``found`` (the map's five best), ``right_at`` (where a right one comes, or None) and
    ``why`` (a list of reasons, see the module docstring).
    """
    _fitted(translator)
    words = translator.precision(translator.held_out_, csls=csls, details=True)["words"]
    wrong = sorted((w for w in words if w["right_at"] != 1), key=lambda w: w["rank"])
    entries = dictionary_entries(translator, [w["source"] for w in wrong])
    out = []
    for w in wrong:
        entry = entries[w["source"]] or [(t, "exact") for t in w["translations"]]
        out.append({**w, "dictionary": [y for y, _ in entry], "why": _reasons(translator, w, entry)})
    return out


@dataclass
class BilingualPoints:
    """Words of both languages in one plane: each source word (mapped) and its translation."""

    source: list[str]  # source keys, in the order asked
    target: list[str]  # the translation drawn for each: the map's guess when right, else the dictionary's
    guess: list[str]  # the map's first translation of each
    right: list[bool | None]  # whether the guess is a dictionary translation (None: not in the dictionary)
    source_xy: np.ndarray  # (n, 2)
    target_xy: np.ndarray  # (n, 2)
    missing: list[str]  # asked words that are not in the source space
    source_name: str
    target_name: str
    source_language: str  # language names ("English"), or the code when it has no name ("unknown")
    target_language: str


def bilingual_points(translator: WordTranslator, words: Sequence[str], csls: bool = False) -> BilingualPoints:
    """Source ``words`` mapped into the target space, each with its translation, projected together on the
    first two principal components of all the points (both languages share the plane).

    A word's translation is the map's first guess when the dictionary agrees, else the dictionary's first
    translation; a word the dictionary lacks gets the guess (``right`` None). Words not in the source space
    are listed in ``missing`` (each once), not raised.
    """
    gold: dict[str, list[str]] = {}
    for x, y in translator.match_.pairs:
        gold.setdefault(x, []).append(y)
    keys, missing = [], []
    for w in words:
        try:
            key = translator.source_key(w)
        except UnknownKeyError:
            missing.append(w)
            continue
        if key not in keys:
            keys.append(key)
    src, tgt = translator.source_, translator.target_
    mapped = translator.mapped(src.indices(keys)) if keys else np.zeros((0, tgt.dim), np.float32)
    found, _ = translator.nearest(mapped, 1, csls)
    guesses = [tgt.keys[j] for j in found[:, 0]]
    right = [None if k not in gold else g in gold[k] for k, g in zip(keys, guesses, strict=True)]
    target = [g if r is not False else gold[k][0] for k, g, r in zip(keys, guesses, right, strict=True)]
    xy = pca_2d(np.vstack([mapped, tgt.vectors[tgt.indices(target)]])) if keys else np.zeros((0, 2))
    return BilingualPoints(keys, target, guesses, right, xy[:len(keys)], xy[len(keys):],
                           list(dict.fromkeys(missing)), src.name, tgt.name, language_name(src.language),
                           language_name(tgt.language))


def map_words(translator: WordTranslator, n: int = 16) -> list[str]:
    """Default words for the bilingual map: the ``n`` most frequent held-out source words past the
    :data:`FUNCTION_RANK` first (content words the map never saw paired)."""
    _fitted(translator)
    src = translator.source_
    held = sorted({src.index(x) for x, _ in translator.held_out_ if x in src})
    rows = [r for r in held if r >= FUNCTION_RANK] or held
    return [src.keys[r] for r in rows[:n]]
