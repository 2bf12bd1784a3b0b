"""Hot reload (bot/hot_reload.py): a good change is picked up, a broken file keeps the last good set, deletion counts."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.core import build_classifier, build_content
from bot.hot_reload import ReloadableFolder
from guide import default_content_dir, load_content
from intents import Classifier, default_intents_dir
from intents.lexicon import default_cache_dir


class Recorder:
    """Collects the reloader's callbacks and wakes the test on each one."""

    def __init__(self) -> None:
        self.reloaded: list[Classifier] = []
        self.errors: list[list[str]] = []
        self.event = asyncio.Event()

    def on_reload(self, classifier: Classifier) -> None:
        """Record a new classifier."""
        self.reloaded.append(classifier)
        self.event.set()

    def on_error(self, problems: list[str]) -> None:
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


Watching = tuple[ReloadableFolder[Classifier], Recorder, Path]


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped keyword folder that a test may edit."""
    target = tmp_path / "keywords"
    shutil.copytree(default_intents_dir(), target)
    return target


def keyword_folder(directory: Path, **options: Any) -> ReloadableFolder[Classifier]:
    """The keyword files of ``directory`` as the bot reloads them."""
    first, warnings = build_classifier(directory, default_cache_dir())
    assert first is not None and warnings == []
    return ReloadableFolder(
        "keyword files", directory, lambda d: build_classifier(d, default_cache_dir()), first, **options
    )


@pytest.fixture
async def watching(shipped_copy: Path) -> AsyncIterator[Watching]:
    """A running reloader over a private copy of the keyword files."""
    recorder = Recorder()
    reloader = keyword_folder(shipped_copy, on_change=recorder.on_reload, debounce_ms=100)
    task = asyncio.create_task(reloader.watch(recorder.on_error))
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
    assert any(p.startswith("bargain_failed.toml:2: error: malformed TOML") for p in problems)
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


def test_reload_reports_problems_and_keeps_the_last_good_set(shipped_copy: Path) -> None:
    """/reload: (False, problems) on a broken set, (True, warnings) on a good one."""
    reloader = keyword_folder(shipped_copy)
    good = reloader.current
    (shipped_copy / "greeting.toml").write_text(
        'id = "greeting"\nname = "问候"\nbogus = 1\n[keywords]\n"你好" = 3\n'
    )
    ok, problems = reloader.reload()
    assert not ok and reloader.current is good
    [error] = [p for p in problems if ": error: " in p]
    assert error.startswith("greeting.toml:3: error: unknown field 'bogus'")
    (shipped_copy / "greeting.toml").unlink()
    ok, problems = reloader.reload()
    assert ok and reloader.current is not good
    # The intent is switched off: its examples are ignored too (else the model would keep it alive).
    assert [p.split(":")[0] for p in problems] == ["greeting.toml", "greeting.examples.txt"]
    assert all(": warning: " in p for p in problems)
    assert reloader.current.classify("你好呀").intent != "greeting"


def test_a_broken_step_file_keeps_the_last_good_content(tmp_path: Path) -> None:
    """The step files reload through the same mechanism; a broken file names its line."""
    steps = tmp_path / "steps"
    shutil.copytree(default_content_dir(), steps)
    changed: list[object] = []
    good = load_content(steps)
    folder = ReloadableFolder("step files", steps, build_content, good, on_change=changed.append)
    common = steps / "common.toml"
    common.write_text(common.read_text(encoding="utf-8") + "\nthis is = not toml [\n", encoding="utf-8")
    ok, problems = folder.reload()
    assert not ok and folder.current is good and changed == []
    assert len(problems) == 1 and problems[0].startswith("common.toml:")
    line = int(problems[0].split(":")[1])
    assert line == len(common.read_text(encoding="utf-8").splitlines())
    shutil.copy(default_content_dir() / "common.toml", common)
    ok, problems = folder.reload()
    assert ok and problems == [] and changed == [folder.current] and folder.current is not good


def test_an_unreadable_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """A folder that vanished keeps the last good set and says which folder."""
    folder = keyword_folder(shutil.copytree(default_intents_dir(), tmp_path / "keywords"))
    good = folder.current
    shutil.rmtree(tmp_path / "keywords")
    ok, problems = folder.reload()
    assert not ok and folder.current is good
    assert problems and str(tmp_path / "keywords") in problems[0]
