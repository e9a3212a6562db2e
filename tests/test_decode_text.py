"""One policy turns every text upload into text: ``embedlab.uploads.decode_text``.

UTF-8 (BOM or not), UTF-16 with a BOM, damaged UTF-8 with its bad bytes replaced, else Windows-1252 with a
note; binary data and bytes Windows-1252 leaves undefined are refused. Every reader of a user's text file
goes through it, so the same bytes read the same way everywhere.
"""

from __future__ import annotations

import io
import zlib

import pytest

from embedlab.errors import FormatError
from embedlab.uploads import BinaryFileError, EncodingError, decode_text

CAFE = "Le caf\u00e9 est tr\u00e8s bon \u00e0 Z\u00fcrich."


def test_utf8_with_or_without_a_byte_order_mark_reads_without_a_note():
    assert decode_text("a.txt", CAFE.encode()) == (CAFE, None)
    assert decode_text("a.txt", b"\xef\xbb\xbf" + CAFE.encode()) == (CAFE, None)
    assert decode_text("empty.txt", b"") == ("", None)


def test_utf16_with_a_byte_order_mark():
    text, note = decode_text("notepad.txt", CAFE.encode("utf-16"))
    assert text == CAFE and "UTF-16" in note


def test_windows_1252_is_read_with_a_note_naming_the_first_bad_line():
    row = "\u201cgood\u201d caf\u00e9,pos\n"
    text, note = decode_text("excel.csv", b"text,label\n" + row.encode("cp1252"))
    assert text == "text,label\n" + row
    assert note.startswith("'excel.csv' is not valid UTF-8 (first bad byte on line 2); read it as "
                           "Windows-1252")


def test_damaged_utf8_keeps_its_good_characters_and_counts_the_bad_bytes():
    text, note = decode_text("cut.txt", CAFE.encode() + b"\n\xff end\n")
    assert text == CAFE + "\n\ufffd end\n"  # not re-read as Windows-1252: that would garble every accent
    assert "1 byte sequence(s) are not valid UTF-8 (first on line 2)" in note


def test_bytes_that_windows_1252_leaves_undefined_are_refused():
    with pytest.raises(EncodingError, match=r"^'odd.txt' is not UTF-8 \(first bad byte on line 1\) and not "
                                            r"Windows-1252 either") as err:
        decode_text("odd.txt", b"abc \x81\x8d\x8f\x90\x9d xyz")
    assert isinstance(err.value, FormatError) and err.value.path == "odd.txt"


@pytest.mark.parametrize(("data", "why"), [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "starts like a PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "starts like a zip"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "starts like a PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "starts like a JPEG"),
    (b"some text\x00\x00\x00\x00 and more", "NUL bytes"),
    (bytes(range(1, 256)) * 20, "undecodable bytes or control codes"),  # no NUL, no valid UTF-8
    (zlib.compress(b"the cat sat on the mat. " * 500) + bytes(range(256)), ""),
])
def test_binary_data_is_refused(data, why):
    with pytest.raises(BinaryFileError, match=f"^'data.bin' is a binary file, not text \\(.*{why}") as err:
        decode_text("data.bin", data)
    assert isinstance(err.value, FormatError)  # readers that refused binary files with a FormatError still do


@pytest.mark.parametrize("data", [b"king 0.1 0.\x002\n", b"a b\nb c\x0bd\n", b"tab\tform feed\x0c ok\r\n"])
def test_a_stray_control_character_is_not_binary(data):
    """Readers have their own rule for those (vector keys are cleaned, graph ids refused naming the line)."""
    assert decode_text("x.txt", data).text == data.decode()


