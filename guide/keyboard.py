"""Typed button labels: the keyboard a person last saw, and which of its buttons a text names.

People type what they see: ``返回``, ``规则没写清楚啊``, ``確認``, or the number of a button.
The buttons of the last replies wait in the scratch values (label and callback data, in the
order shown), so a typed label can be answered exactly like the press; the data still goes
through every check a pressed button's data does.
"""

from __future__ import annotations

import json
import re

from domain.messages import Button
from domain.outcome import DeleteUser
from guide import scratch
from guide.facts import simplified
from guide.render import step_reply
from guide.talk import TalkContent
from guide.turn import Turn

#: Scratch key of the last keyboard: JSON rows of ``[label, data]`` pairs, as shown.
KEYBOARD_KEY = "kb"
#: How much longer than a label a typed text may be and still name it (``返回上一步`` → ``返回``).
SLACK = 4
MAX_TYPED = 24
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]")
_PARTICLES = "啊吧呀呢哦啦嘛了哈"
_NEGATIONS = ("不", "没", "别", "未")
_NUMBER = re.compile(r"^(?:第)?([1-9][0-9]?)(?:个|项)?$")


def normalized(text: str) -> str:
    """``text`` in Simplified Chinese, lower case, without emoji, spaces or punctuation."""
    return _NOT_WORD.sub("", simplified(text[:200]).lower())


def remember(turn: Turn) -> None:
    """Store the buttons of this turn's replies as the last keyboard (none: forget it)."""
    if not turn.replies or any(isinstance(e, DeleteUser) for e in turn.effects):
        return
    shown = [
        [[button.label, button.data] for button in row] for reply in turn.replies for row in reply.buttons
    ]
    pending = {k: v for k, v in turn.pending.items() if k != KEYBOARD_KEY}
    if shown:
        pending[KEYBOARD_KEY] = json.dumps(shown, ensure_ascii=False, separators=(",", ":"))
    scratch.set_pending(turn, pending)


def last_rows(turn: Turn) -> list[list[Button]]:
    """The rows of the last keyboard, as shown (malformed scratch: none)."""
    try:
        raw = json.loads(turn.pending.get(KEYBOARD_KEY, "[]"))
    except ValueError:
        return []
    if not isinstance(raw, list):
        return []
    rows: list[list[Button]] = []
    for row in raw:
        if not isinstance(row, list):
            return []
        buttons = [
            Button(item[0], item[1])
            for item in row
            if isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)
        ]
        rows.append(buttons)
    return [row for row in rows if row]


def last_keyboard(turn: Turn) -> list[Button]:
    """The buttons of the last keyboard, in the order shown."""
    return [button for row in last_rows(turn) for button in row]


def _step_keyboard(turn: Turn) -> list[Button]:
    """The buttons of the current step (what the person returns to after a side message)."""
    case = turn.open_current
    if case is None or case.issue_type is None:
        return []
    reply = step_reply(turn.content, case)
    return [button for row in reply.buttons for button in row]


def _named(talk: TalkContent, typed: str, buttons: list[Button]) -> Button | None:
    """The one button whose label ``typed`` names, or ``None`` (none or ambiguous)."""
    if not typed or len(typed) > MAX_TYPED:
        return None
    for alias in talk.aliases:
        if typed in alias.words:
            typed = normalized(alias.label)
    bare = typed.rstrip(_PARTICLES) or typed
    labels = [(normalized(button.label), button) for button in buttons]
    exact = [button for label, button in labels if label in (typed, bare)]
    if exact:
        return exact[0]
    close = [
        button
        for label, button in labels
        if label
        and (
            (len(bare) >= 2 and bare in label)
            or (
                len(label) >= 2
                and label in typed
                and len(typed) - len(label) <= SLACK
                and not _negates(typed, label)
            )
        )
    ]
    if len({button.data for button in close}) == 1:
        return close[0]
    return None


def _negates(typed: str, label: str) -> bool:
    """True when the words around ``label`` in ``typed`` say no (``我不想结案``, ``先别结案``)."""
    return any(word in typed and word not in label for word in _NEGATIONS)


def typed_press(turn: Turn, text: str, *, numbers: bool) -> str | None:
    """The callback data of the button ``text`` names (its label, an alias or its number)."""
    typed = normalized(text.translate(_FULL_WIDTH_DIGITS))
    shown = last_keyboard(turn)
    number = _NUMBER.match(typed)
    if number is not None:
        index = int(number.group(1)) - 1
        return shown[index].data if numbers and index < len(shown) else None
    for buttons in (shown, _step_keyboard(turn)):
        found = _named(turn.content.talk, typed, buttons)
        if found is not None:
            return found.data
    return None


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
