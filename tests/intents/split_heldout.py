"""Split the blind-written held-out messages ONCE into a frozen test set and a pool (issue 14).

Usage: ``python tests/intents/split_heldout.py /work/heldout/set_*.tsv``. Rows are merged,
deduplicated on their normalized text, and within each label ordered by the sha256 of the text;
the first 55% of each label form ``data/heldout_frozen.tsv`` (never used to edit keyword or
example files), the rest ``data/heldout_pool.tsv`` (free to paraphrase into example files).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

from intents.normalize import Normalizer

SHARE = 0.55
HERE = Path(__file__).resolve().parent / "data"


def main(paths: list[str]) -> None:
    """Merge, deduplicate, split and write the two files."""
    normalizer = Normalizer()
    seen: set[str] = set()
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
        lines = ["label\ttext\tstyle", *("\t".join(r) for r in rows)]
        (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main(sys.argv[1:])
