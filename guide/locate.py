"""Find the line of a table or key in a TOML file, so load errors can name file and line."""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


class LineIndex:
    """Lines of the tables and keys of one TOML text (top-level keys live in section ``""``).

    Sections of arrays of tables are named ``name#i`` (``step#0`` is the first ``[[step]]``).
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str, str], int] = {}
        counters: dict[str, int] = {}
        section = ""
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            quotes = line.count('"""') + line.count("'''")
            if in_multiline:
                if quotes % 2 == 1:
                    in_multiline = False
                continue
            header = _HEADER.match(line)
            if header:
                name = header.group(2)
                if header.group(1) == "[[":
                    index = counters.get(name, 0)
                    counters[name] = index + 1
                    section = f"{name}#{index}"
                else:
                    section = name
                self._lines.setdefault((section, ""), number)
                continue
            key = _KEY.match(line)
            if key:
                self._lines.setdefault((section, key.group(1)), number)
            if quotes % 2 == 1:
                in_multiline = True

    def line(self, section: str, key: str = "") -> int:
        """The line of ``key`` in ``section`` (of the section header when unknown; 1 at worst)."""
        found = self._lines.get((section, key))
        if found is None:
            found = self._lines.get((section, ""), 1)
        return found
