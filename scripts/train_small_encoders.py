"""Train the small encoders embedlab ships (``sample_data/encoders/<name>/``), with fixed seeds.

    python scripts/train_small_encoders.py elmo skip-thought use-dan infersent [--device auto] [--threads N]
    python scripts/train_small_encoders.py use-dan --quick --out /tmp/try   # about a minute, for a class

Each kind is trained with :data:`embedlab.textnets.training.FULL` (``--quick``: ``QUICK``) on the bundled
corpus (InferSent: the bundled WordNet gloss pairs), on CPU or CUDA (``--device auto`` takes a GPU when
torch sees one), then written as float16 with ``card.json`` and ``MODEL_CARD.md`` into
``OUT/<kind>-small/`` (default ``OUT``: ``sample_data/encoders``, replacing the shipped files).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from embedlab.textnets import KINDS
    from embedlab.textnets.cards import markdown
    from embedlab.textnets.store import write
    from embedlab.textnets.training import settings_for, train_encoder

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kinds", nargs="+", choices=list(KINDS))
    ap.add_argument("--device", default="auto", help="cpu, cuda or auto (default)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch CPU threads (default 1: fastest on a shared machine; 0: torch's own setting)")
    ap.add_argument("--quick", action="store_true", help="the tiny settings (about a minute each)")
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "sample_data" / "encoders"))
    args = ap.parse_args()
    last = [0.0]

    def progress(done: float, total: float, message: str) -> None:
        if time.monotonic() - last[0] > 30 or done == total:
            last[0] = time.monotonic()
            print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)

    for kind in args.kinds:
        name = KINDS[kind]
        settings = settings_for(kind, args.quick, args.epochs, seed=args.seed)
        print(f"{name}: training ({settings})", flush=True)
        result = train_encoder(kind, "default", None, settings, args.device, progress,
                               threads=args.threads or None)
        folder = Path(args.out) / name
        tmp = folder.with_name(f".{name}-new")
        shutil.rmtree(tmp, ignore_errors=True)
        options = [a for a in sys.argv[1:] if a not in args.kinds]
        card = {**result.card, "name": name,
                "command": " ".join(["python scripts/train_small_encoders.py", kind, *options])}
        write(result.net.cpu(), tmp, "float16", card)
        (tmp / "MODEL_CARD.md").write_text(markdown(card), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"{name}: {card['parameters']:,} parameters, {card['training_seconds'] / 60:.1f} min, "
              f"{size / 1e6:.1f} MB in {folder}", flush=True)


if __name__ == "__main__":
    main()
