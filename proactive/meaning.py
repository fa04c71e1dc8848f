"""Vectors for free text, from search's encoder (the same model as the semantic index).

Only search's public side is used: ``search.encoding`` for the settings and the reason the
model is off, ``search.vectors.encode_query`` for one text (cached, through the machine's
encoder service in a web worker) and ``encode_documents`` for many (a job, a bench).
Without the model every caller degrades: no match by meaning, never an error.
"""

import logging
from collections.abc import Sequence

import numpy as np

from search import encoding, vectors

log = logging.getLogger(__name__)


def available() -> bool:
    """Whether texts can be encoded in this process now (settings read from the app)."""
    return encoding.semantic_enabled() and encoding.semantic_problem() is None


def embed_one(text: str) -> np.ndarray | None:
    """The unit vector of one text, or None when the model is unavailable."""
    if not available():
        return None
    try:
        return vectors.encode_query(text)
    except Exception:  # a garnish for pages: the banner falls back to topics
        log.exception("cannot encode a text for known issues")
        return None


def embed_many(texts: Sequence[str]) -> np.ndarray | None:
    """Unit vectors of many texts (one row each), or None when the model is unavailable.

    Loads the model in this process (jobs, commands, benches), like indexing does.
    """
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    if not encoding.semantic_enabled() or encoding.semantic_problem(writing=True) is not None:
        return None
    return vectors.encode_documents(list(texts))


def cosine(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Cosine of each unit row with a unit vector."""
    return matrix @ vector
