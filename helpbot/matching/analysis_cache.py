"""Sudachi's analyses of the entries' texts, kept on disk between builds.

Analysing every question, keyword and answer is most of an index build (about 30,000 texts for
10,000 entries). The analyses depend only on the text, the readings flag and the analyser, so
they are stored by a hash of those in one JSON file beside the sentence vectors
(``HELPBOT_EMBEDDING_CACHE``): a restart or a reload after staff edit one file analyses only
the new or changed texts. The file records a signature of everything else an analysis depends
on (SudachiPy and dictionary versions, split mode, the analyser's code); a file with another
signature, or one that cannot be read, is ignored with a warning and rewritten. Only entry
texts are stored; messages are analysed live and never written here.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import metadata
from itertools import chain
from pathlib import Path
from typing import Any

from helpbot.core.files import replace_atomically
from helpbot.matching.tokenize import Analysis, Analyzer

log = logging.getLogger(__name__)

FILE_NAME = "sudachi-analyses.json"
_FORMAT = "helpbot-sudachi-analyses/1"
_DIGEST = 16  # bytes of blake2b per (text, readings)


@cache
def analysis_signature() -> str:
    """What an analysis depends on besides its text: library, dictionary, split mode, code."""
    from helpbot.matching import normalize, tokenize

    code = hashlib.blake2b(digest_size=8)
    for module in (tokenize, normalize):  # any change to the analyser invalidates the cache
        try:
            code.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # no source beside the code: the versions still count
            code.update(module.__name__.encode())
    versions = []
    for package in ("sudachipy", "sudachidict-core"):
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=?")
    return ";".join([_FORMAT, *versions, "dict=core", "mode=A", f"code={code.hexdigest()}"])


def _checksum(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def analysis_key(text: str, readings: bool, signature: str) -> str:
    """The hex key of one entry text's analysis."""
    data = f"{signature}\0{int(readings)}\0{text}".encode()
    return hashlib.blake2b(data, digest_size=_DIGEST).hexdigest()


_SEP = "\x1f"  # between the terms of a list
LexiconItem = tuple[str, str, tuple[str, ...], str]


def _encode(analyses: Mapping[str, Analysis]) -> dict[str, Any]:
    """The file's body: the distinct lexicon items once, and per text its words and synonyms
    (each joined by ``_SEP``), its reading and the numbers of its lexicon items. A text that
    would not come back the same (a listed term empty or holding ``_SEP``) is left out: it is
    analysed again next time."""
    table: dict[LexiconItem, int] = {}
    texts: dict[str, list[Any]] = {}
    for key, analysis in analyses.items():
        groups = (group for item in analysis.lexicon for group in item[2])
        listed = chain(analysis.words, analysis.synonyms, groups)  # what decoding splits
        if any(not term or _SEP in term for term in listed):
            continue
        texts[key] = [
            _SEP.join(analysis.words),
            _SEP.join(analysis.synonyms),
            analysis.reading,
            [table.setdefault(item, len(table)) for item in analysis.lexicon],
        ]
    lexicon = [[reading, word, _SEP.join(groups), surface]
               for reading, word, groups, surface in table]
    return {"lexicon": lexicon, "texts": texts}


def _decode(body: dict[str, Any]) -> dict[str, Analysis]:
    items: list[LexiconItem] = [
        (reading, word, tuple(groups.split(_SEP)) if groups else (), surface)
        for reading, word, groups, surface in body["lexicon"]
    ]
    item = items.__getitem__
    return {
        key: Analysis(
            words=words.split(_SEP) if words else [],
            synonyms=synonyms.split(_SEP) if synonyms else [],
            reading=reading,
            lexicon=list(map(item, numbers)),
        )
        for key, (words, synonyms, reading, numbers) in body["texts"].items()
    }


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside (an index build allocates hundreds of thousands of
    lists and tuples, none in cycles, and the collector's passes over them cost about a fifth
    of a cached build); it is turned back on after, if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class AnalysisCache:
    """The analyses of one knowledge base's texts in ``cache_dir`` (see the module docstring).

    Nothing is kept in memory between builds: each build reads the file once and, when it had
    to analyse new texts, writes back exactly the analyses it used (so texts staff removed
    leave the file). Writes go to a temporary file that replaces the old one.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / FILE_NAME
        self._lock = threading.Lock()

    @property
    def signature(self) -> str:
        return analysis_signature()

    def load(self) -> dict[str, Analysis]:
        """Stored analyses by key; empty when the file is missing, unreadable or outdated.

        The first line is a header with the signature and a checksum of the rest, so a
        truncated or damaged file is recognised before it is decoded.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.warning("ignoring unreadable analysis cache %s: %s", self.path, exc)
            return {}
        try:
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if header.get("format") != _FORMAT or header.get("signature") != self.signature:
                log.warning("analysis cache %s was made by another analyser; rebuilding it",
                            self.path)
                return {}
            if header.get("checksum") != _checksum(body):
                raise ValueError("checksum mismatch")
            return _decode(json.loads(body))
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            log.warning("ignoring corrupt analysis cache %s (%s); rebuilding it", self.path,
                        type(exc).__name__)
            return {}

    def save(self, analyses: Mapping[str, Analysis]) -> None:
        """Replace the file with ``analyses`` (a failure to write is logged, not raised)."""
        body = json.dumps(_encode(analyses), ensure_ascii=False, separators=(",", ":")).encode()
        header = {"format": _FORMAT, "signature": self.signature, "checksum": _checksum(body)}
        data = json.dumps(header).encode() + b"\n" + body
        with self._lock:
            try:
                replace_atomically(self.path, lambda file: file.write(data))
            except OSError as exc:
                log.warning("could not write the analysis cache %s: %s", self.path, exc)

    def analyze_many(self, analyzer: Analyzer, jobs: Sequence[tuple[str, bool]]) -> list[Analysis]:
        """``analyzer.analyze_many(jobs)``, with Sudachi run only on texts not in the file."""
        if not jobs:
            return []  # an empty knowledge base leaves the file as it is
        signature = self.signature
        keys = [analysis_key(text, readings, signature) for text, readings in jobs]
        stored = self.load()
        missing: dict[str, tuple[str, bool]] = {}
        for key, job in zip(keys, jobs, strict=True):
            if key not in stored:
                missing.setdefault(key, job)
        if missing:
            fresh = analyzer.analyze_many(list(missing.values()))
            stored.update(zip(missing, fresh, strict=True))
        used = dict.fromkeys(keys)
        if missing or len(stored) != len(used):  # new texts, or texts no longer used
            self.save({key: stored[key] for key in used})
            log.info("analysed %d new entry texts (%d cached)", len(missing),
                     len(used) - len(missing))
        return [stored[key] for key in keys]
