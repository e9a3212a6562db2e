"""Batch embedding on a 2-process Dask LocalCluster (loopback only): same vectors as one process, exact rows,
a killed worker loses nothing, re-runs write nothing, the output opens lazily as a space."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("distributed")

from embedlab.batch import embed, open_space, store  # noqa: E402
from embedlab.batch.cluster import SchedulerUnreachableError, connect  # noqa: E402
from embedlab.errors import EmbedlabError, EmptyInputError, FormatError, InvalidParameterError  # noqa: E402

WORDS = ("the cat dog runs fast slow red blue green house tree river money bank king queen apple car "
         "a small boat sails on the quiet lake while children play").split()


def _texts(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=int(rng.integers(3, 14)))) + f" {i}" for i in range(n)]


def _write_lines(path: Path, texts: list[str], blank_every: int = 0) -> list[str]:
    """Write texts one a line (with blank lines in between if asked); return the expected keys."""
    lines, keys = [], []
    for t in texts:
        if blank_every and len(lines) % blank_every == blank_every - 1:
            lines.append("")
        lines.append(t)
        keys.append(str(len(lines)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return keys


@pytest.fixture(scope="module")
def client():
    with connect(workers=2, threads_per_worker=1) as c:
        yield c


@pytest.fixture(scope="module")
def reference():
    from embedlab.encoders import get_encoder

    texts = _texts(90)
    return texts, get_encoder("minilm-l6").encode(texts)


def test_two_workers_match_one_process_and_rows_are_exact(client, reference, tmp_path):
    texts, ref = reference
    src = tmp_path / "texts.txt"
    keys = _write_lines(src, texts, blank_every=7)
    res = embed(src, "text", tmp_path / "out", client=client, shard_size=8)
    assert (res.rows, res.shards, res.skipped_shards, res.written_shards) == (90, 12, 0, 12)
    space = open_space(tmp_path / "out")
    assert list(space.keys) == keys  # line numbers, blank lines skipped
    assert space.meta_column("text").tolist() == texts
    assert np.abs(np.asarray(space.vectors) - ref).max() <= 1e-5
    assert len(set(res.worker_pids)) == 2  # both worker processes embedded shards


def test_rerun_writes_nothing_and_resume_writes_only_missing_shards(client, reference, tmp_path):
    texts, ref = reference
    src = tmp_path / "texts.txt"
    _write_lines(src, texts)
    out = tmp_path / "out"
    first = embed(src, "text", out, client=client, shard_size=20)
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "shards").iterdir()}
    again = embed(src, "text", out, client=client, shard_size=20)
    assert (again.written_shards, again.skipped_shards, again.rows) == (0, first.shards, 90)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "shards").iterdir()} == stamps
    # a crash after 3 of 5 shards: the manifest is unfinished and two shard files are missing
    m = store.read_manifest(out)
    store.write_json_atomic(out / "manifest.json", {**m, "complete": False})
    for i in (1, 4):
        store.shard_path(out, i).unlink()
    resumed = embed(src, "text", out, client=client, shard_size=20)
    # shard 1 has 20 rows, the last (4) 10
    assert (resumed.written_shards, resumed.skipped_shards, resumed.rows_written) == (2, 3, 30)
    space = open_space(out)
    assert len(space) == 90 and len(set(space.keys)) == 90
    assert np.abs(np.asarray(space.vectors) - ref).max() <= 1e-5


def test_killed_worker_has_its_shards_redone_with_every_row_once(client, reference, tmp_path):
    texts, ref = reference
    src = tmp_path / "texts.txt"
    keys = _write_lines(src, texts)
    killed: list[int] = []

    def kill_a_busy_worker(done, total, message):
        if killed:
            return
        busy = [addr for addr, tasks in client.processing().items() if tasks]
        pids = client.run(os.getpid, workers=busy[:1])
        pid = next(iter(pids.values()))
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    res = embed(src, "text", tmp_path / "out", client=client, shard_size=6, max_in_flight=6,
                progress=kill_a_busy_worker)
    assert killed, "the worker was killed while it held shards"
    assert res.rows == 90 and res.written_shards == res.shards == 15
    space = open_space(tmp_path / "out")
    assert sorted(space.keys, key=int) == keys  # every row exactly once
    assert np.abs(np.asarray(space.vectors) - ref).max() <= 1e-5
    client.wait_for_workers(2)  # the nanny restarted the killed worker for the next tests


def test_csv_ids_are_keys_and_images_match_one_process(client, tmp_path):
    from PIL import Image

    from embedlab.encoders import get_encoder

    rng = np.random.default_rng(1)
    folder = tmp_path / "imgs"
    for label in ("red", "blue"):
        (folder / label).mkdir(parents=True)
        for i in range(5):
            arr = rng.integers(0, 255, size=(40 + i, 50, 3), dtype=np.uint8)
            arr[..., 0 if label == "red" else 2] = 255
            Image.fromarray(arr).save(folder / label / f"{i}.png")
    (folder / "blue" / "broken.jpg").write_bytes(b"not an image")
    res = embed(folder, "images", tmp_path / "out", client=client, shard_size=4)
    assert res.rows == 10 and [k for k, _ in res.refused] == ["blue/broken.jpg"]
    space = open_space(tmp_path / "out")
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.png"))
    assert list(space.keys) == names
    assert space.meta_column("label").tolist() == [n.split("/")[0] for n in names]
    ref = get_encoder("efficientnet-lite0").encode([folder / n for n in names])
    assert np.abs(np.asarray(space.vectors) - ref).max() <= 1e-4 * max(1.0, float(np.abs(ref).max()))

    import pandas as pd

    csv = tmp_path / "t.csv"
    pd.DataFrame({"id": ["a", "b", "c"], "text": ["one cat", "", "two dogs"]}).to_csv(csv, index=False)
    res = embed(csv, "text", tmp_path / "csv-out", client=client, shard_size=2)
    assert res.rows == 2 and list(open_space(tmp_path / "csv-out").keys) == ["a", "c"]


def test_output_opens_lazily_as_a_space_everywhere(client, reference, tmp_path):
    from embedlab.batch import links
    from embedlab.cli import main
    from embedlab.registry import available_names, list_spaces, load

    texts, _ = reference
    src = tmp_path / "texts.txt"
    _write_lines(src, texts[:30])
    out = tmp_path / "out"
    embed(src, "text", out, client=client, shard_size=10)
    space = load(str(out))
    v = space.vectors
    assert isinstance(v.base, np.memmap) or isinstance(v, np.memmap)  # a view of the file, not a copy
    assert not v.flags.writeable and not v.flags.owndata
    assert space.normed is v  # MiniLM vectors are unit length: no normalised copy
    assert isinstance(space.norms, np.memmap) and np.allclose(space.norms, 1.0, atol=1e-3)
    links.link("my-batch", out)
    assert "my-batch" in available_names() and len(load("my-batch")) == 30
    entry = next(e for e in list_spaces() if e.name == "my-batch")
    assert (entry.kind, entry.n, entry.dim) == ("batch", 30, 384)
    assert main(["neighbours", str(out), "2", "--k", "3", "--json"]) == 0
    assert main(["info", "my-batch"]) == 0


def test_unreachable_scheduler_and_bad_addresses_fail_clearly():
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SchedulerUnreachableError, match="dask scheduler"):
        with connect(scheduler=f"127.0.0.1:{port}", timeout=2):
            pass
    with pytest.raises(InvalidParameterError, match="HOST:PORT"):
        with connect(scheduler="no-port-here"):
            pass


def test_cli_reports_an_unreachable_scheduler(tmp_path, capsys):
    from embedlab.cli import main

    src = tmp_path / "t.txt"
    src.write_text("hello\n", encoding="utf-8")
    code = main(["batch", "embed", str(src), "--kind", "text", "--out", str(tmp_path / "o"),
                 "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2 and "No Dask scheduler answered" in capsys.readouterr().err


def test_bad_inputs_are_refused_before_any_work(tmp_path, client):
    import pandas as pd

    with pytest.raises(EmptyInputError, match="is not a file"):
        embed(tmp_path / "missing.txt", "text", tmp_path / "o", client=client)
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n\n", encoding="utf-8")
    with pytest.raises(EmptyInputError, match="no non-blank lines"):
        embed(blank, "text", tmp_path / "o", client=client)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"fine\n\xff\xfe broken\n")
    with pytest.raises(FormatError, match="line 2"):
        embed(bad, "text", tmp_path / "o", client=client)
    csv = tmp_path / "x.csv"
    pd.DataFrame({"id": [1], "body": ["x"]}).to_csv(csv, index=False)
    with pytest.raises(FormatError, match="no 'text' column"):
        embed(csv, "text", tmp_path / "o", client=client)
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmptyInputError, match="No images"):
        embed(tmp_path / "empty", "images", tmp_path / "o", client=client)
    with pytest.raises(InvalidParameterError, match="kind"):
        embed(blank, "audio", tmp_path / "o", client=client)
    good = tmp_path / "good.txt"
    good.write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="not a batch output folder"):
        embed(good, "text", tmp_path / "busy", client=client)
    assert not (tmp_path / "o").exists()  # nothing was written for a refused input


def test_rerun_with_other_settings_is_refused(client, tmp_path):
    from embedlab.batch.run import InputChangedError

    src = tmp_path / "t.txt"
    _write_lines(src, _texts(5))
    embed(src, "text", tmp_path / "out", client=client, shard_size=5)
    with pytest.raises(InputChangedError, match="shard_size"):
        embed(src, "text", tmp_path / "out", client=client, shard_size=2)
    with pytest.raises(EmbedlabError, match="not finished"):
        m = store.read_manifest(tmp_path / "out")
        store.write_json_atomic(tmp_path / "out" / "manifest.json", {**m, "complete": False, "run_id": "x"})
        open_space(tmp_path / "out")


def test_another_configured_encoder_runs_on_the_workers(client, tmp_path):
    from embedlab.encoders import get_encoder

    texts = _texts(40, seed=5)
    src = tmp_path / "texts.txt"
    _write_lines(src, texts)
    res = embed(src, "text", tmp_path / "out", client=client, encoder="glove-50d-mean", shard_size=16)
    space = open_space(tmp_path / "out")
    assert (res.rows, res.shards, space.dim) == (40, 3, 50)
    assert np.abs(np.asarray(space.vectors) - get_encoder("glove-50d-mean").encode(texts)).max() <= 1e-6


def test_a_very_long_line_is_cut_to_the_text_bound_and_the_next_lines_follow(tmp_path):
    from embedlab.batch.inputs import describe
    from embedlab.encoders.base import MAX_TEXT_CHARS

    path = tmp_path / "long.txt"
    path.write_text("é" + "word " * (MAX_TEXT_CHARS // 2) + "\nsecond line\n\nfourth\n", encoding="utf-8")
    [shard] = describe(path, "text").shards(10)
    texts = shard.load()
    assert shard.keys == ["1", "2", "4"] and texts[1:] == ["second line", "fourth"]
    assert len(texts[0]) == MAX_TEXT_CHARS and texts[0].startswith("éword word")
