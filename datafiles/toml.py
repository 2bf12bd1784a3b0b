"""Read one TOML file and find the line of a table, key or string value in it (tomllib keeps none).

Keyword files (``intents/``) and step files (``guide/``) both report problems as
``file:line: message``; this is their one line finder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
#: tomllib before Python 3.14 gives the line only in the message: "(at line 3, column 7)".
_PARSER_LINE = re.compile(r"line (\d+)")


class TomlFileError(Exception):
    """A file that cannot be read or is not valid TOML; ``line`` is 0 when no line applies."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


def read_toml(path: Path) -> tuple[dict[str, Any], TomlLines]:
    """Parse ``path``; its tables and the line finder of its text. Raises :class:`TomlFileError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TomlFileError(path.name, 0, f"cannot read the file: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _PARSER_LINE.search(str(error))
        line = getattr(error, "lineno", 0) or (int(found.group(1)) if found else 0)
        raise TomlFileError(path.name, line, f"malformed TOML: {error}") from None
    return data, TomlLines(text)


@dataclass(frozen=True, slots=True)
class _Section:
    name: str
    first: int  # 1-based line of the header (0 for the top level)
    last: int  # 1-based last line that belongs to it


class TomlLines:
    """Line lookups in one TOML text; lines inside multi-line strings are never headers or keys.

    ``table``, ``key`` and ``value`` return 0 when nothing fits; :meth:`line` never does.
    """

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        self._in_string: set[int] = set()  # lines inside a multi-line string
        self._sections: list[_Section] = []
        name, first, open_string = "", 0, False
        for number, line in enumerate(self._lines, start=1):
            quotes = line.count('"""') + line.count("'''")
            if open_string:
                self._in_string.add(number)
                open_string = quotes % 2 == 0
                continue
            open_string = quotes % 2 == 1
            header = _HEADER.match(line)
            if header:
                self._sections.append(_Section(name, first, number - 1))
                name, first = header.group(2).strip().strip("\"'"), number
        self._sections.append(_Section(name, first, len(self._lines)))

    def _section(self, table: str, index: int) -> _Section | None:
        found = [s for s in self._sections if s.name == table]
        return found[index] if index < len(found) else None

    def table(self, table: str, index: int = 0) -> int:
        """Line of ``[table]`` (or of the ``index``-th ``[[table]]``)."""
        section = self._section(table, index)
        return section.first if section else 0

    def key(self, table: str, key: str, index: int = 0) -> int:
        """Line where ``key`` is set inside ``table`` ("" is the top level); else the table's line."""
        section = self._section(table, index)
        if section is None:
            return 0
        escaped = re.escape(key)
        pattern = re.compile(rf"^\s*(?:\"{escaped}\"|'{escaped}'|{escaped})\s*=")
        for number in range(max(section.first, 1), section.last + 1):
            if number not in self._in_string and pattern.match(self._lines[number - 1]):
                return number
        return section.first

    def value(self, table: str, value: str, index: int = 0, after_key: str = "") -> int:
        """Line of the quoted string ``value`` inside ``table`` (after ``after_key`` if given)."""
        section = self._section(table, index)
        if section is None:
            return 0
        start = max(section.first, 1)
        if after_key:
            start = max(self.key(table, after_key, index), start)
        quoted = (f'"{value}"', f"'{value}'")
        for number in range(start, section.last + 1):
            if any(q in self._lines[number - 1] for q in quoted):
                return number
        return start if after_key else section.first

    def line(self, section: str, key: str = "") -> int:
        """Line of ``key`` in ``section`` (its header without a key), at worst 1.

        ``section`` may name the i-th of an array of tables as ``name#i`` (``step#0`` is the first
        ``[[step]]``).
        """
        name, _, number = section.partition("#")
        index = int(number) if number.isdigit() else 0
        found = self.key(name, key, index) if key else self.table(name, index)
        return found or 1
