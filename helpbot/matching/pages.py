"""Keep mapped only the pages of the big read-only files that messages actually read.

A process that matches maps Sudachi's dictionary (``system.dic``, about 190 MB) read-only and
shared. A message reads a few scattered pages of it. Left alone, the kernel maps more than is
read: read-ahead and fault-around bring in the neighbours of every page touched, and building
the matcher (every entry analysed) reads much of the file. Measured on the worker after its
first build, 90–190 MiB of the dictionary stayed mapped and counted in its PSS. (The encoder's
65 MB piece table is not mapped at all: :mod:`mapped_table` reads its rows.)

:func:`release_build_pages` runs after a matcher is built. For each such mapping it tells the
kernel (``madvise``) that the build's pages are no longer needed by this process
(``MADV_DONTNEED``: for a read-only file mapping the data stays in the page cache, and a later
read maps the page back with a minor fault) and that the file is read at random
(``MADV_RANDOM``: no read-ahead). Then it drops the file's cached pages that no process maps
(``POSIX_FADV_DONTNEED``): the build's read-ahead left the file in the page cache in large
blocks (folios of up to 2 MB on current kernels), and a fault on a cached block maps all of it,
so a few dozen messages mapped the 190 MB back (measured: 166 MiB after 51 queries, 179 MiB
after 499). Read afresh at random, a message brings in single 4 KB pages: 16 MiB after 51
queries, 31 MiB after 499; the first messages pay for the disk reads (about 1.5 ms more CPU
each for the first 50). Pages another process maps stay cached. It also gives freed heap
memory back (glibc's ``malloc_trim``). Linux only; elsewhere, or if anything is refused, it
does nothing and says why at debug level. Only shared read-only mappings are touched (a
private one may hold pages written before it was made read-only).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MADV_RANDOM = 1
MADV_DONTNEED = 4
MAPS = Path("/proc/self/maps")


def read_at_random(path: str) -> bool:
    """The files whose pages a matcher reads at random: Sudachi's dictionary (mapped once per
    process and never unmapped; the encoder's table is read with ``preadv``, not mapped)."""
    return path.rsplit("/", 1)[-1] == "system.dic"


@dataclass(frozen=True, slots=True)
class Mapping:
    start: int
    end: int
    perms: str
    path: str


def file_mappings(maps: Path = MAPS) -> list[Mapping]:
    """This process's file-backed mappings, from ``/proc/self/maps``."""
    found = []
    for line in maps.read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or not parts[5].startswith("/"):
            continue
        start, end = (int(x, 16) for x in parts[0].split("-"))
        found.append(Mapping(start, end, parts[1], parts[5]))
    return found


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        libc.madvise.restype = ctypes.c_int
    except (OSError, AttributeError) as exc:
        log.debug("no madvise here: %s", exc)
        return None
    return libc


def drop_cached_pages(path: str) -> bool:
    """Ask the kernel to drop ``path``'s cached pages that no process maps (dirty pages and
    mapped ones stay); False where it cannot (no such file, no ``posix_fadvise``)."""
    fadvise = getattr(os, "posix_fadvise", None)
    if fadvise is None:
        return False
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError as exc:
        log.debug("cannot open %s to drop its cached pages: %s", path, exc)
        return False
    try:
        fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    except OSError as exc:
        log.debug("posix_fadvise refused for %s: %s", path, exc)
        return False
    finally:
        os.close(descriptor)
    return True


def release_build_pages(wanted: Callable[[str], bool] = read_at_random) -> int:
    """Drop this process's pages of the read-only mappings ``wanted`` picks and mark them read
    at random; return how many bytes of mappings were advised (0 when nothing could be)."""
    libc = _libc()
    if libc is None:
        return 0
    try:
        mappings = file_mappings()
    except OSError as exc:
        log.debug("cannot read %s: %s", MAPS, exc)
        return 0
    advised = 0
    released: set[str] = set()
    for mapping in mappings:
        # Only shared read-only maps: their pages are the file's, so a dropped page reads back
        # the same bytes. A private map may hold pages written before it was made read-only.
        if mapping.perms != "r--s" or not wanted(mapping.path):
            continue
        length = mapping.end - mapping.start
        if (libc.madvise(mapping.start, length, MADV_DONTNEED) != 0
                or libc.madvise(mapping.start, length, MADV_RANDOM) != 0):
            log.debug("madvise refused for %s: errno %d", mapping.path, ctypes.get_errno())
            continue
        advised += length
        released.add(mapping.path)
    # Once per file, after every map of it has let go of its pages: a page another map of the
    # same file still held would stay cached.
    for path in sorted(released):
        drop_cached_pages(path)
    trim = getattr(libc, "malloc_trim", None)  # glibc only
    if trim is not None:
        trim(0)
    log.debug("released the build's pages of %d MiB of read-only mappings", advised >> 20)
    return advised
