"""Webhook mode: Telegram POSTs each update to us; several workers may share one PostgreSQL.

Unlike PTB's built-in webhook server, which answers 200 before the update is handled, this
one answers only after the update's state change and replies are committed. A crash before
that makes Telegram deliver the update again, and the stored update key makes the retry a
no-op that only re-sends what was not sent.
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
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


#: Seconds a connection may stay idle, or take to send its headers or its body: a client that
#: opens connections and never finishes them (slowloris) is cut off instead of holding them.
CONNECTION_TIMEOUT = 10.0
#: Connections served at once; more are closed as soon as they are accepted, so file
#: descriptors never run out (Telegram itself opens at most a few dozen, see max_connections).
MAX_CONNECTIONS = 256
#: At most one log line per this many seconds for a repeating accept error (e.g. EMFILE).
ERROR_LOG_INTERVAL = 10.0


class WebhookServer(HTTPServer):
    """tornado's ``HTTPServer`` with a cap on open connections."""

    def initialize(self, *args: Any, max_connections: int = MAX_CONNECTIONS, **kwargs: Any) -> None:
        """As ``HTTPServer.initialize``, plus ``max_connections``."""
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        self.open_connections = 0
        self.refused = RateLimitedLog("webhook: connection limit reached", ERROR_LOG_INTERVAL)

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        """Serve the connection, or close it at once when the cap is reached."""
        if self.open_connections >= self.max_connections:
            self.refused.note()
            stream.close()
            return
        self.open_connections += 1
        super().handle_stream(stream, address)

    def on_close(self, server_conn: object) -> None:
        """A served connection ended."""
        self.open_connections -= 1
        super().on_close(server_conn)


class RateLimitedLog:
    """Logs a repeating problem at most once per ``interval`` seconds, with the count suppressed."""

    def __init__(self, message: str, interval: float) -> None:
        self.message = message
        self.interval = interval
        self.suppressed = 0
        self.last = -float("inf")

    def note(self, detail: str = "") -> None:
        """One more occurrence."""
        now = time.monotonic()
        if now - self.last < self.interval:
            self.suppressed += 1
            return
        extra = f" ({self.suppressed} more since the last line)" if self.suppressed else ""
        log.warning("%s%s%s", self.message, f": {detail}" if detail else "", extra)
        self.last, self.suppressed = now, 0


def accept_error_handler(
    limiter: RateLimitedLog,
) -> Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]:
    """An event-loop exception handler that rate-limits socket errors (EMFILE on accept…)."""

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, OSError) and error.errno in (
            errno.EMFILE,
            errno.ENFILE,
            errno.ENOBUFS,
            errno.ENOMEM,
        ):
            limiter.note(f"{type(error).__name__} errno {error.errno}")
            return
        loop.default_exception_handler(context)

    return handle


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
        if not await self.frontend.settle(update):
            self.set_status(503)  # not applied: Telegram delivers it again
            self.finish({"ok": False})
            return
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
        asyncio.get_running_loop().set_exception_handler(
            accept_error_handler(RateLimitedLog("webhook: socket error", ERROR_LOG_INTERVAL))
        )
        server = WebhookServer(
            make_web_app(core, frontend),
            max_body_size=_MAX_BODY,
            idle_connection_timeout=CONNECTION_TIMEOUT,
            body_timeout=CONNECTION_TIMEOUT,
        )
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
