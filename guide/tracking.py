"""The tracking content (``guide/tracking/ladder.toml``): channels, clocks, the ladder, evidence guidance.

Loaded once and validated: every problem is reported as ``file:line: message``, like the step
files (see :mod:`guide.loader`).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, cast, get_args

from domain.case import FilingChannel
from domain.labels import FACT_LABELS
from guide.tomlfile import GuideFileError, Report, load

LADDER_FILE = "ladder.toml"
CHANNELS: tuple[str, ...] = get_args(FilingChannel)
#: Placeholders a draft may use besides the fact names.
EXTRA_PLACEHOLDERS = ("history", "today")
MAX_TEXT = 1500
MAX_DAYS = 400

ClockUnit = Literal["workdays", "days"]
ClockFrom = Literal["filed", "accepted"]


@dataclass(frozen=True, slots=True)
class ClockSpec:
    """A deadline a rule sets, counted from the filing (or its acceptance)."""

    id: str
    label: str
    count: int
    unit: ClockUnit
    start: ClockFrom
    basis: str
    todo: str


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """Somewhere a person can file: how, what to copy, which clock runs, what comes next."""

    id: str
    label: str
    keywords: tuple[str, ...]
    clock: str
    next: tuple[str, ...]
    how: str
    draft: str


@dataclass(frozen=True, slots=True)
class Tracking:
    """Everything :mod:`guide.filings` says, loaded from the tracking file."""

    channels: dict[str, ChannelSpec]
    clocks: dict[str, ClockSpec]
    evidence_guidance: str
    #: Every clock's reminder falls due this long after it starts (a setting for tests and demos).
    clock_override: timedelta | None = None

    def channel(self, channel_id: str) -> ChannelSpec:
        """The channel ``channel_id`` (validated at load: every channel id exists)."""
        return self.channels[channel_id]


def default_tracking_file() -> Path:
    """The shipped ``guide/tracking/ladder.toml``."""
    return Path(__file__).resolve().parent / "tracking" / LADDER_FILE


class _Checker(Report):
    """Collects ``file:line: message`` problems of the tracking file, with its typed checks."""

    def text(self, table: dict[str, Any], section: str, key: str, *, allow_empty: bool = False) -> str:
        value = table.get(key)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            self.add(section, key, f"'{key}' must be a {'' if allow_empty else 'non-empty '}string")
            return ""
        if len(value) > MAX_TEXT:
            self.add(section, key, f"'{key}' is {len(value)} characters, over {MAX_TEXT}")
        return value.strip()

    def placeholders(self, section: str, key: str, template: str) -> None:
        allowed = set(FACT_LABELS) | set(EXTRA_PLACEHOLDERS)
        try:
            names = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
        except ValueError as error:
            self.add(section, key, f"malformed placeholder: {error}")
            return
        for name in sorted(names - allowed):
            self.add(section, key, f"unknown placeholder {{{name}}}")


def _parse_clock(check: _Checker, clock_id: str, table: Any) -> ClockSpec | None:
    section = f"clock.{clock_id}"
    if not isinstance(table, dict):
        check.add(section, "", "must be a table")
        return None
    for key in sorted(set(table) - {"label", "count", "unit", "from", "basis", "todo"}):
        check.add(section, key, f"unknown key '{key}'")
    count = table.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 < count <= MAX_DAYS:
        check.add(section, "count", f"'count' must be a whole number of days from 1 to {MAX_DAYS}")
        count = 1
    unit, start = table.get("unit"), table.get("from")
    if unit not in get_args(ClockUnit):
        check.add(section, "unit", '\'unit\' must be "workdays" or "days"')
        unit = "days"
    if start not in get_args(ClockFrom):
        check.add(section, "from", '\'from\' must be "filed" or "accepted"')
        start = "filed"
    return ClockSpec(
        id=clock_id,
        label=check.text(table, section, "label"),
        count=count,
        unit=cast(ClockUnit, unit),
        start=cast(ClockFrom, start),
        basis=check.text(table, section, "basis"),
        todo=check.text(table, section, "todo"),
    )


def _parse_channel(check: _Checker, channel_id: str, table: Any) -> ChannelSpec | None:
    section = f"channel.{channel_id}"
    if not isinstance(table, dict):
        check.add(section, "", "must be a table")
        return None
    for key in sorted(set(table) - {"label", "keywords", "clock", "next", "how", "draft"}):
        check.add(section, key, f"unknown key '{key}'")
    keywords = table.get("keywords")
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        check.add(section, "keywords", "'keywords' must be a list of non-empty strings")
        keywords = []
    following = table.get("next")
    if not isinstance(following, list) or not all(isinstance(n, str) for n in following):
        check.add(section, "next", "'next' must be a list of channel ids")
        following = []
    draft = check.text(table, section, "draft", allow_empty=True)
    check.placeholders(section, "draft", draft)
    return ChannelSpec(
        id=channel_id,
        label=check.text(table, section, "label"),
        keywords=tuple(k.strip() for k in keywords),
        clock=check.text(table, section, "clock", allow_empty=True),
        next=tuple(following),
        how=check.text(table, section, "how"),
        draft=draft,
    )


def _cross_check(check: _Checker, channels: dict[str, ChannelSpec], clocks: dict[str, ClockSpec]) -> None:
    """Every reference resolves, and no keyword is claimed by two channels or hidden in another's."""
    for channel in channels.values():
        section = f"channel.{channel.id}"
        if channel.clock and channel.clock not in clocks:
            check.add(section, "clock", f"unknown clock '{channel.clock}'")
        for target in channel.next:
            if target not in CHANNELS:
                check.add(section, "next", f"unknown channel '{target}'")
            elif target == channel.id:
                check.add(section, "next", "a channel cannot be its own next step")
    owners: dict[str, str] = {}
    for channel in channels.values():
        for keyword in channel.keywords:
            if keyword in owners and owners[keyword] != channel.id:
                check.add(
                    f"channel.{channel.id}", "keywords", f"keyword '{keyword}' also in {owners[keyword]}"
                )
            owners.setdefault(keyword, channel.id)


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    """``data[key]`` when it is a table, else an empty one."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def load_tracking(path: Path | None = None) -> Tracking:
    """Load and validate the tracking file (default: the shipped one); raise :class:`GuideFileError`."""
    path = path if path is not None else default_tracking_file()
    data, lines = load(path)
    check = _Checker(path.name, lines)
    for key in sorted(set(data) - {"channel", "clock", "guidance"}):
        check.add("", key, f"unknown table '{key}'")
    raw_clocks = _table(data, "clock")
    raw_channels = _table(data, "channel")
    clocks: dict[str, ClockSpec] = {}
    for clock_id, table in raw_clocks.items():
        if clock := _parse_clock(check, clock_id, table):
            clocks[clock_id] = clock
    channels: dict[str, ChannelSpec] = {}
    for channel_id, table in raw_channels.items():
        if channel_id not in CHANNELS:
            check.add(
                f"channel.{channel_id}", "", f"unknown channel '{channel_id}' (one of {', '.join(CHANNELS)})"
            )
        elif channel := _parse_channel(check, channel_id, table):
            channels[channel_id] = channel
    for channel_id in CHANNELS:
        if channel_id not in raw_channels:
            check.add("", "", f"channel '{channel_id}' is missing")
    _cross_check(check, channels, clocks)
    evidence = check.text(_table(data, "guidance"), "guidance", "evidence")
    if check.problems:
        raise GuideFileError(check.problems)
    return Tracking(channels=channels, clocks=clocks, evidence_guidance=evidence)
