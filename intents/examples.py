"""Operator-maintained example sentences (``<label>.examples.txt``) for the learned stage.

One example per line; blank lines and lines starting with ``#`` are skipped. Every label of
:data:`intents.match.LABELS` may have a file (``other.examples.txt`` holds hard negatives).
Problems (a file that is not UTF-8, an over-long line, the same sentence under two labels) name
their file and line.
"""

from __future__ import annotations

from pathlib import Path

from intents.match import LABELS
from intents.model import Problem
from intents.normalize import Normalizer

SUFFIX = ".examples.txt"
#: Longer lines are almost certainly a paste accident, not an example.
MAX_LENGTH = 500


def example_path(directory: Path, label: str) -> Path:
    """Where the examples of ``label`` live in ``directory``."""
    return directory / f"{label}{SUFFIX}"


def load_examples(
    directory: Path, problems: list[Problem], normalizer: Normalizer
) -> tuple[tuple[str, str, str, int], ...]:
    """Every example as ``(label, text, file, line)``; problems are appended to ``problems``."""
    out: list[tuple[str, str, str, int]] = []
    seen: dict[str, tuple[str, str, int]] = {}
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        label = path.name[: -len(SUFFIX)]
        if label not in LABELS:
            problems.append(Problem(path.name, 0, f"unknown label {label!r} (expected one of {LABELS})"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(path.name, 0, f"not UTF-8: {exc.reason}"))
            continue
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if len(line) > MAX_LENGTH:
                problems.append(Problem(path.name, number, f"example longer than {MAX_LENGTH} characters"))
                continue
            key = normalizer.normalize(line)
            if key in seen:
                other_label, other_file, other_line = seen[key]
                if other_label != label:
                    problems.append(
                        Problem(
                            path.name,
                            number,
                            f"example also listed under {other_label} ({other_file}:{other_line})",
                        )
                    )
                else:
                    problems.append(
                        Problem(
                            path.name, number, f"duplicate example (first at line {other_line})", "warning"
                        )
                    )
                continue
            seen[key] = (label, path.name, number)
            out.append((label, line, path.name, number))
    return tuple(out)
