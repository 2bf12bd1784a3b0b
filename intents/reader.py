"""Typed, line-aware reading of one TOML keyword file: every problem gets its file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datafiles import toml as datafiles_toml
from datafiles.toml import TomlLines
from intents.model import Problem
from intents.normalize import Normalizer


class FileReader:
    """Typed access to one parsed TOML file that records problems with their lines."""

    def __init__(self, path: Path, lines: TomlLines, problems: list[Problem], normalizer: Normalizer) -> None:
        self.name = path.name
        self.lines = lines
        self.problems = problems
        self.normalizer = normalizer

    def term(self, raw: str, line: int, table: str) -> str | None:
        """A keyword as messages will show it; ``None`` (and an error) when it can never be one token."""
        term = self.normalizer.normalize_term(raw.strip())
        if not term:
            self.error(line, f"empty term in [{table}]")
            return None
        if any(ch.isspace() for ch in term):
            self.error(line, f"{raw!r} in [{table}] contains a space: jieba never yields it as one token")
            return None
        return term

    def error(self, line: int, message: str) -> None:
        """Record an error at ``line``."""
        self.problems.append(Problem(self.name, line, message, "error"))

    def warn(self, line: int, message: str) -> None:
        """Record a warning at ``line``."""
        self.problems.append(Problem(self.name, line, message, "warning"))

    def unknown_fields(self, data: dict[str, Any], allowed: set[str], table: str, index: int = 0) -> None:
        """An error for each key of ``data`` not in ``allowed``."""
        for key in data:
            if key not in allowed:
                where = f"[{table}]" if table else "the top level"
                self.error(
                    self.lines.key(table, key, index),
                    f"unknown field {key!r} in {where} (allowed: {', '.join(sorted(allowed))})",
                )

    def string(self, data: dict[str, Any], key: str, table: str = "", index: int = 0) -> str | None:
        """``data[key]`` as a string, or ``None`` (an error when it has another type)."""
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(self.lines.key(table, key, index), f"{key!r} must be a string, got {kind(value)}")
            return None
        return value

    def number(self, data: dict[str, Any], key: str, table: str = "", index: int = 0) -> float | None:
        """``data[key]`` as a float, or ``None`` (an error when it is not a number)."""
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(self.lines.key(table, key, index), f"{key!r} must be a number, got {kind(value)}")
            return None
        return float(value)

    def integer(self, data: dict[str, Any], key: str, table: str = "", index: int = 0) -> int | None:
        """``data[key]`` as an int, or ``None`` (an error when it is not an integer)."""
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(self.lines.key(table, key, index), f"{key!r} must be an integer, got {kind(value)}")
            return None
        return value

    def strings(self, data: dict[str, Any], key: str, table: str = "", index: int = 0) -> tuple[str, ...]:
        """``data[key]`` as a tuple of non-empty strings (an error otherwise)."""
        value = data.get(key)
        if value is None:
            return ()
        line = self.lines.key(table, key, index)
        if not isinstance(value, list):
            self.error(line, f"{key!r} must be a list of strings, got {kind(value)}")
            return ()
        bad = [item for item in value if not isinstance(item, str) or not item.strip()]
        if bad:
            self.error(line, f"{key!r} must hold non-empty strings only, got {bad[0]!r}")
            return ()
        return tuple(value)

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        """``data[key]`` as a table, ``{}`` when absent (an error when it is not a table)."""
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(self.lines.key("", key), f"{key!r} must be a table ([{key}]), got {kind(value)}")
            return {}
        return value


def kind(value: object) -> str:
    """A TOML-ish name for a value's type, for error messages."""
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list"}
    if isinstance(value, dict):
        return "a table"
    return names.get(type(value), type(value).__name__)


def read_toml(path: Path, problems: list[Problem]) -> tuple[dict[str, Any], TomlLines] | None:
    """Parse one file and its line finder; an unreadable or malformed file becomes a problem."""
    try:
        return datafiles_toml.read_toml(path)
    except datafiles_toml.TomlFileError as error:
        problems.append(Problem(error.file, error.line, error.message))
        return None
