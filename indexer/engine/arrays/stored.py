"""The store's stored fields, read from whoosh's files without copying them.

whoosh reads a segment's column through a BytesIO over the segment's memory map: a
private copy of the whole column in every process (120 MB at 200k passages, the largest
thing a worker held). This reads the same bytes straight from a map the page cache shares
between workers, in whoosh 2.7.5's layout (pinned): the values one after another, each a
zlib-compressed pickle of the passage's stored fields; at the end the lengths, the offsets
when there are many values, and their array type codes, big-endian.
"""

from __future__ import annotations

import mmap
import pickle
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage, OverlayStorage

REMEMBERED = 4096

# array type codes → big-endian numpy types (whoosh writes Python arrays byte-swapped)
_TYPES = {"B": ">u1", "b": ">i1", "H": ">u2", "h": ">i2", "I": ">u4", "i": ">i4",
          "L": ">u8", "l": ">i8", "Q": ">u8", "q": ">i8"}


def _column_bytes(storage, name: str) -> memoryview:
    """The column file's bytes, mapped: from the segment's compound file, or its own file."""
    if isinstance(storage, OverlayStorage):
        storage = storage.a if storage.a.file_exists(name) else storage.b
    if isinstance(storage, CompoundStorage) and storage._source is not None:
        offset, length = storage.range(name)
        return memoryview(storage._source)[offset:offset + length]
    if isinstance(storage, FileStorage):
        path = Path(storage.folder) / name
        with open(path, "rb") as file:
            if path.stat().st_size == 0:
                return memoryview(b"")
            return memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    raise TypeError(f"cannot map the stored fields in {storage!r}")


class StoredColumn:
    """One store segment's stored fields: `column[n]` is document n's dict."""

    def __init__(self, segment_reader):
        perdoc = segment_reader._perdoc
        count = perdoc._doccount
        data = _column_bytes(perdoc._storage, W3Codec.column_filename(perdoc._segment, "_stored"))
        end = len(data) - 1  # the last byte: the lengths' type code, or "X" when offsets follow
        code = chr(data[end])
        offsets = None
        if code == "X":
            code, offsets_code = chr(data[end - 2]), chr(data[end - 1])
            size = np.dtype(_TYPES[offsets_code]).itemsize
            end = end - 2 - count * size
            offsets = np.frombuffer(data, _TYPES[offsets_code], count, end)
        lengths = np.frombuffer(data, _TYPES[code], count, end - count * np.dtype(_TYPES[code]).itemsize)
        if offsets is None:
            offsets = np.concatenate(([0], np.cumsum(lengths[:-1], dtype=np.int64))) if count else lengths
        self._data = data
        # plain Python ints: a search reads 30 values, and numpy scalars are slower to index with
        self._offsets = offsets.astype(np.int64)
        self._lengths = lengths.astype(np.int64)
        # The passages read last are read again: the next page, the same search from
        # another user, the report page after a hit (4,096 passages: about 4 MB).
        self._read = lru_cache(maxsize=REMEMBERED)(self._load)

    def __len__(self) -> int:
        return len(self._lengths)

    def __getitem__(self, number: int) -> dict:
        return dict(self._read(number))  # a copy: the remembered one stays as read

    def _load(self, number: int) -> dict:
        length = int(self._lengths[number])
        if not length:
            return {}
        start = int(self._offsets[number])
        return pickle.loads(zlib.decompress(self._data[start:start + length]))
