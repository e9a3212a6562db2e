"""Million-point maps: a projection fitted on a sample and applied to every row on a 2-process Dask
LocalCluster (loopback only); the Map page's projection cache receives the result."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed")

from embedlab.batch.cluster import connect  # noqa: E402
from embedlab.batch.maps import fit_on_sample, project_space  # noqa: E402
from embedlab.errors import InvalidParameterError  # noqa: E402
from embedlab.space import EmbeddingSpace  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with connect(workers=2, threads_per_worker=1) as c:
        yield c


@pytest.fixture(scope="module")
def planted():
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(4, 24)) * 4
    labels = np.repeat(np.arange(4), 150)
    x = (centres[labels] + rng.normal(size=(600, 24))).astype(np.float32)
    return EmbeddingSpace([f"k{i}" for i in range(600)], x, name="planted-map"), labels


def test_pca_on_a_sample_applied_in_parallel_equals_one_process(client, planted, tmp_path):
    from embedlab.projection import cached_projection

    space, labels = planted
    res = project_space(space, tmp_path, "pca", sample=200, chunk=70, client=client)
    coords = np.load(res.path)
    assert coords.shape == (600, 2) and res.rows == 600 and res.sample == 200 and res.workers == 2
    ref = fit_on_sample(space, "pca", 200).transform(np.asarray(space.normed))
    assert np.abs(coords - ref).max() <= 1e-5
    # planted groups stay apart: each point's group centre in 2-D is its nearest
    centres = np.stack([coords[labels == g].mean(0) for g in range(4)])
    nearest = np.argmin(((coords[:, None] - centres[None]) ** 2).sum(-1), axis=1)
    assert np.mean(nearest == labels) > 0.95
    assert res.cached_for_map_page
    assert np.array_equal(cached_projection(space, "pca", 2), coords)  # what the Map page reads


def test_bad_map_parameters_are_refused(planted, tmp_path, client):
    space, _ = planted
    with pytest.raises(InvalidParameterError, match="method"):
        fit_on_sample(space, "tsne")
    with pytest.raises(InvalidParameterError, match="sample"):
        fit_on_sample(space, "pca", sample=2)
    with pytest.raises(InvalidParameterError, match="chunk"):
        project_space(space, tmp_path, "pca", chunk=0, client=client)


@pytest.mark.slow
def test_umap_fitted_on_a_sample_places_the_rest_near_their_group(client, planted, tmp_path):
    space, labels = planted
    res = project_space(space, tmp_path, "umap", sample=300, chunk=150, client=client)
    coords = np.load(res.path)
    centres = np.stack([np.median(coords[labels == g], axis=0) for g in range(4)])
    nearest = np.argmin(((coords[:, None] - centres[None]) ** 2).sum(-1), axis=1)
    assert coords.shape == (600, 2) and np.mean(nearest == labels) > 0.9
