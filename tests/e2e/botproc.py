"""Starting and stopping the real bot process (the ``weiquan-bot`` console script) for end-to-end tests,
in polling mode or as a webhook worker (:func:`start_worker`)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import aiohttp

SCRIPT = Path(sys.executable).with_name("weiquan-bot")


class BotProcess:
    """One ``weiquan-bot run`` subprocess whose output goes to a log file the test can read."""

    def __init__(self, env: dict[str, str], log_path: Path, args: tuple[str, ...] = ("run",)) -> None:
        self.env = env
        self.log_path = log_path
        self.args = args
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process (appending to the log file, so restarts keep one log)."""
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [str(SCRIPT), *self.args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.env.get("WEIQUAN_TEST_CWD", os.getcwd()),
        )
        log.close()

    async def wait_ready(self, ready: Callable[[], bool], timeout: float = 90.0) -> None:
        """Wait until ``ready()`` holds (e.g. the bot is polling); fail with the log if it dies."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not ready():
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"bot exited with {self.proc.returncode}:\n{self.log()}")
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"bot not ready after {timeout}s:\n{self.log()}")
            await asyncio.sleep(0.05)

    async def stop(self, timeout: float = 60.0) -> int:
        """SIGTERM and wait; the bot finishes the update in hand and exits."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        return await self._wait(timeout)

    async def kill(self) -> None:
        """SIGKILL: a crash, nothing is cleaned up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            await self._wait(10)

    async def _wait(self, timeout: float) -> int:
        assert self.proc is not None
        deadline = asyncio.get_running_loop().time() + timeout
        while self.proc.poll() is None:
            if asyncio.get_running_loop().time() > deadline:
                self.proc.kill()
                raise AssertionError(f"bot did not stop within {timeout}s:\n{self.log()}")
            await asyncio.sleep(0.05)
        return self.proc.returncode

    def log(self) -> str:
        """Everything the process printed so far."""
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""


#: The secret token webhook workers started by :func:`start_worker` check.
WEBHOOK_SECRET = "s3cret-Token_for-tests"


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _healthy(url: str) -> bool:
    try:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


async def start_worker(make: Callable[..., BotProcess]) -> tuple[BotProcess, str]:
    """Start a webhook worker (``make`` is the ``start_bot`` fixture); return it and its webhook URL
    once its health check answers."""
    port = free_port()
    proc = make(
        MODE="webhook",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        WEBHOOK_URL="https://bot.example",
        WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    proc.start()
    base = f"http://127.0.0.1:{port}"
    deadline = asyncio.get_running_loop().time() + 30
    while not await _healthy(f"{base}/healthz"):
        assert proc.proc is not None and proc.proc.poll() is None, proc.log()
        assert asyncio.get_running_loop().time() < deadline, proc.log()
        await asyncio.sleep(0.1)
    return proc, f"{base}/telegram/webhook"
