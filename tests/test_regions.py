"""Names of clusters and map regions, computed offline: planted topics get their planted words."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.regions import map_regions, name_groups, space_kind
from embedlab.space import EmbeddingSpace

TOPICS = {"fruit": ["apple", "pear", "plum"], "vehicle": ["car", "truck", "bus"],
          "weather": ["rain", "snow", "wind"]}


def topic_space(per_topic: int = 60, d: int = 24) -> tuple[EmbeddingSpace, np.ndarray]:
    """Three planted topics: each topic's three planted words come first (most frequent) and sit at its
    centre; its other words (rarer, later in the file) scatter around it. Returns the space and the topic of
    each row."""
    rng = np.random.default_rng(1)
    centres = {t: rng.normal(size=d) * 4 for t in TOPICS}
    keys, vecs, topic = [], [], []
    for t, words in TOPICS.items():  # the planted words: frequent, central
        for w in words:
            keys.append(w)
            vecs.append(centres[t] + rng.normal(scale=0.1, size=d))
            topic.append(t)
    for i in range(per_topic):  # the rest: rarer, spread out
        for t in TOPICS:
            keys.append(f"{t}-word-{i}")
            vecs.append(centres[t] + rng.normal(scale=1.0, size=d))
            topic.append(t)
    return EmbeddingSpace(keys, np.asarray(vecs, dtype=np.float32), name="topics"), np.asarray(topic)


def test_three_planted_topics_are_named_by_their_planted_words():
    space, topic = topic_space()
    names = name_groups(space, topic)
    for t, words in TOPICS.items():
        assert sorted(names[t].split(", ")) == sorted(words), (t, names[t])


def test_map_regions_name_each_planted_topic_where_it_lies():
    from embedlab.linalg import pca_2d

    space, topic = topic_space()
    coords = pca_2d(space.normed)
    regions = map_regions(space, coords, levels=(3,), n=3)
    assert len(regions) == 3
    for r in regions:
        t = next(t for t, words in TOPICS.items() if r.name.split(", ")[0] in words)
        assert sorted(r.name.split(", ")) == sorted(TOPICS[t])
        centre = coords[topic == t].mean(axis=0)
        assert np.hypot(r.x - centre[0], r.y - centre[1]) < 0.25 * np.ptp(coords[:, 0])


def test_finer_levels_sit_inside_coarser_ones_and_are_named():
    space, _ = topic_space(per_topic=400)
    coords = np.random.default_rng(0).normal(size=(len(space), 2)).astype(np.float32)
    regions = map_regions(space, coords, levels=(2, 8))
    levels = [r.level for r in regions]
    assert levels.count(0) == 2 and 4 <= levels.count(1) <= 8
    assert all(r.name for r in regions)
    assert sum(r.size for r in regions if r.level == 1) == len(space)


def test_text_groups_are_named_by_tf_idf_keywords():
    texts = ([f"The cat purrs on the sofa {i}" for i in range(5)] + [f"Stocks fell as markets slid {i}"
             for i in range(5)] + [f"The team scored a late goal {i}" for i in range(5)])
    space = EmbeddingSpace(texts, np.eye(15, dtype=np.float32), name="s", info={"kind": "sentences"})
    assert space_kind(space) == "text"
    names = name_groups(space, ["pets"] * 5 + ["money"] * 5 + ["sport"] * 5, n=2)
    assert set(names["pets"].split(", ")) <= {"cat", "purrs", "sofa"}
    assert set(names["money"].split(", ")) <= {"stocks", "fell", "markets", "slid"}
    assert set(names["sport"].split(", ")) <= {"team", "scored", "late", "goal"}


def test_image_and_graph_groups_are_named_by_classes_and_top_nodes():
    vecs = np.eye(6, dtype=np.float32)
    images = EmbeddingSpace([f"f{i}.jpg" for i in range(6)], vecs, name="img", info={"kind": "images"}
                            ).with_meta(predicted=["tabby", "tabby", "lynx", "jeep", "jeep", "cab"])
    assert name_groups(images, [0, 0, 0, 1, 1, 1], n=1) == {"0": "tabby", "1": "jeep"}
    graph = EmbeddingSpace(list("abcdef"), vecs, name="g", info={"kind": "graph-nodes"}
                           ).with_meta(degree=[1, 5, 2, 9, 3, 1])
    assert name_groups(graph, [0, 0, 0, 1, 1, 1], n=2) == {"0": "b, c", "1": "d, e"}


def test_labels_must_match_the_space():
    space, _ = topic_space(per_topic=5)
    with pytest.raises(Exception, match="one each"):
        name_groups(space, ["a", "b"])
