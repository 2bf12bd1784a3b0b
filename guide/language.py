"""Messages in another language: a short note that the bot speaks Chinese, and the way on."""

from __future__ import annotations

import re

from guide import callbacks
from guide.render import nav_button, type_buttons
from guide.turn import Turn

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: Fewer letters than this ("ok", "jd") is no language to answer about.
MIN_LETTERS = 4


def is_foreign(text: str) -> bool:
    """True when ``text`` has no Chinese character but at least a few letters of another script."""
    if _CJK.search(text):
        return False
    return sum(1 for ch in text if ch.isalpha()) >= MIN_LETTERS


def note(turn: Turn) -> None:
    """Say (in Chinese and English) that the bot speaks Chinese; offer the types or the way back."""
    text = turn.content.talk.message("other_language")
    case = turn.open_current
    if case is not None and case.issue_type is not None:
        turn.say(text, [[nav_button(case, "▶️ 继续当前步骤", "resume")]])
        return
    turn.say(text, type_buttons(case.id if case is not None else callbacks.NEW))
