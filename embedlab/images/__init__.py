"""Image embeddings: safe decoding and uploads, bundled sets, CNN features, clustering, ConSE text search
and thumbnail maps. Nothing here imports streamlit; torch is imported only when an encoder runs.
"""
