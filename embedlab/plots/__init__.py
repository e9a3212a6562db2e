"""All Plotly figures of embedlab, by area, in one house style (no streamlit here).

- :mod:`embedlab.plots.style` — colours, fonts, sizes, label padding, presenter sizes, and
  :func:`~embedlab.plots.style.literal` for putting user data (words, file names, labels) into figure text.
- :mod:`embedlab.plots.maps` — maps of whole spaces (WebGL, density layer, stated sampling), analogies.
- :mod:`embedlab.plots.words` — a handful of labelled words flattened to 2-D.
- :mod:`embedlab.plots.bias` — bias-lab figures.
- :mod:`embedlab.plots.training` — loss curve, neighbours table, snapshot animation of a training run.
- :mod:`embedlab.plots.senses` — the Polysemy explorer: occurrences by layer, sense separation by layer.
- :mod:`embedlab.plots.similarity` — cosine heatmaps (sentences, occurrences).
- :mod:`embedlab.plots.images` — the thumbnail map of an image space.

A new area gets its own module here that imports its colours and sizes from :mod:`embedlab.plots.style`.
Import the area module you need (``from embedlab.plots.maps import scatter_map``); this package imports
nothing heavy itself.
"""
