"""Untrusted zips: path escapes, file count, inflate limit, skipped suffixes, unreadable members."""

from __future__ import annotations

import zipfile

import pytest
from conftest import make_zip

from embedlab.errors import EmptyInputError, InputTooLargeError
from embedlab.uploads import MB, UnsafeArchiveError, check_size, read_zip


def test_reads_regular_files_and_skips_folders_hidden_and_macos_junk():
    data = make_zip({"imgs/cat/a.png": b"A", "imgs/dog/b.JPG": b"BB", "imgs/.DS_Store": b"x",
                 "__MACOSX/imgs/._a.png": b"junk", "imgs/empty/": b""})
    out = read_zip(data, "pets.zip")
    assert sorted(out.files) == [("imgs/cat/a.png", b"A"), ("imgs/dog/b.JPG", b"BB")]
    assert out.skipped == []


def test_suffix_filter_lists_what_was_skipped():
    data = make_zip({"a.txt": b"text", "b.png": b"png", "c.exe": b"MZ"})
    out = read_zip(data, suffixes=(".txt", ".png"))
    assert [p for p, _ in out.files] == ["a.txt", "b.png"]
    assert out.skipped == [("c.exe", "unsupported file type")]


@pytest.mark.parametrize("evil", ["../escape.txt", "/etc/passwd", "a/../../b.txt", "C:/win.ini", "..\\x.txt"])
def test_path_escape_is_refused(evil):
    data = make_zip({"ok.txt": b"fine", evil: b"bad"})
    with pytest.raises(UnsafeArchiveError, match="escape"):
        read_zip(data, "evil.zip")


def test_too_many_files():
    data = make_zip({f"f{i}.txt": b"x" for i in range(12)})
    with pytest.raises(InputTooLargeError, match="12 files; the limit is 10"):
        read_zip(data, max_files=10)
    assert len(read_zip(data, max_files=12).files) == 12


def test_inflate_limit_on_highly_compressible_member():
    bomb = make_zip({"zeros.txt": b"\0" * (3 * MB)})
    assert len(bomb) < 50_000  # tiny on the wire
    with pytest.raises(InputTooLargeError, match="inflate"):
        read_zip(bomb, "bomb.zip", max_total_bytes=1 * MB)
    assert len(read_zip(bomb, max_total_bytes=4 * MB).files[0][1]) == 3 * MB


def test_inflate_limit_counts_all_members_together():
    data = make_zip({f"part{i}.bin": b"\1" * (400 * 1024) for i in range(3)})
    with pytest.raises(InputTooLargeError):
        read_zip(data, max_total_bytes=1 * MB)


def test_not_a_zip_and_empty_zip():
    with pytest.raises(UnsafeArchiveError, match="not a readable zip"):
        read_zip(b"plain text, not a zip", "notes.zip")
    with pytest.raises(EmptyInputError, match="no files"):
        read_zip(make_zip({}), "empty.zip")


def test_corrupt_member_is_a_user_error():
    data = bytearray(make_zip({"a.txt": b"hello world " * 100}, compression=zipfile.ZIP_STORED))
    i = data.find(b"hello world")
    data[i:i + 5] = b"HELLO"  # CRC no longer matches
    with pytest.raises(UnsafeArchiveError, match="a.txt"):
        read_zip(bytes(data), "broken.zip")


def test_check_size():
    check_size("small.txt", 10, 100)
    with pytest.raises(InputTooLargeError, match="big.txt"):
        check_size("big.txt", 2 * MB, 1 * MB)


@pytest.mark.parametrize(("text", "why"), [
    ("a summary\x00\x01\x02 of a program", "NUL bytes"),
    (bytes(range(1, 256)).decode("utf-8", errors="replace") * 50, "undecodable bytes or control codes"),
    ("\x1b\x02\x03\x04\x05 words " * 100, "42% of its characters"),
])
def test_binary_data_is_not_text(text, why):
    from embedlab.errors import InvalidParameterError
    from embedlab.uploads import not_text, require_text

    assert why in not_text(text)
    with pytest.raises(InvalidParameterError, match=f"^notes.bin is binary data, not text \\(.*{why}"):
        require_text(text, "notes.bin")


@pytest.mark.parametrize("text", ["Le café est très bon à Zürich.\tTab\r\nNew line\x0cpage", "", "ok " * 10,
                                  "one replaced \ufffd character in a long enough sentence of text"])
def test_text_is_text(text):
    from embedlab.uploads import not_text, require_text

    assert not_text(text) is None and require_text(text, "x") == text
