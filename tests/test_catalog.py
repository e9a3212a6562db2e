"""embedlab.catalog: the Home table, a space's summary, fresh session names, uploads into session spaces."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.catalog import read_uploaded, space_rows, space_summary, unique_name
from embedlab.errors import EmbedlabError, EmptyInputError
from embedlab.space import EmbeddingSpace

GOOD_GLOVE = b"apple 1 0 0\nbanana 0.9 0.1 0\ncar 0 1 0\ntruck 0 0.9 0.1\nriver 0 0 1\n"
BAD_GLOVE = b"apple 1 0 0\nbanana 0.9 zero 0\ncar 0 1\n"


def test_unique_name_never_reuses_a_taken_name():
    assert unique_name("fruit", []) == "fruit"
    assert unique_name("fruit", {"fruit", "fruit-2", "fruit-4"}) == "fruit-3"


def test_read_uploaded_never_reuses_a_taken_name():
    sp = read_uploaded([("fruit.txt", GOOD_GLOVE)], taken=["fruit", "fruit-2"])
    assert sp.name == "fruit-3" and len(sp) == 5 and sp.dim == 3


def test_read_uploaded_errors():
    with pytest.raises(EmptyInputError):
        read_uploaded([])
    with pytest.raises(EmbedlabError, match="bad.txt"):
        read_uploaded([("bad.txt", BAD_GLOVE)])
    with pytest.raises(EmbedlabError, match="limit"):
        read_uploaded([("fruit.txt", GOOD_GLOVE)], max_bytes=10)


def test_space_summary_and_rows():
    sp = EmbeddingSpace(["a", "b"], np.eye(2), name="toy", info={"source": "test", "warnings": ["careful"]})
    s = space_summary(sp)
    assert (s["words"], s["dim"], s["source"], s["warnings"]) == (2, 2, "test", ["careful"])
    rows = space_rows({"toy": sp})
    assert rows.iloc[0]["name"] == "toy" and "glove-50d" in rows["name"].tolist()
    assert (rows.iloc[0]["words"], rows.iloc[0]["dim"]) == ("2", "2")
    unloaded = rows.set_index("name").loc["glove-50d"]
    assert (unloaded["words"], unloaded["dim"]) == ("", "")  # bundled, not loaded: size unknown, blank


def test_space_rows_show_the_size_of_a_loaded_bundled_space():
    big = EmbeddingSpace([f"w{i}" for i in range(1200)], np.ones((1200, 3)), name="glove-50d")
    row = space_rows({}, {"glove-50d": big}).set_index("name").loc["glove-50d"]
    assert (row["words"], row["dim"]) == ("1,200", "3")
