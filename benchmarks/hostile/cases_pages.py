"""Issue 22, items 3-6: hostile links and inputs on the Map, Neighbours, Use and Image pages, UMAP of a whole
space, and one very long text in ``embedlab batch embed``.

Page cases run the page under Streamlit's ``AppTest`` in the case's own process (``{python} -c`` with
:data:`PAGE_SCRIPT`): the link's query parameters are set, the page runs once, then the widgets named in
the case are set and it runs again. The script prints one line saying what the page showed (the chips of
the multiselects named in ``chips``, its progress bars, errors, warnings and infos) and, if the page
raised, the traceback on stderr. Against ``--root`` of an
older checkout the page is looked for in ``pages/`` when ``app_pages/`` is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hostile import Case, cli

PAGE_SCRIPT = r"""
import json, re, sys, pathlib
import streamlit.logger
streamlit.logger.set_log_level("error")  # Streamlit's bare-mode warnings off stderr (tracebacks still show)
import embedlab
root = pathlib.Path(embedlab.__file__).resolve().parents[1]
sys.path.insert(0, str(root))
case = json.loads(pathlib.Path(sys.argv[1]).read_text())
page = next(p for p in (root / "app_pages" / (case["page"] + ".py"), root / "pages" / (case["page"] + ".py"))
            if p.is_file())
words = None
if case.get("glove_words"):
    from embedlab.registry import load
    words = list(load("glove-50d").keys[: case["glove_words"]])
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(str(page), default_timeout=case.get("timeout", 120))
for k, v in case.get("params", {}).items():
    at.query_params[k] = v
at.run()
for kind, key, value in case.get("widgets", []):
    if value == "GLOVE_WORDS":
        value = " ".join(words)
    getattr(at, kind)(key=key).set_value(value)
if case.get("widgets"):
    at.run()
said = [f"{key}: {len(at.multiselect(key=key).value):,} chips" for key in case.get("chips", [])]
said += [p.proto.text for p in at.get("progress")]
said += [m.value for kind in ("error", "warning", "info") for m in getattr(at, kind)]
said += [m.value for m in at.caption if any(w in m.value for w in case.get("captions", []))]
print(" | ".join(re.sub(r"\\(.)", r"\1", " ".join(str(s).split()))[:160] for s in said) or "(no message)")
for e in at.exception:
    print("Traceback (most recent call last):", e.message, *e.stack_trace, sep="\n", file=sys.stderr)
"""

UMAP_JOB_SCRIPT = r"""
import resource, time
from embedlab.registry import load
from embedlab.projection import project_in_background
space = load("glove-50d")
t = time.perf_counter()
job = project_in_background(space, "umap", 2)
first = time.perf_counter() - t
job.wait()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
shape = None if job.result is None else tuple(job.result.shape)
print(f"UMAP of {len(space):,} points: {job.status} in {job.elapsed:.0f} s "
      f"(submit returned in {first:.2f} s), coordinates {shape}, peak {peak:,.0f} MB {job.error or ''}")
"""


def page(name: str, page_name: str, params: dict | None = None, widgets: list | None = None,
         check=None, limit_s: float = 20.0, **extra) -> Case:
    """Open ``page_name`` with the link's ``params``, then set ``widgets`` (kind, key, value)."""
    spec = {"page": page_name, "params": params or {}, "widgets": widgets or [], **extra}

    def setup(work: Path) -> None:
        (work / "case.json").write_text(json.dumps(spec), encoding="utf-8")

    return Case(name, ["{python}", "-c", PAGE_SCRIPT, "{work}/case.json"], setup, check, limit_s)


def _says(*words: str):
    return lambda out, err: all(w.lower() in out.lower() for w in words)


def _chips_at_most(n: int):
    def check(out: str, err: str) -> bool:
        m = re.search(r": ([\d,]+) chips", out)
        return m is not None and int(m.group(1).replace(",", "")) <= n
    return check