# ------------------------------------------------------------------ every reader, the same policy
def _file(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _vectors(tmp_path, data):
    from embedlab.formats import read

    return " ".join(read(_file(tmp_path, "v.txt", b"caf\xe9 1 2\nok 3 4\n" if data is None else data)).keys)


def _corpus(tmp_path, data):
    from embedlab.train.corpus import read_uploads

    return read_uploads([("c.txt", data)]).documents[0][1]


def _sentences(tmp_path, data):
    from embedlab.sentences import read_upload

    return " ".join(read_upload("s.txt", data).sentences)


def _columns(tmp_path, data):
    from embedlab.sentences import csv_columns

    return " ".join(csv_columns(data.replace(b" ", b","), "header.csv"))


def _labelled(tmp_path, data):
    from embedlab.apps.data import read_labelled_csv

    rows = b"text,label\n" + b"".join(data + f" {i},{'ab'[i % 2]}\n".encode() for i in range(10))
    return " ".join(read_labelled_csv("x.csv", rows if data.isascii() or b"caf" in data else data).texts)


def _pairs(tmp_path, data):
    from embedlab.compare import read_pairs

    return " ".join(w for pair in read_pairs(data + b" coffee\n", name="d.txt") for w in pair)


def _edges(tmp_path, data):
    from embedlab.graphs import parse_edge_list

    return " ".join(parse_edge_list(data + b" b\n", "e.txt").nodes)


def _baskets(tmp_path, data):
    from embedlab.apps.recommend import parse_sequences

    return " ".join(w for s in parse_sequences("b.txt", data + b" milk\n") for w in s)


def _word_list(tmp_path, data):
    from embedlab.bias.wordlists import read_words_file

    return " ".join(read_words_file(_file(tmp_path, "w.txt", data + b"\nthe\n")))


def _sense_file(tmp_path, data):
    from embedlab.senses import read_sense_file

    return " ".join(read_sense_file(_file(tmp_path, "s.txt", data + b" bank\n"), "bank").sentences)


def _similarity(tmp_path, data):
    from embedlab.evaluate import similarity_pairs

    path = _file(tmp_path, "sim.tsv", data + b"\tcoffee\t7.5\n")
    return " ".join(p[0] for p in similarity_pairs(str(path)))


READERS = [_vectors, _corpus, _sentences, _columns, _labelled, _pairs, _edges, _baskets, _word_list,
           _sense_file, _similarity]


@pytest.mark.parametrize("reader", READERS, ids=lambda f: f.__name__.strip("_"))
def test_every_reader_reads_windows_1252(tmp_path, reader):
    got = reader(tmp_path, None) if reader is _vectors else reader(tmp_path, b"caf\xe9")
    assert "caf\u00e9" in got


@pytest.mark.parametrize("reader", READERS[1:], ids=lambda f: f.__name__.strip("_"))
def test_every_reader_refuses_binary_data(tmp_path, reader):
    with pytest.raises(BinaryFileError):
        reader(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")


def test_the_use_page_reads_a_windows_1252_csv_by_the_library_path():
    """The Use page lists a CSV's columns (``csv_columns``) before ``read_labelled_csv`` reads it: both decode
    the same way, so an Excel CSV in Windows-1252 is not refused at the first step."""
    from embedlab.apps.data import read_labelled_csv
    from embedlab.sentences import csv_columns

    rows = ["r\u00e9sum\u00e9 text,label"] + [f"un caf\u00e9 tr\u00e8s {'bon' if i % 2 else 'mauvais'} {i},"
                                                 f"{'pos' if i % 2 else 'neg'}" for i in range(12)]
    raw = "\n".join(rows).encode("cp1252")
    assert csv_columns(raw, "films.csv") == ["r\u00e9sum\u00e9 text", "label"]
    got = read_labelled_csv("films.csv", raw, "r\u00e9sum\u00e9 text", "label")
    assert got.texts[0] == "un caf\u00e9 tr\u00e8s mauvais 0" and "Windows-1252" in got.notes[0]


def test_the_use_page_shows_a_windows_1252_upload_instead_of_an_error():
    from conftest import open_page, shown

    at = open_page("use", timeout=600, run=False)
    at.session_state["use_cls_source"] = "upload"
    at.run()
    rows = ["text,label"] + [f"un caf\u00e9 {'bon' if i % 2 else 'mauvais'} {i},{'pos' if i % 2 else 'neg'}"
                             for i in range(12)]
    at.file_uploader(key="use_cls_upload").upload("films.csv", "\n".join(rows).encode("cp1252"), "text/csv")
    at.run()
    assert not at.exception and not [e.value for e in at.error]
    assert at.selectbox(key="use_cls_textcol").options == ["text", "label"]
    assert any("Windows-1252" in shown(i.value) for i in at.info)


def test_the_cli_summary_reads_a_utf16_file(tmp_path, capsys):
    from embedlab.cli import main

    text = "Le caf\u00e9 est tr\u00e8s bon. Les \u00e9l\u00e8ves \u00e9tudient. Le march\u00e9 ouvre. " * 3
    path = _file(tmp_path, "notes.txt", text.encode("utf-16"))
    assert main(["summarise", str(path), "--sentences", "1"]) == 0
    out, err = capsys.readouterr()
    assert "\u00e9" in out and "UTF-16" in err


def test_binary_detection_needs_no_more_than_the_start_and_the_nuls():
    """A big upload is judged on its first 64 K characters (plus its NULs): no second pass over it."""
    big = io.BytesIO()
    big.write(CAFE.encode() * 20_000)
    assert decode_text("big.txt", big.getvalue()).note is None
