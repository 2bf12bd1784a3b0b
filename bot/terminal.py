"""The same conversation in a terminal: buttons become numbered choices.

``weiquan-bot chat`` (and ``make run`` without a token) uses the real dialogue and the real
database, so a case started here is a case like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple, TextIO

from bot.core import BotCore
from domain.messages import Button, Incoming, Reply
from storage import OutboxEntry

HELP = "（输入文字交谈；输入数字选择按钮；/help 查看命令；/photo 说明 模拟发送截图；/quit 退出）"


class ShownButton(NamedTuple):
    """A numbered button and the message it sits on (a press carries both, as in Telegram)."""

    button: Button
    message_text: str
    message_id: int


def render(replies: list[Reply], out: TextIO) -> list[ShownButton]:
    """Print replies; return the buttons in the order they were numbered."""
    buttons: list[ShownButton] = []
    # Message ids unique across terminal sessions, like Telegram's within a chat.
    first_id = time.time_ns() // 1_000_000 % 2**31
    for number, reply in enumerate(replies):
        if reply.document is not None:
            out.write(
                f"\n📎 {reply.document.filename}\n{reply.document.content.decode('utf-8', 'replace')}\n"
            )
            continue
        out.write(f"\n{reply.text}\n")
        for row in reply.buttons:
            cells = []
            for button in row:
                buttons.append(ShownButton(button, reply.text, first_id + number))
                cells.append(f"[{len(buttons)}] {button.label}")
            out.write("   ".join(cells) + "\n")
    out.flush()
    return buttons


def parse_line(line: str, buttons: list[ShownButton]) -> Incoming | None:
    """The event a typed line stands for, or ``None`` for an empty line / unknown number."""
    now = datetime.now(UTC)
    text = line.strip()
    if not text:
        return None
    if text.isdigit() and buttons:
        index = int(text) - 1
        if 0 <= index < len(buttons):
            shown = buttons[index]
            return Incoming(
                kind="button",
                at=now,
                data=shown.button.data,
                message_text=shown.message_text,
                message_id=shown.message_id,
            )
        return None
    if text.startswith("/photo"):
        caption = text[len("/photo") :].strip()
        stamp = now.strftime("%H%M%S%f")
        return Incoming(
            kind="photo", at=now, file_id=f"terminal-{stamp}", file_unique_id=stamp, caption=caption
        )
    if text.startswith("/"):
        head, _, args = text.partition(" ")
        return Incoming(kind="command", at=now, command=head[1:].lower(), args=args.strip())
    return Incoming(kind="text", at=now, text=text)


async def _deliver(core: BotCore, entries: list[OutboxEntry], out: TextIO) -> list[ShownButton]:
    """Print replies and mark them sent; return the buttons now on screen."""
    for entry in entries:
        await core.storage.mark_sent(entry.id, None)
    return render([entry.reply for entry in entries], out)


async def _reminders(core: BotCore, user_id: int, out: TextIO, shown: list[list[ShownButton]]) -> None:
    """Fire this person's due reminders while the terminal waits for input (as the bot does)."""
    while True:
        await asyncio.sleep(min(core.settings.reminder_poll_interval, 5.0))
        now = datetime.now(UTC)
        for owner, reminder in await core.storage.due_reminders(now):
            if owner != user_id:
                continue  # someone else's case (Telegram's): the bot process sends those
            incoming = Incoming(kind="reminder", at=now, data=reminder.id)
            result = await core.handle(user_id, user_id, f"reminder:{reminder.id}", incoming)
            if result.entries:
                out.write("\n")
                shown[0] = await _deliver(core, result.entries, out)
                out.write("> ")
                out.flush()


async def chat(
    core: BotCore,
    user_id: int,
    *,
    read_line: Callable[[], str] | None = None,
    out: TextIO = sys.stdout,
) -> None:
    """Run the dialogue against stdin/stdout until /quit or end of input."""
    reader = read_line or (lambda: input("> "))
    out.write(f"维权助手 · 终端模式 {HELP}\n")
    shown: list[list[ShownButton]] = [[]]
    view = await core.storage.load_view(user_id)
    pending: Incoming | None = Incoming(
        kind="command", at=datetime.now(UTC), command="start" if view.current_case is None else "status"
    )
    reminders = asyncio.create_task(_reminders(core, user_id, out, shown))
    try:
        while True:
            if pending is not None:
                result = await core.handle(user_id, user_id, None, pending)
                # Numbers always refer to the buttons of the latest answer.
                shown[0] = await _deliver(core, result.entries, out)
            try:
                line = await asyncio.to_thread(reader)
            except (EOFError, KeyboardInterrupt):
                out.write("\n再见！下次输入 weiquan-bot chat 继续。\n")
                return
            if line.strip() in ("/quit", "/exit", "quit", "exit"):
                out.write("再见！下次输入 weiquan-bot chat 继续。\n")
                return
            pending = parse_line(line, shown[0])
            if pending is None and line.strip():
                out.write("没有这个选项，请输入上面列出的数字或直接打字。\n")
    finally:
        reminders.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reminders
