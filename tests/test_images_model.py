"""The EfficientNet-Lite0 encoder, the cached embedding pipeline, ConSE search and the `images` CLI,
on scikit-image's bundled photos (one encoder shared by the whole module)."""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pytest
from PIL import Image

from embedlab.cli import main
from embedlab.images.datasets import load_image_set
from embedlab.images.io import ImageItem
from embedlab.images.pipeline import decode_topk, embed_batch, embed_items

CAT_IDS = set(range(281, 286))  # tabby, tiger cat, Persian, Siamese, Egyptian Mau
COFFEE_IDS = {504, 967, 968}  # coffee mug, espresso, cup


@pytest.fixture(scope="module")
def encoder():
    from embedlab.encoders import get_encoder

    return get_encoder("efficientnet-lite0")  # built once per process, shared by every test here


@pytest.fixture(scope="module")
def photos(encoder):
    batch = load_image_set("skimage-photos")
    space, refused = embed_batch(batch, "photos")
    assert refused == []
    return batch, space


def top_ids(space, key: str) -> list[int]:
    ids, _ = decode_topk([space.meta_column("topk")[space.index(key)]])
    return ids[0].tolist()


def test_space_shape_and_metadata(photos):
    batch, space = photos
    assert len(space) == len(batch.items) >= 12 and space.dim == 1280
    assert space.vectors.dtype == np.float32
    assert {"label", "predicted", "top_classes", "topk", "hash", "thumb"} <= set(space.meta_columns)
    assert space.meta_column("thumb")[0].startswith("data:image/jpeg;base64,")


def test_cat_photo_is_a_cat_and_coffee_is_coffee(photos):
    _, space = photos
    assert top_ids(space, "cat.png")[0] in CAT_IDS
    assert top_ids(space, "coffee.png")[0] in COFFEE_IDS
    assert "cat" in space.meta_column("top_classes")[space.index("cat.png")]


def test_top_classes_and_encode_agree_across_input_kinds(encoder, photos):
    batch, _ = photos
    cat = next(it for it in batch.items if it.key == "cat.png")
    img = Image.open(io.BytesIO(cat.data)).convert("RGB")
    feats = encoder.encode([cat.data, img, np.asarray(img)], batch_size=2)
    assert feats.shape == (3, 1280) and feats.dtype == np.float32
    assert np.allclose(feats[0], feats[1], atol=1e-4) and np.allclose(feats[1], feats[2], atol=1e-4)
    (name, p), *_ = encoder.top_classes([img], k=3)[0]
    assert "cat" in name.lower() or name == "Egyptian Mau"
    assert 0 < p <= 1


def test_inference_rewrite_computes_the_same_features_and_logits(encoder, photos):
    """The folded/traced network (BN folded into convs, padding merged) matches the stock module."""
    import torch
    from efficientnet_lite_pytorch import EfficientNet

    batch, _ = photos
    pixels = np.stack([encoder.to_pixels(it.data) for it in batch.items[:4]])
    stock = EfficientNet.from_name("efficientnet-lite0")
    stock.load_state_dict(torch.load(encoder._weights_path(), map_location="cpu", weights_only=True))
    x = torch.from_numpy((pixels.astype(np.float32) - encoder.mean) / encoder.std).permute(0, 3, 1, 2)
    with torch.inference_mode():
        ref_feats = stock.eval().extract_features(x.contiguous()).mean(dim=(2, 3))
        ref_logits = stock._fc(ref_feats).numpy()
    feats, logits = encoder.forward(pixels)
    one_by_one = np.concatenate([encoder.forward(p[None])[0] for p in pixels])
    assert np.abs(feats - ref_feats.numpy()).max() < 1e-3 and np.abs(logits - ref_logits).max() < 1e-3
    assert (logits.argmax(1) == ref_logits.argmax(1)).all()
    assert np.abs(one_by_one - feats).max() < 1e-4


def test_similar_images_use_exact_cosine(photos):
    _, space = photos
    nb = space.most_similar("cat.png", topn=3)
    assert len(nb) == 3 and "cat.png" not in [k for k, _ in nb]
    assert nb[0][1] >= nb[1][1] >= nb[2][1]


def test_reembedding_is_served_from_the_cache(photos):
    batch, space = photos
    emb = embed_items(batch.items)
    assert emb.cached == len(batch.items)
    assert np.allclose(emb.features, space.vectors)


