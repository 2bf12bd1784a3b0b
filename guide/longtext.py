"""Long messages (a rant, a whole story): a brief ack, the facts, the questions answered, no reminder unasked.

A long message is still classified and mined for facts as any other; on top of that the bot
says briefly that it read it all, answers the common questions found in its sentences, and
offers the follow-up reminder instead of setting it (a story that mentions customer service
is no request for a reminder).
"""

from __future__ import annotations

import re
from datetime import timedelta

from domain.case import CaseState
from domain.limits import MAX_MESSAGE_LENGTH
from domain.messages import Reply
from guide import followup
from guide.questionbook import QuestionSpec
from guide.render import nav_button
from guide.turn import Turn

#: A text longer than this (in characters) is a long message.
LONG_TEXT = 150
MAX_ANSWERS = 3
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def is_long(text: str) -> bool:
    """True when ``text`` is a long message."""
    return len(text.strip()) > LONG_TEXT


def questions_in(turn: Turn, text: str) -> tuple[QuestionSpec, ...]:
    """The common questions asked in the sentences of ``text`` (each once, at most three)."""
    found: dict[str, QuestionSpec] = {}
    for sentence in _SENTENCE.findall(text[:MAX_MESSAGE_LENGTH]):
        for spec in turn.content.question_book.asked(sentence):
            found.setdefault(spec.id, spec)
    return tuple(found.values())[:MAX_ANSWERS]


def acknowledge(turn: Turn, asked: tuple[QuestionSpec, ...]) -> None:
    """Put a one-line acknowledgement first, and the answers to the questions last."""
    turn.replies.insert(0, Reply(turn.content.talk.message("long_ack")))
    if asked:
        text = "\n\n".join(f"{q.answer}\n（依据：{q.source}）" for q in asked)
        turn.say(text)


def offer_reminder(turn: Turn, case: CaseState, delay: timedelta) -> None:
    """Ask whether to set the follow-up reminder (the person said customer service was contacted)."""
    rows = [[nav_button(case, "⏰ 好，提醒我", "contacted"), nav_button(case, "不用提醒", "resume")]]
    turn.say(turn.content.talk.message("reminder_offer").replace("{delay}", followup.delay_text(delay)), rows)
