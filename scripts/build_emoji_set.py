"""Pre-render the bundled emoji image set (run once by a maintainer; the PNGs are committed).

Renders fully-qualified emoji from Debian's ``fonts-noto-color-emoji`` (NotoColorEmoji.ttf, a CBDT bitmap
font that Pillow draws at size 109 with ``embedded_color=True``), labelled by the Unicode group and
subgroup from ``unicode-data`` (``emoji-test.txt``). Skin-tone variants and multi-person sequences are
skipped; at most ``--per-group`` emoji per group are kept, spread evenly over its subgroups.

Output: ``sample_data/images/emoji/<group>/<name>.png`` (RGBA, ``--size`` px) and ``index.csv``.

    sudo apt-get install -y fonts-noto-color-emoji unicode-data
    python scripts/build_emoji_set.py --size 96 --per-group 72
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
EMOJI_TEST = Path("/usr/share/unicode/emoji/emoji-test.txt")
OUT = Path(__file__).resolve().parents[1] / "sample_data" / "images" / "emoji"
SKIN_TONES = {0x1F3FB, 0x1F3FC, 0x1F3FD, 0x1F3FE, 0x1F3FF}
SKIP_GROUPS = {"Component"}


def slug(text: str) -> str:
    """File-system friendly lower-case name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "emoji"


def parse_emoji_test(path: Path = EMOJI_TEST) -> list[dict]:
    """Fully-qualified emoji (no skin tones, no ZWJ sequences of several people) with group/subgroup."""
    rows, group, subgroup = [], "", ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# group:"):
            group = line.split(":", 1)[1].strip()
        elif line.startswith("# subgroup:"):
            subgroup = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#") and "; fully-qualified" in line:
            codes = [int(c, 16) for c in line.split(";")[0].split()]
            name = line.split("#", 1)[1].split(" ", 3)[-1].strip()
            if group in SKIP_GROUPS or SKIN_TONES & set(codes) or codes.count(0x200D) > 1:
                continue
            rows.append({"char": "".join(map(chr, codes)), "name": name, "group": group,
                         "subgroup": subgroup, "codepoints": " ".join(f"{c:04X}" for c in codes)})
    return rows


def pick(rows: list[dict], per_group: int) -> list[dict]:
    """At most ``per_group`` emoji per group, round-robin over its subgroups (so all are represented)."""
    by_group: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_group[r["group"]][r["subgroup"]].append(r)
    out = []
    for subs in by_group.values():
        queues = [list(v) for v in subs.values()]
        chosen: list[dict] = []
        while len(chosen) < per_group and any(queues):
            for q in queues:
                if q and len(chosen) < per_group:
                    chosen.append(q.pop(0))
        out += chosen
    return out


def render(char: str, size: int):
    """One emoji as an RGBA image of ``size`` px (rendered at the font's native 109 px, then scaled)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 109)
    canvas = Image.new("RGBA", (160, 128), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((0, 0), char, font=font, embedded_color=True)
    box = canvas.getbbox()
    if box is None:
        return None
    glyph = canvas.crop(box)
    side = max(glyph.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(glyph, ((side - glyph.width) // 2, (side - glyph.height) // 2))
    return square.resize((size, size), Image.LANCZOS)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=96)
    ap.add_argument("--per-group", type=int, default=72)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = pick(parse_emoji_test(), args.per_group)
    args.out.mkdir(parents=True, exist_ok=True)
    written, used = [], set()
    for r in rows:
        img = render(r["char"], args.size)
        if img is None:
            continue
        folder = args.out / slug(r["group"])
        folder.mkdir(exist_ok=True)
        stem, n = slug(r["name"]), 2
        while f"{folder.name}/{stem}" in used:  # slugs of long names may collide
            stem, n = f"{slug(r['name'])}-{n}", n + 1
        used.add(f"{folder.name}/{stem}")
        img.save(folder / f"{stem}.png", optimize=True)
        written.append({**r, "file": f"{folder.name}/{stem}.png"})
    with open(args.out / "index.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["file", "name", "group", "subgroup", "codepoints", "char"])
        w.writeheader()
        w.writerows(written)
    print(f"wrote {len(written)} emoji to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
