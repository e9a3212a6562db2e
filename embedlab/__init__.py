"""embedlab: see, train, measure and compare embeddings.

The library never imports streamlit; the app's pages and the ``embedlab`` CLI are thin layers over it.
"""

import os as _os

# torch's OpenMP threads spin while waiting; on a 2-core machine shared with the app server that halves
# throughput. Must be set before torch is first imported, so it lives here.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from embedlab.errors import EmbedlabError  # noqa: E402
from embedlab.space import EmbeddingSpace  # noqa: E402

__all__ = ["EmbeddingSpace", "EmbedlabError", "load"]
__version__ = "0.1.0"


def load(name_or_path: str, **kw) -> EmbeddingSpace:
    """Load a bundled space (``glove-50d``), a saved workspace space, or a vectors file by path."""
    from embedlab.registry import load as _load

    return _load(name_or_path, **kw)
