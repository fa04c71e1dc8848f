"""Stack Exchange dump files read row by row: defusedxml's iterparse, never the whole tree.

A dump's Posts.xml runs to gigabytes: each ``<row .../>`` is handed over as a dict of its
attributes and then dropped from the tree, so memory stays flat. defusedxml refuses DTDs,
entity declarations and external references (billion laughs, XXE) before any is expanded.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

from defusedxml.ElementTree import iterparse


class _CountingReader:
    """A binary file that tells a callback how many bytes each read took (progress bars)."""

    def __init__(self, handle, on_read: Callable[[int], None] | None):
        self.handle, self.on_read = handle, on_read

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        if self.on_read is not None and data:
            self.on_read(len(data))
        return data


def rows(path: Path, on_read: Callable[[int], None] | None = None) -> Iterator[dict[str, str]]:
    """The attributes of every <row> element of a dump file, in file order."""
    with open(path, "rb") as handle:
        events = iterparse(
            _CountingReader(handle, on_read), events=("start", "end"), forbid_dtd=True
        )
        root = None
        for event, element in events:
            if event == "start":
                if root is None:
                    root = element
                continue
            if element.tag == "row":
                yield dict(element.attrib)
                root.clear()  # the rows read so far: nothing keeps them
