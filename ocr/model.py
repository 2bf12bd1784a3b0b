"""Plain data returned by the OCR engine and the screenshot reader."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.screenshots import KIND_LABELS, Kind

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class OcrText:
    """The text read from one image, one entry per visual row (boxes on one row joined by a space).

    ``scores`` holds the recognizer's confidence per line (the lowest of the row's boxes).
    ``width``/``height`` are the received image's size; ``scale`` is the downscale applied
    before recognition (1.0 when none). An image with no text has no lines (:attr:`is_blank`).
    """

    lines: list[str]
    scores: list[float] = field(default_factory=list)
    width: int = 0
    height: int = 0
    scale: float = 1.0

    @property
    def is_blank(self) -> bool:
        """True when nothing readable was found (blank, blurred or empty screenshot)."""
        return not self.lines

    @property
    def has_chinese(self) -> bool:
        """True when at least one line holds a Chinese character."""
        return any(_CJK.search(line) for line in self.lines)

    @property
    def text(self) -> str:
        """All lines joined by newlines."""
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class ScreenshotReading:
    """What a screenshot shows: its ``kind`` and the case facts it proposes (to be confirmed).

    ``facts`` uses the dialogue's fact names (``order_no``, ``amount``, ``date``, ``merchant``,
    ``product``, ``activity``, ``shortfall``, ``progress``, ``assist_count``...), values are
    normalized strings. ``confidence`` gives a value in [0, 1] per fact and for ``"kind"``.
    """

    kind: Kind
    facts: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The Chinese label of the kind (``订单详情截图``...)."""
        return KIND_LABELS[self.kind]
