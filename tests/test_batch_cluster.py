"""A cluster started the way the README says: ``dask scheduler`` and two ``dask worker ADDRESS`` processes,
then ``embedlab batch embed --scheduler ADDRESS``. Everything stays on the loopback interface."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("distributed")

DASK = str(Path(sys.executable).parent / "dask")


def _start(procs: list, folder: Path, *args: str) -> None:
    procs.append(subprocess.Popen([DASK, *args], cwd=folder, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True))


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory):
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    info = folder / "scheduler.json"
    procs: list[subprocess.Popen] = []
    try:
        _start(procs, folder, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
               "--scheduler-file", str(info))
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        for i in range(2):
            _start(procs, folder, "worker", address, "--nthreads", "1", "--no-dashboard", "--name", f"w{i}")
        with Client(address, timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def test_cli_runs_on_a_separately_started_cluster(scheduler_address, tmp_path, capsys):
    from embedlab.batch import open_space
    from embedlab.cli import main
    from embedlab.encoders import get_encoder

    texts = [f"the river bank number {i}" if i % 2 else f"money in the bank {i}" for i in range(30)]
    src = tmp_path / "texts.txt"
    src.write_text("\n".join(texts) + "\n", encoding="utf-8")
    args = ["batch", "embed", str(src), "--kind", "text", "--out", str(tmp_path / "out"), "--scheduler",
            scheduler_address, "--encoder", "glove-50d-mean", "--shard-size", "8", "--json"]
    assert main(args) == 0
    res = json.loads(capsys.readouterr().out)
    assert (res["rows"], res["shards"], res["workers"]) == (30, 4, 2)
    assert os.getpid() not in res["worker_pids"]  # embedded in the worker processes, not here
    space = open_space(tmp_path / "out")
    assert np.abs(np.asarray(space.vectors) - get_encoder("glove-50d-mean").encode(texts)).max() <= 1e-6
    assert main(args) == 0  # the same command again finds every shard done
    assert json.loads(capsys.readouterr().out)["written_shards"] == 0
