"""Workspace: save/load/list/delete round trip, atomic overwrite, provenance, caches."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from embedlab import workspace
from embedlab.cli import main
from embedlab.errors import InvalidParameterError, UnknownSpaceError, WorkspaceError
from embedlab.registry import BUNDLED, load
from embedlab.space import EmbeddingSpace

ROOT = Path(__file__).resolve().parents[1]

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


def _leftovers() -> list[str]:
    """What a save or delete left behind: hidden folders and anything a space's info.json does not name."""
    d = workspace.spaces_dir()
    out = [p.name for p in d.iterdir() if p.name.startswith(".") and p.name != ".locks"]
    for folder in (p for p in d.iterdir() if p.is_dir() and not p.name.startswith(".")):
        info_path = folder / "info.json"
        if not info_path.is_file():
            out.append(folder.name)
            continue
        keep = {"info.json", "w2v_state.npz", json.loads(info_path.read_text())["data_folder"]}
        out += [f"{folder.name}/{e.name}" for e in folder.iterdir() if e.name not in keep]
    return sorted(out)


@pytest.mark.parametrize("bad", ["../evil", "a/b", ".hidden", "x" * 81, "sp ace", "", "name\n", "a\nb",
                                 "glove-50d", "GloVe-50D", "word2vec-gnews-bolukbasi", None])
def test_invalid_and_bundled_names_are_refused(bad):
    with pytest.raises(InvalidParameterError, match="valid space name|bundled space"):
        workspace.check_name(bad)
    if bad:  # an empty name means "the space's own name"
        with pytest.raises(InvalidParameterError, match="valid space name|bundled space"):
            workspace.save(_space(), bad)
    assert not workspace.exists(bad)


def test_every_bundled_name_is_reserved():
    assert set(BUNDLED) <= workspace.RESERVED_NAMES


def test_cli_refuses_a_bundled_name_as_output(capsys):
    code = main(["bias", "debias", "glove-50d", "--out", "glove-50d"])
    err = capsys.readouterr().err
    assert code == 2 and "bundled space" in err and "Traceback" not in err
    assert "glove-50d" not in workspace.list_names()


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
    with pytest.raises(OSError, match="disk full") as err:
        workspace.save(_space(seed=2))  # second write fails half-way
    assert isinstance(err.value, WorkspaceError) and "Nothing was changed" in str(err.value)
    np.testing.assert_array_equal(workspace.load("ws-test").vectors, old.vectors)
    assert _leftovers() == []
    assert {"other", "ws-test"} <= set(workspace.list_names())


def test_failure_at_the_commit_keeps_the_old_space(monkeypatch):
    old = _space(seed=1)
    workspace.save(old)
    real_replace = os.replace

    def failing_replace(src, dst):
        raise OSError("rename failed")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="rename failed"):
        workspace.save(_space(seed=2))
    monkeypatch.setattr(os, "replace", real_replace)
    np.testing.assert_array_equal(workspace.load("ws-test").vectors, old.vectors)
    assert _leftovers() == []


# A save run in a child process that stops at a hook point (workspace._checkpoint) until told to go on.
_CHILD = """
import sys
import numpy as np
from embedlab import workspace
from embedlab.space import EmbeddingSpace

stage, name, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])


def hook(at):
    if at == stage:
        print("at", at, flush=True)
        sys.stdin.readline()


workspace._checkpoint = hook
vectors = np.random.default_rng(seed).normal(size=(6, 4))
workspace.save(EmbeddingSpace([f"w{i}" for i in range(6)], vectors, name=name))
print("saved", flush=True)
"""


def _vectors(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(6, 4)).astype(np.float32)  # as the space stores them


def _start_child(stage: str, name: str, seed: int) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", _CHILD, stage, name, str(seed)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == f"at {stage}"
    return child


def _next_process_lists() -> list[str]:
    """Names a fresh process lists (its first use of the workspace cleans leftovers)."""
    code = "from embedlab import workspace; print(','.join(workspace.list_names()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().split(",")


@pytest.mark.parametrize("stage, listed_seed", [("data-written", 1), ("committed", 2)])
def test_save_killed_mid_way_keeps_a_loadable_space_and_leftovers_go_next_time(stage, listed_seed):
    workspace.save(EmbeddingSpace([f"w{i}" for i in range(6)], _vectors(1), name="victim"))
    child = _start_child(stage, "victim", seed=2)
    try:
        assert "victim" in workspace.list_names()  # listed while the save is in flight
        np.testing.assert_array_equal(workspace.load("victim").vectors, _vectors(listed_seed))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stdin.close()
    assert child.returncode == -signal.SIGKILL
    assert "victim" in workspace.list_names()
    np.testing.assert_array_equal(workspace.load("victim").vectors, _vectors(listed_seed))
    left = _leftovers()  # the data folder of the killed save (data-written) or the old one (committed)
    assert len(left) == 1 and left[0].startswith("victim/v-")
    assert "victim" in _next_process_lists()
    assert _leftovers() == []
    np.testing.assert_array_equal(workspace.load("victim").vectors, _vectors(listed_seed))


