"""The export of another sentence-transformers model: EMBEDDING_MODEL stays a setting."""

import numpy as np
import torch

from search import export
from search.encoder import OnnxEncoder, encoder_folder
from tests.search.test_vectors import SENTENCES


def test_another_model_is_exported_the_same_way(tmp_path, torch_model):
    """A model with another pipeline (CLS pooling, a dense layer to 64 dimensions) saved
    as a folder: its export gives its own vectors, and is then up to date."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Dense, Normalize
    from sentence_transformers.sentence_transformer.modules import Pooling

    torch.manual_seed(0)
    other = SentenceTransformer(
        modules=[
            torch_model[0],
            Pooling(384, pooling_mode="cls"),
            Dense(384, 64, activation_function=torch.nn.Tanh()),
            Normalize(),
        ],
        device="cpu",
    )
    path = str(tmp_path / "other-model")
    other.save(path)
    root = tmp_path / "encoders"
    assert export.ensure_encoder(root, path)
    encoder = OnnxEncoder(encoder_folder(root, path))
    assert encoder.dim == 64 and encoder.folder != encoder_folder(root, None)
    saved = SentenceTransformer(path, device="cpu")
    expected = saved.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    found = encoder.encode(SENTENCES)
    assert ((found * expected).sum(axis=1) > 1 - 1e-5).all()
    assert np.allclose(found, expected, atol=1e-5)
    assert not export.ensure_encoder(root, path)  # up to date: nothing exported again
