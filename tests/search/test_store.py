"""search.store's crash cases, run for both of its users: the vectors and the term postings.

Processes are spawned (not forked: the test process may hold torch's threads) and run the
module-level functions below; a writer "killed" here gets SIGKILL at a chosen point.
"""

import json
import multiprocessing
import os
import signal
import time
import zlib

import numpy as np
import pytest

from search import store as persisted
from search.bm25 import Record, TermMatrix, term_store
from search.fulltext import TEXT_FIELDS
from search.store import StoreDamaged, StoreMissing
from search.vector_store import VectorStore, vector_store


class Vectors:
    """The vector store as the engine keeps it (4 dimensions here)."""

    name, mapped = "vectors", "vectors"  # mapped: its memory-mapped array

    def open(self, directory):
        return vector_store(directory, 4)

    def empty(self):
        return VectorStore(4)

    def change(self, key):
        vector = np.random.default_rng(zlib.crc32(key.encode())).random(4) + 0.1
        return VectorStore(4).put_changes([key], vector.reshape(1, 4))[0]

    def keys(self, state):
        return set(state.keys())


class Terms:
    """The term matrix as the full-text index keeps it."""

    name, mapped = "terms", "title.docs"

    def open(self, directory):
        return term_store(directory, TEXT_FIELDS)

    def empty(self):
        return TermMatrix(TEXT_FIELDS)

    def change(self, key):
        terms = {"title": [("router", 2.0), (key, 2.0)], "body": [("wifi", 1.0)]}
        return Record(key, "thread", False, "en", "", terms, {"title": 2, "body": 1}).to_json()

    def keys(self, state):
        return set(state.column)


KINDS = {"vectors": Vectors(), "terms": Terms()}


@pytest.fixture(params=sorted(KINDS))
def kind(request):
    return KINDS[request.param]


def filled(kind, directory, keys):
    """A store whose base holds these keys (what a full rebuild writes)."""
    state = kind.empty()
    for key in keys:
        state.apply(kind.change(key))
    with kind.open(directory).writing(fresh=True) as writer:
        writer.replace(state)
    return kind.open(directory)


def generation(directory):
    return directory / (directory / persisted.CURRENT_FILE).read_text()


def payload(kind, keys):
    return b"".join(json.dumps(kind.change(k)).encode() + b"\n" for k in keys)


# ------------------------------------------------------------------- torn log line
def test_a_torn_last_line_is_skipped_then_cut_off_by_the_next_writer(kind, tmp_path):
    reader = filled(kind, tmp_path, ["a", "b"])
    assert kind.keys(reader.state()) == {"a", "b"}
    log = generation(tmp_path) / persisted.LOG_FILE
    written = payload(kind, ["c", "d"])
    # What a writer killed in the middle of its one write leaves: a prefix of its lines.
    log.write_bytes(written[: written.index(b"\n") + 1 + 40])
    assert kind.keys(reader.state()) == {"a", "b", "c"}  # replayed: the complete line only
    assert kind.keys(kind.open(tmp_path).state()) == {"a", "b", "c"}  # opened afresh
    with kind.open(tmp_path).writing() as writer:
        writer.append([kind.change("e")])
    lines = log.read_bytes().splitlines()
    assert [json.loads(line)["put"] for line in lines] == ["c", "e"]
    assert kind.keys(reader.state()) == {"a", "b", "c", "e"}


def test_a_corrupt_complete_line_is_damage_not_a_crash(kind, tmp_path):
    reader = filled(kind, tmp_path, ["a"])
    reader.state()
    with open(generation(tmp_path) / persisted.LOG_FILE, "ab") as log:
        log.write(b'{"put": "x", "vec\n')
    for store in (reader, kind.open(tmp_path)):
        with pytest.raises(StoreDamaged):
            store.state()


# ------------------------------------------------------- truncated or missing files
@pytest.mark.parametrize("array", ["mapped", "keys"])
def test_a_truncated_array_is_found_before_it_is_mapped(kind, tmp_path, monkeypatch, array):
    filled(kind, tmp_path, ["a", "b", "c"])
    path = generation(tmp_path) / f"{kind.mapped if array == 'mapped' else array}.npy"
    os.truncate(path, path.stat().st_size - 4)

    def never(*args, **kwargs):
        raise AssertionError("np.load reached a truncated file")

    monkeypatch.setattr(persisted.np, "load", never)
    with pytest.raises(StoreDamaged, match="truncated"):
        kind.open(tmp_path).state()


@pytest.mark.parametrize("name", ["log", "meta", "array"])
def test_a_missing_file_of_a_generation_is_damage(kind, tmp_path, name):
    reader = filled(kind, tmp_path, ["a", "b"])
    reader.state()
    file = {"log": persisted.LOG_FILE, "meta": persisted.META_FILE, "array": f"{kind.mapped}.npy"}
    (generation(tmp_path) / file[name]).unlink()
    with pytest.raises(StoreDamaged):
        kind.open(tmp_path).state()
    if name == "log":  # a reader that had the generation open notices too
        with pytest.raises(StoreDamaged):
            reader.state()