def test_first_save_killed_lists_nothing_and_is_cleaned_next_time():
    child = _start_child("data-written", "newborn", seed=3)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    child.stdin.close()
    assert "newborn" not in workspace.list_names() and _leftovers() == ["newborn"]
    assert "newborn" not in _next_process_lists()
    assert _leftovers() == []


def test_concurrent_writers_are_serialised_or_refused_with_a_message():
    workspace.save(EmbeddingSpace([f"w{i}" for i in range(6)], _vectors(1), name="shared"))
    child = _start_child("data-written", "shared", seed=2)  # holds the lock of "shared"
    results: dict[str, object] = {}

    def second_writer():
        try:
            workspace.save(EmbeddingSpace([f"w{i}" for i in range(6)], _vectors(3), name="shared"))
            results["ok"] = True
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            results["error"] = exc

    try:
        with pytest.raises(WorkspaceError, match="'shared' is being saved or deleted by another process"):
            workspace.save(_space("shared", seed=4), lock_timeout=0)
        with pytest.raises(WorkspaceError, match="being saved or deleted"):
            workspace.delete("shared", lock_timeout=0)
        waiter = threading.Thread(target=second_writer)
        waiter.start()
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "saved"
    finally:
        child.stdin.close()
        child.wait()
        child.stdout.close()
    waiter.join()
    assert results == {"ok": True}
    # the waiting writer took the lock only after the first one had finished, so its save is the last
    np.testing.assert_array_equal(workspace.load("shared").vectors, _vectors(3))
    assert _leftovers() == []


def test_space_saved_in_the_older_layout_loads_and_is_replaced_cleanly():
    folder = workspace.spaces_dir() / "legacy"
    folder.mkdir()
    np.save(folder / "vectors.npy", np.eye(2))
    pd.DataFrame({"key": ["a", "b"]}).to_parquet(folder / "table.parquet", index=False)
    (folder / "info.json").write_text(json.dumps({"name": "legacy", "n": 2, "dim": 2}))
    back = workspace.load("legacy")
    assert back.keys == ("a", "b") and "data_folder" not in back.info
    workspace.save(EmbeddingSpace(["c"], np.ones((1, 2)), name="legacy"))
    assert workspace.load("legacy").keys == ("c",)
    assert _leftovers() == [] and not (folder / "vectors.npy").exists()


def test_cleaning_never_touches_what_saves_did_not_write():
    mine = workspace.spaces_dir() / "hand-made"
    (mine / "v-1").mkdir(parents=True)
    (mine / "notes.txt").write_text("mine")
    broken = workspace.spaces_dir() / "hand-edited"
    (broken / "v-2").mkdir(parents=True)
    (broken / "info.json").write_text("{not json")
    workspace.clean()
    assert (mine / "notes.txt").is_file() and not (mine / "v-1").exists()  # the save's leftover only
    assert (broken / "v-2").is_dir() and (broken / "info.json").is_file()
    shutil.rmtree(mine)


def test_files_kept_beside_a_space_survive_saves_and_cleaning():
    workspace.save(_space(seed=1))
    state = workspace.spaces_dir() / "ws-test" / "w2v_state.npz"  # as embedlab.train.continued writes
    state.write_bytes(b"state")
    workspace.save(_space(seed=2))
    workspace.clean()
    assert state.read_bytes() == b"state"
    np.testing.assert_array_equal(workspace.load("ws-test").vectors, _space(seed=2).vectors)


def test_delete_leftover_trash_is_cleaned():
    trash = workspace.spaces_dir() / ".trash-gone-12345678"
    (trash / "v-1").mkdir(parents=True)
    assert ".trash-gone-12345678" in workspace.clean()
    assert not trash.exists()


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


def test_cli_deletes_a_legacy_save_under_a_bundled_name(capsys):
    """Older versions let `--out glove-50d` create such a save; the CLI can delete it now."""
    import shutil

    from embedlab import workspace
    from embedlab.cli import main
    from embedlab.space import EmbeddingSpace

    workspace.save(EmbeddingSpace(["a", "b"], [[1.0, 0.0], [0.0, 1.0]], name="x"), "legacy-x")
    src = workspace.spaces_dir() / "legacy-x"
    dst = workspace.spaces_dir() / "glove-50d"
    shutil.move(src, dst)  # what the old bug left behind
    assert workspace.exists("glove-50d")
    assert main(["delete", "glove-50d"]) == 0
    assert not workspace.exists("glove-50d")
    assert main(["delete", "glove-50d"]) == 2  # the bundled one itself stays undeletable
    assert "bundled" in capsys.readouterr().err
