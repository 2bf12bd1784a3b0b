"""Operators' statistics text and ``weiquan-bot doctor``."""

from __future__ import annotations

import io
from pathlib import Path

from bot.doctor import run_doctor
from bot.settings import load_settings
from bot.stats import format_stats, funnel


def test_funnel_counts_typed_cases_as_stage_one_and_shows_the_share_moving_on() -> None:
    stats = {
        "cases_by_type": {"bargain_failed": 3, "zhuli_swallowed": 1, None: 2},
        "stage_reached": {"contact": 2},
    }
    lines = funnel(stats)  # type: ignore[arg-type]
    assert "  一 确认问题: 4  → 下一阶段 50%" in lines
    assert "  二 联系客服: 2  → 下一阶段 0%" in lines
    assert "  三 投诉: 0" in lines


def test_stats_text_has_no_personal_fields() -> None:
    text = format_stats({"users": 2, "cases_by_type": {"rights_damaged": 2}, "unknown_messages": 5})
    assert "users: 2" in text
    assert "unknown_messages: 5" in text


async def test_doctor_offline_passes_on_a_fresh_setup(tmp_path: Path) -> None:
    settings = load_settings(database_url=f"sqlite:///{tmp_path}/d/w.db", data_dir=tmp_path)
    from storage import Storage

    storage = await Storage.connect(settings.database_url)  # migrate, as the bot does on start
    await storage.close()
    out = io.StringIO()
    assert await run_doctor(settings, offline=True, out=out) == 0
    assert "all good" in out.getvalue()


async def test_doctor_names_what_to_fix(tmp_path: Path) -> None:
    broken = tmp_path / "intents"
    broken.mkdir()
    (broken / "greeting.toml").write_text("id = [unclosed\n", encoding="utf-8")
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path}/d/w.db", data_dir=tmp_path, intents_dir=broken
    )
    out = io.StringIO()
    assert await run_doctor(settings, offline=False, out=out) == 1
    report = out.getvalue()
    assert "✗ intent keyword files" in report and "greeting.toml" in report
    assert "✗ Telegram: TELEGRAM_BOT_TOKEN is not set" in report
    assert "✗ database" in report  # never migrated: doctor says to run `db upgrade`