def test_a_generation_removed_while_being_opened_is_opened_anew(kind, tmp_path, monkeypatch):
    filled(kind, tmp_path, ["a"])
    reader = kind.open(tmp_path)
    opening = persisted.Store._open

    def rebuilt_meanwhile(store, name):
        monkeypatch.setattr(persisted.Store, "_open", opening)
        filled(kind, tmp_path, ["b"])  # another process: a new generation, the old one removed
        return opening(store, name)

    monkeypatch.setattr(persisted.Store, "_open", rebuilt_meanwhile)
    assert kind.keys(reader.state()) == {"b"}


def test_no_store_at_all_is_missing_and_writers_do_not_invent_one(kind, tmp_path):
    assert issubclass(StoreMissing, StoreDamaged)  # callers that rebuild catch both
    with pytest.raises(StoreMissing):
        kind.open(tmp_path).state()
    with pytest.raises(StoreMissing), kind.open(tmp_path).writing():
        pass
    filled(kind, tmp_path, ["a"])
    (tmp_path / persisted.CURRENT_FILE).unlink()
    with pytest.raises(StoreMissing):
        kind.open(tmp_path).state()


# ----------------------------------------------------------- other processes
def _spawn(target, *args):
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    return process


def _append(kind_name, directory, keys, fold_after):
    persisted.COMPACT_MIN_CHANGES = fold_after
    kind = KINDS[kind_name]
    with kind.open(directory).writing() as writer:
        writer.append([kind.change(key) for key in keys])


def _killed_while_folding(kind_name, directory, at):
    """Append past the fold threshold, and die at ``at`` while writing the new base."""
    persisted.COMPACT_MIN_CHANGES = 1
    save, replace = np.save, os.replace

    def save_half(fh, array, **kwargs):
        save(fh, array, **kwargs)
        fh.truncate(fh.tell() // 2)
        os.kill(os.getpid(), signal.SIGKILL)

    def die_before_switching(src, dst):
        if str(dst).endswith(persisted.CURRENT_FILE):
            os.kill(os.getpid(), signal.SIGKILL)
        replace(src, dst)

    if at == "array":
        persisted.np.save = save_half
    else:
        persisted.os.replace = die_before_switching
    _append(kind_name, directory, ["new"], fold_after=1)


@pytest.mark.parametrize("at", ["array", "pointer"])
def test_a_writer_killed_while_folding_leaves_the_previous_generation(kind, tmp_path, at):
    reader = filled(kind, tmp_path, ["a", "b"])
    assert kind.keys(reader.state()) == {"a", "b"}
    before = generation(tmp_path)
    process = _spawn(_killed_while_folding, kind.name, tmp_path, at)
    process.join(60)
    assert process.exitcode == -signal.SIGKILL
    assert generation(tmp_path) == before  # CURRENT never pointed at the half-written one
    assert {p.name for p in tmp_path.iterdir() if p.is_dir()} > {before.name}  # debris left
    # The change was logged before the fold began: nobody loses it.
    assert kind.keys(reader.state()) == kind.keys(kind.open(tmp_path).state()) == {"a", "b", "new"}
    with kind.open(tmp_path).writing() as writer:
        writer.replace(writer.state)  # the next fold clears what the dead writer left
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [generation(tmp_path).name]
    assert kind.keys(reader.state()) == {"a", "b", "new"}


def test_another_process_appends_and_folds_and_this_one_sees_it(kind, tmp_path):
    reader = filled(kind, tmp_path, ["a"])
    assert kind.keys(reader.state()) == {"a"}
    for keys, fold_after in ((["b", "c"], 500), (["d"], 1)):
        process = _spawn(_append, kind.name, tmp_path, keys, fold_after)
        process.join(60)
        assert process.exitcode == 0
    assert kind.keys(reader.state()) == {"a", "b", "c", "d"}
    assert (generation(tmp_path) / persisted.LOG_FILE).stat().st_size == 0  # folded


def _hold_the_lock(kind_name, directory, locked, release):
    with KINDS[kind_name].open(directory).writing():  # e.g. a full reindex under way
        locked.set()
        release.wait(60)


def test_writers_wait_a_bounded_time_and_readers_never_wait(kind, tmp_path):
    reader = filled(kind, tmp_path, ["a"])
    context = multiprocessing.get_context("spawn")
    locked, release = context.Event(), context.Event()
    process = _spawn(_hold_the_lock, kind.name, tmp_path, locked, release)
    try:
        assert locked.wait(60)
        started = time.monotonic()
        with pytest.raises(TimeoutError), kind.open(tmp_path).writing(timeout=0.3):
            pass
        assert 0.3 <= time.monotonic() - started < 5
        started = time.monotonic()
        assert kind.keys(reader.state()) == kind.keys(kind.open(tmp_path).state()) == {"a"}
        assert time.monotonic() - started < 1  # not held up by the writer
        with kind.open(tmp_path).shared(timeout=0.1) as quiet:
            assert not quiet
    finally:
        release.set()
        process.join(60)
    with kind.open(tmp_path).writing(timeout=5) as writer:
        writer.append([kind.change("b")])
    assert kind.keys(reader.state()) == {"a", "b"}
