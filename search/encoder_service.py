"""One encoder per machine: a small process that turns the web workers' queries into vectors.

Why a process of its own: the model under ONNX Runtime is ~130 MB (weights, runtime,
tokenizer) on top of a web worker's ~130 MB, and in every worker it would be a copy of the
same thing; here one copy serves all the workers of the machine, and a worker holds only
the app and its index (docs/benchmarks.md). It is started, and restarted if it dies, by
one `flask jobs worker` of the machine (``keep_service``, a worker service under a file
lock, like the index keeper), so there is nothing more to run. It imports neither Flask
nor the portal: ``python -m search.encoder_service --socket PATH --folder EXPORT``.

Protocol, on a Unix socket (SEARCH_ENCODER_SOCKET): every message is a 4-byte big-endian
length and its bytes. On connecting, the service sends its export's ``{"id", "dim"}`` as
JSON, with the small talk of ``search.confidence`` embedded as documents
(``small_talk``); then each request is a query in UTF-8 and each answer its unit vector as
little-endian float32 (empty: it could not be encoded). One thread per connection: a
worker keeps its connection, and queries of several workers are encoded in parallel (a
run of ONNX Runtime releases the GIL).
"""

import argparse
import json
import logging
import os
import signal
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from search.confidence import SMALL_TALK
from search.encoder import ModelUnavailable, OnnxEncoder, load_encoder

log = logging.getLogger(__name__)
HEADER = struct.Struct(">I")
MAX_MESSAGE = 1 << 20  # a query is cut to 2,000 characters long before this
TIMEOUT_S = 2.0  # a query's encoding takes milliseconds: past this the service is stuck
RETRY_S = 5.0  # after a failed connection, queries go keyword-only this long, then retry
RESTART_S = 5.0


class ServiceUnavailable(ModelUnavailable):
    """The machine's encoder service does not answer: keyword-only for now."""


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(HEADER.pack(len(payload)) + payload)


def _receive(sock: socket.socket) -> bytes | None:
    """One message, or None when the other side closed the connection."""
    header = _exactly(sock, HEADER.size)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    if size > MAX_MESSAGE:
        raise OSError(f"a message of {size} bytes")
    return _exactly(sock, size) if size else b""


