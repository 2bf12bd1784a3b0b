"""The list of legal articles the bot may cite, and finding the articles a text cites.

``citations.toml`` (beside the step files) names each law once with the spellings content may
use for it, and each article once with the one-line summary drafts print. :func:`cited` reads
a text the way a person would: ``《消费者权益保护法》第8条、第20条`` cites two articles of one
law, ``消法44`` one; an article number belongs to the law named last before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datafiles.toml import TomlLines
from guide import tomlfile
from guide.tomlfile import GuideFileError

CITATIONS_FILE = "citations.toml"
_ARTICLE = re.compile(r"第\s*(\d{1,4})\s*(?:条?\s*[–—\-~至到]\s*第?\s*(\d{1,4})\s*)?条")
_CHINESE_ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")


@dataclass(frozen=True, slots=True)
class Law:
    """A law or regulation: its short id, full name and the spellings content uses."""

    id: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a law and the one-line summary the drafts print."""

    law: str
    number: int
    summary: str

    @property
    def key(self) -> str:
        """``消法8``: how content and data files refer to the article."""
        return f"{self.law}{self.number}"


@dataclass(frozen=True, slots=True)
class Citation:
    """An article a text cites: the law id and the number (``law`` is "" when no law was named)."""

    law: str
    number: int
    at: int

    @property
    def key(self) -> str:
        """``消法8``."""
        return f"{self.law}{self.number}"


@dataclass(frozen=True, slots=True)
class Citations:
    """Every law and article the bot may show."""

    laws: tuple[Law, ...]
    articles: dict[str, Article]

    def _pattern(self) -> re.Pattern[str]:
        aliases = sorted((a for law in self.laws for a in law.aliases), key=len, reverse=True)
        return re.compile("|".join(re.escape(a) for a in aliases))

    def law_of(self, alias: str) -> Law:
        """The law spelled ``alias``."""
        return next(law for law in self.laws if alias in law.aliases)

    def cited(self, text: str) -> list[Citation]:
        """The articles ``text`` cites, in order (unnumbered mentions of a law are not citations)."""
        events: list[tuple[int, str, str]] = []
        for match in self._pattern().finditer(text):
            events.append((match.start(), "law", self.law_of(match.group(0)).id))
            digits = re.match(r"\d{1,4}", text[match.end() :])
            if digits:  # 消法44, 电商法15
                events.append((match.end(), "number", digits.group(0)))
        for match in _ARTICLE.finditer(text):
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) else first
            for number in range(first, min(last, first + 20) + 1):
                events.append((match.start(), "number", str(number)))
        for match in _CHINESE_ARTICLE.finditer(text):
            events.append((match.start(), "number", "0"))  # never listed: write digits
        found: list[Citation] = []
        law = ""
        for at, kind, value in sorted(events, key=lambda e: (e[0], e[1] != "law")):
            if kind == "law":
                law = value
            else:
                found.append(Citation(law, int(value), at))
        return found

    def unknown(self, text: str) -> list[str]:
        """Citations in ``text`` that are not listed, as ``消法99`` (or ``第9条`` with no law)."""
        missing: list[str] = []
        for citation in self.cited(text):
            if not citation.law:
                missing.append(f"第{citation.number}条 (no law named before it)")
            elif citation.key not in self.articles:
                missing.append(citation.key)
        return missing

    def line(self, key: str) -> str:
        """``《消费者权益保护法》第8条：消费者享有知悉…``, the line a draft prints."""
        article = self.articles[key]
        law = next(law for law in self.laws if law.id == article.law)
        return f"《{law.name}》第{article.number}条：{article.summary}"


def load_citations(directory: Path) -> Citations:
    """Read and validate ``citations.toml`` of ``directory``; raise GuideFileError (file:line)."""
    path = directory / CITATIONS_FILE
    data, lines = tomlfile.load(path)
    return parse_citations(data, lines)


def parse_citations(data: dict[str, Any], index: TomlLines) -> Citations:
    """The laws and articles of a parsed ``citations.toml``; problems raise GuideFileError."""
    problems: list[str] = []

    def add(section: str, key: str, message: str) -> None:
        problems.append(f"{CITATIONS_FILE}:{index.line(section, key)}: {message}")

    laws: list[Law] = []
    seen_alias: dict[str, str] = {}
    for position, raw in enumerate(data.get("law", [])):
        section = f"law#{position}"
        law_id, name, aliases = raw.get("id"), raw.get("name"), raw.get("aliases")
        if not isinstance(law_id, str) or not isinstance(name, str) or not law_id or not name:
            add(section, "", "a [[law]] needs 'id' and 'name'")
            continue
        if set(raw) - {"id", "name", "aliases"}:
            add(section, "", f"unknown field in law '{law_id}'")
        if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a for a in aliases):
            add(section, "aliases", f"law '{law_id}': 'aliases' must be a non-empty list of strings")
            continue
        for alias in aliases:
            if alias in seen_alias:
                add(section, "aliases", f"alias '{alias}' also names law '{seen_alias[alias]}'")
            seen_alias[alias] = law_id
        laws.append(Law(law_id, name, tuple(aliases)))
    law_ids = {law.id for law in laws}
    articles: dict[str, Article] = {}
    for position, raw in enumerate(data.get("article", [])):
        section = f"article#{position}"
        law, number, summary = raw.get("law"), raw.get("number"), raw.get("summary")
        if set(raw) - {"law", "number", "summary"}:
            add(section, "", "unknown field in [[article]]")
        if law not in law_ids:
            add(section, "law", f"unknown law '{law}'")
            continue
        if not isinstance(number, int) or number <= 0:
            add(section, "number", "'number' must be a positive integer")
            continue
        if not isinstance(summary, str) or not summary.strip():
            add(section, "summary", "'summary' must be a non-empty string")
            continue
        article = Article(str(law), number, summary.strip())
        if article.key in articles:
            add(section, "number", f"article {article.key} is listed twice")
        articles[article.key] = article
    if problems:
        raise GuideFileError(problems)
    return Citations(tuple(laws), articles)
