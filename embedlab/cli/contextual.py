"""Contextual commands: ``polysemy`` (sense separation per layer) and ``sentences`` (semantic search)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress, scored_table
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER


def _fmt(x: float | None) -> str:
    return "   n/a" if x is None or not math.isfinite(x) else f"{x:6.3f}"


def polysemy_text(word: str, rows: list[dict], labelled: bool, n: int) -> str:
    """Human table: one line per layer."""
    what = "senses" if labelled else "2 k-means clusters (sentences unlabelled)"
    w = max([5, *(len(r.get("name", "")) + 4 for r in rows)])
    lines = [f"'{word}' in {n} sentence(s): 2-cluster ARI vs senses; mean cosine within / between {what}",
             f"{'layer':>{w}}     ARI  within  between"]
    lines += [f"{_layer_label(r):>{w}}  {_fmt(r['ari'])}  {_fmt(r['within'])}   {_fmt(r['between'])}"
              for r in rows]
    return "\n".join(lines)


def _layer_label(row: dict) -> str:
    return f"{row['layer']} {row['name']}" if row.get("name") else str(row["layer"])


def cmd_polysemy(args: argparse.Namespace) -> int:
    """Per-layer sense separation of WORD's contextual vectors."""
    from embedlab.senses import analyse, load_bundled, read_sense_file

    ss = read_sense_file(args.sentences, args.word) if args.sentences else load_bundled(args.word)
    result = analyse(ss, which=args.which, encoder=args.encoder, progress=ProgressPrinter())
    rows = [s.as_dict() for s in result.scores]
    for row, name in zip(rows, result.vectors.info.get("layer_names") or [], strict=False):
        row["name"] = name  # ELMo: char-CNN, LSTM 1, LSTM 2, scalar mix
    if args.layer is not None:
        from embedlab.errors import InvalidParameterError

        if not 0 <= args.layer < len(rows):
            raise InvalidParameterError(f"--layer {args.layer} does not exist; use 0 to {len(rows) - 1}.")
        rows = [rows[args.layer]]
    out = {"word": ss.word, "source": ss.source, "occurrences": len(result.vectors.occurrences),
           "labelled": ss.senses is not None, "layers": rows}
    emit(out, args.json, polysemy_text(ss.word, rows, ss.senses is not None, len(ss.sentences)))
    return 0


def cmd_sentences(args: argparse.Namespace) -> int:
    """Semantic search over the sentences of FILE."""
    from embedlab.errors import FormatError
    from embedlab.sentences import (
        MAX_UPLOAD_BYTES,
        averaged_space,
        embed_sentences,
        read_upload,
        semantic_search,
    )
    from embedlab.uploads import check_size

    path = Path(args.file)
    if not path.is_file():
        raise FormatError(str(path), "no such file.", hint="Give a .txt (one sentence per line) or .csv.")
    check_size(str(path), path.stat().st_size, MAX_UPLOAD_BYTES)
    inp = read_upload(path.name, path.read_bytes(), column=args.column)
    for note in inp.notes():
        progress(note)
    if args.baseline:
        from embedlab.registry import load

        words = load(args.baseline)
        space = averaged_space(inp, words)
        rows = semantic_search(space, args.query, k=args.k, words=words)
    else:
        space = embed_sentences(inp, encoder=args.encoder, progress=ProgressPrinter())
        if space.info.get("truncated"):
            progress(f"{space.info['truncated']:,} sentence(s) longer than {space.info['max_length']} tokens "
                     "were truncated.")
        rows = semantic_search(space, args.query, k=args.k)
    head = f"Sentences most like '{args.query}' ({space.name}, {len(space):,} sentences, cosine):"
    emit([{"key": k, "score": s} for k, s in rows], args.json, f"{head}\n{scored_table(rows, 'sentence')}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("polysemy", help="how well each layer separates the senses of a word",
                       description="Per layer: 2-cluster adjusted Rand index against the senses and mean "
                       "within-/between-sense cosine of the word's contextual vectors.")
    p.add_argument("word", help="the ambiguous word (bundled: bank, bat, bear, spring, pitch, crane, ...)")
    p.add_argument("--sentences", metavar="FILE",
                   help="CSV with sentence,sense columns, or a text file of sentences (default: bundled set)")
    p.add_argument("--layer", type=int, default=None, help="show only this layer (0 = embeddings)")
    p.add_argument("--which", choices=("first", "all"), default="first",
                   help="occurrence(s) of the word used per sentence")
    p.add_argument("--encoder", default=DEFAULT_TEXT_ENCODER,
                   help="contextual encoder: minilm-l6 (default), elmo-small, or a saved ELMo")
    add_json_flag(p)
    p.set_defaults(func=cmd_polysemy)

    s = sub.add_parser("sentences", help="semantic search over a file of sentences",
                       description="Embed the sentences of FILE (.txt one per line, or .csv/.tsv column) and "
                       "list the K most similar to --query.")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--query", required=True, help="the sentence to search for")
    s.add_argument("--k", type=int, default=5, help="how many results (default 5)")
    s.add_argument("--column", default=None,
                   help="CSV text column (default: 'sentence' or 'text', else the first)")
    s.add_argument("--encoder", default=DEFAULT_TEXT_ENCODER,
                   help="text encoder: minilm-l6 (default), elmo-small, skip-thought-small, use-dan-small, "
                   "infersent-small, or a saved one (embedlab encoders lists them)")
    s.add_argument("--baseline", metavar="SPACE", default=None,
                   help="use averaged word vectors of SPACE (e.g. glove-50d) instead of the transformer")
    add_json_flag(s)
    s.set_defaults(func=cmd_sentences)
