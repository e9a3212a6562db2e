"""Every bad input of the applications gets a clear, actionable error."""

from __future__ import annotations

import pytest

from embedlab.apps.classify import learning_curve
from embedlab.apps.data import MAX_CSV_BYTES, read_labelled_csv
from embedlab.errors import EmptyInputError, FormatError, InputTooLargeError, InvalidParameterError


def _csv(rows: list[tuple[str, str]], header: str = "text,label") -> bytes:
    return (header + "\n" + "\n".join(f'"{t}",{lab}' for t, lab in rows) + "\n").encode()


GOOD = [(f"good film number {i}", "pos") for i in range(6)] + [
    (f"bad film number {i}", "neg") for i in range(6)
]


def test_a_good_csv_reads():
    data = read_labelled_csv("ok.csv", _csv(GOOD))
    assert data.counts() == {"neg": 6, "pos": 6} and not data.notes


def test_missing_columns_are_named_with_the_ones_there_are():
    with pytest.raises(FormatError, match="'review'.*Columns: 'text', 'label'"):
        read_labelled_csv("x.csv", _csv(GOOD), text_column="review")


def test_one_class_only():
    with pytest.raises(InvalidParameterError, match="at least two classes"):
        read_labelled_csv("x.csv", _csv([(t, "pos") for t, _ in GOOD]))


def test_fewer_examples_than_asked_for():
    data = read_labelled_csv("x.csv", _csv(GOOD))
    with pytest.raises(InvalidParameterError, match="only 6 example.*at most 5"):
        learning_curve(data.texts, data.labels, features=["bow"], per_class=[10, 30])


def test_empty_texts_are_dropped_and_counted_all_empty_is_an_error():
    data = read_labelled_csv("x.csv", _csv([*GOOD, ("", "pos"), ("   ", "neg")]))
    assert len(data.texts) == 12 and "2 row(s)" in data.notes[0]
    with pytest.raises(EmptyInputError, match="no row has both"):
        read_labelled_csv("x.csv", _csv([("", "pos"), ("", "neg")]))
    with pytest.raises(EmptyInputError, match="empty"):
        learning_curve(["a", " "], ["x", "y"], features=["bow"], per_class=[1])


def test_a_huge_upload_is_refused_before_parsing():
    with pytest.raises(InputTooLargeError, match="limit is 5 MB"):
        read_labelled_csv("big.csv", b"text,label\n" + b"x" * MAX_CSV_BYTES)


def test_numeric_labels_whole_numbers_become_classes_with_a_note():
    rows = [(t, "1" if lab == "pos" else "0") for t, lab in GOOD]
    data = read_labelled_csv("x.csv", _csv(rows))
    assert data.classes == ["0", "1"] and "treated as a class name" in data.notes[0]


def test_numeric_labels_that_look_like_scores_are_refused():
    rows = [(t, f"{i * 0.37:.2f}") for i, (t, _) in enumerate(GOOD)]
    with pytest.raises(InvalidParameterError, match="looks like a score"):
        read_labelled_csv("x.csv", _csv(rows))


def test_binary_upload_is_refused():
    with pytest.raises(FormatError, match="binary"):
        read_labelled_csv("x.csv", b"\x00\x01\x02text,label")


def test_bad_sequences_and_summaries():
    from embedlab.apps.recommend import parse_sequences
    from embedlab.apps.summarise import summarise

    with pytest.raises(EmptyInputError, match="two or more"):
        parse_sequences("s.txt", b"a\nb\n\n")
    with pytest.raises(InputTooLargeError):
        parse_sequences("s.txt", b"a b\n" * 10, max_bytes=10)
    with pytest.raises(EmptyInputError):
        summarise("   \n  ")
    with pytest.raises(InvalidParameterError):
        summarise("One. Two.", lam=2.0, vectors=[[1.0, 0.0], [0.0, 1.0]])


def test_bad_search_and_probe_inputs(planted_space):
    from embedlab.apps.benefits import one_hot_vs_dense
    from embedlab.apps.probes import run_probe
    from embedlab.apps.search import BM25

    with pytest.raises(EmptyInputError):
        BM25().fit([])
    with pytest.raises(EmptyInputError, match="no words"):
        BM25().fit(["a b"]).score("  ... ")
    with pytest.raises(EmptyInputError, match="at least 10"):
        run_probe(planted_space, "plural")
    with pytest.raises(InvalidParameterError, match="Unknown probe"):
        run_probe(planted_space, "colour")
    with pytest.raises(EmptyInputError, match="at least two words"):
        one_hot_vs_dense(planted_space, ["king", "zzz"])


def test_a_cell_longer_than_the_csv_module_limit_reads_whole():
    long_text = "the film is long and slow " * 8000  # 208,000 characters, past csv's 131,072 a cell
    data = read_labelled_csv("long.csv", _csv([*GOOD, (long_text, "neg")]))
    assert data.counts() == {"neg": 7, "pos": 6}
    assert data.texts[-1] == long_text.strip()


def test_a_long_cell_in_a_sentence_upload_reads_whole():
    from embedlab.sentences import read_upload

    long_text = "wildfire near sydney " * 10_000
    got = read_upload("long.csv", f'text\nshort one\n"{long_text}"\n'.encode())
    assert got.sentences == ["short one", long_text.strip()]


def test_the_cli_classifies_a_csv_with_a_long_cell(tmp_path, capsys):
    from embedlab.cli import main

    path = tmp_path / "long.csv"
    path.write_bytes(_csv([*GOOD, ("a dull and slow film " * 8000, "neg")]))
    code = main(["classify", str(path), "--features", "bow", "--per-class", "3", "--repeats", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "bow" in out and "Traceback" not in err


def test_summarise_refuses_binary_data_before_encoding():
    from embedlab.apps.summarise import summarise

    junk = bytes(range(256)).decode("cp1252", errors="replace") * 40  # what a binary file read as text gives
    with pytest.raises(InvalidParameterError, match="^report.pdf is binary data, not text"):
        summarise(junk, source="report.pdf")


def test_the_cli_refuses_to_summarise_a_binary_file(tmp_path, capsys):
    import zlib

    from embedlab.cli import main

    path = tmp_path / "data.bin"
    path.write_bytes(zlib.compress(b"the cat sat on the mat. " * 5000) + bytes(range(256)))
    assert main(["summarise", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("embedlab: error: 'data.bin'") and "binary" in err and "Traceback" not in err


def test_the_cli_summarises_a_windows_1252_file(tmp_path, capsys):
    from embedlab.cli import main

    path = tmp_path / "notes.txt"
    text = "Le café est très bon à Zürich. Les élèves étudient à l'école. Le marché ouvre à huit heures. " * 3
    path.write_bytes(text.encode("cp1252"))
    assert main(["summarise", str(path), "--sentences", "1"]) == 0
    out, err = capsys.readouterr()
    assert "é" in out and "\ufffd" not in out and "Windows-1252" in err
