"""One way to persist search's derived arrays: a base, an append-only log, replay, a lock, a fold.

The vectors (``search.vectors``) and the term postings (``search.bm25``) are both an
in-memory *state* built from numpy arrays and changed by small edits. A store keeps one
in a directory shared by several processes (web workers, the CLI):

- ``CURRENT`` names the generation in use, replaced atomically: a reader sees the old
  generation or the new one, never half of one;
- ``g<hex>/`` is a generation: one ``.npy`` file per array (memory-mapped where the state
  asks, so a machine's workers share the pages), ``meta.json`` (each array's shape, dtype
  and file size, and the state's meta) and ``log.jsonl``, one JSON line per change since;
- ``write.lock``: one writer at a time, waiting at most ``timeout`` seconds. Readers never
  take it: they replay the complete log lines they have not seen (a read and a ``stat``
  when nothing changed), so they never wait behind a reindex.

Crash safety: a base file is never written in place (a mapped file cut short kills its
reader with SIGBUS); a new generation is written under a temporary name, fsynced and
renamed before ``CURRENT`` points to it. A torn last log line is skipped by readers and cut
off by the next writer. A missing, truncated or corrupt file raises ``StoreDamaged``, which
callers catch to rebuild from the database.
"""

import fcntl
import json
import logging
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

log = logging.getLogger(__name__)

COMPACT_MIN_CHANGES = 500  # a log shorter than this is never worth writing a new base
COMPACT_FRACTION = 0.05  # fold the log into a new base once it passes this share of it
WRITER_TIMEOUT_S = 30.0  # a full reindex holds the lock for minutes: others give up
CURRENT_FILE = "CURRENT"
META_FILE = "meta.json"
LOG_FILE = "log.jsonl"
LOCK_FILE = "write.lock"


class StoreDamaged(RuntimeError):
    """A store's files are missing, truncated or inconsistent: rebuild it from the database."""


class StoreMissing(StoreDamaged):
    """No store in the directory at all (never written, or deleted)."""


class State(Protocol):
    """What a store persists: rebuilt from a base, changed by log lines, dumped as a base."""

    def __len__(self) -> int: ...
    def apply(self, change: dict) -> None: ...
    def dump(self) -> tuple[dict[str, np.ndarray], dict]: ...


S = TypeVar("S", bound=State)


class Base:
    """An opened generation: the state's meta and its arrays, their sizes already checked."""

    def __init__(self, path: Path, meta: dict, specs: dict[str, dict]) -> None:
        self.path, self.meta, self._specs = path, meta, specs

    def array(self, name: str, mmap: bool = False) -> np.ndarray:
        """One array, memory-mapped read-only or read into memory."""
        spec = self._specs[name]
        array = np.load(self.path / f"{name}.npy", mmap_mode="r" if mmap else None)
        if list(array.shape) != spec["shape"] or array.dtype.str != spec["dtype"]:
            raise StoreDamaged(f"{name} in {self.path} is not the array its meta describes")
        return np.asarray(array)  # a memmap as a plain view: no subclass hooks per slice


