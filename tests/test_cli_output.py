"""The CLI's shared output helpers: the one progress printer every command passes as ``progress``."""

from __future__ import annotations

from embedlab.cli._output import ProgressPrinter


def _lines(capsys) -> list[str]:
    captured = capsys.readouterr()
    assert captured.out == ""  # progress never goes into stdout (--json stays clean)
    return captured.err.splitlines()


def test_a_line_per_step_and_the_end(capsys):
    report = ProgressPrinter()
    for done in range(1001):
        report(done, 1000, "adding vectors")
    lines = _lines(capsys)
    assert lines[0] == "    0%  adding vectors" and lines[-1] == "  100%  adding vectors"
    assert [int(line.split("%")[0]) for line in lines] == list(range(0, 101, 10))


def test_a_new_phase_from_zero_and_a_new_final_message_are_shown(capsys):
    report = ProgressPrinter(step=25, prefix="[glove] ")
    report(1, 2, "epoch 1/2")
    report(2, 2, "epoch 2/2")
    report(2, 2, "epoch 2/2")  # the same line again: not repeated
    report(2, 2, "evaluating")
    report(0, 4, "saving")
    assert _lines(capsys) == ["  [glove]  50%  epoch 1/2", "  [glove] 100%  epoch 2/2",
                              "  [glove] 100%  evaluating", "  [glove]   0%  saving"]


def test_every_prints_while_a_long_step_lasts_and_zero_totals_count_as_done(capsys):
    report = ProgressPrinter(every=0.0)  # every report is due: a batch run says it is alive
    report(1, 1000, "shard 1")
    report(2, 1000, "shard 2")
    ProgressPrinter()(0, 0, "nothing to do")
    assert _lines(capsys) == ["    0%  shard 1", "    0%  shard 2", "  100%  nothing to do"]


def test_a_command_prints_a_bounded_number_of_progress_lines(tmp_path, capsys):
    import numpy as np

    from embedlab.cli import main
    from embedlab.formats import write
    from embedlab.space import EmbeddingSpace

    rng = np.random.default_rng(11)
    space = EmbeddingSpace([f"w{i}" for i in range(3000)], rng.normal(size=(3000, 8)), name="printed")
    path = write(space, tmp_path / "printed.txt", "word2vec-text")[0]
    assert main(["neighbours", str(path), "w3", "--k", "3", "--approx"]) == 0
    err = capsys.readouterr().err.splitlines()
    steps = [line for line in err if "%" in line]
    assert 1 <= len(steps) <= 11 and steps[-1].startswith("  100%")
