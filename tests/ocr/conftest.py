"""Fixtures of the OCR tests: the committed screenshots, their expectations and one shared recognizer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ocr import Recognizer, is_available

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED: dict[str, dict[str, object]] = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))

needs_ocr = pytest.mark.skipif(not is_available(), reason="rapidocr-onnxruntime is not installed")


def fixture_bytes(name: str) -> bytes:
    """The bytes of one committed fixture image."""
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def recognizer() -> Iterator[Recognizer]:
    """One process-pool recognizer per test module (the model loads once per worker)."""
    if not is_available():
        pytest.skip("rapidocr-onnxruntime is not installed")
    # Generous: a loaded 2-core machine can take minutes over the long fixtures (the timeout
    # itself is tested with its own recognizers).
    shared = Recognizer(max_workers=1, max_queue=2, timeout=600)
    yield shared
    asyncio.run(shared.close())
