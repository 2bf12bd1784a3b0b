"""The console script as people use it: terminal chat without a token, clear setting errors, eval."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.botproc import SCRIPT


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "OPERATOR_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'd' / 'w.db'}", DATA_DIR=str(tmp_path / "d"))
    env.update(extra)
    return env


def _run(tmp_path: Path, args: list[str], stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(tmp_path, **extra),
        cwd=tmp_path,
        timeout=60,
    )


def test_run_without_token_starts_terminal_chat(tmp_path: Path) -> None:
    result = _run(tmp_path, ["run"], stdin="拼多多砍价砍到最后差0.01一直不动\n1\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stderr  # one line on how to connect Telegram
    out = result.stdout
    assert "[1]" in out  # buttons shown as numbered choices
    assert "砍价" in out
    assert (tmp_path / "d" / "w.db").exists()


def test_terminal_chat_continues_the_case(tmp_path: Path) -> None:
    _run(tmp_path, ["chat"], stdin="优惠券一直没到账，说好的满减也没给\n/quit\n")
    second = _run(tmp_path, ["chat"], stdin="/quit\n")
    assert second.returncode == 0
    assert "权益受损" in second.stdout  # the status of the saved case is shown on return


def test_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    result = _run(tmp_path, ["run"], OPERATOR_IDS="12,abc")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "OPERATOR_IDS" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "extra"), [(["run", "--webhook"], {}), (["run"], {"MODE": "webhook"})])
def test_webhook_mode_refuses_to_start_without_a_secret(
    tmp_path: Path, args: list[str], extra: dict[str, str]
) -> None:
    result = _run(tmp_path, args, TELEGRAM_BOT_TOKEN="123:abc", WEBHOOK_LISTEN="127.0.0.1:1", **extra)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "WEBHOOK_SECRET" in lines[0]
    assert "Traceback" not in result.stderr and not (tmp_path / "d" / "w.db").exists()


def test_intents_eval_json(tmp_path: Path) -> None:
    tsv = tmp_path / "mini.tsv"
    tsv.write_text(
        "label\ttext\tnote\n"
        "zhuli_swallowed\t好友帮我助力了可是进度没变\t\n"
        "bargain_failed\t砍价砍到最后一刀怎么都砍不动\t\n"
        "greeting\t你好\t\n"
        "other\t今晚吃什么好呢\t\n",
        encoding="utf-8",
    )
    result = _run(tmp_path, ["intents", "eval", str(tsv), "--json"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"accuracy", "per_label", "confusion"} <= set(report)
    assert 0.0 <= report["accuracy"] <= 1.0
    assert sum(sum(row.values()) for row in report["confusion"].values()) == 4


def test_intents_unknown_lists_the_words_of_unmatched_messages(tmp_path: Path) -> None:
    """`intents unknown` reads the database: nothing at first, then words of a message that matched nothing."""
    empty = _run(tmp_path, ["intents", "unknown"])
    assert empty.returncode == 0, empty.stderr
    assert "还没有未识别消息的统计" in empty.stdout
    _run(tmp_path, ["chat"], stdin="我们去公园散步吧\n公园里人很多\n/quit\n")
    result = _run(tmp_path, ["intents", "unknown", "--limit", "1"])
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    count, word = line.split()
    assert (int(count), word) == (2, "公园")
