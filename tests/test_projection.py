"""Projections (PCA, UMAP, t-SNE, axes), their disk cache and background jobs, trustworthiness, selection."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.errors import EmptyInputError, InvalidParameterError, UnknownKeyError
from embedlab.projection import (
    PROJECTIONS,
    AxesProjection,
    PCAProjection,
    TSNEProjection,
    UMAPProjection,
    cache_key,
    cached_projection,
    make_projection,
    project,
    project_in_background,
    trustworthiness,
    trustworthiness_note,
)
from embedlab.selection import select_points
from embedlab.space import EmbeddingSpace


def _blobs(n_per: int = 60, k: int = 5, d: int = 50, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, d)) * 5
    x = np.vstack([c + rng.normal(size=(n_per, d)) for c in centres]).astype(np.float32)
    return x, np.repeat(np.arange(k), n_per)


@pytest.fixture(scope="module")
def blobs() -> np.ndarray:
    return _blobs()[0]


@pytest.fixture(scope="module")
def blob_space(blobs) -> EmbeddingSpace:
    return EmbeddingSpace([f"p{i}" for i in range(len(blobs))], blobs, name="blobs")


@pytest.fixture(scope="module")
def umap_runs(blobs):
    """All UMAP fits of this module in one place: numba compiles once (≈ 15-55 s), each fit then ≈ 1 s."""
    messages: list[tuple[float, str]] = []
    first = UMAPProjection(random_state=0).fit(blobs, progress=lambda d, t, m: messages.append((d / t, m)))
    again = UMAPProjection(random_state=0).fit_transform(blobs)
    three = UMAPProjection(n_components=3, random_state=0).fit_transform(blobs[:80])
    return {"first": first, "again": again, "three": three, "messages": messages}


def _gender_space() -> EmbeddingSpace:
    """Planted: a gender direction g; 'woman'-side words carry +g, 'man'-side words -g."""
    rng = np.random.default_rng(1)
    d = 32
    g = rng.normal(size=d)
    g /= np.linalg.norm(g)
    base = rng.normal(size=d) * 0.2
    words = {"man": base - g, "woman": base + g}
    for w in ("queen", "mother", "actress", "nun"):
        words[w] = rng.normal(size=d) * 0.2 + 1.5 * g
    for w in ("king", "father", "actor", "monk"):
        words[w] = rng.normal(size=d) * 0.2 - 1.5 * g
    return EmbeddingSpace.from_dict(words, name="gender")


# ------------------------------------------------------------------ estimators
@pytest.mark.parametrize("k", [2, 3])
def test_pca_shapes_dtype_and_determinism(blobs, k):
    a = PCAProjection(n_components=k).fit(blobs)
    assert a.embedding_.shape == (len(blobs), k) and a.embedding_.dtype == np.float32
    np.testing.assert_array_equal(a.embedding_, PCAProjection(n_components=k).fit_transform(blobs))


def test_pca_keeps_clusters(blobs):
    emb = PCAProjection().fit_transform(blobs)
    assert trustworthiness(blobs, emb) >= 0.9


@pytest.mark.slow
def test_umap_shapes_determinism_trust_and_progress(blobs, umap_runs):
    emb = umap_runs["first"].embedding_
    assert emb.shape == (len(blobs), 2) and emb.dtype == np.float32
    np.testing.assert_array_equal(emb, umap_runs["again"])
    assert umap_runs["three"].shape == (80, 3)
    assert trustworthiness(blobs, emb) >= 0.9
    fractions = [f for f, _ in umap_runs["messages"]]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("nearest-neighbour graph" in m for _, m in umap_runs["messages"])
    assert any("epoch" in m for _, m in umap_runs["messages"])


@pytest.mark.slow
@pytest.mark.parametrize("k", [2, 3])
def test_tsne_shapes_and_determinism(blobs, k):
    small = blobs[::5]  # 60 points keep Barnes-Hut quick
    a = TSNEProjection(n_components=k, perplexity=10).fit_transform(small)
    assert a.shape == (len(small), k) and a.dtype == np.float32
    np.testing.assert_array_equal(a, TSNEProjection(n_components=k, perplexity=10).fit_transform(small))


def test_tsne_reports_progress_through_the_optimisation(blobs):
    messages: list[tuple[float, str]] = []
    est = TSNEProjection(perplexity=10).fit(blobs[::3], progress=lambda d, t, m: messages.append((d / t, m)))
    fractions = [f for f, _ in messages]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert "neighbours and affinities of 100 points" in messages[0][1]
    iterations = [m for _, m in messages if "iteration" in m]
    assert len(iterations) == 75 and "iteration 750/750" in iterations[-1]  # 250 exaggerated + 500
    assert trustworthiness(blobs[::3], est.embedding_) >= 0.9


def test_tsne_lowers_perplexity_for_tiny_inputs_and_says_so(blobs):
    est = TSNEProjection(perplexity=30).fit(blobs[:12])
    assert est.embedding_.shape == (12, 2)
    assert "perplexity lowered" in est.notes_[0]


def test_axes_put_woman_side_words_positive():
    space = _gender_space()
    est = AxesProjection(x=("man", "woman")).fit(space)
    coords = dict(zip(space.keys, est.embedding_[:, 0], strict=True))
    assert all(coords[w] > 0 for w in ("woman", "queen", "mother", "actress", "nun"))
    assert all(coords[w] < 0 for w in ("man", "king", "father", "actor", "monk"))
    # y = first principal component of what remains: orthogonal to the x direction
    assert abs(float(est.directions_[0] @ est.directions_[1])) < 1e-5
    assert np.all(np.abs(est.embedding_) <= 1.0 + 1e-5)  # cosines


def test_axes_second_pair_and_3d():
    space = _gender_space()
    two = AxesProjection(x=("man", "woman"), y=("king", "queen")).fit_transform(space)
    assert two[space.index("queen"), 1] > two[space.index("king"), 1]
    three = AxesProjection(x=("man", "woman"), n_components=3).fit(space)
    assert three.embedding_.shape == (len(space), 3)
    np.testing.assert_allclose(three.directions_ @ three.directions_.T, np.eye(3), atol=1e-5)


def test_axes_errors_name_the_problem():
    space = _gender_space()
    with pytest.raises(UnknownKeyError, match="womann"):
        AxesProjection(x=("man", "womann")).fit(space)
    with pytest.raises(InvalidParameterError, match="zero length"):
        AxesProjection(x=("man", "man")).fit(space)
    with pytest.raises(InvalidParameterError, match="EmbeddingSpace"):
        AxesProjection(x=("man", "woman")).fit(space.vectors)


@pytest.mark.parametrize("name", sorted(PROJECTIONS))
def test_parameters_are_read_from_the_init_signature(name):
    """scikit-learn's contract: get_params lists __init__'s arguments; set_params and clone use them."""
    import inspect

    from sklearn.base import clone

    cls = PROJECTIONS[name]
    est = cls()
    signature = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    assert sorted(est.get_params()) == sorted(signature)
    assert est.set_params(random_state=7) is est and est.get_params()["random_state"] == 7
    twin = clone(est)
    assert twin is not est and twin.get_params() == est.get_params()
    assert isinstance(make_projection(name, random_state=3), cls)
    with pytest.raises(InvalidParameterError, match="does not take colour"):
        make_projection(name, colour="red")


def test_axes_source_is_an_ordinary_parameter():
    space = _gender_space()
    est = make_projection("axes", x=("man", "woman"), source=space)
    assert est.get_params()["source"] is space
    coords = est.fit_transform(space.vectors)  # words looked up in source, raw vectors projected
    np.testing.assert_allclose(coords, AxesProjection(x=("man", "woman")).fit_transform(space), atol=1e-6)
    assert cache_key(space, "axes", x=("man", "woman"), source=space) != cache_key(space, "axes",
                                                                                     x=("man", "woman"))


def test_make_projection_and_bad_parameters(blobs):
    assert isinstance(make_projection("UMAP", n_neighbors=5), UMAPProjection)
    with pytest.raises(InvalidParameterError, match="'mds'"):
        make_projection("mds")
    with pytest.raises(InvalidParameterError, match="perplexity"):
        make_projection("pca", perplexity=5)
    with pytest.raises(InvalidParameterError, match="n_components"):
        PCAProjection(n_components=4).fit(blobs)
    with pytest.raises(EmptyInputError, match="at least 3 points"):
        PCAProjection().fit(blobs[:2])


# ------------------------------------------------------------ trustworthiness
def test_trustworthiness_subsamples_and_says_so(blobs, blob_space):
    emb = PCAProjection().fit_transform(blob_space)
    full = trustworthiness(blob_space, emb)
    sub = trustworthiness(blob_space, emb, max_points=100)
    assert 0.9 <= full <= 1.0 and 0.0 <= sub <= 1.0
    assert sub == trustworthiness(blob_space, emb, max_points=100)  # seeded subsample
    assert "random 100 of the 300 points" in trustworthiness_note(300, max_points=100)
    noise = np.random.default_rng(0).normal(size=emb.shape)
    assert trustworthiness(blobs, noise) < full  # a random picture distorts more


# ------------------------------------------------------------------- caching
def test_project_disk_cache_hit_skips_compute(blob_space, monkeypatch):
    from embedlab.workspace import cache_dir

    assert cached_projection(blob_space, "pca") is None
    first = project(blob_space, "pca")
    path = cache_dir("projections") / f"{cache_key(blob_space, 'pca', 2)}.npy"
    assert path.is_file()

    def _must_not_run(*a, **k):
        raise AssertionError("recomputed instead of reading the cache")

    monkeypatch.setattr(PCAProjection, "fit", _must_not_run)
    np.testing.assert_array_equal(project(blob_space, "pca"), first)
    np.testing.assert_array_equal(cached_projection(blob_space, "pca"), first)
    assert cached_projection(blob_space, "pca", n_components=3) is None  # other params, other file


def test_cache_key_depends_on_content_and_sorted_params(blob_space):
    a = cache_key(blob_space, "umap", 2, n_neighbors=15, min_dist=0.1)
    assert a == cache_key(blob_space, "umap", 2, min_dist=0.1, n_neighbors=15)
    assert a == cache_key(blob_space, "umap", 2)  # the defaults spelled out or not: same file
    assert a != cache_key(blob_space, "umap", 2, n_neighbors=16, min_dist=0.1)
    other = blob_space.with_vectors(blob_space.vectors * 2 + 1)
    assert a != cache_key(other, "umap", 2, n_neighbors=15, min_dist=0.1)


def test_background_job_completes_and_fills_cache():
    space = _gender_space()
    job = project_in_background(space, "axes", x=("man", "woman"))
    job.wait(60)
    assert job.status == "done", job.error_trace
    assert job.result.shape == (len(space), 2) and job.fraction == 1.0
    np.testing.assert_array_equal(cached_projection(space, "axes", x=("man", "woman")), job.result)
    assert project_in_background(space, "axes", x=("man", "woman")) is job  # same key, same job


# ------------------------------------------------------------------ selection
def test_select_top_all_and_sample(planted_space):
    top = select_points(planted_space.with_meta(rank=range(1, 11)), "top", n=4)
    assert top.keys == planted_space.keys[:4]
    assert top.info["selection"] == "top 4 of 10 words by frequency."
    everything = select_points(planted_space, "all")
    assert len(everything) == 10 and everything.info["selection"] == "all 10 words."
    assert "selection" not in planted_space.info  # the original is untouched
    a = select_points(planted_space, "sample", n=5, random_state=3)
    assert a.keys == select_points(planted_space, "sample", n=5, random_state=3).keys
    assert "random sample of 5 of 10" in a.info["selection"]


def test_select_query_with_neighbours(planted_space):
    sel = select_points(planted_space, "query", query="King, woman", k=3)
    assert sel.keys[:2] == ("king", "woman")
    assert len(sel) <= 2 + 2 * 3 and len(set(sel.keys)) == len(sel)
    assert set(sel.meta_column("selected_by")) <= {"king", "woman"}
    assert "'king' and 'woman' with 3 nearest neighbours" in sel.info["selection"]


def test_select_errors(planted_space):
    with pytest.raises(InvalidParameterError, match="'middle'"):
        select_points(planted_space, "middle")
    with pytest.raises(EmptyInputError):
        select_points(planted_space, "query", query=" , ")
    with pytest.raises(UnknownKeyError, match="kingg"):
        select_points(planted_space, "query", query="kingg")
