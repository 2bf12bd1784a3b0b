"""Running the Telegram bot: our own long-polling loop and the background loops.

We poll ourselves instead of using PTB's Updater because the Updater confirms an update to
Telegram as soon as it is fetched; a crash would then lose it. Here an update is confirmed
(``offset`` advanced) only after its state change and replies are committed; a redelivered
update is recognised by its key and not applied twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.core import BotCore
from bot.delivery import retry_seconds
from bot.telegram_app import TelegramFrontend
from domain.messages import Incoming
from storage import Storage

log = logging.getLogger(__name__)

POLL_TIMEOUT = 20


async def process_batch(frontend: TelegramFrontend, updates: list[Update]) -> list[int]:
    """Apply a batch: each person's updates in order, different people concurrently.

    Returns the ids of updates that must not be confirmed (the database could not apply them);
    a person's later updates wait behind such an update, so their order is kept.
    """
    lanes: dict[int, list[Update]] = {}
    for update in updates:
        user = update.effective_user
        chat = update.effective_chat
        key = user.id if user is not None else (chat.id if chat is not None else 0)
        lanes.setdefault(key, []).append(update)
    held: list[int] = []

    async def run_lane(lane: list[Update]) -> None:
        for position, update in enumerate(lane):
            await frontend.app.process_update(update)
            if not await frontend.settle(update):
                held.extend(u.update_id for u in lane[position:])
                return

    await asyncio.gather(*(run_lane(lane) for lane in lanes.values()))
    return held


async def poll(frontend: TelegramFrontend, stop: asyncio.Event) -> None:
    """Fetch updates until ``stop`` is set; confirm each batch only after it is applied."""
    bot = frontend.app.bot
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        fetch = asyncio.create_task(
            bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES)
        )
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({fetch, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if fetch not in done:
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await fetch
            break
        try:
            updates = list(fetch.result())
        except InvalidToken:
            raise
        except (TypeError, ValueError, KeyError, AttributeError):
            # The library could not parse one of the updates; take them one by one instead of
            # losing (and endlessly refetching) the whole batch.
            updates = await _fetch_leniently(bot, offset)
        except RetryAfter as exc:
            await _pause(stop, retry_seconds(exc))
            continue
        except (NetworkError, TelegramError) as exc:
            log.warning("getUpdates failed (%s); retrying in %.0fs", type(exc).__name__, backoff)
            await _pause(stop, backoff)
            backoff = min(backoff * 2, 30.0)
            continue
        if not updates:
            backoff = 1.0
            continue
        held = await process_batch(frontend, updates)
        if not held:
            backoff = 1.0
            offset = updates[-1].update_id + 1
            continue
        # Confirm only what comes before the first update not applied; the rest is fetched
        # again (updates already applied are recognised by their key and not applied twice).
        offset = min(held)
        await _pause(stop, backoff)
        backoff = min(backoff * 2, 30.0)
    if offset is not None:
        # Confirm the last batch so a clean restart does not fetch it again.
        with contextlib.suppress(TelegramError):
            await bot.get_updates(offset=offset, timeout=0, limit=1)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    """Wait ``seconds`` before trying again, or less when a stop is asked for meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _fetch_leniently(bot: ExtBot[None], offset: int | None) -> list[Update]:
    """Fetch the pending batch as raw JSON and parse each update alone, skipping unparseable ones."""
    kwargs: dict[str, object] = {"timeout": 0, "allowed_updates": list(Update.ALL_TYPES)}
    if offset is not None:
        kwargs["offset"] = offset
    # ``do_api_request`` without a return type gives the JSON as Telegram sent it (public API).
    # Bot API method names are case-insensitive; the lower-case name keeps PTB from warning
    # that ``Bot.getUpdates`` exists (it parses strictly, which is what this fetch avoids).
    raw = await bot.do_api_request("getupdates", api_kwargs=kwargs)
    updates: list[Update] = []
    for item in raw if isinstance(raw, list) else []:
        try:
            update = Update.de_json(item, bot)
        except (TypeError, ValueError, KeyError, AttributeError):
            update_id = item.get("update_id") if isinstance(item, dict) else None
            log.warning("update %s could not be parsed and is skipped", update_id)
            if isinstance(update_id, int):
                # A placeholder keeps the offset moving past the bad update.
                updates.append(Update(update_id=update_id))
            continue
        if update is not None:
            updates.append(update)
    return updates