def test_broken_files_are_refused_and_the_rest_embedded(photos):
    batch, _ = photos
    buf = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buf, format="PNG")
    items = [batch.items[0], ImageItem("bomb.png", buf.getvalue()), ImageItem("fake.jpg", b"not a jpeg")]
    emb = embed_items(items)
    assert [it.key for it in emb.items] == [batch.items[0].key]
    assert [k for k, _ in emb.refused] == ["bomb.png", "fake.jpg"]
    assert "decompression bomb" in emb.refused[0][1]


@pytest.mark.slow
def test_conse_ranks_the_cat_photo_above_the_rocket(photos):
    from embedlab.images.conse import search

    _, space = photos
    ranked = [k for k, _ in search(space, "cat", k=len(space))]
    assert ranked.index("cat.png") < ranked.index("rocket.jpg")
    assert ranked[0] == "cat.png"
    drinks = [k for k, _ in search(space, "a cup of coffee", k=3)]
    assert "coffee.png" in drinks


# ------------------------------------------------------------------------ CLI
def run_json(capsys, *argv: str):
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out), err


@pytest.fixture(scope="module")
def photo_folder(tmp_path_factory, photos):
    from embedlab.images.datasets import SKIMAGE_PHOTOS, _package_dir

    root = tmp_path_factory.mktemp("pics")
    data = _package_dir("skimage") / "data"
    groups = {"animals": ["chelsea.png", "horse.png"], "things": ["coffee.png", "rocket.jpg", "camera.png"]}
    for label, files in groups.items():
        (root / label).mkdir()
        for f in files:
            shutil.copy(data / f, root / label / f"{SKIMAGE_PHOTOS[f]}{f[-4:]}")
    (root / "things" / "notes.txt").write_text("not a picture")
    return root


@pytest.mark.slow
def test_cli_embed_cluster_search_neighbours(capsys, photo_folder):
    out, err = run_json(capsys, "images", "embed", str(photo_folder), "--out", "cli-pics")
    assert out["n"] == 5 and out["dim"] == 1280 and out["labels"] == ["animals", "things"]
    assert out["refused"] == [{"file": "things/notes.txt", "reason": "not an image file type"}]
    assert "embedded" in err or "cache" in err  # progress goes to stderr

    cl, _ = run_json(capsys, "images", "cluster", "cli-pics", "--k", "2")
    assert cl["k"] == 2 and -1 <= cl["silhouette"] <= 1
    assert cl["ari"] is not None and cl["nmi"] is not None
    assert sum(c["size"] for c in cl["clusters"]) == 5

    rows, _ = run_json(capsys, "images", "search", "cli-pics", "cat", "--k", "2")
    assert len(rows) == 2 and set(rows[0]) == {"key", "score"}
    assert rows[0]["key"] == "animals/cat.png"

    nb, _ = run_json(capsys, "neighbours", "cli-pics", "animals/cat.png", "--k", "2")
    assert len(nb) == 2


def test_cli_reports_a_missing_folder(capsys):
    code = main(["images", "embed", "/no/such/folder", "--out", "x"])
    assert code == 2 and "not a folder" in capsys.readouterr().err


def test_gpu_batching_path_computes_the_same_features(encoder, photos):
    """The path used on a GPU (decode in threads, network in the caller's thread, batches padded to one
    shape) runs on the CPU here and must give the CPU path's features, with the padding dropped."""
    batch, _ = photos
    items = [it.data for it in batch.items[:7]]
    cpu = encoder.encode(items)
    feats = np.concatenate([f for f, _ in encoder._iter_batches_gpu(items, 4, None)])
    assert feats.shape == cpu.shape == (7, encoder.dim)
    assert np.abs(feats - cpu).max() < 1e-4


def test_an_unexpected_network_layout_keeps_the_stock_module(encoder, photos):
    """The rewrite reads efficientnet-lite-pytorch's underscored layers; without them it changes nothing."""
    import torch
    from efficientnet_lite_pytorch import EfficientNet

    from embedlab.encoders.image import classifier_head, has_lite_layout, prepare_for_inference

    net = EfficientNet.from_name("efficientnet-lite0").eval()
    assert has_lite_layout(net) and classifier_head(net) is net._fc
    del net._blocks[3]._bn2  # a later release might rename or drop any of them
    before = {k: v.clone() for k, v in net.state_dict().items()}
    assert not has_lite_layout(net)
    assert prepare_for_inference(net) is net
    after = net.state_dict()
    assert before.keys() == after.keys() and all(torch.equal(before[k], after[k]) for k in before)
