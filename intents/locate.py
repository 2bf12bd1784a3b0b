"""Find the line of a table, key or string value in a TOML file's raw text (tomllib keeps none)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class _Section:
    name: str
    first: int  # 1-based line of the header (0 for the top level)
    last: int  # 1-based last line that belongs to it


class TomlLines:
    """Line lookups in one TOML text; every lookup returns 0 when nothing fits."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        self._sections: list[_Section] = []
        name, first = "", 0
        for number, line in enumerate(self._lines, start=1):
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
        """Line where ``key`` is set inside ``table`` ("" is the top level)."""
        section = self._section(table, index)
        if section is None:
            return 0
        pattern = re.compile(
            r"^\s*(?:\"" + re.escape(key) + r"\"|'" + re.escape(key) + r"'|" + re.escape(key) + r")\s*="
        )
        for number in range(max(section.first, 1), section.last + 1):
            if pattern.match(self._lines[number - 1]):
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
