"""Background jobs: progress, partial results, cancel keeps partial, failures captured, registry by key."""

from __future__ import annotations

import threading

import pytest

from embedlab import jobs


@pytest.fixture
def key(request):
    k = f"test-{request.node.name}"
    yield k
    jobs.forget(k)


def _count(ctx, n, gate: threading.Event | None = None):
    for i in range(n):
        if ctx.cancelled:
            return "stopped"
        ctx.report(i + 1, n, f"step {i + 1}")
        ctx.publish(list(range(i + 1)))
        if gate is not None and i == 1:
            gate.wait(5)
    return sum(range(n))


def test_job_runs_and_reports_progress(key):
    job = jobs.submit(key, _count, 5).wait(10)
    assert job.status == jobs.DONE and job.result == 10
    assert job.progress == (5.0, 5.0, "step 5") and job.fraction == 1.0
    assert job.partial == [0, 1, 2, 3, 4] and not job.running
    assert job.elapsed >= 0 and job.error is None
    assert jobs.get(key) is job


def test_submit_same_key_returns_existing_job_unless_restart(key):
    first = jobs.submit(key, _count, 3).wait(10)
    assert jobs.submit(key, _count, 4) is first
    second = jobs.submit(key, _count, 4, restart=True).wait(10)
    assert second is not first and second.result == 6


def test_cancel_keeps_partial_result(key):
    gate = threading.Event()
    job = jobs.submit(key, _count, 100, gate=gate)
    for _ in range(1000):  # wait (at most 10 s) until the job is parked at the gate
        if job.progress[0] >= 2:
            break
        threading.Event().wait(0.01)
    job.cancel()
    gate.set()
    job.wait(10)
    assert job.status == jobs.CANCELLED and job.result == "stopped"
    assert job.partial == [0, 1] and job.fraction == pytest.approx(0.02)


def test_failure_is_captured_not_raised(key):
    def boom(ctx):
        ctx.report(1, 2, "half way")
        raise ValueError("bad corpus")

    job = jobs.submit(key, boom).wait(10)
    assert job.status == jobs.FAILED and isinstance(job.error, ValueError)
    assert "bad corpus" in job.error_trace and job.progress[2] == "half way"
    again = jobs.submit(key, _count, 2).wait(10)  # a failed job is replaced by a fresh one
    assert again is not job and again.status == jobs.DONE


def test_forget_cancels_running_job(key):
    gate = threading.Event()
    job = jobs.submit(key, _count, 10, gate=gate)
    jobs.forget(key)
    gate.set()
    job.wait(10)
    assert jobs.get(key) is None and job._cancel.is_set()


def test_fraction_with_zero_total():
    job = jobs.Job("x", _count)
    job.progress = (3.0, 0.0, "")
    assert job.fraction == 0.0 and job.elapsed == 0.0


def test_a_local_context_runs_the_same_job_function_in_the_callers_thread():
    """The CLI and a waiting page button run a job body with jobs.LocalContext: same protocol, same result."""
    seen = []
    ctx = jobs.LocalContext(lambda done, total, message: seen.append((done, total, message)))
    assert isinstance(ctx, jobs.Context) and isinstance(jobs.JobContext(jobs.Job("k", _count)), jobs.Context)
    assert _count(ctx, 3) == 3
    assert seen == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")] and ctx.partial == [0, 1, 2]
    quiet = jobs.LocalContext()  # no callback: reports go nowhere
    quiet.checkpoint(1, 2, "half")
    quiet.cancel()
    assert _count(quiet, 3) == "stopped"
    with pytest.raises(jobs.JobCancelled, match="stopped at half"):
        quiet.checkpoint(1, 2, "half")


def test_cli_training_reports_through_a_local_context(tmp_path, capsys):
    from embedlab.cli import main

    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat . the dog sat on the log .\n" * 200, encoding="utf-8")
    assert main(["train", str(corpus), "--method", "skipgram", "--dim", "8", "--epochs", "2",
                 "--min-count", "1", "--out", "local-ctx", "--no-eval"]) == 0
    err = capsys.readouterr().err
    assert "[skipgram]  50%  epoch 1/2" in err and "[skipgram] 100%  epoch 2/2" in err
