"""The small encoders (ELMo, Skip-Thought, USE's DAN, InferSent): behaviour on small real and planted data.

Tiny networks are built or trained here in seconds; the shipped ones are loaded, never trained.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from embedlab.encoders import get_encoder
from embedlab.errors import EmbedlabError, EmptyInputError, FormatError
from embedlab.textnets import KINDS, store
from embedlab.textnets.common import CPU_THREADS, torch_threads
from embedlab.textnets.data import CorpusTooSmallError, load_documents, read_nli
from embedlab.textnets.training import settings_for, train_encoder
from embedlab.textnets.vocab import Vocab, words_of

SHIPPED = list(KINDS.values())
RECURRENT = ["elmo-small", "skip-thought-small", "infersent-small"]
SENTENCES = [
    "the old man walked slowly along the river bank at dawn",
    "a bank loan helped the small company buy new machines",
    "she sang a song",
    "prices of houses rose again in the city last year, the report said",
    "the children played football in the park after school",
    "rain",
    "our team lost the final match by a single goal in extra time",
    "he read the letter twice before he answered it",
]


def tiny_net(kind: str):
    torch.manual_seed(0)
    words = sorted({w for s in SENTENCES for w in words_of(s)})
    vocab = Vocab(words)
    config = {"elmo": {"dim": 16, "hidden": 24, "filters": [[1, 8], [2, 8], [3, 8]]},
              "skip-thought": {"emb": 12, "hidden": 20}, "use-dan": {"emb": 12, "hidden": 16, "out": 10},
              "infersent": {"emb": 12, "hidden": 16, "mlp": 8}}[kind]
    bigrams = Vocab([f"{a} {b}" for s in SENTENCES
                     for a, b in zip(words_of(s), words_of(s)[1:], strict=False)])
    return store.build(kind, vocab, config, bigrams if kind == "use-dan" else None).eval()


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_padding_and_batch_composition_do_not_change_a_vector(name):
    enc = get_encoder(name)
    alone = np.stack([enc.encode([s])[0] for s in SENTENCES])
    together = enc.encode(SENTENCES, batch_size=64)
    longer = ["and one more sentence " * 12]
    mixed = enc.encode(SENTENCES[::-1] + longer, batch_size=3)[: len(SENTENCES)][::-1]
    assert np.allclose(alone, together, atol=1e-5) and np.allclose(alone, mixed, atol=1e-5)
    assert enc.card["parameters"] > 100_000 and "loss_curve" in enc.card


def test_dan_ignores_word_order_beyond_bigrams():
    enc = get_encoder("use-dan-small")
    # both orders hold the same words and the same bigrams (two walks over one path): only order differs
    a, b = "the river the city the", "the city the river the"
    assert sorted(words_of(a)) == sorted(words_of(b))
    va, vb = enc.encode([a, b])
    assert np.allclose(va, vb, atol=1e-6)


def _shuffled(text: str, rng: random.Random) -> str:
    words = words_of(text)
    for _ in range(20):
        rng.shuffle(words)
        if " ".join(words) != " ".join(words_of(text)):
            break
    return " ".join(words)


def order_sensitivity(name: str) -> float:
    """How far shuffling a sentence's words moves its vector, as a share of the distance to other
    sentences."""
    rng = random.Random(0)
    texts = [s for s in SENTENCES if len(words_of(s)) >= 6]
    enc = get_encoder(name)
    orig = enc.encode(texts)
    shuf = enc.encode([_shuffled(t, rng) for t in texts])
    moved = 1 - (orig * shuf).sum(1).mean()
    sims = orig @ orig.T
    apart = 1 - sims[~np.eye(len(texts), dtype=bool)].mean()
    return float(moved / apart)


def test_shuffling_words_moves_dan_less_than_the_recurrent_encoders():
    dan = order_sensitivity("use-dan-small")
    assert all(dan < order_sensitivity(name) for name in RECURRENT)


def test_elmo_top_layer_separates_bank_senses_better_than_its_character_layer():
    from embedlab.senses import analyse, load_bundled

    result = analyse(load_bundled("bank"), encoder="elmo-small")
    ari = {s.layer: s.ari for s in result.scores}
    assert result.vectors.info["layer_names"] == ["char-CNN", "LSTM 1", "LSTM 2", "scalar mix"]
    assert ari[2] > ari[0] and ari[2] > 0.2


def planted_stories(folder, n_stories: int = 8, copies: int = 12, seed: int = 0) -> list[tuple[str, str]]:
    """Documents of 6 sentences, each 4 words drawn from its story's own 12 words; and per story a
    (sentence, neighbour) pair with no word in common, so only training can bring them together."""
    rng = random.Random(seed)
    pools = [[f"s{s}w{k}" for k in range(12)] for s in range(n_stories)]
    folder.mkdir()
    for c in range(copies):
        for s in range(n_stories):
            sentences = [" ".join(rng.choice(pools[s]) for _ in range(4)) for _ in range(6)]
            (folder / f"doc{c:02d}-{s}.txt").write_text(". ".join(sentences) + ".", encoding="utf-8")
    return [(" ".join(p[:4]), " ".join(p[4:8])) for p in pools]


def test_tiny_skip_thought_puts_a_sentence_nearer_its_neighbour_than_random_sentences(tmp_path):
    pairs = planted_stories(tmp_path / "planted")
    settings = settings_for("skip-thought", quick=True, epochs=6, config={"emb": 16, "hidden": 32},
                            max_examples=None, batch_size=16, lr=1e-2)
    result = train_encoder("skip-thought", [str(tmp_path / "planted")], "planted-skip", settings, "cpu")
    assert result.losses[-1].loss < result.losses[0].loss
    vecs = get_encoder("planted-skip").encode([t for pair in pairs for t in pair]).reshape(len(pairs), 2, -1)
    for s in range(len(pairs)):
        others = [float(vecs[s, 0] @ vecs[o, k]) for o in range(len(pairs)) if o != s for k in (0, 1)]
        assert float(vecs[s, 0] @ vecs[s, 1]) > max(others)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_saved_encoder_round_trips_bit_for_bit(kind):
    net = tiny_net(kind)
    path = store.save(net, f"round-{kind}", {"kind": kind})
    back = store.read(path)
    before, after = net.state_dict(), back.state_dict()
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)
    enc = get_encoder(f"round-{kind}")
    with torch.inference_mode(), torch_threads(CPU_THREADS):  # the encoder's thread count: same rounding
        direct = torch.nn.functional.normalize(net.sentence(net.tensors([words_of(SENTENCES[0])])), dim=1)
    assert np.array_equal(enc.encode([SENTENCES[0]])[0], direct[0].numpy())


def test_saving_again_under_a_name_serves_the_new_weights():
    first = tiny_net("use-dan")
    store.save(first, "again-dan")
    v1 = get_encoder("again-dan").encode(["the river"])
    second = tiny_net("use-dan")
    with torch.no_grad():
        second.ffn[-1].bias.add_(1.0)
    store.save(second, "again-dan")
    assert not np.allclose(get_encoder("again-dan").encode(["the river"]), v1)


def test_stop_keeps_what_is_trained(tmp_path):
    corpus = tmp_path / "news.txt"
    corpus.write_text(" ".join(SENTENCES * 40).replace(",", ".") + ".", encoding="utf-8")
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 3

    settings = settings_for("use-dan", quick=True, log_every=1, batch_size=8)
    result = train_encoder("use-dan", str(corpus), "stopped-dan", settings, "cpu", should_stop=stop)
    assert result.stopped and len(result.losses) == 3 and result.card["stopped_early"]
    assert get_encoder("stopped-dan").encode(["the river"]).shape == (1, result.net.dim)


def test_background_job_stopped_at_once_ends_cancelled_with_a_saved_result(tmp_path):
    from embedlab import jobs
    from embedlab.textnets.training import start

    corpus = tmp_path / "news.txt"
    corpus.write_text(" ".join(SENTENCES * 40) + ".", encoding="utf-8")
    job = start("test-train-encoder", "use-dan", str(corpus), "job-dan", quick=True, device="cpu")
    job.cancel()
    job.wait()
    assert job.status == jobs.CANCELLED and job.result.stopped and job.result.path is not None


@pytest.mark.parametrize(("content", "error", "words"), [
    (b"", EmptyInputError, "no text"),
    (b"   \n\n  ", EmptyInputError, "no text"),
    (b"Just one sentence here.", CorpusTooSmallError, "only one sentence"),
    (b"caf\xe9 au lait \x81\x8d is \x90 here. And more \x9d text.", EmbedlabError, "not UTF-8"),
])
def test_bad_corpora_are_refused_in_words(tmp_path, content, error, words):
    path = tmp_path / "corpus.txt"
    path.write_bytes(content)
    with pytest.raises(error, match=words):
        train_encoder("skip-thought", str(path), None, settings_for("skip-thought", quick=True), "cpu")


def test_a_windows_1252_corpus_is_read_with_a_note(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Un café au lait. Une crème brûlée. Un thé.".encode("cp1252"))
    docs = load_documents(str(path))
    assert docs.sentences[0] == ["un", "café", "au", "lait"]
    assert any("not valid UTF-8" in n for n in docs.notes)


def test_skip_thought_needs_three_consecutive_sentences_in_one_document(tmp_path):
    folder = tmp_path / "one-per-file"
    folder.mkdir()
    for i, s in enumerate(SENTENCES[:4]):
        (folder / f"{i}.txt").write_text(s, encoding="utf-8")
    with pytest.raises(CorpusTooSmallError, match="consecutive sentences"):
        train_encoder("skip-thought", [str(folder)], None, settings_for("skip-thought", quick=True), "cpu")


def test_nli_csv_with_an_unknown_label_names_it_and_its_line():
    blob = (b"premise,hypothesis,label\nA man sleeps.,A person rests.,entailment\n"
            b"A dog barks.,A cat meows.,maybe\n")
    with pytest.raises(FormatError, match=r"'maybe'.*line 3|line 3.*'maybe'") as info:
        read_nli("pairs.csv", blob)
    assert "entailment, neutral, contradiction" in str(info.value)


def test_nli_csv_is_read_with_its_labels():
    blob = (b"premise,hypothesis,label\nA man sleeps.,A person rests.,Entailment\n"
            b"A dog barks.,A cat meows.,neutral\nIt is day.,It is night.,contradiction\n")
    pairs = read_nli("pairs.csv", blob)
    assert pairs.label_names == ["entailment", "neutral", "contradiction"] and pairs.labels == [0, 1, 2]


def test_infersent_refuses_a_plain_text_corpus(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("One. Two. Three.", encoding="utf-8")
    with pytest.raises(EmbedlabError, match="NLI CSV"):
        train_encoder("infersent", str(path), None, settings_for("infersent", quick=True), "cpu")


def test_a_name_taken_by_a_built_in_encoder_is_refused_before_training():
    with pytest.raises(EmbedlabError, match="built-in encoder"):
        train_encoder("use-dan", "default", "elmo-small", settings_for("use-dan", quick=True), "cpu")


def test_comparison_table_and_chart_data():
    from embedlab.textnets.compare import ROLE_SWAPS, compare_encoders

    result = compare_encoders(["glove-50d-mean", "use-dan-small", "elmo-small"], repeats=1,
                              sense_words=["bank"])
    rows = {r.encoder: r for r in result.rows}
    bag = rows["glove-50d-mean"]
    # same words, same mean
    assert bag.word_order == pytest.approx(1.0) and bag.role_swaps == pytest.approx(1.0)
    assert rows["elmo-small"].role_swaps < 1.0  # the recurrent model sees the order
    assert list(rows["elmo-small"].sense_ari) == ["char-CNN", "LSTM 1", "LSTM 2", "scalar mix"]
    assert rows["elmo-small"].size_mb > 0 and rows["elmo-small"].parameters > 0 and bag.sense_ari is None
    table = result.table()
    assert list(table["encoder"]) == ["glove-50d-mean", "use-dan-small", "elmo-small"]
    assert {"word_order", "role_swaps", "gap", "accuracy_10", "accuracy_all", "sentences_per_s"} <= set(table)
    chart = result.chart_data()
    assert set(chart["encoder"]) == set(rows) and {10} <= set(chart["per_class"])
    assert len(ROLE_SWAPS) == 10


def test_comparison_figure_groups_the_measures_and_escapes_labels():
    from embedlab.plots.encoders import MEASURES, comparison_figure

    rows = [{"encoder": "a", "label": "<b>mine</b>", "role_swaps": 0.75, "gap": 0.2, "accuracy_10": 0.5,
             "accuracy_all": None}]
    fig = comparison_figure(rows)
    assert [t.name for t in fig.data] == list(MEASURES.values())
    assert fig.data[0].y[0] == pytest.approx(0.25) and fig.data[3].text[0] == "n/a"
    assert "<b>" not in fig.data[0].x[0]


def test_model_card_table_keeps_its_two_columns_when_a_value_has_pipes():
    import re

    from embedlab.textnets.cards import card, markdown

    text = markdown(card("infersent-small"))
    row = next(line for line in text.splitlines() if line.startswith("| objective"))
    assert "|u-v|" in row.replace("\\|", "|")
    assert len(re.findall(r"(?<!\\)\|", row)) == 3  # | objective | ... |
