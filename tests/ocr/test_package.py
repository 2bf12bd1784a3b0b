"""The package imports cheaply and without the OCR engine; reading text needs nothing but Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    """Run ``code`` in a fresh interpreter at the repository root; its stdout."""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_ocr_loads_no_engine() -> None:
    heavy = ("rapidocr_onnxruntime", "onnxruntime", "cv2", "numpy", "PIL")
    code = f"import sys, ocr; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    assert _run(code) == "[]"


def test_without_the_engine_the_package_still_reads_text() -> None:
    code = (
        "import sys\n"
        "sys.modules['rapidocr_onnxruntime'] = None\n"
        "import ocr\n"
        "print(ocr.is_available(), ocr.read_screenshot(['订单详情', '实付款 ¥9.90']).facts['amount'])\n"
    )
    assert _run(code) == "False 9.90"
