"""How the CLI fails: a bug is one line and exit 1 (``--debug`` adds the traceback); a missing file is a
sentence and exit 2."""

from __future__ import annotations

import pytest

from embedlab.cli import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken_load(monkeypatch):
    import embedlab.registry

    def load(*_args, **_kwargs):
        raise TypeError("a bug\nover two lines")

    monkeypatch.setattr(embedlab.registry, "load", load)


def test_a_bug_is_one_line_and_exit_1(capsys, broken_load):
    code, out, err = _run(capsys, "info", "glove-50d")
    assert code == 1 and out == ""
    assert err == ("embedlab: unexpected error: TypeError: a bug over two lines "
                   "(run with --debug for the traceback)\n")


@pytest.mark.parametrize("argv", [("--debug", "info", "glove-50d"), ("info", "glove-50d", "--debug")])
def test_debug_shows_the_traceback(capsys, broken_load, argv):
    code, _, err = _run(capsys, *argv)
    assert code == 1
    assert err.startswith("Traceback (most recent call last)")
    assert err.splitlines()[-1] == "embedlab: unexpected error: TypeError: a bug over two lines"


def test_user_errors_are_unchanged(capsys):
    code, _, err = _run(capsys, "info", "no-such-space-anywhere")
    assert code == 2 and err.startswith("embedlab: error: ") and "Traceback" not in err


def test_a_missing_file_is_a_sentence(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("the cat sat on the mat\n" * 50)
    code, _, err = _run(capsys, "slices", "a.txt", "nope.txt", "--prefix", "x")
    assert code == 2
    assert err == "embedlab: error: 'nope.txt': No such file or directory. Check the path.\n"


def test_a_folder_for_a_file_is_a_sentence(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("the cat sat on the mat\n" * 50)
    (tmp_path / "folder").mkdir()
    code, _, err = _run(capsys, "slices", "a.txt", "folder", "--prefix", "x")
    assert code == 2 and err == "embedlab: error: 'folder': Is a directory. Give a file, not a folder.\n"


def test_a_missing_labels_file_of_a_graph_is_a_sentence(capsys, tmp_path):
    code, _, err = _run(capsys, "graph", "embed", "karate", "--labels", str(tmp_path / "nope.labels"),
                        "--out", "kk", "--dim", "8", "--num-walks", "2", "--walk-length", "10")
    assert code == 2 and err.count("\n") == 1  # the graph reader's own sentence names the file
    assert err.startswith("embedlab: error: ") and "nope.labels: does not exist or is not a file" in err