async def reminder_loop(core: BotCore, frontend: TelegramFrontend, interval: float) -> None:
    """Fire due reminders through the dialogue, exactly once each (keyed by reminder id)."""
    while True:
        try:
            now = datetime.now(UTC)
            for user_id, reminder in await core.storage.due_reminders(now):
                incoming = Incoming(kind="reminder", at=now, data=reminder.id)
                result = await core.handle(user_id, user_id, f"reminder:{reminder.id}", incoming)
                log.info("reminder %s fired for user %s", reminder.id, user_id)
                frontend.deliverer.submit(result.entries)
        except Exception:
            log.exception("reminder loop iteration failed")
        log.debug("reminder pass done")  # what a test waits for to know the loop went round
        await asyncio.sleep(interval)


async def redelivery_loop(frontend: TelegramFrontend, interval: float) -> None:
    """Send replies that were committed but not sent (a crash, a long outage)."""
    await frontend.deliverer.redeliver(older_than=timedelta(0))
    while True:
        await asyncio.sleep(interval)
        try:
            await frontend.deliverer.redeliver(older_than=timedelta(seconds=30))
        except Exception:
            log.exception("redelivery loop iteration failed")


#: Idempotency keys and sent outbox rows are kept this long, whatever ``RETENTION_DAYS`` says:
#: long enough for Telegram to stop redelivering an update (it gives up after about a day).
KEY_RETENTION = timedelta(days=3)
#: Words of unmatched messages (operator statistics) are forgotten when not seen for this long.
TOKEN_RETENTION = timedelta(days=30)


async def retention_pass(storage: Storage, retention_days: int, now: datetime) -> tuple[int, int]:
    """Prune keys, sent rows and unmatched-message words; purge closed cases per ``retention_days``.

    Returns (closed cases purged, bookkeeping rows pruned).
    """
    purged = 0
    if retention_days > 0:
        purged = await storage.purge_closed(now - timedelta(days=retention_days))
    pruned = await storage.prune_processed(now - KEY_RETENTION)
    pruned += await storage.prune_unknown_tokens(now - TOKEN_RETENTION)
    return purged, pruned


async def retention_loop(core: BotCore) -> None:
    """Run :func:`retention_pass` once an hour (keys are pruned even when ``RETENTION_DAYS`` is 0)."""
    while True:
        try:
            purged, pruned = await retention_pass(
                core.storage, core.settings.retention_days, datetime.now(UTC)
            )
            if purged or pruned:
                log.info("retention: purged %s closed cases, %s old update records", purged, pruned)
        except Exception:
            log.exception("retention loop iteration failed")
        await asyncio.sleep(3600)


def install_signal_handlers(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT ask for a graceful stop: the update in hand is finished first."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)


def freeze_startup_heap() -> None:
    """Keep what startup loaded (the word dictionary, keyword tables, step texts) out of GC scans.

    Those objects live as long as the process; without this, every full collection walks
    them again (about 20 ms on the machine in the README), a stall for whoever is waiting.
    """
    gc.collect()
    gc.freeze()


async def run_with_background(
    core: BotCore, frontend: TelegramFrontend, main: Callable[[asyncio.Event], Awaitable[None]]
) -> None:
    """Start the application and background loops, run ``main`` until a stop signal, shut down."""
    stop = asyncio.Event()
    install_signal_handlers(stop)
    async with frontend.app:
        await frontend.announce_commands()
        notices: set[asyncio.Task[None]] = set()

        def tell_operators(problems: list[str]) -> None:
            text = "⚠️ 关键词/步骤文件有错误，机器人继续使用上一版：\n" + "\n".join(
                f"• {p}" for p in problems[:10]
            )
            task = asyncio.get_running_loop().create_task(frontend.notify_operators(text))
            notices.add(task)
            task.add_done_callback(notices.discard)

        freeze_startup_heap()
        background = [
            asyncio.create_task(core.keywords.watch(tell_operators), name="intent-reloader"),
            asyncio.create_task(core.steps.watch(tell_operators), name="step-reloader"),
            asyncio.create_task(
                reminder_loop(core, frontend, core.settings.reminder_poll_interval), name="reminders"
            ),
            asyncio.create_task(redelivery_loop(frontend, 5.0), name="redelivery"),
            asyncio.create_task(retention_loop(core), name="retention"),
        ]
        log.info("bot @%s is running (%s mode)", frontend.app.bot.username, core.settings.mode)
        try:
            await main(stop)
        finally:
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            if frontend.reader is not None:
                await frontend.reader.close()
            await frontend.deliverer.drain()
    log.info("bot stopped")


async def run_polling(core: BotCore) -> None:
    """Run the bot with long polling until SIGTERM/SIGINT."""
    frontend = TelegramFrontend(core)

    async def main(stop: asyncio.Event) -> None:
        await frontend.app.bot.delete_webhook()
        await poll(frontend, stop)

    await run_with_background(core, frontend, main)
