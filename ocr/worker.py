"""What runs inside a pool worker: the lazily loaded RapidOCR engine and one recognition.

The engine is loaded once per worker process (or once per thread pool) on first use, with
onnxruntime limited to one thread so a core stays free for the event loop.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from ocr.errors import OcrError, OcrFailed
from ocr.image import decode, tiles
from ocr.model import OcrText

TILE_OVERLAP = 120  # px; taller than any text row of a screenshot at tile scale
_engine: Any = None
_engine_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits a worker applies to one image."""

    max_pixels: int
    max_side: int


@dataclass(frozen=True, slots=True)
class Box:
    """One recognised text box: its vertical span, left edge, text and score."""

    top: float
    bottom: float
    left: float
    text: str
    score: float


def init_process(nice: int) -> None:
    """Pool initializer: one thread for every numeric library, lower CPU priority than the bot."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    if nice:
        os.nice(nice)


def engine() -> Any:
    """The RapidOCR engine of this process, loaded on first use (models ship in the wheel)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            import cv2
            from rapidocr_onnxruntime import RapidOCR

            cv2.setNumThreads(1)
            _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, print_verbose=False)
        return _engine


def warm_up() -> int:
    """Load the engine now; returns the worker's process id."""
    engine()
    return os.getpid()


def rows(boxes: list[Box]) -> list[tuple[str, float]]:
    """Group boxes into visual rows (vertical overlap), left to right, as (text, lowest score)."""
    grouped: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        if grouped:
            row = grouped[-1]
            top = min(b.top for b in row)
            bottom = max(b.bottom for b in row)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap > 0.5 * min(bottom - top, box.bottom - box.top):
                row.append(box)
                continue
        grouped.append([box])
    result = []
    for row in grouped:
        ordered = sorted(row, key=lambda b: b.left)
        result.append((" ".join(b.text for b in ordered), min(b.score for b in ordered)))
    return result


def _read_boxes(image: Any, max_side: int) -> list[Box]:
    """Every text box of ``image``, long screenshots read tile by tile (coordinates in ``image``)."""
    boxes = []
    for top, bottom, keep_from, keep_to in tiles(image.height, max_side, TILE_OVERLAP):
        tile = image if (top, bottom) == (0, image.height) else image.crop((0, top, image.width, bottom))
        result, _ = engine()(tile)
        for points, text, score in result or ():
            cleaned = str(text).strip()
            ys = [float(p[1]) + top for p in points]
            centre = (min(ys) + max(ys)) / 2
            if cleaned and keep_from <= centre < keep_to:
                boxes.append(Box(min(ys), max(ys), min(float(p[0]) for p in points), cleaned, float(score)))
    return boxes


def recognize(data: bytes, limits: Limits) -> OcrText:
    """Decode ``data`` and read its text; raises an :class:`OcrError` subclass, never anything else."""
    try:
        image, width, height = decode(data, limits.max_pixels, limits.max_side)
        boxes = _read_boxes(image, limits.max_side)
    except OcrError:
        raise
    except Exception as exc:  # Pillow's or the engine's own failures, whatever their type
        raise OcrFailed(type(exc).__name__) from None
    grouped = rows(boxes)
    return OcrText(
        lines=[text for text, _ in grouped],
        scores=[round(score, 3) for _, score in grouped],
        width=width,
        height=height,
        scale=round(image.width / width, 4) if width else 1.0,
    )
