"""Images to an :class:`~embedlab.space.EmbeddingSpace`: decode, run the CNN, cache per file.

Two worker threads each decode a batch and then run the network on it, so one worker's decoding
overlaps the other's network.

Features, top ImageNet classes and a small thumbnail are cached on disk per file content hash
(``workspace.cache_dir("image-features")``), so uploading the same pictures again is instant.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from embedlab.batching import chunks, map_in_order
from embedlab.encoders import get_encoder
from embedlab.encoders.image import DEFAULT_BATCH, imagenet_class_names, top_k_probs
from embedlab.errors import EmptyInputError
from embedlab.images.io import ImageBatch, ImageItem
from embedlab.images.thumbs import thumbnail_uri
from embedlab.pixels import ImageRefusedError, decode
from embedlab.progress import Progress
from embedlab.space import EmbeddingSpace
from embedlab.workspace import cache_dir

TOPK = 10  # ImageNet classes kept per image (for labels, cluster names and ConSE)
DEFAULT_ENCODER = "efficientnet-lite0"


@dataclass
class Embedded:
    """Per-image results: features, top classes (ids, probs), thumbnails, plus refused files."""

    items: list[ImageItem]
    features: np.ndarray
    top_ids: np.ndarray
    top_probs: np.ndarray
    thumbs: list[str]
    refused: list[tuple[str, str]] = field(default_factory=list)
    cached: int = 0


def _cache_path(encoder_name: str, digest: str):
    d = cache_dir("image-features") / encoder_name / digest[:2]
    d.mkdir(parents=True, exist_ok=True)
    return d / f"{digest}.npz"


def _cache_get(encoder_name: str, digest: str) -> dict | None:
    path = _cache_path(encoder_name, digest)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return {"f": z["f"], "i": z["i"], "p": z["p"], "t": str(z["t"])}
    except (OSError, ValueError, KeyError):
        return None  # a damaged cache entry is recomputed


def _cache_put(encoder_name: str, digest: str, f, i, p, thumb: str) -> None:
    path = _cache_path(encoder_name, digest)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:6]}.npz")
    np.savez(tmp, f=f, i=i, p=p, t=np.array(thumb))
    os.replace(tmp, path)


def _decode_one(enc, item: ImageItem) -> tuple[np.ndarray | None, str, str]:
    """Model pixels and a thumbnail for one item; ``(None, "", reason)`` when refused."""
    try:
        img = decode(item.data, item.key, draft=2 * enc.image_size)
        return enc.to_pixels(img), thumbnail_uri(img), ""
    except ImageRefusedError as exc:
        return None, "", str(exc)


def _run_batch(enc, items: Sequence[ImageItem], rows: list[int]):
    """Decode one batch and run the network: ``([(row, thumb)], [(key, reason)], (feats, logits) | None)``."""
    good, pixels, bad = [], [], []
    for i in rows:
        px, thumb, why = _decode_one(enc, items[i])
        if why:
            bad.append((items[i].key, why))
        else:
            good.append((i, thumb))
            pixels.append(px)
    return good, bad, (enc.forward(np.stack(pixels)) if pixels else None)


def embed_items(items: Sequence[ImageItem], encoder: str = DEFAULT_ENCODER, batch_size: int | None = None,
                progress: Progress | None = None, use_cache: bool = True) -> Embedded:
    """Embed images with the named encoder, reusing cached results per file content hash.

    Files that turn out not to be decodable are listed in ``refused``; the rest are embedded.
    """
    enc = get_encoder(encoder)
    bs = int(batch_size or DEFAULT_BATCH)
    n = len(items)
    rows: dict[int, dict] = {}
    refused: list[tuple[str, str]] = []
    todo = []
    for idx, it in enumerate(items):
        hit = _cache_get(encoder, it.digest) if use_cache else None
        if hit is not None:
            rows[idx] = hit
        else:
            todo.append(idx)
    cached = len(rows)
    if progress is not None:
        progress(cached, n, f"{cached:,} images from the cache")
    done = cached
    for good, bad, out in map_in_order(lambda b: _run_batch(enc, items, b), chunks(todo, bs), enc.workers,
                                       "embedlab-images"):
        refused += bad
        if out is not None:
            ids, probs = top_k_probs(out[1], TOPK)
            for (i, th), f, ii, pp in zip(good, out[0], ids, probs, strict=True):
                rows[i] = {"f": f, "i": ii.astype(np.int16), "p": pp.astype(np.float32), "t": th}
                if use_cache:
                    _cache_put(encoder, items[i].digest, f, rows[i]["i"], rows[i]["p"], th)
        done += len(good) + len(bad)
        if progress is not None:
            progress(done, n, f"embedded {done:,} / {n:,} images")
    keep = sorted(rows)
    if not keep:
        raise EmptyInputError(f"None of the {n:,} files could be read as images: "
                              + "; ".join(w for _, w in refused[:3]))
    return Embedded(
        items=[items[i] for i in keep],
        features=np.stack([rows[i]["f"] for i in keep]).astype(np.float32),
        top_ids=np.stack([rows[i]["i"] for i in keep]).astype(np.int64),
        top_probs=np.stack([rows[i]["p"] for i in keep]).astype(np.float32),
        thumbs=[rows[i]["t"] for i in keep],
        refused=refused,
        cached=cached,
    )


def encode_topk(ids: np.ndarray, probs: np.ndarray) -> list[str]:
    """Top classes per image as compact strings ``"281:0.3710 282:0.2490 ..."`` (a metadata column)."""
    return [" ".join(f"{int(i)}:{float(p):.4f}" for i, p in zip(r_i, r_p, strict=True))
            for r_i, r_p in zip(ids, probs, strict=True)]


def decode_topk(column: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`encode_topk`: ``(ids, probs)`` arrays of shape (n, k)."""
    pairs = [[tok.split(":") for tok in str(s).split()] for s in column]
    k = max((len(p) for p in pairs), default=0)
    ids = np.zeros((len(pairs), k), np.int64)
    probs = np.zeros((len(pairs), k), np.float32)
    for r, row in enumerate(pairs):
        for c, (i, p) in enumerate(row):
            ids[r, c], probs[r, c] = int(i), float(p)
    return ids, probs


