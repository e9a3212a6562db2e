"""``embedlab train-encoder`` (train ELMo, Skip-Thought, USE's DAN or InferSent, small) and ``embedlab
encoders`` (the text encoders every command can use, with their model cards)::

    embedlab train-encoder skip-thought --corpus default --out my-skip --quick
    embedlab train-encoder infersent --corpus my-nli.csv --out my-infersent --json
    embedlab encoders --json
"""

from __future__ import annotations

import argparse
import signal

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress

KIND_CHOICES = ("elmo", "skip-thought", "use-dan", "infersent")


def cmd_train_encoder(args: argparse.Namespace) -> int:
    """Train a small encoder on a corpus and save it in the workspace (Ctrl-C stops and keeps it)."""
    from embedlab.encoders.base import ENCODER_SPECS
    from embedlab.encoders.saved import check_name
    from embedlab.textnets.training import settings_for, train_encoder

    check_name(args.out, ENCODER_SPECS)
    settings = settings_for(args.kind, args.quick, args.epochs, seed=args.seed)
    stop = [False]

    def interrupted(signum, frame) -> None:  # first Ctrl-C: stop after this step and save what is trained
        if stop[0]:
            raise KeyboardInterrupt
        stop[0] = True
        progress("  stopping after this step; what is trained so far will be saved (Ctrl-C again to abort)")

    before = signal.signal(signal.SIGINT, interrupted)
    try:
        result = train_encoder(args.kind, args.corpus if len(args.corpus) > 1 else args.corpus[0], args.out,
                               settings, args.device, None if args.json else ProgressPrinter(every=5.0),
                               should_stop=lambda: stop[0])
    finally:
        signal.signal(signal.SIGINT, before)
    card = result.card
    out = {"name": args.out, "kind": args.kind, "path": str(result.path), "stopped_early": result.stopped,
           "parameters": card["parameters"], "dim": card["dim"], "training_seconds": card["training_seconds"],
           "final_loss": result.losses[-1].loss if result.losses else None, "data": card["data"],
           "loss_curve": card["loss_curve"], "notes": result.notes}
    text = "\n".join([
        f"Saved encoder '{args.out}' ({args.kind}, {card['parameters']:,} parameters, "
        f"{card['dim']}-d vectors){' — stopped early' if result.stopped else ''}",
        f"  data: {card['data']}",
        f"  {card['training_seconds'] / 60:.1f} min on {card['machine']}; loss "
        + (f"{result.losses[0].loss:.3f} → {result.losses[-1].loss:.3f}" if result.losses else "n/a"),
        f"  use it: embedlab sentences FILE --query TEXT --encoder {args.out}",
        *result.notes])
    emit(out, args.json, text)
    return 0


def cmd_encoders(args: argparse.Namespace) -> int:
    """List the text encoders (configured and saved) with a line of their model card."""
    from embedlab.encoders.base import ENCODER_SPECS
    from embedlab.encoders.saved import names

    rows = [{"name": s.name, "kind": s.kind, "description": s.description, "saved": False}
            for s in ENCODER_SPECS.values() if s.kind != "image-cnn"]
    rows += [{"name": n, "kind": "small-text", "description": "trained and saved in the workspace",
              "saved": True} for n in names()]
    if args.name:
        from embedlab.textnets.cards import card

        c = card(args.name)
        shown = (f"{k}: {v}" for k, v in c.items() if k not in ("loss_curve", "scalar_mix"))
        emit(c, args.json, "\n".join(shown))
        return 0
    w = max(len(r["name"]) for r in rows)
    emit(rows, args.json, "\n".join(f"{r['name']:<{w}}  {r['description']}" for r in rows))
    return 0


def register(sub) -> None:
    """Register ``train-encoder`` and ``encoders``."""
    p = sub.add_parser("train-encoder", help="train ELMo, Skip-Thought, USE's DAN or InferSent (small)",
                       description="Train a small sentence encoder with its paper's architecture and save "
                       "it in the workspace under --out; every command's --encoder (and classify --features) "
                       "can then use it. Ctrl-C stops early and saves what is trained.")
    p.add_argument("kind", choices=KIND_CHOICES)
    p.add_argument("--corpus", nargs="+", default=["default"], metavar="DEFAULT_OR_FILE",
                   help="'default' (bundled corpus; InferSent: bundled WordNet gloss pairs), 'sample', text "
                   "files / folders / zips, or (InferSent) an NLI CSV with premise,hypothesis,label")
    p.add_argument("--out", required=True, metavar="NAME", help="name to save the encoder under")
    p.add_argument("--epochs", type=int, default=None, help="passes over the data (default: the kind's)")
    p.add_argument("--quick", action="store_true", help="tiny settings: about a minute, for a class")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (default: CUDA when torch sees one)")
    p.add_argument("--seed", type=int, default=0)
    add_json_flag(p)
    p.set_defaults(func=cmd_train_encoder)

    e = sub.add_parser("encoders", help="list the text encoders (configured and saved), or one's model card")
    e.add_argument("name", nargs="?", default=None, help="show this small encoder's model card")
    add_json_flag(e)
    e.set_defaults(func=cmd_encoders)
