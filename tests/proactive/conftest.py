"""Proactive fixtures: the real embedding model (search's session fixtures), semantic on."""

import pytest

from tests.search.conftest import encoder_dir, model  # noqa: F401 (session fixtures)


@pytest.fixture
def semantic(app, model, encoder_dir, tmp_path):  # noqa: F811
    """The app with the real model encoding in this process, and an index of its own."""
    keys = ("SEARCH_SEMANTIC_ENABLED", "SEARCH_INDEX_DIR", "SEARCH_ENCODER_DIR", "PROACTIVE_DIR")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(
        SEARCH_SEMANTIC_ENABLED=True,
        SEARCH_INDEX_DIR=str(tmp_path / "index"),
        SEARCH_ENCODER_DIR=str(encoder_dir),
        PROACTIVE_DIR=str(tmp_path / "proactive"),
    )
    yield app
    app.config.update(saved)
