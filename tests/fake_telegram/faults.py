"""Faults a test can inject into the fake server: rate limits, server errors, slowness, drops.

Each :class:`Fault` applies to the next ``times`` calls of one method (``"*"`` for any),
optionally only for one chat, and is used up one call at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from tests.fake_telegram.models import ApiError

FAULT_KINDS: frozenset[str] = frozenset({"429", "400", "403", "500", "502", "slow", "drop"})
BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
)


@dataclass(slots=True)
class Fault:
    """A fault queued with ``FakeTelegram.inject``; consumed one use at a time."""

    method: str
    kind: str
    times: int
    chat_id: int | None = None
    retry_after: int = 1
    delay: float = 1.0
    description: str | None = None
    process: bool = False

    def matches(self, method: str, chat_id: object) -> bool:
        """Whether this fault applies to a call of ``method`` for ``chat_id``."""
        if self.times <= 0 or self.method.lower() not in ("*", method.lower()):
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    def error(self) -> ApiError:
        """The Bot API error this fault answers with (for the error kinds)."""
        if self.kind == "429":
            return ApiError(
                429,
                self.description or f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.kind == "403":
            return ApiError(403, self.description or "Forbidden: bot was blocked by the user")
        if self.kind == "400":
            return ApiError(400, self.description or "Bad Request: injected fault")
        return ApiError(500, self.description or "Internal Server Error")


def take_fault(faults: list[Fault], method: str, chat_id: object) -> Fault | None:
    """Use up one call of the first fault matching ``method`` and ``chat_id``, if any."""
    for fault in faults:
        if fault.matches(method, chat_id):
            fault.times -= 1
            return fault
    return None


def bad_gateway() -> web.Response:
    """What a 502 from Telegram's front proxy looks like: HTML, not JSON."""
    return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")


def drop_connection(request: web.Request) -> web.StreamResponse:
    """Close the connection without answering (the client sees a protocol error)."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    response = web.StreamResponse(status=500)
    response.force_close()
    return response
