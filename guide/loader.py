"""Read and validate the step files; every problem is reported as ``file:line: message``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from domain.issues import ISSUE_TYPES, RIGHTS_KINDS
from domain.labels import CATEGORY_LABELS, FACT_LABELS
from domain.limits import MAX_CALLBACK_DATA
from domain.stages import STAGE_IDS
from guide import callbacks
from guide.citations import CITATIONS_FILE, Citations, load_citations
from guide.content import (
    ARG_ACTIONS,
    REQUIRED_MESSAGES,
    SIMPLE_ACTIONS,
    ButtonSpec,
    EvidenceSpec,
    GuideContent,
    StageSpec,
    StepSpec,
)
from guide.questionbook import QUESTIONS_FILE, QuestionBook, parse_questions
from guide.talk import TALK_FILE, TalkContent, parse_talk
from guide.tomlfile import GuideFileError
from guide.tomlfile import Report as _Report
from guide.tomlfile import read as _read
from guide.tracks import TRACKS_FILE, load_tracks

COMMON_FILE = "common.toml"
MAX_TEXT = 700
MAX_LABEL = 40
#: Longest case id the callback data must leave room for (``model.new_id`` makes 12).
_CASE_ID = "x" * 12
#: Step text variants: per issue type, and per 权益受损 kind (``text_refund``...).
VARIANTS: tuple[str, ...] = (*ISSUE_TYPES, *RIGHTS_KINDS)
_STEP_KEYS = {"title", "text", "buttons", "nav"} | {f"text_{t}" for t in VARIANTS}
#: Data files beside the stage files that are not stages.
DATA_FILES = (CITATIONS_FILE, TRACKS_FILE)


def _text(report: _Report, table: dict[str, Any], section: str, key: str, *, required: bool) -> str:
    """A non-empty text value of at most MAX_TEXT characters ("" when absent and optional)."""
    value = table.get(key)
    if value is None:
        if required:
            report.add(section, "", f"missing text '{key}'")
        return ""
    if not isinstance(value, str) or not value.strip():
        report.add(section, key, f"'{key}' must be a non-empty string")
        return ""
    if len(value) > MAX_TEXT:
        report.add(section, key, f"'{key}' is {len(value)} characters, over {MAX_TEXT}")
    return value.strip()


def _unknown(report: _Report, table: dict[str, Any], section: str, allowed: set[str]) -> None:
    """Report keys of ``table`` not in ``allowed``."""
    for key in table:
        if key not in allowed:
            report.add(section, key, f"unknown field '{key}'")


def _buttons(report: _Report, value: object, section: str, key: str) -> list[tuple[ButtonSpec, int]]:
    """Parse a button list; returns the buttons with the line they were declared on."""
    if value is None:
        return []
    line = report.index.line(section, key)
    if not isinstance(value, list):
        report.add(section, key, f"'{key}' must be a list of {{label, action}} tables")
        return []
    found: list[tuple[ButtonSpec, int]] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"label", "action"}:
            report.add(section, key, "each button needs exactly 'label' and 'action'")
            continue
        label, action = item["label"], item["action"]
        if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
            report.add(section, key, f"button label must be 1..{MAX_LABEL} characters")
            continue
        if not isinstance(action, str):
            report.add(section, key, f"button '{label}': action must be a string")
            continue
        found.append((ButtonSpec(label.strip(), action), line))
    return found


def _parse_stage(
    data: dict[str, Any], report: _Report
) -> tuple[StageSpec, dict[tuple[int, int], int]] | None:
    """A stage file -> StageSpec and the line of each (step, button) (problems go to the report)."""
    _unknown(report, data, "", {"stage", "step"})
    head = data.get("stage")
    if not isinstance(head, dict):
        report.add("", "", "missing [stage] table")
        return None
    _unknown(report, head, "stage", {"id", "title", "summary"})
    stage_id = head.get("id")
    if stage_id not in STAGE_IDS:
        report.add("stage", "id", f"stage id must be one of {', '.join(STAGE_IDS)}")
        return None
    title = _text(report, head, "stage", "title", required=True)
    summary = _text(report, head, "stage", "summary", required=False)
    raw_steps = data.get("step")
    if not isinstance(raw_steps, list) or not raw_steps:
        report.add("stage", "", "a stage needs at least one [[step]]")
        return None
    steps: list[StepSpec] = []
    lines: dict[tuple[int, int], int] = {}
    for index, raw in enumerate(raw_steps):
        if not isinstance(raw, dict):
            report.add(f"step#{index}", "", "[[step]] must be a table")
            continue
        section = f"step#{index}"
        _unknown(report, raw, section, _STEP_KEYS)
        variants = {issue: _text(report, raw, section, f"text_{issue}", required=False) for issue in VARIANTS}
        buttons = _buttons(report, raw.get("buttons"), section, "buttons")
        nav = raw.get("nav", True)
        if not isinstance(nav, bool):
            report.add(section, "nav", "'nav' must be true or false")
            nav = True
        steps.append(
            StepSpec(
                title=_text(report, raw, section, "title", required=True),
                text=_text(report, raw, section, "text", required=True),
                buttons=tuple(button for button, _ in buttons),
                variants={issue: text for issue, text in variants.items() if text},
                nav=nav,
            )
        )
        # Remember where each button was declared, for the target check after all files load.
        for position, (_, line) in enumerate(buttons):
            lines[(index, position)] = line
    return StageSpec(stage_id, title, summary, tuple(steps)), lines


def _parse_common(data: dict[str, Any], report: _Report) -> dict[str, Any]:
    """The common file's tables (messages, prompts, nav, scam, evidence), validated."""
    _unknown(report, data, "", {"messages", "prompts", "nav", "scam", "evidence", "shortcuts"})
    messages: dict[str, str] = {}
    raw_messages = data.get("messages", {})
    if not isinstance(raw_messages, dict):
        report.add("messages", "", "[messages] must be a table")
        raw_messages = {}
    for key in raw_messages:
        messages[key] = _text(report, raw_messages, "messages", key, required=True)
    for key in REQUIRED_MESSAGES:
        if key not in raw_messages:
            report.add("messages", "", f"missing text 'messages.{key}'")
    prompts: dict[str, str] = {}
    raw_prompts = data.get("prompts", {})
    if not isinstance(raw_prompts, dict):
        raw_prompts = {}
    _unknown(report, raw_prompts, "prompts", set(FACT_LABELS))
    for fact in FACT_LABELS:
        prompts[fact] = _text(report, raw_prompts, "prompts", fact, required=True)
    nav = data.get("nav", {})
    nav_buttons = _buttons(report, nav.get("buttons") if isinstance(nav, dict) else None, "nav", "buttons")
    scam = data.get("scam", {})
    keywords = scam.get("keywords", []) if isinstance(scam, dict) else []
    if not isinstance(keywords, list) or not keywords or not all(isinstance(k, str) and k for k in keywords):
        report.add("scam", "keywords", "[scam] keywords must be a non-empty list of strings")
        keywords = []
    evidence: list[EvidenceSpec] = []
    for index, raw in enumerate(data.get("evidence", [])):
        section = f"evidence#{index}"
        _unknown(report, raw, section, {"category", "label", "keywords", "types"})
        category = raw.get("category")
        if category not in CATEGORY_LABELS:
            report.add(section, "category", f"category must be one of {', '.join(CATEGORY_LABELS)}")
            continue
        types = raw.get("types", list(ISSUE_TYPES))
        if not isinstance(types, list) or any(t not in VARIANTS for t in types):
            report.add(section, "types", f"types must be a list of {', '.join(VARIANTS)}")
            types = []
        words = raw.get("keywords", [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            report.add(section, "keywords", "keywords must be a list of strings")
            words = []
        label = _text(report, raw, section, "label", required=True)
        evidence.append(EvidenceSpec(category, label, tuple(words), tuple(types)))
    shortcuts: dict[str, tuple[str, ...]] = {}
    raw_shortcuts = data.get("shortcuts", {})
    if not isinstance(raw_shortcuts, dict):
        report.add("shortcuts", "", "[shortcuts] must be a table")
        raw_shortcuts = {}
    _unknown(report, raw_shortcuts, "shortcuts", {"next", "ack", *STAGE_IDS})
    for key, words in raw_shortcuts.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            report.add("shortcuts", key, f"shortcuts.{key} must be a list of strings")
            continue
        shortcuts[key] = tuple(w.lower() for w in words)
    return {
        "shortcuts": shortcuts,
        "messages": messages,
        "prompts": prompts,
        "nav": nav_buttons,
        "scam": tuple(keywords),
        "evidence": tuple(evidence),
    }


def _check_citations(report: _Report, citations: Citations, section: str, key: str, text: str) -> None:
    """Report every article ``text`` cites that ``citations.toml`` does not list."""
    for unknown in citations.unknown(text):
        report.add(section, key, f"cites {unknown}, which {CITATIONS_FILE} does not list")


def _check_action(action: str, messages: dict[str, str], stage_steps: dict[str, int]) -> str | None:
    """Why ``action`` is invalid, or ``None`` when it is fine."""
    if action in SIMPLE_ACTIONS:
        return None
    name, _, arg = action.partition(":")
    if name not in ARG_ACTIONS or not arg:
        return f"unknown action '{action}'"
    if name == "say" and arg not in messages:
        return f"action '{action}' points to an unknown message"
    if name == "ask" and arg not in FACT_LABELS:
        return f"action '{action}' points to an unknown fact"
    if name == "goto":
        stage, _, step = arg.partition(".")
        if stage not in stage_steps:
            return f"action '{action}' points to an unknown stage"
        if step and (not step.isdigit() or int(step) >= stage_steps[stage]):
            return f"action '{action}' points to an unknown step"
    return None


def _cite_check_file(report: _Report, citations: Citations, data: dict[str, Any]) -> None:
    """Check the citations of every text of a step file or ``common.toml``."""
    for table in ("messages", "prompts"):
        raw = data.get(table)
        if isinstance(raw, dict):
            for key, value in raw.items():
                if isinstance(value, str):
                    _check_citations(report, citations, table, key, value)
    steps = data.get("step")
    if isinstance(steps, list):
        for index, raw in enumerate(steps):
            if isinstance(raw, dict):
                for key, value in raw.items():
                    if key.startswith("text") and isinstance(value, str):
                        _check_citations(report, citations, f"step#{index}", key, value)


def load_directory(directory: Path) -> GuideContent:
    """Load ``common.toml`` and the five stage files of ``directory``; raise GuideFileError."""
    problems: list[str] = []
    files = sorted(directory.glob("*.toml")) if directory.is_dir() else []
    files = [path for path in files if path.name not in DATA_FILES]
    if not (directory / COMMON_FILE).is_file():
        problems.append(f"{COMMON_FILE}:1: missing file in {directory}")
    citations: Citations | None = None
    tracks = {}
    try:
        citations = load_citations(directory)
        tracks = load_tracks(directory, citations)
    except GuideFileError as error:
        problems.extend(error.problems)
    common: dict[str, Any] | None = None
    talk: TalkContent | None = None
    book: QuestionBook | None = None
    stages: dict[str, tuple[StageSpec, str]] = {}
    button_lines: dict[tuple[str, int, int], int] = {}
    for path in files:
        read = _read(path, problems)
        if read is None:
            continue
        data, report = read
        if citations is not None:
            _cite_check_file(report, citations, data)
        if path.name == COMMON_FILE:
            common = _parse_common(data, report)
        elif path.name == TALK_FILE:
            talk = parse_talk(data, report)
        elif path.name == QUESTIONS_FILE:
            book = parse_questions(data, report)
        else:
            parsed = _parse_stage(data, report)
            if parsed is not None:
                stage, lines = parsed
                button_lines.update({(stage.id, *key): line for key, line in lines.items()})
                if stage.id in stages:
                    report.add("stage", "id", f"stage '{stage.id}' also defined in {stages[stage.id][1]}")
                stages[stage.id] = (stage, path.name)
        problems.extend(report.problems)
    for stage_id in STAGE_IDS:
        if stage_id not in stages:
            problems.append(f"{stage_id}.toml:1: no step file defines stage '{stage_id}'")
    if talk is None and not (directory / TALK_FILE).is_file():
        problems.append(f"{TALK_FILE}:1: missing file in {directory}")
    if book is None and not (directory / QUESTIONS_FILE).is_file():
        problems.append(f"{QUESTIONS_FILE}:1: missing file in {directory}")
    if common is None or talk is None or book is None or problems:
        raise GuideFileError(problems or [f"{COMMON_FILE}:1: unreadable"])
    stage_steps = {stage_id: len(spec.steps) for stage_id, (spec, _) in stages.items()}
    messages: dict[str, str] = common["messages"]
    for stage_id, (spec, name) in stages.items():
        for index, step in enumerate(spec.steps):
            for position, button in enumerate(step.buttons):
                line = button_lines.get((stage_id, index, position), 1)
                reason = _check_action(button.action, messages, stage_steps)
                if reason is None and not callbacks.fits(
                    callbacks.step_data(_CASE_ID, stage_id, index, button.action)
                ):
                    reason = f"callback data of button '{button.label}' is over {MAX_CALLBACK_DATA} bytes"
                if reason is not None:
                    problems.append(f"{name}:{line}: {reason}")
    for button, line in common["nav"]:
        reason = _check_action(button.action, messages, stage_steps)
        if reason is None and not callbacks.fits(callbacks.make("n", _CASE_ID, button.action)):
            reason = f"callback data of button '{button.label}' is over {MAX_CALLBACK_DATA} bytes"
        if reason is not None:
            problems.append(f"{COMMON_FILE}:{line}: {reason}")
    if problems:
        raise GuideFileError(problems)
    return GuideContent(
        stages=tuple(stages[stage_id][0] for stage_id in STAGE_IDS),
        messages=messages,
        prompts=common["prompts"],
        evidence=common["evidence"],
        nav_buttons=tuple(button for button, _ in common["nav"]),
        scam_keywords=common["scam"],
        shortcuts=common["shortcuts"],
        tracks=tracks,
        citations=citations,
        talk=talk,
        question_book=book,
    )
