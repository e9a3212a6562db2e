"""Image uploads, decoding, clustering, thumbnails and ConSE arithmetic: no neural network needed (fast)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from conftest import make_zip
from PIL import Image

from embedlab import pixels
from embedlab.errors import InputTooLargeError, InvalidParameterError
from embedlab.images import io as imio
from embedlab.images.cluster import agreement, choose_k, cluster_space, name_clusters
from embedlab.images.conse import conse_vectors
from embedlab.images.io import read_uploads
from embedlab.images.pipeline import decode_topk, encode_topk
from embedlab.images.thumbs import spread_selection, thumbnail_uri, uri_bytes
from embedlab.pixels import ImageRefusedError, decode
from embedlab.plots.images import thumbnail_map
from embedlab.space import EmbeddingSpace
from embedlab.uploads import UnsafeArchiveError


def encoded(img: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


RED = encoded(Image.new("RGB", (8, 8), (255, 0, 0)))


# ------------------------------------------------------------------ decoding
def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    data = encoded(Image.new("RGB", (40, 20), (0, 128, 0)), "JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).size == (40, 20)
    assert decode(data, "phone.jpg").size == (20, 40)
    img = Image.open(io.BytesIO(data))
    assert pixels.to_rgb(img, copy=False).size == (20, 40) and img.size == (40, 20)  # caller's image kept


def test_to_rgb_without_copy_returns_upright_rgb_as_is():
    img = Image.new("RGB", (6, 4), (1, 2, 3))
    assert pixels.to_rgb(img, copy=False) is img
    assert pixels.to_rgb(img) is not img and np.array_equal(np.asarray(pixels.to_rgb(img)), np.asarray(img))
    grey = Image.new("L", (6, 4), 9)
    assert pixels.to_rgb(grey, copy=False).mode == "RGB"


def test_greyscale_and_palette_become_rgb():
    grey = decode(encoded(Image.new("L", (5, 5), 77)), "grey.png")
    assert grey.mode == "RGB" and grey.getpixel((2, 2)) == (77, 77, 77)
    pal = decode(encoded(Image.new("RGB", (5, 5), (0, 0, 255)).convert("P")), "pal.png")
    assert pal.mode == "RGB" and pal.getpixel((0, 0)) == (0, 0, 255)


def test_alpha_is_composited_on_white():
    img = Image.new("RGBA", (6, 6), (255, 0, 0, 0))  # fully transparent red
    img.putpixel((0, 0), (255, 0, 0, 255))  # one opaque red pixel
    rgb = decode(encoded(img), "alpha.png")
    assert rgb.getpixel((3, 3)) == (255, 255, 255)
    assert rgb.getpixel((0, 0)) == (255, 0, 0)


def test_gif_first_frame_webp_and_bmp():
    frames = [Image.new("RGB", (6, 6), c) for c in [(255, 0, 0), (0, 0, 255)]]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    r, g, b = decode(buf.getvalue(), "anim.gif").getpixel((3, 3))
    assert r > 200 and b < 50
    assert decode(encoded(Image.new("RGB", (7, 5), (10, 200, 10)), "WEBP", lossless=True)).size == (7, 5)
    assert decode(encoded(Image.new("RGB", (3, 4), (1, 2, 3)), "BMP")).getpixel((1, 1)) == (1, 2, 3)


def test_decompression_bomb_is_refused():
    bomb = encoded(Image.new("1", (8000, 8000)))  # 64 million pixels in a few kB
    assert len(bomb) < 100_000
    with pytest.raises(ImageRefusedError, match="decompression bomb"):
        decode(bomb, "bomb.png")


def test_non_image_with_image_suffix_is_refused():
    with pytest.raises(ImageRefusedError, match="fake.png.*not a readable image"):
        decode(b"hello, I am text", "fake.png")


@pytest.mark.parametrize("fmt, named", [("TIFF", "a TIFF file"), ("EPS", "a PostScript/EPS file"),
                                       ("JPEG2000", "a JPEG 2000 file"), ("ICO", "a Windows icon"),
                                       ("PPM", "not a readable image"), ("PCX", "not a readable image"),
                                       ("TGA", "not a readable image"), ("SGI", "not a readable image"),
                                       ("DDS", "not a readable image"), ("QOI", "not a readable image")])
def test_other_formats_renamed_png_are_refused(fmt, named):
    data = encoded(Image.new("RGB", (32, 32), (255, 0, 0)), fmt)
    assert Image.open(io.BytesIO(data)).format == fmt  # Pillow alone would open it
    with pytest.raises(ImageRefusedError, match=f"'disguised.png' is {named}.*expected JPEG, PNG, WebP"):
        decode(data, "disguised.png")


def test_only_the_accepted_decoders_are_asked(monkeypatch):
    asked = []
    real_open = Image.open

    def spy(fp, mode="r", formats=None):
        asked.append(formats)
        return real_open(fp, mode, formats)

    monkeypatch.setattr(Image, "open", spy)
    decode(RED, "red.png")
    assert asked == [pixels.ACCEPTED_FORMATS]
    assert set(pixels.ACCEPTED_FORMATS) == {"JPEG", "PNG", "WEBP", "GIF", "BMP"}


def test_preprocess_gives_model_pixels():
    px = pixels.decode_for_model(encoded(Image.new("RGB", (300, 120), (9, 9, 9))), "wide.png", size=32)
    assert px.shape == (32, 32, 3) and px.dtype == np.uint8 and int(px[5, 5, 0]) == 9


# ------------------------------------------------------------------- uploads
def test_non_images_are_listed_and_the_rest_kept():
    batch = read_uploads([("a.png", RED), ("notes.txt", b"x"), ("b.png", RED), ("a.png", RED)])
    assert [it.key for it in batch.items] == ["a.png", "b.png", "a (2).png"]
    assert [n for n, _ in batch.refused] == ["notes.txt"]
    assert "not an image" in batch.refused[0][1]


def test_zip_folders_become_labels():
    data = make_zip({"pets/cats/c1.png": RED, "pets/dogs/d1.png": RED, "pets/readme.md": b"hi",
                     "__MACOSX/._c1.png": b"junk"})
    batch = read_uploads([("pets.zip", data)])
    labels = {it.key: it.label for it in batch.items}
    assert labels == {"pets/cats/c1.png": "cats", "pets/dogs/d1.png": "dogs"}
    assert batch.refused == [("pets.zip/pets/readme.md", "unsupported file type")]


def test_zip_escaping_its_folder_is_refused():
    with pytest.raises(UnsafeArchiveError, match="escape"):
        read_uploads([("evil.zip", make_zip({"ok.png": RED, "../../etc/evil.png": RED}))])


def test_zip_inflating_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(imio, "MAX_INFLATED_BYTES", 10_000)
    big = make_zip({"a.png": RED, "big.png": b"\0" * 50_000})  # compresses to ~100 bytes
    with pytest.raises(InputTooLargeError, match="inflate"):
        read_uploads([("bomb.zip", big)])


def test_too_many_files_are_refused():
    files = [(f"{i}.png", RED) for i in range(4)]
    with pytest.raises(InputTooLargeError, match="4 images.*limit is 3"):
        read_uploads(files, max_files=3)
    with pytest.raises(InputTooLargeError, match="limit is 3"):
        read_uploads([("many.zip", make_zip(dict(files)))], max_files=3)


def test_too_many_bytes_are_refused(monkeypatch):
    monkeypatch.setattr(imio, "MAX_TOTAL_BYTES", 2 * len(RED))
    with pytest.raises(InputTooLargeError, match="c.png"):
        read_uploads([("a.png", RED), ("b.png", RED), ("c.png", RED)])


def test_read_folder_labels_from_subfolders(tmp_path):
    (tmp_path / "red").mkdir()
    (tmp_path / "red" / "r.png").write_bytes(RED)
    (tmp_path / "loose.png").write_bytes(RED)
    (tmp_path / "notes.txt").write_text("x")
    batch = imio.read_folder(tmp_path)
    assert {it.key: it.label for it in batch.items} == {"loose.png": None, "red/r.png": "red"}
    assert batch.refused == [("notes.txt", "not an image file type")]


# ------------------------------------------------------------------ clusters
def planted(n_per: int = 20, groups: int = 4, d: int = 32, seed: int = 0) -> EmbeddingSpace:
    import pandas as pd

    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, d)) * 4
    x = np.vstack([c + rng.normal(size=(n_per, d)) for c in centres])
    labels = np.repeat([f"g{i}" for i in range(groups)], n_per)
    predicted = np.repeat(["dog", "cat", "car", "cup"][:groups], n_per)
    meta = pd.DataFrame({"label": labels, "predicted": predicted})
    return EmbeddingSpace([f"img{i}.png" for i in range(len(x))], x, meta, name="planted-images")


def test_kmeans_recovers_planted_groups_and_picks_k():
    res = cluster_space(planted(), "kmeans", k_range=(2, 8))
    assert res.k == 4 and max(res.silhouette_by_k, key=res.silhouette_by_k.get) == 4
    assert res.ari == pytest.approx(1.0) and res.nmi == pytest.approx(1.0)
    assert sorted(res.names.values()) == ["car", "cat", "cup", "dog"]
    assert res.as_dict()["clusters"][0]["size"] == 20


def test_fixed_k_and_hdbscan():
    sp = planted(groups=3)
    assert cluster_space(sp, "kmeans", k=5).k == 5
    hd = cluster_space(sp, "hdbscan", min_cluster_size=5)
    assert hd.k == 3 and hd.ari > 0.9
    with pytest.raises(InvalidParameterError, match="k=99"):
        cluster_space(sp, "kmeans", k=99)
    with pytest.raises(InvalidParameterError, match="spectral"):
        cluster_space(sp, "spectral")


def test_choose_k_range_validation_and_names():
    x = planted(groups=2).vectors
    k, scores, labels = choose_k(x, (2, 4))
    assert k == 2 and set(scores) == {2, 3, 4} and len(labels) == len(x)
    with pytest.raises(InvalidParameterError, match="k range"):
        choose_k(x, (1, 4))
    assert name_clusters(np.array([0, 0, 0, 1, -1]), ["dog", "dog", "terrier", "cat", "x"]) == {
        -1: "noise", 0: "dog, terrier", 1: "cat"}
    assert agreement(["a", "a", "b"], np.array([1, 1, 0])) == (pytest.approx(1.0), pytest.approx(1.0))


# ---------------------------------------------------------------- thumbnails
def test_spread_selection_keeps_thumbnails_apart():
    xy = np.random.default_rng(1).uniform(size=(2000, 2)).astype(np.float32)
    rows = spread_selection(xy, max_n=150, min_dist=0.05)
    assert 0 < len(rows) <= 150 and len(set(rows.tolist())) == len(rows)
    pts = xy[rows]
    d = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1)) + np.eye(len(pts))
    assert d.min() >= 0.05


def test_thumbnail_map_draws_pictures_and_points():
    img = Image.new("RGB", (200, 100), (0, 0, 255))
    uri = thumbnail_uri(img, size=32)
    assert uri.startswith("data:image/jpeg;base64,")
    assert Image.open(io.BytesIO(uri_bytes(uri))).size == (32, 16)
    xy = np.random.default_rng(0).normal(size=(300, 2)).astype(np.float32)
    keys = [f"k{i}" for i in range(300)]
    fig, drawn = thumbnail_map(xy, keys, [uri] * 300, groups=["a", "b"] * 150, max_images=40)
    assert 0 < drawn <= 40 and len(fig.layout.images) == drawn
    assert sum(len(t.x) for t in fig.data if t.mode != "text") == 300  # every point once
    assert [list(t.text) for t in fig.data if t.mode == "text"] == [["a", "b"]]  # groups named at centres
    assert set(fig.data[0].customdata) <= set(keys)


# ---------------------------------------------------------------------- ConSE
def test_conse_vectors_are_probability_weighted_class_averages():
    classes = np.eye(4, dtype=np.float32)
    ids = np.array([[0, 1, 2], [3, 2, 1]])
    probs = np.array([[0.6, 0.3, 0.1], [0.9, 0.05, 0.05]], dtype=np.float32)
    v = conse_vectors(ids, probs, classes, t=2)
    expected = np.array([0.6, 0.3, 0, 0]) / np.linalg.norm([0.6, 0.3])
    assert np.allclose(v[0], expected, atol=1e-6)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0)
    assert v[1].argmax() == 3
    with pytest.raises(InvalidParameterError):
        conse_vectors(ids, probs, classes, t=0)


def test_topk_column_round_trip():
    ids = np.array([[281, 282], [504, 967]])
    probs = np.array([[0.5, 0.25], [0.75, 0.125]], dtype=np.float32)
    col = encode_topk(ids, probs)
    assert col[0] == "281:0.5000 282:0.2500"
    i2, p2 = decode_topk(col)
    assert (i2 == ids).all() and np.allclose(p2, probs)


def test_an_image_file_past_the_size_limit_is_refused_unread(tmp_path):
    from embedlab.encoders import get_encoder
    from embedlab.pixels import MAX_FILE_BYTES, ImageRefusedError, decode

    big = tmp_path / "huge.png"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(ImageRefusedError, match="larger than 25 MB"):
        get_encoder("efficientnet-lite0").to_pixels(big)
    with pytest.raises(ImageRefusedError, match="larger than 25 MB"):
        decode(b"\0" * (MAX_FILE_BYTES + 1), "huge.png")


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_more_files_at_once_than_the_uploader_takes_are_refused_and_a_zip_of_them_is_read():
    from embedlab.uploads import MAX_FILES_AT_ONCE

    pairs = [(f"img{i}.png", _png()) for i in range(MAX_FILES_AT_ONCE + 1)]
    with pytest.raises(InputTooLargeError, match=rf"{MAX_FILES_AT_ONCE + 1} files were picked at once.*"
                                                 rf"at most {MAX_FILES_AT_ONCE} at a time.*one \.zip"):
        read_uploads(pairs)
    batch = read_uploads([("many.zip", make_zip(dict(pairs)))])
    assert len(batch.items) == MAX_FILES_AT_ONCE + 1 and not batch.refused
