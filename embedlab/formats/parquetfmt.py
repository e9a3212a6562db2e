"""Parquet vectors: a list / fixed-size-list column of floats, or one numeric column per dimension.

The key column is the string column named ``key``/``word``/``token``/``label``/``name``/``id`` (else the
first string column). With a list column, every other column becomes metadata. Without one, the
floating-point columns named like dimensions (``d0``, ``dim_1``, ``e2``, ``x3``, ``4``, ...) are the
dimensions when there are any, else every floating-point column (integer columns too when there are no float
columns); the remaining columns become metadata.

Before anything is read, the memory the table would take is estimated from the file's metadata (values per
column chunk x their width; a string counts as a Python string) and checked against the inflate limit: a
few kilobytes of run-length-encoded rows can declare gigabytes. A row without a key (null) is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from embedlab.errors import FormatError
from embedlab.formats._common import KEY_COLUMNS, Parsed
from embedlab.formats.limits import PY_STR_BYTES, check_dim, check_inflated, inflate_limit

VECTOR_COLUMNS = ("vector", "vectors", "embedding", "embeddings", "emb", "vec")
DIM_NAME = re.compile(r"^(?:dim|emb|d|e|f|v|x)?[_-]?\d+$", re.IGNORECASE)


def _by_name(names: list[str], wanted: tuple[str, ...]) -> str | None:
    low = {n.lower(): n for n in names}
    return next((low[w] for w in wanted if w in low), None)


def _list_matrix(col, name: str, path: str) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if col.null_count:
        row = int(np.flatnonzero(col.is_null().to_numpy(zero_copy_only=False))[0]) + 1
        raise FormatError(path, f"row {row:,} has no vector (null in column '{name}').",
                          hint="Drop rows without vectors before saving.")
    lengths = pc.list_value_length(col).to_numpy(zero_copy_only=False)
    d = int(lengths[0]) if len(lengths) else 0
    bad = np.flatnonzero(lengths != d)
    if len(bad):
        raise FormatError(path, f"wrong dimension in column '{name}': row {bad[0] + 1:,} has "
                                f"{lengths[bad[0]]} values, expected {d} (as row 1).")
    flat = col.flatten().to_numpy(zero_copy_only=False)
    return flat.astype(np.float32).reshape(len(col), d)


def _column_matrix(table, names: list[str], path: str) -> np.ndarray:
    cols = []
    for n in names:
        c = table.column(n)
        if c.null_count:
            row = int(np.flatnonzero(c.is_null().to_numpy(zero_copy_only=False))[0]) + 1
            raise FormatError(path, f"row {row:,} has a missing value in dimension column '{n}'.",
                              hint="Fill or drop missing values before saving.")
        cols.append(c.to_numpy().astype(np.float32, copy=False))
    return np.ascontiguousarray(np.column_stack(cols), dtype=np.float32)


_WIDTH = {"BOOLEAN": 1, "INT32": 4, "INT64": 8, "INT96": 12, "FLOAT": 4, "DOUBLE": 8}


def declared_bytes(metadata) -> int:
    """Memory the table described by ``metadata`` (a ``pyarrow.parquet.FileMetaData``) takes once read."""
    total = 0
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        for c in range(group.num_columns):
            col = group.column(c)
            n = max(int(col.num_values), 0)
            width = _WIDTH.get(col.physical_type)
            if width is None:  # strings and bytes: a Python object each, plus the text itself
                fixed = metadata.schema.column(c).length if col.physical_type == "FIXED_LEN_BYTE_ARRAY" else 0
                width = PY_STR_BYTES + max(fixed or 0, int(col.total_uncompressed_size) // max(n, 1))
            total += n * width
    return total


def _open(path: str | Path, limit: int | None):
    """The table of ``path``, read only after its declared size passed the limit."""
    import pyarrow.parquet as pq

    name = str(path)
    pf = pq.ParquetFile(path)
    md = pf.metadata
    limit = inflate_limit(Path(path).stat().st_size) if limit is None else limit
    check_inflated(name, declared_bytes(md), limit, f"its {md.num_rows:,} rows x {md.num_columns:,} columns")
    check_dim(name, md.num_columns - 1, f"its {md.num_columns:,} columns could hold")
    return pf.read()


def _keys(table, key: str | None, path: str) -> tuple[list[str], str]:
    if key is None:
        return [str(i) for i in range(table.num_rows)], "row numbers"
    col = table.column(key)
    if col.null_count:
        row = int(np.flatnonzero(col.is_null().to_numpy(zero_copy_only=False))[0]) + 1
        raise FormatError(path, f"row {row:,} has no key (null in column '{key}'); {col.null_count:,} row(s) "
                                "have none.", hint="Drop or fill the rows without a key before saving.")
    return [str(k) for k in col.to_pylist()], f"column '{key}'"


def read_parquet(path: str | Path, limit: int | None = None) -> Parsed:
    """Parse a Parquet vectors table (refused before reading when it would inflate past ``limit`` bytes)."""
    import pyarrow.types as pt

    name = str(path)
    table = _open(path, limit)
    if table.num_rows == 0:
        raise FormatError(name, "is empty: the table has no rows.")
    fields = {f.name: f.type for f in table.schema}
    listy = (pt.is_list, pt.is_large_list, pt.is_fixed_size_list)
    lists = [n for n, t in fields.items() if any(f(t) for f in listy)
             and (pt.is_floating(t.value_type) or pt.is_integer(t.value_type))]
    strings = [n for n, t in fields.items() if pt.is_string(t) or pt.is_large_string(t)]
    scalars = [n for n, t in fields.items() if n not in lists and not pt.is_floating(t)]
    key = _by_name(strings, KEY_COLUMNS) or _by_name(scalars, KEY_COLUMNS)
    key = key or (strings[0] if strings else None)
    if lists:
        vcol = _by_name(lists, VECTOR_COLUMNS) or lists[0]
        vecs = _list_matrix(table.column(vcol), vcol, name)
        dims = [vcol]
    else:
        floats = [n for n, t in fields.items() if pt.is_floating(t)]
        floats = [n for n in floats if DIM_NAME.match(n)] or floats
        dims = floats or [n for n, t in fields.items() if pt.is_integer(t) and n != key]
        if not dims:
            raise FormatError(name, f"has no vector columns (columns: {', '.join(fields)}).",
                              hint="Expected a list-of-floats column (e.g. 'vector') or one float column per "
                                   "dimension.")
        vecs = _column_matrix(table, dims, name)
    rest = [n for n in fields if n not in dims and n != key]
    meta = table.select(rest).to_pandas() if rest else None
    keys, src = _keys(table, key, name)
    info = {"keys_from": src, "vector_columns": dims if len(dims) <= 3 else f"{len(dims)} columns"}
    return Parsed(keys, vecs, meta=meta, lines=list(range(1, len(keys) + 1)), info=info)


def write_parquet(keys: list[str], vectors: np.ndarray, meta, path: str | Path, *, columns: str = "list"
                  ) -> None:
    """Write ``key`` (string), the vectors and metadata columns.

    ``columns='list'`` stores one ``vector`` column (fixed-size list of float32); ``'wide'`` one float32
    column per dimension, ``d0``, ``d1``, ... . Metadata columns whose names would clash (``key``,
    ``vector``; in the wide layout also dimension-like names) get a ``meta_`` prefix.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    v = np.ascontiguousarray(vectors, dtype=np.float32)
    if columns == "wide":
        cols = {"key": pa.array(list(keys), type=pa.string())}
        cols.update({f"d{j}": pa.array(v[:, j]) for j in range(v.shape[1])})
        table = pa.table(cols)
    else:
        vec = pa.FixedSizeListArray.from_arrays(pa.array(v.reshape(-1)), v.shape[1])
        table = pa.table({"key": pa.array(list(keys), type=pa.string()), "vector": vec})
    if meta is not None:
        extra = pa.Table.from_pandas(meta.reset_index(drop=True), preserve_index=False)
        for n in extra.column_names:
            clash = n in ("key", "vector") or (columns == "wide" and DIM_NAME.match(str(n)))
            table = table.append_column(f"meta_{n}" if clash else str(n), extra.column(n))
    pq.write_table(table, path)
