"""Reading evidence screenshots offline: OCR off the event loop, then facts from the text.

``Recognizer`` turns image bytes into :class:`OcrText` in a worker pool (RapidOCR, PP-OCRv4
Chinese models shipped in the wheel; nothing is downloaded). ``read_screenshot`` turns the
lines into a :class:`ScreenshotReading`: the kind of screenshot and the facts it proposes.
The package imports without rapidocr installed; :func:`is_available` tells whether it is.
"""

from __future__ import annotations

from domain.screenshots import KIND_LABELS, Kind
from ocr.errors import ImageTooLarge, NotAnImage, OcrBusy, OcrError, OcrFailed, OcrUnavailable
from ocr.extract import read_screenshot
from ocr.model import OcrText, ScreenshotReading
from ocr.recognizer import Recognizer, is_available

__all__ = [
    "KIND_LABELS",
    "ImageTooLarge",
    "Kind",
    "NotAnImage",
    "OcrBusy",
    "OcrError",
    "OcrFailed",
    "OcrText",
    "OcrUnavailable",
    "Recognizer",
    "ScreenshotReading",
    "is_available",
    "read_screenshot",
]
