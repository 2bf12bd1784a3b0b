"""The Telegram front end: the Application, its handlers (one registration site), and operators' commands."""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommand, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackContext,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.core import BotCore
from bot.delivery import Deliverer
from bot.evidence_files import EvidenceReader
from bot.pacing import ChatPacer
from bot.throttle import FLOOD_NOTICE, Throttle, Verdict
from bot.updates import to_incoming, update_key
from guide import COMMANDS
from storage import StorageUnavailable

log = logging.getLogger(__name__)

#: Deliveries of one update the database may fail before the person is asked to send it again.
MAX_ATTEMPTS = 5
SEND_AGAIN = "抱歉，刚才这条消息没能保存（服务器暂时繁忙），什么也没有记下。请稍后再发一次 🙏"

Context = CallbackContext[ExtBot[None], dict[object, object], dict[object, object], dict[object, object]]

_GROUP_HINT = "你好！维权咨询涉及订单号等个人信息，请私聊我，点我的头像后选择“发消息”即可开始。"


class TelegramFrontend:
    """Owns the Application and turns each update into one call of :meth:`BotCore.handle`."""

    def __init__(self, core: BotCore, *, request: BaseRequest | None = None, rate_limit: bool = True) -> None:
        """``request`` replaces the HTTP layer (benchmarks and offline tests pass a fake one);
        ``rate_limit=False`` drops the outgoing limiter (only for measuring the handler stack)."""
        self.core = core
        settings = core.settings
        bot = ExtBot(
            settings.telegram_bot_token or "0:offline",
            base_url=settings.telegram_api_base_url,
            base_file_url=settings.telegram_file_base_url,
            request=request or HTTPXRequest(connection_pool_size=64, read_timeout=20.0, write_timeout=20.0),
            get_updates_request=request or HTTPXRequest(connection_pool_size=2, read_timeout=60.0),
            # Telegram's limits: about 30 messages a second overall, 20 a minute per group.
            rate_limiter=(
                AIORateLimiter(overall_max_rate=30, overall_time_period=1, max_retries=0)
                if rate_limit
                else None
            ),
        )
        builder: ApplicationBuilder = (  # type: ignore[type-arg]
            ApplicationBuilder().bot(bot).updater(None).concurrent_updates(True).context_types(ContextTypes())
        )
        self.app: Application = builder.build()  # type: ignore[type-arg]
        # About one message a second per chat (after a short burst), as Telegram asks.
        pacer = ChatPacer(rate=settings.chat_rate) if rate_limit else None
        self.deliverer = Deliverer(bot, core.storage, pacer)
        self.throttle = Throttle(limit=settings.flood_limit)
        self.unapplied: set[int] = set()  # update ids the database could not apply
        self.attempts: dict[int, int] = {}  # failed deliveries per update id
        # Every evidence file is hashed; images are also read when OCR is on.
        self.reader: EvidenceReader | None = EvidenceReader(
            core, self.app.bot, self.deliverer, read_images=core.settings.ocr_enabled
        )
        self._register(self.app)

    def _register(self, app: Application) -> None:  # type: ignore[type-arg]
        """The one place where handlers are registered."""
        operators = filters.User(user_id=list(self.core.settings.operator_ids))
        private = filters.ChatType.PRIVATE
        new_messages = filters.UpdateType.MESSAGE
        if self.core.settings.operator_ids:
            app.add_handler(
                CommandHandler("reload", self.on_reload, filters=private & operators & new_messages)
            )
            app.add_handler(
                CommandHandler("stats", self.on_stats, filters=private & operators & new_messages)
            )
        # Before every other handler: a forged update stops here (ApplicationHandlerStop).
        app.add_handler(TypeHandler(Update, self.drop_forged), group=-1)
        app.add_handler(MessageHandler(filters.ChatType.GROUPS & new_messages, self.on_group_message))
        app.add_handler(TypeHandler(Update, self.on_update))
        app.add_error_handler(self.on_error)

    async def drop_forged(self, update: Update, context: Context) -> None:
        """Ignore a private-chat update whose chat is not its sender's own (a forged update).

        In a private chat Telegram's chat id is the user's id; an update saying otherwise was
        made up to have someone else's case answered into another chat. Nothing is stored.
        """
        chat = update.effective_chat
        user = update.effective_user
        if chat is not None and user is not None and chat.type == ChatType.PRIVATE and chat.id != user.id:
            log.warning(
                "suspicious update %s ignored: private chat %s is not sender %s's",
                update.update_id,
                chat.id,
                user.id,
            )
            raise ApplicationHandlerStop

    async def on_update(self, update: Update, context: Context) -> None:
        """Every private-chat update goes through the dialogue; the rest is ignored by design."""
        chat = update.effective_chat
        user = update.effective_user
        if user is None or user.is_bot:
            return
        if chat is not None and chat.type != ChatType.PRIVATE:
            if update.callback_query is not None:
                await update.callback_query.answer()
            return
        incoming = to_incoming(
            update, operator_ids=self.core.settings.operator_ids, bot_username=self.app.bot.username or ""
        )
        query_id = update.callback_query.id if update.callback_query is not None else None
        verdict = self.throttle.check(user.id)
        if verdict is not Verdict.ALLOW:
            log.info("update %s user %s throttled (%s)", update.update_id, user.id, verdict.value)
            if verdict is Verdict.NOTIFY:
                await self.app.bot.send_message(chat.id if chat else user.id, FLOOD_NOTICE)
            return
        if incoming is None:
            self.deliverer.submit([], query_id)
            return
        chat_id = chat.id if chat is not None else user.id
        try:
            result = await self.core.handle(user.id, chat_id, update_key(update), incoming)
        except StorageUnavailable as exc:
            # Nothing was stored: leave the update unconfirmed so that Telegram delivers it again.
            log.warning(
                "update %s user %s not applied (%s); it will be retried", update.update_id, user.id, exc
            )
            self.unapplied.add(update.update_id)
            self.deliverer.submit([], query_id)
            return
        log.info(
            "update %s user %s kind %s -> %d replies%s",
            update.update_id,
            user.id,
            incoming.kind,
            len(result.entries),
            " (duplicate)" if result.duplicate else "",
        )
        self.deliverer.submit(result.entries, query_id)
        if self.reader is not None and not result.duplicate:
            self.reader.submit(user.id, chat_id, incoming)

    async def on_group_message(self, update: Update, context: Context) -> None:
        """In groups the bot speaks only when mentioned, and then invites a private chat."""
        message = update.message
        if message is None or message.from_user is None or message.from_user.is_bot:
            return
        username = (self.app.bot.username or "").lower()
        mentions = {
            text.lower()
            for text in (
                *message.parse_entities([MessageEntity.MENTION]).values(),
                *message.parse_caption_entities([MessageEntity.MENTION]).values(),
            )
        }
        commands = {text.lower() for text in message.parse_entities([MessageEntity.BOT_COMMAND]).values()}
        mentioned = bool(username) and (
            f"@{username}" in mentions or any(c.endswith(f"@{username}") for c in commands)
        )
        replied_to_bot = (
            message.reply_to_message is not None
            and message.reply_to_message.from_user is not None
            and message.reply_to_message.from_user.id == self.app.bot.id
        )
        if mentioned or replied_to_bot:
            await message.reply_text(_GROUP_HINT)

    async def on_reload(self, update: Update, context: Context) -> None:
        """Operators: reload the keyword and step files now (built off the event loop)."""
        assert update.message is not None
        keywords_ok, keyword_problems = await asyncio.to_thread(self.core.keywords.reload)
        steps_ok, step_problems = await asyncio.to_thread(self.core.steps.reload)
        log.info("operator %s reloaded the keyword and step files", update.message.chat_id)
        if keywords_ok:
            text = "✅ 关键词文件已重新加载。"
            if keyword_problems:
                text += "\n提示：\n" + _bullets(keyword_problems)
        else:
            text = "⚠️ 关键词文件有错误，仍在使用上一版：\n" + _bullets(keyword_problems)
        if steps_ok:
            text += "\n✅ 步骤文件已重新加载。"
        else:
            text += "\n⚠️ 步骤文件有错误，仍在使用上一版：\n" + _bullets(step_problems)
        await update.message.reply_text(text[:4000])

    async def on_stats(self, update: Update, context: Context) -> None:
        """Operators: anonymous usage statistics."""
        assert update.message is not None
        from bot.stats import format_stats

        stats = await self.core.storage.stats()
        await update.message.reply_text(format_stats(stats)[:4000])

    async def settle(self, update: Update) -> bool:
        """After ``process_update``: True when the update may be confirmed to Telegram.

        An update the database could not apply is not confirmed (polling fetches it again, the
        webhook answers 503 so Telegram redelivers it) up to :data:`MAX_ATTEMPTS` times; then the
        person is asked to send it again and it is confirmed, so one bad update cannot block the
        queue for good.
        """
        update_id = update.update_id
        if update_id not in self.unapplied:
            self.attempts.pop(update_id, None)
            return True
        self.unapplied.discard(update_id)
        attempts = self.attempts.get(update_id, 0) + 1
        if attempts < MAX_ATTEMPTS:
            self.attempts[update_id] = attempts
            return False
        self.attempts.pop(update_id, None)
        log.error(
            "update %s given up after %d attempts; the person is asked to send it again", update_id, attempts
        )
        chat = update.effective_chat
        if chat is not None:
            try:
                await self.app.bot.send_message(chat.id, SEND_AGAIN)
            except TelegramError as exc:
                log.warning("could not ask chat %s to send again: %s", chat.id, type(exc).__name__)
        return True

    async def on_error(self, update: object, context: Context) -> None:
        """Log the failure with its stack trace; never send internals to a chat."""
        user_id = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
        log.error("handling an update of user %s failed", user_id, exc_info=context.error)

    async def notify_operators(self, text: str) -> None:
        """Tell every operator something (e.g. that a keyword file is broken)."""
        for operator in self.core.settings.operator_ids:
            try:
                await self.app.bot.send_message(operator, text[:4000])
            except Exception as exc:  # an operator who never started the bot
                log.warning("could not notify operator %s: %s", operator, type(exc).__name__)

    async def announce_commands(self) -> None:
        """Register the command list with Telegram (setMyCommands)."""
        await self.app.bot.set_my_commands([BotCommand(name, description) for name, description in COMMANDS])


def _bullets(problems: list[str]) -> str:
    """The first ten problems, one bullet each."""
    return "\n".join(f"• {p}" for p in problems[:10])
