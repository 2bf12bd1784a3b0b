"""A fake Telegram Bot API server (aiohttp) for end-to-end tests of the real bot.

Start it in the test's event loop::

    async with FakeTelegram(token="123456:TEST-TOKEN") as tg:
        bot = telegram.Bot(tg.token, base_url=tg.api_base_url, base_file_url=tg.file_base_url)
        await tg.send_text(42, "你好")
        [reply] = await tg.wait_for_messages(42, 1)

Requests go to ``POST|GET /bot<TOKEN>/<method>`` and files to
``GET /file/bot<TOKEN>/<file_path>``. A wrong token is answered 401 and an unknown method
404, both recorded in :attr:`FakeTelegram.unexpected_calls` so the test can fail on them.

Reading what the bot sent, per chat, uses a cursor: :meth:`FakeTelegram.wait_for_messages`
returns exactly the next ``count`` messages after the cursor and moves the cursor past
them; :meth:`FakeTelegram.mark_read` moves it to the end; :meth:`FakeTelegram.unread_messages`
peeks.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from tests.fake_telegram.faults import FAULT_KINDS, Fault, bad_gateway, drop_connection, take_fault
from tests.fake_telegram.methods import BotApi
from tests.fake_telegram.models import AnsweredCallback, ApiCall, ApiError, JsonDict, SentMessage
from tests.fake_telegram.params import read_params
from tests.fake_telegram.updates import UpdateQueue
from tests.fake_telegram.users import UserActions

UNAUTHORIZED = ApiError(401, "Unauthorized")
NOT_FOUND = ApiError(404, "Not Found")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _json_response(payload: JsonDict, status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=json.dumps(payload, ensure_ascii=False), content_type="application/json"
    )


class FakeTelegram(UserActions):
    """The fake server: Bot API over HTTP for the bot, a Python API for the test."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "weiquan_test_bot",
        bot_first_name: str = "维权助手",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 123456
        self.bot_user: JsonDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.queue = UpdateQueue()
        self.api = BotApi(self.bot_user, self.queue)
        self.calls: list[ApiCall] = []
        self.unexpected_calls: list[ApiCall] = []
        self.faults: list[Fault] = []
        self.webhook_delivery_url: str | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []
        self._cursors: dict[int, int] = {}
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # -- lifecycle ------------------------------------------------------------------------

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one, read it back from ``port``)."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Release waiting long polls and stop listening."""
        self.queue.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """What to pass as python-telegram-bot's ``base_url`` (the token is appended)."""
        return f"{self.base_url}/bot"

    @property
    def file_base_url(self) -> str:
        """What to pass as python-telegram-bot's ``base_file_url``."""
        return f"{self.base_url}/file/bot"

    # -- HTTP -----------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        self.unexpected_calls.append(ApiCall(method=request.path, params={}, status=404))
        self._notify()
        return _json_response(NOT_FOUND.payload(), 404)

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            self.unexpected_calls.append(ApiCall(method=method, params={}, status=401, fault="wrong token"))
            self._notify()
            return _json_response(UNAUTHORIZED.payload(), 401)
        call = ApiCall(method=method, params={})
        self.calls.append(call)
        try:
            params = await read_params(request)
            call.params, call.uploads = params.values, params.uploads
            self._notify()  # a long poll may hold the answer: let tests see the call now
            return await self._answer(request, call)
        except ApiError as error:
            call.status = error.error_code
            return _json_response(error.payload(), error.error_code)
        except Exception as exc:
            transport = request.transport
            if transport is None or transport.is_closing():
                # The client went away mid-request (e.g. the bot was killed): not a fake bug.
                call.status, call.fault = 0, "client went away"
                return _json_response(ApiError(500, "Internal Server Error").payload(), 500)
            # A bug in the fake: fail the test, do not hide it.
            call.status, call.fault = 500, f"fake server error: {exc!r}"
            self.unexpected_calls.append(call)
            return _json_response(ApiError(500, "Internal Server Error").payload(), 500)
        finally:
            self._notify()

    async def _answer(self, request: web.Request, call: ApiCall) -> web.StreamResponse:
        handler = self.api.handlers.get(call.method.lower())
        if handler is None:
            self.unexpected_calls.append(call)
            raise NOT_FOUND
        fault = take_fault(self.faults, call.method, call.params.get("chat_id"))
        if fault is None:
            return _json_response({"ok": True, "result": await handler(call.params, call.uploads)})
        call.fault = fault.kind
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return _json_response({"ok": True, "result": await handler(call.params, call.uploads)})
        if fault.process:
            await handler(call.params, call.uploads)
        if fault.kind == "drop":
            call.status = 0
            return drop_connection(request)
        if fault.kind == "502":
            call.status = 502
            return bad_gateway()
        raise fault.error()

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            self.unexpected_calls.append(ApiCall(method="file download", params={}, status=401))
            self._notify()
            return _json_response(UNAUTHORIZED.payload(), 401)
        path = request.match_info["path"]
        for stored in self.api.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        self.unexpected_calls.append(ApiCall(method="file download", params={}, status=404))
        self._notify()
        return _json_response(NOT_FOUND.payload(), 404)

    # -- publishing updates ---------------------------------------------------------------

    async def _publish(self, update: JsonDict) -> JsonDict:
        if self.api.webhook.get("url") and self.webhook_delivery_url:
            update = {**update, "update_id": self.queue.take_id()}
            status = await self.deliver_webhook(
                self.webhook_delivery_url, update, self.api.webhook.get("secret_token")
            )
            self.webhook_deliveries.append((update["update_id"], status))
        else:
            update = self.queue.push(update)
        self._notify()
        return update

    async def deliver_webhook(self, url: str, update: JsonDict, secret_token: str | None = None) -> int:
        """POST ``update`` to the bot's webhook as Telegram does; return the HTTP status."""
        if "update_id" not in update:
            update = {**update, "update_id": self.queue.take_id()}
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret_token} if secret_token else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=update, headers=headers) as response,
        ):
            await response.read()
            return response.status

    # -- fault injection ------------------------------------------------------------------

    def inject(
        self,
        method: str,
        kind: str,
        times: int = 1,
        *,
        chat_id: int | None = None,
        retry_after: int = 1,
        delay: float = 1.0,
        description: str | None = None,
        process: bool = False,
    ) -> Fault:
        """Make the next ``times`` calls of ``method`` (``"*"``: any; optionally only for ``chat_id``) fail.

        ``kind``: ``"429"`` (``retry_after`` seconds), ``"400"``/``"403"``/``"500"`` (optional
        ``description``), ``"502"`` (an HTML gateway page), ``"slow"`` (wait ``delay`` seconds,
        then take effect and answer, even if the client gave up meanwhile), ``"drop"`` (close
        the connection unanswered). With ``process`` the call takes
        effect before the failure is answered, as when a response is lost on the way back.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        fault = Fault(
            method=method,
            kind=kind,
            times=times,
            chat_id=chat_id,
            retry_after=retry_after,
            delay=delay,
            description=description,
            process=process,
        )
        self.faults.append(fault)
        return fault

    # -- reading what the bot did ---------------------------------------------------------
    # The waits take ``timeout=`` (ASYNC109) on purpose: that is the API tests are written
    # against, and the timeout is part of the assertion message.

    def calls_of(self, method: str) -> list[ApiCall]:
        """Every call of ``method`` (case-insensitive, as Telegram treats method names)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def assert_no_unexpected_calls(self) -> None:
        """Fail if the bot called an unknown method, a wrong URL, or used a wrong token."""
        if self.unexpected_calls:
            listed = ", ".join(f"{call.method} ({call.status})" for call in self.unexpected_calls)
            raise AssertionError(f"unexpected Bot API calls: {listed}")

    def sent_messages(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to ``chat_id``, oldest first."""
        return list(self.api.messages.get(chat_id, []))

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """The bot's message ``message_id`` in ``chat_id``."""
        for sent in self.api.messages.get(chat_id, []):
            if sent.message_id == message_id:
                return sent
        raise LookupError(f"the bot sent no message {message_id} to chat {chat_id}")

    def unread_messages(self, chat_id: int) -> list[SentMessage]:
        """The messages after the chat's cursor, without moving it."""
        return self.sent_messages(chat_id)[self._cursors.get(chat_id, 0) :]

    def mark_read(self, chat_id: int) -> None:
        """Move the chat's cursor past every message sent so far."""
        self._cursors[chat_id] = len(self.api.messages.get(chat_id, []))

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float,
        what: str = "condition",
    ) -> None:
        """Wait until ``predicate()`` holds (checked after every change); AssertionError on timeout.

        Only the server's own changes (a call, an update queued) wake the check: for a condition
        outside the server (a log line, a database row, a process exit) use
        :func:`tests.waiting.poll_until`.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 15.0,
    ) -> list[SentMessage]:
        """Wait for the next ``count`` messages after the chat's cursor; return them, move the cursor."""
        start = self._cursors.get(chat_id, 0)
        try:
            await self.wait_until(
                lambda: len(self.api.messages.get(chat_id, [])) - start >= count,
                timeout,
                f"{count} new message(s) in chat {chat_id}",
            )
        except AssertionError as error:
            got = [message.text for message in self.unread_messages(chat_id)]
            raise AssertionError(f"{error}; got {len(got)}: {got!r}") from None
        self._cursors[chat_id] = start + count
        return self.sent_messages(chat_id)[start : start + count]

    async def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        timeout: float = 15.0,
    ) -> list[ApiCall]:
        """Wait until ``method`` has been called at least ``count`` times in all; return those calls."""
        await self.wait_until(
            lambda: len(self.calls_of(method)) >= count, timeout, f"{count} {method} call(s)"
        )
        return self.calls_of(method)

    @property
    def answered_callbacks(self) -> list[AnsweredCallback]:
        """Every answerCallbackQuery, oldest first."""
        return list(self.api.answered_callbacks)

    @property
    def commands(self) -> list[JsonDict]:
        """The command list set for the default scope and no language."""
        return self.commands_for()

    def commands_for(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """The command list set for ``scope`` (e.g. ``{"type": "all_private_chats"}``) and language."""
        key = json.dumps(scope or {"type": "default"}, sort_keys=True), language_code
        return list(self.api.commands.get(key, []))

    @property
    def pending_updates_count(self) -> int:
        """Updates not yet confirmed by a getUpdates offset."""
        return self.queue.pending_count

    @property
    def confirmed_update_id(self) -> int:
        """The highest update_id the bot has confirmed (0 if none)."""
        return self.queue.confirmed_update_id

    @property
    def webhook(self) -> dict[str, Any]:
        """The webhook set by the bot (``url``, ``secret_token``...), empty if none."""
        return dict(self.api.webhook)
