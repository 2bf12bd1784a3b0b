"""The ``intents`` subcommands, run through argparse as the main CLI would."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intents.cli import add_intents_subcommands


def run(argv: list[str], cache_dir: Path) -> int:
    """Parse ``argv`` the way the main CLI does (an ``intents`` parser owning --intents-dir) and run it."""
    parser = argparse.ArgumentParser(prog="weiquan-bot")
    intents = parser.add_subparsers(dest="command").add_parser("intents")
    intents.add_argument("--intents-dir", default=None)
    add_intents_subcommands(intents.add_subparsers(dest="intents_command", required=True))
    args = parser.parse_args(argv)
    args.cache_dir = cache_dir  # the main CLI sets it from its settings
    code: int = args.func(args)
    return code


def test_check_ok(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """intents check on the shipped files: exit 0."""
    assert run(["intents", "check"], cache_dir) == 0
    out = capsys.readouterr().out
    # Since issue 14 the check also lists examples the keyword stage sends elsewhere (warnings
    # for the operator, left visible on purpose); keyword-file examples must still all pass.
    assert "0 error(s)" in out
    assert ".toml:" not in out


def test_check_broken(shipped_copy: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """intents check on a broken folder: exit 1 and file:line on the output."""
    (shipped_copy / "greeting.toml").write_text('id = "greeting"\nname = 3\n[keywords]\n"你好" = 3\n')
    assert run(["intents", "check", "--intents-dir", str(shipped_copy)], cache_dir) == 1
    assert "greeting.toml:2: error: 'name' must be a string" in capsys.readouterr().out
    # the option of the main CLI's intents parser (before the subcommand) is honoured too
    assert run(["intents", "--intents-dir", str(shipped_copy), "check"], cache_dir) == 1
    assert "greeting.toml:2: error" in capsys.readouterr().out


def test_eval_json(tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """intents eval FILE --json --misses prints a JSON report."""
    tsv = tmp_path / "s.tsv"
    tsv.write_text("label\ttext\ngreeting\t你好\nother\t今天下雨吗\nother\t你好呀\n", encoding="utf-8")
    assert run(["intents", "eval", str(tsv), "--json", "--misses"], cache_dir) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert data["misses"] == [
        {"label": "other", "predicted": "greeting", "stage": "keywords", "text": "你好呀"}
    ]


def test_eval_table_and_bad_tsv(tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The table output, and exit 2 with file:line for a malformed TSV."""
    tsv = tmp_path / "s.tsv"
    tsv.write_text("label\ttext\ngreeting\t你好\n", encoding="utf-8")
    assert run(["intents", "eval", str(tsv)], cache_dir) == 0
    assert "accuracy: 100.00% (1/1)" in capsys.readouterr().out
    tsv.write_text("label\ttext\nbogus\t你好\n", encoding="utf-8")
    assert run(["intents", "eval", str(tsv)], cache_dir) == 2
    assert f"{tsv}:2:" in capsys.readouterr().err


def test_explain(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """intents explain TEXT prints the decision."""
    assert run(["intents", "explain", "砍价失败了"], cache_dir) == 0
    assert "decision:   bargain_failed" in capsys.readouterr().out


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`weiquan-bot intents eval ... --misses | head -1`: the command stops quietly."""
    rows = [f"greeting\t砍价差0.01没成功，第{n}次了" for n in range(4000)]  # every row a miss
    tsv = tmp_path / "big.tsv"
    tsv.write_text("label\ttext\n" + "\n".join(rows) + "\n", encoding="utf-8")
    script = Path(sys.executable).parent / "weiquan-bot"
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data")}
    with subprocess.Popen(
        [str(script), "intents", "eval", str(tsv), "--misses"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # the reader goes away with most of the report unread
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert first.startswith(b"accuracy:")
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    assert code == 141
