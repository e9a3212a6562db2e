"""Streamlit's uploaded files as ``(file name, bytes)`` pairs, the form the library reads.

Turning an upload into a session space is :func:`embedlab.catalog.read_uploaded`; the limits and the
accepted formats are :mod:`embedlab.formats.upload`'s ``MAX_UPLOAD_MB`` and ``ACCEPTED``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def as_pairs(files: Iterable[Any]) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` pairs from Streamlit ``UploadedFile`` objects or from such pairs already."""
    pairs: list[tuple[str, bytes]] = []
    for f in files or ():
        if isinstance(f, tuple):
            pairs.append((str(f[0]), bytes(f[1])))
        else:
            pairs.append((str(f.name), f.getvalue()))
    return pairs
