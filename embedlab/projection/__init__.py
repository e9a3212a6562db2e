"""2-D / 3-D maps of embedding spaces: PCA, UMAP, t-SNE and custom semantic axes.

Estimators are scikit-learn estimators (``fit`` → ``embedding_``), listed by name in :data:`PROJECTIONS`;
:func:`project` adds a disk cache keyed by the space's content and the parameters,
:func:`project_in_background` runs it as a job with progress, and :func:`trustworthiness` says how much a
map distorts.

>>> from embedlab.projection import project
>>> coords = project(space.head(5000), "pca")  # doctest: +SKIP
"""

from embedlab.projection.cache import (
    ProjectionBusyError,
    cache_key,
    cached_projection,
    project,
    project_in_background,
)
from embedlab.projection.estimators import (
    PROJECTIONS,
    AxesProjection,
    PCAProjection,
    TSNEProjection,
    UMAPProjection,
    as_matrix,
    make_projection,
)
from embedlab.projection.quality import trustworthiness, trustworthiness_note

__all__ = [
    "PROJECTIONS",
    "AxesProjection",
    "PCAProjection",
    "ProjectionBusyError",
    "TSNEProjection",
    "UMAPProjection",
    "as_matrix",
    "cache_key",
    "cached_projection",
    "make_projection",
    "project",
    "project_in_background",
    "trustworthiness",
    "trustworthiness_note",
]
