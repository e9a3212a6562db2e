"""UMAP of a space of any size with bounded work (issue 22): fitted on a seeded sample, the rest placed in
chunks; background projections shared by all sessions, a few at a time per server, stoppable."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from conftest import open_page

from embedlab import jobs
from embedlab.plots.pointmap import read_payload
from embedlab.projection import UMAPProjection, cache
from embedlab.projection.sampled import place_rest, sample_rows
from embedlab.space import EmbeddingSpace


def _groups(n_per: int = 200, k: int = 4, d: int = 20) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(k, d)) * 5
    x = np.vstack([c + rng.normal(size=(n_per, d)) for c in centres]).astype(np.float32)
    return x, np.repeat(np.arange(k), n_per)


# ------------------------------------------------------------------ sample fit, chunked placing
@pytest.mark.slow
def test_umap_past_max_fit_is_fitted_on_a_sample_and_places_the_rest_by_their_group():
    x, labels = _groups()
    seen: list[tuple[float, str]] = []
    est = UMAPProjection(max_fit=300).fit(x, progress=lambda d, t, m: seen.append((d / t, m)))
    coords = est.embedding_
    assert coords.shape == (800, 2) and coords.dtype == np.float32
    np.testing.assert_array_equal(est.sample_rows_, sample_rows(800, 300, 0))
    np.testing.assert_array_equal(coords[est.sample_rows_], est.model_.embedding_)
    centres = np.stack([np.median(coords[labels == g], axis=0) for g in range(4)])
    nearest = np.argmin(((coords[:, None] - centres[None]) ** 2).sum(-1), axis=1)
    assert np.mean(nearest == labels) > 0.9
    assert "fitted on a random 300 of the 800 points" in est.notes_[0]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("placed 800 of 800 points" in m for _, m in seen)
    assert est.transform(x[:5]).shape == (5, 2)


class _Model:
    """Stands in for a fitted umap-learn model: records the blocks it is asked to place."""

    def __init__(self, fitted: int) -> None:
        self.embedding_ = np.zeros((fitted, 2), np.float32)
        self.blocks: list[int] = []

    def transform(self, block):
        self.blocks.append(len(block))
        return np.ones((len(block), 2), np.float32)


def test_the_rest_is_placed_in_chunks_and_a_raising_progress_stops_it_at_the_next_one():
    x = np.zeros((1000, 3), np.float32)
    model = _Model(100)
    coords = place_rest(model, x, np.arange(100), chunk=300)
    assert model.blocks == [300, 300, 300] and coords[:100].sum() == 0 and coords[100:].min() == 1

    class Stop(Exception):
        pass

    def progress(done, total, message):
        if "placed" in message:
            raise Stop

    model = _Model(100)
    with pytest.raises(Stop):
        place_rest(model, x, np.arange(100), chunk=300, progress=progress)
    assert model.blocks == [300]


# ------------------------------------------------------------------ jobs: stop, share, take turns
def test_a_checkpoint_stops_a_cancelled_job():
    go = threading.Event()

    def work(ctx):
        go.wait(30)
        ctx.checkpoint(1, 2, "half way")
        return "finished"

    job = jobs.submit("test-checkpoint", work)
    job.cancel()
    go.set()
    job.wait(30)
    assert job.status == jobs.CANCELLED and job.result is None and job.error is None


@pytest.fixture
def blocking_project(monkeypatch):
    """``cache.project`` replaced by one that holds until released, counting how many run at once."""
    state = {"running": 0, "most": 0, "calls": [], "entered": threading.Event(), "release": threading.Event()}
    lock = threading.Lock()

    def project(space, method, n_components=2, progress=None, **params):
        with lock:
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
            state["calls"].append(space.name)
        state["entered"].set()
        state["release"].wait(60)
        with lock:
            state["running"] -= 1
        return np.zeros((len(space), n_components), np.float32)

    monkeypatch.setattr(cache, "project", project)
    submit = jobs.submit

    def remembered(key, *args, **kwargs):
        state.setdefault("keys", []).append(key)
        return submit(key, *args, **kwargs)

    monkeypatch.setattr(jobs, "submit", remembered)
    yield state
    state["release"].set()
    for key in dict.fromkeys(state.get("keys", [])):  # the fake results must not be found by later tests
        jobs.get(key).wait(30)
        jobs.forget(key)


def _space(name: str, seed: int) -> EmbeddingSpace:
    rng = np.random.default_rng(seed)
    return EmbeddingSpace([f"{name}{i}" for i in range(20)], rng.normal(size=(20, 4)).astype(np.float32),
                          name=name)


def _wait_for(job, words: str) -> None:
    for _ in range(600):
        if words in job.progress[2] or not job.running:
            return
        job.wait(0.05)


def test_a_second_space_waits_for_its_turn_and_runs_after_the_first(blocking_project, monkeypatch):
    monkeypatch.setattr(cache, "MAX_RUNNING", 1)
    first = cache.project_in_background(_space("first", 1), "umap")
    assert blocking_project["entered"].wait(30)
    second = cache.project_in_background(_space("second", 2), "umap")
    _wait_for(second, "waiting for a turn")
    assert second.running and "at most 1 at a time" in second.progress[2]
    assert blocking_project["calls"] == ["first"]
    blocking_project["release"].set()
    first.wait(30)
    second.wait(30)
    assert first.status == second.status == jobs.DONE
    assert blocking_project["calls"] == ["first", "second"] and blocking_project["most"] == 1


def test_past_the_waiting_limit_a_projection_is_refused_with_a_message(blocking_project, monkeypatch):
    monkeypatch.setattr(cache, "MAX_RUNNING", 1)
    monkeypatch.setattr(cache, "MAX_WAITING", 0)
    first = cache.project_in_background(_space("busy", 3), "umap")
    assert blocking_project["entered"].wait(30)
    refused = cache.project_in_background(_space("refused", 4), "umap").wait(30)
    assert refused.status == jobs.FAILED and isinstance(refused.error, cache.ProjectionBusyError)
    assert "at most 1 at a time" in str(refused.error) and "Try again" in str(refused.error)
    assert blocking_project["calls"] == ["busy"]
    blocking_project["release"].set()
    assert first.wait(30).status == jobs.DONE


@pytest.mark.slow
def test_two_sessions_mapping_all_points_with_umap_share_one_background_job(blocking_project):
    sessions = []
    for _ in range(2):
        at = open_page("map", run=False)
        at.query_params["mode"] = "all"
        at.query_params["proj"] = "umap"
        sessions.append(at.run())
    for at in sessions:
        assert not at.exception, [e.value for e in at.exception]
        header, _ = read_payload(at.get("bidi_component")[0].proto.bytes)  # every point: the point map
        assert "400,000 points, PCA" in header["title"]  # PCA meanwhile
    assert blocking_project["calls"] == ["glove-50d"]  # one job for both sessions
