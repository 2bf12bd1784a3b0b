"""Shared fixtures: one classifier over the shipped keyword files, and a writer for test folders."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from intents import Classifier, default_intents_dir, load_intents

WriteFiles = Callable[[dict[str, str]], Path]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable folder for jieba's dictionary cache, shared by the whole session."""
    return tmp_path_factory.mktemp("jieba-cache")


@pytest.fixture(scope="session")
def classifier(cache_dir: Path) -> Classifier:
    """A classifier over the shipped keyword files."""
    return Classifier(load_intents(default_intents_dir()), cache_dir)


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped keyword folder that a test may edit."""
    target = tmp_path / "keywords"
    shutil.copytree(default_intents_dir(), target)
    return target


@pytest.fixture
def write_files(tmp_path: Path) -> WriteFiles:
    """Write ``{name: content}`` into a fresh folder and return it."""

    def write(files: dict[str, str]) -> Path:
        """Write the files and return their folder."""
        folder = tmp_path / "kw"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            (folder / name).write_text(content, encoding="utf-8")
        return folder

    return write
