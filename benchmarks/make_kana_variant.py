"""The kana variant of a query file: each query as a person who cannot write kanji types it.

Every query becomes its Sudachi reading in hiragana (what it sounds like; Latin letters, digits
and punctuation stay as they are), then gets one slip of the thumb at a random hiragana: the
character is dropped, doubled, or swapped with the next one. The random choices come from a
fixed seed and the query id, so the variant is the same on every machine and every run.

    python -m benchmarks.make_kana_variant QUERIES.jsonl OUT.jsonl [--seed 20261130]

``helpbot bench matching --variant kana`` builds it on the fly in a temporary directory.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from helpbot.matching.normalize import fold_kana, nfkc

DEFAULT_SEED = 20261130
SLIPS = ("drop", "double", "swap")


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u3096"


def hiragana_reading(text: str) -> str:
    """The text's Sudachi reading in hiragana (split mode C, so compounds read as one)."""
    from helpbot.matching.tokenize import sudachi_tokenizer

    tokenizer = sudachi_tokenizer("C")
    parts: list[str] = []
    for line in nfkc(text).split("\n"):
        for morpheme in tokenizer.tokenize(line):
            surface = morpheme.surface()
            reading = morpheme.reading_form()
            # unknown words and symbols read as themselves (Sudachi gives "" or the surface)
            parts.append(fold_kana(reading) if reading and not surface.isascii() else surface)
    return "".join(parts)


def slip(text: str, rng: random.Random) -> str:
    """One dropped, doubled or swapped hiragana (a text without hiragana is left as it is)."""
    positions = [i for i, ch in enumerate(text) if _is_hiragana(ch)]
    if not positions:
        return text
    i = rng.choice(positions)
    kind = rng.choice(SLIPS)
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[: i + 1] + text[i] + text[i + 1 :]
    if i + 1 < len(text) and text[i + 1] != text[i]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]  # nothing to swap with at the end: a dropped character


def kana_query(text: str, qid: str, seed: int = DEFAULT_SEED) -> str:
    """The kana variant of one query (deterministic for a given seed and query id)."""
    rng = random.Random(f"{seed}:{qid}")
    return slip(hiragana_reading(text), rng)


def make_kana_variant(source: Path, target: Path, *, seed: int = DEFAULT_SEED) -> int:
    """Write the kana variant of ``source`` (JSON lines with ``qid`` and ``query``) to
    ``target``; every other key is kept. Returns the number of queries written."""
    rows = []
    with source.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            qid = str(row.get("qid", number))
            row["query"] = kana_query(str(row["query"]), qid, seed)
            rows.append(row)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    seed = DEFAULT_SEED
    if "--seed" in args:
        at = args.index("--seed")
        seed = int(args[at + 1])
        del args[at : at + 2]
    if len(args) != 2:
        raise SystemExit("usage: python -m benchmarks.make_kana_variant SOURCE TARGET [--seed N]")
    count = make_kana_variant(Path(args[0]), Path(args[1]), seed=seed)
    print(f"{count} queries written to {args[1]}")


if __name__ == "__main__":
    main()
