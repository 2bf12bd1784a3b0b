"""The common questions of ``questions.toml`` as typed objects, validated at load.

A keyword claimed by two questions, or hidden inside another question's keyword, is reported
with its file and line, not silently resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guide.facts import simplified
from guide.tomlfile import Report

QUESTIONS_FILE = "questions.toml"
MAX_ANSWER = 400
MAX_LINES = 6
MAX_KEYWORD = 20
#: At most this many answers to one message.
MAX_ANSWERS = 2
#: A longer message is a story with a question in it, not a question (issue 13 item 8).
MAX_QUESTION_TEXT = 80


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    """A common question: the words that name it, its short answer and where the answer comes from."""

    id: str
    keywords: tuple[str, ...]
    answer: str
    source: str


@dataclass(frozen=True, slots=True)
class QuestionBook:
    """All common questions and the cues that make a message a question."""

    questions: tuple[QuestionSpec, ...] = ()
    cues: tuple[str, ...] = ()

    def asked(self, text: str) -> tuple[QuestionSpec, ...]:
        """The questions ``text`` asks (none unless it also has a question cue)."""
        compact = "".join(simplified(text[: MAX_QUESTION_TEXT * 2]).lower().split())
        if not compact or len(compact) > MAX_QUESTION_TEXT or not any(cue in compact for cue in self.cues):
            return ()
        found = tuple(q for q in self.questions if any(word in compact for word in q.keywords))
        return found[:MAX_ANSWERS]


def _strings(report: Report, value: object, section: str, key: str) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(w, str) and w.strip() and len(w) <= MAX_KEYWORD for w in value)
    ):
        report.add(section, key, f"'{key}' must be a non-empty list of words (1..{MAX_KEYWORD} characters)")
        return ()
    return tuple(simplified(w.strip()).lower() for w in value)


def _text(report: Report, raw: dict[str, Any], section: str, key: str, limit: int) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        report.add(section, key if key in raw else "", f"'{key}' must be a non-empty text")
        return ""
    if len(value.strip()) > limit:
        report.add(section, key, f"'{key}' is {len(value.strip())} characters, over {limit}")
    if len(value.strip().splitlines()) > MAX_LINES:
        report.add(section, key, f"'{key}' has more than {MAX_LINES} lines")
    return value.strip()


def parse_questions(data: dict[str, Any], report: Report) -> QuestionBook:
    """``questions.toml`` -> QuestionBook; problems go to ``report``."""
    for key in data:
        if key not in ("cues", "question"):
            report.add("", key, f"unknown field '{key}'")
    cues = _strings(report, data.get("cues"), "", "cues")
    raw_questions = data.get("question")
    if not isinstance(raw_questions, list) or not raw_questions:
        report.add("", "", "at least one [[question]] is needed")
        raw_questions = []
    questions: list[QuestionSpec] = []
    owner: dict[str, tuple[str, str]] = {}  # keyword -> (question id, section)
    for index, raw in enumerate(raw_questions):
        section = f"question#{index}"
        if not isinstance(raw, dict):
            report.add(section, "", "[[question]] must be a table")
            continue
        for key in raw:
            if key not in ("id", "keywords", "answer", "source"):
                report.add(section, key, f"unknown field '{key}'")
        qid = raw.get("id")
        if not isinstance(qid, str) or not qid.isidentifier() or not qid.isascii():
            report.add(section, "id", "'id' must be an ASCII name like fraud or how_long")
            continue
        if any(q.id == qid for q in questions):
            report.add(section, "id", f"question '{qid}' is defined twice")
        keywords = _strings(report, raw.get("keywords"), section, "keywords")
        for word in keywords:
            for other, (other_id, _) in owner.items():
                if other_id == qid:
                    continue
                if word == other:
                    report.add(section, "keywords", f"keyword '{word}' also belongs to question '{other_id}'")
                elif other in word or word in other:
                    report.add(
                        section, "keywords", f"keyword '{word}' overlaps '{other}' of question '{other_id}'"
                    )
            owner.setdefault(word, (qid, section))
        answer = _text(report, raw, section, "answer", MAX_ANSWER)
        source = _text(report, raw, section, "source", MAX_ANSWER)
        questions.append(QuestionSpec(qid, keywords, answer, source))
    return QuestionBook(tuple(questions), cues)
