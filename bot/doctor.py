"""``weiquan-bot doctor``: check everything the bot needs and say what to fix."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.settings import Settings


async def run_doctor(settings: Settings, *, offline: bool = False, out: TextIO = sys.stdout) -> int:
    """Run every check; exit code 0 when all pass, 1 otherwise."""
    checks: list[tuple[str, Callable[[], Awaitable[str]]]] = [
        ("guide step files", lambda: _check_guide(settings)),
        ("intent keyword files", lambda: _check_intents(settings)),
        ("database", lambda: _check_database(settings)),
    ]
    if not offline:
        checks.append(("Telegram", lambda: _check_telegram(settings)))
    failed = 0
    out.write("✓ settings: loaded\n")
    for name, check in checks:
        try:
            detail = await check()
        except Exception as exc:
            failed += 1
            out.write(f"✗ {name}: {exc}\n")
        else:
            out.write(f"✓ {name}: {detail}\n")
    out.write("all good\n" if not failed else f"{failed} check(s) failed\n")
    return 1 if failed else 0


async def _check_guide(settings: Settings) -> str:
    from guide import load_content

    load_content(settings.guide_dir)
    return "valid"


async def _check_intents(settings: Settings) -> str:
    from bot.core import settings_intents_dir
    from intents import check_intents

    directory = settings_intents_dir(settings)
    problems = check_intents(directory)
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if errors:
        raise RuntimeError("; ".join(str(p) for p in errors[:5]) + " — fix the file and line named")
    return f"valid ({directory}, {len(problems)} warning(s))"


async def _check_database(settings: Settings) -> str:
    from storage import Storage

    storage = await Storage.connect(settings.database_url, migrate=False)
    try:
        await storage.stats()
    except Exception as exc:
        raise RuntimeError(
            f"{type(exc).__name__}; run `weiquan-bot db upgrade` or fix DATABASE_URL"
        ) from None
    finally:
        await storage.close()
    return "reachable and migrated"


async def _check_telegram(settings: Settings) -> str:
    if not settings.telegram_bot_token:
        raise RuntimeError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
    from telegram import Bot

    bot = Bot(
        settings.telegram_bot_token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_base_url,
    )
    async with bot:
        me = await bot.get_me()
    return f"reachable as @{me.username}"
