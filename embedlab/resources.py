"""Bundled data files, read through :mod:`importlib.resources` from the package ``embedlab.sample_data``.

In the repository they live in the top-level ``sample_data/`` folder. The build maps that folder into the
package (``[tool.setuptools.package-dir]`` in ``pyproject.toml``): a wheel carries the files as package
data, and an editable install (``pip install -e .``) points the same package name at ``sample_data/``. So a
checkout and an installed wheel read the same files the same way, from any working directory.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from embedlab.errors import EmbedlabError

PACKAGE = "embedlab.sample_data"


class BundledDataMissingError(EmbedlabError):
    """embedlab's bundled data files are not installed."""


def data_path(*parts: str) -> Path:
    """Path of a bundled data file or folder, e.g. ``data_path("corpus", "default.txt.gz")``.

    Raises
    ------
    BundledDataMissingError
        If the data package is not installed (a source tree used without ``pip install``).
    """
    try:
        root = files(PACKAGE)
    except ModuleNotFoundError as exc:
        raise BundledDataMissingError(
            f"embedlab's bundled data (the package {PACKAGE}) is not installed. Install embedlab with "
            "`pip install \"embedlab[all]\"`, or `pip install -e .` in a source checkout."
        ) from exc
    return Path(str(root.joinpath(*parts)))
