"""The fast path for clean text vector files: pyarrow's multi-threaded CSV parser.

It only accepts files it can read exactly (every row the same width, every value a number, UTF-8); for
anything else it returns ``None`` and the line-by-line reader in :mod:`textfmt` takes over, tolerating
dirt and naming the exact bad line. Rows wider than :data:`~embedlab.formats.limits.FAST_MAX_DIM` also go
to that reader: pyarrow makes one column per value, and a single row of a million values would cost
gigabytes.
"""

from __future__ import annotations

import numpy as np

from embedlab.formats._common import BOM, parse_header
from embedlab.formats.limits import FAST_MAX_DIM


def _first_row(data: bytes, start: int) -> tuple[bytes, int]:
    end = data.find(b"\n", start)
    end = len(data) if end < 0 else end
    return data[start:end].rstrip(b"\r"), end + 1


def _layout(data: bytes, keyed: bool, header: bool) -> tuple[int, bytes, int, tuple | None] | None:
    """``(body offset, separator, dimension, header)`` from the first line(s), or ``None``."""
    start = len(BOM) if data.startswith(BOM) else 0
    hdr = None
    if header:
        line, start = _first_row(data, start)
        hdr = parse_header(line.decode("ascii", errors="replace"))
        if hdr is None:
            return None
    row, _ = _first_row(data, start)
    row = row.rstrip(b" \t")
    if not row:
        return None
    sep = b"\t" if b"\t" in row else b" "
    width = row.count(sep) + 1
    d = hdr[1] if hdr else (width - 1 if keyed else width)
    return (start, sep, d, hdr) if 1 <= d <= FAST_MAX_DIM and width <= FAST_MAX_DIM + 2 else None


Fast = tuple[list[str] | None, np.ndarray, tuple | None]


def read_fast(data: bytes, keyed: bool, header: bool) -> Fast | None:
    """``(keys or None, vectors, header)`` for a clean file, else ``None``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as csv

    lay = _layout(data, keyed, header)
    if lay is None:
        return None
    start, sep, d, hdr = lay
    first = 1 if keyed else 0
    types = {f"f{i}": pa.float32() for i in range(first, first + d)}
    if keyed:
        types["f0"] = pa.string()
    try:
        table = csv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),
            read_options=csv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=csv.ParseOptions(delimiter=sep.decode(), quote_char=False, escape_char=False,
                                           newlines_in_values=False, ignore_empty_lines=True),
            convert_options=csv.ConvertOptions(column_types=types, null_values=[""],
                                               strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowException, ValueError):
        return None
    cols = table.columns
    if len(cols) == first + d + 1 and cols[-1].null_count == len(cols[-1]):
        cols = cols[:-1]  # a separator at the end of every line (fastText .vec files)
    if len(cols) != first + d or table.num_rows == 0:
        return None
    nums = cols[first:]
    if any(c.null_count or c.type != pa.float32() for c in nums):
        return None
    keys = None
    if keyed:
        if pc.min(pc.utf8_length(cols[0])).as_py() == 0:
            return None
        keys = cols[0].to_pylist()
    vecs = np.empty((table.num_rows, d), dtype=np.float32)
    for j, c in enumerate(nums):
        vecs[:, j] = c.to_numpy()
    return keys, vecs, hdr
