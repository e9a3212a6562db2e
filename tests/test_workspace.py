"""Workspace: save/load/list/delete round trip, atomic overwrite, provenance, caches."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from embedlab import workspace
from embedlab.errors import InvalidParameterError, UnknownSpaceError
from embedlab.registry import load
from embedlab.space import EmbeddingSpace


def _space(name: str = "ws-test", seed: int = 0, n: int = 6) -> EmbeddingSpace:
    rng = np.random.default_rng(seed)
    keys = [f"w{i}" for i in range(n - 1)] + ["naïve"]
    meta = pd.DataFrame({"rank": np.arange(n), "label": [None, "x", "y", "x", "z", "y"][:n],
                         "mixed": [1, "a", 2.5, None, "b", 3][:n]})
    return EmbeddingSpace(keys, rng.normal(size=(n, 4)), meta, name=name, info={"epochs": 5, "corpus": "toy"})


@pytest.fixture(autouse=True)
def _clean():
    """Each test starts without saved spaces of its own and removes only what it saved."""
    before = set(workspace.list_names())
    yield
    for name in set(workspace.list_names()) - before:
        workspace.delete(name)


def test_round_trip_keys_vectors_meta_info():
    sp = _space()
    folder = workspace.save(sp)
    assert folder.name == "ws-test" and workspace.exists("ws-test")
    back = workspace.load("ws-test")
    assert back.keys == sp.keys and back.name == "ws-test"
    np.testing.assert_array_equal(back.vectors, sp.vectors)
    assert not back.vectors.flags.writeable
    assert back.meta["rank"].tolist() == list(range(6))
    assert back.meta["label"].tolist()[1:] == ["x", "y", "x", "z", "y"]
    assert back.meta["mixed"].tolist()[:3] == ["1", "a", "2.5"]  # mixed columns stored as text
    assert back.info["epochs"] == 5 and back.info["n"] == 6 and back.info["dim"] == 4
    assert workspace.read_info("ws-test")["corpus"] == "toy"
    assert load("ws-test").keys == sp.keys  # the registry finds saved names


def test_save_under_another_name_list_and_delete():
    workspace.save(_space(), "b-space")
    workspace.save(_space(), "a-space")
    assert {"a-space", "b-space"} <= set(workspace.list_names())
    assert workspace.list_names() == sorted(workspace.list_names())
    workspace.delete("a-space")
    assert "a-space" not in workspace.list_names() and "b-space" in workspace.list_names()
    with pytest.raises(UnknownSpaceError, match="a-space"):
        workspace.load("a-space")
    with pytest.raises(UnknownSpaceError):
        workspace.delete("a-space")
    with pytest.raises(UnknownSpaceError):
        workspace.read_info("a-space")


def test_overwrite_flag():
    workspace.save(_space(seed=1))
    with pytest.raises(InvalidParameterError, match="already exists"):
        workspace.save(_space(seed=2), overwrite=False)
    workspace.save(_space(seed=2))
    np.testing.assert_array_equal(workspace.load("ws-test").vectors, _space(seed=2).vectors)


@pytest.mark.parametrize("bad", ["../evil", "a/b", ".hidden", "x" * 81, "sp ace"])
def test_invalid_names_are_refused(bad):
    with pytest.raises(InvalidParameterError, match="not a valid space name"):
        workspace.save(_space(), bad)
    assert not workspace.exists(bad)


def test_failure_mid_save_keeps_old_space_and_leaves_nothing_behind(monkeypatch):
    old = _space(seed=1)
    workspace.save(old)
    calls = {"n": 0}
    real_save = np.save

    def flaky_save(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_save(*args, **kwargs)

    monkeypatch.setattr(np, "save", flaky_save)
    workspace.save(_space("other", seed=3))  # first write works
    with pytest.raises(OSError, match="disk full"):
        workspace.save(_space(seed=2))  # second write fails half-way
    np.testing.assert_array_equal(workspace.load("ws-test").vectors, old.vectors)
    leftovers = [p.name for p in workspace.spaces_dir().iterdir() if p.name.startswith(".")]
    assert leftovers == []
    assert {"other", "ws-test"} <= set(workspace.list_names())


def test_failure_while_swapping_restores_the_old_space(monkeypatch):
    import os

    old = _space(seed=1)
    workspace.save(old)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:  # the old space is moved away, then moving the new one in fails
            raise OSError("rename failed")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(OSError, match="rename failed"):
        workspace.save(_space(seed=2))
    monkeypatch.setattr(os, "replace", real_replace)
    np.testing.assert_array_equal(workspace.load("ws-test").vectors, old.vectors)
    assert [p.name for p in workspace.spaces_dir().iterdir() if p.name.startswith(".")] == []


def test_metadata_column_named_key_survives():
    sp = EmbeddingSpace(["a#1", "a#2"], np.eye(2), pd.DataFrame({"key": ["a", "a"]}), name="dupes")
    workspace.save(sp)
    back = workspace.load("dupes")
    assert back.keys == ("a#1", "a#2") and back.meta["key"].tolist() == ["a", "a"]
    assert "key_column" not in back.info


def test_space_without_meta_and_cache_dir():
    workspace.save(EmbeddingSpace(["x", "y"], np.eye(2), name="plain"))
    assert workspace.load("plain").meta is None
    d = workspace.cache_dir("projections")
    assert d.is_dir() and d.parent.parent == workspace.root()


@pytest.mark.parametrize("bad", ["", "   ", "no-such-space-xyz"])
def test_registry_refuses_unknown_names(bad):
    with pytest.raises(UnknownSpaceError, match="not a bundled space"):
        load(bad)


def test_registry_loads_a_file_path(tmp_path):
    path = tmp_path / "vecs.txt"
    path.write_text("2 3\na 1 0 0\nb 0 1 0\n", encoding="utf-8")
    sp = load(str(path))
    assert sp.keys == ("a", "b") and sp.dim == 3
