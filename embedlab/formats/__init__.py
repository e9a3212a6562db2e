"""Vector file formats: read (auto-detected by content), write, and read browser uploads.

>>> from embedlab.formats import read, write
>>> space = read("vectors.txt")                              # doctest: +SKIP
>>> write(space, "out/vectors.tsv", "projector-tsv")        # doctest: +SKIP

Readers: word2vec text and binary, GloVe text, fastText ``.vec``, TensorFlow Projector ``vectors.tsv``
(+ ``metadata.tsv``), ``.npy``/``.npz`` (+ a labels file), Parquet, and spaCy package folders (``vocab/``
with ``vectors``, ``key2row``, ``strings.json``; read without spaCy, see :mod:`~embedlab.formats.spacyfmt`).
Every space read gets ``info['language']``: the ``language=`` given, the one a spaCy package declares, or
``"unknown"``. Every problem raises
:class:`~embedlab.errors.FormatError` naming the file, the line and what was wrong. Duplicate keys: the
first occurrence is kept (``info['duplicates_dropped']`` and ``info['warnings']`` say so); pass
``on_duplicate='error'`` to refuse them or ``'rename'`` to keep them as ``key#2``, ... . Keys from a
Projector ``metadata`` file are display labels that often repeat (class names), so there the default
keeps every row under a renamed key, with the original labels in a metadata column. Without
``metadata=``, Projector vectors pick up a sibling ``<stem>-metadata.tsv`` (else ``metadata.tsv``) whose
row count fits (``info['keys_from']`` names it), so ``write(..., 'projector-tsv')`` round-trips by itself.

Untrusted files stay bounded: rows wider than 100,000 values are refused with their width; ``.npz`` and
Parquet files are checked against ``max_inflated_bytes`` from their headers / metadata before any data is
read; companion files stop being read once they cannot fit. Rows no one can use are dropped with a warning
naming the first few: vectors holding NaN or infinity, keys left empty once control characters (tab, CR,
NUL, ...) are replaced by spaces. Implementation: :mod:`~embedlab.formats.reader` (``read``),
:mod:`~embedlab.formats.detect`, one module per format, :mod:`~embedlab.formats.limits` and
:mod:`~embedlab.formats.cleaning`.
"""

from __future__ import annotations

from embedlab.formats.detect import FORMATS, detect
from embedlab.formats.reader import normalise_format, read
from embedlab.formats.upload import read_upload
from embedlab.formats.writers import WRITE_FORMATS, write

__all__ = ["FORMATS", "WRITE_FORMATS", "detect", "read", "read_upload", "write", "normalise_format"]
