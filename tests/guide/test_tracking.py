"""The tracking file is validated when it loads; each problem names the file and the line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guide.tomlfile import GuideFileError
from guide.tracking import CHANNELS, default_tracking_file, load_tracking


def test_shipped_file_loads_every_channel_and_clock() -> None:
    tracking = load_tracking()
    assert set(tracking.channels) == set(CHANNELS)
    assert {"acceptance", "mediation", "odr", "report_check", "promised"} <= set(tracking.clocks)
    assert tracking.clocks["acceptance"].count == 7 and tracking.clocks["acceptance"].unit == "workdays"
    assert tracking.clocks["mediation"].count == 60 and tracking.clocks["mediation"].unit == "days"
    assert tracking.clocks["odr"].count == 10
    # Deadlines the reference marks secondary or does not give are hedged.
    assert "未核实" in tracking.clocks["odr"].basis and "未核实" in tracking.clocks["report_check"].basis
    assert "可信时间戳" in tracking.evidence_guidance and "公证" in tracking.evidence_guidance


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = default_tracking_file().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "ladder.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line
    )


@pytest.mark.parametrize(
    ("old", "new", "message", "needle"),
    [
        ('next = ["platform"]', 'next = ["nowhere"]', "unknown channel 'nowhere'", 'next = ["nowhere"]'),
        ('clock = "odr"', 'clock = "never"', "unknown clock 'never'", 'clock = "never"'),
        ("count = 7", "count = 0", "'count' must be", "count = 0"),
        ('unit = "days"', 'unit = "weeks"', "'unit' must be", 'unit = "weeks"'),
        (
            "订单号：{order_no}　下单日期",
            "订单号：{order}　下单日期",
            "unknown placeholder {order}",
            "draft = ",
        ),
        (
            'keywords = ["黑猫投诉", "黑猫"]',
            'keywords = ["黑猫投诉", "消协"]',
            "keyword '消协' also in",
            '"消协"]',
        ),
    ],
)
def test_problems_name_file_and_line(tmp_path: Path, old: str, new: str, message: str, needle: str) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(GuideFileError) as caught:
        load_tracking(path)
    (problem,) = [p for p in caught.value.problems if message in p]
    assert problem.startswith("ladder.toml:")
    line = int(problem.split(":")[1])
    if needle != "draft = ":
        assert line == _line_of(path, needle)


def test_malformed_toml_and_missing_channel(tmp_path: Path) -> None:
    path = _broken(tmp_path, "[channel.heimao]", "[channel.heimao")
    with pytest.raises(GuideFileError, match=r"ladder.toml:\d+: malformed TOML"):
        load_tracking(path)
    path = _broken(tmp_path, "[channel.heimao]", "[channel.unknown]")
    with pytest.raises(GuideFileError) as caught:
        load_tracking(path)
    assert any("unknown channel 'unknown'" in p for p in caught.value.problems)
    assert any("channel 'heimao' is missing" in p for p in caught.value.problems)


def test_the_ladder_diagram_draws_the_files_next_steps() -> None:
    diagram = (Path(__file__).parents[2] / "guide" / "ladder.mmd").read_text(encoding="utf-8")
    arrows = set(re.findall(r"(\w+)(?:\[[^\]]*\])? --> (\w+)", diagram))
    tracking = load_tracking()
    expected = {(channel.id, target) for channel in tracking.channels.values() for target in channel.next}
    assert arrows == expected
