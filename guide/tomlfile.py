"""Read one TOML content file and collect its problems as ``file:line: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datafiles.toml import TomlFileError, TomlLines, read_toml


class GuideFileError(Exception):
    """A step file is malformed; the message names the file and line of each problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


@dataclass
class Report:
    """Collects problems of one file."""

    name: str
    index: TomlLines
    problems: list[str] = field(default_factory=list)

    def add(self, section: str, key: str, message: str) -> None:
        """Record ``message`` at the line of ``key`` in ``section``."""
        self.problems.append(f"{self.name}:{self.index.line(section, key)}: {message}")


def read(path: Path, problems: list[str]) -> tuple[dict[str, Any], Report] | None:
    """Parse one TOML file; an unreadable or malformed file goes to ``problems``."""
    try:
        data, lines = load(path)
    except GuideFileError as error:
        problems.extend(error.problems)
        return None
    return data, Report(path.name, lines)


def load(path: Path) -> tuple[dict[str, Any], TomlLines]:
    """Parse one TOML file and its line finder; raise :class:`GuideFileError` naming file and line."""
    try:
        return read_toml(path)
    except TomlFileError as error:
        raise GuideFileError([f"{error.file}:{error.line or 1}: {error.message}"]) from None
