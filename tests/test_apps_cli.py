"""The applications' CLI: ``classify`` (exact JSON shape), ``probe``, ``search``, ``summarise``."""

from __future__ import annotations

import json

from embedlab.cli import main


def _run(capsys, *argv: str) -> tuple[int, dict | str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    if "--json" in argv and rc == 0:
        return rc, json.loads(out), err
    return rc, out, err


def test_classify_json_shape_on_a_csv(tmp_path, capsys):
    rows = [
        ("a great and wonderful film", "pos"),
        ("superb acting, loved it", "pos"),
        ("an excellent story", "pos"),
        ("brilliant and moving", "pos"),
        ("a dull and boring film", "neg"),
        ("terrible acting, hated it", "neg"),
        ("an awful story", "neg"),
        ("tedious and silly", "neg"),
    ]
    path = tmp_path / "reviews.csv"
    path.write_text("review,sentiment\n" + "\n".join(f'"{t}",{s}' for t, s in rows) + "\n")
    rc, out, _ = _run(
        capsys,
        "classify",
        str(path),
        "--text-column",
        "review",
        "--label-column",
        "sentiment",
        "--features",
        "bow,glove-50d",
        "--per-class",
        "1,3",
        "--seed",
        "1",
        "--json",
    )
    assert rc == 0
    curve = out["curve"]
    assert [(r["features"], r["per_class"]) for r in curve] == [
        ("bow", 1),
        ("bow", 3),
        ("glove-50d", 1),
        ("glove-50d", 3),
    ]
    for r in curve:
        assert isinstance(r["accuracy"], float) and 0 <= r["accuracy"] <= 1
        assert r["n_train"] == 2 * r["per_class"] and r["n_test"] == 8 - r["n_train"]


def test_classify_bad_inputs_exit_2_with_a_sentence(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("text,label\nhello,a\nbye,a\n")
    rc, _, err = _run(capsys, "classify", str(path))
    assert rc == 2 and "at least two classes" in err
    rc, _, err = _run(capsys, "classify", str(path), "--text-column", "body")
    assert rc == 2 and "no column 'body'" in err
    rc, _, err = _run(capsys, "classify", str(tmp_path / "missing.csv"))
    assert rc == 2 and "is not a file" in err


def test_classify_bundled_set_text_table(capsys):
    rc, out, _ = _run(
        capsys, "classify", "pang-lee", "--features", "bow", "--per-class", "5,all", "--repeats", "2"
    )
    assert rc == 0 and "bow" in out and "80" in out


def test_probe_cli(capsys):
    rc, out, _ = _run(capsys, "probe", "glove-50d", "--task", "plural", "--words", "pencils,pencil", "--json")
    assert rc == 0
    row = out["probes"][0]
    assert row["accuracy"] > row["baseline"]
    assert [a["predicted"] for a in row["applied"]] == ["plural", "singular"]


def test_search_cli(tmp_path, capsys):
    path = tmp_path / "docs.txt"
    path.write_text("He parked his automobile outside.\nThe stock market fell.\nShe baked bread.\n")
    rc, out, _ = _run(capsys, "search", "car", "--collection", str(path), "-k", "1", "--json")
    assert rc == 0
    sem = [h for h in out["hits"] if h["method"] == "semantic"]
    assert sem[0]["text"].startswith("He parked") and sem[0]["only_here"]
    assert not [h for h in out["hits"] if h["method"] == "keyword"]


def test_summarise_cli(tmp_path, capsys):
    path = tmp_path / "doc.txt"
    path.write_text(
        "The council approved the budget. The budget funds schools. The budget funds roads. A cat slept."
    )
    rc, out, _ = _run(capsys, "summarise", str(path), "--sentences", "2", "--json")
    assert rc == 0 and len(out["picked"]) == 2 and len(out["sentences"]) == 4


def test_probe_all_skips_a_task_the_space_cannot_do(capsys):
    # the Bolukbasi subset of word2vec GoogleNews keeps lower-case words only: no country names
    rc, out, err = _run(capsys, "probe", "word2vec-gnews-bolukbasi", "--json")
    assert rc == 0 and [s["task"] for s in out["skipped"]] == ["continent"]
    assert {p["task"] for p in out["probes"]} == {"plural", "sentiment"} and "skipped" in err
    rc, _, err = _run(capsys, "probe", "word2vec-gnews-bolukbasi", "--task", "continent")
    assert rc == 2 and "at least 10" in err
