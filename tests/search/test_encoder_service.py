"""The machine's encoder service: what it answers, the web worker's side, its supervisor."""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from search import encoder_service, encoding, service, vectors
from search.encoder_service import EncoderClient, EncoderServer, ServiceUnavailable
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def socket_path():
    """A short path: a Unix socket's must fit in 108 bytes, pytest's tmp_path may not."""
    folder = tempfile.mkdtemp(prefix="enc-", dir="/tmp")
    yield os.path.join(folder, "encoder.sock")
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))
    os.rmdir(folder)


@pytest.fixture
def running(model, socket_path):
    """The service in a thread of this process, on the session's export."""
    server = EncoderServer(socket_path, model)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def web_worker(search_app, socket_path, monkeypatch):
    """The app as a web worker sees it: queries go to the service, the model is not loaded
    in this process (documents are embedded before, as the keeper would)."""
    search_app.config.update(SEARCH_ENCODER_SERVICE=True, SEARCH_ENCODER_SOCKET=socket_path)

    def without_the_model():
        monkeypatch.setattr(vectors, "_model", None)
        monkeypatch.setattr(vectors, "_client", None)
        vectors._encode_query_cached.cache_clear()

    yield without_the_model
    vectors._encode_query_cached.cache_clear()


def test_the_service_answers_what_the_model_gives(model, running, socket_path):
    client = EncoderClient(socket_path)
    for text in ("Router drops wifi every night", "Facture reçue deux fois ?", ""):
        vector = client.encode(text)
        assert vector.dtype == np.float32 and vector.shape == (384,)
        assert np.allclose(vector, model.encode([text])[0], atol=1e-6)
    assert client.id == model.id and client.dim == 384


def test_workers_query_at_once(model, running, socket_path):
    texts = [f"my thermostat number {n} ignores its schedule" for n in range(24)]
    expected = model.encode(texts)
    found = {}

    def worker(part):
        client = EncoderClient(socket_path)
        for i in part:
            found[i] = client.encode(texts[i])

    threads = [threading.Thread(target=worker, args=(range(k, 24, 4),)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert np.allclose(np.stack([found[i] for i in range(24)]), expected, atol=1e-6)


def test_a_restarted_service_is_reconnected(model, running, socket_path):
    client = EncoderClient(socket_path)
    client.encode("first")
    running.shutdown()
    running.server_close()
    client._local.sock.shutdown(2)  # the old service's end of the connection is gone
    again = EncoderServer(socket_path, model)
    threading.Thread(target=again.serve_forever, daemon=True).start()
    try:
        assert np.allclose(client.encode("second"), model.encode(["second"])[0], atol=1e-6)
    finally:
        again.shutdown()
        again.server_close()


def test_searches_use_the_service_and_match_in_process(
    web_worker, running, db, content, monkeypatch
):
    articles, threads = content
    articles.add(1, "Paying your invoice by card", "Open Billing, choose Pay now, enter your card.")
    threads.add(2, "Garage door opener pairing", "The app cannot find my opener.")
    viewer = make_user(db.session, "casey")
    in_process = service.search(db.session, viewer, "how do I settle what I owe you")
    web_worker()
    asked = []
    encode = EncoderClient.encode
    monkeypatch.setattr(EncoderClient, "encode", lambda self, t: asked.append(t) or encode(self, t))
    page = service.search(db.session, viewer, "how do I settle what I owe you")
    assert asked == ["how do I settle what I owe you"] and vectors._model is None
    assert not page.keyword_only
    assert [r.key for r in page.results] == [r.key for r in in_process.results]


def test_no_service_means_keyword_only_and_the_admins_notice(
    web_worker, db, content, socket_path, monkeypatch
):
    articles, _ = content
    articles.add(1, "Resetting your router", "Hold the reset button for ten seconds.")
    viewer = make_user(db.session, "casey")
    service.search(db.session, viewer, "router")  # builds the index (JOBS_INLINE)
    web_worker()
    page = service.search(db.session, viewer, "reset the router")
    assert page.keyword_only and [r.key for r in page.results] == ["article:1"]
    assert "flask jobs worker" in encoding.semantic_problem()
    assert vectors._model is None  # the worker did not load the model instead
    with pytest.raises(ServiceUnavailable):  # not tried again at once
        vectors._client.check()


def test_a_web_worker_imports_neither_torch_nor_the_runtime(
    running, encoder_dir, socket_path, tmp_path
):
    """What gunicorn's post_worker_init does (warm_up), then a search, in a fresh process."""
    script = f"""
import json, sys
from portal import create_app
from portal.extensions import db
from search import encoding, indexing, service
app = create_app({{"SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/w.db",
    "SEARCH_INDEX_DIR": "{tmp_path}/index", "SEARCH_ENCODER_DIR": "{encoder_dir}",
    "SEARCH_ENCODER_SOCKET": "{socket_path}", "EMBEDDING_MODEL": ""}})
with app.app_context():
    db.create_all()
indexing.warm_up(app)
with app.test_request_context():
    page = service.search(db.session, None, "router")
    problem = encoding.semantic_problem()
print(json.dumps({{"problem": problem, "modules": sorted(
    m for m in ("torch", "transformers", "sentence_transformers", "onnxruntime")
    if m in sys.modules)}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"problem": None, "modules": []}


def test_the_jobs_worker_keeps_a_service_running(search_app, encoder_dir, socket_path, model):
    search_app.config.update(SEARCH_ENCODER_SERVICE=True, SEARCH_ENCODER_SOCKET=socket_path)
    stop = threading.Event()
    keeper = threading.Thread(target=encoder_service.keep_service, args=(search_app, stop))
    keeper.start()
    try:
        client, deadline = EncoderClient(socket_path), time.monotonic() + 90
        while True:
            try:
                vector = client.encode("router")
                break
            except ServiceUnavailable:
                assert time.monotonic() < deadline, "the service did not start"
                client._down_until = 0
                time.sleep(0.5)
        assert np.allclose(vector, model.encode(["router"])[0], atol=1e-6)
    finally:
        stop.set()
        keeper.join(30)
    assert not keeper.is_alive()
    client._close()
    client._down_until = 0
    with pytest.raises(ServiceUnavailable):  # stopped with the worker
        client.check()