def _exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = sock.recv(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# ------------------------------------------------------------------------ service
class _Connection(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        encoder: OnnxEncoder = self.server.encoder
        hello = {"id": encoder.id, "dim": encoder.dim, "small_talk": self.server.small_talk}
        _send(self.request, json.dumps(hello).encode())
        while (request := _receive(self.request)) is not None:
            try:
                text = request.decode("utf-8", "replace")
                vector = encoder.encode([text], query=True)[0]
                answer = vector.astype("<f4").tobytes()
            except Exception:  # one bad query must not end the worker's connection
                log.exception("encoder service: a query failed")
                answer = b""
            _send(self.request, answer)


class EncoderServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """The service: an encoder and a listening socket."""

    daemon_threads = True

    def __init__(self, path: str | Path, encoder: "OnnxEncoder") -> None:
        self.encoder = encoder
        # search.confidence's small talk as documents, sent to each client on connecting.
        self.small_talk = encoder.encode(SMALL_TALK).round(6).tolist()
        # Bound under another name, then renamed over the path: a client never meets a
        # socket that is not listening yet, and a dead service's file is simply replaced.
        path, staging = str(path), f"{path}.{os.getpid()}"
        Path(staging).unlink(missing_ok=True)
        super().__init__(staging, _Connection)
        os.replace(staging, path)
        self.path = path


def main() -> int:
    """Serve until SIGTERM (what ``keep_service`` runs)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--folder", required=True, help="the model's ONNX export")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s encoder service: %(message)s")
    server = EncoderServer(args.socket, load_encoder(args.folder, threads=1))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    log.info("%s serves %s (id %s)", args.socket, args.folder, server.encoder.id)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


# ------------------------------------------------------------------------- client
class EncoderClient:
    """A process' way to the service: one connection per thread, reconnected when lost."""

    def __init__(self, path: str | Path, timeout: float = TIMEOUT_S) -> None:
        self.path, self.timeout = str(path), timeout
        self.id: str | None = None
        self.dim: int | None = None
        self.small_talk: np.ndarray | None = None  # the service's, for search.confidence
        self._local = threading.local()
        self._down_until = 0.0
        self._error: ServiceUnavailable | None = None

    def check(self) -> None:
        """ServiceUnavailable unless the service answers (a connection is open)."""
        self._connection()

    def encode(self, text: str) -> np.ndarray:
        """The query's unit vector from the service (ServiceUnavailable if it is down)."""
        for attempt in (1, 2):  # a connection the service closed (a restart) is made again
            sock = self._connection()
            try:
                _send(sock, text.encode("utf-8"))
                answer = _receive(sock)
            except OSError as error:
                answer, problem = None, error
            else:
                problem = "the connection was closed"
            if answer is not None:
                break
            self._close()
            if attempt == 2:
                raise self._down(f"the encoder service stopped answering: {problem}")
        if len(answer) != 4 * (self.dim or 0):
            raise ServiceUnavailable("the encoder service could not encode this query")
        return np.frombuffer(answer, dtype="<f4").astype(np.float32)

    def _connection(self) -> socket.socket:
        sock = getattr(self._local, "sock", None)
        if sock is not None:
            return sock
        if time.monotonic() < self._down_until and self._error is not None:
            raise self._error
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.path)
            hello = json.loads(_receive(sock) or b"null")
            self.id, self.dim = hello["id"], int(hello["dim"])
            talk = hello.get("small_talk")
            self.small_talk = np.asarray(talk, dtype=np.float32) if talk else None
        except (OSError, ValueError, TypeError, KeyError) as error:
            sock.close()
            raise self._down(
                f"the encoder service does not answer at {self.path} ({error}): it runs in "
                "`flask jobs worker`"
            ) from error
        self._local.sock, self._error = sock, None
        return sock

    def _close(self) -> None:
        sock = getattr(self._local, "sock", None)
        self._local.sock = None
        if sock is not None:
            sock.close()

    def _down(self, message: str) -> ServiceUnavailable:
        self._error = ServiceUnavailable(message)
        self._down_until = time.monotonic() + RETRY_S
        return self._error


# --------------------------------------------------------------------- supervisor
def keep_service(app, stop: threading.Event) -> None:
    """Worker service: one jobs worker per machine runs the encoder service, restarting it
    when it dies; the others stand by."""
    from search import encoding, indexing  # the app's side: the service never imports it

    with app.app_context():
        settings = encoding.encoder_settings()
        if not app.config["SEARCH_SEMANTIC_ENABLED"] or settings.socket is None:
            return  # semantic search off, or every process loads the model itself
        lock = Path(f"{settings.socket}.lock")
        while not stop.is_set():
            with indexing.file_lock(lock, wait=False) as held:
                while held and not stop.is_set():
                    encoding.export_encoder_if_needed()
                    _run_until_stopped(settings.socket, str(settings.folder()), stop)
                    stop.wait(RESTART_S)
            stop.wait(10)  # another worker runs it: ask again later


def _run_until_stopped(socket_path: str, folder: str, stop: threading.Event) -> None:
    # This checkout's search package, whatever the working folder.
    project = str(Path(__file__).resolve().parents[1])
    python_path = os.pathsep.join(filter(None, [project, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": python_path}
    command = [sys.executable, "-m", "search.encoder_service"]
    command += ["--socket", socket_path, "--folder", folder]
    child = subprocess.Popen(command, env=env)
    while child.poll() is None and not stop.wait(1.0):
        pass
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
    else:
        log.warning("the encoder service exited with %s: starting it again", child.returncode)


if __name__ == "__main__":
    raise SystemExit(main())
