"""Read one TOML content file and collect its problems as ``file:line: message``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guide.locate import LineIndex

_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass
class Report:
    """Collects problems of one file."""

    name: str
    index: LineIndex
    problems: list[str] = field(default_factory=list)

    def add(self, section: str, key: str, message: str) -> None:
        """Record ``message`` at the line of ``key`` in ``section``."""
        self.problems.append(f"{self.name}:{self.index.line(section, key)}: {message}")


def read(path: Path, problems: list[str]) -> tuple[dict[str, Any], Report] | None:
    """Parse one TOML file; syntax errors go to ``problems``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{path.name}:1: cannot read: {error}")
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        line = found.group(1) if found else str(max(1, text.count("\n") + 1))
        problems.append(f"{path.name}:{line}: malformed TOML: {error}")
        return None
    return data, Report(path.name, LineIndex(text))
