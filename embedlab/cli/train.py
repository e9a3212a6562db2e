"""``embedlab train`` and ``embedlab corpus info``: train word2vec / GloVe and inspect corpora.

Both spellings work::

    embedlab train word2vec --cbow --corpus default --out my-cbow
    embedlab train notes.txt --method glove --out my-glove --json
"""

from __future__ import annotations

import argparse
from pathlib import Path

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress
from embedlab.errors import InvalidParameterError
from embedlab.jobs import LocalContext

_ALGOS = {"word2vec": None, "skipgram": "skipgram", "skip-gram": "skipgram", "cbow": "cbow", "glove": "glove"}


def _add_corpus_options(p) -> None:
    p.add_argument("--keep-case", action="store_true", help="do not lower-case the text")
    p.add_argument("--keep-punctuation", action="store_true", help="keep punctuation tokens")
    p.add_argument("--min-count", type=int, default=5, help="drop words seen fewer times (default 5)")
    p.add_argument("--max-vocab", type=int, default=None, help="keep only the N most frequent words")


def register(sub) -> None:
    """Register ``train`` and ``corpus``."""
    p = sub.add_parser("train", help="train word2vec (skip-gram / CBOW) or GloVe on a corpus",
                       description="Train embeddings and save them in the workspace. Positional arguments "
                       "are a method (word2vec, skipgram, cbow, glove) and/or corpus paths.")
    p.add_argument("what", nargs="*", metavar="METHOD|CORPUS",
                   help="word2vec | skipgram | cbow | glove, and/or .txt / .zip / folder paths")
    p.add_argument("--corpus", action="append", default=None,
                   help="corpus path (repeatable), 'default' for the bundled corpus (the default), or a "
                   "bundled part: 'dictionary' (WordNet glosses), 'encyclopedia-news' (Wikipedia + news)")
    p.add_argument("--method", choices=["skipgram", "cbow", "glove"], default=None)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--sg", dest="sg", action="store_true", default=None, help="skip-gram (word2vec default)")
    g.add_argument("--cbow", dest="sg", action="store_false", help="CBOW")
    p.add_argument("--dim", type=int, default=None)
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--window", type=int, default=None)
    p.add_argument("--negative", type=int, default=None, help="negative samples (word2vec)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--out", required=True, help="name to save the space under in the workspace")
    p.add_argument("--no-eval", action="store_true", help="skip the evaluation")
    p.add_argument("--continue-from", default=None, metavar="NAME",
                   help="train the saved word2vec space NAME further on the corpus (new words join the "
                   "vocabulary) instead of starting from scratch")
    _add_corpus_options(p)
    add_json_flag(p)
    p.set_defaults(func=cmd_train)

    c = sub.add_parser("corpus", help="inspect a training corpus")
    csub = c.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND")
    info = csub.add_parser("info", help="tokens, sentences and vocabulary size after min count")
    info.add_argument("path", nargs="*", default=["default"], help="corpus paths or 'default'")
    _add_corpus_options(info)
    add_json_flag(info)
    info.set_defaults(func=cmd_corpus_info)
    c.set_defaults(func=lambda a: c.print_help() or 1)


def _options(args):
    from embedlab.train.corpus import TokenOptions

    return TokenOptions(lowercase=not args.keep_case, strip_punctuation=not args.keep_punctuation,
                        min_count=args.min_count, max_vocab=args.max_vocab)


def resolve_method(args: argparse.Namespace) -> tuple[str, list[str]]:
    """The training method and corpus paths from positional words, ``--method`` and ``--sg/--cbow``."""
    algos = [_ALGOS[w.lower()] or "word2vec" for w in args.what if w.lower() in _ALGOS]
    paths = [w for w in args.what if w.lower() not in _ALGOS] + list(args.corpus or [])
    method = args.method or (algos[0] if algos else "skipgram")
    if method == "word2vec":
        method = "cbow" if args.sg is False else "skipgram"
    if len(set(algos) - {"word2vec", method}) or (args.sg is not None and method == "glove"):
        raise InvalidParameterError(
            f"Conflicting methods ({', '.join(args.what)} / --method {args.method}); give one of "
            "skipgram, cbow or glove (--sg/--cbow apply to word2vec only)."
        )
    if args.sg is not None:
        method = "skipgram" if args.sg else "cbow"
    return method, paths or ["default"]


