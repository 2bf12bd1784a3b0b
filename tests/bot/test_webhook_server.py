"""The webhook's HTTP server under abuse: stalled connections are cut, a cap holds, errors are rate-limited."""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from collections.abc import AsyncIterator

import pytest
from tornado.web import Application, RequestHandler

from bot.webhook import RateLimitedLog, WebhookServer, accept_error_handler
from tests.waiting import poll_until

DEADLINE = 30.0  # generous: the machine may be busy; the waits below end as soon as the event occurs


class _Ok(RequestHandler):
    def get(self) -> None:
        self.finish({"ok": True})


async def _closed_by_server(reader: asyncio.StreamReader) -> bool:
    """True once the server closed the connection (EOF or reset)."""
    try:
        return await asyncio.wait_for(reader.read(), timeout=DEADLINE) == b""
    except ConnectionResetError:
        return True


async def _get(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=DEADLINE)
    writer.close()
    return answer


@pytest.fixture
async def server() -> AsyncIterator[tuple[WebhookServer, int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    srv = WebhookServer(
        Application([("/ok", _Ok)]), idle_connection_timeout=0.5, body_timeout=0.5, max_connections=20
    )
    srv.listen(port, address="127.0.0.1")
    yield srv, port
    srv.stop()
    await srv.close_all_connections()


async def test_stalled_connections_are_cut_and_the_cap_holds(server: tuple[WebhookServer, int]) -> None:
    srv, port = server
    stalled = []
    for _ in range(20):  # headers that never end
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /telegram/webhook HTTP/1.1\r\nHost: x\r\n")
        await writer.drain()
        stalled.append((reader, writer))
    # The server has accepted them all (its own counter; no event to wait on).
    await poll_until(lambda: srv.open_connections == 20, timeout=DEADLINE, what="20 open connections")
    # Beyond the cap a connection is closed at once, without an answer.
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert await _closed_by_server(reader)
    writer.close()
    # The stalled ones are cut after the header timeout...
    results = await asyncio.gather(*(_closed_by_server(r) for r, _ in stalled))
    assert all(results)
    for _, w in stalled:
        w.close()
    # ...and a real request is answered again.
    answer = await _get(port)
    assert answer.startswith(b"HTTP/1.1 200")
    await poll_until(lambda: srv.open_connections == 0, timeout=DEADLINE, what="no open connection")


async def test_a_slow_body_is_cut(server: tuple[WebhookServer, int]) -> None:
    _, port = server
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
    await writer.drain()
    assert await _closed_by_server(reader)
    writer.close()


def test_repeating_accept_errors_log_one_line(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    try:
        handler = accept_error_handler(RateLimitedLog("webhook: socket error", 60.0))
        with caplog.at_level(logging.WARNING):
            for _ in range(5000):
                handler(
                    loop, {"message": "accept", "exception": OSError(errno.EMFILE, "Too many open files")}
                )
        lines = [r for r in caplog.records if "socket error" in r.getMessage()]
        assert len(lines) == 1 and "Traceback" not in caplog.text
    finally:
        loop.close()
