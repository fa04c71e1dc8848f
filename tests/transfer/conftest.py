"""Transfer fixtures: the hand-written source files, and a search index of the test's own."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def own_index(app, tmp_path, monkeypatch):
    """An empty search index in the test's folder, built before anything is imported: what
    is found afterwards came through the change feed."""
    from search import indexing

    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    with app.app_context():
        indexing.rebuild()
    return tmp_path / "index"
