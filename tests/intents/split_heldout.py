"""Split the blind-written held-out messages ONCE into a frozen test set and a pool (issue 14).

Usage: ``python tests/intents/split_heldout.py [--append] SET.tsv...``. Rows are merged,
deduplicated on their normalized text, and within each label ordered by the sha256 of the text;
the first 55% of each label form ``data/heldout_frozen.tsv`` (never used to edit keyword or
example files), the rest ``data/heldout_pool.tsv`` (free to paraphrase into example files).

``--append`` splits a NEW blind batch the same way and appends its two parts to the existing
files, leaving every earlier row where it is (re-splitting an earlier batch would move rows
already copied into example files into the frozen set). Rows whose text is already in either
file are dropped. Batches so far: set_b (680 messages, the first split) and set_c (767,
``data/blind/set_c.tsv``, appended 2026-12-04).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

from intents.normalize import Normalizer

SHARE = 0.55
HERE = Path(__file__).resolve().parent / "data"


def _existing(name: str) -> list[str]:
    """The data lines (header dropped) of ``data/name``, or none."""
    path = HERE / name
    return path.read_text(encoding="utf-8").splitlines()[1:] if path.is_file() else []


def main(paths: list[str], append: bool = False) -> None:
    """Merge, deduplicate, split and write (or append to) the two files."""
    normalizer = Normalizer()
    seen: set[str] = set()
    if append:
        for name in ("heldout_frozen.tsv", "heldout_pool.tsv"):
            seen.update(normalizer.normalize(line.split("\t")[1]) for line in _existing(name))
    by_label: dict[str, list[tuple[str, str, str]]] = {}
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                text = (row.get("text") or "").strip()
                label = (row.get("label") or "").strip()
                key = normalizer.normalize(text)
                if not text or not label or key in seen:
                    continue
                seen.add(key)
                by_label.setdefault(label, []).append((label, text, (row.get("style") or "").strip()))
    frozen: list[tuple[str, str, str]] = []
    pool: list[tuple[str, str, str]] = []
    for label in sorted(by_label):
        rows = sorted(by_label[label], key=lambda r: hashlib.sha256(r[1].encode("utf-8")).hexdigest())
        cut = round(len(rows) * SHARE)
        frozen += rows[:cut]
        pool += rows[cut:]
    for name, rows in (("heldout_frozen.tsv", frozen), ("heldout_pool.tsv", pool)):
        earlier = _existing(name) if append else []
        lines = ["label\ttext\tstyle", *earlier, *("\t".join(r) for r in rows)]
        (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(rows)} new rows, {len(earlier) + len(rows)} in all")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main([a for a in arguments if a != "--append"], append="--append" in arguments)
