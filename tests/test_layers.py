"""The layers import each other only one way: each rule is checked in a fresh interpreter.

``domain`` is the leaf every layer shares (standard library only); ``storage`` loads neither
the dialogue, the classifier nor the OCR; the dialogue and the classifier load neither
telegram nor sqlalchemy. Every submodule is imported, so a late import cannot hide a breach.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import importlib, json, pkgutil, sys
before = set(sys.modules)
for package in {packages!r}:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
print(json.dumps(sorted({{name.split(".")[0] for name in set(sys.modules) - before}})))
"""


def _loaded(*packages: str) -> set[str]:
    """Top-level names of the modules that importing ``packages`` (and every submodule) loads."""
    probe = _PROBE.format(packages=packages)
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


PROJECT = {"bot", "domain", "guide", "intents", "ocr", "storage"}


def test_domain_imports_only_the_standard_library() -> None:
    loaded = _loaded("domain") - {"domain"}
    assert not loaded - set(sys.stdlib_module_names), loaded - set(sys.stdlib_module_names)


@pytest.mark.parametrize("package", ["domain", "intents", "guide", "ocr", "storage"])
def test_no_layer_but_the_glue_loads_telegram(package: str) -> None:
    assert not {"bot", "telegram"} & _loaded(package)


def test_storage_loads_neither_the_dialogue_nor_the_classifier_nor_the_ocr() -> None:
    assert not {"guide", "intents", "ocr", "bot", "jieba"} & _loaded("storage")


@pytest.mark.parametrize("package", ["guide", "intents"])
def test_the_dialogue_and_the_classifier_load_neither_telegram_nor_sqlalchemy(package: str) -> None:
    assert not {"telegram", "sqlalchemy", "storage", "bot"} & _loaded(package)


def test_the_dialogue_does_not_load_the_ocr() -> None:
    assert "ocr" not in _loaded("guide")


def test_importing_a_package_runs_no_other_layer() -> None:
    """Package ``__init__`` files stay thin: ``import storage`` alone loads no dialogue either."""
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, storage, domain; print(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert not {"guide", "intents", "ocr", "bot"} & {name.split(".")[0] for name in json.loads(done.stdout)}
