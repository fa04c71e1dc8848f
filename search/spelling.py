"""Typo tolerance: the words the index knows, and the known words closest to one it doesn't.

Customers type "facure", "pasword", "cancle subscripton". A word the index has never seen
matches nothing on the keyword side, so such a query used to find nothing while typing.
Here every word indexed (the unstemmed "spelling" words Whoosh keeps beside each stemmed
title and body field) and every stop word of both languages is *known*; for a word that is
not, the closest known words by edit distance (optimal string alignment: a swapped pair of
letters is one edit) are the query's corrections. Both the ranking (as extra terms with a
lower weight, search.fulltext) and "did you mean" use them, so the two never disagree, and
a word the index knows is never "corrected".

The distance runs in RapidFuzz (C++), over the known words of a similar length: about
6 ms for 80,000 candidates, and only for words the index does not know.
"""

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.stopwords import stoplists
from whoosh.support.charset import accent_map

from search.analysis import SUPPORT_FILLER

# Short words are too close to too many others ("wat" is one edit from a dozen words).
MIN_CORRECTED_LENGTH = 4
LONG_WORD = 8  # from this length two edits are allowed, below it one
CORRECTIONS_PER_WORD = 2
# The index changes with every post; the list of known words is rebuilt at most this
# often per process (a word first used in the last minute is only missing from
# corrections, never from search).
REFRESH_SECONDS = 60.0
KNOWN_STOP_WORDS = frozenset(STOP_WORDS | SUPPORT_FILLER | stoplists["fr"])


def fold(word: str) -> str:
    """The word without accents, as the French fields index it ("problème" → "probleme")."""
    return word.translate(accent_map)


def max_edits(word: str) -> int:
    """How many edits a typed word may be from its correction."""
    return 2 if len(word) >= LONG_WORD else 1


@dataclass
class Vocabulary:
    """The known words of one index, with how many documents use each."""

    frequency: dict[str, int] = field(default_factory=dict)
    by_length: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_reader(cls, reader, spelling_fields: list[str]) -> "Vocabulary":
        """Every word of the index's spelling fields (a word's count: its largest per field)."""
        vocabulary = cls()
        frequency = vocabulary.frequency
        for name in spelling_fields:
            if name not in reader.indexed_field_names():
                continue
            for term, info in reader.iter_field(name):
                word = term.decode("utf-8")
                frequency[word] = max(frequency.get(word, 0), info.doc_frequency())
        for word in frequency:
            vocabulary.by_length[len(word)].append(word)
        return vocabulary

    def knows(self, word: str) -> bool:
        """Whether the word is indexed or a stop word, as typed or without its accents."""
        return (
            word in self.frequency
            or word in KNOWN_STOP_WORDS
            or fold(word) in self.frequency
            or fold(word) in KNOWN_STOP_WORDS
        )

    def corrections(self, word: str) -> list[str]:
        """Known words within a few edits of an unknown one, closest then most used first."""
        if len(word) < MIN_CORRECTED_LENGTH or self.knows(word) or not word.isalpha():
            return []  # codes and numbers are matched exactly or not at all
        edits = max_edits(word)
        nearby = [
            known
            for length in range(len(word) - edits, len(word) + edits + 1)
            for known in self.by_length.get(length, ())
        ]
        # One C++ loop over every candidate (process.extract calls back per candidate: 4×
        # slower); a distance above the cutoff comes back as cutoff + 1.
        distances = process.cdist(
            [word], nearby, scorer=OSA.distance, score_cutoff=edits, dtype=np.int32, workers=1
        )[0]
        close = [(int(distances[i]), nearby[i]) for i in np.flatnonzero(distances <= edits)]
        close.sort(key=lambda hit: (hit[0], -self.frequency[hit[1]], hit[1]))
        return [known for _distance, known in close[:CORRECTIONS_PER_WORD]]


class VocabularyCache:
    """One index's vocabulary for this process. Built on first use; once the index has
    changed and the vocabulary is older than REFRESH_SECONDS, a new one is built in a
    background thread while searches go on with the old one (at 100,000 documents a build
    reads a few hundred thousand words: no search should wait for that)."""

    def __init__(self, open_reader: Callable[[], object], spelling_fields: list[str]) -> None:
        self._open_reader = open_reader
        self._fields = spelling_fields
        self._lock = threading.Lock()
        self._vocabulary: Vocabulary | None = None
        self._generation: int | None = None
        self._built_at = 0.0
        self._refreshing = False

    def get(self, generation: int) -> Vocabulary:
        """The vocabulary, current as of the index ``generation`` or refreshing towards it."""
        with self._lock:
            vocabulary = self._vocabulary
            due = generation != self._generation and (
                time.monotonic() - self._built_at >= REFRESH_SECONDS
            )
            if vocabulary is not None and (not due or self._refreshing):
                return vocabulary
            self._refreshing = True
        if vocabulary is None:
            return self._build(generation)
        threading.Thread(target=self._build, args=(generation,), daemon=True).start()
        return vocabulary

    def _build(self, generation: int) -> Vocabulary:
        try:
            with self._open_reader() as reader:
                vocabulary = Vocabulary.from_reader(reader, self._fields)
            with self._lock:
                self._vocabulary, self._generation = vocabulary, generation
                self._built_at = time.monotonic()
            return vocabulary
        finally:
            with self._lock:
                self._refreshing = False