def _write(name: str, text: str):
    def setup(work: Path) -> None:
        (work / name).write_text(text, encoding="utf-8")
    return setup


def _images(count: int, zipped: bool):
    """``count`` tiny PNGs as the page's uploader hands them over (a zip of them when ``zipped``)."""
    return r"""
import io, sys, time, zipfile
from PIL import Image
from embedlab.images.io import read_uploads
buf = io.BytesIO(); Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG"); png = buf.getvalue()
pairs = [(f"img{i}.png", png) for i in range(COUNT)]
if ZIPPED:
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        for n, b in pairs:
            zf.writestr(n, b)
    pairs = [("many.zip", z.getvalue())]
from embedlab.errors import EmbedlabError
try:
    batch = read_uploads(pairs)
    print(f"accepted {len(batch.items):,} images, refused {len(batch.refused):,}")
except EmbedlabError as exc:
    print(f"refused: {exc}")
""".replace("COUNT", str(count)).replace("ZIPPED", str(zipped))


LONG_TEXT = "the quick brown fox jumps over the lazy dog " * 233_000  # ~10 MB on one line
N_WORDS = 20_000

CASES = [
    # item 3: the Map's word list
    page("map ?words= 20000 x the", "map", {"mode": "query", "words": ",".join(["the"] * N_WORDS)}),
    page("map ?words= 250 x the (within the link cap)", "map",
         {"mode": "query", "words": ",".join(["the"] * 250)}),
    page("map words box: 20000 distinct words", "map", {"mode": "query"},
         [("text_input", "map_query", "GLOVE_WORDS")], glove_words=N_WORDS),
    page("map ?highlight= 20000 words", "map", {"highlight": " ".join(["king"] * N_WORDS)}),
    page("map highlight box: 20000 words", "map", {},
         [("text_input", "map_highlight", "GLOVE_WORDS")], glove_words=N_WORDS),
    # item 4: UMAP of the whole space
    page("map ?mode=all&proj=umap: the click", "map", {"mode": "all", "proj": "umap"},
         check=_says("in the background")),
    Case("map UMAP of all 400k: the job", ["{python}", "-c", UMAP_JOB_SCRIPT], limit_s=600.0),
    # item 5: one long text
    cli("batch embed one 10 MB text (minilm)", "batch", "embed", "long.txt", "--kind", "text", "--out", "out",
        "--workers", "1", setup=_write("long.txt", LONG_TEXT + "\n")),
    cli("batch embed one 10 MB text (glove mean)", "batch", "embed", "long.txt", "--kind", "text", "--out",
        "out", "--workers", "1", "--encoder", "glove-50d-mean", setup=_write("long.txt", LONG_TEXT + "\n")),
    # item 6: long link values, repeated chips, many pictures
    page("neighbours ?q= 100 KB", "neighbours", {"q": "king " * 20_480}),
    page("neighbours ?q= 1000 chars (the cap) 3cosmul", "neighbours",
         {"q": ("king " * 200).strip(), "method": "3cosmul"}),
    page("neighbours ?space= 100 KB", "neighbours", {"space": "x" * 102_400}),
    page("use ?per= 20000 x 5", "use",
         {"tab": "Classify", "features": "bow", "per": ",".join(["5"] * N_WORDS)}, chips=["use_cls_per"],
         check=_chips_at_most(5)),
    page("use ?per= 500 x 5 (within the link cap)", "use",
         {"tab": "Classify", "features": "bow", "per": ",".join(["5"] * 500)}, chips=["use_cls_per"],
         check=_chips_at_most(1)),
    Case("images: 2000 files picked at once", ["{python}", "-c", _images(2000, zipped=False)],
         check=_says("refused", "zip")),
    Case("images: 2000 images in one zip", ["{python}", "-c", _images(2000, zipped=True)],
         check=_says("accepted 2,000")),
]
