"""What the drafts say per issue type and per kind of 权益受损 (``tracks.toml``), and the kind of a message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datafiles.toml import TomlLines
from domain.issues import ISSUE_LABELS, RIGHTS_KINDS
from domain.labels import FACT_LABELS
from guide import tomlfile
from guide.citations import Citations
from guide.tomlfile import GuideFileError

TRACKS_FILE = "tracks.toml"
RESPONDENTS = ("platform", "seller", "organiser")
#: The track of a case whose type is not known yet.
FALLBACK = "rights_damaged"
_FIELD = re.compile(r"\{([a-z_]+)\}")
_KEYS = {"id", "keywords", "respondent", "activity", "story", "demand", "basis", "report", "report_basis"}


@dataclass(frozen=True, slots=True)
class Track:
    """The drafts' content for one issue type or 权益受损 kind."""

    id: str
    keywords: tuple[str, ...]
    respondent: str
    activity: bool
    story: str
    demand: str
    basis: tuple[str, ...]
    report: str
    report_basis: tuple[str, ...]

    @property
    def story_facts(self) -> tuple[str, ...]:
        """The fact names the story needs (``{shortfall}`` -> ``shortfall``)."""
        return tuple(_FIELD.findall(self.story))


def detect_kind(tracks: dict[str, Track], text: str) -> str | None:
    """The 权益受损 kind ``text`` (simplified) points to, or ``None`` when none or several tie.

    A promotion word (券, 返现, 奖品) names what was promised, so it settles a tie with a word
    that names the failure: 「奖品没发货」 is a promise not honoured, not an undelivered order.
    """
    scores: dict[str, int] = {}
    for kind in RIGHTS_KINDS:
        track = tracks.get(kind)
        if track is not None:
            hits = sum(1 for word in track.keywords if word in text)
            if hits:
                scores[kind] = hits
    if not scores:
        return None
    best = max(scores.values())
    winners = [kind for kind, score in scores.items() if score == best]
    if len(winners) > 1 and "promo" in winners:
        return "promo"
    return winners[0] if len(winners) == 1 else None


def load_tracks(directory: Path, citations: Citations) -> dict[str, Track]:
    """Read and validate ``tracks.toml`` of ``directory``; raise GuideFileError (file:line)."""
    path = directory / TRACKS_FILE
    data, lines = tomlfile.load(path)
    return parse_tracks(data, lines, citations)


def _strings(raw: dict[str, Any], key: str) -> tuple[str, ...] | None:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        return None
    return tuple(value)


def parse_tracks(data: dict[str, Any], index: TomlLines, citations: Citations) -> dict[str, Track]:
    """The tracks of a parsed ``tracks.toml``; every problem is reported with its line."""
    problems: list[str] = []

    def add(section: str, key: str, message: str) -> None:
        problems.append(f"{TRACKS_FILE}:{index.line(section, key)}: {message}")

    tracks: dict[str, Track] = {}
    known = (*ISSUE_LABELS, *RIGHTS_KINDS)
    for position, raw in enumerate(data.get("track", [])):
        section = f"track#{position}"
        for key in raw:
            if key not in _KEYS:
                add(section, key, f"unknown field '{key}'")
        track_id = raw.get("id")
        if track_id not in known:
            add(section, "id", f"id must be one of {', '.join(known)}")
            continue
        if track_id in tracks:
            add(section, "id", f"track '{track_id}' is defined twice")
        texts: dict[str, str] = {}
        for key in ("story", "demand", "report"):
            value = raw.get(key)
            if not isinstance(value, str) or (key != "report" and not value.strip()):
                add(section, key, f"'{key}' must be a {'' if key == 'report' else 'non-empty '}string")
                value = ""
            texts[key] = value.strip()
            for name in _FIELD.findall(value):
                if name not in FACT_LABELS:
                    add(section, key, f"'{{{name}}}' is not a fact name")
            for unknown in citations.unknown(value):
                add(section, key, f"cites {unknown}, which citations.toml does not list")
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("keywords", "basis", "report_basis"):
            value = _strings(raw, key)
            if value is None:
                add(section, key, f"'{key}' must be a list of strings")
                value = ()
            lists[key] = value
        for key in ("basis", "report_basis"):
            for article in lists[key]:
                if article not in citations.articles:
                    add(section, key, f"article '{article}' is not listed in citations.toml")
        if track_id in RIGHTS_KINDS and not lists["keywords"]:
            add(section, "keywords", f"kind '{track_id}' needs keywords")
        respondent = raw.get("respondent")
        if respondent not in RESPONDENTS:
            add(section, "respondent", f"respondent must be one of {', '.join(RESPONDENTS)}")
        activity = raw.get("activity")
        if not isinstance(activity, bool):
            add(section, "activity", "'activity' must be true or false")
        if texts["report"] and not lists["report_basis"]:
            add(section, "report_basis", "a report needs its articles")
        tracks[str(track_id)] = Track(
            id=str(track_id),
            keywords=lists["keywords"],
            respondent=str(respondent),
            activity=bool(activity),
            story=texts["story"],
            demand=texts["demand"],
            basis=lists["basis"],
            report=texts["report"],
            report_basis=lists["report_basis"],
        )
    for track_id in known:
        if track_id not in tracks:
            problems.append(f"{TRACKS_FILE}:1: no [[track]] for '{track_id}'")
    if problems:
        raise GuideFileError(problems)
    return tracks