class Store(Generic[S]):
    """A state persisted in a directory, shared with other processes through its files."""

    def __init__(self, directory: str | Path, load: Callable[[Base], S]) -> None:
        self.directory = Path(directory)
        self._load = load
        self._lock = threading.RLock()  # the threads of this process share one state
        self._state: S | None = None
        self._generation: str | None = None
        self._offset = 0  # bytes of the log applied (always the end of a complete line)
        self._changes = 0  # log lines applied since the base
        self._log = ""  # the path of the generation's log, once one is open

    def state(self) -> S:
        """The state with every change other processes logged (raises ``StoreDamaged``)."""
        with self._lock:
            return self._refresh()

    @contextmanager
    def reading(self) -> Iterator[S]:
        """The up-to-date state, kept from other threads' replays while in use."""
        with self._lock:
            yield self._refresh()

    @contextmanager
    def writing(
        self, fresh: bool = False, timeout: float = WRITER_TIMEOUT_S
    ) -> Iterator["Writer[S]"]:
        """The only writer across processes, or ``TimeoutError`` after ``timeout`` seconds.

        ``fresh``: the caller replaces everything, so the current state is not read first.
        """
        with self._locked(fcntl.LOCK_EX, timeout) as locked:
            if not locked:
                raise TimeoutError(f"the store in {self.directory} is being written elsewhere")
            writer = Writer(self)
            if not fresh:
                writer.state  # noqa: B018 - fails before the caller writes anything else
            yield writer

    @contextmanager
    def shared(self, timeout: float = 1.0) -> Iterator[bool]:
        """Hold writers off (a consistency check); yields False if one did not finish in time."""
        with self._locked(fcntl.LOCK_SH, timeout) as locked:
            yield locked

    @contextmanager
    def _locked(self, mode: int, timeout: float) -> Iterator[bool]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / LOCK_FILE, "a") as lock_file:  # closing it unlocks
            yield _flock(lock_file, mode, timeout)

    # ---------------------------------------------------------------- reading
    def _refresh(self) -> S:
        attempts = 3
        while True:
            generation = self._current()
            try:
                if generation != self._generation or self._state is None:
                    self._open(generation)
                self._replay()
                return self._state
            except StoreDamaged:
                self._forget()
                attempts -= 1
                # A writer may have switched generations and removed this one meanwhile.
                if not attempts or self._current() == generation:
                    raise

    def _current(self) -> str:
        # Read before every query: os.read costs a third of Path.read_text.
        try:
            fd = os.open(self.directory / CURRENT_FILE, os.O_RDONLY)
        except FileNotFoundError as exc:
            self._forget()
            raise StoreMissing(f"no store in {self.directory}") from exc
        try:
            return os.read(fd, 256).decode("utf-8").strip()
        finally:
            os.close(fd)

    def _forget(self) -> None:
        self._state, self._generation, self._log, self._offset, self._changes = None, None, "", 0, 0

    def _open(self, generation: str) -> None:
        self._forget()
        path = self.directory / generation
        try:
            meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
            specs = meta["arrays"]
            # Sizes before any mapping: touching a page past the end of a file is SIGBUS.
            for name, spec in specs.items():
                if (path / f"{name}.npy").stat().st_size != spec["bytes"]:
                    raise StoreDamaged(f"{name} in {path} is truncated or overwritten")
            state = self._load(Base(path, meta["state"], specs))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StoreDamaged(f"unreadable store in {path}: {exc}") from exc
        self._state, self._generation, self._log = state, generation, str(path / LOG_FILE)

    def _replay(self) -> None:
        try:
            size = os.stat(self._log).st_size
            if size < self._offset:
                raise StoreDamaged(f"the change log of {self.directory} shrank")
            if size == self._offset:
                return
            with open(self._log, "rb") as fh:
                fh.seek(self._offset)
                chunk = fh.read(size - self._offset)
        except OSError as exc:
            raise StoreDamaged(f"the change log of {self.directory} is unreadable: {exc}") from exc
        # A last line without its newline is being written, or was torn by a crash: it waits.
        complete = chunk.rfind(b"\n") + 1
        try:
            changes = [json.loads(line) for line in chunk[:complete].splitlines() if line.strip()]
            for change in changes:
                self._state.apply(change)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StoreDamaged(f"a corrupt change in {self._log}: {exc}") from exc
        self._offset += complete
        self._changes += len(changes)

    # ---------------------------------------------------------------- writing
    def _install(self, state: S) -> None:
        """Write a state as a new generation, point ``CURRENT`` at it, drop the others."""
        arrays, meta = state.dump()
        generation = f"g{secrets.token_hex(8)}"  # never reused: readers notice the switch
        tmp = self.directory / f"tmp-{generation}"
        tmp.mkdir()
        specs = {name: _write_array(tmp / f"{name}.npy", a) for name, a in arrays.items()}
        _write_file(tmp / META_FILE, json.dumps({"arrays": specs, "state": meta}).encode())
        _write_file(tmp / LOG_FILE, b"")
        _fsync_dir(tmp)
        os.rename(tmp, self.directory / generation)
        _fsync_dir(self.directory)
        _write_file(self.directory / f"{CURRENT_FILE}.tmp", generation.encode())
        os.replace(self.directory / f"{CURRENT_FILE}.tmp", self.directory / CURRENT_FILE)
        _fsync_dir(self.directory)
        # Older generations, and what writers killed half-way left: readers that still map
        # old files keep them until they let go (unlinked, never truncated).
        for entry in self.directory.iterdir():
            if entry.is_dir() and entry.name != generation and entry.name.startswith(("g", "tmp-")):
                shutil.rmtree(entry, ignore_errors=True)
        with self._lock:
            self._open(generation)  # the arrays mapped from the files, not the builder's copies


class Writer(Generic[S]):
    """Changes made under ``Store.writing``: logged, or a whole new generation."""

    def __init__(self, store: Store[S]) -> None:
        self._store = store
        self._ready = False

    @property
    def state(self) -> S:
        """The current state, every logged change applied (a torn last line is cut off)."""
        store = self._store
        with store._lock:
            state = store._refresh()
            if not self._ready:
                # No other writer runs, so a last line without its newline died half-written.
                torn = os.stat(store._log).st_size - store._offset
                if torn:
                    log.warning("cutting a torn change of %d bytes off %s", torn, store._log)
                    os.truncate(store._log, store._offset)
                self._ready = True
            return state

    def append(self, changes: Sequence[dict[str, Any]]) -> None:
        """Log changes, apply them here, and fold the log into a new base past its threshold."""
        store = self._store
        payload = "".join(json.dumps(c, separators=(",", ":")) + "\n" for c in changes)
        with store._lock:
            self.state  # noqa: B018 - the log's torn tail, if any, is cut off first
            # One write of whole lines: a crash can only tear the last one, which readers skip.
            _write_file(store._log, payload.encode("utf-8"), mode="ab")
            state = store._refresh()  # applied here as every other process will apply it
            fold = store._changes >= max(COMPACT_MIN_CHANGES, COMPACT_FRACTION * len(state))
        if fold:  # outside the thread lock: this process' readers keep the current state
            store._install(state)

    def replace(self, state: S) -> None:
        """A new generation holding exactly this state (a full rebuild)."""
        self._store._install(state)
        self._ready = True


def _flock(lock_file, mode: int, timeout: float) -> bool:
    """flock within ``timeout`` seconds; False if it could not be had."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(lock_file, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)


def _write_array(path: Path, array: np.ndarray) -> dict:
    with open(path, "wb") as fh:
        np.save(fh, array, allow_pickle=False)
        fh.flush()
        os.fsync(fh.fileno())
        return {"shape": list(array.shape), "dtype": array.dtype.str, "bytes": fh.tell()}


def _write_file(path: Path, content: bytes, mode: str = "wb") -> None:
    with open(path, mode) as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    """Make renames and new entries in a directory survive a power loss."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
