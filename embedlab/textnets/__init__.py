"""Small sentence and contextual encoders trained here: ELMo, Skip-Thought, USE's DAN and InferSent.

Each is a small model with its paper's architecture (:mod:`embedlab.textnets.elmo`,
:mod:`embedlab.textnets.recurrent`, :mod:`embedlab.textnets.dan`), trained by
:mod:`embedlab.textnets.training` on the bundled corpus (or WordNet gloss pairs for InferSent),
shipped as float16 under ``sample_data/encoders/<name>/`` and served as encoders of kind ``"small-text"``
(:mod:`embedlab.textnets.encoder`) named ``elmo-small``, ``skip-thought-small``, ``use-dan-small`` and
``infersent-small``. Saved user-trained ones live in the workspace (:mod:`embedlab.textnets.store`).

Importing this package is cheap: torch is imported by the modules that need it.
"""

#: architecture kind -> the bundled encoder's name
KINDS = {"elmo": "elmo-small", "skip-thought": "skip-thought-small", "use-dan": "use-dan-small",
         "infersent": "infersent-small"}

__all__ = ["KINDS"]
