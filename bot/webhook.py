"""Webhook mode: Telegram POSTs each update to us; several workers may share one PostgreSQL.

Unlike PTB's built-in webhook server, which answers 200 before the update is handled, this
one answers only after the update's state change and replies are committed. A crash before
that makes Telegram deliver the update again, and the stored update key makes the retry a
no-op that only re-sends what was not sent.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.web import Application as TornadoApp
from tornado.web import RequestHandler

from bot.core import BotCore
from bot.delivery import delivery_bucket
from bot.runner import run_with_background
from bot.settings import WEBHOOK_SECRET_REQUIRED, SettingsError
from bot.telegram_app import TelegramFrontend

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
HEALTH_PATH = "/healthz"
_MAX_BODY = 1_000_000
#: How long the webhook waits for an update's replies before answering Telegram anyway.
_REPLY_WAIT = 10.0


class _WebhookHandler(RequestHandler):
    """POST /telegram/webhook: one update, answered after it is applied."""

    def initialize(self, frontend: TelegramFrontend, secret: str) -> None:
        self.frontend = frontend
        self.secret = secret

    async def post(self) -> None:
        if self.secret:
            given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given.encode(), self.secret.encode()):
                log.warning("webhook call with a wrong secret token rejected")
                self.set_status(403)
                self.finish({"ok": False})
                return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.frontend.app.bot)
        except Exception:
            self.set_status(400)
            self.finish({"ok": False, "description": "not a Telegram update"})
            return
        if update is None:
            self.set_status(400)
            self.finish({"ok": False})
            return
        bucket: list[asyncio.Task[None]] = []
        token = delivery_bucket.set(bucket)
        try:
            await self.frontend.app.process_update(update)
        finally:
            delivery_bucket.reset(token)
        if bucket:
            await asyncio.wait(bucket, timeout=_REPLY_WAIT)
        self.finish({"ok": True})


class _HealthHandler(RequestHandler):
    """GET /healthz: 200 when the database answers."""

    def initialize(self, core: BotCore) -> None:
        self.core = core

    async def get(self) -> None:
        try:
            await asyncio.wait_for(self.core.storage.load_view(0), timeout=5)
        except Exception:
            self.set_status(503)
            self.finish({"ok": False})
            return
        self.finish({"ok": True})


def make_web_app(core: BotCore, frontend: TelegramFrontend) -> TornadoApp:
    """The tornado application serving the webhook and health check."""
    return TornadoApp(
        [
            (WEBHOOK_PATH, _WebhookHandler, {"frontend": frontend, "secret": core.settings.webhook_secret}),
            (HEALTH_PATH, _HealthHandler, {"core": core}),
        ]
    )


async def run_webhook(core: BotCore) -> None:
    """Serve the webhook until SIGTERM/SIGINT; register it with Telegram when WEBHOOK_URL is set."""
    settings = core.settings
    if not settings.webhook_secret:
        raise SettingsError(WEBHOOK_SECRET_REQUIRED)
    host, _, port = settings.webhook_listen.rpartition(":")
    frontend = TelegramFrontend(core)

    async def main(stop: asyncio.Event) -> None:
        server = HTTPServer(make_web_app(core, frontend), max_body_size=_MAX_BODY)
        server.listen(int(port), address=host or "0.0.0.0")
        if settings.webhook_url:
            await frontend.app.bot.set_webhook(
                settings.webhook_url.rstrip("/") + WEBHOOK_PATH,
                secret_token=settings.webhook_secret or None,
                allowed_updates=Update.ALL_TYPES,
            )
        log.info("webhook listening on %s", settings.webhook_listen)
        try:
            await stop.wait()
        finally:
            server.stop()
            await server.close_all_connections()

    await run_with_background(core, frontend, main)
