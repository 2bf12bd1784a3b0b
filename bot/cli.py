"""The ``weiquan-bot`` command: run the bot, chat in the terminal, operators' tools.

Everything is built here, in :func:`main`, and passed down; a bad setting or a broken
content file ends in one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot.settings import WEBHOOK_SECRET_REQUIRED, Settings, SettingsError, load_settings

log = logging.getLogger(__name__)

CONNECT_HINT = (
    "未设置 TELEGRAM_BOT_TOKEN，进入终端对话模式。"
    " To connect Telegram: set TELEGRAM_BOT_TOKEN=<token from @BotFather> (in the environment or .env) and run again."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from intents.cli import add_intents_subcommands

    parser = argparse.ArgumentParser(prog="weiquan-bot", description="维权助手 — consumer-rights helper bot")
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="run the Telegram bot (terminal chat when no token is set)")
    run.add_argument(
        "--webhook", action="store_true", help="serve Telegram's webhook instead of long polling"
    )
    run.set_defaults(func=_cmd_run)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--user", type=int, default=1, help="local user id of this conversation (default 1)")
    chat.set_defaults(func=_cmd_chat)

    intents = sub.add_parser("intents", help="check, evaluate and explain the intent keyword files")
    intents.add_argument(
        "--intents-dir", default=None, help="keyword folder (default: INTENTS_DIR or the shipped files)"
    )
    intents_sub = intents.add_subparsers(dest="intents_command", required=True)
    add_intents_subcommands(intents_sub)
    unknown = intents_sub.add_parser("unknown", help="most frequent tokens of messages that matched nothing")
    unknown.add_argument("--limit", type=int, default=30)
    unknown.set_defaults(func=_cmd_unknown)

    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations (default: to the newest)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(func=_cmd_db_upgrade)
    downgrade = db_sub.add_parser("downgrade", help="revert migrations to REVISION")
    downgrade.add_argument("revision")
    downgrade.set_defaults(func=_cmd_db_downgrade)

    stats = sub.add_parser("stats", help="anonymous usage statistics")
    stats.set_defaults(func=_cmd_stats)

    doctor = sub.add_parser("doctor", help="check settings, database, content files and Telegram")
    doctor.add_argument("--offline", action="store_true", help="skip the Telegram reachability check")
    doctor.set_defaults(func=_cmd_doctor)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        args = parser.parse_args(["run", *(argv or [])])
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"weiquan-bot: {exc}", file=sys.stderr)
        return 2
    from bot.logs import setup_logging

    setup_logging(settings.log_level_number, settings.log_format, settings.telegram_bot_token)
    args.settings = settings
    if getattr(args, "intents_dir", None) is None and hasattr(args, "intents_command"):
        from bot.core import settings_intents_dir

        args.intents_dir = settings_intents_dir(settings)
    args.cache_dir = settings.cache_folder
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`weiquan-bot intents eval ... | head`): stop quietly, as the
        # Python docs advise, with stdout pointed at /dev/null so the final flush cannot fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except _StartupError as exc:
        print(f"weiquan-bot: {exc}", file=sys.stderr)
        return 2


class _StartupError(Exception):
    """Content or database could not be opened; the message says which and why."""


def _run(coro: Coroutine[Any, Any, int | None]) -> int:
    return asyncio.run(coro) or 0


async def _make_core(settings: Settings) -> Any:
    from bot.core import BotCore
    from guide import GuideFileError
    from intents import IntentFileError
    from storage import StorageConfigError

    try:
        return await BotCore.create(settings)
    except (GuideFileError, IntentFileError, StorageConfigError) as exc:
        raise _StartupError(str(exc)) from None
    except OSError as exc:
        raise _StartupError(f"cannot open the database from DATABASE_URL: {exc}") from None


def _cmd_run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    if not settings.telegram_bot_token:
        print(CONNECT_HINT, file=sys.stderr)
        return _cmd_chat(args)
    webhook = args.webhook or settings.mode == "webhook"
    if webhook and not settings.webhook_secret:
        print(f"weiquan-bot: {WEBHOOK_SECRET_REQUIRED}", file=sys.stderr)
        return 2

    async def go() -> None:
        core = await _make_core(settings)
        try:
            if webhook:
                from bot.webhook import run_webhook

                await run_webhook(core)
            else:
                from bot.runner import run_polling

                await run_polling(core)
        finally:
            await core.close()

    return _run(go())


def _cmd_chat(args: argparse.Namespace) -> int:
    async def go() -> None:
        from bot.terminal import chat

        core = await _make_core(args.settings)
        try:
            await chat(core, getattr(args, "user", 1))
        finally:
            await core.close()

    return _run(go())


def _cmd_unknown(args: argparse.Namespace) -> int:
    async def go() -> None:
        from storage import Storage

        storage = await Storage.connect(args.settings.database_url)
        try:
            rows = await storage.unknown_tokens(limit=args.limit)
        finally:
            await storage.close()
        if not rows:
            print("还没有未识别消息的统计。 (no unmatched messages recorded yet)")
        for token, count in rows:
            print(f"{count:6d}  {token}")

    return _run(go())


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.migrate import upgrade

    upgrade(args.settings.database_url, args.revision)
    print(f"database upgraded to {args.revision}")
    return 0


def _cmd_db_downgrade(args: argparse.Namespace) -> int:
    from storage.migrate import downgrade

    downgrade(args.settings.database_url, args.revision)
    print(f"database downgraded to {args.revision}")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    async def go() -> None:
        from bot.stats import format_stats
        from storage import Storage

        storage = await Storage.connect(args.settings.database_url)
        try:
            print(format_stats(await storage.stats()))
        finally:
            await storage.close()

    return _run(go())


def _cmd_doctor(args: argparse.Namespace) -> int:
    from bot.doctor import run_doctor

    return _run(run_doctor(args.settings, offline=args.offline))
