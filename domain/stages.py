"""The stages of a case: fixed ids, in order, and their short Chinese names."""

from __future__ import annotations

from typing import Final

#: Stage ids in order; the step files must define exactly these.
STAGE_IDS: Final[tuple[str, ...]] = ("confirm", "contact", "complain", "legal", "cautions")

#: Stage id -> short Chinese name (the step files give the displayed titles).
STAGE_NAMES: Final[dict[str, str]] = {
    "confirm": "一、确认问题",
    "contact": "二、联系平台客服",
    "complain": "三、投诉",
    "legal": "四、法律途径",
    "cautions": "五、注意事项",
}
