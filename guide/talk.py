"""The conversation's own words (``talk.toml``): messages, word lists and label aliases.

These are the words a person uses off the script: skipping a question, saying the problem is
solved, pointing back at a closed case, or typing a button's label in other words. They are
content an operator edits, validated at load like the step files (errors name file and line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guide.tomlfile import Report

TALK_FILE = "talk.toml"
MAX_TEXT = 700
MAX_WORD = 20

#: Message keys the off-script handlers use; ``talk.toml`` must define each.
TALK_MESSAGES: tuple[str, ...] = (
    "typed_export",
    "skipped",
    "fact_stuck",
    "solved_offer",
    "solved_no_case",
    "reopen_offer",
    "reopened",
    "other_language",
    "question_back",
    "facts_line",
    "evidence_none",
    "cancelled_other",
    "closed_unresolved",
    "long_ack",
    "reminder_offer",
)
#: Word lists ``talk.toml`` must define (``[words]``).
WORD_LISTS: tuple[str, ...] = ("skip", "solved", "not_solved", "reopen")


@dataclass(frozen=True, slots=True)
class Alias:
    """Words a person types that stand for a button label (e.g. ``上一步`` for ``返回``)."""

    label: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TalkContent:
    """Messages, word lists and aliases of ``talk.toml``."""

    messages: dict[str, str] = field(default_factory=dict)
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    aliases: tuple[Alias, ...] = ()

    def message(self, key: str) -> str:
        """The message ``key`` (validated at load)."""
        return self.messages[key]

    def has(self, list_name: str, text: str) -> bool:
        """True when ``text`` contains a word of the list ``list_name``."""
        return any(word in text for word in self.words.get(list_name, ()))


def _words(report: Report, value: object, section: str, key: str) -> tuple[str, ...]:
    """A non-empty list of short non-empty strings (problems go to the report)."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(w, str) and w.strip() and len(w) <= MAX_WORD for w in value)
    ):
        report.add(section, key, f"'{key}' must be a non-empty list of words (1..{MAX_WORD} characters)")
        return ()
    return tuple(w.strip().lower() for w in value)


def parse_talk(data: dict[str, Any], report: Report) -> TalkContent:
    """``talk.toml`` -> TalkContent; problems go to ``report``."""
    for key in data:
        if key not in ("messages", "words", "alias"):
            report.add("", key, f"unknown field '{key}'")
    raw_messages = data.get("messages", {})
    messages: dict[str, str] = {}
    if not isinstance(raw_messages, dict):
        report.add("messages", "", "[messages] must be a table")
        raw_messages = {}
    for key, value in raw_messages.items():
        if key not in TALK_MESSAGES:
            report.add("messages", key, f"unknown message '{key}'")
        elif not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            report.add("messages", key, f"'{key}' must be a text of 1..{MAX_TEXT} characters")
        else:
            messages[key] = value.strip()
    for key in TALK_MESSAGES:
        if key not in raw_messages:
            report.add("messages", "", f"missing text 'messages.{key}'")
    raw_words = data.get("words", {})
    if not isinstance(raw_words, dict):
        report.add("words", "", "[words] must be a table")
        raw_words = {}
    words: dict[str, tuple[str, ...]] = {}
    for key, value in raw_words.items():
        if key not in WORD_LISTS:
            report.add("words", key, f"unknown word list '{key}'")
            continue
        words[key] = _words(report, value, "words", key)
    for key in WORD_LISTS:
        if key not in raw_words:
            report.add("words", "", f"missing word list 'words.{key}'")
    _overlaps(report, words)
    aliases: list[Alias] = []
    raw_aliases = data.get("alias", [])
    if not isinstance(raw_aliases, list):
        report.add("alias", "", "[[alias]] must be an array of tables")
        raw_aliases = []
    for index, raw in enumerate(raw_aliases):
        section = f"alias#{index}"
        if not isinstance(raw, dict) or set(raw) != {"label", "words"}:
            report.add(section, "", "each [[alias]] needs exactly 'label' and 'words'")
            continue
        label = raw["label"]
        if not isinstance(label, str) or not label.strip() or len(label) > MAX_WORD:
            report.add(section, "label", f"'label' must be 1..{MAX_WORD} characters")
            continue
        aliases.append(Alias(label.strip(), _words(report, raw["words"], section, "words")))
    return TalkContent(messages, words, tuple(aliases))


def _overlaps(report: Report, words: dict[str, tuple[str, ...]]) -> None:
    """A word in both ``solved`` and ``not_solved`` (or ``skip``) lists is reported, not resolved."""
    for first, second in (("solved", "not_solved"), ("skip", "solved"), ("skip", "reopen")):
        for word in set(words.get(first, ())) & set(words.get(second, ())):
            report.add("words", second, f"'{word}' is in both words.{first} and words.{second}")