def _asked_sg(args: argparse.Namespace) -> bool | None:
    """Skip-gram (True) or CBOW (False) when the command line names one (--sg/--cbow, --method, or the
    words skipgram/cbow), else None (plain ``word2vec`` or nothing: whatever the method is)."""
    if args.sg is not None:
        return bool(args.sg)
    named = [_ALGOS[w.lower()] for w in args.what if w.lower() in _ALGOS] + [args.method]
    return next((m == "skipgram" for m in named if m in ("skipgram", "cbow")), None)


def cmd_train(args) -> int:
    from embedlab.train.corpus import stats
    from embedlab.train.live import run

    method, paths = resolve_method(args)
    parent = _parent(args, method)
    params = _params(args, method, parent)  # refusals come before the corpus is read
    method = params.method if parent is not None else method
    corpus = _load_corpus(paths, _options(args))
    for note in corpus.notes:
        progress(f"note: {note}")
    st = stats(corpus)
    progress(f"corpus: {st.n_tokens:,} tokens, {st.n_sentences:,} sentences, vocabulary {st.vocab_size:,} "
             f"(min count {st.min_count})")

    trained = run(LocalContext(ProgressPrinter(prefix=f"[{method}] ")), corpus, params, name=args.out,
                  evaluate=not args.no_eval, save=True, continue_from=parent)
    summary = {"name": args.out, "method": method, "path": str(trained.path),
               "seconds": round(trained.result.seconds, 2), "epochs": trained.result.epochs_done,
               "vocab_size": len(trained.space), "dim": trained.space.dim, "tokens": st.n_tokens,
               "losses": trained.result.losses, "params": params.to_dict(),
               "continued_from": args.continue_from, "new_words": trained.result.extra.get("new_words"),
               "evaluation": None if trained.evaluation is None
               else trained.evaluation.to_dict(max_failures=0)}
    text = [f"saved {args.out} ({len(trained.space):,} words x {trained.space.dim}) to {trained.path} "
            f"in {trained.result.seconds:.1f} s"]
    if trained.evaluation is not None:
        text.append(trained.evaluation.summary_table().to_string(index=False, float_format="%.3f"))
    emit(summary, args.json, "\n".join(text))
    return 0


def _load_corpus(paths: list[str], options):
    """``load_corpus``, plus the bundled demo slices by name (``dictionary``, ``encyclopedia-news``)."""
    from embedlab.compare.slices import bundled_slice, bundled_slice_names
    from embedlab.train.corpus import load_corpus

    if len(paths) == 1 and paths[0] in bundled_slice_names() and not Path(paths[0]).exists():
        return bundled_slice(paths[0], options)
    return load_corpus(paths, options)


def _params(args, method: str, parent):
    """Training parameters: the command line's, or (``--continue-from``) the parent's with what may change."""
    from embedlab.train.live import make_params

    if parent is None:
        return make_params(method, dim=args.dim, epochs=args.epochs, window=args.window,
                           negative=args.negative, seed=args.seed, workers=args.workers,
                           min_count=args.min_count, max_vocab=args.max_vocab)
    from embedlab.train.continued import continue_params, load_state

    return continue_params(load_state(parent), parent.name, sg=_asked_sg(args), dim=args.dim,
                           window=args.window, negative=args.negative, epochs=args.epochs, seed=args.seed,
                           workers=args.workers, min_count=args.min_count)


def _parent(args, method: str):
    """The saved space to continue from (``--continue-from``), or ``None``."""
    if not args.continue_from:
        return None
    if method == "glove":
        raise InvalidParameterError("--continue-from works with word2vec (skip-gram / CBOW) spaces only; "
                                    "GloVe has no incremental training here. Drop --method glove.")
    from embedlab.registry import load

    return load(args.continue_from)


def cmd_corpus_info(args) -> int:
    from embedlab.train.corpus import load_corpus, stats

    corpus = load_corpus(args.path, _options(args))
    st = stats(corpus)
    out = {"corpus": corpus.description, **st.to_dict(), "notes": corpus.notes}
    text = (f"{corpus.description}\n{st.n_tokens:,} tokens in {st.n_sentences:,} sentences; "
            f"{st.n_types:,} distinct words, {st.vocab_size:,} with count >= {st.min_count} "
            f"(covering {st.coverage:.1%} of tokens)\ntop: "
            + ", ".join(f"{w} ({c:,})" for w, c in st.top_words))
    emit(out, args.json, text)
    return 0