def to_space(emb: Embedded, name: str, encoder: str = DEFAULT_ENCODER, info: dict | None = None
             ) -> EmbeddingSpace:
    """An ordinary space: keys = file names, meta = label, predicted class, top-k classes, hash, thumbnail."""
    import pandas as pd

    names = imagenet_class_names()
    meta = pd.DataFrame({
        "label": [it.label or "" for it in emb.items],
        "predicted": [names[r[0]] for r in emb.top_ids],
        "top_classes": [", ".join(names[i] for i in r[:3]) for r in emb.top_ids],
        "topk": encode_topk(emb.top_ids, emb.top_probs),
        "hash": [it.digest for it in emb.items],
        "thumb": emb.thumbs,
    })
    if not any(meta["label"]):
        meta = meta.drop(columns=["label"])
    return EmbeddingSpace([it.key for it in emb.items], emb.features, meta, name=name, info={
        "kind": "images", "encoder": encoder, "n_refused": len(emb.refused), **(info or {}),
    })


def embed_batch(batch: ImageBatch, name: str, encoder: str = DEFAULT_ENCODER, batch_size: int | None = None,
                progress: Progress | None = None, use_cache: bool = True
                ) -> tuple[EmbeddingSpace, list[tuple[str, str]]]:
    """Embed an upload or folder into a space; returns it with every refused file and the reason."""
    if not batch.items:
        raise EmptyInputError("No images to embed. Upload JPEG/PNG/WebP/GIF/BMP files or a .zip of them.")
    emb = embed_items(batch.items, encoder, batch_size, progress, use_cache)
    return to_space(emb, name, encoder), batch.refused + emb.refused
