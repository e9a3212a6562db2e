"""embedlab: see, train, measure and compare embeddings.

The library never imports streamlit; the app's pages and the ``embedlab`` CLI are thin layers over it.
"""

from embedlab.errors import EmbedlabError
from embedlab.space import EmbeddingSpace

__all__ = ["EmbeddingSpace", "EmbedlabError", "load"]
__version__ = "0.1.0"


def load(name_or_path: str, **kw) -> EmbeddingSpace:
    """Load a bundled space (``glove-50d``), a saved workspace space, or a vectors file by path."""
    from embedlab.registry import load as _load

    return _load(name_or_path, **kw)
