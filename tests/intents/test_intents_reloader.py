"""Hot reload: a good change is picked up, a broken file keeps the last good set, deletion counts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from intents import Classifier, IntentReloader, Problem


class Recorder:
    """Collects the reloader's callbacks and wakes the test on each one."""

    def __init__(self) -> None:
        self.reloaded: list[Classifier] = []
        self.errors: list[list[Problem]] = []
        self.event = asyncio.Event()

    def on_reload(self, classifier: Classifier) -> None:
        """Record a new classifier."""
        self.reloaded.append(classifier)
        self.event.set()

    def on_error(self, problems: list[Problem]) -> None:
        """Record a broken set."""
        self.errors.append(problems)
        self.event.set()


async def change_until_noticed(recorder: Recorder, change: Callable[[], None]) -> None:
    """Apply ``change`` (again) until the watcher reacts; the watcher may still be starting."""
    # Generous for a busy machine: a reload builds a new classifier (and trains its model).
    for _ in range(60):
        change()
        try:
            await asyncio.wait_for(recorder.event.wait(), timeout=2.0)
            return
        except TimeoutError:
            continue
    pytest.fail("the reloader never noticed the change")


Watching = tuple[IntentReloader, Recorder, Path]


@pytest.fixture
async def watching(shipped_copy: Path, cache_dir: Path) -> AsyncIterator[Watching]:
    """A running reloader over a private copy of the keyword files."""
    recorder = Recorder()
    reloader = IntentReloader(shipped_copy, cache_dir, recorder.on_reload, recorder.on_error, debounce_ms=100)
    first, warnings = reloader.reload_now()
    assert first is not None and warnings == []
    task = asyncio.create_task(reloader.run())
    yield reloader, recorder, shipped_copy
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_good_change_is_picked_up(watching: Watching) -> None:
    """Adding a keyword reaches the new classifier."""
    reloader, recorder, folder = watching
    path = folder / "greeting.toml"
    original = path.read_text(encoding="utf-8")
    assert reloader.current is not None
    assert reloader.current.classify("早早早").intent == "other"

    def add_keyword() -> None:
        """Give greeting a new keyword."""
        path.write_text(original.replace("[keywords]\n", '[keywords]\n"早早早" = 3.0\n'), encoding="utf-8")

    await change_until_noticed(recorder, add_keyword)
    assert recorder.errors == []
    assert recorder.reloaded[-1].classify("早早早").intent == "greeting"
    assert reloader.current is recorder.reloaded[-1]


async def test_broken_file_keeps_the_last_good_set(watching: Watching) -> None:
    """A syntax error calls on_error with the file and line; the last good classifier stays."""
    reloader, recorder, folder = watching
    good = reloader.current
    assert good is not None

    def break_file() -> None:
        """Leave a TOML syntax error on line 2."""
        (folder / "bargain_failed.toml").write_text('id = "bargain_failed"\n[keywords\n', encoding="utf-8")

    await change_until_noticed(recorder, break_file)
    assert recorder.reloaded == []
    problems = recorder.errors[-1]
    assert any(p.file == "bargain_failed.toml" and p.line == 2 for p in problems)
    assert reloader.current is good
    assert good.classify("砍价差0.01就过期了").intent == "bargain_failed"


async def test_deleted_file_is_a_change(watching: Watching) -> None:
    """Deleting greeting.toml rebuilds without it: 你好 no longer matches."""
    _, recorder, folder = watching

    def delete() -> None:
        """Remove greeting.toml."""
        (folder / "greeting.toml").unlink(missing_ok=True)

    await change_until_noticed(recorder, delete)
    assert recorder.reloaded[-1].classify("你好").intent == "other"
    assert recorder.reloaded[-1].classify("助力被吞了").intent == "zhuli_swallowed"


def test_reload_now_reports_problems(shipped_copy: Path, cache_dir: Path) -> None:
    """/reload: (None, problems) on a broken set, (classifier, warnings) on a good one."""
    reloader = IntentReloader(shipped_copy, cache_dir, lambda c: None, lambda p: None)
    (shipped_copy / "greeting.toml").write_text(
        'id = "greeting"\nname = "问候"\nbogus = 1\n[keywords]\n"你好" = 3\n'
    )
    classifier, problems = reloader.reload_now()
    assert classifier is None
    assert [(p.file, p.line) for p in problems if p.severity == "error"] == [("greeting.toml", 3)]
    (shipped_copy / "greeting.toml").unlink()
    classifier, problems = reloader.reload_now()
    assert classifier is not None
    # The intent is switched off: its examples are ignored too (else the model would keep it alive).
    assert [p.file for p in problems] == ["greeting.toml", "greeting.examples.txt"]
    assert {p.severity for p in problems} == {"warning"}
    assert classifier.classify("你好呀").intent != "greeting"
